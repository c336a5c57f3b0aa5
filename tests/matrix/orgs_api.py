"""Organization API routes that change the tree, its people and groups (R1).

The same rule as the `/orgs/` screens: the unit's 创建办 and the office admin above change
the unit, its departments, people, leading group and working groups; the rest of the unit
reads but is refused (403); another city is told nothing (404). (The reading routes,
`api:org_tree`, `api:me`, `api:org_detail`, are in tests/test_permission_matrix.py.)
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import Route, unit_manage


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.orgs.models import Organization, OrgKind

    inactive = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=base["unit"], name="已撤销的专班", is_active=False
    )
    return {"inactive_dept": inactive, "jingban": User.objects.get(username="jingban")}


def _unit(t: dict[str, Any]) -> list[Any]:
    return [t["unit"].pk]


MANAGE = unit_manage(200, anonymous=401)
CREATE = unit_manage(201, anonymous=401)

ROUTES: dict[str, Route] = {
    "api:org_create": Route(
        "POST", _unit, CREATE, data=lambda t: {"kind": "department", "name": "创建工作专班"}
    ),
    "api:org_update": Route(
        "PATCH", lambda t: [t["food"].pk], MANAGE, data=lambda t: {"short_name": "食品科"}
    ),
    "api:org_deactivate": Route("POST", lambda t: [t["empty_dept"].pk], MANAGE),
    "api:org_reactivate": Route("POST", lambda t: [t["inactive_dept"].pk], MANAGE),
    "api:org_set_office_host": Route(
        "POST", _unit, MANAGE, data=lambda t: {"department_id": t["food"].pk}
    ),
    "api:person_add": Route(
        "POST",
        _unit,
        CREATE,
        data=lambda t: {"username": "xinren", "full_name": "王新", "role": "observer"},
    ),
    "api:membership_update": Route(
        "PATCH", lambda t: [t["staff_membership"].pk], MANAGE, data=lambda t: {"title": "科员"}
    ),
    "api:membership_end": Route("POST", lambda t: [t["staff_membership"].pk], MANAGE),
    "api:leading_group_add": Route(
        "POST", _unit, CREATE, data=lambda t: {"user_id": t["jingban"].pk, "position": "member"}
    ),
    "api:leading_group_remove": Route("POST", lambda t: [t["lg_member"].pk], MANAGE),
    "api:leading_group_update": Route(
        "PATCH",
        lambda t: [t["lg_member"].pk],
        MANAGE,
        data=lambda t: {"department_ids": [t["food"].pk]},
    ),
    "api:working_group_create": Route("POST", _unit, CREATE, data=lambda t: {"name": "宣传组"}),
    "api:working_group_update": Route(
        "PATCH", lambda t: [t["working_group"].pk], MANAGE, data=lambda t: {"duties": "统筹"}
    ),
    "api:working_group_deactivate": Route("POST", lambda t: [t["working_group"].pk], MANAGE),
}

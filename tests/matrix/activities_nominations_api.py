"""The 先进典型 API in the permission matrix, on the targets of `activities_nominations.py`:
the same readers as the screens (401 without credentials); 提名 for the 创建办 and the
departments' people; 修改 for the 创建办 and the nominating department's people; 部门推荐 for
the 创建办 and the department's 部门负责人; 撤回 for the nominator (jingban) and the 创建办;
every other step and the ratings for the 创建办. Everyone else who reads, the office admin
included, is refused (403); another city is told nothing (404)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect, unit_read, unit_work

READ = unit_read(anonymous=401)
QUERY = "?campaign={nom_campaign}"


def _only(ok: int, *personas: str) -> dict[str, int]:
    table = expect(403, anonymous=401, outsider_admin=404)
    table.update(dict.fromkeys(personas, ok))
    return table


def _nominate(t: dict[str, Any]) -> dict[str, Any]:
    from wenming.frameworks.models import Node

    node = Node.objects.filter(framework=t["nom_campaign"].framework, is_leaf=True).first()
    assert node is not None
    return {
        "campaign": t["nom_campaign"].pk,
        "department": t["food"].pk,
        "year": 2026,
        "category": "brave",
        "name": "路人甲",
        "story": "勇救落水儿童。",
        "standards": [node.pk],
    }


def _today(t: dict[str, Any]) -> str:
    return datetime.date.today().isoformat()


ROUTES: dict[str, Route] = {
    "api:nomination_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:nomination_create": Route(
        "POST", lambda t: [], _only(201, "coordinator", "dept_head", "staff"), data=_nominate
    ),
    "api:nomination_detail": Route("GET", lambda t: [t["nom_nominated"].pk], READ),
    "api:nomination_update": Route(
        "PATCH",
        lambda t: [t["nom_nominated"].pk],
        _only(200, "coordinator", "dept_head", "staff"),
        data=lambda t: {"story": "补充后的事迹。"},
    ),
    "api:nomination_recommend": Route(
        "POST", lambda t: [t["nom_nominated"].pk], _only(200, "coordinator", "dept_head")
    ),
    "api:nomination_review": Route(
        "POST", lambda t: [t["nom_recommended"].pk], _only(200, "coordinator")
    ),
    "api:nomination_return": Route(
        "POST",
        lambda t: [t["nom_recommended"].pk],
        _only(200, "coordinator"),
        data=lambda t: {"reason": "请补充事迹。"},
    ),
    "api:nomination_publicize": Route(
        "POST",
        lambda t: [t["nom_reviewed"].pk],
        _only(200, "coordinator"),
        data=lambda t: {"starts_on": _today(t)},
    ),
    "api:nomination_withdraw": Route(
        "POST", lambda t: [t["nom_nominated"].pk], _only(200, "coordinator", "staff")
    ),
    "api:nomination_decline": Route(
        "POST",
        lambda t: [t["nom_nominated"].pk],
        _only(200, "coordinator"),
        data=lambda t: {"reason": "暂缓评选。"},
    ),
    "api:nomination_objection_create": Route(
        "POST",
        lambda t: [t["nom_public"].pk],
        _only(201, "coordinator"),
        data=lambda t: {"received_on": _today(t), "content": "反映情况。"},
    ),
    "api:nomination_objection_answer": Route(
        "POST",
        lambda t: [t["nom_public"].pk, t["nom_objection"].pk],
        _only(200, "coordinator"),
        data=lambda t: {"answer": "经核实不属实。", "upheld": "false"},
    ),
    "api:nomination_award": Route("POST", lambda t: [t["nom_ended"].pk], _only(200, "coordinator")),
    "api:nomination_refer": Route(
        "POST",
        lambda t: [t["nom_awarded"].pk],
        _only(200, "coordinator"),
        data=lambda t: {"referred_to": "临州好人榜"},
    ),
    "api:nomination_rating_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:nomination_rating_create": Route(
        "POST",
        lambda t: [],
        unit_work(201, anonymous=401),
        data=lambda t: {
            "campaign": t["nom_campaign"].pk,
            "year": 2027,
            "category": "civil_family",
            "criteria": "家庭和睦。",
            "quota": 5,
        },
    ),
}

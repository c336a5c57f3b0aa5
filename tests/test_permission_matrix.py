"""Every role × every route: who gets a page, who is refused (403), who is told nothing (404).

When a route is added, this test fails until the route is placed in MATRIX below.
Each persona's request runs in a savepoint that is rolled back, so one route's requests
do not change what the next persona finds.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests import matrix
from tests.matrix.base import (
    PERSONAS,
    SMALL,
    USERNAMES,
    Route,
    expect,
    no_args,
    office_only,
    unit_manage,
    unit_read,
)
from wenming.frameworks import services
from wenming.frameworks.models import Framework, Node
from wenming.orgs.models import LeadingGroupMember, Membership, WorkingGroup

MATRIX: dict[str, Route] = {
    "home": Route("GET", no_args, expect(200)),
    "login": Route("GET", no_args, expect(302, anonymous=200)),
    "logout": Route("POST", no_args, expect(302)),
    # Organizations
    "orgs:tree": Route("GET", no_args, expect(200)),
    "orgs:detail": Route("GET", lambda t: [t["unit"].pk], unit_read()),
    "orgs:create_child": Route("GET", lambda t: [t["unit"].pk], unit_manage(200)),
    "orgs:edit": Route("GET", lambda t: [t["unit"].pk], unit_manage(200)),
    "orgs:deactivate": Route("POST", lambda t: [t["empty_dept"].pk], unit_manage(302)),
    "orgs:reactivate": Route("POST", lambda t: [t["empty_dept"].pk], unit_manage(302)),
    "orgs:set_office_host": Route(
        "POST",
        lambda t: [t["unit"].pk],
        unit_manage(302),
        data=lambda t: {"campaign_office_host": t["food"].pk},
    ),
    "orgs:add_person": Route("GET", lambda t: [t["unit"].pk], unit_manage(200)),
    "orgs:membership_edit": Route("GET", lambda t: [t["staff_membership"].pk], unit_manage(200)),
    "orgs:membership_end": Route("POST", lambda t: [t["staff_membership"].pk], unit_manage(302)),
    "orgs:leading_group_add": Route("GET", lambda t: [t["unit"].pk], unit_manage(200)),
    "orgs:leading_group_remove": Route("POST", lambda t: [t["lg_member"].pk], unit_manage(302)),
    "orgs:leading_group_edit": Route("GET", lambda t: [t["lg_member"].pk], unit_manage(200)),
    "orgs:working_group_create": Route("GET", lambda t: [t["unit"].pk], unit_manage(200)),
    "orgs:working_group_edit": Route("GET", lambda t: [t["working_group"].pk], unit_manage(200)),
    "orgs:working_group_deactivate": Route(
        "POST", lambda t: [t["working_group"].pk], unit_manage(302)
    ),
    # Evaluation systems: the office's published sample is read by everyone below it.
    "frameworks:list": Route("GET", no_args, expect(200)),
    "frameworks:import": Route(
        "GET",
        no_args,
        expect(403, office_admin=200, coordinator=200, outsider_admin=200),
    ),
    "frameworks:diff": Route("GET", no_args, expect(200)),
    "frameworks:detail": Route("GET", lambda t: [t["published"].pk], unit_read()),
    "frameworks:export": Route("GET", lambda t: [t["published"].pk, "xlsx"], unit_read()),
    "frameworks:edit": Route("GET", lambda t: [t["draft"].pk], office_only(200)),
    "frameworks:node_edit": Route(
        "GET", lambda t: [t["draft"].pk, t["draft_node"].pk], office_only(200)
    ),
    "frameworks:publish": Route("POST", lambda t: [t["draft"].pk], office_only(302)),
    "frameworks:retire": Route(
        "POST", lambda t: [t["published"].pk], expect(403, outsider_admin=404, office_admin=302)
    ),
    "frameworks:new_version": Route(
        "POST", lambda t: [t["published"].pk], expect(403, outsider_admin=404, office_admin=302)
    ),
    # API: 401 without credentials, the same scoping as the screens.
    "api:openapi-json": Route("GET", no_args, expect(200, anonymous=200)),
    "api:openapi-view": Route("GET", no_args, expect(200, anonymous=200)),
    "api:org_tree": Route("GET", no_args, expect(200, anonymous=401)),
    "api:me": Route("GET", no_args, expect(200, anonymous=401)),
    "api:org_detail": Route("GET", lambda t: [t["unit"].pk], unit_read(anonymous=401)),
    "api:framework_list": Route("GET", no_args, expect(200, anonymous=401)),
    "api:framework_compare": Route(
        "GET",
        no_args,
        unit_read(anonymous=401),
        query="?old={published}&new={published}",
    ),
    "api:framework_import": Route(
        "POST",
        no_args,
        expect(403, anonymous=401, office_admin=201),
        data=lambda t: {"file": SimpleUploadedFile("s.yaml", SMALL), "owner_id": t["office"].pk},
    ),
    "api:framework_detail": Route("GET", lambda t: [t["published"].pk], unit_read(anonymous=401)),
    "api:framework_tree": Route("GET", lambda t: [t["published"].pk], unit_read(anonymous=401)),
    "api:framework_export": Route("GET", lambda t: [t["published"].pk], unit_read(anonymous=401)),
    "api:framework_publish": Route(
        "POST", lambda t: [t["draft"].pk], office_only(200, anonymous=401)
    ),
    "api:framework_new_version": Route(
        "POST",
        lambda t: [t["published"].pk],
        expect(403, anonymous=401, outsider_admin=404, office_admin=201),
    ),
}
APP_MODULES = [
    importlib.import_module(f"tests.matrix.{m.name}")
    for m in pkgutil.iter_modules(matrix.__path__)
    if m.name != "base"
]
for _module in APP_MODULES:
    MATRIX.update(_module.ROUTES)

# Routes that are not screens of the product: the Django back office (staff only) and
# ninja's root (which answers 404 by design).
NOT_IN_MATRIX_PREFIXES = ("admin:",)
NOT_IN_MATRIX = {"api:api-root"}


def _route_names() -> set[str]:
    def walk(patterns: Any, prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix
                )
            elif p.name:
                yield prefix + p.name

    return {
        n for n in walk(get_resolver().url_patterns) if not n.startswith(NOT_IN_MATRIX_PREFIXES)
    }


def test_every_route_is_in_the_matrix() -> None:
    missing = _route_names() - set(MATRIX) - NOT_IN_MATRIX
    assert not missing, f"routes missing from the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - _route_names()
    assert not stale, f"matrix names routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def targets(demo) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Organization, OrgKind

    draft = services.framework_import(
        content=SMALL, filename="d.yaml", owner=demo["office"], user=None
    ).framework
    assert draft is not None
    staff_user = User.objects.get(username="jingban")
    found = {
        **demo,
        "empty_dept": Organization.objects.create(
            kind=OrgKind.DEPARTMENT, parent=demo["unit"], name="临时工作专班"
        ),
        "published": Framework.objects.get(owner=demo["office"], lineage="SAMPLE-WMDW"),
        "draft": draft,
        "draft_node": Node.objects.get(framework=draft, code="A"),
        "staff_membership": Membership.objects.get(user=staff_user),
        "lg_member": LeadingGroupMember.objects.filter(unit=demo["unit"]).last(),
        "working_group": WorkingGroup.objects.filter(unit=demo["unit"]).first(),
    }
    for module in APP_MODULES:
        if hasattr(module, "targets"):
            more = module.targets(found)
            # A name two modules both use would send one module's routes to the other's
            # object: on a database whose ids happen to coincide, the mistake would pass.
            clash = set(more) & set(found)
            assert not clash, f"{module.__name__} reuses target names: {sorted(clash)}"
            found.update(more)
    return found


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_answers_each_role_as_the_matrix_says(name: str, targets) -> None:  # type: ignore[no-untyped-def]
    route = MATRIX[name]
    url = reverse(name, args=route.args(targets))
    if route.query:
        url += route.query.format(**{k: getattr(v, "pk", v) for k, v in targets.items()})
    got = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(User.objects.get(username=USERNAMES[persona]))
        with transaction.atomic():
            data = route.data(targets) if route.data else {}
            if route.method in ("PATCH", "PUT", "DELETE"):  # API routes: a JSON body
                response = client.generic(
                    route.method, url, json.dumps(data), content_type="application/json"
                )
            else:
                response = client.get(url) if route.method == "GET" else client.post(url, data)
            got[persona] = response.status_code
            transaction.set_rollback(True)
    assert got == route.expected

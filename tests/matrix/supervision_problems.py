"""The screens of the office's inspections and dispatched problems in the permission matrix.

The target is 临州市文明办's 暗访 of the market bureau (kept in its registry) with one problem
dispatched to it, with a photo. The lists answer the office's people and the unit's own people
(another city's office gets its own, empty); department roles are refused (403). An inspection
and a problem are read by the office's people and the unit's own people (创建办, 单位领导,
督查员, 观察员); department roles are refused their pages too (403, before anything is looked
up), and told nothing of the rest (404); another city is told nothing (404). Only the office's
文明办管理员 dispatches, verifies, returns and withdraws, and removes an inspection (refused
here, back to its page: a problem is still live); only the unit's 创建办 assigns and
reports (everyone else who reads is refused, 403). Posts without data answer the one who may
act with what is missing or why not now (400), so the matrix changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")
SAMPLE_NAME = "supervision/matrix/photo.jpg"


def _stored(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.ledger.conftest import jpeg

    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(jpeg()))


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.registry import services as registry
    from wenming.registry.models import RegistryEntry
    from wenming.supervision import problems
    from wenming.supervision.models import CityProblemFile

    admin = User.objects.get(username="wmb_admin")
    office = base["office"]
    if not RegistryEntry.objects.filter(unit=base["unit"]).exists():
        registry.entry_register(office=office, user=admin, unit=base["unit"])
    today = datetime.date.today()
    inspection = problems.inspection_create(
        office=office,
        user=admin,
        unit=base["unit"],
        kind="covert",
        inspected_on=today - datetime.timedelta(days=5),
        inspectors="矩阵督查组",
    )
    problem = problems.problem_dispatch(
        inspection=inspection,
        user=admin,
        description="矩阵交办问题",
        deadline=today + datetime.timedelta(days=10),
    )
    photo = CityProblemFile.objects.create(
        problem=problem,
        purpose="problem",
        unit=base["unit"],
        year=today.year,
        file=_stored(SAMPLE_NAME),
        original_name="现场.jpg",
        kind="photo",
        content_type="image/jpeg",
        extension="jpg",
        size=1000,
        sha256="0" * 64,
    )
    return {"sd_inspection": inspection, "sd_problem": problem, "sd_file": photo}


def _inspection(t: dict[str, Any]) -> list[Any]:
    return [t["sd_inspection"].pk]


def _problem(t: dict[str, Any]) -> list[Any]:
    return [t["sd_problem"].pk]


def lists() -> dict[str, int]:
    return expect(200, staff=403, dept_head=403)


def read() -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def page() -> dict[str, int]:
    """An inspection's or a problem's page: `read`, department roles refused (403)."""
    table = read()
    table.update(staff=403, dept_head=403)
    return table


def office_act(ok: int) -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def unit_act(ok: int) -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


ROUTES: dict[str, Route] = {
    "supervision:inspections": Route("GET", lambda t: [], lists()),
    "supervision:inspection_new": Route(
        "GET", lambda t: [], expect(403, office_admin=200, outsider_admin=200)
    ),
    "supervision:inspection": Route("GET", _inspection, page()),
    "supervision:inspection_dispatch": Route("POST", _inspection, office_act(400)),
    # Its problem is live: the office admin is sent back to the page with the refusal.
    "supervision:inspection_remove": Route("POST", _inspection, office_act(302)),
    "supervision:problems": Route("GET", lambda t: [], lists()),
    "supervision:problem": Route("GET", _problem, page()),
    "supervision:problem_assign": Route("POST", _problem, unit_act(400)),
    "supervision:problem_submit": Route("POST", _problem, unit_act(400)),
    "supervision:problem_verify": Route("POST", _problem, office_act(400)),
    "supervision:problem_return": Route("POST", _problem, office_act(400)),
    "supervision:problem_remove": Route("POST", _problem, office_act(400)),
    "supervision:problem_file": Route("GET", lambda t: [t["sd_file"].pk], read()),
}

"""The API of the office's inspections and dispatched problems in the permission matrix.

The same readers as the screens (`supervision_problems.py`, whose targets these routes use):
an inspection and a problem for the office's people and the unit's own people; department
roles are refused the lists and the pages (403, as on the screens) and told nothing of the
rest (404); another city is told nothing (404). The office's 文明办管理员 records, dispatches
(201) and withdraws (204); verifying and returning a problem not yet reported, and removing
an inspection whose problem is live, are refused by the rules (422). The unit's 创建办
reports (200); assigning to a department that is not the unit's is refused (422). Everyone
else who reads is refused (403). Lists answer everyone else with what they may see."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect
from tests.matrix.supervision_problems import UNIT_READERS


def _inspection(t: dict[str, Any]) -> list[Any]:
    return [t["sd_inspection"].pk]


def _problem(t: dict[str, Any]) -> list[Any]:
    return [t["sd_problem"].pk]


def _day(days: int = 0) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def _read() -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def _page() -> dict[str, int]:
    table = _read()
    table.update(staff=403, dept_head=403)
    return table


def _lists() -> dict[str, int]:
    return expect(200, anonymous=401, staff=403, dept_head=403)


def _office(ok: int) -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def _unit(ok: int) -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


ROUTES: dict[str, Route] = {
    "api:city_inspection_list": Route("GET", lambda t: [], _lists()),
    "api:city_inspection_create": Route(
        "POST",
        lambda t: [],
        expect(403, anonymous=401, office_admin=201, outsider_admin=422),
        data=lambda t: {
            "unit_id": t["unit"].pk,
            "kind": "open",
            "inspected_on": _day(),
            "inspectors": "矩阵督查组",
        },
    ),
    "api:city_inspection_detail": Route("GET", _inspection, _page()),
    "api:city_inspection_remove": Route("POST", _inspection, _office(422)),
    "api:city_problem_dispatch": Route(
        "POST",
        _inspection,
        _office(201),
        data=lambda t: {"description": "矩阵问题", "deadline": _day(10)},
    ),
    "api:city_problem_list": Route("GET", lambda t: [], _lists()),
    "api:city_problem_detail": Route("GET", _problem, _page()),
    "api:city_problem_assign": Route(
        "POST", _problem, _unit(422), data=lambda t: {"department_id": 0}
    ),
    "api:city_problem_submit": Route(
        "POST", _problem, _unit(200), data=lambda t: {"note": "矩阵整改情况"}
    ),
    "api:city_problem_verify": Route("POST", _problem, _office(422), data=lambda t: {}),
    "api:city_problem_return": Route(
        "POST", _problem, _office(422), data=lambda t: {"reason": "矩阵退回"}
    ),
    "api:city_problem_remove": Route(
        "POST", _problem, _office(204), data=lambda t: {"reason": "矩阵撤回"}
    ),
}

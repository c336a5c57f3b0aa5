"""The office's calendar (节假日与调休) in the permission matrix.

The office's people and the unit's own people (roles held on the unit itself) read 临州市文明办's
calendar; department roles and another city are told nothing (404). Only the office's
文明办管理员 changes it; the unit's people are refused (403).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect, no_args

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.orgs.models import CalendarDay

    day = CalendarDay.objects.create(
        office=base["office"], day=datetime.date(2026, 3, 2), name="矩阵假日"
    )
    return {"cal_day": day}


def read() -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def write(ok: int) -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


ROUTES: dict[str, Route] = {
    "orgs:calendar": Route("GET", no_args, read(), query="?office={office}&year=2026"),
    "orgs:calendar_add": Route(
        "POST",
        no_args,
        write(302),
        data=lambda t: {"office": t["office"].pk, "day": "2026-03-03", "name": "本地节日"},
    ),
    "orgs:calendar_remove": Route("POST", lambda t: [t["cal_day"].pk], write(302)),
    "orgs:calendar_load": Route(
        "POST", no_args, write(302), data=lambda t: {"office": t["office"].pk, "year": "2026"}
    ),
}

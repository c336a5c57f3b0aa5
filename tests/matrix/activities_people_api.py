"""The volunteers' and measures' API routes in the permission matrix, on the targets of
`activities_people.py`: the same readers as the screens (401 without credentials); only the
unit's 创建办 registers, removes and sets a measure; everyone else who reads, the office admin
included, is refused (403); another city is told nothing (404)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, unit_read, unit_work

READ = unit_read(anonymous=401)
QUERY = "?campaign={actp_campaign}&year=2026"


def _register(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "campaign_id": t["actp_campaign"].pk,
        "person_id": t["actp_person"].pk,
        "registered_on": datetime.date.today().isoformat(),
    }


def _measure(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "campaign_id": t["actp_campaign"].pk,
        "standard_id": t["actp_standard"].pk,
        "figure": "activities",
        "target": "4",
    }


ROUTES: dict[str, Route] = {
    "api:activity_volunteer_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:activity_volunteer_create": Route(
        "POST", lambda t: [], unit_work(201, anonymous=401), data=_register
    ),
    "api:activity_volunteer_remove": Route(
        "POST", lambda t: [t["actp_volunteer"].pk], unit_work(204, anonymous=401)
    ),
    "api:activity_measure_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:activity_measure_set": Route(
        "PUT", lambda t: [], unit_work(200, anonymous=401), data=_measure
    ),
    "api:activity_measure_suggestions": Route(
        "GET", lambda t: [], READ, query="?campaign={actp_campaign}"
    ),
}

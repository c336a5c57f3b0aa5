"""The API routes of imported volunteer hours, 双报到 and 帮扶共建 in the permission matrix, on
the targets of `activities_service.py`: the same readers as the screens (401 without
credentials); the unit's 创建办 and department people import hours; only the 创建办 writes
双报到 and pairings; everyone else who reads, the office admin included, is refused (403);
another city is told nothing (404)."""

from __future__ import annotations

from typing import Any

from tests.matrix.activities_service import _today, hours_sheet
from tests.matrix.base import Route, expect, unit_read, unit_work

READ = unit_read(anonymous=401)
QUERY = "?campaign={svc_campaign}"
HOURS_WRITERS = expect(
    403, anonymous=401, outsider_admin=404, coordinator=201, dept_head=201, staff=201
)


def _import(t: dict[str, Any]) -> dict[str, Any]:
    return {"campaign_id": t["svc_campaign"].pk, "file": hours_sheet()}


def _report(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "campaign_id": t["svc_campaign"].pk,
        "person_id": t["svc_person"].pk,
        "community": "城西街道锦绣社区",
        "reported_on": _today().isoformat(),
    }


def _feedback(t: dict[str, Any]) -> dict[str, Any]:
    today = _today()
    return {"year": today.year, "quarter": (today.month - 1) // 3 + 1, "rating": "good", "hours": 3}


def _pairing(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "campaign_id": t["svc_campaign"].pk,
        "department_id": t["food"].pk,
        "partner": "城东街道幸福里社区",
        "plan": "每季度走访一次。",
        "starts_on": _today().isoformat(),
        "visits_planned": 4,
    }


ROUTES: dict[str, Route] = {
    "api:activity_hours_import_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:activity_hours_import_create": Route("POST", lambda t: [], HOURS_WRITERS, data=_import),
    "api:activity_hours_import_detail": Route("GET", lambda t: [t["svc_import"].pk], READ),
    "api:activity_hours_import_rows": Route("GET", lambda t: [t["svc_import"].pk], READ),
    "api:activity_community_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:activity_community_figures": Route("GET", lambda t: [], READ, query=QUERY),
    "api:activity_community_create": Route(
        "POST", lambda t: [], unit_work(201, anonymous=401), data=_report
    ),
    "api:activity_community_feedback": Route(
        "PUT", lambda t: [t["svc_report"].pk], unit_work(200, anonymous=401), data=_feedback
    ),
    "api:activity_community_remove": Route(
        "POST", lambda t: [t["svc_report"].pk], unit_work(204, anonymous=401)
    ),
    "api:activity_pairing_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:activity_pairing_create": Route(
        "POST", lambda t: [], unit_work(201, anonymous=401), data=_pairing
    ),
    "api:activity_pairing_detail": Route("GET", lambda t: [t["svc_pairing"].pk], READ),
    "api:activity_pairing_remove": Route(
        "POST", lambda t: [t["svc_pairing"].pk], unit_work(204, anonymous=401)
    ),
}

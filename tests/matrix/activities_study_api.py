"""The study API (/api/v1/study) in the permission matrix, on the targets of
`activities_study.py`: the same readers as the screens (401 without credentials); only the
unit's 创建办 sets targets, imports points and records 考学; everyone else who reads, the
office admin included, is refused (403); another city is told nothing (404)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.activities_study import last_month, points_file
from tests.matrix.base import Route, unit_read, unit_work

READ = unit_read(anonymous=401)
QUERY = "?campaign={st_campaign}&year=2026"


def _exam_args(t: dict[str, Any]) -> list[Any]:
    return [t["st_exam"].pk]


def _target(t: dict[str, Any]) -> dict[str, Any]:
    return {"campaign_id": t["st_campaign"].pk, "year": 2026, "sessions": 12, "points": 9000}


def _points(t: dict[str, Any]) -> dict[str, Any]:
    return {"campaign_id": t["st_campaign"].pk, "month": last_month(), "file": points_file()}


def _exam(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "campaign_id": t["st_campaign"].pk,
        "title": "应知应会测试",
        "held_on": datetime.date.today().isoformat(),
        "lines": "张明 90",
    }


ROUTES: dict[str, Route] = {
    "api:study_target_get": Route("GET", lambda t: [], READ, query=QUERY),
    "api:study_target_put": Route("PUT", lambda t: [], unit_work(200, anonymous=401), data=_target),
    "api:study_compliance": Route("GET", lambda t: [], READ, query=QUERY),
    "api:study_points_import_list": Route(
        "GET", lambda t: [], READ, query="?campaign={st_campaign}"
    ),
    "api:study_points_import_create": Route(
        "POST", lambda t: [], unit_work(201, anonymous=401), data=_points
    ),
    "api:study_exam_list": Route("GET", lambda t: [], READ, query=QUERY),
    "api:study_exam_create": Route("POST", lambda t: [], unit_work(201, anonymous=401), data=_exam),
    "api:study_exam_detail": Route("GET", _exam_args, READ),
    "api:study_exam_scores": Route(
        "PUT", _exam_args, unit_work(200, anonymous=401), data=lambda t: {"lines": "陈晓燕 88"}
    ),
    "api:study_exam_remove": Route("POST", _exam_args, unit_work(204, anonymous=401)),
}

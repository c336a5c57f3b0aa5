"""City bulletins' API routes in the permission matrix (targets from `supervision_bulletins`).

The same readers as the screens: the draft for the office's people only, the issued bulletin
also for the people of the units the office keeps; department roles and another city are
told nothing (404). The office's 文明办管理员 drafts, changes, names units, issues and
removes the draft (204).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect
from tests.matrix.supervision_bulletins import issued_read


def _draft(t: dict[str, Any]) -> list[Any]:
    return [t["sb_draft"].pk]


def _issued(t: dict[str, Any]) -> list[Any]:
    return [t["sb_issued"].pk]


def _today() -> str:
    return datetime.date.today().isoformat()


def _office(ok: int) -> dict[str, int]:
    return expect(404, anonymous=401, office_admin=ok)


ROUTES: dict[str, Route] = {
    "api:city_bulletin_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:city_bulletin_create": Route(
        "POST",
        lambda t: [],
        _office(201),
        data=lambda t: {
            "office_id": t["office"].pk,
            "title": "矩阵接口通报",
            "period_start": _today(),
            "period_end": _today(),
        },
    ),
    "api:city_bulletin_detail": Route("GET", _issued, issued_read(401)),
    "api:city_bulletin_update": Route(
        "PATCH", _draft, _office(200), data=lambda t: {"intro": "改"}
    ),
    "api:city_bulletin_figures": Route("GET", _issued, issued_read(401)),
    "api:city_bulletin_verdict": Route(
        "POST",
        _draft,
        _office(200),
        data=lambda t: {"unit_id": t["unit"].pk, "verdict": "praise", "reason": "按时整改"},
    ),
    "api:city_bulletin_issue": Route(
        "POST", _draft, _office(200), data=lambda t: {"issued_on": _today()}
    ),
    "api:city_bulletin_remove": Route("POST", _draft, _office(204)),
    "api:city_bulletin_docx": Route("GET", _issued, issued_read(401)),
}

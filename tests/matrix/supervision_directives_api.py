"""The directives' API routes in the permission matrix, on the targets of
`supervision_directives.py`: the same readers as the screens; the office's 文明办管理员
creates, publishes and reminds (both refused here by the rules, 422: already published,
nobody left to remind), changes and removes the draft; the unit's 创建办 acknowledges and
submits; everyone else who reads is refused (403); another city is told nothing (404).
Department roles are refused the lists and the pages (403, as on the screens) and told nothing
of the rest (404); lists answer everyone else with what they may see."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect
from tests.matrix.supervision_directives import draft_act, lists, office_act, page, unit_act


def _priority(t: dict[str, Any]) -> list[Any]:
    return [t["sd_priority"].pk]


def _draft(t: dict[str, Any]) -> list[Any]:
    return [t["sd_priority_draft"].pk]


def _round(t: dict[str, Any]) -> list[Any]:
    return [t["sd_round"].pk]


def _create(ok: int) -> dict[str, int]:
    return expect(404, anonymous=401, office_admin=ok)


def _other_month() -> tuple[int, int]:
    today = datetime.date.today()
    return (today.year - 1, today.month)


ROUTES: dict[str, Route] = {
    "api:priority_list": Route("GET", lambda t: [], lists(401)),
    "api:priority_create": Route(
        "POST",
        lambda t: [],
        _create(201),
        data=lambda t: {
            "office_id": t["office"].pk,
            "year": datetime.date.today().year,
            "quarter": 1,
            "title": "矩阵接口重点工作",
            "body": "要求",
            "acknowledge_by": datetime.date.today().isoformat(),
        },
    ),
    "api:priority_detail": Route("GET", _priority, page(401)),
    "api:priority_update": Route(
        "PATCH", _draft, draft_act(200, 401), data=lambda t: {"title": "矩阵改过的草稿"}
    ),
    "api:priority_remove": Route("POST", _draft, draft_act(204, 401)),
    "api:priority_publish": Route("POST", _priority, office_act(422, 401)),
    "api:priority_acknowledge": Route("POST", _priority, unit_act(200, 401)),
    "api:info_round_list": Route("GET", lambda t: [], lists(401)),
    "api:info_round_create": Route(
        "POST",
        lambda t: [],
        _create(201),
        data=lambda t: {
            "office_id": t["office"].pk,
            "year": _other_month()[0],
            "month": _other_month()[1],
            "due_on": datetime.date.today().isoformat(),
        },
    ),
    "api:info_round_detail": Route("GET", _round, page(401)),
    "api:info_round_submit": Route(
        "POST", _round, unit_act(200, 401), data=lambda t: {"title": "矩阵", "content": "内容"}
    ),
    # Every unit of the office has submitted: nobody to remind (422).
    "api:info_round_remind": Route("POST", _round, office_act(422, 401)),
}

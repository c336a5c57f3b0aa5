"""复查's API routes in the permission matrix.

The same readers as the screens (`rechecks.py`, whose targets these routes use): the 复查 and
its reports list for the office's people; a report for them and the unit's own people;
department roles and another city are told nothing (404). The office's 文明办管理员 acts
(here refused by the rules, 422: the report is not yet filed), the unit's 创建办 files its
report (200); everyone else who reads is refused (403). Lists answer everyone with what
they may see."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect
from tests.matrix.rechecks import UNIT_READERS


def _recheck(t: dict[str, Any]) -> list[Any]:
    return [t["rc_recheck"].pk]


def _report(t: dict[str, Any]) -> list[Any]:
    return [t["rc_report"].pk]


def _today() -> str:
    return datetime.date.today().isoformat()


def _office(ok: int) -> dict[str, int]:
    return expect(404, anonymous=401, office_admin=ok)


def _read() -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def _act(ok: int) -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def _holder(ok: int) -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


def _decide(t: dict[str, Any]) -> dict[str, Any]:
    return {"decision": "kept", "decided_on": _today(), "document_title": "临文明办〔2026〕18号"}


ROUTES: dict[str, Route] = {
    "api:recheck_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:recheck_create": Route(
        "POST",
        lambda t: [],
        _office(201),
        data=lambda t: {
            "office_id": t["office"].pk,
            "year": datetime.date.today().year - 2,
            "title": "矩阵往年复查",
            "opens_on": _today(),
            "due_on": _today(),
        },
    ),
    "api:recheck_detail": Route("GET", _recheck, _office(200)),
    "api:recheck_update": Route("PATCH", _recheck, _office(200), data=lambda t: {"note": "延长"}),
    "api:recheck_close": Route(
        "POST",
        _recheck,
        _office(422),
        data=lambda t: {"closed_on": _today(), "result_title": "临文明办〔2026〕18号"},
    ),
    "api:recheck_reports": Route("GET", _recheck, _office(200)),
    "api:recheck_report_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:recheck_report_detail": Route("GET", _report, _read()),
    "api:recheck_report_submit": Route(
        "POST",
        _report,
        _holder(200),
        data=lambda t: {"report_text": "矩阵自查报告", "self_score": "90"},
    ),
    "api:recheck_report_return": Route("POST", _report, _act(422), data=lambda t: {"comment": "x"}),
    "api:recheck_report_score": Route(
        "POST", _report, _act(422), data=lambda t: {"office_score": "90"}
    ),
    "api:recheck_report_round": Route(
        "POST", _report, _act(422), data=lambda t: {"scored_on": _today()}
    ),
    "api:recheck_report_decide": Route("POST", _report, _act(422), data=_decide),
    "api:recheck_report_follow_up": Route(
        "POST",
        _report,
        _act(422),
        data=lambda t: {
            "passed": "true",
            "followed_up_on": _today(),
            "comment": "整改到位",
            "document_title": "临文明办〔2026〕30号",
        },
    ),
    "api:recheck_report_confirm_missed": Route(
        "POST",
        _report,
        _act(422),
        data=lambda t: {"decided_on": _today(), "document_title": "临文明办〔2026〕20号"},
    ),
}

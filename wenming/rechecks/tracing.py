"""The 复查 models the trace captures, registered from `RechecksConfig.ready()`.

A 复查's settings (dates, the average rule, its closing) are traced on the 复查, owned by its
office; a report's changes (filed, scored, decided) are traced under the holder's unit and
show in the 复查's history panel too. The reports a 复查 opens with are made in bulk (the
opening itself is the 复查's creation). A report's own steps (`ReportEvent`) are its
timeline, not traced again.
"""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _recheck(recheck: Any) -> str:
    office = cached_relation(recheck, "office")
    return f"{office.name if office is not None else '文明办'} {recheck.title}"


def _report(report: Any) -> str:
    entry = cached_relation(report, "entry")
    unit = cached_relation(entry, "unit") if entry is not None else None
    recheck = cached_relation(report, "recheck")
    year = f"{recheck.year}年度" if recheck is not None else ""
    return f"{unit if unit is not None else '名录单位'} {year}复查自查报告"


def register_with_trace() -> None:
    from wenming.rechecks import access
    from wenming.rechecks.models import Recheck, RecheckReport
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(
        Recheck,
        kind="recheck",
        unit="office",
        ignore={"office", "result_document"},
        describe=_recheck,
    )
    register(
        RecheckReport,
        kind="recheck_report",
        unit="entry.unit",
        parent=("recheck", "recheck"),
        ignore={"recheck", "honour", "entry", "honour_event", "field_round"},
        describe=_report,
    )
    register_history("recheck", access.get_recheck_for_user)
    register_history("recheck_report", access.get_report_for_user)

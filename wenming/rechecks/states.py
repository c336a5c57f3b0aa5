"""What a report's state means, and the states a 复查's table shows and counts.

A report is 待提交 (pending: not yet filed, or returned by the office for changes and not
filed again — 退回修改 is shown apart too), 逾期未报 (missed: never filed, past the
deadline), 已提交 (submitted), or decided with one of the decisions. The screens, the API and
the office's home queues filter and count with these same definitions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wenming.rechecks import access
from wenming.rechecks.models import Decision, RecheckReport, ReportStatus


def _today() -> datetime.date:
    return timezone.localdate()


def is_returned(report: RecheckReport) -> bool:
    """Sent back by the office: pending again, with its first submission kept."""
    return report.status == ReportStatus.PENDING and report.submitted_at is not None


def is_missed(report: RecheckReport, today: datetime.date | None = None) -> bool:
    """Never filed and still pending after the deadline: 逾期未报."""
    day = today or _today()
    return (
        report.status == ReportStatus.PENDING
        and report.submitted_at is None
        and day > report.recheck.due_on
    )


def status_label(report: RecheckReport, today: datetime.date | None = None) -> str:
    """What the table shows: 待提交, 退回修改, 逾期未报, 已提交, or the decision."""
    if report.status == ReportStatus.DECIDED:
        return report.get_decision_display()
    if is_missed(report, today):
        return "逾期未报"
    if is_returned(report):
        return "退回修改"
    return report.get_status_display()


def awaits_follow_up(report: RecheckReport) -> bool:
    return report.decision == Decision.RECTIFY and report.follow_up_passed is None


def can_redecide(report: RecheckReport) -> bool:
    """A 限期整改 whose follow-up failed waits for the office's new decision."""
    return report.decision == Decision.RECTIFY and report.follow_up_passed is False


def can_decide(report: RecheckReport) -> bool:
    filed = report.status != ReportStatus.DECIDED and report.submitted_at is not None
    return filed or (report.status == ReportStatus.DECIDED and can_redecide(report))


def state_filters(today: datetime.date) -> dict[str, Q]:
    """Each state the table shows, as a filter on reports (with their 复查)."""
    pending = Q(status=ReportStatus.PENDING)
    unfiled = Q(submitted_at__isnull=True)
    late = Q(recheck__due_on__lt=today)
    filters = {
        "pending": pending & ~(unfiled & late),
        "returned": pending & ~unfiled,
        "missed": pending & unfiled & late,
        "submitted": Q(status=ReportStatus.SUBMITTED),
    }
    for d in Decision:
        filters[d.value] = Q(status=ReportStatus.DECIDED, decision=d.value)
    return filters


STATE_LABELS = {
    "pending": "待提交",
    "returned": "退回修改",
    "missed": "逾期未报",
    "submitted": "已提交",
    **{d.value: d.label for d in Decision},
}


def state_counts(reports: QuerySet[RecheckReport]) -> list[dict[str, Any]]:
    """The number of reports in each state: one query."""
    filters = state_filters(timezone.localdate())
    row = reports.aggregate(**{key: Count("pk", filter=q) for key, q in filters.items()})
    return [{"value": k, "label": STATE_LABELS[k], "count": row[k] or 0} for k in filters]


def queue_counts(user: Any) -> dict[str, int]:
    """For the office's home: reports in the open 复查 the user manages — `due` (pending, not
    yet missed; returned ones included), `missed` (逾期未报), `to_review` (submitted).
    One query; none for a user who manages no 复查."""
    counts = {"due": 0, "missed": 0, "to_review": 0}
    if not access.manages_any_recheck(user):
        return counts
    rechecks = access.managed_rechecks(user).filter(closed_on__isnull=True)
    filters = state_filters(_today())
    row = RecheckReport.objects.filter(recheck__in=rechecks).aggregate(
        due=Count("pk", filter=filters["pending"]),
        missed=Count("pk", filter=filters["missed"]),
        to_review=Count("pk", filter=filters["submitted"]),
    )
    return {key: int(row[key] or 0) for key in counts}

"""The figures of a bulletin (通报, R7): per department of the unit, what fell due in the
period and what was done on time, worked out "as of" the period's end (or today while the
period is still running).

- tasks (`measures.tasks_due`): due in the period, and overdue as of its end; a task is on
  time when completed no later than its deadline;
- weekly reports (`measures.reports_submitted`): one per Monday of the period;
- problems (`measures.problems_due`, `measures.problems_found`): found, due, closed on time,
  overdue.

The result is JSON-ready: the draft's wording is written from it (`services.draft_texts`)
and the bulletin keeps it as it was (`Bulletin.facts`).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.core.docx import cn_date
from wenming.orgs.models import Organization
from wenming.oversight.assessment import measures
from wenming.oversight.models import ProblemStatus
from wenming.tasks.reports.services import ONE_WEEK, week_monday

# --- periods -------------------------------------------------------------------------------


def last_month(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month before `today`: the usual bulletin period."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def month_last_day(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _whole_month(start: datetime.date, end: datetime.date) -> bool:
    return (
        start.day == 1
        and start.year == end.year
        and start.month == end.month
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "2026年10月", or "2026年10月8日至11月7日"."""
    if _whole_month(start, end):
        return f"{start.year}年{start.month}月"
    tail = f"{end.month}月{end.day}日" if end.year == start.year else cn_date(end)
    return f"{cn_date(start)}至{tail}"


def month_day(value: datetime.date) -> str:
    """ "10月12日"."""
    return f"{value.month}月{value.day}日"


def report_weeks(period: measures.Period, campaign: Campaign) -> list[datetime.date]:
    """Weeks a report was due: Mondays in the period, inside the cycle; while the period
    runs, only weeks that are over."""
    start, end, today = period.start, period.end, period.today
    day = week_monday(start)
    if day < start:
        day += ONE_WEEK
    found = []
    while day <= end and (end < today or day + datetime.timedelta(days=6) < today):
        if campaign.cycle_start <= day + datetime.timedelta(days=6) and day <= campaign.cycle_end:
            found.append(day)
        day += ONE_WEEK
    return found


# --- the figures ----------------------------------------------------------------------------


def _department_row(
    dept: Organization,
    tasks: measures.TasksDue,
    sent: Iterable[datetime.date],
    weeks: list[datetime.date],
    problems: measures.ProblemsDue,
) -> dict[str, Any]:
    done = set(sent)
    row: dict[str, Any] = {
        "id": dept.pk,
        "name": dept.name,
        "tasks_due": tasks.due,
        "tasks_on_time": tasks.on_time,
        "tasks_late": tasks.late,
        "tasks_overdue": tasks.overdue,
        "reports_expected": len(weeks),
        "reports_submitted": len(done),
        "reports_missing": [w.isoformat() for w in weeks if w not in done],
        "problems_found": problems.found,
        "problems_due": problems.due,
        "problems_closed_on_time": problems.closed_on_time,
        "problems_overdue": problems.overdue,
    }
    faults = _faults(row)
    row["criticism"] = faults
    # A department with nothing due is not praised: there was nothing to do well.
    row["praise"] = (
        not faults
        and row["tasks_on_time"] == row["tasks_due"]
        and row["tasks_due"] + row["problems_due"] > 0
    )
    return row


def bulletin_facts(campaign: Campaign, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The figures of a bulletin, JSON-ready, in five queries whatever the unit's size."""
    period = measures.Period(start, end, timezone.localdate())
    departments = list(campaign.unit.active_departments())
    ids = [d.pk for d in departments]
    weeks = report_weeks(period, campaign)
    tasks = measures.tasks_due(campaign, ids, period)
    reports = measures.reports_submitted(campaign, ids, weeks)
    problems = measures.problems_due(campaign, ids, period)
    listed = measures.problems_found(campaign, period)
    rows = [
        _department_row(
            d,
            tasks.get(d.pk, measures.TasksDue()),
            reports.get(d.pk, {}),
            weeks,
            problems.get(d.pk, measures.ProblemsDue()),
        )
        for d in departments
    ]
    return {
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "as_of": period.as_of.isoformat(),
        },
        "weeks": [w.isoformat() for w in weeks],
        "departments": rows,
        "praise": [r["name"] for r in rows if r["praise"]],
        "criticism": [
            {"department": r["name"], "text": r["criticism"]} for r in rows if r["criticism"]
        ],
        "problems": listed,
        "totals": {
            "tasks_due": sum(r["tasks_due"] for r in rows),
            "tasks_on_time": sum(r["tasks_on_time"] for r in rows),
            "tasks_overdue": sum(len(r["tasks_overdue"]) for r in rows),
            "reports_expected": len(weeks) * len(rows),
            "reports_submitted": sum(r["reports_submitted"] for r in rows),
            "problems_found": len(listed),
            "problems_closed": sum(1 for p in listed if p["status"] == ProblemStatus.CLOSED),
            "problems_overdue": sum(len(r["problems_overdue"]) for r in rows),
        },
    }


def _titles(items: Iterable[dict[str, Any]], limit: int = 3) -> str:
    names = [f"“{i['title']}”" for i in items]
    more = "等" if len(names) > limit else ""
    return "、".join(names[:limit]) + more


def _faults(row: dict[str, Any]) -> str:
    """ "逾期未完成任务2项（“…”、“…”）、未报送周报1次（10月12日当周）、逾期未整改问题1个（DC-2026-003）"."""
    parts = []
    if row["tasks_overdue"]:
        parts.append(
            f"逾期未完成任务{len(row['tasks_overdue'])}项（{_titles(row['tasks_overdue'])}）"
        )
    if row["tasks_late"]:
        parts.append(f"逾期完成任务{len(row['tasks_late'])}项（{_titles(row['tasks_late'])}）")
    missing = row["reports_missing"]
    if missing and len(missing) == row["reports_expected"] and len(missing) > 1:
        parts.append(f"未报送周报{len(missing)}次（本期均未报送）")
    elif missing:
        weeks = "、".join(month_day(datetime.date.fromisoformat(w)) for w in missing)
        parts.append(f"未报送周报{len(missing)}次（{weeks}当周）")
    if row["problems_overdue"]:
        numbers = "、".join(p["number"] for p in row["problems_overdue"])
        parts.append(f"逾期未整改问题{len(row['problems_overdue'])}个（{numbers}）")
    return "、".join(parts)

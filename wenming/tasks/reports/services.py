"""Weekly progress reports (每周报送), the office's roll-up (每周汇总) and the monthly sheet.

Writes are `report_save_draft`, `report_submit` and `report_reopen`; the roll-up and the
monthly sheet are read-only summaries computed in a bounded number of queries.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Membership, Organization, Role
from wenming.tasks.models import (
    ReportStatus,
    Task,
    TaskQuerySet,
    TaskStatus,
    WeeklyReport,
    WeeklyReportLine,
    overdue_q,
    status_for_progress,
)
from wenming.tasks.services import proven_task_ids

ONE_WEEK = datetime.timedelta(days=7)


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def current_week() -> datetime.date:
    return week_monday(timezone.localdate())


def parse_week(value: str | None) -> datetime.date:
    """The Monday of the week named by `value` (any day of it); this week when unreadable."""
    try:
        return week_monday(datetime.date.fromisoformat(value or ""))
    except ValueError:
        return current_week()


def parse_month(value: str | None) -> datetime.date:
    """The first day of the month `YYYY-MM`; this month when unreadable."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def counted_tasks(campaign: Campaign) -> TaskQuerySet:
    """The campaign's tasks that count (`TaskQuerySet.counted()`: no drafts, none in the bin)."""
    return Task.objects.counted().filter(campaign=campaign)


def campaign_departments(campaign: Campaign) -> list[Organization]:
    return list(campaign.unit.active_departments())


def department_open_tasks(*, campaign: Campaign, department: Organization) -> QuerySet[Task]:
    """The tasks a department reports on each week: those it leads that are not done yet."""
    return (
        counted_tasks(campaign)
        .filter(lead_department=department)
        .exclude(status=TaskStatus.DONE)
        .select_related("responsible")
        .order_by("deadline", "id")
    )


# --- weekly report -----------------------------------------------------------------------


@dataclass
class LineInput:
    task_id: int
    progress: int
    note: str = ""


@dataclass
class ReportInput:
    done_this_week: str = ""
    problems: str = ""
    next_week: str = ""
    lines: list[LineInput] = field(default_factory=list)


def _check_report(
    *, campaign: Campaign, department: Organization, week_start: datetime.date, data: ReportInput
) -> dict[int, Task]:
    errors: list[str] = []
    if not Organization.objects.departments_of(campaign.unit).filter(pk=department.pk).exists():
        raise ValidationError(
            f"“{department.name}”不是{campaign.unit.name}的部门，不能为其填报周报。"
        )
    if week_start.weekday() != 0:
        raise ValidationError("周报的日期应为该周的星期一。")
    if week_start > current_week():
        raise ValidationError(
            f"{week_start.year}年{week_start.month}月{week_start.day}日这一周还没有到，不能提前填报；请填报本周或以前的周报。"
        )
    tasks = {
        t.pk: t
        for t in counted_tasks(campaign).filter(
            lead_department=department, pk__in=[line.task_id for line in data.lines]
        )
    }
    for line in data.lines:
        task = tasks.get(line.task_id)
        if task is None:
            errors.append(
                f"任务（编号{line.task_id}）不是{department.name}牵头的任务，不能在此报告。"
            )
            continue
        if not 0 <= line.progress <= 100:
            errors.append(f"“{task.title}”的进度应在0到100之间，现在是{line.progress}。")
    if errors:
        raise ValidationError(errors)
    return tasks


def _report_write(
    *,
    campaign: Campaign,
    department: Organization,
    week_start: datetime.date,
    data: ReportInput,
    user: User,
) -> tuple[WeeklyReport, dict[int, Task]]:
    tasks = _check_report(
        campaign=campaign, department=department, week_start=week_start, data=data
    )
    report, _ = WeeklyReport.objects.select_for_update().get_or_create(
        campaign=campaign, department=department, week_start=week_start
    )
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError("这份周报已经报送，不能再修改；如需更正，请联系创建办退回。")
    report.done_this_week = data.done_this_week
    report.problems = data.problems
    report.next_week = data.next_week
    report.save(update_fields=["done_this_week", "problems", "next_week", "updated_at"])
    existing = {line.task_id: line for line in report.lines.all()}
    new_lines, changed = [], []
    for item in data.lines:
        line = existing.get(item.task_id)
        if line is None:
            new_lines.append(
                WeeklyReportLine(
                    report=report, task_id=item.task_id, progress=item.progress, note=item.note
                )
            )
        elif (line.progress, line.note) != (item.progress, item.note):
            line.progress, line.note = item.progress, item.note
            changed.append(line)
    WeeklyReportLine.objects.bulk_create(new_lines)
    WeeklyReportLine.objects.bulk_update(changed, ["progress", "note"])
    return report, tasks


def report_save_draft(
    *,
    campaign: Campaign,
    department: Organization,
    week_start: datetime.date,
    data: ReportInput,
    user: User,
) -> WeeklyReport:
    """Keep what was typed so far; tasks are not touched until the report is submitted."""
    with transaction.atomic():
        report, _ = _report_write(
            campaign=campaign, department=department, week_start=week_start, data=data, user=user
        )
    return report


def report_submit(
    *,
    campaign: Campaign,
    department: Organization,
    week_start: datetime.date,
    data: ReportInput,
    user: User,
) -> WeeklyReport:
    """Submit the week's report and carry each line's progress and note onto its task.

    A late report for an earlier week is kept as written but does not move the tasks when
    the department has already submitted a later week: that later progress is newer.
    """
    now = timezone.now()
    # All the trace entries of the submission (one per task moved) go in one INSERT.
    with transaction.atomic(), trace.batched():
        report, tasks = _report_write(
            campaign=campaign, department=department, week_start=week_start, data=data, user=user
        )
        superseded = WeeklyReport.objects.filter(
            campaign=campaign,
            department=department,
            week_start__gt=week_start,
            status=ReportStatus.SUBMITTED,
        ).exists()
        updated = []
        lines = [] if superseded else data.lines
        # At 100 % a task is 已完成 only with its proof in; the department's report still says
        # 100 % (docs/tasks.md, "Proven, not just reported").
        proven = proven_task_ids(campaign, [tasks[i.task_id] for i in lines if i.progress >= 100])
        for item in lines:
            task = tasks[item.task_id]
            status = status_for_progress(item.progress, task.pk in proven)
            values = {
                "progress": item.progress,
                "status": status,
                "completed_at": (task.completed_at or now) if status == TaskStatus.DONE else None,
                "progress_note": item.note.strip() or task.progress_note,
            }
            trace.record_update(task, **values)
            for name, value in values.items():
                setattr(task, name, value)
            task.updated_at = now
            updated.append(task)
        Task.objects.bulk_update(
            updated, ["progress", "status", "completed_at", "progress_note", "updated_at"]
        )
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = user
        report.submitted_at = now
        report.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    return report


def report_reopen(*, report: WeeklyReport, user: User) -> WeeklyReport:
    """The office sends a submitted report back to its department for correction."""
    with transaction.atomic():
        report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError("这份周报尚未报送，无需退回。")
        report.status = ReportStatus.DRAFT
        report.reopened_by = user
        report.reopened_at = timezone.now()
        report.save(update_fields=["status", "reopened_by", "reopened_at", "updated_at"])
    return report


# --- roll-up and monthly sheet -----------------------------------------------------------


@dataclass
class Contact:
    name: str
    phone: str
    email: str = ""


@dataclass
class RollupRow:
    department: Organization
    led: int = 0
    due_this_week: int = 0
    done_this_week: int = 0
    # At 100 % but not proven yet (待佐证): reported done, not counted as done.
    unproven: int = 0
    overdue: int = 0
    report: WeeklyReport | None = None
    heads: list[Contact] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.SUBMITTED


@dataclass
class Rollup:
    campaign: Campaign
    week_start: datetime.date
    rows: list[RollupRow]
    total: RollupRow

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=6)

    @property
    def missing(self) -> list[RollupRow]:
        return [r for r in self.rows if not r.submitted]

    @property
    def submitted_count(self) -> int:
        return len(self.rows) - len(self.missing)


def _heads(departments: list[Organization]) -> dict[int, list[Contact]]:
    heads: dict[int, list[Contact]] = {}
    for m in (
        Membership.objects.filter(organization__in=departments, role=Role.DEPT_HEAD, is_active=True)
        .select_related("user")
        .order_by("id")
    ):
        heads.setdefault(m.organization_id, []).append(
            Contact(m.user.get_full_name() or m.user.username, m.phone, m.user.email)
        )
    return heads


def rollup_build(*, campaign: Campaign, week_start: datetime.date) -> Rollup:
    today = timezone.localdate()
    week_end = week_start + datetime.timedelta(days=6)
    departments = campaign_departments(campaign)
    counts = {
        row["lead_department"]: row
        for row in counted_tasks(campaign)
        .filter(lead_department__isnull=False)
        .values("lead_department")
        .annotate(
            led=Count("id"),
            due=Count("id", filter=Q(deadline__range=(week_start, week_end))),
            done=Count(
                "id",
                filter=Q(
                    status=TaskStatus.DONE,
                    completed_at__gte=_day_start(week_start),
                    completed_at__lt=_day_start(week_start + ONE_WEEK),
                ),
            ),
            unproven=Count("id", filter=Q(status=TaskStatus.UNPROVEN)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by()
    }
    reports = {
        r.department_id: r
        for r in WeeklyReport.objects.filter(campaign=campaign, week_start=week_start)
    }
    heads = _heads(departments)
    rows = []
    total = RollupRow(department=Organization(name="合计"))
    for d in departments:
        c = counts.get(d.pk, {})
        row = RollupRow(
            department=d,
            led=c.get("led", 0),
            due_this_week=c.get("due", 0),
            done_this_week=c.get("done", 0),
            unproven=c.get("unproven", 0),
            overdue=c.get("overdue", 0),
            report=reports.get(d.pk),
            heads=heads.get(d.pk, []),
        )
        rows.append(row)
        total.led += row.led
        total.due_this_week += row.due_this_week
        total.done_this_week += row.done_this_week
        total.unproven += row.unproven
        total.overdue += row.overdue
    return Rollup(campaign=campaign, week_start=week_start, rows=rows, total=total)


@dataclass
class OverdueTask:
    task: Task
    days_overdue: int


@dataclass
class DepartmentMonth:
    department: Organization
    led: int
    done: int
    overdue: int
    weeks: int
    reported: int

    @property
    def missing_reports(self) -> int:
        return self.weeks - self.reported

    @property
    def completion_rate(self) -> float | None:
        return None if not self.led else round(100 * self.done / self.led, 1)


@dataclass
class Monthly:
    campaign: Campaign
    month: datetime.date
    as_of: datetime.date
    overdue: list[OverdueTask]
    due_next_month: list[Task]
    departments: list[DepartmentMonth]
    # The lists may be cut to `limit` rows for a page; these count them all.
    overdue_total: int = 0
    due_next_total: int = 0

    @property
    def laggards(self) -> list[DepartmentMonth]:
        lagging = [d for d in self.departments if d.overdue or d.missing_reports]
        return sorted(lagging, key=lambda d: (-d.overdue, -d.missing_reports, d.department.name))

    @property
    def next_month(self) -> datetime.date:
        return add_months(self.month, 1)


def add_months(first: datetime.date, n: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def monthly_build(*, campaign: Campaign, month: datetime.date, limit: int | None = None) -> Monthly:
    """The 月例会 sheet: overdue as of the month's end (or today, for the current month).

    `limit` cuts the two task lists (oldest deadline first) for a page; the Excel sheet
    takes them whole.
    """
    today = timezone.localdate()
    last = month_end(month)
    as_of = min(today, last)
    tasks = counted_tasks(campaign).select_related("lead_department", "responsible")
    overdue_qs = tasks.overdue(as_of).order_by("deadline", "id")
    overdue = [
        OverdueTask(task=t, days_overdue=(as_of - t.deadline).days)
        for t in (overdue_qs[:limit] if limit else overdue_qs)
        if t.deadline is not None
    ]
    following = add_months(month, 1)
    due_next_qs = (
        tasks.filter(deadline__range=(following, month_end(following)))
        .exclude(status=TaskStatus.DONE)
        .order_by("deadline", "id")
    )
    due_next = list(due_next_qs[:limit] if limit else due_next_qs)
    departments = campaign_departments(campaign)
    counts = {
        row["lead_department"]: row
        for row in counted_tasks(campaign)
        .filter(lead_department__isnull=False)
        .values("lead_department")
        .annotate(
            led=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(as_of)),
        )
        .order_by()
    }
    # Weeks that count: Mondays in the month, within the cycle, not after this week.
    mondays = []
    day = week_monday(month)
    if day < month:
        day += ONE_WEEK
    while day <= last and day <= current_week():
        if campaign.cycle_start <= day + datetime.timedelta(days=6) and day <= campaign.cycle_end:
            mondays.append(day)
        day += ONE_WEEK
    reported = {
        row["department"]: row["n"]
        for row in WeeklyReport.objects.filter(
            campaign=campaign, week_start__in=mondays, status=ReportStatus.SUBMITTED
        )
        .values("department")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows = [
        DepartmentMonth(
            department=d,
            led=counts.get(d.pk, {}).get("led", 0),
            done=counts.get(d.pk, {}).get("done", 0),
            overdue=counts.get(d.pk, {}).get("overdue", 0),
            weeks=len(mondays),
            reported=reported.get(d.pk, 0),
        )
        for d in departments
    ]
    return Monthly(
        campaign=campaign,
        month=month,
        as_of=as_of,
        overdue=overdue,
        due_next_month=due_next,
        departments=rows,
        overdue_total=overdue_qs.count() if limit else len(overdue),
        due_next_total=due_next_qs.count() if limit else len(due_next),
    )

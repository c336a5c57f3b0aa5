"""Per-department measures of a campaign: each one grouped query, whatever the number of
departments.

Every function takes the campaign, the departments (their ids) and the date or the period it
judges, and returns `{department_id: value}`; a department with nothing to count is absent
(callers take the empty value). Which rows count is defined once on the models' QuerySets
(`Task.objects.counted()`, `EvidenceItem.objects.live()`, `Problem.objects.live()`,
`problem_open_q`, `problem_overdue_q`); what each measure judges (on time, first pass, ...)
is written here, once, and shared by

- the department assessment (`wenming.oversight.assessment.ranking`): a calendar year;
- the bulletins (`wenming.oversight.bulletins.facts`): a period, as it stood at its end;
- the cockpit's department ranking (`wenming.dashboards.services.department_ranking`): the
  assessment of the current year, with the whole campaign's figures beside it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.oversight.models import (
    Accountability,
    Commendation,
    Problem,
    ProblemStatus,
    problem_open_q,
    problem_overdue_q,
)
from wenming.tasks.models import ReportStatus, Task, TaskPart, TaskStatus, WeeklyReport, counted_q
from wenming.tasks.models import overdue_q as task_overdue_q

Departments = Collection[int]
DONE = Q(status=TaskStatus.DONE)
# A rectification sent by the deadline: what came after (the verification) is not the
# department's delay.
SUBMITTED_IN_TIME = Q(rectified_at__isnull=False, rectified_at__date__lte=F("deadline"))


@dataclass
class Tally:
    """How many were judged, and how many of them were good (on time, passed first...)."""

    counted: int = 0
    good: int = 0


def _tallies(rows: Any) -> dict[int, Tally]:
    return {r["department_id"]: Tally(r["counted"], r["good"]) for r in rows}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _local_day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value is not None else None


# --- the whole campaign, today (the cockpit) ---------------------------------------------


@dataclass
class TaskProgress:
    total: int = 0
    done: int = 0
    overdue: int = 0


def task_progress(
    campaign: Campaign, departments: Departments, today: datetime.date
) -> dict[int, TaskProgress]:
    """The counted tasks each department leads: all, done, and overdue today."""
    rows = (
        Task.objects.counted()
        .filter(campaign=campaign, lead_department_id__in=departments)
        .order_by()
        .values(department_id=F("lead_department_id"))
        .annotate(
            total=Count("id"),
            done=Count("id", filter=DONE),
            overdue=Count("id", filter=task_overdue_q(today)),
        )
    )
    return {r["department_id"]: TaskProgress(r["total"], r["done"], r["overdue"]) for r in rows}


def evidence_approved(campaign: Campaign, departments: Departments) -> dict[int, Tally]:
    """The live evidence items each department filed (counted) and those approved (good)."""
    return _tallies(
        EvidenceItem.objects.live()
        .filter(campaign=campaign, department_id__in=departments)
        .order_by()
        .values("department_id")
        .annotate(counted=Count("id"), good=Count("id", filter=Q(status=ItemStatus.APPROVED)))
    )


@dataclass
class ProblemCounts:
    total: int = 0
    open: int = 0
    overdue: int = 0


def problem_counts(
    campaign: Campaign, departments: Departments, today: datetime.date
) -> dict[int, ProblemCounts]:
    """The live problems each department is responsible for: all, open, overdue today."""
    rows = (
        Problem.objects.live()
        .filter(campaign=campaign, department_id__in=departments)
        .order_by()
        .values("department_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=problem_open_q()),
            overdue=Count("id", filter=problem_overdue_q(today)),
        )
    )
    return {r["department_id"]: ProblemCounts(r["total"], r["open"], r["overdue"]) for r in rows}


# --- a calendar year (the department assessment) -----------------------------------------


def tasks_on_time(
    campaign: Campaign, departments: Departments, *, year: int, today: datetime.date
) -> dict[int, Tally]:
    """Counted tasks each department leads, due in `year`: judged once done or past the
    deadline (a task not yet due and not done does not count yet); good when done by the
    deadline (done without a recorded time, in older data: on time)."""
    in_time = DONE & (Q(completed_at__isnull=True) | Q(completed_at__date__lte=F("deadline")))
    found = _tallies(
        Task.objects.counted()
        .filter(campaign=campaign, lead_department_id__in=departments, deadline__year=year)
        .filter(DONE | Q(deadline__lt=today))
        .order_by()
        .values(department_id=F("lead_department_id"))
        .annotate(counted=Count("id"), good=Count("id", filter=in_time))
    )
    for dept_id, part in parts_on_time(campaign, departments, year=year, today=today).items():
        tally = found.setdefault(dept_id, Tally())
        tally.counted += part.counted
        tally.good += part.good
    return found


def parts_on_time(
    campaign: Campaign, departments: Departments, *, year: int, today: datetime.date
) -> dict[int, Tally]:
    """A co-operating department's parts (`TaskPart`) of counted tasks due in `year`, judged
    like the tasks it leads: once its part is complete or the task is past its deadline; good
    when its part was complete by the task's deadline. Their work counts for them."""
    done = Q(completed_at__isnull=False)
    return _tallies(
        TaskPart.objects.filter(counted_q("task__"), department_id__in=departments)
        .filter(task__campaign=campaign, task__deadline__year=year)
        .filter(done | Q(task__deadline__lt=today))
        .order_by()
        .values("department_id")
        .annotate(
            counted=Count("id"),
            good=Count("id", filter=done & Q(completed_at__date__lte=F("task__deadline"))),
        )
    )


def evidence_first_pass(
    campaign: Campaign, departments: Departments, *, year: int
) -> dict[int, Tally]:
    """Live evidence items each department filed that were reviewed in `year` (approved or
    returned); good when approved without ever being returned."""
    return _tallies(
        EvidenceItem.objects.live()
        .filter(
            campaign=campaign,
            department_id__in=departments,
            status__in=[ItemStatus.APPROVED, ItemStatus.RETURNED],
            reviewed_at__year=year,
        )
        .order_by()
        .values("department_id")
        .annotate(
            counted=Count("id"),
            good=Count("id", filter=Q(status=ItemStatus.APPROVED, return_count=0)),
        )
    )


@dataclass
class ProblemTally(Tally):
    overdue: int = 0


def problems_on_time(
    campaign: Campaign, departments: Departments, *, year: int, today: datetime.date
) -> dict[int, ProblemTally]:
    """Live problems each department is responsible for, due in `year`: judged once closed,
    past the deadline, or sent for verification in time; good when closed by the deadline
    or sent by it. `overdue`: every live problem overdue at the end of `year` (or today)."""
    as_of = min(today, datetime.date(year, 12, 31))
    closed = ~problem_open_q()
    judged = closed | Q(deadline__lt=today) | (Q(status=ProblemStatus.AWAITING) & SUBMITTED_IN_TIME)
    good = (closed & Q(closed_at__date__lte=F("deadline"))) | (
        Q(status__in=[ProblemStatus.CLOSED, ProblemStatus.AWAITING]) & SUBMITTED_IN_TIME
    )
    due = Q(deadline__year=year)
    rows = (
        Problem.objects.live()
        .filter(campaign=campaign, department_id__in=departments)
        .order_by()
        .values("department_id")
        .annotate(
            counted=Count("id", filter=due & judged),
            good=Count("id", filter=due & good),
            overdue=Count("id", filter=problem_overdue_q(as_of)),
        )
    )
    return {r["department_id"]: ProblemTally(r["counted"], r["good"], r["overdue"]) for r in rows}


def accountabilities(
    campaign: Campaign, departments: Departments, *, year: int
) -> dict[int, list[Accountability]]:
    """The accountability records (追责) in force against each department, decided in `year`
    (those naming a person too: `person_user` says whom)."""
    found: dict[int, list[Accountability]] = defaultdict(list)
    for record in (
        Accountability.objects.live()
        .filter(campaign=campaign, decided_on__year=year, department_id__in=departments)
        .order_by("decided_on", "id")
    ):
        found[record.department_id].append(record)
    return dict(found)


def commendations(campaign: Campaign, *, year: int) -> list[Commendation]:
    """The commendations (表彰奖励) in force, decided in `year`, departments' and people's."""
    return list(
        Commendation.objects.live()
        .filter(campaign=campaign, decided_on__year=year)
        .select_related("department", "person")
        .order_by("decided_on", "id")
    )


# --- weekly reports (both) -----------------------------------------------------------------


def reports_submitted(
    campaign: Campaign, departments: Departments, weeks: Sequence[datetime.date]
) -> dict[int, dict[datetime.date, datetime.datetime | None]]:
    """The weekly reports each department submitted for `weeks` (their Mondays): for each
    week, when it was submitted."""
    found: dict[int, dict[datetime.date, datetime.datetime | None]] = defaultdict(dict)
    for dept_id, week, at in (
        WeeklyReport.objects.filter(
            campaign=campaign,
            department_id__in=departments,
            status=ReportStatus.SUBMITTED,
            week_start__in=weeks,
        )
        .order_by()
        .values_list("department_id", "week_start", "submitted_at")
    ):
        found[dept_id][week] = at
    return dict(found)


# --- a period, as it stood at its end (the bulletins) -------------------------------------


@dataclass(frozen=True)
class Period:
    """A bulletin's period, judged as of its end, or as of today while it still runs."""

    start: datetime.date
    end: datetime.date
    today: datetime.date

    @property
    def as_of(self) -> datetime.date:
        return min(self.today, self.end)

    @property
    def after(self) -> datetime.datetime:
        """The first moment after `as_of`: what happened from then on had not happened yet."""
        return _day_start(self.as_of + datetime.timedelta(days=1))

    @property
    def due_by(self) -> datetime.date:
        """The last deadline that had passed: while the period runs, what falls due today or
        later is not due yet."""
        return self.end if self.end < self.today else self.today - datetime.timedelta(days=1)

    def found_q(self) -> Q:
        """Problems found in the period: on the inspection's day, or when recorded alone."""
        return Q(
            inspection__isnull=False, inspection__inspected_on__range=(self.start, self.end)
        ) | Q(
            inspection__isnull=True,
            created_at__gte=_day_start(self.start),
            created_at__lt=self.after,
        )

    def problem_overdue_q(self) -> Q:
        """Problems overdue as of the period's end, including those closed only later."""
        return problem_overdue_q(self.due_by + datetime.timedelta(days=1)) | (
            ~problem_open_q()
            & Q(deadline__lte=self.due_by, closed_at__gte=self.after)
            & ~SUBMITTED_IN_TIME
        )


def found_on(problem: Problem) -> datetime.date:
    """The day a problem was found: its inspection's, or the day it was recorded alone."""
    if problem.inspection is not None:
        return problem.inspection.inspected_on
    return timezone.localdate(problem.created_at)


@dataclass
class TasksDue:
    """A department's tasks in a period: those due in it (and how many done by then, the
    late ones) and those overdue as of its end (also from before the period)."""

    due: int = 0
    on_time: int = 0
    late: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)


def tasks_due(campaign: Campaign, departments: Departments, period: Period) -> dict[int, TasksDue]:
    """Counted tasks each department leads that fell due in the period, or earlier and were
    still not done as of its end. Done without a recorded time (older data): on time."""
    not_done_then = ~DONE | Q(completed_at__gte=period.after)
    tasks = (
        Task.objects.counted()
        .filter(campaign=campaign, lead_department_id__in=departments)
        .filter(deadline__lte=period.due_by)
        .filter(Q(deadline__gte=period.start) | not_done_then)
        .only("id", "title", "deadline", "status", "completed_at", "lead_department_id")
        .order_by("deadline", "id")
    )
    found: dict[int, TasksDue] = defaultdict(TasksDue)
    for task in tasks:
        row = found[task.lead_department_id]  # type: ignore[index]
        deadline = task.deadline
        assert deadline is not None
        done_on = None
        if task.status == TaskStatus.DONE:
            done_on = _local_day(task.completed_at) or deadline
        if done_on is not None and done_on > period.as_of:
            done_on = None
        brief = {"id": task.pk, "title": task.title, "deadline": deadline.isoformat()}
        if deadline >= period.start:
            row.due += 1
            if done_on is not None and done_on <= deadline:
                row.on_time += 1
            elif done_on is not None:
                row.late.append({**brief, "done_on": done_on.isoformat()})
        if done_on is None:
            row.overdue.append({**brief, "days": max(1, (period.as_of - deadline).days)})
    return dict(found)


@dataclass
class ProblemsDue:
    """A department's problems in a period: found in it, due in it (and how many closed on
    time as of its end), and overdue as of its end."""

    found: int = 0
    due: int = 0
    closed_on_time: int = 0
    overdue: list[dict[str, Any]] = field(default_factory=list)


def _with_overdue_then(qs: Any, period: Period) -> Any:
    return qs.annotate(
        overdue_then=Case(
            When(period.problem_overdue_q(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def problems_due(
    campaign: Campaign, departments: Departments, period: Period
) -> dict[int, ProblemsDue]:
    """Live problems of each department found or due in the period, or overdue at its end."""
    problems = (
        _with_overdue_then(
            Problem.objects.live()
            .filter(campaign=campaign, department_id__in=departments)
            .filter(
                period.found_q()
                | Q(deadline__range=(period.start, period.due_by))
                | period.problem_overdue_q()
            ),
            period,
        )
        .select_related("inspection")
        .order_by("year", "sequence")
    )
    found: dict[int, ProblemsDue] = defaultdict(ProblemsDue)
    for p in problems:
        row = found[p.department_id]
        closed_on = _local_day(p.closed_at)
        if period.start <= found_on(p) <= period.end:
            row.found += 1
        if period.start <= p.deadline <= period.due_by:
            row.due += 1
            rectified = _local_day(p.rectified_at)
            if (
                closed_on is not None
                and closed_on <= period.as_of
                and (closed_on <= p.deadline or (rectified and rectified <= p.deadline))
            ):
                row.closed_on_time += 1
        if p.overdue_then:
            row.overdue.append(
                {
                    "number": p.number,
                    "description": p.description,
                    "deadline": p.deadline.isoformat(),
                    "days": (period.as_of - p.deadline).days,
                }
            )
    return dict(found)


def problems_found(campaign: Campaign, period: Period) -> list[dict[str, Any]]:
    """The problem list of a bulletin: every live problem found in the period, whichever
    department it was given to, by number."""
    problems = (
        _with_overdue_then(
            Problem.objects.live().filter(campaign=campaign).filter(period.found_q()), period
        )
        .select_related("department", "inspection")
        .order_by("year", "sequence")
    )
    return [
        {
            "id": p.pk,
            "number": p.number,
            "description": p.description,
            "department": p.department.name,
            "found_on": found_on(p).isoformat(),
            "deadline": p.deadline.isoformat(),
            "status": p.status,
            "status_label": p.get_status_display(),
            "overdue": bool(p.overdue_then),
        }
        for p in problems
    ]

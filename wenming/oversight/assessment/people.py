"""People in the yearly assessment (个人评优资格, R8): each person's record and eligibility.

The people are those holding an active post in one of the unit's active departments (a
person in several is shown under the first, in the departments' order) who have anything
to assess in the year. Per person, for one calendar year (the rule is `AssessmentRule`'s,
the one the departments are judged by; documented in `docs/oversight.md`, "个人评优资格"):

- 任务按时完成: their sub-tasks (`SubTask.assignee`; due on their own deadline, or the
  task's) and the counted tasks they are responsible for (`Task.responsible`), due in the
  year; judged once done or past the deadline, good when done by it.
- 台账退回: the times evidence they filed (`EvidenceItem.created_by`) was returned for
  rework in the year (`EvidenceEvent` "退回修改"), beside how many of theirs were reviewed.
- 逾期未整改问题: the live problems overdue at the end of the year (or today) that they own.
  A problem names no responsible person, only a department: its owner is the person who
  submitted its rectification (`rectified_by`), else the one who took it on (the latest
  "开始整改" event), else, while nobody has, the department's heads (部门负责人).
- 追责记录: live accountability records naming them (`Accountability.person_user`).

Eligibility is lost by an accountability record in the year, or by more late tasks, more
returns, or more overdue problems than the rule's limit (`max_overdue_problems`, the same
limit the departments' overdue problems have). Commendations (表彰奖励) are shown beside.
A fixed number of grouped queries, whatever the number of people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.ledger.models import EventKind, EvidenceEvent, EvidenceItem, ItemStatus
from wenming.orgs.models import Membership, Organization, Role
from wenming.oversight.assessment import measures
from wenming.oversight.assessment.services import rule_for
from wenming.oversight.models import (
    Accountability,
    AssessmentRule,
    Commendation,
    EventAction,
    Problem,
    ProblemEvent,
    problem_overdue_q,
)
from wenming.tasks.models import SubTask, Task, TaskStatus

HUNDRED = Decimal("100")
DONE = Q(status=TaskStatus.DONE)


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


def recipient(record: Commendation) -> str:
    """Whom a commendation honours: the person (with their department), or the department."""
    if record.person is not None:
        return (
            f"{person_name(record.person)}（{record.department}）"
            if record.department
            else person_name(record.person)
        )
    return str(record.department)


@dataclass
class PersonScore:
    user: User
    department: Organization
    role: str
    tasks: measures.Tally = field(default_factory=measures.Tally)
    evidence: measures.Tally = field(default_factory=measures.Tally)  # reviewed, first pass
    returns: int = 0
    overdue_problems: int = 0
    accountabilities: list[Accountability] = field(default_factory=list)
    commendations: list[Commendation] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def name(self) -> str:
        return person_name(self.user)

    @property
    def late(self) -> int:
        return self.tasks.counted - self.tasks.good

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.tasks.counted:
            return None
        rate = Decimal(self.tasks.good) * HUNDRED / Decimal(self.tasks.counted)
        return rate.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def assessed(self) -> bool:
        """Anything to assess: work judged, evidence reviewed, a problem, a record."""
        return bool(
            self.tasks.counted
            or self.evidence.counted
            or self.returns
            or self.overdue_problems
            or self.accountabilities
            or self.commendations
        )


# --- what counts for a person: each defined once, read grouped (the table) or listed (the
# person's page) -------------------------------------------------------------------------


def _as_of(year: int, today: datetime.date) -> datetime.date:
    return min(today, datetime.date(year, 12, 31))


SUBTASK_IN_TIME = DONE & (Q(completed_at__isnull=True) | Q(completed_at__date__lte=F("due")))
TASK_IN_TIME = DONE & (Q(completed_at__isnull=True) | Q(completed_at__date__lte=F("deadline")))


def subtasks_judged(campaign: Campaign, *, year: int, today: datetime.date) -> QuerySet[SubTask]:
    """Live sub-tasks of counted tasks, due in `year` (`due`: their deadline, or the task's),
    judged once done or past due; on time: `SUBTASK_IN_TIME`."""
    return (
        SubTask.objects.live()
        .filter(task__campaign=campaign, task__deleted_at__isnull=True, task__is_draft=False)
        .annotate(due=Coalesce("deadline", "task__deadline"))
        .filter(due__year=year)
        .filter(DONE | Q(due__lt=today))
    )


def tasks_judged(campaign: Campaign, *, year: int, today: datetime.date) -> QuerySet[Task]:
    """Counted tasks with a responsible person, due in `year`, judged as the departments'."""
    return (
        Task.objects.counted()
        .filter(campaign=campaign, responsible__isnull=False, deadline__year=year)
        .filter(DONE | Q(deadline__lt=today))
    )


def evidence_reviewed(campaign: Campaign, *, year: int) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.live().filter(
        campaign=campaign,
        created_by__isnull=False,
        status__in=[ItemStatus.APPROVED, ItemStatus.RETURNED],
        reviewed_at__year=year,
    )


def returns_in_year(campaign: Campaign, *, year: int) -> QuerySet[EvidenceEvent]:
    """Each time a live evidence item of the campaign was returned for rework in `year`."""
    return EvidenceEvent.objects.filter(
        kind=EventKind.RETURNED,
        at__year=year,
        item__campaign=campaign,
        item__removed_at__isnull=True,
        item__created_by__isnull=False,
    )


def overdue_problems(
    campaign: Campaign, departments: measures.Departments, *, year: int, today: datetime.date
) -> QuerySet[Problem]:
    """Live problems overdue at the end of `year` (or today), each with `starter`: who took
    it on last (the latest "开始整改")."""
    starter = (
        ProblemEvent.objects.filter(problem=OuterRef("pk"), action=EventAction.STARTED)
        .order_by("-at", "-id")
        .values("actor_id")[:1]
    )
    return (
        Problem.objects.live()
        .filter(campaign=campaign, department_id__in=departments)
        .filter(problem_overdue_q(_as_of(year, today)))
        .annotate(starter=Subquery(starter))
    )


def problem_owners(problem: Any, heads: dict[int, list[int]]) -> list[int]:
    """Whose overdue problem it is (see the module's docstring)."""
    owner = problem.rectified_by_id or problem.starter
    return [owner] if owner else heads.get(problem.department_id, [])


# --- the table -----------------------------------------------------------------------------


def _people(departments: list[Organization]) -> tuple[dict[int, PersonScore], dict[int, list[int]]]:
    """Each person of the departments (first department wins), and each department's heads."""
    order = {d.pk: n for n, d in enumerate(departments)}
    by_id = {d.pk: d for d in departments}
    people: dict[int, PersonScore] = {}
    heads: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(
        organization_id__in=list(by_id), is_active=True, user__is_active=True
    ).select_related("user")
    for m in sorted(rows, key=lambda m: (order[m.organization_id], m.role != Role.DEPT_HEAD)):
        if m.role == Role.DEPT_HEAD:
            heads[m.organization_id].append(m.user_id)
        if m.user_id not in people:
            people[m.user_id] = PersonScore(
                m.user, by_id[m.organization_id], m.title or m.get_role_display()
            )
    return people, dict(heads)


def _gather(
    campaign: Campaign, people: dict[int, PersonScore], heads: dict[int, list[int]], **when: Any
) -> None:
    year, today = when["year"], when["today"]
    for key, qs, in_time in (
        ("assignee_id", subtasks_judged(campaign, year=year, today=today), SUBTASK_IN_TIME),
        ("responsible_id", tasks_judged(campaign, year=year, today=today), TASK_IN_TIME),
    ):
        for row in (
            qs.order_by().values(key).annotate(n=Count("id"), ok=Count("id", filter=in_time))
        ):
            if row[key] in people:
                people[row[key]].tasks.counted += row["n"]
                people[row[key]].tasks.good += row["ok"]
    for row in (
        evidence_reviewed(campaign, year=year)
        .order_by()
        .values("created_by_id")
        .annotate(
            n=Count("id"), ok=Count("id", filter=Q(status=ItemStatus.APPROVED, return_count=0))
        )
    ):
        if row["created_by_id"] in people:
            people[row["created_by_id"]].evidence = measures.Tally(row["n"], row["ok"])
    for by, n in (
        returns_in_year(campaign, year=year)
        .order_by()
        .values_list("item__created_by_id")
        .annotate(n=Count("id"))
    ):
        if by in people:
            people[by].returns = n
    departments = list(heads) + [p.department.pk for p in people.values()]
    for problem in overdue_problems(campaign, set(departments), year=year, today=today).only(
        "id", "department_id", "rectified_by_id"
    ):
        for owner in problem_owners(problem, heads):
            if owner in people:
                people[owner].overdue_problems += 1

    _records(campaign, people, year=year)


def _records(campaign: Campaign, people: dict[int, PersonScore], *, year: int) -> None:
    for record in (
        Accountability.objects.live()
        .filter(campaign=campaign, decided_on__year=year, person_user__isnull=False)
        .order_by("decided_on", "id")
    ):
        if record.person_user_id in people:
            people[record.person_user_id].accountabilities.append(record)
    for c in measures.commendations(campaign, year=year):
        if c.person_id in people:
            people[c.person_id].commendations.append(c)


def record_label(record: Accountability) -> str:
    """有追责记录（2026-05-12 通报批评）."""
    what = record.measure or "追责"
    return f"有追责记录（{record.decided_on:%Y-%m-%d} {what}）"


def _judge(person: PersonScore, limit: int) -> None:
    person.reasons = [record_label(r) for r in person.accountabilities]
    if person.late > limit:
        person.reasons.append(f"未按时完成任务{person.late}项，超过上限{limit}项")
    if person.returns > limit:
        person.reasons.append(f"台账被退回{person.returns}次，超过上限{limit}次")
    if person.overdue_problems > limit:
        person.reasons.append(f"逾期未整改问题{person.overdue_problems}个，超过上限{limit}个")


def assess_people(
    campaign: Campaign,
    year: int,
    rule: AssessmentRule | None = None,
    *,
    today: datetime.date | None = None,
    url: str = "",
) -> list[PersonScore]:
    """Everyone of the unit's active departments with anything to assess in `year`, in the
    departments' order (heads first); `url` with `{user}` links each to their page."""
    today = today or timezone.localdate()
    rule = rule or rule_for(campaign.unit, year)
    people, heads = _people(list(campaign.unit.active_departments()))
    _gather(campaign, people, heads, year=year, today=today)
    found = [p for p in people.values() if p.assessed]
    for person in found:
        _judge(person, rule.max_overdue_problems)
        person.url = url.replace("{user}", str(person.user.pk)) if url else ""
    return found


def person_in_unit(campaign: Campaign, pk: int) -> PersonScore | None:
    """A person of the unit's active departments, as `_people` places them."""
    departments = list(campaign.unit.active_departments())
    people, _ = _people(departments)
    return people.get(pk)


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


@dataclass
class PersonRecord:
    """What is behind a person's figures: the rows each one counts."""

    score: PersonScore
    subtasks: list[SubTask]
    tasks: list[Task]
    returned: list[EvidenceEvent]
    problems: list[Problem]


def person_record(
    campaign: Campaign,
    year: int,
    pk: int,
    rule: AssessmentRule | None = None,
    *,
    today: datetime.date | None = None,
) -> PersonRecord | None:
    """One person's assessment and the rows behind it; None when they are not of the unit's
    active departments."""
    today = today or timezone.localdate()
    rule = rule or rule_for(campaign.unit, year)
    people, heads = _people(list(campaign.unit.active_departments()))
    person = people.get(pk)
    if person is None:
        return None
    _gather(campaign, {pk: person}, heads, year=year, today=today)
    _judge(person, rule.max_overdue_problems)
    departments = set(heads) | {person.department.pk}
    problems = [
        p
        for p in overdue_problems(campaign, departments, year=year, today=today)
        .select_related("department")
        .order_by("deadline", "id")
        if pk in problem_owners(p, heads)
    ]
    return PersonRecord(
        score=person,
        subtasks=list(
            subtasks_judged(campaign, year=year, today=today)
            .filter(assignee_id=pk)
            .annotate(on_time=_flag(SUBTASK_IN_TIME))
            .select_related("task")
            .order_by("due", "id")
        ),
        tasks=list(
            tasks_judged(campaign, year=year, today=today)
            .filter(responsible_id=pk)
            .annotate(on_time=_flag(TASK_IN_TIME))
            .order_by("deadline", "id")
        ),
        returned=list(
            returns_in_year(campaign, year=year)
            .filter(item__created_by_id=pk)
            .select_related("item")
            .order_by("at", "id")
        ),
        problems=problems,
    )

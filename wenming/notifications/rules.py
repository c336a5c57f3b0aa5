"""The rules of 消息提醒: which events are due on a day, and who hears about each.

`scan(today)` reads the state of tasks, sub-tasks, claims, evidence, problems and weekly
reports in a fixed number of queries (one per rule, one for the department heads, one for the
leading-group members in charge of departments, one for who is still active, one for
preferences) and returns the notifications that ought to exist. `notify`
writes those not written before: the (recipient, key) constraint keeps every event to one
notification per person, however often or concurrently the scan runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from wenming.campaigns.models import CampaignStatus
from wenming.notifications.models import Kind, Notification, Preference
from wenming.orgs.models import LeadingGroupMember, Membership, Role

# Decisions on claims older than this are history, not news (e.g. on the first scan).
CLAIM_LOOKBACK = datetime.timedelta(days=30)
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """A notification that ought to exist: to whom, of which kind, for which event."""

    recipient_id: int
    kind: str
    key: str
    title: str
    body: str
    url: str


@dataclass(frozen=True)
class _Event:
    """One event before its recipients are known: the named people who still work here, or
    when there are none, the heads of department `heads_of`. Overdue work goes further
    (`escalate_to`): the heads of that department hear in any case, and with `leaders` the
    leading-group members in charge of it (分管领导) too."""

    kind: str
    key: str
    title: str
    body: str
    url: str
    people: tuple[int, ...] = ()
    heads_of: int | None = None
    escalate_to: int | None = None
    leaders: bool = False


def _d(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _live_campaign_q(prefix: str = "campaign__") -> Q:
    return Q(**{f"{prefix}is_active": True}) & ~Q(**{f"{prefix}status": CampaignStatus.CLOSED})


# --- the rules ------------------------------------------------------------------------------


def task_events(today: datetime.date) -> list[_Event]:
    """7 days and 1 day before a task's deadline, and once it has passed without completion.

    Each fires inside its window, so a scan that missed the exact day still tells; a task
    first seen already overdue is told as overdue only.
    """
    from wenming.tasks.models import Task, TaskStatus

    # Counted tasks only: nobody is asked to do a draft.
    tasks = (
        Task.objects.counted()
        .filter(
            _live_campaign_q(),
            deadline__isnull=False,
            deadline__lte=today + datetime.timedelta(days=7),
        )
        .exclude(status=TaskStatus.DONE)
        .filter(Q(responsible__isnull=False) | Q(lead_department__isnull=False))
        .only("pk", "title", "deadline", "progress", "lead_department_id", "responsible_id")
    )
    events = []
    for task in tasks:
        assert task.deadline is not None
        days_left = (task.deadline - today).days
        if days_left < 0:
            kind, title = Kind.TASK_OVERDUE, f"任务已逾期：{task.title}"
            body = f"完成时限为{_d(task.deadline)}，已逾期{-days_left}天，当前进度{task.progress}%。请尽快推进并更新进度。"
        elif days_left <= 1:
            kind = Kind.TASK_DUE_1
            when = "今天" if days_left == 0 else "明天"
            title = f"任务{when}到期：{task.title}"
            body = f"完成时限为{_d(task.deadline)}，当前进度{task.progress}%。"
        else:
            kind, title = Kind.TASK_DUE_7, f"任务{days_left}天后到期：{task.title}"
            body = f"完成时限为{_d(task.deadline)}，当前进度{task.progress}%。"
        overdue = kind == Kind.TASK_OVERDUE
        events.append(
            _Event(
                kind=kind,
                key=f"{kind}:{task.pk}:{task.deadline.isoformat()}",
                title=title,
                body=body,
                url=reverse("tasks:detail", args=[task.pk]),
                # Without a responsible person (or one who has left), the department's heads.
                people=(task.responsible_id,) if task.responsible_id else (),
                heads_of=task.lead_department_id,
                # Overdue: the responsible person, the lead department's heads and its 分管领导.
                escalate_to=task.lead_department_id if overdue else None,
                leaders=overdue,
            )
        )
    return events


def subtask_events(today: datetime.date) -> list[_Event]:
    """A sub-task past its deadline, once per deadline: its assignee and their department's
    heads. Told with the kind 任务已逾期 (muting it mutes both)."""
    from wenming.tasks.models import SubTask, counted_q

    subtasks = (
        SubTask.objects.overdue(today)
        .filter(counted_q("task__"), _live_campaign_q("task__campaign__"))
        .select_related("task")
        .only(
            "pk",
            "title",
            "deadline",
            "progress",
            "assignee_id",
            "department_id",
            "task__id",
            "task__title",
        )
    )
    events = []
    for sub in subtasks:
        assert sub.deadline is not None
        days = (today - sub.deadline).days
        events.append(
            _Event(
                kind=Kind.TASK_OVERDUE,
                key=f"{Kind.TASK_OVERDUE}:sub{sub.pk}:{sub.deadline.isoformat()}",
                title=f"子任务已逾期：{sub.title}",
                body=(
                    f"“{sub.task.title}”的子任务，完成时限为{_d(sub.deadline)}，已逾期{days}天，"
                    f"当前进度{sub.progress}%。请尽快完成并填报进展。"
                ),
                url=reverse("tasks:detail", args=[sub.task.pk]),
                people=(sub.assignee_id,),
                heads_of=sub.department_id,
                escalate_to=sub.department_id,
            )
        )
    return events


def claim_events(today: datetime.date) -> list[_Event]:
    from wenming.tasks.models import ClaimStatus, Task, TaskClaim

    since = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)) - (
        CLAIM_LOOKBACK
    )
    claims = TaskClaim.objects.filter(
        _live_campaign_q("task__campaign__"),
        status__in=[ClaimStatus.APPROVED, ClaimStatus.REJECTED],
        decided_at__gte=since,
        # A claim is decided on an offered task, drafts included: live, not only counted.
        task__in=Task.objects.live().values("pk"),
    ).select_related("task", "department")
    events = []
    for claim in claims:
        approved = claim.status == ClaimStatus.APPROVED
        verdict = "已同意" if approved else "未同意"
        body = f"{claim.department.name}认领“{claim.task.title}”的申请{verdict}。"
        if approved:
            body += "该任务已由本部门牵头，请按时限推进。"
        if claim.decision_note:
            body += f"审核意见：{claim.decision_note}"
        events.append(
            _Event(
                kind=Kind.CLAIM_DECIDED,
                key=f"{Kind.CLAIM_DECIDED}:{claim.pk}",
                title=f"认领{verdict}：{claim.task.title}",
                body=body,
                url=reverse("tasks:detail", args=[claim.task_id]),
                people=(claim.claimed_by_id,),
            )
        )
    return events


def evidence_events(today: datetime.date) -> list[_Event]:
    """Evidence now returned for correction: once per return (the key carries the count)."""
    from wenming.ledger.models import EvidenceItem, ItemStatus

    items = (
        EvidenceItem.objects.live()
        .filter(_live_campaign_q(), status=ItemStatus.RETURNED, created_by__isnull=False)
        .only("pk", "title", "return_count", "review_comment", "created_by_id")
    )
    events = []
    for item in items:
        assert item.created_by_id is not None
        comment = f"退回意见：{item.review_comment}。" if item.review_comment else ""
        events.append(
            _Event(
                kind=Kind.EVIDENCE_RETURNED,
                key=f"{Kind.EVIDENCE_RETURNED}:{item.pk}:{item.return_count}",
                title=f"台账被退回：{item.title}",
                body=f"{comment}请按意见修改后重新提交。",
                url=reverse("ledger:item", args=[item.pk]),
                people=(item.created_by_id,),
            )
        )
    return events


def problem_events(today: datetime.date) -> list[_Event]:
    """Open problems tell their department's heads once per assignment, and once when the
    rectification deadline passes (again if a new deadline passes too)."""
    from wenming.oversight.models import Problem, ProblemStatus

    # Told as assigned while the department still has to act on it, not when first seen
    # waiting for verification.
    assigned_statuses = (ProblemStatus.PENDING, ProblemStatus.RECTIFYING)
    problems = Problem.objects.open().filter(_live_campaign_q())
    events = []
    for p in problems.only(
        "pk",
        "year",
        "sequence",
        "description",
        "deadline",
        "department_id",
        "status",
        "rectified_at",
    ):
        url = reverse("oversight:problem", args=[p.pk])
        summary = p.description if len(p.description) <= 60 else p.description[:60] + "…"
        if p.status in assigned_statuses:
            events.append(
                _Event(
                    kind=Kind.PROBLEM_ASSIGNED,
                    key=f"{Kind.PROBLEM_ASSIGNED}:{p.pk}:{p.department_id}",
                    title=f"交办整改问题 {p.number}",
                    body=f"{summary}（整改时限：{_d(p.deadline)}）",
                    url=url,
                    heads_of=p.department_id,
                )
            )
        # The row form of `ProblemQuerySet.overdue()`.
        if p.is_overdue(today):
            days = p.days_overdue(today)
            events.append(
                _Event(
                    kind=Kind.PROBLEM_OVERDUE,
                    key=f"{Kind.PROBLEM_OVERDUE}:{p.pk}:{p.deadline.isoformat()}",
                    title=f"问题整改逾期 {p.number}",
                    body=f"{summary}（整改时限{_d(p.deadline)}，已逾期{days}天）。请尽快整改并提交整改情况。",
                    url=url,
                    heads_of=p.department_id,
                )
            )
    return events


def report_events(today: datetime.date) -> list[_Event]:
    """Departments leading unfinished tasks that have not submitted last week's report."""
    from wenming.orgs.models import OrgKind
    from wenming.tasks.models import ReportStatus, Task, TaskStatus, WeeklyReport
    from wenming.tasks.reports.services import week_monday

    week_start = week_monday(today) - datetime.timedelta(days=7)
    week_end = week_start + datetime.timedelta(days=6)
    submitted = WeeklyReport.objects.filter(
        campaign_id=OuterRef("campaign_id"),
        department_id=OuterRef("lead_department_id"),
        week_start=week_start,
        status=ReportStatus.SUBMITTED,
    )
    this_monday = timezone.make_aware(
        datetime.datetime.combine(week_start + datetime.timedelta(days=7), datetime.time.min)
    )
    pairs = (
        Task.objects.counted()
        .filter(
            _live_campaign_q(),
            # A task given this week asked nothing of last week's report.
            created_at__lt=this_monday,
            lead_department__isnull=False,
            lead_department__is_active=True,
            lead_department__kind=OrgKind.DEPARTMENT,
        )
        .exclude(status=TaskStatus.DONE)
        .exclude(Exists(submitted))
        .values_list("campaign_id", "lead_department_id", "lead_department__name")
        .distinct()
        .order_by()
    )
    events = []
    for campaign_id, department_id, name in pairs:
        events.append(
            _Event(
                kind=Kind.REPORT_MISSING,
                key=f"{Kind.REPORT_MISSING}:{department_id}:{week_start.isoformat()}",
                title=f"{name}上周周报未报送",
                body=(
                    f"{_d(week_start)}至{_d(week_end)}的部门周报还没有报送，"
                    "请尽快填报本部门牵头任务的进展。"
                ),
                url=reverse(
                    "reports:week", args=[campaign_id, department_id, week_start.isoformat()]
                ),
                heads_of=department_id,
            )
        )
    return events


def city_events(today: datetime.date) -> list[_Event]:
    """The office's supervision of its units (`city_rules.py`, imported here: it uses `_Event`)."""
    from wenming.notifications.city_rules import city_events as events

    return events(today)


def festival_events(today: datetime.date) -> list[_Event]:
    """我们的节日 a week ahead (`people_rules.py`, imported here: it uses `_Event`)."""
    from wenming.notifications.people_rules import festival_events as events

    return events(today)


RULES = (
    task_events,
    subtask_events,
    claim_events,
    evidence_events,
    problem_events,
    report_events,
    city_events,
    festival_events,
)


# --- recipients -----------------------------------------------------------------------------


def _department_heads(department_ids: Iterable[int]) -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    rows = (
        Membership.objects.filter(
            organization_id__in=set(department_ids),
            organization__is_active=True,
            role=Role.DEPT_HEAD,
            is_active=True,
            user__is_active=True,
        )
        .values_list("organization_id", "user_id")
        .order_by("id")
    )
    for department_id, user_id in rows:
        heads.setdefault(department_id, []).append(user_id)
    return heads


def _leaders_in_charge(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active leading-group members in charge of (分管) each department, by department."""
    leaders: dict[int, list[int]] = {}
    rows = (
        LeadingGroupMember.objects.filter(
            departments__in=set(department_ids),
            is_active=True,
            unit__is_active=True,
            user__is_active=True,
        )
        .values_list("departments", "user_id")
        .order_by("sort_order", "id")
    )
    for department_id, user_id in rows:
        leaders.setdefault(department_id, []).append(user_id)
    return leaders


def _recipients(
    event: _Event,
    present: set[int],
    heads: dict[int, list[int]],
    leaders: dict[int, list[int]],
) -> list[int]:
    """Whom one event reaches, each person once."""
    people = [p for p in event.people if p in present]
    if not people and event.heads_of is not None:
        people = list(heads.get(event.heads_of, []))
    if event.escalate_to is not None:
        people += heads.get(event.escalate_to, [])
        if event.leaders:
            people += [p for p in leaders.get(event.escalate_to, []) if p in present]
    return list(dict.fromkeys(people))


def scan(today: datetime.date) -> list[Due]:
    """Every notification that ought to exist on `today`, for people who still work here and
    have not muted its kind. Already written ones are included: `notify` skips them."""
    events = [event for rule in RULES for event in rule(today)]
    heads = _department_heads(
        d for e in events for d in (e.heads_of, e.escalate_to) if d is not None
    )
    leaders = _leaders_in_charge(e.escalate_to for e in events if e.leaders and e.escalate_to)
    named = {person for e in events for person in e.people}
    named.update(p for people in leaders.values() for p in people)
    # Someone who left (account disabled, or every post ended) hears nothing more.
    present = set(
        User.objects.filter(pk__in=named, is_active=True, memberships__is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    wanted: list[tuple[int, _Event]] = []
    for event in events:
        people = _recipients(event, present, heads, leaders)
        wanted.extend((person, event) for person in people)
    # Heads come from active head posts of active people already.
    recipients = {person for person, _ in wanted}
    muted = {
        user_id: set(kinds)
        for user_id, kinds in Preference.objects.filter(user_id__in=recipients).values_list(
            "user_id", "muted_kinds"
        )
    }
    return [
        Due(
            recipient_id=person,
            kind=event.kind,
            key=event.key,
            title=event.title,
            body=event.body,
            url=event.url,
        )
        for person, event in wanted
        if event.kind not in muted.get(person, set())
    ]


def _existing(keys: list[str]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    # In slices: SQLite refuses a statement with too many parameters.
    for start in range(0, len(keys), 500):
        found.update(
            Notification.objects.filter(key__in=keys[start : start + 500]).values_list(
                "recipient_id", "key"
            )
        )
    return found


def write(due: list[Due]) -> int:
    """Write the notifications among `due` not written before; returns how many."""
    if not due:
        return 0
    existing = _existing(sorted({d.key for d in due}))
    fresh = [d for d in due if (d.recipient_id, d.key) not in existing]
    now = timezone.now()
    # ignore_conflicts: a scan racing this one may have written the same rows meanwhile; the
    # (recipient, key) constraint keeps one of each.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=d.recipient_id,
                kind=d.kind,
                key=d.key,
                title=d.title[:200],
                body=d.body,
                url=d.url,
                created_at=now,
            )
            for d in fresh
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return len(fresh)


def notify(today: datetime.date | None = None) -> int:
    """Write the notifications due today that were not written before; returns how many."""
    return write(scan(today or timezone.localdate()))

"""The home page's 今日要事 card: what each role should do next, with every count linking to
its list (registered as the card `focus` in `DashboardsConfig.ready()`).

- 单位领导 and 创建办: per active campaign of their unit, the evidence-backed score against the
  pass line (the cockpit's `projection`), progress, the three standards with most points at
  stake in the ledger, and overdue work by department.
- 部门负责人: per department, its overdue tasks and sub-tasks, this week's report (sent or not),
  tasks offered for claiming, and problems to rectify.
- Everyone with sub-tasks (经办人 above all): their open sub-tasks, overdue first, and their
  evidence returned for rework.
- 督查员: overdue problems per campaign and a 记录督查 button.

Query counts depend on the number of campaigns and departments a person holds, never on the
size of the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.dashboards import services
from wenming.ledger import completeness
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.orgs.access import scope_for
from wenming.orgs.models import Organization, Role
from wenming.oversight import access as oversight_access
from wenming.oversight.models import problem_open_q, problem_overdue_q
from wenming.tasks.models import ReportStatus, SubTask, Task, TaskStatus, WeeklyReport
from wenming.tasks.reports import services as report_services

RISKS = 3
LISTED = 5


@dataclass
class Risk:
    code: str
    title: str
    points: Any
    state: str
    css: str
    url: str


@dataclass
class DepartmentLate:
    department: Organization
    overdue: int
    url: str


@dataclass
class LeaderFocus:
    campaign: Campaign
    projection: services.Projection
    headline: services.Headline
    risks: list[Risk]
    late: list[DepartmentLate]
    cockpit_url: str


@dataclass
class DepartmentFocus:
    campaign: Campaign
    department: Organization
    overdue_tasks: list[Task]
    overdue_tasks_count: int
    overdue_tasks_url: str
    overdue_subtasks: list[SubTask]
    report_sent: bool
    report_url: str
    offered: int
    offered_url: str
    problems_open: int
    problems_overdue: int
    problems_url: str
    problems_overdue_url: str


@dataclass
class InspectorFocus:
    campaign: Campaign
    overdue: int
    overdue_url: str
    record_url: str


@dataclass
class Focus:
    leader: list[LeaderFocus] = field(default_factory=list)
    departments: list[DepartmentFocus] = field(default_factory=list)
    subtasks: list[SubTask] = field(default_factory=list)
    returned: int = 0
    returned_url: str = ""
    inspector: list[InspectorFocus] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.leader or self.departments or self.subtasks or self.returned or self.inspector
        )


def _active_campaigns(user: Any) -> list[Campaign]:
    return list(
        campaign_access.visible_campaigns(user).filter(is_active=True).order_by("unit__path")[:5]
    )


def _for_unit(campaigns: list[Campaign], org: Organization) -> Campaign | None:
    return next((c for c in campaigns if org.path.startswith(c.unit.path)), None)


def _risks(campaign: Campaign) -> list[Risk]:
    states = completeness.standard_states([campaign])[campaign.pk]
    rows = completeness.gap_rows(list(states.values()))[:RISKS]
    return [
        Risk(
            code=r.node.code,
            title=r.node.title,
            points=r.points,
            state=r.label,
            css=r.css,
            url=services._url("ledger:items", campaign.pk, standard=r.node.pk),
        )
        for r in rows
    ]


def _late_by_department(campaign: Campaign, today: datetime.date) -> list[DepartmentLate]:
    rows = (
        Task.objects.overdue(today)
        .filter(campaign=campaign, lead_department__isnull=False)
        .values("lead_department")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    counts = {r["lead_department"]: r["n"] for r in rows}
    departments = Organization.objects.filter(pk__in=counts)
    return sorted(
        (
            DepartmentLate(d, counts[d.pk], services.task_list_url(campaign, d, status="overdue"))
            for d in departments
        ),
        key=lambda r: (-r.overdue, r.department.name),
    )


def leader_focus(campaign: Campaign, today: datetime.date) -> LeaderFocus:
    return LeaderFocus(
        campaign=campaign,
        projection=services.projection(campaign),
        headline=services.headline(campaign, today),
        risks=_risks(campaign),
        late=_late_by_department(campaign, today),
        cockpit_url=reverse("dashboards:campaign", args=[campaign.pk]),
    )


def department_focus(
    user: Any, campaign: Campaign, department: Organization, today: datetime.date
) -> DepartmentFocus:
    overdue = (
        Task.objects.overdue(today)
        .filter(campaign=campaign, lead_department=department)
        .order_by("deadline", "id")
    )
    week = report_services.current_week()
    report = WeeklyReport.objects.filter(
        campaign=campaign, department=department, week_start=week
    ).first()
    problems = (
        oversight_access.visible_problems(user)
        .filter(campaign=campaign, department=department)
        .filter(problem_open_q())
        .aggregate(n=Count("id"), late=Count("id", filter=problem_overdue_q(today)))
    )
    return DepartmentFocus(
        campaign=campaign,
        department=department,
        overdue_tasks=list(overdue[:LISTED]),
        overdue_tasks_count=overdue.count(),
        overdue_tasks_url=services.task_list_url(campaign, department, status="overdue"),
        overdue_subtasks=list(
            SubTask.objects.overdue(today)
            .filter(task__campaign=campaign, department=department)
            .select_related("assignee", "task")
            .order_by("deadline", "id")[:LISTED]
        ),
        report_sent=report is not None and report.status == ReportStatus.SUBMITTED,
        report_url=reverse("reports:week", args=[campaign.pk, department.pk, week.isoformat()]),
        offered=Task.objects.counted()
        .filter(campaign=campaign, lead_department__isnull=True)
        .count(),
        offered_url=reverse("tasks:offered"),
        problems_open=problems["n"],
        problems_overdue=problems["late"],
        problems_url=services.problem_list_url(campaign, department, status="open"),
        problems_overdue_url=services.problem_list_url(campaign, department, overdue="on"),
    )


def _own_work(user: Any, focus: Focus) -> None:
    focus.subtasks = list(
        SubTask.objects.live()
        .filter(assignee=user)
        .exclude(status=TaskStatus.DONE)
        .select_related("task")
        .order_by("deadline", "id")[:LISTED]
    )
    focus.returned = (
        EvidenceItem.objects.live().filter(created_by=user, status=ItemStatus.RETURNED).count()
    )
    focus.returned_url = reverse("ledger:mine")


def focus_card(user: Any) -> Focus:
    scope = scope_for(user)
    today = timezone.localdate()
    focus = Focus()
    roles: dict[str, list[Organization]] = {}
    for m in scope.memberships:
        roles.setdefault(m.role, []).append(m.organization)
    if not roles:
        return focus
    campaigns = _active_campaigns(user)
    unit_roles = roles.get(Role.LEADER, []) + roles.get(Role.COORDINATOR, [])
    for campaign in campaigns:
        if any(campaign.unit.path.startswith(o.path) for o in unit_roles):
            focus.leader.append(leader_focus(campaign, today))
    for department in roles.get(Role.DEPT_HEAD, []):
        own = _for_unit(campaigns, department)
        if own is not None:
            focus.departments.append(department_focus(user, own, department, today))
    _own_work(user, focus)
    if Role.INSPECTOR in roles:
        for campaign in campaigns:
            late = (
                oversight_access.visible_problems(user)
                .filter(campaign=campaign)
                .filter(problem_overdue_q(today))
                .count()
            )
            focus.inspector.append(
                InspectorFocus(
                    campaign=campaign,
                    overdue=late,
                    overdue_url=services.problem_list_url(campaign, None, overdue="on"),
                    record_url=reverse("oversight:inspection_new", args=[campaign.pk]),
                )
            )
    return focus

"""Every reporting page answers in the same number of queries for 10 and for 500 tasks."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.reports.conftest import MONDAY
from wenming.frameworks.models import Node
from wenming.orgs.models import Organization, OrgKind
from wenming.tasks.models import ReportStatus, Task, TaskStatus, WeeklyReport, WeeklyReportLine

BOUND = 16


def _fill(campaign, n: int) -> None:  # type: ignore[no-untyped-def]
    departments = list(
        Organization.objects.filter(kind=OrgKind.DEPARTMENT, path__startswith=campaign.unit.path)
    )
    food = Organization.objects.get(name="食品安全监管科")
    standards = list(Node.objects.filter(framework=campaign.framework, is_leaf=True))
    tasks = Task.objects.bulk_create(
        [
            Task(
                campaign=campaign,
                title=f"任务{i}",
                lead_department=food if i % 3 == 0 else departments[i % len(departments)],
                deadline=datetime.date(2026, 1, 5) + datetime.timedelta(days=i % 120),
                status=TaskStatus.DONE if i % 7 == 0 else TaskStatus.IN_PROGRESS,
                progress=100 if i % 7 == 0 else 30,
                completed_at=timezone.now() if i % 7 == 0 else None,
            )
            for i in range(n)
        ]
    )
    through = Task.standards.through
    through.objects.bulk_create(
        [
            through(task_id=t.pk, node_id=standards[i % len(standards)].pk)
            for i, t in enumerate(tasks)
        ]
    )
    through_co = Task.co_departments.through
    through_co.objects.bulk_create(
        [
            through_co(task_id=t.pk, organization_id=departments[(i + 1) % len(departments)].pk)
            for i, t in enumerate(tasks)
        ]
    )
    for d in departments[:4]:
        report = WeeklyReport.objects.create(
            campaign=campaign,
            department=d,
            week_start=MONDAY,
            status=ReportStatus.SUBMITTED if d != food else ReportStatus.DRAFT,
            submitted_at=timezone.now(),
        )
        WeeklyReportLine.objects.bulk_create(
            [
                WeeklyReportLine(report=report, task=t, progress=30)
                for t in tasks
                if t.lead_department_id == d.pk
            ]
        )


PAGES = [
    ("reports:rollup", "coordinator", ""),
    ("reports:rollup_xlsx", "coordinator", ""),
    ("reports:monthly", "coordinator", "?month=2026-03"),
    ("reports:monthly_xlsx", "coordinator", "?month=2026-03"),
    ("reports:tasks_xlsx", "coordinator", ""),
    ("reports:week", "dept_head", ""),
    ("api:reports_weekly", "coordinator", ""),
    ("api:reports_rollup", "coordinator", ""),
]


@pytest.mark.parametrize("n", [10, 500])
@pytest.mark.parametrize(("name", "persona", "query"), PAGES)
def test_bounded_queries(
    request, as_user, campaign, django_assert_max_num_queries, n, name, persona, query
):  # type: ignore[no-untyped-def]
    _fill(campaign, n)
    user = request.getfixturevalue(persona)
    food = Organization.objects.get(name="食品安全监管科")
    if name == "reports:week":
        url = reverse(name, args=[campaign.pk, food.pk, MONDAY.isoformat()])
    elif name.startswith("api:"):
        url = reverse(name) + f"?campaign={campaign.pk}&week={MONDAY}"
    else:
        url = reverse(name, args=[campaign.pk]) + query
    client = as_user(user)
    with django_assert_max_num_queries(BOUND):
        response = client.get(url)
    assert response.status_code == 200


def test_week_post_is_bounded(as_user, dept_head, campaign, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    _fill(campaign, 500)
    food = Organization.objects.get(name="食品安全监管科")
    open_tasks = Task.objects.filter(lead_department=food).exclude(status=TaskStatus.DONE)
    data = {"action": "submit", "done_this_week": "x", "problems": "", "next_week": ""}
    for t in open_tasks:
        data[f"progress_{t.pk}"] = 60
        data[f"note_{t.pk}"] = "推进中"
    url = reverse("reports:week", args=[campaign.pk, food.pk, MONDAY.isoformat()])
    # bulk_create / bulk_update write in batches (SQLite's variable limit), so ~170 lines take
    # a few statements each rather than one per task. One more checks the department is the
    # unit's (`departments_of`), for callers that did not come through the access check.
    with django_assert_max_num_queries(47):
        response = as_user(dept_head).post(url, data)
    assert response.status_code == 302
    assert Task.objects.filter(lead_department=food, progress=60).count() == open_tasks.count()

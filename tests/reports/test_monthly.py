"""The 月例会 sheet: overdue tasks, next month's deadlines, laggards, completion rates."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.reports.conftest import MONDAY, TODAY
from wenming.tasks.models import ReportStatus, TaskStatus, WeeklyReport
from wenming.tasks.reports import services


def _setup(campaign, food, registry, make_task, dept_head, staff):  # type: ignore[no-untyped-def]
    make_task(
        "逾期五天",
        lead_department=food,
        responsible=staff,
        deadline=TODAY - datetime.timedelta(days=5),
    )
    make_task("逾期一天", lead_department=registry, deadline=TODAY - datetime.timedelta(days=1))
    make_task("逾期两天", lead_department=registry, deadline=TODAY - datetime.timedelta(days=2))
    make_task("四月到期", lead_department=food, deadline=datetime.date(2026, 4, 15))
    make_task("五月到期", lead_department=food, deadline=datetime.date(2026, 5, 15))
    make_task(
        "已完成",
        lead_department=food,
        deadline=TODAY - datetime.timedelta(days=3),
        status=TaskStatus.DONE,
        progress=100,
        completed_at=timezone.now(),
    )
    # March 2026 has Mondays 2 and 9 up to today; food reported both weeks.
    for week in (MONDAY - datetime.timedelta(days=7), MONDAY):
        WeeklyReport.objects.create(
            campaign=campaign,
            department=food,
            week_start=week,
            status=ReportStatus.SUBMITTED,
            submitted_by=dept_head,
            submitted_at=timezone.now(),
        )


def test_monthly_build(campaign, food, registry, make_task, dept_head, staff):  # type: ignore[no-untyped-def]
    _setup(campaign, food, registry, make_task, dept_head, staff)
    m = services.monthly_build(campaign=campaign, month=datetime.date(2026, 3, 1))
    assert [(o.task.title, o.days_overdue) for o in m.overdue] == [
        ("逾期五天", 5),
        ("逾期两天", 2),
        ("逾期一天", 1),
    ]
    assert [t.title for t in m.due_next_month] == ["四月到期"]
    laggards = [(d.department.name, d.overdue, d.missing_reports) for d in m.laggards]
    assert laggards[0] == ("登记注册科", 2, 2)
    assert laggards[1] == ("食品安全监管科", 1, 0)
    # Departments with nothing overdue follow, ranked by missing reports.
    assert all(d[1] == 0 and d[2] == 2 for d in laggards[2:])
    rates = {d.department.name: d.completion_rate for d in m.departments}
    assert rates["食品安全监管科"] == 25.0
    assert rates["登记注册科"] == 0.0
    assert rates["办公室"] is None


def test_monthly_page_and_xlsx(
    as_user, coordinator, campaign, food, registry, make_task, dept_head, staff
):  # type: ignore[no-untyped-def]
    _setup(campaign, food, registry, make_task, dept_head, staff)
    client = as_user(coordinator)
    url = reverse("reports:monthly", args=[campaign.pk]) + "?month=2026-03"
    html = client.get(url).content.decode()
    assert "逾期五天" in html and "陈晓燕" in html and "四月到期" in html
    assert "五月到期" not in html
    assert "25.0%" in html
    response = client.get(reverse("reports:monthly_xlsx", args=[campaign.pk]) + "?month=2026-03")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "逾期五天" in values and "四月到期" in values
    assert any(isinstance(v, str) and v.startswith("一、逾期未完成任务（3项）") for v in values)


def test_unreadable_month_falls_back_to_this_month(as_user, leader, campaign):  # type: ignore[no-untyped-def]
    response = as_user(leader).get(reverse("reports:monthly", args=[campaign.pk]) + "?month=abc")
    assert response.status_code == 200
    assert "2026年3月" in response.content.decode()

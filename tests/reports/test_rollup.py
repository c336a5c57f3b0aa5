"""The office's weekly roll-up: counts per department, totals, who to remind."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.reports.conftest import MONDAY
from wenming.orgs.models import Membership
from wenming.tasks.models import ReportStatus, TaskStatus, WeeklyReport
from wenming.tasks.reports import services


def _setup(campaign, food, registry, make_task, dept_head):  # type: ignore[no-untyped-def]
    make_task("本周到期", lead_department=food, deadline=MONDAY + datetime.timedelta(days=4))
    make_task("已逾期", lead_department=food, deadline=MONDAY - datetime.timedelta(days=10))
    make_task(
        "本周完成",
        lead_department=food,
        deadline=MONDAY - datetime.timedelta(days=1),
        status=TaskStatus.DONE,
        progress=100,
        completed_at=timezone.now(),
    )
    make_task(
        "上周完成",
        lead_department=registry,
        status=TaskStatus.DONE,
        progress=100,
        completed_at=timezone.now() - datetime.timedelta(days=9),
    )
    make_task("删除的", lead_department=registry, deleted_at=timezone.now())
    WeeklyReport.objects.create(
        campaign=campaign,
        department=food,
        week_start=MONDAY,
        status=ReportStatus.SUBMITTED,
        submitted_by=dept_head,
        submitted_at=timezone.now(),
    )
    Membership.objects.filter(user__username="keshi2").update(phone="13800000002")


def test_rollup_counts(campaign, food, registry, make_task, dept_head):  # type: ignore[no-untyped-def]
    _setup(campaign, food, registry, make_task, dept_head)
    rollup = services.rollup_build(campaign=campaign, week_start=MONDAY)
    rows = {r.department.name: r for r in rollup.rows}
    f, r = rows["食品安全监管科"], rows["登记注册科"]
    assert (f.led, f.due_this_week, f.done_this_week, f.overdue) == (3, 1, 1, 1)
    assert (r.led, r.due_this_week, r.done_this_week, r.overdue) == (1, 0, 0, 0)
    assert f.submitted and not r.submitted
    assert (rollup.total.led, rollup.total.overdue) == (4, 1)
    assert "登记注册科" in [m.department.name for m in rollup.missing]
    assert "食品安全监管科" not in [m.department.name for m in rollup.missing]


def test_rollup_page_highlights_who_to_remind(  # type: ignore[no-untyped-def]
    as_user, coordinator, campaign, food, registry, make_task, dept_head
):
    _setup(campaign, food, registry, make_task, dept_head)
    response = as_user(coordinator).get(
        reverse("reports:rollup", args=[campaign.pk])
        + f"?week={MONDAY + datetime.timedelta(days=2)}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "合计" in html and "已报送" in html and "未报送" in html
    assert "孙伟 13800000002" in html  # head of 登记注册科, copy-friendly
    assert "提醒" in html


def test_rollup_xlsx(as_user, leader, campaign, food, registry, make_task, dept_head):  # type: ignore[no-untyped-def]
    _setup(campaign, food, registry, make_task, dept_head)
    response = as_user(leader).get(
        reverse("reports:rollup_xlsx", args=[campaign.pk]) + f"?week={MONDAY}"
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    # 牵头、本周到期、本周完成、待佐证、当前逾期、周报
    assert rows["食品安全监管科"][1:7] == (3, 1, 1, 0, 1, "已报送")
    assert rows["登记注册科"][6] == "未报送"
    assert rows["合计"][1] == 4
    assert ws.freeze_panes == "A4"

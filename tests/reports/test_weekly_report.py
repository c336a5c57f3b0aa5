"""A department fills its weekly report in two minutes; submitting moves its tasks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.reports.conftest import MONDAY
from wenming.orgs.models import Organization
from wenming.tasks.models import ReportStatus, TaskStatus, WeeklyReport
from wenming.tasks.reports import services


def week_url(campaign, dept, day=MONDAY):  # type: ignore[no-untyped-def]
    return reverse("reports:week", args=[campaign.pk, dept.pk, day.isoformat()])


def form_data(tasks, action="submit", **progress):  # type: ignore[no-untyped-def]
    data = {
        "done_this_week": "召开专题会议1次",
        "problems": "人手紧张",
        "next_week": "完成方案定稿",
        "action": action,
    }
    for task in tasks:
        data[f"progress_{task.pk}"] = progress.get(f"p{task.pk}", 50)
        data[f"note_{task.pk}"] = f"{task.title}推进中"
    return data


def test_my_week_opens_the_department_week(as_user, dept_head, campaign, food):  # type: ignore[no-untyped-def]
    response = as_user(dept_head).get(reverse("reports:my_week"))
    assert response.status_code == 302
    assert response["Location"] == week_url(campaign, food)


def test_my_week_takes_the_office_to_its_rollup(as_user, coordinator, campaign):  # type: ignore[no-untyped-def]
    response = as_user(coordinator).get(reverse("reports:my_week"))
    assert response["Location"] == reverse("reports:rollup", args=[campaign.pk])


def test_form_lists_open_tasks_the_department_leads(  # type: ignore[no-untyped-def]
    as_user, dept_head, campaign, food, registry, make_task
):
    make_task("制定年度方案", lead_department=food, progress=30, status=TaskStatus.IN_PROGRESS)
    make_task("已完成的任务", lead_department=food, progress=100, status=TaskStatus.DONE)
    make_task("别的部门的任务", lead_department=registry)
    make_task("删除的任务", lead_department=food, deleted_at=datetime.datetime.now(datetime.UTC))
    response = as_user(dept_head).get(week_url(campaign, food))
    assert response.status_code == 200
    html = response.content.decode()
    assert "制定年度方案" in html
    assert 'value="30"' in html  # pre-filled with the task's current progress
    for absent in ("已完成的任务", "别的部门的任务", "删除的任务"):
        assert absent not in html
    assert "报送周报" in html and "保存草稿" in html


def test_draft_keeps_text_and_leaves_tasks_alone(as_user, staff, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("制定年度方案", lead_department=food)
    response = as_user(staff).post(week_url(campaign, food), form_data([task], action="draft"))
    assert response.status_code == 302
    report = WeeklyReport.objects.get(campaign=campaign, department=food, week_start=MONDAY)
    assert report.status == ReportStatus.DRAFT
    assert report.problems == "人手紧张"
    assert report.lines.get().progress == 50
    task.refresh_from_db()
    assert task.progress == 0 and task.status == TaskStatus.NOT_STARTED
    # Opening it again shows the draft's numbers.
    assert "人手紧张" in as_user(staff).get(week_url(campaign, food)).content.decode()


def test_submit_carries_progress_onto_tasks(as_user, dept_head, campaign, food, make_task):  # type: ignore[no-untyped-def]
    a = make_task("方案", lead_department=food)
    b = make_task("制度", lead_department=food, progress=20, status=TaskStatus.IN_PROGRESS)
    c = make_task("宣传", lead_department=food, progress=40, status=TaskStatus.IN_PROGRESS)
    data = form_data([a, b, c], **{f"p{a.pk}": 100, f"p{b.pk}": 0, f"p{c.pk}": 60})
    response = as_user(dept_head).post(week_url(campaign, food), data)
    assert response.status_code == 302
    report = WeeklyReport.objects.get(department=food, week_start=MONDAY)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == dept_head and report.submitted_at is not None
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    # The department reports 100 %; without proof the task is 待佐证, not done.
    assert (a.status, a.progress) == (TaskStatus.UNPROVEN, 100) and a.completed_at is None
    assert (b.status, b.progress) == (TaskStatus.NOT_STARTED, 0)
    assert (c.status, c.progress, c.progress_note) == (TaskStatus.IN_PROGRESS, 60, "宣传推进中")
    page = as_user(dept_head).get(week_url(campaign, food)).content.decode()
    assert "已于" in page and "报送" in page


def test_progress_outside_range_is_refused_and_nothing_is_lost(  # type: ignore[no-untyped-def]
    as_user, dept_head, campaign, food, make_task
):
    task = make_task("方案", lead_department=food)
    data = form_data([task], **{f"p{task.pk}": 150})
    response = as_user(dept_head).post(week_url(campaign, food), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "“方案”的进度应在0到100之间，现在是150。" in html
    assert "您填写的内容都还在" in html
    assert "人手紧张" in html  # what was typed is still there
    assert not WeeklyReport.objects.exists()
    task.refresh_from_db()
    assert task.progress == 0


def test_future_week_is_refused(as_user, dept_head, campaign, food, make_task):  # type: ignore[no-untyped-def]
    next_monday = MONDAY + datetime.timedelta(days=7)
    response = as_user(dept_head).get(week_url(campaign, food, next_monday))
    assert response["Location"] == week_url(campaign, food)
    with pytest.raises(ValidationError, match="还没有到"):
        services.report_submit(
            campaign=campaign,
            department=food,
            week_start=next_monday,
            data=services.ReportInput(),
            user=dept_head,
        )


def test_any_day_redirects_to_its_monday(as_user, dept_head, campaign, food):  # type: ignore[no-untyped-def]
    response = as_user(dept_head).get(week_url(campaign, food, MONDAY + datetime.timedelta(days=2)))
    assert response["Location"] == week_url(campaign, food)


def test_department_outside_the_unit_is_not_found(as_user, coordinator, campaign):  # type: ignore[no-untyped-def]
    court_dept = Organization.objects.get(name="立案庭")
    assert as_user(coordinator).get(week_url(campaign, court_dept)).status_code == 404
    with pytest.raises(ValidationError, match="不是"):
        services.report_submit(
            campaign=campaign,
            department=court_dept,
            week_start=MONDAY,
            data=services.ReportInput(),
            user=coordinator,
        )


def test_another_department_may_read_but_not_write(  # type: ignore[no-untyped-def]
    as_user, other_dept_head, campaign, food, make_task
):
    task = make_task("方案", lead_department=food)
    client = as_user(other_dept_head)
    page = client.get(week_url(campaign, food))
    assert page.status_code == 200 and "报送周报" not in page.content.decode()
    assert client.post(week_url(campaign, food), form_data([task])).status_code == 403
    assert not WeeklyReport.objects.exists()


def test_lines_must_be_the_departments_own_tasks(dept_head, campaign, food, registry, make_task):  # type: ignore[no-untyped-def]
    other = make_task("登记科的任务", lead_department=registry)
    with pytest.raises(ValidationError, match="不是食品安全监管科牵头的任务"):
        services.report_submit(
            campaign=campaign,
            department=food,
            week_start=MONDAY,
            data=services.ReportInput(lines=[services.LineInput(other.pk, 50)]),
            user=dept_head,
        )
    other.refresh_from_db()
    assert other.progress == 0


def test_submitted_report_is_locked_until_the_office_reopens_it(  # type: ignore[no-untyped-def]
    as_user, dept_head, coordinator, campaign, food, make_task
):
    task = make_task("方案", lead_department=food)
    client = as_user(dept_head)
    client.post(week_url(campaign, food), form_data([task]))
    report = WeeklyReport.objects.get()
    again = client.post(week_url(campaign, food), form_data([task], **{f"p{task.pk}": 90}))
    assert again.status_code == 302
    task.refresh_from_db()
    assert task.progress == 50
    reopen = reverse("reports:reopen", args=[report.pk])
    assert client.post(reopen).status_code == 403
    assert as_user(coordinator).post(reopen).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.lines.count() == 1  # reopened, never deleted
    assert report.reopened_by == coordinator and report.reopened_at is not None
    assert "退回本周报，请修改后重新报送" in client.get(week_url(campaign, food)).content.decode()
    client.post(week_url(campaign, food), form_data([task], **{f"p{task.pk}": 90}))
    task.refresh_from_db()
    assert task.progress == 90
    assert WeeklyReport.objects.count() == 1


def test_late_report_does_not_undo_a_later_week(dept_head, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)

    def submit(week, progress):  # type: ignore[no-untyped-def]
        return services.report_submit(
            campaign=campaign,
            department=food,
            week_start=week,
            data=services.ReportInput(lines=[services.LineInput(task.pk, progress)]),
            user=dept_head,
        )

    submit(MONDAY, 80)
    late = submit(MONDAY - datetime.timedelta(days=7), 40)
    assert late.status == ReportStatus.SUBMITTED
    assert late.lines.get().progress == 40
    task.refresh_from_db()
    assert task.progress == 80

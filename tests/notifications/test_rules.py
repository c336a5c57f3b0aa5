"""Each rule tells the right person at the right time, and only while it still matters."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.notifications.conftest import LAST_MONDAY, TODAY, at, kinds_for
from wenming.notifications.models import Kind, Notification, Preference
from wenming.notifications.rules import notify
from wenming.orgs.models import Membership
from wenming.tasks.models import ClaimStatus, ReportStatus, TaskClaim, TaskStatus, WeeklyReport


def test_task_due_in_seven_days_tells_the_responsible_person(make_task, staff, dept_head):  # type: ignore[no-untyped-def]
    task = make_task(days=7, responsible=staff)
    make_task("太远的任务", days=8, responsible=staff)

    notify()
    assert kinds_for(staff) == [("task_due_7", f"task_due_7:{task.pk}:2026-05-27")]
    assert kinds_for(dept_head) == []
    n = Notification.objects.get(kind=Kind.TASK_DUE_7)
    assert n.title == "任务7天后到期：开展道德讲堂"
    assert n.url == f"/tasks/{task.pk}/"


def test_task_without_responsible_tells_the_lead_department_heads(
    make_task, dept_head, other_dept_head, staff
):  # type: ignore[no-untyped-def]
    make_task(days=1)

    notify()
    assert [k for k, _ in kinds_for(dept_head)] == ["task_due_1"]
    assert kinds_for(staff) == kinds_for(other_dept_head) == []


def test_a_task_is_told_at_seven_days_one_day_and_overdue(make_task, staff, _today):  # type: ignore[no-untyped-def]
    make_task(days=7, responsible=staff)
    notify()
    _today.move_to(at(TODAY + datetime.timedelta(days=3)))
    assert notify() == 0  # same week, same deadline window: nothing new
    _today.move_to(at(TODAY + datetime.timedelta(days=6)))
    notify()
    _today.move_to(at(TODAY + datetime.timedelta(days=8)))
    notify()
    notify()

    assert [k for k, _ in kinds_for(staff)] == ["task_due_1", "task_due_7", "task_overdue"]
    overdue = Notification.objects.get(kind=Kind.TASK_OVERDUE, recipient=staff)
    assert "已逾期1天" in overdue.body


def test_a_new_deadline_is_a_new_event(make_task, staff):  # type: ignore[no-untyped-def]
    task = make_task(days=-2, responsible=staff)
    notify()
    task.deadline = TODAY - datetime.timedelta(days=1)
    task.save(update_fields=["deadline"])
    notify()
    assert [k for k, _ in kinds_for(staff)] == ["task_overdue", "task_overdue"]


def test_done_deleted_draft_and_inactive_campaign_tasks_are_quiet(make_task, campaign, staff):  # type: ignore[no-untyped-def]
    make_task(days=-3, responsible=staff, status=TaskStatus.DONE, progress=100)
    make_task(days=1, responsible=staff, deleted_at=timezone.now())
    make_task(days=1, responsible=staff, is_draft=True)
    notify()
    assert kinds_for(staff) == []
    make_task(days=1, responsible=staff)
    campaign.is_active = False
    campaign.save(update_fields=["is_active"])
    assert notify() == 0


def test_people_who_left_hear_nothing(make_task, staff, dept_head, other_dept_head):  # type: ignore[no-untyped-def]
    # A disabled responsible person: the department's head hears instead.
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    make_task(days=1, responsible=staff)
    notify()
    assert kinds_for(staff) == []
    assert [k for k, _ in kinds_for(dept_head)] == ["task_due_1"]

    # A responsible person whose every post has ended has left too.
    Membership.objects.filter(user=other_dept_head).update(is_active=False)
    make_task("登记窗口", days=1, responsible=other_dept_head)
    notify()
    assert kinds_for(other_dept_head) == []
    assert [k for k, _ in kinds_for(dept_head)] == ["task_due_1", "task_due_1"]
    Notification.objects.filter(recipient=dept_head).delete()

    # A head whose post has ended hears nothing more.
    Membership.objects.filter(user=dept_head).update(is_active=False)
    make_task("第二项", days=-1)
    notify()
    assert kinds_for(dept_head) == []


def test_muted_kinds_are_not_created(make_task, staff):  # type: ignore[no-untyped-def]
    Preference.objects.create(user=staff, muted_kinds=[Kind.TASK_DUE_7])
    make_task(days=5, responsible=staff)
    make_task("明天到期", days=1, responsible=staff)

    notify()
    assert [k for k, _ in kinds_for(staff)] == ["task_due_1"]


def test_claim_decision_tells_the_claimant(make_task, demo, staff, coordinator, dept_head):  # type: ignore[no-untyped-def]
    task = make_task(days=60, lead_department=None)
    approved = TaskClaim.objects.create(
        task=task,
        department=demo["food"],
        claimed_by=staff,
        status=ClaimStatus.APPROVED,
        decided_by=coordinator,
        decided_at=timezone.now(),
    )
    other = make_task("另一项", days=60, lead_department=None)
    TaskClaim.objects.create(task=other, department=demo["food"], claimed_by=dept_head)

    notify()
    assert kinds_for(staff) == [("claim_decided", f"claim_decided:{approved.pk}")]
    assert kinds_for(dept_head) == []
    assert Notification.objects.get(kind=Kind.CLAIM_DECIDED).title == "认领已同意：开展道德讲堂"


def test_returned_evidence_tells_the_uploader_once_per_return(make_item, staff):  # type: ignore[no-untyped-def]
    from wenming.ledger.models import ItemStatus

    item = make_item(status=ItemStatus.RETURNED, return_count=1, review_comment="缺少现场照片")
    make_item(status=ItemStatus.APPROVED)
    make_item(status=ItemStatus.RETURNED, return_count=1, removed_at=timezone.now())
    notify()
    notify()
    assert kinds_for(staff) == [("evidence_returned", f"evidence_returned:{item.pk}:1")]
    assert "缺少现场照片" in Notification.objects.get(kind=Kind.EVIDENCE_RETURNED).body

    item.return_count = 2
    item.save(update_fields=["return_count"])
    notify()
    assert len(kinds_for(staff)) == 2


def test_problem_assigned_then_overdue_tells_the_department_heads(
    make_problem, demo, dept_head, other_dept_head, staff, _today
):  # type: ignore[no-untyped-def]
    from wenming.oversight.models import ProblemStatus

    problem = make_problem(days=2)
    make_problem(days=-5, status=ProblemStatus.CLOSED, closed_at=timezone.now())
    # Rectified on time and waiting for verification: nothing for the department to do.
    make_problem(
        days=-1,
        status=ProblemStatus.AWAITING,
        rectified_at=at(TODAY, hour=8) - datetime.timedelta(days=3),
    )
    notify()
    assert kinds_for(dept_head) == [
        ("problem_assigned", f"problem_assigned:{problem.pk}:{demo['food'].pk}")
    ]
    assert kinds_for(staff) == []

    _today.move_to(at(TODAY + datetime.timedelta(days=3)))
    notify()
    assert [k for k, _ in kinds_for(dept_head)] == ["problem_assigned", "problem_overdue"]

    # Handed to another department: its head is told too.
    problem.department = demo["registry"]
    problem.save(update_fields=["department"])
    notify()
    assert [k for k, _ in kinds_for(other_dept_head)] == ["problem_assigned", "problem_overdue"]


def _given_last_week(task):  # type: ignore[no-untyped-def]
    from wenming.tasks.models import Task

    Task.objects.filter(pk=task.pk).update(created_at=at(LAST_MONDAY))


def test_missing_weekly_report_tells_the_heads_of_departments_with_open_tasks(
    make_task, campaign, demo, dept_head, other_dept_head
):  # type: ignore[no-untyped-def]
    make_task("本周才交办的任务", days=60, lead_department=demo["registry"])
    _given_last_week(make_task(days=60))
    notify()
    assert kinds_for(dept_head, with_reports=True) == [
        ("report_missing", f"report_missing:{demo['food'].pk}:{LAST_MONDAY.isoformat()}")
    ]
    # 登记注册科's only task was given this week: last week's report was not due.
    assert kinds_for(other_dept_head, with_reports=True) == []
    n = Notification.objects.get()
    assert n.title == "食品安全监管科上周周报未报送"
    assert n.url == f"/reports/campaign/{campaign.pk}/department/{demo['food'].pk}/week/2026-05-11/"


def test_only_a_submitted_report_counts(make_task, campaign, demo, dept_head):  # type: ignore[no-untyped-def]
    _given_last_week(make_task(days=60))
    report = WeeklyReport.objects.create(
        campaign=campaign, department=demo["food"], week_start=LAST_MONDAY
    )
    notify()
    assert len(kinds_for(dept_head, with_reports=True)) == 1  # a draft is not a report

    Notification.objects.all().delete()
    report.status = ReportStatus.SUBMITTED
    report.save(update_fields=["status"])
    notify()
    assert kinds_for(dept_head, with_reports=True) == []

"""Progress: the status follows the percentage; the lead department reports it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.tasks import services
from wenming.tasks.models import TaskStatus

pytestmark = pytest.mark.django_db


def test_status_derives_from_progress(campaign: Campaign) -> None:
    task = make_task(campaign)
    services.task_set_progress(task=task, progress=0)
    assert task.status == TaskStatus.NOT_STARTED and task.completed_at is None
    services.task_set_progress(task=task, progress=40, note="已完成方案")
    assert task.status == TaskStatus.IN_PROGRESS and task.progress_note == "已完成方案"
    # 100 % is 已完成 only with its proof in (tests/tasks/test_proof.py): here, none yet.
    services.task_set_progress(task=task, progress=100)
    task.refresh_from_db()
    assert task.status == TaskStatus.UNPROVEN and task.completed_at is None
    services.task_waive(task=task, user=None, reason="上级通知本年度免报佐证材料")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None
    services.task_set_progress(task=task, progress=99)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.completed_at is None


def test_staff_of_the_lead_department_report(
    campaign: Campaign, staff, other_dept_head, demo, as_user
) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    response = as_user(staff).post(
        reverse("tasks:progress", args=[task.pk]), {"progress": 100, "note": "已完成"}, follow=True
    )
    assert "已更新进度：100%（待佐证）" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.UNPROVEN
    # Another department's head sees the task but may not report on it.
    response = as_user(other_dept_head).post(
        reverse("tasks:progress", args=[task.pk]), {"progress": 10}
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.progress == 100

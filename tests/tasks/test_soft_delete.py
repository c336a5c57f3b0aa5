"""Deleting is soft: the task goes to the recycle bin and comes back as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.tasks.coverage import standards_needing_tasks, uncovered_standards
from wenming.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_delete_and_restore(campaign: Campaign, coordinator, demo, as_user) -> None:
    standard = standards_needing_tasks(campaign).first()
    task = make_task(campaign, lead_department=demo["food"], standards=[standard])
    client = as_user(coordinator)
    response = client.post(reverse("tasks:delete", args=[task.pk]), follow=True)
    assert "已将任务“开展道德讲堂活动”移入回收站" in response.content.decode()
    task.refresh_from_db()
    assert task.deleted_at is not None
    assert Task.objects.filter(pk=task.pk).exists()
    assert standard in uncovered_standards(campaign)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    recycle = client.get(reverse("tasks:recycle", args=[campaign.pk])).content.decode()
    assert "开展道德讲堂活动" in recycle
    client.post(reverse("tasks:restore", args=[task.pk]))
    task.refresh_from_db()
    assert task.deleted_at is None
    assert task.lead_department == demo["food"]
    assert list(task.standards.all()) == [standard]


def test_staff_cannot_delete(campaign: Campaign, staff, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    assert as_user(staff).post(reverse("tasks:delete", args=[task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.deleted_at is None

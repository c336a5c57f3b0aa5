"""Generating draft tasks from the standards: one per uncovered standard, idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.tasks import services
from wenming.tasks.coverage import coverage_summary, standards_needing_tasks
from wenming.tasks.models import StandardExclusion, Task, TaskSource

pytestmark = pytest.mark.django_db


def test_one_draft_per_standard_then_only_what_is_missing(campaign: Campaign, coordinator) -> None:
    standards = list(standards_needing_tasks(campaign).order_by("position"))
    assert len(standards) == 70
    make_task(campaign, standards=[standards[0]])
    services.standard_exclude(
        campaign=campaign, standard=standards[1], reason="本单位不涉及", user=coordinator
    )
    gone = make_task(
        campaign, standards=[standards[2]], deleted_at=datetime.datetime.now(datetime.UTC)
    )
    assert gone.deleted_at is not None

    created = services.tasks_generate_from_standards(campaign=campaign, user=coordinator)

    assert created == 68  # 70 minus the one with a live task, minus the excluded one
    generated = Task.objects.filter(source=TaskSource.GENERATED)
    assert generated.count() == 68
    task = generated.get(standards=standards[3])
    assert task.is_draft
    assert task.title == " ".join(standards[3].title.split())[:300]
    assert standards[3].title in task.requirement
    assert task.phase is not None and task.phase.name == "组织实施"
    assert task.deadline == datetime.date(2028, 6, 30)
    assert task.lead_department is None
    assert coverage_summary(campaign).uncovered == 0
    assert services.tasks_generate_from_standards(campaign=campaign, user=coordinator) == 0
    # Excluding is undone: running again adds just that one.
    services.standard_include(campaign=campaign, standard=standards[1])
    assert services.tasks_generate_from_standards(campaign=campaign, user=coordinator) == 1
    assert not StandardExclusion.objects.active().exists()


def test_generate_screen_says_how_many(campaign: Campaign, coordinator, as_user) -> None:
    client = as_user(coordinator)
    response = client.post(reverse("tasks:generate", args=[campaign.pk]), follow=True)
    assert "已按测评标准生成70项草稿任务" in response.content.decode()
    response = client.post(reverse("tasks:generate", args=[campaign.pk]), follow=True)
    assert "没有需要生成的任务" in response.content.decode()
    assert Task.objects.count() == 70

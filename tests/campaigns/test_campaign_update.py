"""Changing a plan's basics: the phases and milestones must still fit, tasks pin the system."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.campaigns.conftest import snapshot
from wenming.campaigns import services
from wenming.campaigns.models import Milestone
from wenming.frameworks import services as framework_services
from wenming.tasks.models import Task

D = datetime.date


def _kwargs(campaign, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "title": campaign.title,
        "target_level": campaign.target_level,
        "target_kind": campaign.target_kind,
        "framework": campaign.framework,
        "cycle_start": campaign.cycle_start,
        "cycle_end": campaign.cycle_end,
        "application_date": campaign.application_date,
        "guiding_ideas": "",
        "goals": "",
        "requirements": "",
    }
    data.update(overrides)
    return data


def test_edit_through_the_screen(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:edit", args=[campaign.pk])
    client = as_user(coordinator)
    assert client.get(url).status_code == 200
    data = {
        "title": "2026—2028年创建省级文明单位（修订）",
        "target_level": "province",
        "target_kind": "文明单位",
        "framework": campaign.framework_id,
        "cycle_start": "2026-01-01",
        "cycle_end": "2028-12-31",
        "application_date": "2028-10-10",
        "goals": "力争一次通过。",
    }
    assert client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title.endswith("（修订）") and campaign.goals == "力争一次通过。"


def test_shrinking_the_cycle_past_a_phase_is_refused(campaign, coordinator) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(
            campaign=campaign,
            user=coordinator,
            **_kwargs(campaign, cycle_end=D(2028, 6, 30), application_date=None),
        )
    message = " ".join(exc.value.messages)
    assert "“总结提高”、“集中申报”阶段不在新的创建周期" in message
    assert snapshot(campaign) == before


def test_milestone_outside_the_new_cycle_is_refused(campaign, coordinator) -> None:  # type: ignore[no-untyped-def]
    Milestone.objects.create(campaign=campaign, title="年初动员", due=D(2026, 1, 5))
    campaign.phases.filter(kind="mobilize").update(start=D(2026, 2, 1))
    before = snapshot(campaign)
    with pytest.raises(ValidationError, match="时间节点“年初动员”"):
        services.campaign_update(
            campaign=campaign, user=coordinator, **_kwargs(campaign, cycle_start=D(2026, 2, 1))
        )
    assert snapshot(campaign) == before


def test_framework_is_pinned_once_tasks_exist(campaign, demo, office_admin, coordinator) -> None:  # type: ignore[no-untyped-def]
    newer = framework_services.framework_new_version(
        framework=campaign.framework, user=office_admin
    )
    framework_services.framework_publish(framework=newer, user=office_admin)
    newer.refresh_from_db()
    Task.objects.create(campaign=campaign, title="落实创建规划")
    before = snapshot(campaign)
    with pytest.raises(ValidationError, match="不能更换测评体系"):
        services.campaign_update(
            campaign=campaign, user=coordinator, **_kwargs(campaign, framework=newer)
        )
    assert snapshot(campaign) == before

"""Marking a campaign 已部署: refused while standards have no task, naming them by points."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.campaigns.conftest import snapshot
from wenming.campaigns import services
from wenming.campaigns.models import CampaignStatus
from wenming.tasks.coverage import uncovered_standards
from wenming.tasks.models import StandardExclusion, Task


def test_refused_with_uncovered_standards(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    uncovered = list(uncovered_standards(campaign))
    assert uncovered
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        services.campaign_mark_organized(campaign=campaign)
    message = " ".join(exc.value.messages)
    assert f"还有{len(uncovered)}条测评标准没有对应的工作任务" in message
    # The first few by points, highest first.
    first = uncovered[0]
    assert message.index(first.code) < message.index(uncovered[4].code)
    assert all(n.code in message for n in uncovered[:5])
    assert uncovered[0].points >= uncovered[4].points
    response = as_user(coordinator).post(
        reverse("campaigns:organize", args=[campaign.pk]), follow=True
    )
    assert f"还有{len(uncovered)}条测评标准没有对应的工作任务" in response.content.decode()
    assert snapshot(campaign) == before


def test_organized_once_every_standard_is_served(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    standards = list(uncovered_standards(campaign))
    task = Task.objects.create(campaign=campaign, title="落实创建规划")
    task.standards.set(standards[:3])
    StandardExclusion.objects.bulk_create(
        StandardExclusion(campaign=campaign, standard=s, reason="本单位无此业务")
        for s in standards[3:]
    )
    response = as_user(coordinator).post(reverse("campaigns:organize", args=[campaign.pk]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ORGANIZED and campaign.organized_at is not None
    with pytest.raises(ValidationError, match="不需要再标记为已部署"):
        services.campaign_mark_organized(campaign=campaign)

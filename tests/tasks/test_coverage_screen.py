"""The coverage screen: uncovered standards by points, not-applicable with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenming.campaigns.models import Campaign
from wenming.tasks import services
from wenming.tasks.coverage import uncovered_standards
from wenming.tasks.models import StandardExclusion

pytestmark = pytest.mark.django_db


def test_exclude_needs_a_reason_and_can_be_undone(campaign: Campaign, coordinator, as_user) -> None:
    top = uncovered_standards(campaign).first()
    assert top is not None
    client = as_user(coordinator)
    page = client.get(reverse("tasks:coverage", args=[campaign.pk])).content.decode()
    assert "尚未分解70项" in page
    assert f"?standard={top.pk}" in page  # "create task" for it
    response = client.post(
        reverse("tasks:exclude", args=[campaign.pk]),
        {"standard": top.pk, "reason": "  "},
        follow=True,
    )
    assert "请填写该标准不适用于本单位的理由" in response.content.decode()
    assert not StandardExclusion.objects.exists()
    client.post(
        reverse("tasks:exclude", args=[campaign.pk]), {"standard": top.pk, "reason": "本单位无窗口"}
    )
    page = client.get(reverse("tasks:coverage", args=[campaign.pk])).content.decode()
    assert "不适用1项" in page and "本单位无窗口" in page
    client.post(reverse("tasks:include", args=[campaign.pk, top.pk]))
    assert not StandardExclusion.objects.active().exists()
    with pytest.raises(ValidationError):
        services.standard_include(campaign=campaign, standard=top)


def test_uncovered_ordered_by_points(campaign: Campaign) -> None:
    points = [s.points for s in uncovered_standards(campaign)]
    assert points == sorted(points, reverse=True)


def test_create_from_coverage_prefills_the_standard(
    campaign: Campaign, coordinator, as_user
) -> None:
    top = uncovered_standards(campaign).first()
    assert top is not None
    page = (
        as_user(coordinator)
        .get(reverse("tasks:create", args=[campaign.pk]) + f"?standard={top.pk}")
        .content.decode()
    )
    assert f'value="{top.pk}" selected' in page


def test_restoring_an_excluded_standard_keeps_the_reason_on_record(campaign, coordinator):  # type: ignore[no-untyped-def]
    from wenming.frameworks.models import Node
    from wenming.tasks import services
    from wenming.tasks.coverage import uncovered_standards
    from wenming.tasks.models import StandardExclusion

    standard = Node.objects.get(framework=campaign.framework, code="F2-2")
    services.standard_exclude(
        campaign=campaign, standard=standard, reason="本单位无对外窗口", user=coordinator
    )
    assert not uncovered_standards(campaign).filter(pk=standard.pk).exists()
    services.standard_include(campaign=campaign, standard=standard, user=coordinator)
    assert uncovered_standards(campaign).filter(pk=standard.pk).exists()
    kept = StandardExclusion.objects.get(campaign=campaign, standard=standard)
    assert kept.reason == "本单位无对外窗口" and kept.removed_by == coordinator
    # It can be excluded again afterwards.
    services.standard_exclude(
        campaign=campaign, standard=standard, reason="仍无窗口", user=coordinator
    )
    assert StandardExclusion.objects.filter(campaign=campaign, standard=standard).count() == 2

"""Helpers for the campaign plan tests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from wenming.campaigns.models import Campaign, Milestone, Phase


def snapshot(campaign: Campaign) -> dict[str, Any]:
    """What a refused change must leave as it was."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    return {
        "campaign": {
            f.attname: getattr(campaign, f.attname)
            for f in Campaign._meta.concrete_fields
            if f.attname != "updated_at"
        },
        "phases": list(
            Phase.objects.filter(campaign=campaign)
            .order_by("position")
            .values_list("kind", "start", "end", "description")
        ),
        "milestones": list(
            Milestone.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("title", "due", "owner_department_id", "is_active", "done_at")
        ),
        "count": Campaign.objects.count(),
    }


@pytest.fixture
def d():  # type: ignore[no-untyped-def]
    return datetime.date

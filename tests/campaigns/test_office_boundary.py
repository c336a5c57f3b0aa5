"""The office above reads a unit's campaign plan but does not change it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.orgs.access import OFFICE_READS_ONLY

pytestmark = pytest.mark.django_db


def test_office_reads_the_plan_without_edit_buttons(campaign, office_admin, coordinator, as_user):
    edit_url = reverse("campaigns:edit", args=[campaign.pk])
    page = as_user(office_admin).get(reverse("campaigns:detail", args=[campaign.pk]))
    assert page.status_code == 200
    assert campaign.title in page.content.decode()
    assert edit_url not in page.content.decode()
    own = as_user(coordinator).get(reverse("campaigns:detail", args=[campaign.pk]))
    assert edit_url in own.content.decode()


def test_office_is_refused_every_change_to_the_plan(campaign, office_admin, as_user):
    client = as_user(office_admin)
    for name in ("campaigns:edit", "campaigns:phases", "campaigns:milestone_create"):
        response = client.get(reverse(name, args=[campaign.pk]))
        assert response.status_code == 403
        assert OFFICE_READS_ONLY in response.content.decode()
    api = client.patch(
        reverse("api:campaign_update", args=[campaign.pk]),
        {"goals": "全面达标"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["detail"] == OFFICE_READS_ONLY
    campaign.refresh_from_db()
    assert campaign.goals != "全面达标"
    assert client.get(reverse("api:campaign_detail", args=[campaign.pk])).status_code == 200

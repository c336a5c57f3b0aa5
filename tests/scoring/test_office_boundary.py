"""Self and mock rounds are the unit's own work: the office above reads them and runs only
its formal rounds."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from wenming.frameworks.models import Node
from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.scoring import services
from wenming.scoring.models import RoundKind, Score, ScoringRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def mock_round(campaign, coordinator):  # type: ignore[no-untyped-def]
    return services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="2026年第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )


def test_office_reads_a_mock_round_but_does_not_score_it(
    as_user, office_admin, campaign, mock_round
):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    sheet = client.get(reverse("scoring:sheet", args=[mock_round.pk]))
    assert sheet.status_code == 200 and mock_round.title in sheet.content.decode()
    a11 = Node.objects.get(framework=campaign.framework, code="A1-1")
    url = reverse("scoring:score", args=[mock_round.pk, a11.pk])
    assert url not in sheet.content.decode()
    refused = client.post(url, {"grade": "达到"})
    assert refused.status_code == 403 and OFFICE_READS_ONLY in refused.content.decode()
    finish = client.post(reverse("scoring:finish", args=[mock_round.pk]))
    assert finish.status_code == 403
    assert not Score.objects.exists()


def test_office_creates_formal_rounds_only(as_user, office_admin, campaign):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    url = reverse("api:scoring_round_create", args=[campaign.pk])

    def create(kind: str):  # type: ignore[no-untyped-def]
        data = {"kind": kind, "title": "测评", "scored_on": "2026-10-20"}
        return client.post(url, json.dumps(data), content_type="application/json")

    refused = create("mock")
    assert refused.status_code == 403 and refused.json()["detail"] == OFFICE_READS_ONLY
    assert create("formal").status_code == 201
    assert list(ScoringRound.objects.values_list("kind", flat=True)) == [RoundKind.FORMAL]
    page = client.get(reverse("scoring:rounds", args=[campaign.pk])).content.decode()
    assert 'value="formal"' in page and 'value="mock"' not in page

"""The office's boundary in oversight: internal bulletins and the department assessment are
the unit's own work (the office reads them, drafts included); inspections and problems are
supervision the office keeps, except the rectification, which is the unit's to do."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.oversight.bulletins import services as bulletins
from wenming.oversight.models import Accountability, BulletinStatus, ProblemStatus

pytestmark = pytest.mark.django_db


def test_office_reads_a_draft_bulletin_but_does_not_change_or_issue_it(
    campaign, coordinator, office_admin, as_user
):  # type: ignore[no-untyped-def]
    draft = bulletins.bulletin_draft(
        campaign=campaign,
        user=coordinator,
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 4, 30),
    )
    client = as_user(office_admin)
    page = client.get(reverse("oversight:bulletin", args=[draft.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("oversight:bulletin_edit", args=[draft.pk]) not in body
    assert reverse("oversight:bulletin_issue", args=[draft.pk]) not in body
    assert "修改和印发由该单位创建办办理" in body
    listing = client.get(reverse("oversight:bulletins", args=[campaign.pk])).content.decode()
    assert draft.title in listing
    assert reverse("oversight:bulletin_new", args=[campaign.pk]) not in listing
    for name in ("oversight:bulletin_edit", "oversight:bulletin_issue"):
        response = client.post(reverse(name, args=[draft.pk]))
        assert response.status_code == 403 and OFFICE_READS_ONLY in response.content.decode()
    new = client.get(reverse("oversight:bulletin_new", args=[campaign.pk]))
    assert new.status_code == 403 and OFFICE_READS_ONLY in new.content.decode()
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT


def test_office_reads_the_assessment_records_but_records_nothing(
    campaign, demo, office_admin, as_user
):  # type: ignore[no-untyped-def]
    Accountability.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        decided_on=datetime.date(2026, 5, 10),
        reason="问题逾期未整改",
    )
    client = as_user(office_admin)
    listing = client.get(reverse("oversight:accountability", args=[campaign.pk]))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "问题逾期未整改" in body
    assert reverse("oversight:accountability_new", args=[campaign.pk]) not in body
    ranking = client.get(reverse("oversight:assessment", args=[campaign.pk])).content.decode()
    assert reverse("oversight:accountability", args=[campaign.pk]) in ranking
    assert reverse("oversight:assessment_rules", args=[campaign.pk]) not in ranking
    refused = client.post(reverse("oversight:accountability_new", args=[campaign.pk]))
    assert refused.status_code == 403 and OFFICE_READS_ONLY in refused.content.decode()
    rules = client.get(reverse("oversight:assessment_rules", args=[campaign.pk]))
    assert rules.status_code == 403
    api = client.get(reverse("api:oversight_accountability_list", args=[campaign.pk]))
    assert api.status_code == 200 and len(api.json()) == 1
    assert Accountability.objects.count() == 1


def test_office_keeps_supervision_but_does_not_rectify(campaign, problem, office_admin, as_user):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    assert client.get(reverse("oversight:inspection_new", args=[campaign.pk])).status_code == 200
    page = client.get(reverse("oversight:problem", args=[problem.pk]))
    assert page.status_code == 200
    assert reverse("oversight:start", args=[problem.pk]) not in page.content.decode()
    refused = client.post(reverse("oversight:start", args=[problem.pk]))
    assert refused.status_code == 403 and OFFICE_READS_ONLY in refused.content.decode()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.PENDING

"""The office above reads a unit's whole ledger but files, changes and reviews none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.ledger.models import ItemStatus
from wenming.orgs.access import OFFICE_READS_ONLY

pytestmark = pytest.mark.django_db


def test_office_reads_the_item_without_edit_or_review_buttons(
    as_user, office_admin, coordinator, make_item
):  # type: ignore[no-untyped-def]
    item = make_item()
    page = as_user(office_admin).get(reverse("ledger:item", args=[item.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert item.title in body
    for name in ("ledger:edit", "ledger:approve", "ledger:remove"):
        assert reverse(name, args=[item.pk]) not in body
    own = as_user(coordinator).get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert reverse("ledger:approve", args=[item.pk]) in own
    assert reverse("ledger:edit", args=[item.pk]) in own
    files = item.files.all()
    assert files
    assert as_user(office_admin).get(reverse("ledger:file", args=[files[0].pk])).status_code == 200


def test_office_is_refused_review_and_changes(as_user, office_admin, make_item, campaign):  # type: ignore[no-untyped-def]
    item = make_item()
    client = as_user(office_admin)
    approve = client.post(reverse("ledger:approve", args=[item.pk]))
    assert approve.status_code == 403 and OFFICE_READS_ONLY in approve.content.decode()
    edit = client.get(reverse("ledger:edit", args=[item.pk]))
    assert edit.status_code == 403 and OFFICE_READS_ONLY in edit.content.decode()
    review = client.get(reverse("ledger:review", args=[campaign.pk]))
    assert review.status_code == 403 and OFFICE_READS_ONLY in review.content.decode()
    api = client.patch(
        reverse("api:evidence_update", args=[item.pk]),
        {"place": "三楼会议室"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["detail"] == OFFICE_READS_ONLY
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED and item.place != "三楼会议室"
    assert client.get(reverse("api:evidence_detail", args=[item.pk])).status_code == 200


def test_office_home_has_no_review_queue(as_user, office_admin, coordinator, make_item):  # type: ignore[no-untyped-def]
    make_item()
    assert "份待审核" not in as_user(office_admin).get(reverse("home")).content.decode()
    assert "1份待审核" in as_user(coordinator).get(reverse("home")).content.decode()

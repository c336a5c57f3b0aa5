"""The demo ledger `make run` shows: every state a reviewer meets, filed once."""

from __future__ import annotations

import datetime
from pathlib import Path

import time_machine

from wenming.campaigns.models import Campaign
from wenming.ledger import completeness
from wenming.ledger.demo import load_demo_evidence
from wenming.ledger.models import EvidenceFile, EvidenceItem, ItemStatus
from wenming.orgs.demo import load_demo


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_demo_ledger_shows_every_state_and_loads_once(db) -> None:  # type: ignore[no-untyped-def]
    assert load_demo() is True
    campaign = Campaign.objects.get(unit__code="LZ-SCJG", is_active=True)
    items = EvidenceItem.objects.filter(campaign=campaign)
    live = items.filter(removed_at__isnull=True)
    # The ledger demo, the activities' items and the award's (先进典型).
    assert 25 <= items.count() <= 45
    assert live.filter(status=ItemStatus.APPROVED).count() > live.count() / 2
    assert live.filter(status=ItemStatus.SUBMITTED).exists()
    returned = live.filter(status=ItemStatus.RETURNED)
    assert returned.exists() and all(i.review_comment for i in returned)
    assert live.filter(status=ItemStatus.APPROVED, return_count=1).exists()
    assert items.filter(removed_at__isnull=False).count() == 1

    # Spread over months and departments, filed by the departments' own people.
    assert live.dates("activity_date", "month").count() >= 6
    assert live.values("department").distinct().count() >= 4
    uploaders = set(live.values_list("created_by__username", flat=True))
    assert {"jingban", "keshi2", "cjb"} <= uploaders
    assert all(i.activity_date <= datetime.date(2026, 11, 22) for i in items)

    files = EvidenceFile.objects.filter(item__campaign=campaign)
    assert {"photo", "document", "pdf"} <= set(files.values_list("kind", flat=True))
    assert all(Path(f.file.path).is_file() for f in files)
    flags = [flag["kind"] for f in files for flag in f.flags]
    assert sorted(flags) == ["date", "similar"]

    checks = [
        completeness.check_item(i, i.photo_count, i.text_count)  # type: ignore[attr-defined]
        for i in completeness.with_file_counts(live)
    ]
    assert any(not c.has_photo for c in checks)
    assert sum(c.complete for c in checks) > len(checks) / 2
    states = {r.state for r in completeness.standard_rows(campaign)}
    assert {"complete", "missing"} <= states

    counts = (items.count(), files.count())
    assert load_demo_evidence(campaign) == 0
    assert load_demo() is False
    assert (items.count(), files.count()) == counts

"""The demo's 先进典型: this year's 文明职工 rating, one nomination in 公示 with an objection
answered 不属实 and one awarded (with its ledger item) and referred to 临州好人榜; dated in
the past, loaded once."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from wenming.activities.models.nominations import (
    Category,
    Nomination,
    NominationEvent,
    Rating,
    Status,
)
from wenming.activities.nominations_demo import load_demo_nominations
from wenming.ledger.models import EvidenceFile


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_the_demo_nominations_tell_their_story_and_load_once(campaign) -> None:  # type: ignore[no-untyped-def]
    assert load_demo_nominations(campaign) == 2
    rating = Rating.objects.get()
    assert (rating.year, rating.category, rating.quota) == (2026, Category.CIVIL_WORKER, 3)
    public = Nomination.objects.get(status=Status.PUBLICIZING)
    assert (public.name, public.rating, public.department.name) == (
        "陈晓燕",
        rating,
        "食品安全监管科",
    )
    assert public.publicity_starts_on is not None and public.publicity_ends_on is not None
    today = datetime.date(2026, 11, 22)
    assert public.publicity_starts_on < today <= public.publicity_ends_on
    objection = public.objections.get()
    assert objection.upheld is False and objection.answer
    awarded = Nomination.objects.get(status=Status.REFERRED)
    assert (awarded.name, awarded.referred_to) == ("孙伟", "临州好人榜")
    assert awarded.publicity_ends_on is not None and awarded.awarded_on is not None
    assert awarded.publicity_ends_on < awarded.awarded_on <= awarded.referred_on <= today  # type: ignore[operator]
    item = awarded.evidence
    assert item is not None and list(item.standards.values_list("code", flat=True)) == ["C3-1"]
    files = EvidenceFile.objects.filter(item=item)
    assert sorted(f.kind for f in files) == ["pdf", "photo"] and not [
        f.flags for f in files if f.flags
    ]
    for n in (public, awarded):
        events = list(NominationEvent.objects.filter(nomination=n).order_by("created_at", "id"))
        assert all(e.created_at <= timezone.now() for e in events)
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
    assert load_demo_nominations(campaign) == 0
    assert Nomination.objects.count() == 2 and Rating.objects.count() == 1


@time_machine.travel(datetime.datetime(2025, 6, 1, 10, 0), tick=False)
def test_outside_the_campaigns_years_nothing_is_loaded(campaign) -> None:  # type: ignore[no-untyped-def]
    assert load_demo_nominations(campaign) == 0
    assert not Nomination.objects.exists()

"""The demo registry of 临州市文明办: about forty units in every state, loaded once."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from wenming.core.demo import DemoContext
from wenming.registry import services
from wenming.registry.demo import load_demo_registry
from wenming.registry.models import Honour, NegativeEvent, RegistryEntry, Revocation

pytestmark = pytest.mark.usefixtures("fixed_today")


def _context(demo, *, with_campaign: bool = True) -> DemoContext:  # type: ignore[no-untyped-def]
    return DemoContext(
        office=demo["office"],
        unit=demo["unit"],
        users={"wmb_admin": User.objects.get(username="wmb_admin")},
        with_campaign=with_campaign,
    )


def test_the_demo_registry_has_every_state_and_loads_once(demo) -> None:  # type: ignore[no-untyped-def]
    load_demo_registry(_context(demo, with_campaign=False))
    assert not RegistryEntry.objects.exists()  # the tests' demo builds its own
    load_demo_registry(_context(demo))
    entries = RegistryEntry.objects.filter(office=demo["office"])
    assert 40 <= entries.count() <= 45
    assert entries.filter(unit__memberships__isnull=True).count() >= 40  # units without users
    market = Honour.objects.get(entry__unit=demo["unit"])
    assert (market.title, market.level, market.year_named) == ("市级文明单位", "city", 2024)
    assert Honour.objects.filter(entry__unit=demo["court"]).count() == 2
    honours = Honour.objects.filter(entry__office=demo["office"])
    years = set(honours.values_list("year_named", flat=True))
    assert min(years) == 2015 and max(years) == 2025
    levels = {lv: honours.filter(level=lv).count() for lv in ("county", "city", "province")}
    assert levels["city"] > levels["province"] >= 3 and levels["county"] == 2
    assert honours.filter(status="kept").count() >= 5
    assert honours.filter(status="expired").count() >= 2
    # Nothing the demo shows as held has outlived its term (today is 2026).
    assert not [h for h in honours if h.is_held and h.last_year < 2026]
    rectify = honours.get(status="rectify")
    assert rectify.events.last().deadline > datetime.date(2026, 6, 15)
    assert honours.filter(status="warned").count() == 1
    revoked = honours.get(status="revoked")
    revocation = Revocation.objects.get(honour=revoked)
    assert revocation.banned_until == datetime.date(2027, 12, 31)
    assert revocation.negative_event.is_veto
    assert revocation.negative_event.what == "单位领导班子成员严重违纪被立案审查"
    assert services.ban_for(revoked.entry, datetime.date(2026, 6, 15)) == revocation
    events = NegativeEvent.objects.filter(entry__office=demo["office"])
    assert events.count() >= 4
    assert any(
        not e.reported_in_time(services.SELF_REPORT_DAYS) for e in events if e.self_reported_on
    )
    assert events.filter(self_reported_on__isnull=True).exists()
    assert revocation.document is not None and rectify.events.last().document is not None
    counts = (RegistryEntry.objects.count(), Honour.objects.count())
    load_demo_registry(_context(demo))
    assert (RegistryEntry.objects.count(), Honour.objects.count()) == counts


def test_the_demo_moves_with_the_calendar(demo) -> None:  # type: ignore[no-untyped-def]
    import time_machine

    with time_machine.travel(datetime.datetime(2029, 3, 1, 10, 0), tick=False):
        load_demo_registry(_context(demo))
        honours = list(Honour.objects.filter(entry__office=demo["office"]))
        assert max(h.year_named for h in honours) == 2028
        assert not [h for h in honours if h.is_held and h.last_year < 2029]
        revocation = Revocation.objects.get()
        assert revocation.banned_until is not None and revocation.banned_until.year >= 2029

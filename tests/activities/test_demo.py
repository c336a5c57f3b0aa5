"""The demo activities: past, inside the campaign, each with its ledger item, loaded once."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from wenming.activities import figures
from wenming.activities.demo import load_demo_activities
from wenming.activities.models import Activity
from wenming.ledger.models import EvidenceFile


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_the_demo_activities_tell_their_story_and_load_once(campaign) -> None:  # type: ignore[no-untyped-def]
    assert load_demo_activities(campaign) == 8
    activities = Activity.objects.filter(campaign=campaign).prefetch_related("attendances")
    kinds = sorted(a.kind for a in activities)
    assert kinds == [
        "festival",
        "festival",
        "moral_lecture",
        "pairing",
        "party_day",
        "study_group",
        "volunteer",
        "volunteer",
    ]
    today = datetime.date(2026, 11, 22)
    for a in activities:
        day = timezone.localtime(a.starts_at).date()
        assert campaign.cycle_start <= day < today
        people = [r for r in a.attendances.all() if r.person_id is not None]
        assert 3 <= len(people) <= 10 and all(r.hours > 0 for r in a.attendances.all())
        assert a.evidence is not None and a.evidence.created_at <= timezone.now()
    lecture = activities.get(kind="moral_lecture")
    assert len(lecture.moral_steps) == 5 and all(lecture.moral_steps.values())
    # The two festivals most recently passed were held, each inside its window.
    held = {
        r.occurrence.festival.key
        for r in figures.festival_rows(campaign.unit, 2026)
        if r.activities
    }
    assert held == {"mid_autumn", "double_ninth"}
    # Photos and the sign-in sheet are real, dated on the day: no integrity warnings.
    files = EvidenceFile.objects.filter(item__activity__campaign=campaign)
    assert files.filter(kind="photo").count() == 16 and files.filter(kind="pdf").count() == 8
    assert not [f.flags for f in files if f.flags]
    assert load_demo_activities(campaign) == 0
    assert Activity.objects.filter(campaign=campaign).count() == 8


@pytest.mark.parametrize("today", [datetime.date(2026, 3, 3), datetime.date(2027, 2, 1)])
def test_early_in_the_campaign_the_dates_stay_inside_it(campaign, today) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(10)), tick=False):
        assert load_demo_activities(campaign) >= 7
        for a in Activity.objects.filter(campaign=campaign):
            assert campaign.cycle_start <= timezone.localtime(a.starts_at).date() < today
            assert a.ends_at is not None and a.ends_at <= timezone.now()

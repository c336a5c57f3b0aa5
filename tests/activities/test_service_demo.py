"""The demo's imported hours, 双报到 and pairing: loaded through the services, the same on
every run, once only, with keshi past 100 hours (a star)."""

from __future__ import annotations

import datetime

import time_machine

from wenming.activities import community, hours, measures
from wenming.activities.hours_import import read_sheet
from wenming.activities.models import (
    CommunityFeedback,
    CommunityReport,
    HoursImport,
    Pairing,
    ServiceHours,
)
from wenming.activities.service_demo import demo_sheet, load_demo_service
from wenming.orgs.services import unit_people


def test_the_demo_loads_once_and_gives_keshi_a_star(campaign, demo, dept_head) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 9, 20, 10, 0), tick=False):
        assert load_demo_service(campaign) == {"hours_rows": 300, "reports": 3, "pairings": 1}
        assert load_demo_service(campaign) == {"hours_rows": 0, "reports": 0, "pairings": 0}
        record = HoursImport.objects.get()
        assert record.rows == 300 and ServiceHours.objects.count() == 300
        people = {e.person_id for e in ServiceHours.objects.all()}
        assert people == set(unit_people(demo["unit"]).values_list("pk", flat=True))
        latest = ServiceHours.objects.order_by("-served_on").first()
        assert latest is not None and latest.served_on < datetime.date(2026, 9, 20)
        total = hours.of_person(dept_head, demo["unit"])
        assert total >= 100 and measures.star_of(total) >= 1
        assert CommunityReport.objects.count() == 3
        assert set(CommunityFeedback.objects.values_list("year", "quarter")) == {(2026, 2)}
        assert community.community_figures(demo["unit"], 2026)["reported"] == 3
        pairing = Pairing.objects.get()
        assert pairing.visits_planned == 4 and pairing.plan


def test_the_sheet_is_the_same_every_time(demo) -> None:  # type: ignore[no-untyped-def]
    people = list(unit_people(demo["unit"]))
    today = datetime.date(2026, 9, 20)
    first = read_sheet(demo_sheet(people, today))
    second = read_sheet(demo_sheet(people, today))
    assert len(first) == 300 and first == second

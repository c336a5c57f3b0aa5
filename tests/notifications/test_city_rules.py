"""The supervision rules: each unit's 创建办 hears of the month's information due and
overdue, unacknowledged priorities, dispatched and returned problems; once each."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from tests.supervision.conftest import D, travel
from wenming.notifications.models import Kind, Notification
from wenming.notifications.rules import notify
from wenming.orgs.models import Membership, Role
from wenming.supervision import directives
from wenming.supervision.models import (
    CityInspection,
    CityProblem,
    CityProblemAction,
    CityProblemEvent,
)


@pytest.fixture
def units(demo, office_admin):  # type: ignore[no-untyped-def]
    from wenming.registry import services

    for unit in (demo["unit"], demo["court"]):
        services.entry_register(office=demo["office"], user=office_admin, unit=unit)
    court_cjb = User.objects.create_user("court_cjb")
    Membership.objects.create(user=court_cjb, organization=demo["court"], role=Role.COORDINATOR)
    return court_cjb


def _kinds(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_info_due_then_overdue_only_to_units_without_a_submission(  # type: ignore[no-untyped-def]
    demo, office_admin, coordinator, units, leader
):
    with travel(D(2026, 6, 1)):
        info_round = directives.info_round_open(
            office=demo["office"], user=office_admin, year=2026, month=6, due_on=D(2026, 6, 25)
        )
        notify()
    assert _kinds(coordinator) == []  # not yet within 3 days
    with travel(D(2026, 6, 22)):
        directives.info_submit(
            info_round=info_round, user=units, unit=demo["court"], title="t", content="c"
        )
        notify()
        notify()
    assert _kinds(coordinator) == [Kind.INFO_DUE]
    assert _kinds(units) == [] and _kinds(leader) == []
    n = Notification.objects.get(recipient=coordinator)
    assert (
        n.title == "2026年6月信息报送3天后截止" and n.url == f"/supervision/info/{info_round.pk}/"
    )
    with travel(D(2026, 6, 26)):
        notify()
    with travel(D(2026, 6, 28)):
        notify()
    assert _kinds(coordinator) == [Kind.INFO_DUE, Kind.INFO_OVERDUE]


def test_priority_published_until_acknowledged(demo, office_admin, coordinator, units):  # type: ignore[no-untyped-def]
    with travel(D(2026, 6, 15)):
        priority = directives.priority_create(
            office=demo["office"],
            user=office_admin,
            year=2026,
            quarter=3,
            title="三季度重点",
            body="b",
            acknowledge_by=D(2026, 6, 30),
        )
        notify()
        assert Notification.objects.count() == 0  # a draft tells nobody
        directives.priority_publish(priority=priority, user=office_admin)
        directives.priority_acknowledge(priority=priority, user=units, unit=demo["court"])
        notify()
        notify()
    assert _kinds(coordinator) == [Kind.PRIORITY_PUBLISHED]
    assert _kinds(units) == []
    with travel(D(2026, 8, 1)):  # older than 30 days: history, not news
        Notification.objects.all().delete()
        notify()
    assert Notification.objects.count() == 0


def test_dispatched_and_returned_problems(demo, office_admin, coordinator, units):  # type: ignore[no-untyped-def]
    with travel(D(2026, 6, 15)):
        inspection = CityInspection.objects.create(
            office=demo["office"],
            unit=demo["unit"],
            kind="open",
            inspected_on=D(2026, 6, 14),
            inspectors="张三",
        )
        problem = CityProblem.objects.create(
            inspection=inspection,
            office=demo["office"],
            unit=demo["unit"],
            year=2026,
            sequence=1,
            description="楼道堆放杂物",
            deadline=D(2026, 6, 30),
        )
        CityProblemEvent.objects.create(
            problem=problem, action=CityProblemAction.RETURNED, comment="照片不清"
        )
        notify()
        notify()
    assert _kinds(coordinator) == [Kind.CITY_PROBLEM, Kind.CITY_PROBLEM_RETURNED]
    assert _kinds(units) == []
    returned = Notification.objects.get(kind=Kind.CITY_PROBLEM_RETURNED)
    assert "照片不清" in returned.body and returned.url == f"/supervision/problems/{problem.pk}/"


def test_the_scan_stays_bounded(  # type: ignore[no-untyped-def]
    demo, office_admin, units, django_assert_max_num_queries
):
    from wenming.notifications.city_rules import city_events

    with travel(D(2026, 6, 23)):
        for month in range(1, 7):
            directives.info_round_open(
                office=demo["office"],
                user=office_admin,
                year=2026,
                month=month,
                due_on=D(2026, 6, 20) + datetime.timedelta(days=month),
            )
        with django_assert_max_num_queries(10):
            events = city_events(D(2026, 6, 23))
    assert len(events) == 12

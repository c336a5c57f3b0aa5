"""The home page tells a unit's 创建办 that a 申报 window is open for it."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.applications.conftest import travel


def test_coordinator_is_told_of_an_open_window_until_the_unit_applies(  # type: ignore[no-untyped-def]
    as_user, batch, entry, coordinator, demo
) -> None:
    client = as_user(coordinator)
    html = client.get(reverse("home")).content.decode()
    assert 'data-card="application_window"' in html
    assert "2026年度市级文明单位申报" in html and "本单位尚未申报" in html
    assert reverse("applications:batch", args=[batch.pk]) in html
    # Seven days or fewer before the deadline, the days left are shown.
    with travel(datetime.date(2026, 6, 25)):
        assert "还剩5天" in as_user(coordinator).get(reverse("home")).content.decode()
    # Once the unit has applied, the reminder goes.
    from tests.applications.conftest import FORM
    from wenming.applications import services

    services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    assert 'data-card="application_window"' not in client.get(reverse("home")).content.decode()


def test_closed_windows_and_other_roles_are_not_told(  # type: ignore[no-untyped-def]
    as_user, batch, entry, coordinator, office_admin, leader
) -> None:
    for user in (office_admin, leader):
        html = as_user(user).get(reverse("home")).content.decode()
        assert 'data-card="application_window"' not in html
    with travel(datetime.date(2026, 7, 1)):
        html = as_user(coordinator).get(reverse("home")).content.decode()
        assert 'data-card="application_window"' not in html


def test_office_admin_is_not_offered_a_campaign_of_its_own(as_user, office_admin) -> None:  # type: ignore[no-untyped-def]
    html = as_user(office_admin).get(reverse("home")).content.decode()
    assert "为本单位新建创建工作" not in html

"""The hub (/supervision/), the office's home queues and the unit's home card."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.supervision.conftest import TODAY, travel
from wenming.supervision import directives, problems
from wenming.supervision.models import InspectionKind

pytestmark = pytest.mark.usefixtures("registered", "fixed_today")


@pytest.fixture
def dispatched(demo, office_admin):  # type: ignore[no-untyped-def]
    inspection = problems.inspection_create(
        office=demo["office"],
        user=office_admin,
        unit=demo["unit"],
        kind=InspectionKind.COVERT,
        inspected_on=TODAY,
        inspectors="王敏、李强",
    )
    return problems.problem_dispatch(
        inspection=inspection,
        user=office_admin,
        description="办事大厅志愿服务台无人值守",
        deadline=TODAY + datetime.timedelta(days=10),
    )


@pytest.fixture
def month(demo, office_admin):  # type: ignore[no-untyped-def]
    return directives.info_round_open(
        office=demo["office"],
        user=office_admin,
        year=2026,
        month=6,
        due_on=datetime.date(2026, 6, 12),
    )


def test_office_hub_and_home_show_its_queues(as_user, office_admin, dispatched, month):
    client = as_user(office_admin)
    hub = client.get(reverse("supervision:index")).content.decode()
    assert "督查与报送" in hub and "市场监督管理局" in hub and "2026年6月信息报送" in hub
    assert 'data-tile="info_missing"' in hub
    home = client.get(reverse("home")).content.decode()
    assert 'data-queue="supervision"' in home and "6月信息未报送单位" in home
    # The unit's internal verification queue is not the office's.
    assert "待验收问题" not in home


def test_unit_coordinator_sees_what_the_office_asks(as_user, coordinator, dispatched, month):
    client = as_user(coordinator)
    hub = client.get(reverse("supervision:index")).content.decode()
    assert dispatched.number in hub and "本单位逾期未报" in hub
    home = client.get(reverse("home")).content.decode()
    assert 'data-card="city_work"' in home and "文明办交办问题待整改" in home


def test_another_units_people_see_nothing_of_it(as_user, demo, dispatched, month, outsider_admin):
    hub = as_user(outsider_admin).get(reverse("supervision:index")).content.decode()
    assert dispatched.number not in hub and "市场监督管理局" not in hub


def test_department_people_are_refused(as_user, staff):
    assert as_user(staff).get(reverse("supervision:index")).status_code == 403


def test_hub_queries_are_bounded(
    as_user, office_admin, demo, dispatched, django_assert_max_num_queries
):
    client = as_user(office_admin)
    with travel(TODAY), django_assert_max_num_queries(30):
        assert client.get(reverse("supervision:index")).status_code == 200

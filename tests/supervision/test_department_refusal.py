"""One refusal for department roles: the hub, the lists and the pages of inspections,
problems, priorities and months answer them 403 with the same sentence, on the screens and in
the API, and show them nothing; the unit's own people and the office still read them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.supervision.conftest import D
from wenming.supervision import access, directives, problems

pytestmark = pytest.mark.usefixtures("fixed_today", "registered")
API = "/api/v1/supervision"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def objects(demo, office_admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    inspection = problems.inspection_create(
        office=demo["office"],
        user=office_admin,
        unit=demo["unit"],
        kind="open",
        inspected_on=D(2026, 6, 10),
        inspectors="张伟",
    )
    problem = problems.problem_dispatch(
        inspection=inspection,
        user=office_admin,
        description="大厅公益广告破损",
        deadline=D(2026, 6, 30),
    )
    priority = directives.priority_create(
        office=demo["office"],
        user=office_admin,
        year=2026,
        quarter=3,
        title="第三季度重点工作",
        body="要求",
        acknowledge_by=D(2026, 6, 30),
    )
    directives.priority_publish(priority=priority, user=office_admin)
    info_round = directives.info_round_open(
        office=demo["office"], user=office_admin, year=2026, month=6, due_on=D(2026, 6, 25)
    )
    return {
        "inspection": inspection,
        "problem": problem,
        "priority": priority,
        "info_round": info_round,
    }


def _screens(o: dict[str, Any]) -> list[str]:
    return [
        reverse("supervision:index"),
        reverse("supervision:inspections"),
        reverse("supervision:inspection", args=[o["inspection"].pk]),
        reverse("supervision:problems"),
        reverse("supervision:problem", args=[o["problem"].pk]),
        reverse("supervision:priorities"),
        reverse("supervision:priority", args=[o["priority"].pk]),
        reverse("supervision:info_rounds"),
        reverse("supervision:info_round", args=[o["info_round"].pk]),
    ]


def _api(o: dict[str, Any]) -> list[str]:
    return [
        f"{API}/inspections",
        f"{API}/inspections/{o['inspection'].pk}",
        f"{API}/problems",
        f"{API}/problems/{o['problem'].pk}",
        f"{API}/priorities",
        f"{API}/priorities/{o['priority'].pk}",
        f"{API}/info-rounds",
        f"{API}/info-rounds/{o['info_round'].pk}",
    ]


def test_department_people_get_one_refusal_everywhere(objects, staff, dept_head):  # type: ignore[no-untyped-def]
    for user in (staff, dept_head):
        client = _client(user)
        for url in _screens(objects):
            response = client.get(url)
            assert response.status_code == 403, url
            page = response.content.decode()
            assert access.READERS_ONLY in page, url
            assert "第三季度重点工作" not in page and "大厅公益广告破损" not in page
        for url in _api(objects):
            response = client.get(url)
            assert response.status_code == 403, url
            assert response.json()["detail"] == access.READERS_ONLY, url


def test_an_unknown_id_is_refused_the_same_way(objects, staff):  # type: ignore[no-untyped-def]
    """Refused before anything is looked up: nothing is learned from the answer."""
    client = _client(staff)
    assert client.get(reverse("supervision:priority", args=[999999])).status_code == 403
    assert client.get(f"{API}/info-rounds/999999").status_code == 403


def test_the_unit_and_the_office_still_read(objects, coordinator, leader, office_admin):  # type: ignore[no-untyped-def]
    for user in (coordinator, leader, office_admin):
        client = _client(user)
        for url in _screens(objects):
            assert client.get(url).status_code == 200, url
        for url in _api(objects):
            assert client.get(url).status_code == 200, url


def test_another_city_is_still_told_nothing(objects, outsider_admin):  # type: ignore[no-untyped-def]
    client = _client(outsider_admin)
    assert client.get(reverse("supervision:priorities")).status_code == 200
    assert "第三季度重点工作" not in client.get(reverse("supervision:priorities")).content.decode()
    url = reverse("supervision:priority", args=[objects["priority"].pk])
    assert client.get(url).status_code == 404
    assert client.get(f"{API}/info-rounds").json()["count"] == 0

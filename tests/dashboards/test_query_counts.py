"""The dashboards issue a bounded number of queries whatever the amount of data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.dashboards.conftest import add_evidence, add_problem, add_task, at
from tests.factories import make_campaign

# Measured: cockpit 32, department 34 (the ranking is the yearly assessment: its rule and
# measures), office 12 (session, user, scope and the nav included), whatever the size; the
# bounds leave a little room for the nav. The totals backed by evidence add the ledger's 3
# queries to the cockpits and 4 to the office (the ledger of all units, the scores given).
COCKPIT_MAX = 39
OFFICE_MAX = 18


def grow(data: dict[str, Any], demo: dict[str, Any], n: int) -> None:
    """Add n tasks, problems and evidence items spread over departments, and n units with
    their campaign and a scored round under the office."""
    from wenming.orgs.models import Organization, OrgKind
    from wenming.scoring.models import RoundKind, Score, ScoringRound

    campaign = data["campaign"]
    departments = [data["food"], data["registry"]]
    standards = [data["node"]["A1-1"], data["node"]["B1-1"], data["node"]["C1-1"]]
    base = 100 + 10 * n
    for i in range(n):
        dept = departments[i % 2]
        add_task(
            campaign,
            title=f"任务{i}",
            lead_department=dept,
            phase=data["implement"],
            status="done" if i % 3 == 0 else "in_progress",
            progress=100 if i % 3 == 0 else 30,
            completed_at=at(datetime.date(2026, 5, 4)) if i % 3 == 0 else None,
            deadline=datetime.date(2026, 5, 1 + i % 28),
            standards=[standards[i % 3]],
        )
        add_problem(
            campaign,
            base + i,
            department=dept,
            deadline=datetime.date(2026, 5, 1 + i % 28),
            status="pending",
        )
        add_evidence(campaign, dept, "approved" if i % 2 else "submitted", [standards[i % 3]])
    for i in range(n):
        unit = Organization.objects.create(
            kind=OrgKind.UNIT, parent=demo["office"], name=f"测试单位{n}-{i}"
        )
        Organization.objects.create(kind=OrgKind.DEPARTMENT, parent=unit, name="办公室")
        other = make_campaign(unit=unit, office=demo["office"])
        add_task(other, title="任务", deadline=datetime.date(2026, 5, 1))
        round_ = ScoringRound.objects.create(
            campaign=other,
            framework=other.framework,
            kind=RoundKind.SELF,
            title="自评",
            scored_on=datetime.date(2026, 5, 1),
        )
        Score.objects.create(round=round_, standard=standards[0], points=Decimal("2"))


@pytest.mark.parametrize("size", [0, 25])
def test_cockpit_queries_bounded(
    size, data, demo, as_user, leader, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    grow(data, demo, size)
    client = as_user(leader)
    url = reverse("dashboards:campaign", args=[data["campaign"].pk])
    with django_assert_max_num_queries(COCKPIT_MAX):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(COCKPIT_MAX):
        assert client.get(url + f"?item={data['node']['A'].pk}").status_code == 200


@pytest.mark.parametrize("size", [0, 25])
def test_department_queries_bounded(
    size, data, demo, as_user, dept_head, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    grow(data, demo, size)
    client = as_user(dept_head)
    url = reverse("dashboards:department", args=[data["campaign"].pk, data["food"].pk])
    with django_assert_max_num_queries(COCKPIT_MAX):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [0, 25])
def test_office_queries_bounded(
    size, data, demo, as_user, office_admin, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    grow(data, demo, size)
    client = as_user(office_admin)
    url = reverse("dashboards:office", args=[demo["office"].pk])
    with django_assert_max_num_queries(OFFICE_MAX):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) >= size + 1

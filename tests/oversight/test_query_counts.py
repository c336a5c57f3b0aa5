"""The problem ledger and the workbench read a bounded number of rows, whatever the data."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from wenming.oversight.models import Problem

pytestmark = pytest.mark.django_db


def _fill(campaign, demo, inspection, n: int) -> None:  # type: ignore[no-untyped-def]
    start = Problem.objects.count()
    Problem.objects.bulk_create(
        Problem(
            inspection=inspection if i % 2 else None,
            campaign=campaign,
            unit=demo["unit"],
            year=2026,
            sequence=start + i + 1,
            description=f"问题{i}",
            department=demo["food"] if i % 3 else demo["registry"],
            deadline=datetime.date(2026, 5, 1) + datetime.timedelta(days=i),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("count", [3, 30])
def test_problem_ledger_queries_are_bounded(
    count, as_user, campaign, demo, inspection, leader, django_assert_max_num_queries
):
    _fill(campaign, demo, inspection, count)
    client = as_user(leader)
    url = reverse("oversight:problems", args=[campaign.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url, {"overdue": "on"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_workbench_and_inspection_queries_are_bounded(
    count, as_user, campaign, demo, inspection, dept_head, django_assert_max_num_queries
):
    _fill(campaign, demo, inspection, count)
    client = as_user(dept_head)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("oversight:inspection", args=[inspection.pk])).status_code == 200

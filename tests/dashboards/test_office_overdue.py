"""The lists behind the office view's 逾期任务合计 and 逾期问题合计: the same items the totals
count, across the office's units, for the office's people only, in bounded queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboards.test_query_counts import OFFICE_MAX, grow


def _listed(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [row.pk for row in response.context["page"].object_list]


def test_lists_hold_what_the_totals_count(data, demo, as_user, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    office = client.get(reverse("dashboards:office", args=[demo["office"].pk]))
    summary = office.context["summary"]
    tasks_url = reverse("dashboards:office_overdue", args=[demo["office"].pk, "tasks"])
    problems_url = reverse("dashboards:office_overdue", args=[demo["office"].pk, "problems"])
    # The totals link to the lists.
    assert tasks_url in office.content.decode() and problems_url in office.content.decode()

    tasks = client.get(tasks_url)
    assert tasks.status_code == 200
    # Only 食品任务二 is past its deadline (1 May) and not done on 20 May.
    assert _listed(tasks) == [data["tasks"]["t2"].pk]
    assert tasks.context["page"].paginator.count == summary["overdue_tasks"]
    assert "19天" in tasks.content.decode()

    problems = client.get(problems_url)
    assert problems.status_code == 200
    assert data["problems"]["p1"].pk in _listed(problems)
    assert problems.context["page"].paginator.count == summary["overdue_problems"]


def test_lists_are_for_the_office_only(data, demo, as_user, leader, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    url = reverse("dashboards:office_overdue", args=[demo["office"].pk, "tasks"])
    assert as_user(leader).get(url).status_code == 404
    assert as_user(outsider_admin).get(url).status_code == 404


def test_unknown_list_is_not_found(demo, as_user, office_admin) -> None:  # type: ignore[no-untyped-def]
    url = reverse("dashboards:office_overdue", args=[demo["office"].pk, "people"])
    assert as_user(office_admin).get(url).status_code == 404


@pytest.mark.parametrize("size", [0, 25])
@pytest.mark.parametrize("kind", ["tasks", "problems"])
def test_list_queries_bounded(
    size, kind, data, demo, as_user, office_admin, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    grow(data, demo, size)
    url = reverse("dashboards:office_overdue", args=[demo["office"].pk, kind])
    client = as_user(office_admin)
    with django_assert_max_num_queries(OFFICE_MAX):
        response = client.get(url)
    assert response.status_code == 200
    # grow() adds problems due 1–28 May, most of them overdue on 20 May.
    assert response.context["page"].paginator.count > (10 if size and kind == "problems" else 0)

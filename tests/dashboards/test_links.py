"""Every number on the dashboards links to the list it counts: follow the links and count."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.dashboards.conftest import TODAY
from wenming.dashboards import services
from wenming.dashboards.office import office_units


def listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_headline_links_count_what_they_say(data, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    head = services.headline(data["campaign"], TODAY)
    assert listed(client, head.tasks_url) == head.tasks == 6
    assert listed(client, head.done_url) == head.done
    assert listed(client, head.overdue_tasks_url) == head.overdue_tasks
    assert listed(client, head.open_problems_url) == head.open_problems
    assert listed(client, head.overdue_problems_url) == head.overdue_problems
    assert listed(client, head.evidence_url) == head.evidence
    assert listed(client, head.evidence_approved_url) == head.evidence_approved


def test_department_links_list_only_the_tasks_it_leads(data, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    from wenming.tasks.models import Task

    # A task food only cooperates on must not be counted as food's.
    extra = Task.objects.create(
        campaign=data["campaign"], title="配合任务", lead_department=data["registry"]
    )
    extra.co_departments.add(data["food"])
    client = as_user(coordinator)
    ranking = {r.department.pk: r for r in services.department_ranking(data["campaign"], TODAY)}
    food = ranking[data["food"].pk]
    keys: list[tuple[str, str]] = [
        ("tasks", "tasks"),
        ("done", "done"),
        ("overdue_tasks", "overdue_tasks"),
        ("evidence", "evidence"),
        ("evidence_approved", "evidence_approved"),
        ("problems", "problems"),
        ("open_problems", "open_problems"),
        ("overdue_problems", "overdue_problems"),
    ]
    for key, attr in keys:
        assert listed(client, food.urls[key]) == getattr(food, attr), key
    assert f"department={data['food'].pk}" in food.urls["tasks"]
    assert "lead=1" in food.urls["tasks"]


def test_phase_links(data, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    for row in services.phase_progress(data["campaign"], TODAY):
        assert listed(client, row.tasks_url) == row.total, row.label
        assert listed(client, row.done_url) == row.done, row.label
        assert listed(client, row.overdue_url) == row.overdue, row.label


def test_heat_map_cells_link_to_the_items_of_standard_and_department(
    data, as_user, coordinator
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    heat = services.coverage(data["campaign"], item_id=data["node"]["A"].pk, base_url="/")
    checked = 0
    for row in heat.rows:
        for count, url in row.cells:
            if count or checked < 3:
                assert listed(client, url) == count, url
                checked += 1
    assert checked >= 3


def test_office_links(data, demo, as_user, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    row: Any = next(r for r in office_units(demo["office"], TODAY) if r.campaign)
    assert listed(client, row.urls["tasks"]) == row.tasks
    assert listed(client, row.urls["done"]) == row.done
    assert listed(client, row.urls["overdue_tasks"]) == row.overdue_tasks
    assert listed(client, row.urls["open_problems"]) == row.open_problems
    assert listed(client, row.urls["overdue_problems"]) == row.overdue_problems
    assert client.get(row.urls["cockpit"]).status_code == 200
    assert client.get(row.urls["sheet"]).status_code == 200


def test_pages_carry_the_links(data, demo, as_user, leader, office_admin) -> None:  # type: ignore[no-untyped-def]
    campaign = data["campaign"]
    text = as_user(leader).get(f"/dashboards/campaign/{campaign.pk}/").content.decode()
    head = services.headline(campaign, TODAY)
    for url in [head.overdue_tasks_url, head.overdue_problems_url, head.evidence_approved_url]:
        assert url.replace("&", "&amp;") in text
    assert f"/scoring/round/{data['round'].pk}/gaps/" in text
    office = as_user(office_admin).get(f"/dashboards/office/{demo['office'].pk}/")
    assert f'href="/dashboards/campaign/{campaign.pk}/"' in office.content.decode()

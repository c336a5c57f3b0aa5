"""The dashboards API: the hand-worked numbers of conftest.py as JSON, the screens' access,
and a bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.test_query_counts import grow

# Measured: 24 for the cockpit, 26 for a department, 12 for the office (session, user and
# scope included), whatever the size.
COCKPIT_MAX = 37  # the ranking is the yearly assessment: its rule and measures; +3 the ledger
OFFICE_MAX = 16  # +4: the backed totals (the ledger of all units and the scores given)


def _cockpit(data: dict[str, Any]) -> str:
    return reverse("api:dashboard_campaign", args=[data["campaign"].pk])


def _department(data: dict[str, Any], dept: Any) -> str:
    return reverse("api:dashboard_department", args=[data["campaign"].pk, dept.pk])


def test_cockpit_numbers(data, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    response = as_user(leader).get(_cockpit(data))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["campaign"]["id"] == data["campaign"].pk
    assert body["department"] is None
    assert body["today"] == "2026-05-20"
    head = body["headline"]
    assert (head["tasks"], head["done"], head["overdue_tasks"]) == (6, 3, 1)
    assert (head["done_percent"], head["mean_progress"]) == ("50.0", "65.0")
    assert (head["open_problems"], head["overdue_problems"]) == (2, 1)
    assert (head["evidence"], head["evidence_approved"]) == (3, 2)

    phases = {p["label"]: p for p in body["phases"]}
    implement = phases["组织实施"]
    assert (implement["total"], implement["done"], implement["overdue"]) == (5, 2, 1)
    assert (implement["done_percent"], implement["mean_progress"]) == ("40.0", "58.0")

    projection = body["projection"]
    assert projection["round"]["id"] == data["round"].pk
    assert projection["round"]["kind"] == "mock"
    assert projection["round"]["title"] == "第一次模拟测评"
    # The projection is backed by evidence: A1-1 and A1-2 were scored, their ledger is not
    # complete, so they count at zero; the self-assessed figure is beside it (`claimed`).
    assert (projection["total"], projection["threshold"]) == ("0.00", "85.00")
    assert (projection["passes"], projection["gap"]) == (False, "-85.00")
    claimed = body["claimed"]
    assert (claimed["total"], claimed["passes"], claimed["gap"]) == ("2.50", False, "-82.50")
    difference = body["difference"]
    assert (difference["count"], difference["points"], difference["total"]) == (2, "2.50", "2.50")
    assert [s["code"] for s in difference["standards"]] == ["A1-1", "A1-2"]
    lost = body["lost_items"]
    assert [i["code"] for i in lost[:2]] == ["C", "F"]
    assert lost[0]["lost"] == "14.00"

    ranking = body["ranking"]
    assert [r["department"]["name"] for r in ranking[:2]] == ["登记注册科", "食品安全监管科"]
    food = ranking[1]
    # The ranking is the yearly assessment (docs/oversight.md, "部门考核").
    assert (food["rank"], food["total"], food["ranked"], food["year"]) == (2, "40.63", True, 2026)
    rates = {m["key"]: m["rate"] for m in food["measures"]}
    assert (rates["tasks_on_time"], rates["problems_on_time"]) == ("50.0", "50.0")
    assert rates["evidence_first_pass"] is None  # nothing reviewed: 无考核事项
    assert ranking[0]["total"] == "72.73"
    # Departments with nothing to assess are listed last, without a place.
    assert ranking[2:] and all(
        r["rank"] is None and not r["ranked"] and r["tasks"] == 0 for r in ranking[2:]
    )

    weeks = body["weeks"]
    assert len(weeks) == 12 and weeks[-1]["start"] == "2026-05-18"
    assert (weeks[-1]["cumulative_done"], weeks[-1]["cumulative_percent"]) == (3, "50.0")
    assert (weeks[-1]["problems_opened"], weeks[-1]["problems_closed"]) == (3, 1)

    heat = body["heatmap"]
    assert heat["level"] == "item"
    columns = [c["name"] for c in heat["columns"]]
    rows = {r["node"]["code"]: r for r in heat["rows"]}
    assert rows["A"]["counts"][columns.index("食品安全监管科")] == 2
    assert rows["B"]["counts"][columns.index("登记注册科")] == 1
    assert rows["C"]["total"] == 0


def test_cockpit_heatmap_drills_down_to_an_item(data, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    item = data["node"]["A"]
    body = as_user(leader).get(_cockpit(data), {"item": item.pk}).json()
    heat = body["heatmap"]
    assert heat["level"] == "standard" and heat["item"]["code"] == "A"
    food = [c["name"] for c in heat["columns"]].index("食品安全监管科")
    rows = {r["node"]["code"]: r["counts"][food] for r in heat["rows"]}
    assert (rows["A1-1"], rows["A1-2"]) == (2, 1)


def test_cockpit_without_a_round_has_no_projection(campaign, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    body = as_user(leader).get(reverse("api:dashboard_campaign", args=[campaign.pk])).json()
    assert body["projection"] is None and body["lost_items"] == []


def test_department_numbers(data, as_user, dept_head) -> None:  # type: ignore[no-untyped-def]
    response = as_user(dept_head).get(_department(data, data["food"]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["department"] == {"id": data["food"].pk, "name": "食品安全监管科"}
    head = body["headline"]
    assert (head["tasks"], head["done"], head["overdue_tasks"]) == (3, 1, 1)
    assert (head["open_problems"], head["overdue_problems"]) == (1, 1)
    assert (head["evidence"], head["evidence_approved"]) == (2, 1)
    # Losses of the backed figure: A1-1's 1.5 points count at zero, its ledger is not complete.
    assert [(i["code"], i["possible"], i["scored"], i["lost"]) for i in body["lost_items"]] == [
        ("A1-1", "2.00", "0.00", "2.00"),
        ("A1-2", "1.00", "0.00", "1.00"),
    ]
    heat = body["heatmap"]
    assert [c["name"] for c in heat["columns"]] == ["食品安全监管科"]
    assert {r["node"]["code"]: r["total"] for r in heat["rows"]} == {"A1-1": 2, "A1-2": 1}
    # The ranking stays unit-wide.
    assert len(body["ranking"]) > 2


def test_department_access_follows_the_screen(
    data, as_user, dept_head, other_dept_head, leader
) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Organization

    food, registry = _department(data, data["food"]), _department(data, data["registry"])
    assert as_user(dept_head).get(registry).status_code == 403
    response = as_user(other_dept_head).get(food)
    assert response.status_code == 403
    assert response.json()["detail"] == "只能查看本部门的驾驶舱；全单位情况请向创建办了解。"
    assert as_user(other_dept_head).get(registry).status_code == 200
    assert as_user(leader).get(registry).status_code == 200
    foreign = Organization.objects.get(name="纳税服务科")
    response = as_user(leader).get(_department(data, foreign))
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到该部门，或该部门不属于本单位。"


def test_other_city_is_told_nothing(data, demo, as_user, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    client = as_user(outsider_admin)
    response = client.get(_cockpit(data))
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到该创建工作，或您无权查看。"
    assert client.get(_department(data, data["food"])).status_code == 404
    office = reverse("api:dashboard_office", args=[demo["office"].pk])
    assert client.get(office).status_code == 404


def test_anonymous_is_401(data, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(_cockpit(data)).status_code == 401


def test_office_rows(data, demo, as_user, office_admin) -> None:  # type: ignore[no-untyped-def]
    response = as_user(office_admin).get(reverse("api:dashboard_office", args=[demo["office"].pk]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["office"]["id"] == demo["office"].pk
    assert body["summary"]["campaigns"] == 1 and body["summary"]["scored"] == 1
    assert body["summary"]["units"] == len(body["units"])
    units = {u["unit"]["id"]: u for u in body["units"]}
    unit = units[demo["unit"].pk]
    assert unit["campaign"] == {"id": data["campaign"].pk, "title": data["campaign"].title}
    assert (unit["tasks"], unit["done"], unit["done_percent"]) == (6, 3, "50.0")
    assert (unit["overdue_tasks"], unit["open_problems"], unit["overdue_problems"]) == (1, 2, 1)
    assert (unit["total"], unit["threshold"], unit["passes"]) == ("0.00", "85.00", False)
    assert (unit["claimed_total"], unit["unbacked_count"], unit["unbacked_points"]) == (
        "2.50",
        2,
        "2.50",
    )
    assert unit["round"]["id"] == data["round"].pk and unit["rank"] == 1
    # A unit without a campaign is listed last, unranked, without numbers.
    last = body["units"][-1]
    assert last["campaign"] is None and last["rank"] is None and last["total"] is None


def test_office_view_is_for_office_people(
    data, demo, as_user, leader, dept_head, coordinator
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api:dashboard_office", args=[demo["office"].pk])
    for user in (leader, dept_head, coordinator):
        response = as_user(user).get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == "没有找到该文明办，或您无权查看。"


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_bounded(data, demo, as_user, leader, dept_head, office_admin) -> None:  # type: ignore[no-untyped-def]
    urls = [
        (leader, _cockpit(data)),
        (leader, _cockpit(data) + f"?item={data['node']['A'].pk}"),
        (dept_head, _department(data, data["food"])),
        (office_admin, reverse("api:dashboard_office", args=[demo["office"].pk])),
    ]
    small = [_count(as_user(user), url) for user, url in urls]
    grow(data, demo, 25)
    large = [_count(as_user(user), url) for user, url in urls]
    assert small == large
    assert max(large[:3]) <= COCKPIT_MAX and large[3] <= OFFICE_MAX, large

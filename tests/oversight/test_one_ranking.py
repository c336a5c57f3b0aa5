"""One department ranking: the cockpit's is the yearly assessment of the current year.

Same departments, same order, same totals; departments with nothing to assess are listed
as 不参与排名 after every ranked one, in both; the 创建办's weights move the cockpit too; a
co-operating department's part counts for it. Today is 2026-05-20
(tests/oversight/conftest.py); the scenario is tests/oversight/test_assessment.py's.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from tests.oversight.test_assessment import YEAR, at, fill_flawed, fill_perfect, task
from wenming.dashboards import services as dashboards
from wenming.oversight.assessment import ranking, services

TODAY = datetime.date(2026, 5, 20)


def rows(campaign):  # type: ignore[no-untyped-def]
    return [
        (r.department.pk, r.rank, r.total) for r in dashboards.department_ranking(campaign, TODAY)
    ]


def assessed(campaign):  # type: ignore[no-untyped-def]
    return [(s.department.pk, s.rank, s.total) for s in ranking.assess(campaign, YEAR, today=TODAY)]


def test_cockpit_and_assessment_rank_alike(campaign, demo, as_user, coordinator):  # type: ignore[no-untyped-def]
    fill_perfect(campaign, demo["food"])
    fill_flawed(campaign, demo["registry"])
    assert rows(campaign) == assessed(campaign)
    cockpit = dashboards.department_ranking(campaign, TODAY)
    names = [r.department.name for r in cockpit]
    assert names[:2] == ["食品安全监管科", "登记注册科"]
    assert [r.rank for r in cockpit[:2]] == [1, 2]
    # Every other department has nothing to assess: unranked, last, in both.
    assert len(cockpit) > 2 and all(r.rank == 0 and not r.ranked for r in cockpit[2:])

    # The API and the screens say the same.
    client = as_user(coordinator)
    api = client.get(f"/api/v1/oversight/campaigns/{campaign.pk}/assessment?year={YEAR}").json()
    cockpit_api = client.get(f"/api/v1/dashboards/campaigns/{campaign.pk}").json()
    assert [d["department_id"] for d in api["departments"]] == [
        r["department"]["id"] for r in cockpit_api["ranking"]
    ]
    assert [d["rank"] for d in api["departments"]] == [r["rank"] for r in cockpit_api["ranking"]]
    assert api["departments"][-1]["rank"] is None and not api["departments"][-1]["ranked"]
    page = client.get(reverse("dashboards:campaign", args=[campaign.pk])).content.decode()
    assert "不参与排名" in page and "推进指数" not in page
    page = client.get(reverse("oversight:assessment", args=[campaign.pk])).content.decode()
    assert page.index("<strong>登记注册科") < page.index('fw-normal">不参与排名')


def test_nothing_to_assess_never_above_a_working_department(campaign, demo):  # type: ignore[no-untyped-def]
    # The registry works badly: one task, late. Everyone else has nothing to assess.
    task(campaign, demo["registry"], "2026-04-30")
    scores = ranking.assess(campaign, YEAR, today=TODAY)
    registry = next(s for s in scores if s.department == demo["registry"])
    assert registry.rank == 1 and scores[0] is registry
    others = [s for s in scores if s is not registry]
    assert all(not s.ranked and s.rank == 0 for s in others)


def test_the_rules_weights_move_the_cockpit(campaign, demo, coordinator):  # type: ignore[no-untyped-def]
    food, registry = demo["food"], demo["registry"]
    # food: tasks on time, nothing else; registry: late task, approved evidence.
    task(campaign, food, "2026-03-31", completed="2026-03-30")
    task(campaign, registry, "2026-03-31")
    from tests.oversight.test_assessment import evidence

    evidence(campaign, registry, "approved")
    evidence(campaign, food, "returned", returns=1)
    first = [r.department for r in dashboards.department_ranking(campaign, TODAY)[:2]]
    # Default weights; no problem to count (left out): food 40 of 75 points, registry 20 of 75.
    assert first == [food, registry]
    services.rule_save(
        unit=campaign.unit,
        year=YEAR,
        user=coordinator,
        tasks_on_time="10",
        evidence_first_pass="60",
        problems_on_time="25",
        reports_submitted="15",
    )
    ranked = dashboards.department_ranking(campaign, TODAY)
    assert [r.department for r in ranked[:2]] == [registry, food]
    # 0 + 60 + 0 (no report) of the 85 counted points, scaled to the rule's 110.
    assert ranked[0].total == Decimal("77.65")
    assert rows(campaign) == assessed(campaign)


def test_a_co_operating_departments_part_counts_for_it(campaign, demo):  # type: ignore[no-untyped-def]
    from wenming.tasks.models import TaskPart

    food, registry = demo["food"], demo["registry"]
    on_time = task(campaign, registry, "2026-04-30", completed="2026-04-29")
    late = task(campaign, registry, "2026-05-10", completed="2026-05-09")
    open_ = task(campaign, registry, "2026-06-30")  # not due: not counted yet
    for t in (on_time, late, open_):
        t.co_departments.add(food)
    TaskPart.objects.create(
        task=on_time, department=food, progress=100, completed_at=at(on_time.deadline)
    )
    TaskPart.objects.create(task=late, department=food, progress=60)  # past the deadline
    TaskPart.objects.create(task=open_, department=food, progress=30)
    scores = {s.department: s for s in ranking.assess(campaign, YEAR, today=TODAY)}
    measure = scores[food].measure("tasks_on_time")
    assert (measure.counted, measure.good) == (2, 1)
    assert scores[food].ranked  # its part is work: it is ranked
    lead = scores[registry].measure("tasks_on_time")
    assert (lead.counted, lead.good) == (2, 2)  # the lead's own figures are unchanged
    cockpit = {r.department: r for r in dashboards.department_ranking(campaign, TODAY)}
    assert cockpit[food].total == scores[food].total
    assert cockpit[food].tasks == 0  # the figure beside stays "tasks it leads"

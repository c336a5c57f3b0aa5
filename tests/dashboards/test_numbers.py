"""The dashboard numbers on the hand-made campaign of conftest.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from tests.dashboards.conftest import TODAY
from wenming.dashboards import services
from wenming.dashboards.office import office_units


def test_phase_progress_counts_counted_tasks_per_phase(data) -> None:  # type: ignore[no-untyped-def]
    rows = {r.label: r for r in services.phase_progress(data["campaign"], TODAY)}
    implement = rows["组织实施"]
    assert (implement.total, implement.done, implement.overdue) == (5, 2, 1)
    assert implement.mean_progress == Decimal("58.0")  # (100+50+0+100+40)/5
    assert implement.done_percent == Decimal("40.0")
    mobilize = rows["宣传发动"]
    assert (mobilize.total, mobilize.done, mobilize.mean_progress) == (1, 1, Decimal("100.0"))
    assert rows["总结提高"].total == 0
    assert "未分阶段" not in rows


def test_headline_counts(data) -> None:  # type: ignore[no-untyped-def]
    head = services.headline(data["campaign"], TODAY)
    assert (head.tasks, head.done, head.overdue_tasks) == (6, 3, 1)
    assert head.mean_progress == Decimal("65.0")  # 390 / 6
    assert (head.open_problems, head.overdue_problems) == (2, 1)
    assert (head.evidence, head.evidence_approved) == (3, 2)


def test_headline_of_one_department(data) -> None:  # type: ignore[no-untyped-def]
    head = services.headline(data["campaign"], TODAY, data["food"])
    assert (head.tasks, head.done, head.overdue_tasks) == (3, 1, 1)
    assert (head.open_problems, head.overdue_problems) == (1, 1)
    assert (head.evidence, head.evidence_approved) == (2, 1)


def test_projection_is_the_latest_round_against_its_threshold(data) -> None:  # type: ignore[no-untyped-def]
    p = services.projection(data["campaign"])
    assert p.round == data["round"]
    # Backed by evidence: A1-1 and A1-2 were scored without complete ledgers, they count 0.
    assert p.total == Decimal("0")
    assert p.claimed_total == Decimal("2.50")
    assert p.threshold == Decimal("85.00")
    assert p.gap == Decimal("-85.00")
    assert p.shortfall == Decimal("85.00")
    # Item C and F carry 14 points each and nothing was scored there.
    assert [i.code for i in p.lost_items[:2]] == ["C", "F"]
    assert p.lost_items[0].lost == Decimal("14.00")
    assert len(p.lost_items) == services.LOST_ITEMS
    assert all(i.url == reverse("scoring:gaps", args=[data["round"].pk]) for i in p.lost_items)


def test_projection_of_a_department_lists_its_standards(data) -> None:  # type: ignore[no-untyped-def]
    node = data["node"]
    p = services.projection(data["campaign"], {node["A1-1"].pk, node["A1-2"].pk})
    # The backed figure's losses: both were scored (1.5 and 1) without complete ledgers.
    assert [(i.code, i.possible, i.scored, i.lost) for i in p.lost_items] == [
        ("A1-1", Decimal("2.00"), Decimal("0"), Decimal("2.00")),
        ("A1-2", Decimal("1.00"), Decimal("0"), Decimal("1.00")),
    ]


def test_projection_without_a_round_says_so(campaign, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    p = services.projection(campaign)
    assert p.round is None and p.total is None
    page = as_user(leader).get(reverse("dashboards:campaign", args=[campaign.pk]))
    text = page.content.decode()
    assert "暂无测评" in text
    assert reverse("scoring:rounds", args=[campaign.pk]) in text


def test_department_ranking_is_the_assessment(data) -> None:  # type: ignore[no-untyped-def]
    from wenming.oversight.assessment.ranking import assess

    ranking = services.department_ranking(data["campaign"], TODAY)
    scores = assess(data["campaign"], TODAY.year, today=TODAY)
    assert [(r.department.pk, r.rank, r.total) for r in ranking] == [
        (s.department.pk, s.rank, s.total) for s in scores
    ]
    by_name = {r.department.name: r for r in ranking}
    food, registry = by_name["食品安全监管科"], by_name["登记注册科"]
    # registry: its one due task done on time (40 of 40), no evidence reviewed and no problem
    # due yet (left out), no weekly report (0 of 15): 40 of 55 counted points, scaled to 100.
    # food: 1 of 2 tasks on time (20), 1 of 2 problems (12.5), no report: 32.5 of 80.
    assert (registry.total, food.total) == (Decimal("72.73"), Decimal("40.63"))
    assert [r.department.name for r in ranking[:2]] == ["登记注册科", "食品安全监管科"]
    assert (registry.rank, food.rank) == (1, 2)
    # Departments with nothing to assess come last, without a place.
    assert ranking[2:] and all(r.rank == 0 and not r.ranked for r in ranking[2:])
    assert all(r.tasks == 0 for r in ranking[2:])


def test_coverage_by_item_counts_each_evidence_item_once(data) -> None:  # type: ignore[no-untyped-def]
    heat = services.coverage(data["campaign"], base_url="/x/")
    assert heat.level == "item"  # the sample system has more than 40 standards
    columns = [d.name for d in heat.columns]
    rows = {r.node.code: r for r in heat.rows}
    food = columns.index("食品安全监管科")
    registry = columns.index("登记注册科")
    assert rows["A"].cells[food][0] == 2  # e1 and e2, e2 proving two standards of A
    assert rows["B"].cells[registry][0] == 1
    assert rows["C"].total == 0
    assert rows["A"].drill_url == f"/x/?item={data['node']['A'].pk}#coverage"


def test_coverage_drill_down_to_standards(data) -> None:  # type: ignore[no-untyped-def]
    node = data["node"]
    heat = services.coverage(data["campaign"], item_id=node["A"].pk, base_url="/x/")
    assert heat.level == "standard"
    food = [d.name for d in heat.columns].index("食品安全监管科")
    rows = {r.node.code: r for r in heat.rows}
    assert set(rows) >= {"A1-1", "A1-2"} and all(c.startswith("A") for c in rows)
    assert rows["A1-1"].cells[food][0] == 2
    assert rows["A1-2"].cells[food][0] == 1


def test_coverage_of_a_department_lists_its_standards(data) -> None:  # type: ignore[no-untyped-def]
    heat = services.coverage(data["campaign"], department=data["food"])
    assert heat.level == "standard"
    assert [d.name for d in heat.columns] == ["食品安全监管科"]
    assert {r.node.code: r.total for r in heat.rows} == {"A1-1": 2, "A1-2": 1}


def test_weekly_trend(data) -> None:  # type: ignore[no-untyped-def]
    weeks = services.weekly_trend(data["campaign"], TODAY)
    assert len(weeks) == 12
    assert weeks[-1].start == datetime.date(2026, 5, 18)
    assert weeks[0].start == datetime.date(2026, 3, 2)
    last, before = weeks[-1], weeks[-2]
    assert (last.tasks_done, before.tasks_done) == (1, 1)
    # t6 was done before the twelve weeks: the cumulative count starts from it.
    assert weeks[0].cumulative_done == 1
    assert (last.cumulative_done, last.cumulative_percent) == (3, Decimal("50.0"))
    assert (last.problems_opened, last.problems_closed) == (3, 1)
    assert sum(w.problems_opened for w in weeks[:-1]) == 0
    assert last.url == reverse("reports:rollup", args=[data["campaign"].pk]) + "?week=2026-05-18"


def test_cockpit_page_shows_the_numbers_and_chart_data(data, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    page = as_user(leader).get(reverse("dashboards:campaign", args=[data["campaign"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for needle in ["各阶段任务进度", "失分最多的测评项目", "部门考核排名", "台账覆盖热力图"]:
        assert needle in text
    assert 'id="chart-phase"' in text and 'id="chart-heat"' in text
    assert "echarts.min.js" in text and "cdn" not in text.lower()
    charts = page.context["charts"]
    assert charts["chart-phase"]["done"] == [1, 2, 0, 0]
    assert charts["chart-lost"]["lost"][-1] == "14"  # reversed for the horizontal bars


def test_office_rows(data, demo) -> None:  # type: ignore[no-untyped-def]
    rows = office_units(demo["office"], TODAY)
    by_unit = {r.unit.code: r for r in rows}
    unit = by_unit["LZ-SCJG"]
    assert (unit.tasks, unit.done, unit.overdue_tasks) == (6, 3, 1)
    assert (unit.open_problems, unit.overdue_problems) == (2, 1)
    assert unit.total == Decimal("0") and unit.threshold == Decimal("85.00")
    assert unit.claimed is not None and unit.claimed.total == Decimal("2.50")
    assert unit.passes is False
    assert unit.rank == 1
    # The court has no campaign: listed, not ranked.
    assert by_unit["LZ-ZY"].campaign is None and by_unit["LZ-ZY"].rank is None
    assert rows[-1].unit.code == "LZ-ZY"


def test_office_totals_match_the_scoring_rules(data, coordinator) -> None:  # type: ignore[no-untyped-def]
    from wenming.dashboards.office import round_headlines
    from wenming.scoring.models import RoundKind, Score, ScoringRound
    from wenming.scoring.services import totals_for_rounds

    node = data["node"]
    campaign = data["campaign"]
    rich = ScoringRound.objects.create(
        campaign=campaign,
        framework=campaign.framework,
        kind=RoundKind.SELF,
        title="自评",
        scored_on=datetime.date(2026, 5, 1),
        pass_threshold=Decimal("10"),
    )
    for code, points in [("A1-1", "2"), ("B1-1", "1.5"), ("X1", "5"), ("X2", "3"), ("X3", "2")]:
        Score.objects.create(round=rich, standard=node[code], points=Decimal(points))
    Score.objects.create(round=rich, standard=node["Y1"], incidents=2, concealed=True)
    Score.objects.create(round=rich, standard=node["Y3"], incidents=1)
    vetoed = ScoringRound.objects.create(
        campaign=campaign,
        framework=campaign.framework,
        kind=RoundKind.MOCK,
        title="模拟",
        scored_on=datetime.date(2026, 5, 2),
    )
    Score.objects.create(round=vetoed, standard=node["A1-1"], points=Decimal("2"))
    Score.objects.create(round=vetoed, standard=node["V1"], vetoed=True)
    rounds = list(ScoringRound.objects.select_related("framework"))
    full = totals_for_rounds(rounds)
    fast = round_headlines(rounds)
    assert full[rich.pk].deduction > 0 and full[rich.pk].bonus == Decimal("10")
    for r in rounds:
        a, b = full[r.pk], fast[r.pk]
        assert (b.total, b.threshold, b.passed, b.verdict) == (
            a.total,
            a.threshold,
            a.passed,
            a.verdict,
        )
        assert (b.basic, b.bonus, b.deduction) == (a.basic, a.bonus, a.deduction)
        assert [n.id for n in b.vetoed] == [n.id for n in a.vetoed]

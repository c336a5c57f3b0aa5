"""Department assessment (部门考核, R8): scores, ranks, eligibility, rules, screens, access.

Today is 2026-05-20 (tests/oversight/conftest.py). The campaign starts 2026-01-01, so twenty
weekly reports are expected (Mondays 5 January to 18 May). 食品安全监管科 does everything
right; 登记注册科 has a late task, an open overdue task, a returned-then-approved and a
returned evidence item, an overdue problem and a missed weekly report. The unit's other
departments have nothing to count but weekly reports, which they never sent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wenming.oversight.assessment import ranking, services

YEAR = 2026
MONDAYS = [datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n) for n in range(20)]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def task(campaign: Any, dept: Any, deadline: str, completed: str | None = None) -> Any:
    from wenming.tasks.models import Task, TaskStatus

    return Task.objects.create(
        campaign=campaign,
        title="任务",
        lead_department=dept,
        deadline=d(deadline),
        status=TaskStatus.DONE if completed else TaskStatus.IN_PROGRESS,
        completed_at=at(d(completed)) if completed else None,
    )


def evidence(campaign: Any, dept: Any, status: str, returns: int = 0, reviewed: str = "") -> Any:
    from wenming.ledger.models import EvidenceItem

    return EvidenceItem.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=dept,
        year=YEAR,
        title="台账",
        status=status,
        return_count=returns,
        reviewed_at=at(d(reviewed or "2026-04-01")),
    )


_seq = iter(range(500, 10_000))


def problem(campaign: Any, dept: Any, deadline: str, closed: str | None = None) -> Any:
    from wenming.oversight.models import Problem, ProblemStatus

    return Problem.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        year=YEAR,
        sequence=next(_seq),
        description="问题",
        department=dept,
        deadline=d(deadline),
        status=ProblemStatus.CLOSED if closed else ProblemStatus.PENDING,
        closed_at=at(d(closed)) if closed else None,
    )


def reports(campaign: Any, dept: Any, weeks: list[datetime.date], late: int = 0) -> None:
    from wenming.tasks.models import ReportStatus, WeeklyReport

    for n, monday in enumerate(weeks):
        sent = monday + datetime.timedelta(days=10 if n < late else 4)
        WeeklyReport.objects.create(
            campaign=campaign,
            department=dept,
            week_start=monday,
            status=ReportStatus.SUBMITTED,
            submitted_at=at(sent),
        )


def fill_perfect(campaign: Any, dept: Any) -> None:
    task(campaign, dept, "2026-03-31", completed="2026-03-30")
    task(campaign, dept, "2026-05-10", completed="2026-05-10")
    task(campaign, dept, "2026-06-30")  # not yet due: not counted
    task(campaign, dept, "2025-12-31")  # due another year
    evidence(campaign, dept, "approved")
    evidence(campaign, dept, "approved")
    evidence(campaign, dept, "submitted")  # not reviewed yet
    problem(campaign, dept, "2026-04-30", closed="2026-04-28")
    problem(campaign, dept, "2026-06-30")  # not yet due
    reports(campaign, dept, MONDAYS)


def fill_flawed(campaign: Any, dept: Any) -> None:
    task(campaign, dept, "2026-03-31", completed="2026-03-20")
    task(campaign, dept, "2026-04-15", completed="2026-04-15")
    task(campaign, dept, "2026-04-30", completed="2026-05-06")  # done late
    task(campaign, dept, "2026-05-10")  # open past its deadline
    evidence(campaign, dept, "approved")
    evidence(campaign, dept, "approved", returns=1)  # returned, then approved
    evidence(campaign, dept, "returned", returns=1)
    evidence(campaign, dept, "approved", reviewed="2025-12-20")  # another year
    problem(campaign, dept, "2026-04-30", closed="2026-04-29")
    problem(campaign, dept, "2026-05-10")  # overdue
    reports(campaign, dept, MONDAYS[:-1], late=1)  # missed the last week, one late


@pytest.fixture
def scenario(campaign, demo):  # type: ignore[no-untyped-def]
    fill_perfect(campaign, demo["food"])
    fill_flawed(campaign, demo["registry"])
    return campaign


def by_name(scores: list[ranking.DepartmentScore]) -> dict[str, ranking.DepartmentScore]:
    return {s.department.name: s for s in scores}


def points(score: ranking.DepartmentScore) -> list[Decimal]:
    return [m.points for m in score.measures]


# --- the computation -----------------------------------------------------------------------


def test_scores_are_exact(scenario):  # type: ignore[no-untyped-def]
    scores = by_name(ranking.assess(scenario, YEAR))
    food, registry = scores["食品安全监管科"], scores["登记注册科"]

    assert points(food) == [Decimal("40.00"), Decimal("20.00"), Decimal("25.00"), Decimal("15.00")]
    assert food.total == Decimal("100.00")
    assert [(m.counted, m.good) for m in food.measures] == [(2, 2), (2, 2), (1, 1), (20, 20)]

    # 2 of 4 tasks on time; 1 of 3 items first pass; 1 of 2 problems; 19 of 20 reports.
    assert [(m.counted, m.good) for m in registry.measures] == [(4, 2), (3, 1), (2, 1), (20, 19)]
    assert points(registry) == [
        Decimal("20.00"),
        Decimal("6.67"),
        Decimal("12.50"),
        Decimal("14.25"),
    ]
    assert registry.total == Decimal("53.42")
    assert registry.measures[1].rate == Decimal("33.3")
    assert "其中按时报送18周" in registry.measures[3].detail
    assert registry.overdue_problems == 1


def test_nothing_to_assess_is_not_ranked_and_comes_last(scenario):  # type: ignore[no-untyped-def]
    scores = ranking.assess(scenario, YEAR)
    others = [s for s in scores if s.department.name not in ("食品安全监管科", "登记注册科")]
    assert len(others) >= 2
    for s in others:
        # Weekly reports alone rank no one: every department owes them.
        assert [m.empty for m in s.measures] == [True, True, True, False]
        assert not s.ranked and s.rank == 0
        assert ranking.NOTHING_TO_COUNT in s.measures[0].detail
    assert [s.department.name for s in scores[:2]] == ["食品安全监管科", "登记注册科"]
    assert [s.rank for s in scores[:2]] == [1, 2]
    assert scores[2:] == others


def test_overdue_problems_over_the_limit_lose_eligibility(scenario, demo, coordinator):  # type: ignore[no-untyped-def]
    registry = by_name(ranking.assess(scenario, YEAR))["登记注册科"]
    assert registry.eligible  # one overdue problem, limit 2

    services.rule_save(unit=demo["unit"], year=YEAR, user=coordinator, max_overdue_problems=0)
    registry = by_name(ranking.assess(scenario, YEAR))["登记注册科"]
    assert not registry.eligible
    assert registry.reasons == ["逾期未整改问题1个，超过上限0个"]


def test_accountability_loses_eligibility_and_removing_restores_it(scenario, demo, coordinator):  # type: ignore[no-untyped-def]
    record = services.accountability_record(
        campaign=scenario,
        department=demo["food"],
        user=coordinator,
        decided_on=datetime.date(2026, 5, 10),
        reason="台账弄虚作假",
        person="张三",
        measure="通报批评",
    )
    food = by_name(ranking.assess(scenario, YEAR))["食品安全监管科"]
    assert food.total == Decimal("100.00")  # the score stays; only eligibility goes
    assert not food.eligible
    assert food.reasons == ["2026年5月10日被追责：台账弄虚作假"]
    # A record of another year does not count in 2026.
    assert by_name(ranking.assess(scenario, 2027))["食品安全监管科"].eligible

    with pytest.raises(ValidationError) as exc:
        services.accountability_remove(record=record, user=coordinator, reason=" ")
    assert "撤销的原因" in exc.value.messages[0]
    services.accountability_remove(record=record, user=coordinator, reason="录入错误")
    record.refresh_from_db()
    assert record.removed_at is not None and "录入错误" in record.removed_reason
    assert by_name(ranking.assess(scenario, YEAR))["食品安全监管科"].eligible


def test_accountability_validation(scenario, demo, coordinator):  # type: ignore[no-untyped-def]
    def record(**kw: Any) -> dict[str, list[str]]:
        args: dict[str, Any] = {
            "campaign": scenario,
            "department": demo["food"],
            "user": coordinator,
            "decided_on": datetime.date(2026, 5, 1),
            "reason": "事由",
        }
        args.update(kw)
        with pytest.raises(ValidationError) as exc:
            services.accountability_record(**args)
        return exc.value.message_dict

    assert "请写明追责事由" in record(reason="  ")["reason"][0]
    assert "不能晚于今天" in record(decided_on=datetime.date(2026, 5, 21))["decided_on"][0]
    assert "本单位的一个部门" in record(department=demo["unit"])["department"][0]
    from wenming.orgs.models import Organization

    other = Organization.objects.get(name="纳税服务科")  # another city's department
    assert "本单位的一个部门" in record(department=other)["department"][0]


def test_rules_validation_and_weights_change_scores(scenario, demo, coordinator):  # type: ignore[no-untyped-def]
    rule = services.rule_for(demo["unit"], YEAR)
    assert rule.pk is None
    assert [rule.tasks_on_time, rule.max_overdue_problems] == [Decimal("40"), 2]

    def refused(**kw: Any) -> ValidationError:
        with pytest.raises(ValidationError) as exc:
            services.rule_save(unit=demo["unit"], year=YEAR, user=coordinator, **kw)
        return exc.value

    assert "不能为负数" in refused(tasks_on_time="-1").message_dict["tasks_on_time"][0]
    assert "应为数字" in refused(evidence_first_pass="很多").message_dict["evidence_first_pass"][0]
    assert (
        "不能都为0"
        in refused(
            tasks_on_time=0, evidence_first_pass=0, problems_on_time=0, reports_submitted=0
        ).messages[0]
    )
    assert "0或正整数" in refused(max_overdue_problems=-1).message_dict["max_overdue_problems"][0]
    assert services.rule_for(demo["unit"], YEAR).pk is None  # nothing saved

    services.rule_save(
        unit=demo["unit"],
        year=YEAR,
        user=coordinator,
        tasks_on_time="50",
        evidence_first_pass="10",
        problems_on_time="30",
        reports_submitted="30",
    )
    registry = by_name(ranking.assess(scenario, YEAR))["登记注册科"]
    # 50 × 2/4 + 10 × 1/3 + 30 × 1/2 + 30 × 19/20 = 25 + 3.33 + 15 + 28.5
    assert points(registry) == [
        Decimal("25.00"),
        Decimal("3.33"),
        Decimal("15.00"),
        Decimal("28.50"),
    ]
    assert registry.total == Decimal("71.83")
    assert registry.possible == Decimal("120.00")  # need not be 100


@pytest.mark.parametrize("extra", [0, 8])
def test_queries_are_bounded(extra, campaign, demo, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Organization, OrgKind

    departments = [demo["food"], demo["registry"]]
    for n in range(extra):
        departments.append(
            Organization.objects.create(
                kind=OrgKind.DEPARTMENT, parent=demo["unit"], name=f"测试科{n}"
            )
        )
    for n, dept in enumerate(departments):
        (fill_perfect if n % 2 else fill_flawed)(campaign, dept)
    # The rule, the departments, the 4 measures (tasks with the co-operating parts: 2),
    # accountability records, commendations.
    with django_assert_max_num_queries(10):
        scores = ranking.assess(campaign, YEAR)
    assert len(scores) >= len(departments)


# --- screens -------------------------------------------------------------------------------


def test_ranking_page_for_staff(scenario, as_user, staff, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client = as_user(staff)
    url = reverse("oversight:assessment", args=[scenario.pk])
    client.get(url)
    # The departments' table, the people's (8 grouped queries) and each department's
    # people side (活动、志愿服务、学习、先进典型: 9 more).
    with django_assert_max_num_queries(33):
        response = client.get(url, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "食品安全监管科" in html and "53.42" in html and "可评优" in html
    assert "无考核事项" in html
    # No edit links for department people.
    assert reverse("oversight:assessment_rules", args=[scenario.pk]) not in html
    for name in ("oversight:assessment_rules", "oversight:accountability"):
        assert client.get(reverse(name, args=[scenario.pk])).status_code == 403


def test_ranking_shows_reasons_and_exports(scenario, demo, as_user, coordinator):  # type: ignore[no-untyped-def]
    services.accountability_record(
        campaign=scenario,
        department=demo["registry"],
        user=coordinator,
        decided_on=datetime.date(2026, 5, 15),
        reason="问题逾期未整改",
    )
    client = as_user(coordinator)
    html = client.get(reverse("oversight:assessment", args=[scenario.pk])).content.decode()
    assert "取消评优资格" in html and "2026年5月15日被追责：问题逾期未整改" in html
    response = client.get(reverse("oversight:assessment_export", args=[scenario.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_rules_and_accountability_forms(scenario, demo, as_user, coordinator):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = reverse("oversight:assessment_rules", args=[scenario.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "year": YEAR,
            "tasks_on_time": "-5",
            "evidence_first_pass": "20",
            "problems_on_time": "25",
            "reports_submitted": "15",
            "max_overdue_problems": "2",
        },
    )
    assert bad.status_code == 400 and "不能为负数" in bad.content.decode()
    ok = client.post(
        url,
        {
            "year": YEAR,
            "tasks_on_time": "60",
            "evidence_first_pass": "20",
            "problems_on_time": "25",
            "reports_submitted": "15",
            "max_overdue_problems": "1",
        },
    )
    assert ok.status_code == 302
    assert services.rule_for(demo["unit"], YEAR).tasks_on_time == Decimal("60")

    new = reverse("oversight:accountability_new", args=[scenario.pk])
    bad = client.post(new, {"department": demo["food"].pk, "decided_on": "2026-05-01"})
    assert bad.status_code == 400 and "请写明追责事由" in bad.content.decode()
    assert (
        client.post(
            new,
            {"department": demo["food"].pk, "decided_on": "2026-05-01", "reason": "弄虚作假"},
        ).status_code
        == 302
    )
    from wenming.oversight.models import Accountability

    record = Accountability.objects.get()
    page = client.get(reverse("oversight:accountability", args=[scenario.pk])).content.decode()
    assert "弄虚作假" in page
    remove = reverse("oversight:accountability_remove", args=[record.pk])
    assert client.post(remove, {"reason": ""}).status_code == 400
    assert client.post(remove, {"reason": "录入错误"}).status_code == 302
    record.refresh_from_db()
    assert record.removed_at is not None


def test_outsider_gets_404(scenario, demo, as_user, outsider_admin, coordinator):  # type: ignore[no-untyped-def]
    record = services.accountability_record(
        campaign=scenario,
        department=demo["food"],
        user=coordinator,
        decided_on=datetime.date(2026, 5, 1),
        reason="事由",
    )
    client = as_user(outsider_admin)
    for name in ("oversight:assessment", "oversight:assessment_rules", "oversight:accountability"):
        assert client.get(reverse(name, args=[scenario.pk])).status_code == 404
    remove = reverse("oversight:accountability_remove", args=[record.pk])
    assert client.post(remove, {"reason": "x"}).status_code == 404


# --- API -----------------------------------------------------------------------------------


def test_api(scenario, demo, as_user, coordinator, staff):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    table = client.get(f"/api/v1/oversight/campaigns/{scenario.pk}/assessment?year=2026").json()
    rows = {r["department_name"]: r for r in table["departments"]}
    assert rows["登记注册科"]["total"] == "53.42"
    assert rows["登记注册科"]["measures"][1]["points"] == "6.67"
    assert table["rule"]["total"] == "100.00"

    rule_url = f"/api/v1/oversight/campaigns/{scenario.pk}/assessment/rule"
    bad = client.post(
        rule_url, {"year": 2026, "tasks_on_time": "-1"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "不能为负数" in bad.json()["errors"]["tasks_on_time"][0]
    ok = client.post(
        rule_url, {"year": 2026, "tasks_on_time": "30"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["total"] == "90.00"

    acc_url = f"/api/v1/oversight/campaigns/{scenario.pk}/accountability"
    bad = client.post(acc_url, {"department": demo["food"].pk}, content_type="application/json")
    assert bad.status_code == 422 and "reason" in bad.json()["errors"]
    made = client.post(
        acc_url,
        {"department": demo["food"].pk, "decided_on": "2026-05-01", "reason": "弄虚作假"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert len(client.get(acc_url).json()) == 1
    record_id = made.json()["id"]

    staff_client = as_user(staff)
    assert (
        staff_client.get(f"/api/v1/oversight/campaigns/{scenario.pk}/assessment").status_code == 200
    )
    assert staff_client.get(acc_url).status_code == 403
    assert staff_client.post(rule_url, {}, content_type="application/json").status_code == 403

    remove = f"/api/v1/oversight/accountability/{record_id}/remove"
    assert client.post(remove, {}, content_type="application/json").status_code == 422
    assert (
        client.post(remove, {"reason": "录入错误"}, content_type="application/json").status_code
        == 204
    )

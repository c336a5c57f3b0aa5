"""双报到 and 帮扶共建 as services and readings: registering a member once, the quarterly
feedback (never for a quarter to come, re-entry updates), the figures exact, pairings with
their visits this year against the plan."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.activities import community
from wenming.activities.models import (
    Activity,
    CommunityFeedback,
    CommunityReport,
    FeedbackRating,
    Pairing,
)

TODAY = datetime.date(2026, 6, 15)  # the second quarter


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _report(demo: Any, person: Any, by: Any, on: datetime.date = datetime.date(2026, 1, 10)) -> Any:
    return community.community_report(
        unit=demo["unit"], person=person, user=by, community="城东街道幸福里社区", reported_on=on
    )


def _feedback(report: Any, by: Any, **more: Any) -> Any:
    args: dict[str, Any] = {"year": 2026, "quarter": 1, "rating": FeedbackRating.GOOD, "hours": "6"}
    args.update(more)
    return community.community_feedback_record(report=report, user=by, **args)


def _errors(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_member_reports_once_while_registered(demo, coordinator, dept_head) -> None:  # type: ignore[no-untyped-def]
    report = _report(demo, dept_head, coordinator)
    assert (report.community, report.created_by) == ("城东街道幸福里社区", coordinator)
    errors = _errors(lambda: _report(demo, dept_head, coordinator))
    assert errors == {
        "person": [
            "张明已于2026-01-10向“城东街道幸福里社区”报到；如需更换社区，请先移除原来的登记。"
        ]
    }
    community.community_report_remove(report=report, user=coordinator)
    assert _report(demo, dept_head, coordinator).pk != report.pk
    assert CommunityReport.objects.count() == 2  # the first is kept
    with pytest.raises(ValidationError, match="已移除"):
        community.community_report_remove(report=report, user=coordinator)


def test_registration_refusals(demo, coordinator, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    errors = _errors(
        lambda: community.community_report(
            unit=demo["unit"],
            person=outsider_admin,
            user=coordinator,
            community="",
            reported_on=datetime.date(2026, 6, 16),
        )
    )
    assert errors == {
        "person": ["黄磊不是本单位人员。"],
        "community": ["请填写居住地社区，例如“城东街道幸福里社区”。"],
        "reported_on": ["报到日期不能晚于今天。"],
    }
    assert not CommunityReport.objects.exists()


def test_feedback_once_a_quarter_and_re_entry_updates(demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    report = _report(demo, staff, coordinator)
    first = _feedback(report, coordinator, note="积极参加社区活动")
    again = _feedback(report, coordinator, rating=FeedbackRating.EXCELLENT, hours="8.5")
    assert again.pk == first.pk and CommunityFeedback.objects.count() == 1
    again.refresh_from_db()
    assert (again.rating, again.hours, again.note) == ("excellent", Decimal("8.50"), "")
    _feedback(report, coordinator, quarter=2)  # this quarter: allowed


@pytest.mark.parametrize(
    ("more", "field", "message"),
    [
        ({"quarter": 3}, "quarter", "2026年第3季度还没有到"),
        ({"year": 2027, "quarter": 1}, "quarter", "2027年第1季度还没有到"),
        ({"year": 2025, "quarter": 4}, "quarter", "不能登记报到以前季度"),
        ({"quarter": 5}, "quarter", "请选择季度"),
        ({"rating": "great"}, "rating", "请选择社区评价（优秀、良好、一般、较差）"),
        ({"hours": "-1"}, "hours", "不能是负数"),
        ({"hours": "abc"}, "hours", "请填写小时数"),
        ({"hours": "2209"}, "hours", "超过了一个季度"),
        ({"note": "字" * 501}, "note", "最多500字"),
    ],
)
def test_feedback_refusals(demo, coordinator, staff, more, field, message) -> None:  # type: ignore[no-untyped-def]
    report = _report(demo, staff, coordinator)
    errors = _errors(lambda: _feedback(report, coordinator, **more))
    assert message in errors[field][0]
    assert not CommunityFeedback.objects.exists()


def test_no_feedback_for_a_removed_member(demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    report = _report(demo, staff, coordinator)
    community.community_report_remove(report=report, user=coordinator)
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="已移除，不能再登记社区反馈"):
        _feedback(report, coordinator)


def test_the_grid_and_the_figures(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head, staff, other_dept_head, leader
) -> None:
    a = _report(demo, dept_head, coordinator)
    b = _report(demo, staff, coordinator, on=datetime.date(2026, 4, 20))
    c = _report(demo, other_dept_head, coordinator, on=datetime.date(2026, 6, 1))
    gone = _report(demo, leader, coordinator)
    _feedback(a, coordinator, hours="6")
    _feedback(a, coordinator, quarter=2, hours="4.5", rating=FeedbackRating.EXCELLENT)
    _feedback(b, coordinator, quarter=2, hours="3")
    _feedback(gone, coordinator, quarter=2, hours="50")
    community.community_report_remove(report=gone, user=coordinator)
    rows = {r.report.pk: r for r in community.report_rows(demo["unit"], 2026)}
    assert set(rows) == {a.pk, b.pk, c.pk}
    states = {pk: [cell.state for cell in r.cells] for pk, r in rows.items()}
    assert states[a.pk] == ["done", "done", "future", "future"]
    assert states[b.pk] == ["before", "done", "future", "future"]
    assert states[c.pk] == ["before", "missing", "future", "future"]
    assert [r.missing_now for r in (rows[a.pk], rows[b.pk], rows[c.pk])] == [False, False, True]
    assert rows[a.pk].hours == Decimal("10.5")
    assert community.community_figures(demo["unit"], 2026) == {
        "reported": 3,
        "quarter": 2,
        "received": 2,
        "missing": 1,
        "hours": Decimal("13.50"),
    }
    # 2025: nobody had reported by its end; a year to come asks for no quarter.
    assert community.community_figures(demo["unit"], 2025)["reported"] == 0
    assert community.community_figures(demo["unit"], 2027)["quarter"] is None


def test_the_grid_costs_the_same_for_2_and_12_members(  # type: ignore[no-untyped-def]
    demo, coordinator, django_assert_max_num_queries
) -> None:
    from tests.activities.test_service_hours_import import _person

    people = [_person(demo, f"dy{n}", f"党员{n}") for n in range(12)]
    for person in people[:2]:
        _feedback(_report(demo, person, coordinator), coordinator)
    with django_assert_max_num_queries(2):
        assert len(community.report_rows(demo["unit"], 2026)) == 2
    for person in people[2:]:
        _feedback(_report(demo, person, coordinator), coordinator, quarter=2)
    with django_assert_max_num_queries(2):
        assert len(community.report_rows(demo["unit"], 2026)) == 12
    with django_assert_max_num_queries(3):
        assert community.community_figures(demo["unit"], 2026)["received"] == 10


# --- 帮扶共建 -----------------------------------------------------------------------------------


def _pairing(campaign: Any, demo: Any, by: Any, **more: Any) -> Pairing:
    args: dict[str, Any] = {
        "department": demo["food"],
        "partner": "江北区石桥村",
        "plan": "每季度走访一次，帮助拓宽农产品销路。",
        "starts_on": datetime.date(2026, 1, 1),
        "visits_planned": 4,
    }
    args.update(more)
    return community.pairing_create(campaign=campaign, user=by, **args)


def _visit(campaign: Any, demo: Any, pairing: Pairing, when: datetime.datetime) -> Activity:
    return Activity.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        kind="pairing",
        title="走访石桥村",
        starts_at=timezone.make_aware(when),
        pairing=pairing,
    )


def test_visits_this_year_against_the_plan(campaign, demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    pairing = _pairing(campaign, demo, coordinator)
    _visit(campaign, demo, pairing, datetime.datetime(2026, 3, 5, 9))
    _visit(campaign, demo, pairing, datetime.datetime(2026, 5, 5, 9))
    _visit(campaign, demo, pairing, datetime.datetime(2025, 11, 5, 9))
    removed = _visit(campaign, demo, pairing, datetime.datetime(2026, 6, 1, 9))
    removed.removed_at = timezone.now()
    removed.save()
    [row] = community.pairing_rows(campaign, 2026)
    assert (row.visits, row.planned, row.short) == (2, 4, 2)
    assert row.text == "今年已走访2次，计划4次，还差2次"
    assert [v.starts_at.year for v in community.pairing_visits(pairing)] == [2026, 2026, 2025]
    assert community.progress_text(2025, 4, 4) == "2025年走访4次，完成计划4次"
    assert community.progress_text(2026, 5, 4) == "今年已走访5次，已完成计划4次"
    assert community.progress_text(2027, 0, 4) == "2027年计划走访4次"
    # A pairing that ended before the year, or one taken out, is not listed.
    _pairing(campaign, demo, coordinator, partner="旧村", ends_on=datetime.date(2025, 12, 31),
             starts_on=datetime.date(2025, 1, 1))  # fmt: skip
    community.pairing_remove(pairing=pairing, user=coordinator)
    assert community.pairing_rows(campaign, 2026) == []
    assert [r.pairing.partner for r in community.pairing_rows(campaign, 2025)] == ["旧村"]


@pytest.mark.parametrize(
    ("more", "field", "message"),
    [
        ({"department": None}, "department", "请选择本单位的牵头部门"),
        ({"partner": ""}, "partner", "请填写共建对象"),
        ({"partner": "村" * 101}, "partner", "最多100字"),
        ({"plan": " "}, "plan", "请填写共建计划"),
        ({"starts_on": None}, "starts_on", "请填写开始日期"),
        ({"ends_on": datetime.date(2025, 12, 1)}, "ends_on", "结束日期不能早于开始日期"),
        ({"visits_planned": 0}, "visits_planned", "1到100之间的整数"),
    ],
)
def test_pairing_refusals(campaign, demo, coordinator, more, field, message) -> None:  # type: ignore[no-untyped-def]
    errors = _errors(lambda: _pairing(campaign, demo, coordinator, **more))
    assert message in errors[field][0]
    assert not Pairing.objects.exists()


def test_a_department_of_another_unit_or_a_second_pairing_is_refused(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator
) -> None:
    other = demo["other_unit"].children.first()
    errors = _errors(lambda: _pairing(campaign, demo, coordinator, department=other))
    assert errors["department"] == ["请选择本单位的牵头部门。"]
    _pairing(campaign, demo, coordinator)
    errors = _errors(lambda: _pairing(campaign, demo, coordinator))
    assert errors["partner"] == ["已有共建对象“江北区石桥村”，请勿重复登记。"]
    with pytest.raises(ValidationError, match="已移除"):
        pairing = Pairing.objects.get()
        community.pairing_remove(pairing=pairing, user=coordinator)
        community.pairing_remove(pairing=pairing, user=coordinator)

"""City bulletins: each unit's figures against hand-built rows, the rank, the draft → 印发 rules.

The rows of parts A and C (inspections, problems, rounds, submissions, priorities and
acknowledgements) are made here directly with the ORM. The period is 2026 Q2.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.supervision.conftest import travel
from wenming.orgs.models import Organization, OrgKind
from wenming.supervision import bulletins
from wenming.supervision.models import (
    CityBulletinStatus,
    CityInspection,
    CityProblem,
    CityProblemStatus,
    InfoRound,
    InfoSubmission,
    Priority,
    PriorityAck,
)

D = datetime.date
START, END = D(2026, 4, 1), D(2026, 6, 30)
TITLE = "关于2026年第二季度全市文明单位创建工作督查情况的通报"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A local time on `day` (Asia/Shanghai), as stored by the services."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def problem(
    office: Organization,
    unit: Organization,
    inspected_on: datetime.date,
    deadline: datetime.date,
    **fields: Any,
) -> CityProblem:
    inspection = CityInspection.objects.create(
        office=office, unit=unit, kind="open", inspected_on=inspected_on, inspectors="王明"
    )
    n = CityProblem.objects.filter(office=office).count() + 1
    return CityProblem.objects.create(
        inspection=inspection,
        office=office,
        unit=unit,
        year=inspected_on.year,
        sequence=n,
        description=f"问题{n}",
        deadline=deadline,
        **fields,
    )


def build_quarter(demo: dict[str, Any]) -> None:
    """The market bureau: 4 problems in the period (1 closed in time, 2 overdue at the end, 1
    reported in time and awaiting), 1 of 2 rounds on time, its priority acknowledged in time.
    The court: no problem, 1 of 2 rounds on time (the last evening), its priority late."""
    office, unit, court = demo["office"], demo["unit"], demo["court"]
    closed = CityProblemStatus.CLOSED
    problem(
        office, unit, D(2026, 4, 10), D(2026, 5, 1), status=closed, closed_at=at(D(2026, 5, 20))
    )
    problem(office, unit, D(2026, 5, 10), D(2026, 6, 10))  # open, overdue at the end
    problem(
        office,
        unit,
        D(2026, 5, 12),
        D(2026, 6, 10),
        status=CityProblemStatus.AWAITING,
        rectified_at=at(D(2026, 6, 5)),
    )
    # Closed after the period, never reported by its deadline: overdue at the end.
    problem(office, unit, D(2026, 5, 15), D(2026, 6, 1), status=closed, closed_at=at(D(2026, 7, 5)))
    problem(office, unit, D(2026, 3, 20), D(2026, 4, 2))  # inspected before the period
    problem(office, unit, D(2026, 5, 1), D(2026, 5, 2), removed_at=at(D(2026, 5, 3)))
    rounds = [
        InfoRound.objects.create(office=office, year=2026, month=m, due_on=D(2026, m, 10))
        for m in (4, 5, 7)
    ]
    InfoRound.objects.create(
        office=office, year=2026, month=6, due_on=D(2026, 6, 10), removed_at=at(D(2026, 6, 1))
    )
    for rnd, who, day, hour in (
        (rounds[0], unit, D(2026, 4, 9), 10),
        (rounds[1], unit, D(2026, 5, 12), 10),
        (rounds[0], court, D(2026, 4, 10), 23),
    ):
        InfoSubmission.objects.create(
            round=rnd, unit=who, title="信息", content="内容", submitted_at=at(day, hour)
        )
    published = Priority.objects.create(
        office=office,
        year=2026,
        quarter=2,
        title="重点工作",
        body="要求",
        acknowledge_by=D(2026, 5, 31),
        published_at=at(D(2026, 5, 1)),
    )
    Priority.objects.create(
        office=office,
        year=2026,
        quarter=2,
        title="草稿",
        body="要求",
        acknowledge_by=D(2026, 5, 31),
    )
    PriorityAck.objects.create(priority=published, unit=unit, acknowledged_at=at(D(2026, 5, 30)))
    PriorityAck.objects.create(priority=published, unit=court, acknowledged_at=at(D(2026, 6, 2)))


def draft(demo: dict[str, Any], user: User, **fields: Any) -> Any:
    values = {
        "title": TITLE,
        "period_start": START,
        "period_end": END,
        "intro": "现将情况通报如下。",
    }
    values.update(fields)
    return bulletins.bulletin_create(office=demo["office"], user=user, **values)


@pytest.fixture
def quarter(demo, registered) -> None:  # type: ignore[no-untyped-def]
    build_quarter(demo)


def test_figures_count_the_period_per_unit(
    demo: dict[str, Any], quarter: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        rows = bulletins.unit_figures(office=demo["office"], start=START, end=END)
    by_unit = {r.unit.pk: r for r in rows}
    market, court = by_unit[demo["unit"].pk], by_unit[demo["court"].pk]
    assert (market.problems_found, market.problems_closed, market.problems_overdue) == (4, 1, 2)
    assert (market.info_due, market.info_on_time) == (2, 1)
    assert (market.priorities_due, market.priorities_acknowledged) == (1, 1)
    assert market.closed_rate == Decimal("25.0") and market.info_rate == Decimal("50.0")
    assert (court.problems_found, court.problems_closed, court.problems_overdue) == (0, 0, 0)
    assert court.closed_rate is None and bulletins.percent(court.closed_rate) == "—"
    assert (court.info_due, court.info_on_time) == (2, 1)
    assert (court.priorities_due, court.priorities_acknowledged) == (1, 0)
    assert [r.unit.pk for r in rows] == [demo["court"].pk, demo["unit"].pk]
    assert (court.rank, market.rank) == (1, 2)


def test_overdue_is_evaluated_at_the_end_of_the_period(demo: dict[str, Any], quarter: None) -> None:
    rows = bulletins.unit_figures(office=demo["office"], start=START, end=D(2026, 5, 31))
    market = next(r for r in rows if r.unit.pk == demo["unit"].pk)
    # By 5-31 only the problem due 5-01 had passed its deadline, and it was closed on 5-20.
    assert (market.problems_found, market.problems_closed, market.problems_overdue) == (4, 1, 0)


def _row(name: str, **figures: int) -> bulletins.Figures:
    return bulletins.Figures(unit=Organization(kind=OrgKind.UNIT, name=name), **figures)


def test_rank_shares_equal_keys_and_skips() -> None:
    rows = [
        _row("乙", problems_found=2, problems_closed=1),
        _row("丁", problems_found=2, problems_closed=1, problems_overdue=1),
        _row("甲"),  # none found: counts as 100%
        _row("丙", problems_found=4, problems_closed=2),
    ]
    ranked = bulletins.rank_rows(rows)
    assert [(r.unit.name, r.rank) for r in ranked] == [("甲", 1), ("乙", 2), ("丙", 2), ("丁", 4)]


def test_rank_then_looks_at_information_and_priorities() -> None:
    rows = [
        _row("甲", info_due=2, info_on_time=1),
        _row("乙", info_due=2, info_on_time=2, priorities_due=2, priorities_acknowledged=1),
        _row("丙", info_due=2, info_on_time=2, priorities_due=2, priorities_acknowledged=2),
        _row("丁", info_due=2, info_on_time=2, priorities_due=2, priorities_acknowledged=2),
    ]
    ranked = bulletins.rank_rows(rows)
    assert [(r.unit.name, r.rank) for r in ranked] == [("丙", 1), ("丁", 1), ("乙", 3), ("甲", 4)]


def test_a_verdict_needs_a_reason(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    bulletin = draft(demo, office_admin)
    for verdict in ("praise", "criticize"):
        with pytest.raises(ValidationError) as exc:
            bulletins.bulletin_set_verdict(
                bulletin=bulletin, user=office_admin, unit=demo["unit"], verdict=verdict
            )
        assert "事由" in exc.value.message_dict["reason"][0]
    assert not bulletin.entries.exists()


def test_a_verdict_only_for_the_offices_units(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    bulletin = draft(demo, office_admin)
    stranger = Organization.objects.create(kind=OrgKind.UNIT, parent=demo["office"], name="外单位")
    with pytest.raises(ValidationError) as exc:
        bulletins.bulletin_set_verdict(
            bulletin=bulletin, user=office_admin, unit=stranger, verdict="praise", reason="好"
        )
    assert "名录" in exc.value.message_dict["unit"][0]


def test_draft_period_must_be_in_order(demo: dict[str, Any], office_admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        draft(demo, office_admin, period_start=END, period_end=START)
    assert "不能早于" in exc.value.message_dict["period_end"][0]


def test_issue_freezes_numbers_and_closes_the_bulletin(
    demo: dict[str, Any], quarter: None, office_admin: User
) -> None:
    bulletin = draft(demo, office_admin)
    bulletins.bulletin_set_verdict(
        bulletin=bulletin,
        user=office_admin,
        unit=demo["court"],
        verdict="praise",
        reason="按时整改",
    )
    bulletins.bulletin_set_verdict(
        bulletin=bulletin, user=office_admin, unit=demo["unit"], verdict="criticize", reason="逾期"
    )
    with travel(D(2026, 7, 3)):
        issued = bulletins.bulletin_issue(
            bulletin=bulletin, user=office_admin, issued_on=D(2026, 7, 3)
        )
    assert issued.status == CityBulletinStatus.ISSUED
    assert (issued.year, issued.sequence) == (2026, 1)
    assert bulletins.number_label(issued) == "2026年第1期"
    entries = {e.unit_id: e for e in issued.entries.all()}
    assert entries[demo["unit"].pk].problems_overdue == 2 and entries[demo["unit"].pk].rank == 2
    assert entries[demo["court"].pk].verdict == "praise" and entries[demo["court"].pk].rank == 1
    # Later changes do not move an issued bulletin.
    problem(demo["office"], demo["court"], D(2026, 5, 5), D(2026, 5, 6))
    rows = bulletins.bulletin_rows(issued)
    assert [r.problems_overdue for r in rows] == [0, 2]
    second = draft(demo, office_admin, title="第二期")
    second = bulletins.bulletin_issue(bulletin=second, user=office_admin, issued_on=D(2026, 7, 5))
    assert second.sequence == 2


def test_nothing_changes_after_issue(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    bulletin = draft(demo, office_admin)
    bulletins.bulletin_issue(bulletin=bulletin, user=office_admin, issued_on=D(2026, 7, 1))
    with pytest.raises(ValidationError) as exc:
        bulletins.bulletin_update(
            bulletin=bulletin,
            user=office_admin,
            title="改",
            period_start=START,
            period_end=END,
            intro="",
        )
    assert "印发后不能再修改" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        bulletins.bulletin_set_verdict(
            bulletin=bulletin, user=office_admin, unit=demo["unit"], verdict="praise", reason="好"
        )
    with pytest.raises(ValidationError):
        bulletins.bulletin_issue(bulletin=bulletin, user=office_admin, issued_on=D(2026, 7, 2))
    bulletin.refresh_from_db()
    assert bulletin.title == TITLE and bulletin.sequence == 1


def test_issue_date_not_before_the_period_ends(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    bulletin = draft(demo, office_admin)
    with pytest.raises(ValidationError) as exc:
        bulletins.bulletin_issue(bulletin=bulletin, user=office_admin, issued_on=D(2026, 6, 1))
    assert "issued_on" in exc.value.message_dict
    bulletin.refresh_from_db()
    assert bulletin.status == CityBulletinStatus.DRAFT and not bulletin.entries.exists()

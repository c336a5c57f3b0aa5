"""The study figures, exact: sessions are the unit's live activities of the study kinds in the
year, points the sum of the year's months, 考学 the live exams of the year at their own pass
marks; per person against the targets with the shortfall, per department, per person on the
unit (for the standards' measures), and one person's year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from tests.activities.study_sheets import points_sheet, session
from wenming.activities import study
from wenming.orgs.services import unit_people


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def year(campaign, demo, coordinator, dept_head, staff, other_dept_head):  # type: ignore[no-untyped-def]
    """A year of study records of the market bureau (see the module's tests for the figures)."""
    unit = demo["unit"]
    study.study_target_set(unit=unit, year=2026, user=coordinator, sessions=3, points=1000)
    d = datetime.datetime
    session(campaign, demo, "study_group", d(2026, 3, 5, 9), [dept_head, staff, other_dept_head])
    session(campaign, demo, "party_day", d(2026, 4, 10, 9), [dept_head, staff])
    session(campaign, demo, "study_center", d(2026, 5, 10, 9), [dept_head])
    session(campaign, demo, "volunteer", d(2026, 5, 12, 9), [staff])  # not a study kind
    session(campaign, demo, "study_group", d(2026, 5, 20, 9), [staff], removed_at=timezone.now())
    session(campaign, demo, "study_group", d(2025, 12, 31, 23, 30), [other_dept_head])  # last year
    session(campaign, demo, "study_group", d(2026, 5, 21, 9), [staff], unit=demo["court"])
    for month, rows in (
        (datetime.date(2026, 5, 1), [("张明", 600), ("陈晓燕", 500.5)]),
        (datetime.date(2026, 4, 1), [("张明", 400), ("孙伟", 100)]),
        (datetime.date(2025, 12, 1), [("张明", 999)]),
    ):
        study.points_import(
            unit=unit,
            user=coordinator,
            month=month,
            content=points_sheet(rows),
            file_name="积分.xlsx",
        )
    exam = study.exam_create(
        unit=unit,
        user=coordinator,
        title="一",
        held_on=datetime.date(2026, 6, 1),
        lines="张明 90\n陈晓燕 55",
    )
    study.exam_create(
        unit=unit,
        user=coordinator,
        title="二",
        held_on=datetime.date(2026, 5, 1),
        full_marks=50,
        pass_mark=30,
        lines="张明 40",
    )
    removed = study.exam_create(
        unit=unit, user=coordinator, title="删", held_on=datetime.date(2026, 5, 2), lines="张明 10"
    )
    study.exam_remove(exam=removed, user=coordinator)
    study.exam_create(
        unit=unit,
        user=coordinator,
        title="去年",
        held_on=datetime.date(2025, 5, 2),
        lines="张明 10",
    )
    return exam


def _by_user(reading: study.StudyReading) -> dict[str, study.PersonRow]:
    names = dict(User.objects.values_list("pk", "username"))
    return {names[r.person_id]: r for r in reading.people}


def test_each_person_against_the_targets(demo, year) -> None:  # type: ignore[no-untyped-def]
    rows = _by_user(study.study_rows(demo["unit"], 2026))
    keshi, jingban, keshi2, cjb = rows["keshi"], rows["jingban"], rows["keshi2"], rows["cjb"]
    assert (keshi.sessions, keshi.points, keshi.sessions_met, keshi.points_met, keshi.met) == (
        3,
        Decimal("1000.0"),
        True,
        True,
        True,
    )
    assert (keshi.exams_taken, keshi.exams_passed, keshi.exam_average) == (2, 2, Decimal("65.0"))
    assert (jingban.sessions, jingban.sessions_short) == (2, "还差1次")
    assert (jingban.points, jingban.points_short, jingban.met) == (
        Decimal("500.5"),
        "还差499.5分",
        False,
    )
    assert (jingban.exams_taken, jingban.exams_passed, jingban.exam_average) == (
        1,
        0,
        Decimal("55.0"),
    )
    assert (keshi2.sessions, keshi2.sessions_short, keshi2.points_short) == (
        1,
        "还差2次",
        "还差900分",
    )
    assert (cjb.sessions, cjb.points, cjb.points_short, cjb.exam_average) == (
        0,
        0,
        "还差1000分",
        None,
    )
    assert keshi.place == "食品安全监管科" and cjb.place == "本单位"


def test_each_department_and_the_unit(demo, year) -> None:  # type: ignore[no-untyped-def]
    reading = study.study_rows(demo["unit"], 2026)
    people = unit_people(demo["unit"]).count()
    departments = {d.name: d for d in reading.departments}
    food = departments["食品安全监管科"]
    assert (food.people, food.sessions_met, food.points_met, food.met, food.rate) == (
        2,
        1,
        1,
        1,
        Decimal("50.0"),
    )
    assert (food.sessions_per_person, food.points_per_person) == (
        Decimal("2.50"),
        Decimal("750.25"),
    )
    registry = departments["登记注册科"]
    assert (registry.people, registry.met, registry.rate) == (1, 0, Decimal("0.0"))
    assert departments["本单位"].people == people - 3
    assert list(departments)[-1] == "本单位"
    total = reading.total
    assert (total.people, total.sessions, total.points, total.met) == (
        people,
        6,
        Decimal("1600.5"),
        1,
    )
    figures = study.unit_study_figures(demo["unit"], 2026)
    assert (figures.people, figures.sessions, figures.points) == (people, 6, Decimal("1600.5"))
    assert figures.sessions_per_person == (Decimal(6) / people).quantize(Decimal("0.01"))
    assert figures.sessions_per_person == total.sessions_per_person
    assert figures.points_per_person == total.points_per_person


def test_one_department(demo, year) -> None:  # type: ignore[no-untyped-def]
    reading = study.study_rows(demo["unit"], 2026, demo["food"])
    assert sorted(_by_user(reading)) == ["jingban", "keshi"]
    assert [d.name for d in reading.departments] == ["食品安全监管科"]
    assert reading.total.people == 2 and reading.total.met == 1


def test_without_a_target_nobody_is_judged(demo, year) -> None:  # type: ignore[no-untyped-def]
    reading = study.study_rows(demo["unit"], 2025)
    rows = _by_user(reading)
    assert reading.target is None
    assert (rows["keshi2"].sessions, rows["keshi"].points, rows["keshi"].exams_taken) == (
        1,
        Decimal("999.0"),
        1,
    )
    assert all(
        r.met is None and not r.sessions_short and not r.points_short for r in reading.people
    )


def test_a_target_of_zero_is_not_judged(demo, year, coordinator) -> None:  # type: ignore[no-untyped-def]
    study.study_target_set(unit=demo["unit"], year=2026, user=coordinator, sessions=2, points=0)
    rows = _by_user(study.study_rows(demo["unit"], 2026))
    assert (rows["jingban"].sessions_met, rows["jingban"].points_met, rows["jingban"].met) == (
        True,
        None,
        True,
    )
    assert rows["jingban"].points_short == ""


def test_one_person_s_year(demo, year, dept_head) -> None:  # type: ignore[no-untyped-def]
    found = study.person_study(dept_head, demo["unit"], 2026)
    assert [a.activity.kind for a in found.sessions] == ["study_group", "party_day", "study_center"]
    assert found.months == [
        (datetime.date(2026, 4, 1), Decimal("400.0")),
        (datetime.date(2026, 5, 1), Decimal("600.0")),
    ]
    assert [s.exam.title for s in found.scores] == ["二", "一"]
    row = found.row
    assert (row.sessions, row.points, row.exams_passed, row.exam_average, row.met) == (
        3,
        Decimal("1000.0"),
        2,
        Decimal("65.0"),
        True,
    )


def test_the_readings_cost_the_same_whatever_the_data(  # type: ignore[no-untyped-def]
    demo, year, campaign, django_assert_num_queries, dept_head
) -> None:
    with django_assert_num_queries(7):
        study.study_rows(demo["unit"], 2026)
    with django_assert_num_queries(4):
        study.person_study(dept_head, demo["unit"], 2026)
    with django_assert_num_queries(3):
        study.unit_study_figures(demo["unit"], 2026)

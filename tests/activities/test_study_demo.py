"""The demo's study records: this year's targets, last month's 学习强国 points imported with
two names that match nobody, one 考学 with scores; deterministic and loaded once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine

from wenming.activities import study
from wenming.activities.demo import load_demo_activities
from wenming.activities.models import Exam, PointsImport, StudyPoints, StudyTarget
from wenming.activities.study_demo import UNMATCHED, load_demo_study
from wenming.orgs.services import unit_people


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_the_demo_study_records_load_once_and_show_on_the_page(campaign, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    load_demo_activities(campaign)
    unit = campaign.unit
    people = unit_people(unit).count()
    assert load_demo_study(campaign) == {"targets": 1, "points_rows": people, "exams": 1}
    assert load_demo_study(campaign) == {"targets": 0, "points_rows": 0, "exams": 0}
    target = StudyTarget.objects.get()
    assert (target.year, target.sessions, target.points, target.platform) == (
        2026,
        2,
        9000,
        "学习强国",
    )
    record = PointsImport.objects.get()
    assert record.month == datetime.date(2026, 10, 1) and record.unmatched == UNMATCHED
    assert StudyPoints.objects.filter(source=record).count() == people
    exam = Exam.objects.get()
    scores = list(exam.scores.values_list("score", flat=True))
    assert len(scores) == people and any(s < exam.pass_mark for s in scores)
    reading = study.study_rows(unit, 2026)
    assert reading.total.sessions > 0 and reading.total.points > 0
    assert {r.met for r in reading.people} == {False}  # a month of points is short of the year's
    page = as_user(leader).get(f"/activities/study/points/?campaign={campaign.pk}")
    assert "以下2人未能匹配到本单位人员" in page.content.decode()


def test_the_demo_sheet_is_deterministic(campaign) -> None:  # type: ignore[no-untyped-def]
    from wenming.activities.study.sheet import read_sheet
    from wenming.activities.study_demo import demo_points_sheet

    people = list(unit_people(campaign.unit))
    month = datetime.date(2026, 10, 1)
    first = read_sheet(demo_points_sheet(campaign.unit, people, month, UNMATCHED), "a.xlsx")
    second = read_sheet(demo_points_sheet(campaign.unit, people, month, UNMATCHED), "a.xlsx")
    assert first == second and first.points_header == "本月积分"
    assert [r.name for r in first.rows][-2:] == UNMATCHED
    assert all(Decimal(str(r.points)) >= 0 for r in first.rows)

"""The demo's study records (`load_demo_study(campaign)`, meant as a `demo.load` step after
the demo activities, whose 集体学习 and 主题党日 are the year's study sessions).

- This year's targets: 2 study sessions and 9,000 学习强国 points per person.
- Last month's 学习强国 points: the platform's export (a title row, 序号, 姓名, 所在组织,
  本月积分 and 总积分, as its 组织管理 export looks) built in memory as .xlsx and imported
  through `study.points_import`, as the 创建办 would; two rows name people who have left
  (“王晓明（已调出）”, “刘洋（已退休）”), so the page shows the names it could not match.
- One 考学 with each person's score, one of them below the pass mark.

Deterministic (a fixed seed; dates count back from today) and idempotent: each part is added
only when the unit has none of its kind yet.
"""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import Workbook

from wenming.activities import study
from wenming.activities.models import Exam, PointsImport, StudyTarget
from wenming.activities.people_access import places_of
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.trace.context import acting_as

SEED = 2619
SESSIONS = 2
POINTS = 9000
UNMATCHED = ["王晓明（已调出）", "刘洋（已退休）"]
HEADER = ["序号", "姓名", "所在组织", "本月积分", "总积分"]
EXAM_TITLE = "党的二十届三中全会精神应知应会测试"
EXAM_DAYS_AGO = 20
LOW_SCORE_PERSON = "guancha"  # the one below the pass mark


def last_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def demo_points_sheet(
    unit: Organization, people: list[User], month: datetime.date, extra: list[str]
) -> bytes:
    """The platform's export of `month` as .xlsx: every person, then the `extra` names."""
    rng = random.Random(SEED)
    places = places_of(unit, [p.pk for p in people])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("学习积分")
    sheet.append([f"学习强国 {unit.name} 学员学习积分（{month:%Y年%m月}）"])
    sheet.append(HEADER)
    n = 0
    for n, person in enumerate(people, start=1):
        monthly = rng.randrange(420, 1100)
        total = monthly * month.month + rng.randrange(0, 3000)
        sheet.append([n, study.person_name(person), places[person.pk], monthly, total])
    for m, name in enumerate(extra, start=n + 1):
        monthly = rng.randrange(300, 900)
        sheet.append([m, name, unit.name, monthly, monthly * month.month])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _targets(unit: Organization, years: set[int], by: User | None) -> int:
    made = 0
    for year in sorted(years):
        if StudyTarget.objects.filter(unit=unit, year=year).exists() or by is None:
            continue
        with acting_as(by):
            study.study_target_set(unit=unit, year=year, user=by, sessions=SESSIONS, points=POINTS)
        made += 1
    return made


def _points(unit: Organization, people: list[User], month: datetime.date, by: User | None) -> int:
    if PointsImport.objects.filter(unit=unit).exists() or not people:
        return 0
    content = demo_points_sheet(unit, people, month, UNMATCHED)
    with acting_as(by):
        result = study.points_import(
            unit=unit,
            user=by,
            month=month,
            content=content,
            file_name=f"学习强国积分导出（{month:%Y年%m月}）.xlsx",
        )
    return result.record.rows


def _exam(unit: Organization, people: list[User], today: datetime.date, by: User | None) -> int:
    if Exam.objects.filter(unit=unit).exists() or not people:
        return 0
    rng = random.Random(SEED + 1)
    lines = []
    for person in people:
        score = (
            rng.randrange(52, 59) if person.username == LOW_SCORE_PERSON else rng.randrange(72, 99)
        )
        half = ".5" if rng.random() < 0.3 else ""
        lines.append(f"{study.person_name(person)} {score}{half}")
    with acting_as(by):
        study.exam_create(
            unit=unit,
            user=by,
            title=EXAM_TITLE,
            held_on=today - datetime.timedelta(days=EXAM_DAYS_AGO),
            full_marks=100,
            pass_mark=60,
            lines="\n".join(lines),
        )
    return 1


def load_demo_study(campaign: Campaign) -> dict[str, int]:
    """Add the demo's study targets, last month's points and a 考学 to `campaign`'s unit;
    returns how many of each were added (none when they are there already)."""
    unit = campaign.unit
    today = timezone.localdate()
    month = last_month(today)
    people = list(unit_people(unit))
    coordinator = next((p for p in people if p.username == "cjb"), None)
    return {
        "targets": _targets(unit, {today.year, month.year}, coordinator),
        "points_rows": _points(unit, people, month, coordinator),
        "exams": _exam(unit, people, today, coordinator),
    }

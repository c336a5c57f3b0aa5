"""Helpers of the study tests: points sheets shaped like the 学习强国 组织管理 export (a title
row above the header, 序号, 所在组织, 本月积分 and 总积分 columns), study sessions recorded
with the ORM, and `grow`, which adds people with a year's records (for the query bounds)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import Workbook

from wenming.activities import study
from wenming.activities.models import Activity, Attendance
from wenming.orgs.models import Membership, Role

HEADER = ["序号", "姓名", "所在组织", "本月积分", "总积分"]


def points_sheet(
    rows: list[tuple[Any, ...]], header: list[str] | None = None, title: bool = True
) -> bytes:
    """`rows` as (姓名, 本月积分[, 所在组织]); the 总积分 column holds ten times the month."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "学员积分"
    if title:
        ws.append(["学习强国 临州市市场监督管理局 学员学习积分（2026年05月）"])
    ws.append(header or HEADER)
    for n, values in enumerate(rows, start=1):
        name, points, *place = values
        total = points * 10 if isinstance(points, int | float) else None
        if header is None:
            ws.append([n, name, place[0] if place else "", points, total])
        else:
            ws.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def session(
    campaign: Any, demo: Any, kind: str, when: datetime.datetime, people: list[User], **more: Any
) -> Activity:
    activity = Activity.objects.create(
        campaign=campaign,
        unit=more.pop("unit", campaign.unit),
        department=demo["food"],
        kind=kind,
        title=more.pop("title", f"{kind} {when:%m-%d}"),
        starts_at=timezone.make_aware(when),
        **more,
    )
    Attendance.objects.bulk_create(Attendance(activity=activity, person=p, hours=2) for p in people)
    return activity


def grow(campaign: Any, demo: Any, coordinator: User, count: int, start: int) -> None:
    """`count` more people in 食品安全监管科, each with sessions, points and a score."""
    people = []
    for n in range(start, start + count):
        user = User.objects.create_user(f"xx{n}", first_name=f"学员{n}")
        Membership.objects.create(user=user, organization=demo["food"], role=Role.STAFF)
        people.append(user)
    session(campaign, demo, "study_group", datetime.datetime(2026, 3, 5 + start % 20, 9), people)
    month = datetime.date(2026, 1 + start % 5, 1)
    rows = [(f"学员{n}", 100 + n) for n in range(start, start + count)]
    study.points_import(
        unit=demo["unit"],
        user=coordinator,
        month=month,
        content=points_sheet(rows),
        file_name="积分.xlsx",
    )
    lines = "\n".join(f"学员{n} {60 + n % 40}" for n in range(start, start + count))
    study.exam_create(
        unit=demo["unit"],
        user=coordinator,
        title=f"测试{start}",
        held_on=datetime.date(2026, 6, 1),
        lines=lines,
    )

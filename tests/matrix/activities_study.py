"""The study screens (学习, R19) in the permission matrix.

Everyone who reads the unit's activities — its 创建办, leaders, inspectors, observers and
department people — and the office admin above read the compliance, the points imports and
the 考学; another city is told nothing (404). Only the unit's 创建办 sets the targets, imports
points and records 考学; everyone else who reads, the office admin included (the office reads
only), is refused (403). The targets: the market bureau's campaign and one 考学 of the unit.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories import make_campaign
from tests.matrix.base import Route, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.activities.models import Exam
    from wenming.campaigns.models import Campaign

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    exam = Exam.objects.create(
        unit=base["unit"], title="矩阵考学", held_on=datetime.date(2026, 3, 1)
    )
    return {"st_campaign": campaign, "st_exam": exam}


QUERY = "?campaign={st_campaign}&year=2026"


def points_file() -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "本月积分"])
    sheet.append(["张明", 830])
    sheet.append(["王晓明（已调出）", 12])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("积分.xlsx", out.getvalue())


def last_month() -> str:
    return f"{datetime.date.today().replace(day=1) - datetime.timedelta(days=1):%Y-%m}"


def _target(t: dict[str, Any]) -> dict[str, Any]:
    return {"sessions": "12", "points": "9000", "platform": "学习强国"}


def _points(t: dict[str, Any]) -> dict[str, Any]:
    return {"month": last_month(), "file": points_file()}


def _exam(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "应知应会测试",
        "held_on": datetime.date.today().isoformat(),
        "full_marks": "100",
        "pass_mark": "60",
        "lines": "张明 90",
    }


def _exam_args(t: dict[str, Any]) -> list[Any]:
    return [t["st_exam"].pk]


ROUTES: dict[str, Route] = {
    "activities:study": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:study_target": Route(
        "POST", lambda t: [], unit_work(302), data=_target, query=QUERY
    ),
    "activities:study_points": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:study_points_import": Route(
        "POST", lambda t: [], unit_work(302), data=_points, query=QUERY
    ),
    "activities:study_exams": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:study_exam_new": Route(
        "POST", lambda t: [], unit_work(302), data=_exam, query=QUERY
    ),
    "activities:study_exam_detail": Route("GET", _exam_args, unit_read()),
    "activities:study_exam_scores": Route(
        "POST", _exam_args, unit_work(302), data=lambda t: {"lines": "陈晓燕 88"}
    ),
    "activities:study_exam_remove": Route("POST", _exam_args, unit_work(302)),
}

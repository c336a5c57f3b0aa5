"""The API of study records (学习, R19), mounted at /api/v1/study.

- `/targets`: a unit's targets for a year (GET; PUT sets them: sessions and platform points
  per person, the platform's name).
- `/compliance`: per person (sessions attended, points, 考学) and per department (people,
  how many meet each target, the rate), with the unit's totals; `department` narrows it.
- `/points-imports`: the unit's monthly imports with the names that matched nobody (GET);
  importing a month of the platform's export (multipart: `campaign_id`, `month` "2026-11",
  `file`), refused whole with every bad row (422: `errors.file` and `problems`).
- `/exams`: the year's 考学 with their results (GET), recording one with its scores (POST:
  rows `scores` and/or pasted `lines` "姓名 分数"); `/exams/{id}` with each score;
  `/exams/{id}/scores` (PUT) adds or corrects scores; `/exams/{id}/remove` (kept).

Everyone who reads the unit's activities reads these; only the unit's 创建办 writes (the office
above is told it reads only, anyone else who reads is refused, 403); another city is told
nothing (404). Access is `study_access`, the rules and figures `activities.study`, whose
refusals reach the API's handler as 422 with the Chinese sentence. Points and scores are
one-decimal strings ("92.5"), per-person figures two-decimal strings.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from wenming.activities import study
from wenming.activities import study_access as access
from wenming.activities.models import Exam, PointsImport, StudyTarget
from wenming.activities.people_access import places_of
from wenming.campaigns.models import Campaign
from wenming.core.api_input import (
    ErrorOut,
    Input,
    Refused,
    check_uploads,
    column_length,
    limited_uploads,
    refused,
    user_of,
)

router = Router(tags=["学习"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}
PAGE_SIZE = 100
YEAR = Query(None, ge=2000, le=2100)


def _one(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def _two(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


def _campaign(user: User, campaign_id: int) -> Campaign:
    return access.get_campaign_for_reader(user, campaign_id)


# --- targets -----------------------------------------------------------------------------------


class TargetOut(Schema):
    unit_id: int
    year: int
    set: bool = Field(description="是否已设置该年度目标（未设置时各项为0）")
    sessions: int = Field(description="每人参加学习（次/年），0为不设目标")
    points: int = Field(description="每人学习平台积分（分/年），0为不设目标")
    platform: str


class TargetIn(Input):
    campaign_id: int
    year: int | None = Field(None, description="年度，默认今年")
    sessions: int | None = Field(None, description="每人参加学习（次/年），0到365")
    points: int | None = Field(None, description="每人学习平台积分（分/年）")
    platform: str = Field(
        study.PLATFORM, max_length=column_length(StudyTarget, "platform"), description="学习平台"
    )


def _target_out(campaign: Campaign, year: int, target: StudyTarget | None) -> dict[str, Any]:
    return {
        "unit_id": campaign.unit_id,
        "year": year,
        "set": target is not None,
        "sessions": target.sessions if target else 0,
        "points": target.points if target else 0,
        "platform": target.platform if target else study.PLATFORM,
    }


@router.get("/targets", response={200: TargetOut, **ERRORS}, summary="学习目标（单位、年度）")
def study_target_get(request: HttpRequest, campaign: int, year: int | None = YEAR) -> Any:
    found = _campaign(user_of(request), campaign)
    return _target_out(found, _year(year), study.target_of(found.unit, _year(year)))


@router.put(
    "/targets",
    response={200: TargetOut, **ERRORS},
    summary="设置学习目标：每人参加学习次数、学习平台积分（本单位创建办；已有则修改）",
)
def study_target_put(request: HttpRequest, payload: TargetIn) -> Any:
    user = user_of(request)
    campaign = access.get_campaign_for_manager(user, payload.campaign_id)
    year = _year(payload.year)
    target = study.study_target_set(
        unit=campaign.unit,
        year=year,
        user=user,
        sessions=payload.sessions,
        points=payload.points,
        platform=payload.platform,
    )
    return _target_out(campaign, year, target)


# --- compliance --------------------------------------------------------------------------------


class PersonOut(Schema):
    person_id: int
    name: str
    departments: list[str]
    sessions: int = Field(description="参加学习次数（中心组学习、集体学习、主题党日）")
    points: str = Field(description="学习平台积分（各月合计）")
    exams_taken: int
    exams_passed: int
    exam_average: str | None = Field(description="考学平均分（未参加为空）")
    sessions_met: bool | None = Field(description="学习次数是否达标（未设目标为空）")
    sessions_short: str = Field(description="如“还差2次”")
    points_met: bool | None
    points_short: str = Field(description="如“还差350分”")
    met: bool | None = Field(description="所设目标是否全部达标")


class DepartmentOut(Schema):
    department_id: int | None = Field(description="部门；空为不在部门的本单位人员（或合计）")
    name: str
    people: int
    sessions_per_person: str | None
    points_per_person: str | None
    sessions_met: int = Field(description="学习次数达标人数")
    points_met: int = Field(description="积分达标人数")
    met: int = Field(description="全部达标人数")
    rate: str | None = Field(description="达标率（%）")


class ComplianceOut(Schema):
    year: int
    target: TargetOut
    people: list[PersonOut]
    departments: list[DepartmentOut]
    total: DepartmentOut


def _person_out(row: study.PersonRow) -> dict[str, Any]:
    return {
        "person_id": row.person_id,
        "name": row.name,
        "departments": row.departments,
        "sessions": row.sessions,
        "points": _one(row.points),
        "exams_taken": row.exams_taken,
        "exams_passed": row.exams_passed,
        "exam_average": _one(row.exam_average),
        "sessions_met": row.sessions_met,
        "sessions_short": row.sessions_short,
        "points_met": row.points_met,
        "points_short": row.points_short,
        "met": row.met,
    }


def _department_out(row: study.DepartmentRow) -> dict[str, Any]:
    return {
        "department_id": row.department_id,
        "name": row.name,
        "people": row.people,
        "sessions_per_person": _two(row.sessions_per_person),
        "points_per_person": _two(row.points_per_person),
        "sessions_met": row.sessions_met,
        "points_met": row.points_met,
        "met": row.met,
        "rate": _one(row.rate),
    }


@router.get(
    "/compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="学习达标情况：各人和各部门对照学习目标（可按部门查看）",
)
def study_compliance(
    request: HttpRequest,
    campaign: int,
    year: int | None = YEAR,
    department: int | None = Query(None, description="只看该部门"),
) -> Any:
    found = _campaign(user_of(request), campaign)
    chosen = access.department_for_reader(found.unit, department)
    reading = study.study_rows(found.unit, _year(year), chosen)
    return {
        "year": reading.year,
        "target": _target_out(found, reading.year, reading.target),
        "people": [_person_out(r) for r in reading.people],
        "departments": [_department_out(d) for d in reading.departments],
        "total": _department_out(reading.total),
    }


# --- points imports ----------------------------------------------------------------------------


class PointsImportOut(Schema):
    id: int
    unit_id: int
    month: str = Field(description="积分月份，如 2026-11")
    file_name: str
    rows: int = Field(description="导入的人数")
    unmatched: list[str] = Field(description="未能匹配到本单位人员的姓名")
    current: bool = Field(description="是否计入（同一月份以最后一次导入为准）")
    created_by: str
    created_at: datetime.datetime


class PointsImportIn(Input):
    campaign_id: int
    month: str = Field(max_length=10, description="积分月份，如 2026-11，不能晚于本月")


def _import_out(record: PointsImport, current: set[int]) -> dict[str, Any]:
    by = record.created_by
    return {
        "id": record.pk,
        "unit_id": record.unit_id,
        "month": f"{record.month:%Y-%m}",
        "file_name": record.file_name,
        "rows": record.rows,
        "unmatched": list(record.unmatched or []),
        "current": record.pk in current,
        "created_by": study.person_name(by) if by else "",
        "created_at": record.created_at,
    }


class _Imports:
    """The unit's imports for the paginator, each read out with whether it counts."""

    def __init__(self, campaign: Campaign) -> None:
        self.rows = PointsImport.objects.filter(unit=campaign.unit).select_related("created_by")
        self.rows = self.rows.order_by("-created_at", "-id")
        self.unit = campaign.unit

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        current = study.current_imports(self.unit)
        return [_import_out(r, current) for r in self.rows[index]]


@router.get(
    "/points-imports",
    response=list[PointsImportOut],
    summary="学习积分导入（各月导入及未匹配的姓名）",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def study_points_import_list(request: HttpRequest, campaign: int) -> Any:
    return _Imports(_campaign(user_of(request), campaign))


@router.post(
    "/points-imports",
    response={201: PointsImportOut, **UPLOAD_ERRORS},
    summary="导入一个月的学习平台积分表（multipart：campaign_id、month、file；有问题的行逐一列出、整表不导入）",
)
@decorate_view(limited_uploads)
def study_points_import_create(
    request: HttpRequest, payload: Form[PointsImportIn], file: File[UploadedFile]
) -> Any:
    check_uploads(request, "file")
    user = user_of(request)
    campaign = access.get_campaign_for_manager(user, payload.campaign_id)
    month = study.parse_month(payload.month)
    if month is None:
        raise refused("month", "请按 2026-11 的格式填写积分月份。")
    try:
        result = study.points_import(
            unit=campaign.unit,
            user=user,
            month=month,
            content=file.read(settings.WENMING_IMPORT_MAX_BYTES + 1),
            file_name=file.name or "",
        )
    except study.PointsRefused as exc:
        raise _refusal(exc) from exc
    return Status(201, _import_out(result.record, {result.record.pk}))


def _refusal(exc: study.PointsRefused) -> Refused:
    """The sheet's problems, every one with its row, beside the dialect's `errors`."""
    count = len(exc.problems)
    detail = (
        f"未导入：表格中有{count}处问题，请修改后重新上传（整个表格未写入）。"
        if count > 1
        else f"未导入：{exc.problems[0]}"
    )
    return Refused(
        detail,
        {"file": [str(p) for p in exc.problems]},
        extra={"problems": [{"row": p.row, "message": p.message} for p in exc.problems]},
    )


# --- 考学 ---------------------------------------------------------------------------------------


class ExamOut(Schema):
    id: int
    unit_id: int
    title: str
    held_on: datetime.date
    full_marks: str
    pass_mark: str
    taken: int = Field(description="参加人数")
    passed: int = Field(description="及格人数")
    average: str | None = Field(description="平均分")
    removed: bool


class ScoreOut(Schema):
    person_id: int
    name: str
    place: str = Field(description="所在部门")
    score: str
    passed: bool


class ExamDetailOut(ExamOut):
    scores: list[ScoreOut]


class ScoreIn(Schema):
    person_id: int | None = Field(None, description="本单位人员编号")
    score: Decimal | str = Field(description="成绩，0到满分，最多一位小数")


class ExamScoresIn(Input):
    scores: list[ScoreIn] = Field(default_factory=list, description="逐人成绩")
    lines: str = Field("", max_length=100_000, description="粘贴的成绩，每行“姓名 分数”")


class ExamIn(ExamScoresIn):
    campaign_id: int
    title: str = Field(max_length=column_length(Exam, "title"))
    held_on: datetime.date | None = Field(None, description="考试日期，不能晚于今天")
    full_marks: Decimal | str = Field(Decimal(100), description="满分")
    pass_mark: Decimal | str = Field(Decimal(60), description="及格分")


def _exam_out(exam: Exam) -> dict[str, Any]:
    return {
        "id": exam.pk,
        "unit_id": exam.unit_id,
        "title": exam.title,
        "held_on": exam.held_on,
        "full_marks": _one(exam.full_marks),
        "pass_mark": _one(exam.pass_mark),
        "taken": getattr(exam, "taken", 0),
        "passed": getattr(exam, "passed", 0),
        "average": _one(getattr(exam, "average", None)),
        "removed": exam.removed_at is not None,
    }


def _exam_detail(exam: Exam) -> dict[str, Any]:
    scores = list(exam.scores.select_related("person").order_by("-score", "id"))
    places = places_of(exam.unit, [s.person_id for s in scores])
    found = [
        {
            "person_id": s.person_id,
            "name": study.person_name(s.person),
            "place": places[s.person_id],
            "score": _one(s.score),
            "passed": s.score >= exam.pass_mark,
        }
        for s in scores
    ]
    out = _exam_out(exam)
    values = [s.score for s in scores]
    out.update(
        taken=len(found),
        passed=sum(1 for s in found if s["passed"]),
        average=_one(study.average(values)),
        scores=found,
    )
    return out


def _inputs(payload: ExamScoresIn) -> list[study.ScoreInput]:
    return [study.ScoreInput(s.person_id, s.score) for s in payload.scores]


@router.get("/exams", response={200: list[ExamOut], **ERRORS}, summary="考学（所查年度）及结果")
def study_exam_list(request: HttpRequest, campaign: int, year: int | None = YEAR) -> Any:
    found = _campaign(user_of(request), campaign)
    exams = Exam.objects.filter(unit=found.unit, removed_at__isnull=True, held_on__year=_year(year))
    return [_exam_out(e) for e in study.exam_results(exams).order_by("-held_on", "-id")]


@router.post(
    "/exams",
    response={201: ExamDetailOut, **ERRORS},
    summary="登记考学及成绩（本单位创建办；成绩可逐人给出或粘贴“姓名 分数”）",
)
def study_exam_create(request: HttpRequest, payload: ExamIn) -> Any:
    user = user_of(request)
    campaign = access.get_campaign_for_manager(user, payload.campaign_id)
    exam = study.exam_create(
        unit=campaign.unit,
        user=user,
        title=payload.title,
        held_on=payload.held_on,
        full_marks=payload.full_marks,
        pass_mark=payload.pass_mark,
        scores=_inputs(payload),
        lines=payload.lines,
    )
    return Status(201, _exam_detail(exam))


@router.get(
    "/exams/{int:exam_id}", response={200: ExamDetailOut, **ERRORS}, summary="一次考学及各人成绩"
)
def study_exam_detail(request: HttpRequest, exam_id: int) -> Any:
    return _exam_detail(access.get_exam_for_user(user_of(request), exam_id))


@router.put(
    "/exams/{int:exam_id}/scores",
    response={200: ExamDetailOut, **ERRORS},
    summary="登记或更正成绩（已有成绩的人以本次为准）",
)
def study_exam_scores(request: HttpRequest, exam_id: int, payload: ExamScoresIn) -> Any:
    user = user_of(request)
    exam = access.get_exam_for_user(user, exam_id, write=True)
    study.exam_scores_set(exam=exam, user=user, scores=_inputs(payload), lines=payload.lines)
    return _exam_detail(exam)


@router.post(
    "/exams/{int:exam_id}/remove",
    response={204: None, **ERRORS},
    summary="删除考学（记录保留，不再计入考学情况）",
)
def study_exam_remove(request: HttpRequest, exam_id: int) -> Any:
    user = user_of(request)
    exam = access.get_exam_for_user(user, exam_id, write=True)
    study.exam_remove(exam=exam, user=user)
    return Status(204, None)

"""The API of imported volunteer hours, 双报到 and 帮扶共建 (R9), mounted under
/api/v1/activities beside the activities' own routes.

- `/volunteers/hours-imports`: the unit's imports (list, one with its rows); importing a
  platform's sheet (multipart: `campaign_id` or `unit_id`, `file`), kept whole or refused
  whole with every bad row (422: `errors.file` and `problems`, each with its row).
- `/community-reports`: the members with their communities and each quarter's feedback of a
  year, `/community-reports/figures`; registering a member, recording a quarter's feedback
  (PUT: the same quarter again updates it), taking a member out.
- `/pairings`: the pairings running in a year with their visits against the plan; one with
  its plan and visits (activities naming it); creating one, taking one out.

Everyone who reads the unit's activities reads these (`service_access`); the unit's 创建办
and department people import hours; only the 创建办 writes 双报到 and 帮扶共建 (the office
above is told it reads only, 403); another city is told nothing (404). Hours are
two-decimal strings (`"2.50"`), as elsewhere.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from wenming.activities import community, hours_import
from wenming.activities import people_access as people
from wenming.activities import service_access as access
from wenming.activities.models import (
    CommunityReport,
    FeedbackRating,
    HoursImport,
    Pairing,
    ServiceHours,
)
from wenming.campaigns.models import Campaign
from wenming.core.api_input import (
    ErrorOut,
    Input,
    Refused,
    check_uploads,
    column_length,
    field_names,
    limited_uploads,
    refused,
    user_of,
)
from wenming.orgs.access import get_org_for_user
from wenming.orgs.models import Organization, OrgKind
from wenming.orgs.services import unit_people

router = Router(tags=["志愿服务"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}
PAGE_SIZE = 100
RATINGS = "、".join(f"{value} {label}" for value, label in FeedbackRating.choices)
YEAR = Query(None, ge=2000, le=2100)


def _two(value: Decimal | None) -> str:
    return f"{value or Decimal(0):.2f}"


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _this_year() -> int:
    return timezone.localdate().year


def _campaign(user: User, campaign_id: int) -> Campaign:
    return people.get_campaign_for_reader(user, campaign_id)


# --- imported hours ---------------------------------------------------------------------------


class HoursImportOut(Schema):
    id: int
    unit_id: int
    file_name: str
    rows: int
    people: int = Field(description="涉及的人数")
    hours: str = Field(description="时长合计（小时）")
    created_by: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_hours(obj: HoursImport) -> str:
        return _two(obj.hours)

    @staticmethod
    def resolve_created_by(obj: HoursImport) -> str:
        return _name(obj.created_by)


class ServiceHoursOut(Schema):
    id: int
    person_id: int
    name: str
    served_on: datetime.date
    hours: str
    organizer: str
    project: str
    removed: bool

    @staticmethod
    def resolve_name(obj: ServiceHours) -> str:
        return _name(obj.person)

    @staticmethod
    def resolve_hours(obj: ServiceHours) -> str:
        return _two(obj.hours)

    @staticmethod
    def resolve_removed(obj: ServiceHours) -> bool:
        return obj.removed_at is not None


class ImportIn(Input):
    campaign_id: int | None = Field(None, description="创建工作（导入到其所属单位）")
    unit_id: int | None = Field(None, description="单位；也可给 campaign_id")


def _imports(unit: Organization) -> Any:
    return (
        HoursImport.objects.filter(unit=unit)
        .select_related("created_by")
        .annotate(people=Count("entries__person", distinct=True))
        .order_by("-created_at", "-id")
    )


def _import_unit(user: User, payload: ImportIn) -> Organization:
    if payload.campaign_id is not None:
        unit = _campaign(user, payload.campaign_id).unit
    elif payload.unit_id is not None:
        unit = get_org_for_user(user, payload.unit_id)
        if unit.kind != OrgKind.UNIT or not people.can_read_unit(user, unit):
            raise Http404("没有找到该单位，或您无权查看。")
    else:
        raise refused("unit_id", "请给出单位（unit_id）或创建工作（campaign_id）。")
    access.require_hours_writer(user, unit)
    return unit


@router.get(
    "/volunteers/hours-imports",
    response=list[HoursImportOut],
    summary="导入的志愿服务时长（各次导入及其行数、人数、时长）",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def activity_hours_import_list(request: HttpRequest, campaign: int) -> Any:
    return _imports(_campaign(user_of(request), campaign).unit)


@router.post(
    "/volunteers/hours-imports",
    response={201: HoursImportOut, **UPLOAD_ERRORS},
    summary="导入志愿服务平台导出的时长表（multipart：file；整表导入，有问题的行逐一列出、整表不导入）",
)
@decorate_view(limited_uploads)
def activity_hours_import_create(
    request: HttpRequest, payload: Form[ImportIn], file: File[UploadedFile]
) -> Any:
    check_uploads(request, "file")
    user = user_of(request)
    unit = _import_unit(user, payload)
    content = file.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    try:
        result = hours_import.hours_import(
            unit=unit, user=user, content=content, file_name=file.name or ""
        )
    except hours_import.HoursRefused as exc:
        raise _refusal(exc) from exc
    return Status(201, _imports(unit).get(pk=result.record.pk))


def _refusal(exc: hours_import.HoursRefused) -> Refused:
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


def _import_for(user: User, import_id: int) -> HoursImport:
    found = access.get_import_for_reader(user, import_id)
    return _imports(found.unit).get(pk=found.pk)


@router.get(
    "/volunteers/hours-imports/{int:import_id}",
    response={200: HoursImportOut, **ERRORS},
    summary="一次时长导入",
)
def activity_hours_import_detail(request: HttpRequest, import_id: int) -> Any:
    return _import_for(user_of(request), import_id)


@router.get(
    "/volunteers/hours-imports/{int:import_id}/rows",
    response=list[ServiceHoursOut],
    summary="一次时长导入的各行（按表中顺序）",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def activity_hours_import_rows(request: HttpRequest, import_id: int) -> Any:
    found = access.get_import_for_reader(user_of(request), import_id)
    return ServiceHours.objects.filter(source=found).select_related("person").order_by("id")


# --- 双报到 -------------------------------------------------------------------------------------


class QuarterOut(Schema):
    quarter: int
    state: str = Field(description="done 已反馈、missing 未反馈、future 季度未到、before 尚未报到")
    rating: str = Field(description=RATINGS)
    rating_label: str
    hours: str
    note: str


class CommunityReportOut(Schema):
    id: int
    unit_id: int
    person_id: int
    name: str
    community: str
    reported_on: datetime.date
    hours_year: str = Field(description="所查年度社区反馈的服务时长（小时）")
    missing_now: bool = Field(description="本季度（往年为第4季度）社区尚未反馈")
    quarters: list[QuarterOut]


class CommunityFiguresOut(Schema):
    reported: int = Field(description="报到党员人数")
    quarter: int | None = Field(description="所问的季度（本年为本季度，往年为第4季度）")
    received: int = Field(description="该季度已有社区反馈的人数")
    missing: int = Field(description="该季度尚无社区反馈的人数")
    hours: str = Field(description="所查年度的社区服务时长（小时）")


class CommunityReportIn(Input):
    campaign_id: int = Field(description="创建工作（以其单位登记）")
    person_id: int = Field(description="本单位党员的人员编号")
    community: str = Field(max_length=column_length(CommunityReport, "community"))
    reported_on: datetime.date | None = Field(None, description="报到日期，如 2026-03-05")


class FeedbackIn(Input):
    year: int = Field(description="年度")
    quarter: int = Field(description="季度 1–4（不能是还没到的季度）")
    rating: str = Field(max_length=10, description=RATINGS)
    hours: Decimal = Field(Decimal(0), description="在社区服务的时长（小时），最多两位小数")
    note: str = Field("", max_length=500, description="社区意见")


def _report_out(row: community.ReportRow) -> dict[str, Any]:
    report = row.report
    return {
        "id": report.pk,
        "unit_id": report.unit_id,
        "person_id": report.person_id,
        "name": row.name,
        "community": report.community,
        "reported_on": report.reported_on,
        "hours_year": _two(row.hours),
        "missing_now": row.missing_now,
        "quarters": [
            {
                "quarter": c.quarter,
                "state": c.state,
                "rating": c.feedback.rating if c.feedback else "",
                "rating_label": c.feedback.get_rating_display() if c.feedback else "",
                "hours": _two(c.feedback.hours if c.feedback else None),
                "note": c.feedback.note if c.feedback else "",
            }
            for c in row.cells
        ],
    }


def _report_row(report: CommunityReport, year: int) -> dict[str, Any]:
    found = community.report_queryset(report.unit, year).filter(pk=report.pk)
    rows = community.report_rows(report.unit, year, found)
    if not rows:  # reported after the year asked: the row as of this year
        rows = community.report_rows(
            report.unit, _this_year(), community.live_reports(report.unit).filter(pk=report.pk)
        )
    return _report_out(rows[0])


@router.get(
    "/community-reports",
    response=list[CommunityReportOut],
    summary="双报到：报到党员、居住地社区及所查年度各季度的社区反馈",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def activity_community_list(request: HttpRequest, campaign: int, year: int | None = YEAR) -> Any:
    unit = _campaign(user_of(request), campaign).unit
    shown = year or _this_year()
    return _PagedRows(unit, shown)


class _PagedRows:
    """The members as a sliceable sequence: the paginator counts, then reads one page's
    rows with their feedback (two queries)."""

    def __init__(self, unit: Organization, year: int) -> None:
        self.unit, self.year = unit, year
        self.qs = community.report_queryset(unit, year)

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        rows = community.report_rows(self.unit, self.year, self.qs[index])
        return [_report_out(r) for r in rows]


@router.get(
    "/community-reports/figures",
    response={200: CommunityFiguresOut, **ERRORS},
    summary="双报到概况：报到人数、本季度社区反馈已有和尚缺人数、社区服务时长",
)
def activity_community_figures(request: HttpRequest, campaign: int, year: int | None = YEAR) -> Any:
    unit = _campaign(user_of(request), campaign).unit
    figures = community.community_figures(unit, year or _this_year())
    return {**figures, "hours": _two(figures["hours"])}


@router.post(
    "/community-reports",
    response={201: CommunityReportOut, **ERRORS},
    summary="登记双报到：本单位党员向居住地社区报到（本单位创建办）",
)
def activity_community_create(request: HttpRequest, payload: CommunityReportIn) -> Any:
    user = user_of(request)
    campaign = _campaign(user, payload.campaign_id)
    access.require_manager(user, campaign.unit)
    person = unit_people(campaign.unit).filter(pk=payload.person_id).first()
    if person is None:
        raise refused("person_id", f"编号为{payload.person_id}的人员不是本单位人员，请核对。")
    with field_names({"person": "person_id"}):
        report = community.community_report(
            unit=campaign.unit,
            person=person,
            user=user,
            community=payload.community,
            reported_on=payload.reported_on,
        )
    return Status(201, _report_row(report, _this_year()))


@router.put(
    "/community-reports/{int:report_id}/feedback",
    response={200: CommunityReportOut, **ERRORS},
    summary="登记社区对报到党员的季度反馈（本单位创建办；同一季度再次登记即更新）",
)
def activity_community_feedback(request: HttpRequest, report_id: int, payload: FeedbackIn) -> Any:
    user = user_of(request)
    report = access.get_report_for_manager(user, report_id)
    community.community_feedback_record(
        report=report,
        user=user,
        year=payload.year,
        quarter=payload.quarter,
        rating=payload.rating,
        # As text: the service reads the hours as written.
        hours=str(payload.hours),
        note=payload.note,
    )
    return _report_row(report, payload.year)


@router.post(
    "/community-reports/{int:report_id}/remove",
    response={204: None, **ERRORS},
    summary="移除双报到登记（记录和社区反馈保留，不再计入）",
)
def activity_community_remove(request: HttpRequest, report_id: int) -> Any:
    user = user_of(request)
    report = access.get_report_for_manager(user, report_id)
    community.community_report_remove(report=report, user=user)
    return Status(204, None)


# --- 帮扶共建 -----------------------------------------------------------------------------------


class PairingOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    department_id: int
    department_name: str
    partner: str
    plan: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    visits_planned: int = Field(description="每年计划走访次数")
    year: int
    visits: int = Field(description="所查年度的走访次数（登记为活动的）")
    short: int = Field(description="所查年度尚差的走访次数")
    progress: str = Field(description="如“今年已走访2次，计划4次，还差2次”")


class VisitOut(Schema):
    activity_id: int
    title: str
    starts_at: datetime.datetime
    department_name: str
    place: str


class PairingDetailOut(PairingOut):
    visit_list: list[VisitOut] = Field(description="全部走访（登记为活动的），新的在前")
    new_visit_url: str = Field(description="登记走访的页面（可以登记活动时）；否则为空")


class PairingIn(Input):
    campaign_id: int
    department_id: int = Field(description="牵头部门（本单位的部门）")
    partner: str = Field(max_length=column_length(Pairing, "partner"), description="共建对象")
    plan: str = Field(max_length=community.PLAN_CHARS, description="共建计划")
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    visits_planned: int = Field(4, description="每年计划走访次数（1–100）")


def _pairing_out(row: community.PairingRow, year: int) -> dict[str, Any]:
    p = row.pairing
    return {
        "id": p.pk,
        "campaign_id": p.campaign_id,
        "unit_id": p.unit_id,
        "department_id": p.department_id,
        "department_name": p.department.name,
        "partner": p.partner,
        "plan": p.plan,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "visits_planned": p.visits_planned,
        "year": year,
        "visits": row.visits,
        "short": row.short,
        "progress": row.text,
    }


def _pairing_detail(user: User, pairing: Pairing, year: int) -> dict[str, Any]:
    visits = list(community.pairing_visits(pairing))
    in_year = sum(1 for v in visits if timezone.localtime(v.starts_at).year == year)
    out = _pairing_out(community.pairing_row(pairing, year, in_year), year)
    new_visit = ""
    if access.can_record_visit(user, pairing.campaign):
        query = f"?campaign={pairing.campaign_id}&kind=pairing&pairing={pairing.pk}"
        new_visit = reverse("activities:new") + query
    out["visit_list"] = [
        {
            "activity_id": v.pk,
            "title": v.title,
            "starts_at": v.starts_at,
            "department_name": v.department.name,
            "place": v.place,
        }
        for v in visits
    ]
    out["new_visit_url"] = new_visit
    return out


@router.get(
    "/pairings",
    response={200: list[PairingOut], **ERRORS},
    summary="帮扶共建：所查年度在共建期内的对象及走访次数与计划",
)
def activity_pairing_list(request: HttpRequest, campaign: int, year: int | None = YEAR) -> Any:
    found = _campaign(user_of(request), campaign)
    shown = year or _this_year()
    return [_pairing_out(r, shown) for r in community.pairing_rows(found, shown)]


@router.post(
    "/pairings",
    response={201: PairingDetailOut, **ERRORS},
    summary="新增帮扶共建对象及共建计划（本单位创建办）",
)
def activity_pairing_create(request: HttpRequest, payload: PairingIn) -> Any:
    user = user_of(request)
    campaign = _campaign(user, payload.campaign_id)
    access.require_manager(user, campaign.unit)
    department = (
        Organization.objects.departments_of(campaign.unit, active_only=True)
        .filter(pk=payload.department_id)
        .first()
    )
    if department is None:
        raise refused("department_id", "请选择本单位的牵头部门。")
    pairing = community.pairing_create(
        campaign=campaign,
        user=user,
        department=department,
        partner=payload.partner,
        plan=payload.plan,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        visits_planned=payload.visits_planned,
    )
    return Status(201, _pairing_detail(user, pairing, _this_year()))


@router.get(
    "/pairings/{int:pairing_id}",
    response={200: PairingDetailOut, **ERRORS},
    summary="一个帮扶共建对象：共建计划、走访记录、所查年度走访次数与计划",
)
def activity_pairing_detail(request: HttpRequest, pairing_id: int, year: int | None = YEAR) -> Any:
    user = user_of(request)
    pairing = access.get_pairing_for_user(user, pairing_id)
    return _pairing_detail(user, pairing, year or _this_year())


@router.post(
    "/pairings/{int:pairing_id}/remove",
    response={204: None, **ERRORS},
    summary="移除帮扶共建对象（记录和走访活动保留）",
)
def activity_pairing_remove(request: HttpRequest, pairing_id: int) -> Any:
    user = user_of(request)
    pairing = access.get_pairing_for_user(user, pairing_id, write=True)
    community.pairing_remove(pairing=pairing, user=user)
    return Status(204, None)

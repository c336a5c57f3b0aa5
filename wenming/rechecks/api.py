"""The API of 复查: /api/v1/rechecks.

The office's 复查 (list, open, change, close), each 复查's reports, a unit's own reports, and
the steps on a report: the holder's 年度自查报告 (multipart, with its files), and the
office's 退回, 打分, 实地复查, 复查结论, 整改复核 and 逾期确认.

Every object is fetched through `wenming.rechecks.access` (404 for what the caller may not
see, 403 for what they see but may not change); writes call `wenming.rechecks.services`, whose
refusals reach the API's handler as 422 with the Chinese sentence under the field the client
sent. Decision documents are attached on the screens; the API records the document's number
or title (`document_title`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from wenming.core.api_input import (
    ErrorOut,
    Input,
    check_uploads,
    column_length,
    field_names,
    limited_uploads,
    refused,
    user_of,
)
from wenming.frameworks.access import visible_frameworks
from wenming.orgs.access import get_managed_office
from wenming.orgs.models import Organization
from wenming.rechecks import access, services
from wenming.rechecks.models import Recheck, RecheckReport, ReportEvent, ReportFile
from wenming.rechecks.scores import average_in_term, yearly_scores
from wenming.rechecks.states import STATE_LABELS, state_counts, state_filters

router = Router(tags=["复查"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}
STATES = ", ".join(STATE_LABELS)


# --- output ------------------------------------------------------------------------------------


class StateCountOut(Schema):
    value: str
    label: str
    count: int


class RecheckOut(Schema):
    id: int
    office_id: int
    office_name: str
    year: int
    title: str
    opens_on: datetime.date
    due_on: datetime.date
    framework_id: int | None
    average_counts: bool
    note: str
    closed_on: datetime.date | None
    result_title: str
    result_document_url: str | None

    @staticmethod
    def resolve_office_name(obj: Recheck) -> str:
        return obj.office.name

    @staticmethod
    def resolve_result_document_url(obj: Recheck) -> str | None:
        return reverse("rechecks:result_file", args=[obj.pk]) if obj.result_document_id else None


class RecheckDetailOut(RecheckOut):
    counts: list[StateCountOut] = Field(description="各状态单位数")

    @staticmethod
    def resolve_counts(obj: Recheck) -> list[dict[str, Any]]:
        return state_counts(obj.reports.all())


class ReportOut(Schema):
    id: int
    recheck_id: int
    year: int
    due_on: datetime.date
    entry_id: int
    unit_id: int
    unit_name: str
    honour_id: int
    honour_title: str
    honour_level: str
    year_named: int
    status: str = Field(description="pending、submitted 或 decided")
    state: str = Field(description=f"表中显示的状态：{STATES}")
    state_label: str
    missed: bool = Field(description="逾期未报：截止日期已过且从未提交")
    returned: bool = Field(description="已退回修改，等待单位重新提交")
    self_score: Decimal | None
    office_score: Decimal | None
    decision: str
    decision_label: str
    rectify_deadline: datetime.date | None
    follow_up_passed: bool | None
    followed_up_on: datetime.date | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_year(obj: RecheckReport) -> int:
        return obj.recheck.year

    @staticmethod
    def resolve_due_on(obj: RecheckReport) -> datetime.date:
        return obj.recheck.due_on

    @staticmethod
    def resolve_unit_id(obj: RecheckReport) -> int:
        return obj.entry.unit_id

    @staticmethod
    def resolve_unit_name(obj: RecheckReport) -> str:
        return obj.entry.unit.name

    @staticmethod
    def resolve_honour_title(obj: RecheckReport) -> str:
        return obj.honour.title

    @staticmethod
    def resolve_honour_level(obj: RecheckReport) -> str:
        return obj.honour.level

    @staticmethod
    def resolve_year_named(obj: RecheckReport) -> int:
        return obj.honour.year_named

    @staticmethod
    def resolve_state(obj: RecheckReport) -> str:
        if obj.status == "decided":
            return obj.decision
        if services.is_missed(obj):
            return "missed"
        return "returned" if services.is_returned(obj) else obj.status

    @staticmethod
    def resolve_state_label(obj: RecheckReport) -> str:
        return services.status_label(obj)

    @staticmethod
    def resolve_missed(obj: RecheckReport) -> bool:
        return services.is_missed(obj)

    @staticmethod
    def resolve_returned(obj: RecheckReport) -> bool:
        return services.is_returned(obj)

    @staticmethod
    def resolve_decision_label(obj: RecheckReport) -> str:
        return obj.get_decision_display() if obj.decision else ""


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    comment: str
    actor: str
    at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: ReportEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj: ReportEvent) -> str:
        return (obj.actor.get_full_name() or obj.actor.username) if obj.actor else "系统"


class FileOut(Schema):
    id: int
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_name(obj: ReportFile) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: ReportFile) -> str:
        return reverse("rechecks:file", args=[obj.pk])


class YearScoreOut(Schema):
    year: int
    score: Decimal


class ReportDetailOut(ReportOut):
    report: str = Field(description="年度自查报告")
    review_comment: str
    follow_up_comment: str
    field_round_id: int | None = Field(description="实地复查的正式测评轮次")
    honour_status: str
    files: list[FileOut]
    events: list[EventOut] = Field(description="办理记录，早的在前")
    yearly_scores: list[YearScoreOut] = Field(description="该称号历年复查得分")
    term_average: Decimal | None = Field(description="届期内年度复查得分的平均分")

    @staticmethod
    def resolve_honour_status(obj: RecheckReport) -> str:
        return obj.honour.status

    @staticmethod
    def resolve_files(obj: RecheckReport) -> list[ReportFile]:
        return list(obj.files.filter(removed_at__isnull=True))

    @staticmethod
    def resolve_events(obj: RecheckReport) -> list[ReportEvent]:
        return list(obj.events.select_related("actor").order_by("at", "id"))

    @staticmethod
    def resolve_yearly_scores(obj: RecheckReport) -> list[dict[str, Any]]:
        return [{"year": y, "score": s} for y, s in yearly_scores(obj.honour)]

    @staticmethod
    def resolve_term_average(obj: RecheckReport) -> Decimal | None:
        return average_in_term(obj.honour, yearly_scores(obj.honour))


# --- input --------------------------------------------------------------------------------------


class RecheckIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    year: int
    title: str = Field(max_length=column_length(Recheck, "title"))
    opens_on: datetime.date
    due_on: datetime.date = Field(description="自查报告截止日期")
    framework_id: int | None = None
    average_counts: bool = False
    note: str = ""


class RecheckPatch(Input):
    title: str | None = Field(None, max_length=column_length(Recheck, "title"))
    opens_on: datetime.date | None = None
    due_on: datetime.date | None = Field(None, description="如延长截止日期")
    framework_id: int | None = None
    average_counts: bool | None = None
    note: str | None = None


class CloseIn(Input):
    closed_on: datetime.date
    result_title: str = Field(
        "", max_length=column_length(Recheck, "result_title"), description="复查结果通报文号/标题"
    )


class SubmitIn(Input):
    report_text: str = Field(description="年度自查报告")
    self_score: Decimal | None = Field(None, description="自评得分，0到1000")


class CommentIn(Input):
    comment: str = Field(max_length=2000)


class ScoreIn(Input):
    office_score: Decimal = Field(description="复查得分，0到1000")
    comment: str = Field("", max_length=2000)


class RoundIn(Input):
    scored_on: datetime.date


class DecideIn(Input):
    decision: str = Field(description="kept、rectify、warned 或 revoked")
    decided_on: datetime.date
    document_title: str = Field("", max_length=200, description="决定文件文号或标题（必填）")
    comment: str = Field("", max_length=2000, description="复查意见；保留以外的结论必填")
    rectify_deadline: datetime.date | None = Field(None, description="限期整改的整改期限")
    ban_years: int = Field(1, description="撤销时禁止申报年限（0为不禁止）")


class FollowUpIn(Input):
    passed: bool
    followed_up_on: datetime.date
    comment: str = Field(max_length=2000)
    document_title: str = Field("", max_length=200, description="整改到位（保留）时必填")


class MissedIn(Input):
    decided_on: datetime.date
    document_title: str = Field("", max_length=200, description="决定文件文号或标题（必填）")


# --- helpers ------------------------------------------------------------------------------------


def _reports(qs: QuerySet[RecheckReport]) -> QuerySet[RecheckReport]:
    return qs.select_related("recheck__office", "honour", "entry__unit").order_by(
        "-recheck__year", "entry__unit__name", "id"
    )


def _detail(report: RecheckReport) -> RecheckReport:
    """A report as read after a change, with its 复查, honour and unit."""
    return _reports(RecheckReport.objects.filter(pk=report.pk)).get()


def _office_for(request: HttpRequest, office_id: int | None) -> Organization:
    return get_managed_office(request.user, office_id, refusal=access.READ_ONLY)


def _framework(request: HttpRequest, framework_id: int | None) -> Any:
    if framework_id is None:
        return None
    framework = visible_frameworks(request.user).filter(pk=framework_id).first()
    if framework is None:
        raise refused("framework_id", "没有找到该测评体系，请重新选择。")
    return framework


# --- 复查 ---------------------------------------------------------------------------------------


@router.get("", response=list[RecheckOut], summary="复查列表（文明办人员）")
@paginate(PageNumberPagination, page_size=50)
def recheck_list(request: HttpRequest, year: int | None = None) -> Any:
    qs = access.visible_rechecks(request.user).order_by("-year", "office__path", "-id")
    return qs.filter(year=year) if year is not None else qs


@router.post("", response={201: RecheckDetailOut, **ERRORS}, summary="开启年度复查")
def recheck_create(request: HttpRequest, payload: RecheckIn) -> Any:
    office = _office_for(request, payload.office_id)
    framework = _framework(request, payload.framework_id)
    fields = payload.dict(exclude={"office_id", "framework_id"})
    with field_names({"framework": "framework_id", "office": "office_id"}):
        recheck = services.recheck_open(
            office=office, user=user_of(request), framework=framework, **fields
        )
    return Status(201, access.visible_rechecks(request.user).get(pk=recheck.pk))


@router.get("/reports", response=list[ReportOut], summary="我能看到的复查自查报告")
@paginate(PageNumberPagination, page_size=50)
def recheck_report_list(
    request: HttpRequest,
    state: str | None = Query(None, description=STATES),
) -> Any:
    qs = _reports(access.visible_reports(request.user))
    filters = state_filters(timezone.localdate())
    if state:
        if state not in filters:
            raise refused("state", f"状态只能是{STATES}。")
        qs = qs.filter(filters[state])
    return qs


@router.get("/{int:recheck_id}", response={200: RecheckDetailOut, **ERRORS}, summary="复查详情")
def recheck_detail(request: HttpRequest, recheck_id: int) -> Any:
    return access.get_recheck_for_user(request.user, recheck_id)


@router.patch(
    "/{int:recheck_id}", response={200: RecheckDetailOut, **ERRORS}, summary="修改复查设置"
)
def recheck_update(request: HttpRequest, recheck_id: int, payload: RecheckPatch) -> Any:
    recheck = access.get_recheck_for_user(request.user, recheck_id, write=True)
    fields = payload.dict(exclude_unset=True)
    if "framework_id" in fields:
        fields["framework"] = _framework(request, fields.pop("framework_id"))
    with field_names({"framework": "framework_id"}):
        services.recheck_update(recheck=recheck, user=user_of(request), **fields)
    return access.get_recheck_for_user(request.user, recheck_id)


@router.post(
    "/{int:recheck_id}/close",
    response={200: RecheckDetailOut, **ERRORS},
    summary="结束复查（须有复查结果通报；全部单位已作出结论）",
)
def recheck_close(request: HttpRequest, recheck_id: int, payload: CloseIn) -> Any:
    recheck = access.get_recheck_for_user(request.user, recheck_id, write=True)
    services.recheck_close(recheck=recheck, user=user_of(request), **payload.dict())
    return access.get_recheck_for_user(request.user, recheck_id)


@router.get(
    "/{int:recheck_id}/reports",
    response={200: list[ReportOut], **ERRORS},
    summary="复查的单位（自查报告）列表",
)
@paginate(PageNumberPagination, page_size=100)
def recheck_reports(
    request: HttpRequest,
    recheck_id: int,
    state: str | None = Query(None, description=STATES),
    q: str | None = Query(None, description="单位名称（部分）"),
) -> Any:
    recheck = access.get_recheck_for_user(request.user, recheck_id)
    qs = _reports(recheck.reports.all())
    filters = state_filters(timezone.localdate())
    if state:
        if state not in filters:
            raise refused("state", f"状态只能是{STATES}。")
        qs = qs.filter(filters[state])
    if q and q.strip():
        qs = qs.filter(entry__unit__name__icontains=q.strip())
    return qs


# --- a report -----------------------------------------------------------------------------------


@router.get(
    "/reports/{int:report_id}",
    response={200: ReportDetailOut, **ERRORS},
    summary="自查报告详情（含办理记录、历年复查得分）",
)
def recheck_report_detail(request: HttpRequest, report_id: int) -> Any:
    return _detail(access.get_report_for_user(request.user, report_id))


@router.post(
    "/reports/{int:report_id}/submit",
    response={200: ReportDetailOut, **UPLOAD_ERRORS},
    summary="提交年度自查报告（单位创建办；multipart，可附文件）",
)
@decorate_view(limited_uploads)
def recheck_report_submit(
    request: HttpRequest,
    report_id: int,
    payload: Form[SubmitIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request)
    report = access.get_report_for_holder(request.user, report_id)
    services.report_submit(
        report=report,
        user=user_of(request),
        report_text=payload.report_text,
        self_score=payload.self_score,
        files=files or [],
    )
    return _detail(report)


@router.post(
    "/reports/{int:report_id}/return",
    response={200: ReportDetailOut, **ERRORS},
    summary="退回修改",
)
def recheck_report_return(request: HttpRequest, report_id: int, payload: CommentIn) -> Any:
    report = access.get_report_for_user(request.user, report_id, write=True)
    services.report_return(report=report, user=user_of(request), comment=payload.comment)
    return _detail(report)


@router.post(
    "/reports/{int:report_id}/score",
    response={200: ReportDetailOut, **ERRORS},
    summary="复查打分",
)
def recheck_report_score(request: HttpRequest, report_id: int, payload: ScoreIn) -> Any:
    report = access.get_report_for_user(request.user, report_id, write=True)
    services.report_score(report=report, user=user_of(request), **payload.dict())
    return _detail(report)


@router.post(
    "/reports/{int:report_id}/round",
    response={200: ReportDetailOut, **ERRORS},
    summary="安排实地复查（在单位最近的创建工作上开启正式测评）",
)
def recheck_report_round(request: HttpRequest, report_id: int, payload: RoundIn) -> Any:
    report = access.get_report_for_user(request.user, report_id, write=True)
    services.report_round_open(report=report, user=user_of(request), scored_on=payload.scored_on)
    return _detail(report)


@router.post(
    "/reports/{int:report_id}/decide",
    response={200: ReportDetailOut, **ERRORS},
    summary="作出复查结论（保留、限期整改、黄牌警告、撤销；须有决定文件）",
)
def recheck_report_decide(request: HttpRequest, report_id: int, payload: DecideIn) -> Any:
    report = access.get_report_for_user(request.user, report_id, write=True)
    services.report_decide(report=report, user=user_of(request), **payload.dict())
    return _detail(report)


@router.post(
    "/reports/{int:report_id}/follow-up",
    response={200: ReportDetailOut, **ERRORS},
    summary="限期整改的整改复核（通过则称号保留）",
)
def recheck_report_follow_up(request: HttpRequest, report_id: int, payload: FollowUpIn) -> Any:
    report = access.get_report_for_user(request.user, report_id, write=True)
    services.report_follow_up(report=report, user=user_of(request), **payload.dict())
    return _detail(report)


@router.post(
    "/reports/{int:report_id}/confirm-missed",
    response={200: ReportDetailOut, **ERRORS},
    summary="确认逾期未报（截止日期后；称号终止，不限制再次申报）",
)
def recheck_report_confirm_missed(request: HttpRequest, report_id: int, payload: MissedIn) -> Any:
    report = access.get_report_for_user(request.user, report_id, write=True)
    services.report_confirm_missed(report=report, user=user_of(request), **payload.dict())
    return _detail(report)

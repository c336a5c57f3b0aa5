"""The API of the office's directives: /api/v1/supervision/priorities and /info-rounds.

Quarterly priorities (draft, change or remove the draft, 下发, each unit's 签收 with the
office's table) and monthly information (open a month, a unit's submission as multipart with
files, the office's table, the reminder to units that have not submitted).

Department roles are refused the lists and the pages with one sentence (403, as on the
screens: `access.require_reader`). Every object is fetched through
`wenming.supervision.access` (404 for what the caller may not see, 403 for what they see but
may not change); writes call `wenming.supervision.directives`, whose refusals reach the API's
handler as 422 with the Chinese sentence under the field the client sent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
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
    user_of,
)
from wenming.orgs.access import own_unit_ids
from wenming.orgs.models import Organization, OrgKind
from wenming.supervision import access, directives
from wenming.supervision.models import InfoFile, InfoRound, InfoSubmission, Priority, PriorityAck

router = Router(tags=["supervision-directives"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}


# --- output ------------------------------------------------------------------------------------


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


class CountOut(Schema):
    value: str
    label: str
    count: int


class PriorityOut(Schema):
    id: int
    office_id: int
    office_name: str
    year: int
    quarter: int
    title: str
    body: str
    acknowledge_by: datetime.date
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_office_name(obj: Priority) -> str:
        return obj.office.name


class AckOut(Schema):
    unit_id: int
    unit_name: str
    state: str = Field(description="acknowledged、missing 或 overdue")
    state_label: str
    acknowledged_at: datetime.datetime | None
    acknowledged_by: str
    note: str


class PriorityDetailOut(PriorityOut):
    counts: list[CountOut] = Field(description="各签收状态单位数（文明办人员）")
    acks: list[AckOut] = Field(description="文明办人员：全部单位；单位人员：本单位")

    @staticmethod
    def resolve_acks(obj: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = obj.ack_rows
        return rows


class SubmissionFileOut(Schema):
    id: int
    name: str
    size: int
    url: str


class SubmissionOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    title: str
    content: str
    submitted_at: datetime.datetime
    submitted_by: str
    on_time: bool
    files: list[SubmissionFileOut]


class InfoRowOut(Schema):
    unit_id: int
    unit_name: str
    state: str = Field(description="on_time、late 或 missing")
    state_label: str
    submission_id: int | None
    title: str
    submitted_at: datetime.datetime | None
    submitted_by: str


class InfoRoundOut(Schema):
    id: int
    office_id: int
    office_name: str
    year: int
    month: int
    due_on: datetime.date
    note: str

    @staticmethod
    def resolve_office_name(obj: InfoRound) -> str:
        return obj.office.name


class InfoRoundDetailOut(InfoRoundOut):
    counts: list[CountOut] = Field(description="各报送状态单位数（文明办人员）")
    rows: list[InfoRowOut] = Field(description="全部单位的报送情况（文明办人员）")
    own: list[SubmissionOut] = Field(description="本单位的报送（单位人员）")


class RemindOut(Schema):
    units: int = Field(description="提醒的未报送单位数")
    people: int = Field(description="提醒的创建办人员数")


# --- input --------------------------------------------------------------------------------------


class PriorityIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    year: int
    quarter: int = Field(description="1到4")
    title: str = Field(max_length=column_length(Priority, "title"))
    body: str = Field(description="工作要求")
    acknowledge_by: datetime.date = Field(description="签收截止日期")


class PriorityPatch(Input):
    office_id: int | None = Field(None, description="文明办；不填为原文明办")
    year: int | None = None
    quarter: int | None = Field(None, description="1到4")
    title: str | None = Field(None, max_length=column_length(Priority, "title"))
    body: str | None = Field(None, description="工作要求")
    acknowledge_by: datetime.date | None = Field(None, description="签收截止日期")


class AckIn(Input):
    note: str = Field("", max_length=directives.NOTE_LIMIT, description="落实打算（可选）")


class InfoRoundIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    year: int
    month: int = Field(description="1到12")
    due_on: datetime.date = Field(description="报送截止日期")
    note: str = Field("", max_length=directives.NOTE_LIMIT, description="报送要求")


class SubmitIn(Input):
    title: str = Field(max_length=column_length(InfoSubmission, "title"))
    content: str


# --- helpers ------------------------------------------------------------------------------------


def _office_for(request: HttpRequest, office_id: int | None) -> Organization:
    user = request.user
    if office_id is None:
        office = access.managed_offices(user).first()
        if office is None:
            raise PermissionDenied(access.OFFICE_ONLY)
        return office
    office = Organization.objects.filter(pk=office_id, kind=OrgKind.OFFICE).first()
    if office is None:
        raise Http404("没有找到该文明办，或您无权查看。")
    if access.can_manage_office(user, office):
        return office
    if access.can_view_office(user, office):
        raise PermissionDenied(access.OFFICE_ONLY)
    raise Http404("没有找到该文明办，或您无权查看。")


def _ack_out(row: directives.AckRow) -> dict[str, Any]:
    ack = row.ack
    return {
        "unit_id": row.unit.pk,
        "unit_name": row.unit.name,
        "state": row.state,
        "state_label": row.label,
        "acknowledged_at": ack.acknowledged_at if ack else None,
        "acknowledged_by": _name(ack.acknowledged_by) if ack else "",
        "note": ack.note if ack else "",
    }


def _priority_detail(request: HttpRequest, priority: Priority) -> Any:
    """The priority with its `counts` and `acks` set for `PriorityDetailOut`."""
    user = request.user
    out: Any = priority
    if access.can_view_office(user, priority.office):
        rows = directives.ack_table(priority)
        out.counts = directives.row_counts(rows, directives.ACK_LABELS)
        out.ack_rows = [_ack_out(r) for r in rows]
        return out
    own: list[PriorityAck] = list(
        priority.acks.filter(unit_id__in=own_unit_ids(user)).select_related(
            "unit", "acknowledged_by"
        )
    )
    out.counts = []
    out.ack_rows = [
        _ack_out(directives.AckRow(unit=a.unit, ack=a, state="acknowledged")) for a in own
    ]
    return out


def _submission_out(s: InfoSubmission) -> dict[str, Any]:
    files: list[InfoFile] = [f for f in s.files.all() if f.removed_at is None]
    return {
        "id": s.pk,
        "unit_id": s.unit_id,
        "unit_name": s.unit.name,
        "title": s.title,
        "content": s.content,
        "submitted_at": s.submitted_at,
        "submitted_by": _name(s.submitted_by),
        "on_time": s.on_time,
        "files": [
            {
                "id": f.pk,
                "name": f.original_name,
                "size": f.size,
                "url": reverse("supervision:info_file", args=[f.pk]),
            }
            for f in files
        ],
    }


def _row_out(row: directives.InfoRow) -> dict[str, Any]:
    s = row.submission
    return {
        "unit_id": row.unit.pk,
        "unit_name": row.unit.name,
        "state": row.state,
        "state_label": row.label,
        "submission_id": s.pk if s else None,
        "title": s.title if s else "",
        "submitted_at": s.submitted_at if s else None,
        "submitted_by": _name(s.submitted_by) if s else "",
    }


def _round_detail(request: HttpRequest, info_round: InfoRound) -> Any:
    """The round with its `counts`, `rows` and `own` set for `InfoRoundDetailOut`."""
    user = request.user
    out: Any = info_round
    out.counts, out.rows, out.own = [], [], []
    if access.can_view_office(user, info_round.office):
        rows = directives.info_table(info_round)
        out.counts = directives.row_counts(rows, directives.INFO_LABELS)
        out.rows = [_row_out(r) for r in rows]
        return out
    own = info_round.submissions.filter(unit_id__in=own_unit_ids(user)).select_related(
        "unit", "submitted_by"
    )
    subs = list(own.prefetch_related("files"))
    for s in subs:
        s.round = info_round
    out.own = [_submission_out(s) for s in subs]
    return out


# --- priorities ---------------------------------------------------------------------------------


@router.get("/priorities", response=list[PriorityOut], summary="季度重点工作列表")
@paginate(PageNumberPagination, page_size=50)
def priority_list(request: HttpRequest, year: int | None = None) -> Any:
    access.require_reader(request.user)
    qs = access.visible_priorities(request.user).order_by("-year", "-quarter", "-id")
    return qs.filter(year=year) if year is not None else qs


@router.post("/priorities", response={201: PriorityDetailOut, **ERRORS}, summary="起草季度重点工作")
def priority_create(request: HttpRequest, payload: PriorityIn) -> Any:
    office = _office_for(request, payload.office_id)
    priority = directives.priority_create(
        office=office, user=user_of(request), **payload.dict(exclude={"office_id"})
    )
    found = access.get_priority_for_user(request.user, priority.pk)
    return Status(201, _priority_detail(request, found))


@router.get(
    "/priorities/{int:priority_id}",
    response={200: PriorityDetailOut, **ERRORS},
    summary="季度重点工作详情（文明办人员含各单位签收情况）",
)
def priority_detail(request: HttpRequest, priority_id: int) -> Any:
    access.require_reader(request.user)
    return _priority_detail(request, access.get_priority_for_user(request.user, priority_id))


@router.patch(
    "/priorities/{int:priority_id}",
    response={200: PriorityDetailOut, **ERRORS},
    summary="修改季度重点工作草稿（下发后不能修改）",
)
def priority_update(request: HttpRequest, priority_id: int, payload: PriorityPatch) -> Any:
    priority = access.get_priority_for_user(request.user, priority_id, write=True)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    office_id = changes.pop("office_id", None)
    office = priority.office if office_id is None else _office_for(request, office_id)
    fields = {
        n: getattr(priority, n) for n in ("year", "quarter", "title", "body", "acknowledge_by")
    }
    fields.update(changes)
    with field_names({"office": "office_id"}):
        directives.priority_update(
            priority=priority, user=user_of(request), office=office, **fields
        )
    return _priority_detail(request, access.get_priority_for_user(request.user, priority_id))


@router.post(
    "/priorities/{int:priority_id}/remove",
    response={204: None, **ERRORS},
    summary="删除季度重点工作草稿（下发后不能删除；记录保留，不再显示）",
)
def priority_remove(request: HttpRequest, priority_id: int) -> Any:
    priority = access.get_priority_for_user(request.user, priority_id, write=True)
    directives.priority_remove(priority=priority, user=user_of(request))
    return Status(204, None)


@router.post(
    "/priorities/{int:priority_id}/publish",
    response={200: PriorityDetailOut, **ERRORS},
    summary="下发季度重点工作",
)
def priority_publish(request: HttpRequest, priority_id: int) -> Any:
    priority = access.get_priority_for_user(request.user, priority_id, write=True)
    directives.priority_publish(priority=priority, user=user_of(request))
    return _priority_detail(request, access.get_priority_for_user(request.user, priority_id))


@router.post(
    "/priorities/{int:priority_id}/acknowledge",
    response={200: PriorityDetailOut, **ERRORS},
    summary="签收季度重点工作（单位创建办）",
)
def priority_acknowledge(request: HttpRequest, priority_id: int, payload: AckIn) -> Any:
    priority = access.get_priority_for_user(request.user, priority_id)
    unit = access.responding_unit(request.user, priority.office)
    directives.priority_acknowledge(
        priority=priority, user=user_of(request), unit=unit, note=payload.note
    )
    return _priority_detail(request, priority)


# --- monthly information ------------------------------------------------------------------------


@router.get("/info-rounds", response=list[InfoRoundOut], summary="月度信息报送列表")
@paginate(PageNumberPagination, page_size=50)
def info_round_list(request: HttpRequest, year: int | None = None) -> Any:
    access.require_reader(request.user)
    qs = access.visible_info_rounds(request.user).order_by("-year", "-month", "-id")
    return qs.filter(year=year) if year is not None else qs


@router.post(
    "/info-rounds", response={201: InfoRoundDetailOut, **ERRORS}, summary="开启月度信息报送"
)
def info_round_create(request: HttpRequest, payload: InfoRoundIn) -> Any:
    office = _office_for(request, payload.office_id)
    found = directives.info_round_open(
        office=office, user=user_of(request), **payload.dict(exclude={"office_id"})
    )
    info_round = access.get_info_round_for_user(request.user, found.pk)
    return Status(201, _round_detail(request, info_round))


@router.get(
    "/info-rounds/{int:round_id}",
    response={200: InfoRoundDetailOut, **ERRORS},
    summary="月度信息报送详情（文明办人员含各单位报送情况）",
)
def info_round_detail(request: HttpRequest, round_id: int) -> Any:
    access.require_reader(request.user)
    return _round_detail(request, access.get_info_round_for_user(request.user, round_id))


@router.post(
    "/info-rounds/{int:round_id}/submit",
    response={200: InfoRoundDetailOut, **UPLOAD_ERRORS},
    summary="报送本月信息（单位创建办；multipart，可附文件；再次报送替换内容、追加附件）",
)
@decorate_view(limited_uploads)
def info_round_submit(
    request: HttpRequest,
    round_id: int,
    payload: Form[SubmitIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request)
    info_round = access.get_info_round_for_user(request.user, round_id)
    unit = access.responding_unit(request.user, info_round.office)
    directives.info_submit(
        info_round=info_round,
        user=user_of(request),
        unit=unit,
        title=payload.title,
        content=payload.content,
        uploads=files or [],
    )
    return _round_detail(request, info_round)


@router.post(
    "/info-rounds/{int:round_id}/remind",
    response={200: RemindOut, **ERRORS},
    summary="一键提醒未报送单位的创建办（同一单位每天一次）",
)
def info_round_remind(request: HttpRequest, round_id: int) -> Any:
    info_round = access.get_info_round_for_user(request.user, round_id, write=True)
    units, people = directives.info_remind(info_round=info_round, user=user_of(request))
    return {"units": units, "people": people}

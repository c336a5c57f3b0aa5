"""The API of the office's supervision (bulletins): /api/v1/supervision/bulletins…

The office's bulletins (drafts included) for its people; the issued ones of the offices that
keep a unit for that unit's people. Drafting, changing or removing the draft, naming units
(通报表扬 / 通报批评) and 印发 are the office's 文明办管理员's.

Every bulletin is fetched through `wenming.supervision.access` (404 for what the caller may
not see, 403 for what they see but may not change); writes call
`wenming.supervision.bulletins`, whose refusals reach the API's handler as 422 with the
Chinese sentence under the field the client sent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from wenming.core.api_input import (
    ErrorOut,
    Input,
    column_length,
    field_names,
    refused,
    user_of,
)
from wenming.orgs.models import Organization, OrgKind
from wenming.supervision import access, bulletin_docx, bulletins
from wenming.supervision.models import CityBulletin, Verdict

router = Router(tags=["supervision-bulletins"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NO_OFFICE = "没有找到该文明办，或您无权查看。"


# --- output ------------------------------------------------------------------------------------


class BulletinOut(Schema):
    id: int
    office_id: int
    office_name: str
    title: str
    period_start: datetime.date
    period_end: datetime.date
    intro: str
    status: str = Field(description="draft（草稿）或 issued（已印发）")
    status_label: str
    year: int
    sequence: int | None = Field(description="期号（印发后）")
    number: str = Field(description="如“2026年第3期”；草稿为空")
    issued_on: datetime.date | None

    @staticmethod
    def resolve_office_name(obj: CityBulletin) -> str:
        return obj.office.name

    @staticmethod
    def resolve_status_label(obj: CityBulletin) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_number(obj: CityBulletin) -> str:
        return bulletins.number_label(obj)


class FigureOut(Schema):
    unit_id: int
    unit_name: str
    rank: int | None
    problems_found: int
    problems_closed: int
    problems_overdue: int
    closed_rate: Decimal | None = Field(description="整改销号率（%）；无问题为 null")
    info_due: int
    info_on_time: int
    info_rate: Decimal | None = Field(description="信息按时报送率（%）；无应报为 null")
    priorities_due: int
    priorities_acknowledged: int
    ack_rate: Decimal | None = Field(description="重点工作按时签收率（%）；无应签收为 null")
    verdict: str = Field(description="praise（通报表扬）、criticize（通报批评）或空")
    reason: str

    @staticmethod
    def resolve_unit_id(obj: bulletins.Figures) -> int:
        return obj.unit.pk

    @staticmethod
    def resolve_unit_name(obj: bulletins.Figures) -> str:
        return obj.unit.name


class NamedOut(Schema):
    unit_id: int
    unit_name: str
    verdict: str
    reason: str


class BulletinDetailOut(BulletinOut):
    named: list[NamedOut] = Field(description="通报表扬和通报批评的单位")

    @staticmethod
    def resolve_named(obj: CityBulletin) -> list[dict[str, Any]]:
        entries = obj.entries.exclude(verdict="").select_related("unit").order_by("unit__path")
        return [
            {
                "unit_id": e.unit_id,
                "unit_name": e.unit.name,
                "verdict": e.verdict,
                "reason": e.reason,
            }
            for e in entries
        ]


# --- input --------------------------------------------------------------------------------------


class BulletinIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    title: str = Field(max_length=column_length(CityBulletin, "title"))
    period_start: datetime.date
    period_end: datetime.date
    intro: str = Field("", max_length=bulletins.INTRO_LIMIT)


class BulletinPatch(Input):
    title: str | None = Field(None, max_length=column_length(CityBulletin, "title"))
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    intro: str | None = Field(None, max_length=bulletins.INTRO_LIMIT)


class VerdictIn(Input):
    unit_id: int
    verdict: str = Field(description="praise、criticize，或空（取消）")
    reason: str = Field("", max_length=bulletins.REASON_LIMIT, description="表扬或批评都必填")


class IssueIn(Input):
    issued_on: datetime.date


# --- helpers ------------------------------------------------------------------------------------


def _office_for(request: HttpRequest, office_id: int | None) -> Organization:
    """The office drafting: 404 when the caller cannot see it, 403 when they only read it."""
    user = request.user
    if office_id is None:
        office = access.managed_offices(user).first()
        if office is None:
            raise PermissionDenied(access.OFFICE_ONLY)
        return office
    office = Organization.objects.filter(pk=office_id, kind=OrgKind.OFFICE).first()
    if office is None:
        raise Http404(NO_OFFICE)
    if access.can_manage_office(user, office):
        return office
    if access.can_view_office(user, office):
        raise PermissionDenied(access.OFFICE_ONLY)
    raise Http404(NO_OFFICE)


def _unit(bulletin: CityBulletin, unit_id: int) -> Organization:
    unit = access.office_units(bulletin.office).filter(pk=unit_id).first()
    if unit is None:
        raise refused("unit_id", "该单位不在本文明办的文明单位名录中，请重新选择。")
    return unit


# --- routes -------------------------------------------------------------------------------------


@router.get("/bulletins", response=list[BulletinOut], summary="我能看到的通报")
@paginate(PageNumberPagination, page_size=50)
def city_bulletin_list(request: HttpRequest, year: int | None = None) -> Any:
    qs = access.visible_bulletins(request.user).order_by("-year", "status", "-sequence", "-id")
    return qs.filter(year=year) if year is not None else qs


@router.post("/bulletins", response={201: BulletinDetailOut, **ERRORS}, summary="起草通报")
def city_bulletin_create(request: HttpRequest, payload: BulletinIn) -> Any:
    office = _office_for(request, payload.office_id)
    with field_names({"office": "office_id"}):
        bulletin = bulletins.bulletin_create(
            office=office, user=user_of(request), **payload.dict(exclude={"office_id"})
        )
    return Status(201, access.get_bulletin_for_user(request.user, bulletin.pk))


@router.get(
    "/bulletins/{int:bulletin_id}", response={200: BulletinDetailOut, **ERRORS}, summary="通报详情"
)
def city_bulletin_detail(request: HttpRequest, bulletin_id: int) -> Any:
    return access.get_bulletin_for_user(request.user, bulletin_id)


@router.patch(
    "/bulletins/{int:bulletin_id}",
    response={200: BulletinDetailOut, **ERRORS},
    summary="修改通报草稿（印发后不能修改）",
)
def city_bulletin_update(request: HttpRequest, bulletin_id: int, payload: BulletinPatch) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    fields = {n: getattr(bulletin, n) for n in ("title", "period_start", "period_end", "intro")}
    fields.update(payload.dict(exclude_unset=True, exclude_none=True))
    bulletins.bulletin_update(bulletin=bulletin, user=user_of(request), **fields)
    return access.get_bulletin_for_user(request.user, bulletin_id)


@router.get(
    "/bulletins/{int:bulletin_id}/figures",
    response={200: list[FigureOut], **ERRORS},
    summary="各单位情况与名次（草稿为实时统计，印发后为冻结数据）",
)
def city_bulletin_figures(request: HttpRequest, bulletin_id: int) -> Any:
    return bulletins.bulletin_rows(access.get_bulletin_for_user(request.user, bulletin_id))


@router.post(
    "/bulletins/{int:bulletin_id}/verdicts",
    response={200: BulletinDetailOut, **ERRORS},
    summary="通报表扬或批评一个单位（须写明事由；verdict 为空即取消）",
)
def city_bulletin_verdict(request: HttpRequest, bulletin_id: int, payload: VerdictIn) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    if payload.verdict not in Verdict.values:
        raise refused("verdict", "通报结论只能是 praise（通报表扬）、criticize（通报批评）或空。")
    with field_names({"unit": "unit_id"}):
        bulletins.bulletin_set_verdict(
            bulletin=bulletin,
            user=user_of(request),
            unit=_unit(bulletin, payload.unit_id),
            verdict=payload.verdict,
            reason=payload.reason,
        )
    return access.get_bulletin_for_user(request.user, bulletin_id)


@router.post(
    "/bulletins/{int:bulletin_id}/issue",
    response={200: BulletinDetailOut, **ERRORS},
    summary="印发通报（冻结各单位数据，编为本年度第N期）",
)
def city_bulletin_issue(request: HttpRequest, bulletin_id: int, payload: IssueIn) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    bulletins.bulletin_issue(bulletin=bulletin, user=user_of(request), issued_on=payload.issued_on)
    return access.get_bulletin_for_user(request.user, bulletin_id)


@router.post(
    "/bulletins/{int:bulletin_id}/remove",
    response={204: None, **ERRORS},
    summary="删除通报草稿（已印发的通报不能删除；记录保留，不再显示）",
)
def city_bulletin_remove(request: HttpRequest, bulletin_id: int) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    bulletins.bulletin_remove(bulletin=bulletin, user=user_of(request))
    return Status(204, None)


@router.get("/bulletins/{int:bulletin_id}/docx", summary="下载通报 Word 文档（草稿标注“草稿”）")
def city_bulletin_docx(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id)
    return bulletin_docx.docx_response(bulletin, bulletins.bulletin_rows(bulletin))

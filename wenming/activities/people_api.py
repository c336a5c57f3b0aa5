"""The API of a unit's volunteers and of its standards' measures (达标测算), mounted under
/api/v1/activities beside the activities' own routes.

- `/volunteers`: the unit's registered volunteers with their hours (this year and in all) and
  stars; registering a person of the unit, taking a registration out.
- `/measures`: every measured standard of a campaign computed for a year, with the exact
  shortfall; setting a standard's figure and target; `/measures/suggestions`, the standards
  without one whose own words state a figure and a target.

Everyone who reads the unit's activities reads these; only the unit's 创建办 writes (the office
above is told it reads only, anyone else who reads is refused, 403); another city is told
nothing (404). Access is `wenming.activities.people_access`; writes call
`wenming.activities.services`, whose refusals reach the API's handler as 422 with the Chinese
sentence under the field the client sent. Hours, targets and values are two-decimal strings
(`"2.50"`), as points are elsewhere.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from wenming.activities import measures, services
from wenming.activities import people_access as access
from wenming.activities.models import (
    ActivityKind,
    Figure,
    StandardMeasure,
    Volunteer,
)
from wenming.campaigns.models import Campaign
from wenming.core.api_input import ErrorOut, Input, column_length, field_names, refused, user_of
from wenming.frameworks.models import Node
from wenming.orgs.access import get_org_for_user
from wenming.orgs.models import Organization, OrgKind

router = Router(tags=["活动"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGE_SIZE = 100

FIGURES = "、".join(f"{value} {label}" for value, label in Figure.choices)
KINDS = "、".join(f"{value} {label}" for value, label in ActivityKind.choices)


def _two(value: Decimal | None) -> str:
    return f"{value or Decimal(0):.2f}"


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _this_year() -> int:
    return timezone.localdate().year


# --- output ------------------------------------------------------------------------------------


class VolunteerOut(Schema):
    id: int
    unit_id: int
    person_id: int
    name: str
    registered_on: datetime.date
    national: bool = Field(description="已在全国志愿服务信息系统注册")
    national_id: str = Field(description="全国志愿服务信息系统中的志愿者编号")
    hours_year: str = Field(description="所查年度在本单位活动中的时长（小时）")
    hours_total: str = Field(description="在本单位活动中的累计时长（小时）")
    star: int = Field(
        description="星级（按累计时长：100小时一星、300二星、600三星、1000四星、1500五星；不足为0）"
    )

    @staticmethod
    def resolve_name(obj: Volunteer) -> str:
        return _name(obj.person)

    @staticmethod
    def resolve_hours_year(obj: Any) -> str:
        return _two(obj.hours_year)

    @staticmethod
    def resolve_hours_total(obj: Any) -> str:
        return _two(obj.hours_total)

    @staticmethod
    def resolve_star(obj: Any) -> int:
        return measures.star_of(obj.hours_total or Decimal(0))


class MeasureOut(Schema):
    standard_id: int
    code: str
    title: str
    figure: str = Field(description=FIGURES)
    figure_label: str
    kind: str = Field(description="开展活动次数、每月开展活动：计入的活动类型（空为各类活动）")
    target: str = Field(description="目标值")
    value: str = Field(description="按所查年度的记录计算的当前值")
    met: bool = Field(description="是否达标")
    basis: str = Field(description="计算依据")
    shortfall: str = Field(description="差距（达标时为空）")


class SuggestionOut(Schema):
    standard_id: int
    code: str
    title: str
    figure: str = Field(description=FIGURES)
    figure_label: str
    kind: str
    target: str


# --- input --------------------------------------------------------------------------------------


class VolunteerIn(Input):
    unit_id: int | None = Field(None, description="单位；也可给 campaign_id（其所属单位）")
    campaign_id: int | None = Field(None, description="创建工作（以其单位登记）")
    person_id: int = Field(description="本单位人员编号")
    registered_on: datetime.date | None = Field(None, description="注册日期，如 2026-03-05")
    national: bool = Field(False, description="已在全国志愿服务信息系统注册")
    national_id: str = Field(
        "",
        max_length=column_length(Volunteer, "national_id"),
        description="志愿者编号（national 为 true 时必填）",
    )


class MeasureIn(Input):
    campaign_id: int
    standard_id: int = Field(description="测评标准（本次创建所用测评体系的末级标准）")
    figure: str = Field(max_length=column_length(StandardMeasure, "figure"), description=FIGURES)
    kind: str = Field(
        "",
        max_length=column_length(StandardMeasure, "kind"),
        description=f"只用于 activities、monthly：{KINDS}；空为各类活动",
    )
    target: Decimal = Field(description="目标值，大于0，最多两位小数；比例填百分数（如 30）")


# --- helpers ------------------------------------------------------------------------------------


def _volunteer(unit: Organization, year: int, pk: int) -> Volunteer:
    """A registration with its hours, as `VolunteerOut` reads it."""
    return access.volunteer_rows(unit, year).get(pk=pk)


def _unit_for_write(user: User, payload: VolunteerIn) -> Organization:
    """The unit named by `campaign_id` or `unit_id`: 404 when not read, 403 for a reader who
    is not its 创建办."""
    if payload.campaign_id is not None:
        unit = access.get_campaign_for_reader(user, payload.campaign_id).unit
    elif payload.unit_id is not None:
        unit = get_org_for_user(user, payload.unit_id)
        if unit.kind != OrgKind.UNIT:
            raise Http404("没有找到该单位，或您无权查看。")
    else:
        raise refused("unit_id", "请给出单位（unit_id）或创建工作（campaign_id）。")
    access.require_manager(user, unit)
    return unit


def _measure_out(row: measures.MeasureRow) -> dict[str, Any]:
    m = row.measure
    return {
        "standard_id": m.standard_id,
        "code": m.standard.code,
        "title": m.standard.title,
        "figure": m.figure,
        "figure_label": m.get_figure_display(),
        "kind": m.kind,
        "target": _two(m.target),
        "value": _two(row.value),
        "met": row.met,
        "basis": row.basis,
        "shortfall": row.shortfall,
    }


def _campaign(user: User, campaign_id: int) -> Campaign:
    return access.get_campaign_for_reader(user, campaign_id)


# --- volunteers ---------------------------------------------------------------------------------


@router.get(
    "/volunteers",
    response=list[VolunteerOut],
    summary="注册志愿者（所查年度年底前注册的）及其时长、星级",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def activity_volunteer_list(
    request: HttpRequest, campaign: int, year: int | None = Query(None, ge=2000, le=2100)
) -> Any:
    found = _campaign(user_of(request), campaign)
    return access.volunteer_rows(found.unit, year or _this_year())


@router.post(
    "/volunteers",
    response={201: VolunteerOut, **ERRORS},
    summary="登记本单位人员为注册志愿者（本单位创建办）",
)
def activity_volunteer_create(request: HttpRequest, payload: VolunteerIn) -> Any:
    user = user_of(request)
    unit = _unit_for_write(user, payload)
    person = User.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise refused("person_id", f"没有找到编号为{payload.person_id}的人员，请核对。")
    with field_names({"person": "person_id"}):
        volunteer = services.volunteer_register(
            unit=unit,
            person=person,
            user=user,
            registered_on=payload.registered_on,
            national=payload.national,
            national_id=payload.national_id,
        )
    return Status(201, _volunteer(unit, _this_year(), volunteer.pk))


@router.post(
    "/volunteers/{int:volunteer_id}/remove",
    response={204: None, **ERRORS},
    summary="取消志愿者登记（记录保留，不再计入注册志愿者）",
)
def activity_volunteer_remove(request: HttpRequest, volunteer_id: int) -> Any:
    user = user_of(request)
    volunteer = access.get_volunteer_for_manager(user, volunteer_id)
    services.volunteer_remove(volunteer=volunteer, user=user)
    return Status(204, None)


# --- measures -----------------------------------------------------------------------------------


@router.get(
    "/measures",
    response={200: list[MeasureOut], **ERRORS},
    summary="达标测算：各项标准按所查年度的记录计算的当前值、是否达标和差距",
)
def activity_measure_list(
    request: HttpRequest, campaign: int, year: int | None = Query(None, ge=2000, le=2100)
) -> Any:
    found = _campaign(user_of(request), campaign)
    return [_measure_out(r) for r in measures.measure_rows(found, year or _this_year())]


@router.put(
    "/measures",
    response={200: MeasureOut, **ERRORS},
    summary="设置一项标准的达标测算：计算口径、活动类型和目标值（本单位创建办；已有则修改）",
)
def activity_measure_set(request: HttpRequest, payload: MeasureIn) -> Any:
    user = user_of(request)
    campaign = access.get_campaign_for_manager(user, payload.campaign_id)
    standard = Node.objects.filter(
        pk=payload.standard_id, framework_id=campaign.framework_id, is_leaf=True
    ).first()
    if standard is None:
        raise refused("standard_id", "该测评标准不属于本次创建所用的测评体系。")
    with field_names({"standard": "standard_id"}):
        services.measure_set(
            campaign=campaign,
            standard=standard,
            user=user,
            figure=payload.figure,
            # As text: the service reads a zero Decimal as nothing given.
            target=str(payload.target),
            kind=payload.kind,
        )
    rows = measures.measure_rows(campaign, _this_year())
    return next(_measure_out(r) for r in rows if r.measure.standard_id == standard.pk)


@router.get(
    "/measures/suggestions",
    response={200: list[SuggestionOut], **ERRORS},
    summary="可能需要测算的标准：尚未设置、原文写明了目标的标准及按原文预填的口径和目标值",
)
def activity_measure_suggestions(request: HttpRequest, campaign: int) -> Any:
    found = _campaign(user_of(request), campaign)
    return [
        {
            "standard_id": s.standard.pk,
            "code": s.standard.code,
            "title": s.standard.title,
            "figure": s.suggestion.figure,
            "figure_label": Figure(s.suggestion.figure).label,
            "kind": s.suggestion.kind,
            "target": _two(s.suggestion.target),
        }
        for s in access.open_suggestions(found)
    ]

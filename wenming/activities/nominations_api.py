"""The API of 先进典型 (R10), mounted at /api/v1/nominations.

- `GET ""` the nominations the caller reads (filters: campaign, year, category, status,
  department); `POST ""` 提名; `GET /{id}` with its events, objections and the steps the
  caller may take now; `PATCH /{id}` changes the content before 公示.
- One route per step: `/recommend`, `/review`, `/return`, `/publicize`, `/withdraw`,
  `/decline`, `/objections` (record) and `/objections/{oid}/answer`, `/award` and `/refer`
  (multipart, files under `files`).
- `/ratings`: the yearly ratings with their places taken; `POST /ratings` 发布.

Access is `wenming.activities.nominations_access` (404 for what the caller may not see, 403
with who may); writes call `wenming.activities.nominations`, whose refusals reach the API's
handler as 422 with the Chinese sentence under the field the client sent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from wenming.activities import nominations as services
from wenming.activities import nominations_access as access
from wenming.activities.models.nominations import (
    Category,
    Nomination,
    NominationEvent,
    Objection,
    Rating,
)
from wenming.activities.models.nominations import (
    Status as NominationStatus,
)
from wenming.activities.nominations import Action
from wenming.campaigns.models import Campaign
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
from wenming.frameworks.models import Node
from wenming.orgs.models import Organization

router = Router(tags=["先进典型"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}
CATEGORIES = "、".join(f"{value} {label}" for value, label in Category.choices)
STATUSES = "、".join(f"{value} {label}" for value, label in NominationStatus.choices)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# --- output ------------------------------------------------------------------------------------


class NominationOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    department_id: int = Field(description="推荐部门")
    department_name: str
    year: int
    category: str = Field(description=CATEGORIES)
    category_label: str
    rating_id: int | None = Field(description="所属年度评选（文明科室、文明职工、文明家庭）")
    person_id: int | None = Field(description="本单位人员；集体或按名称推荐的为 null")
    collective_id: int | None = Field(description="文明科室推荐的部门")
    name: str
    status: str = Field(description=STATUSES)
    status_label: str
    publicity_days: int = Field(description="公示期（工作日）")
    publicity_starts_on: datetime.date | None
    publicity_ends_on: datetime.date | None = Field(description="按文明办工作日历计算")
    award_title: str
    awarded_on: datetime.date | None
    referred_to: str
    referred_on: datetime.date | None
    evidence_id: int | None = Field(description="评选台账（一事一档）")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_department_name(obj: Nomination) -> str:
        return obj.department.name

    @staticmethod
    def resolve_category_label(obj: Nomination) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj: Nomination) -> str:
        return obj.get_status_display()


class StandardOut(Schema):
    id: int
    code: str
    title: str


class EventOut(Schema):
    action: str
    status: str
    note: str
    actor_id: int | None
    actor_name: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_actor_name(obj: NominationEvent) -> str:
        return _name(obj.actor) if obj.actor is not None else ""


class ObjectionOut(Schema):
    id: int
    received_on: datetime.date
    raised_by: str = Field(description="反映人；匿名为空")
    content: str
    answer: str
    upheld: bool | None = Field(description="核实结论：true 属实、false 不属实、null 未答复")
    answered_at: datetime.datetime | None


class NominationDetailOut(NominationOut):
    story: str
    standards: list[StandardOut]
    events: list[EventOut] = Field(description="办理经过，早的在前")
    objections: list[ObjectionOut]
    actions: list[str] = Field(
        description="调用者现在可以办理的环节：edit 修改、recommend、review、return、publicize、"
        "objection、answer、award、refer、withdraw、decline"
    )

    @staticmethod
    def resolve_standards(obj: Nomination) -> list[Node]:
        return list(obj.standards.all())

    @staticmethod
    def resolve_events(obj: Nomination) -> list[NominationEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_objections(obj: Nomination) -> list[Objection]:
        return list(obj.objections.all())


class RatingOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    year: int
    category: str
    category_label: str
    criteria: str
    quota: int
    publicity_days: int
    in_quota: int = Field(description="进入公示或已评选的人数（占用名额）")
    awarded: int = Field(description="已评选人数")

    @staticmethod
    def resolve_category_label(obj: Rating) -> str:
        return obj.get_category_display()


# --- input --------------------------------------------------------------------------------------


class NominationIn(Input):
    campaign: int = Field(description="创建工作编号")
    department: int | None = Field(
        None, description="推荐部门；部门人员可不填（默认本部门），创建办必填"
    )
    year: int = Field(description="年度")
    category: str = Field(max_length=column_length(Nomination, "category"), description=CATEGORIES)
    person_id: int | None = Field(None, description="本单位人员（文明职工必填）")
    collective_id: int | None = Field(None, description="文明科室：推荐的部门")
    name: str = Field(
        "", max_length=column_length(Nomination, "name"), description="名称；选了人员或部门可不填"
    )
    story: str = Field(description="主要事迹")
    standards: list[int] = Field(description="佐证的测评标准编号（末级标准）")


class NominationPatch(Input):
    """Only the fields sent change; `person_id`/`collective_id` sent as null clear them."""

    year: int | None = None
    category: str | None = Field(None, max_length=column_length(Nomination, "category"))
    person_id: int | None = None
    collective_id: int | None = None
    name: str | None = Field(None, max_length=column_length(Nomination, "name"))
    story: str | None = None
    standards: list[int] | None = None


class NoteIn(Input):
    note: str = Field("", max_length=500, description="意见（可选）")


class ReasonIn(Input):
    reason: str = Field("", max_length=500, description="原因")


class PublicizeIn(Input):
    starts_on: datetime.date | None = Field(None, description="公示开始日期")
    days: int | None = Field(None, description="公示期（工作日）；默认按年度评选，否则5")


class ObjectionIn(Input):
    received_on: datetime.date | None = Field(None, description="收到日期")
    raised_by: str = Field(
        "", max_length=column_length(Objection, "raised_by"), description="反映人；匿名不填"
    )
    content: str = Field("", description="反映内容")


class AnswerIn(Input):
    answer: str = Field("", description="核实答复")
    upheld: bool | None = Field(None, description="true 属实（不予评选）、false 不属实")


class AwardIn(Input):
    award_title: str = Field("", max_length=100, description="荣誉称号；默认如“2026年度文明职工”")
    awarded_on: datetime.date | None = Field(None, description="评选日期；默认今天")


class ReferIn(Input):
    referred_to: str = Field(
        "", max_length=column_length(Nomination, "referred_to"), description="如“临州好人榜”"
    )
    referred_on: datetime.date | None = Field(None, description="上报日期；默认今天")
    note: str = Field("", max_length=500)


class RatingIn(Input):
    campaign: int
    year: int
    category: str = Field(
        max_length=column_length(Rating, "category"),
        description="civil_department 文明科室、civil_worker 文明职工、civil_family 文明家庭",
    )
    criteria: str = Field("", description="评选条件")
    quota: int = Field(description="名额")
    publicity_days: int | None = Field(None, description="公示期（工作日），默认5")


# --- helpers ------------------------------------------------------------------------------------


def _detail(user: User, pk: int) -> Nomination:
    """A nomination the caller reads, with its standards, events and objections."""
    nomination = (
        access.visible_nominations(user)
        .prefetch_related(
            Prefetch("standards", queryset=Node.objects.order_by("position")),
            Prefetch(
                "events",
                queryset=NominationEvent.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch("objections", queryset=Objection.objects.order_by("received_on", "id")),
        )
        .get(pk=pk)
    )
    nomination.actions = sorted(access.available_actions(user, nomination))  # type: ignore[attr-defined]
    return nomination


def _standards(campaign: Campaign, ids: list[int]) -> list[Node]:
    nodes = list(Node.objects.filter(pk__in=set(ids), framework_id=campaign.framework_id))
    if len(nodes) != len(set(ids)):
        raise refused("standards", services.STANDARDS_MESSAGE)
    return nodes


def _person(campaign: Campaign, person_id: int | None) -> User | None:
    if person_id is None:
        return None
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise refused("person_id", f"没有找到编号为{person_id}的人员，请核对。")
    return person


def _collective(campaign: Campaign, collective_id: int | None) -> Organization | None:
    if collective_id is None:
        return None
    found = Organization.objects.departments_of(campaign.unit).filter(pk=collective_id).first()
    if found is None:
        raise refused("collective_id", "请选择本单位的部门。")
    return found


def _department(user: User, campaign: Campaign, department_id: int | None) -> Organization:
    """The nominating department: one the user nominates for (403 otherwise)."""
    allowed = access.nominating_departments(user, campaign.unit)
    if department_id is None:
        own = list(allowed[:2])
        if len(own) == 1:
            return own[0]
        if not own:
            access.require_nominator(user, campaign.unit)
        raise refused("department", "请选择推荐部门。")
    found = allowed.filter(pk=department_id).first()
    if found is not None:
        return found
    access.require_nominator(user, campaign.unit)
    if Organization.objects.departments_of(campaign.unit).filter(pk=department_id).exists():
        raise PermissionDenied("部门人员只能以本部门名义推荐。")
    raise refused("department", "请选择本单位在用的部门。")


RENAMES = {"person": "person_id", "collective": "collective_id"}


def _step(request: HttpRequest, nomination_id: int, action: str) -> Nomination:
    return access.get_nomination_for_user(user_of(request), nomination_id, action=action)


# --- reading ------------------------------------------------------------------------------------


@router.get("", response=list[NominationOut], summary="先进典型推荐列表")
@paginate(PageNumberPagination, page_size=50)
def nomination_list(
    request: HttpRequest,
    campaign: int | None = None,
    year: int | None = None,
    category: str | None = None,
    status: str | None = None,
    department: int | None = None,
) -> QuerySet[Nomination]:
    qs = access.visible_nominations(request.user)
    if campaign is not None:
        qs = qs.filter(campaign=access.get_campaign_for_reader(request.user, campaign))
    if year is not None:
        qs = qs.filter(year=year)
    if category:
        if category not in Category.values:
            raise refused("category", f"类别只能是{CATEGORIES}。")
        qs = qs.filter(category=category)
    if status:
        if status not in NominationStatus.values:
            raise refused("status", f"状态只能是{STATUSES}。")
        qs = qs.filter(status=status)
    if department is not None:
        qs = qs.filter(department_id=department)
    return qs.order_by("-year", "-id")


@router.get(
    "/ratings",
    response={200: list[RatingOut], **ERRORS},
    summary="年度评选（文明科室、文明职工、文明家庭）及名额占用",
)
def nomination_rating_list(
    request: HttpRequest, campaign: int | None = None, year: int | None = None
) -> Any:
    qs = access.visible_ratings(request.user)
    if campaign is not None:
        qs = qs.filter(campaign=access.get_campaign_for_reader(request.user, campaign))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.annotate(
        in_quota=Count("nominations", filter=Q(nominations__status__in=services.IN_QUOTA)),
        awarded=Count("nominations", filter=Q(nominations__status__in=services.AWARDED_STATUSES)),
    ).order_by("-year", "category")


@router.post(
    "/ratings",
    response={201: RatingOut, **ERRORS},
    summary="发布年度评选：评选条件、名额、公示期（本单位创建办）",
)
def nomination_rating_create(request: HttpRequest, payload: RatingIn) -> Any:
    user = user_of(request)
    campaign = access.get_campaign_for_manager(user, payload.campaign)
    rating = services.rating_create(
        campaign=campaign,
        user=user,
        year=payload.year,
        category=payload.category,
        criteria=payload.criteria,
        quota=payload.quota,
        publicity_days=payload.publicity_days,
    )
    return Status(201, services.rating_rows(campaign.unit, rating.year).get(pk=rating.pk))


@router.get(
    "/{int:nomination_id}",
    response={200: NominationDetailOut, **ERRORS},
    summary="推荐详情：办理经过、公示异议、可办理的环节",
)
def nomination_detail(request: HttpRequest, nomination_id: int) -> Any:
    user = user_of(request)
    access.get_nomination_for_user(user, nomination_id)
    return _detail(user, nomination_id)


# --- nominating ---------------------------------------------------------------------------------


@router.post(
    "",
    response={201: NominationDetailOut, **ERRORS},
    summary="推荐先进典型（创建办，或部门人员以本部门名义）",
)
def nomination_create(request: HttpRequest, payload: NominationIn) -> Any:
    user = user_of(request)
    campaign = access.get_campaign_for_reader(user, payload.campaign)
    access.require_nominator(user, campaign.unit)
    department = _department(user, campaign, payload.department)
    with field_names(RENAMES):
        nomination = services.nomination_create(
            campaign=campaign,
            user=user,
            department=department,
            year=payload.year,
            category=payload.category,
            name=payload.name,
            story=payload.story,
            standards=_standards(campaign, payload.standards),
            person=_person(campaign, payload.person_id),
            collective=_collective(campaign, payload.collective_id),
        )
    return Status(201, _detail(user, nomination.pk))


@router.patch(
    "/{int:nomination_id}",
    response={200: NominationDetailOut, **ERRORS},
    summary="修改推荐材料（公示开始前；推荐部门人员或创建办）",
)
def nomination_update(request: HttpRequest, nomination_id: int, payload: NominationPatch) -> Any:
    user = user_of(request)
    nomination = _step(request, nomination_id, "edit")
    campaign = nomination.campaign
    sent = payload.model_fields_set
    standards = (
        _standards(campaign, payload.standards)
        if payload.standards is not None
        else list(nomination.standards.all())
    )
    with field_names(RENAMES):
        services.nomination_update(
            nomination=nomination,
            user=user,
            year=payload.year if payload.year is not None else nomination.year,
            category=payload.category or nomination.category,
            name=payload.name if payload.name is not None else nomination.name,
            story=payload.story if payload.story is not None else nomination.story,
            standards=standards,
            person=_person(campaign, payload.person_id)
            if "person_id" in sent
            else nomination.person,
            collective=_collective(campaign, payload.collective_id)
            if "collective_id" in sent
            else nomination.collective,
        )
    return _detail(user, nomination.pk)


# --- the steps ----------------------------------------------------------------------------------


@router.post(
    "/{int:nomination_id}/recommend",
    response={200: NominationDetailOut, **ERRORS},
    summary="部门推荐（推荐部门的部门负责人或创建办）",
)
def nomination_recommend(
    request: HttpRequest, nomination_id: int, payload: NoteIn | None = None
) -> Any:
    nomination = _step(request, nomination_id, Action.RECOMMEND)
    note = payload.note if payload else ""
    services.nomination_recommend(nomination=nomination, user=user_of(request), note=note)
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/review",
    response={200: NominationDetailOut, **ERRORS},
    summary="审核通过（创建办）",
)
def nomination_review(
    request: HttpRequest, nomination_id: int, payload: NoteIn | None = None
) -> Any:
    nomination = _step(request, nomination_id, Action.REVIEW)
    note = payload.note if payload else ""
    services.nomination_review(nomination=nomination, user=user_of(request), note=note)
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/return",
    response={200: NominationDetailOut, **ERRORS},
    summary="退回（创建办，须写明原因；退回后为已提名）",
)
def nomination_return(request: HttpRequest, nomination_id: int, payload: ReasonIn) -> Any:
    nomination = _step(request, nomination_id, Action.RETURN)
    services.nomination_return(nomination=nomination, user=user_of(request), reason=payload.reason)
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/publicize",
    response={200: NominationDetailOut, **ERRORS},
    summary="开始公示（创建办；结束日期按文明办工作日历计算，受年度评选名额限制）",
)
def nomination_publicize(request: HttpRequest, nomination_id: int, payload: PublicizeIn) -> Any:
    nomination = _step(request, nomination_id, Action.PUBLICIZE)
    services.nomination_publicize(
        nomination=nomination, user=user_of(request), starts_on=payload.starts_on, days=payload.days
    )
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/withdraw",
    response={200: NominationDetailOut, **ERRORS},
    summary="撤回（公示开始前；推荐人或创建办）",
)
def nomination_withdraw(
    request: HttpRequest, nomination_id: int, payload: ReasonIn | None = None
) -> Any:
    nomination = _step(request, nomination_id, Action.WITHDRAW)
    reason = payload.reason if payload else ""
    services.nomination_withdraw(nomination=nomination, user=user_of(request), reason=reason)
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/decline",
    response={200: NominationDetailOut, **ERRORS},
    summary="不予评选（创建办，须写明原因）",
)
def nomination_decline(request: HttpRequest, nomination_id: int, payload: ReasonIn) -> Any:
    nomination = _step(request, nomination_id, Action.DECLINE)
    services.nomination_decline(nomination=nomination, user=user_of(request), reason=payload.reason)
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/objections",
    response={201: NominationDetailOut, **ERRORS},
    summary="登记公示期间收到的异议（创建办）",
)
def nomination_objection_create(
    request: HttpRequest, nomination_id: int, payload: ObjectionIn
) -> Any:
    nomination = _step(request, nomination_id, Action.OBJECTION)
    services.objection_record(
        nomination=nomination,
        user=user_of(request),
        received_on=payload.received_on,
        raised_by=payload.raised_by,
        content=payload.content,
    )
    return Status(201, _detail(user_of(request), nomination_id))


@router.post(
    "/{int:nomination_id}/objections/{int:objection_id}/answer",
    response={200: NominationDetailOut, **ERRORS},
    summary="核实答复异议（创建办；属实则不予评选）",
)
def nomination_objection_answer(
    request: HttpRequest, nomination_id: int, objection_id: int, payload: AnswerIn
) -> Any:
    user = user_of(request)
    nomination = _step(request, nomination_id, Action.ANSWER)
    objection = access.get_objection_for_manager(user, nomination, objection_id)
    services.objection_answer(
        objection=objection, user=user, answer=payload.answer, upheld=payload.upheld
    )
    return _detail(user, nomination_id)


@router.post(
    "/{int:nomination_id}/award",
    response={200: NominationDetailOut, **UPLOAD_ERRORS},
    summary="评选（multipart；公示期满、异议均已答复且不属实；生成推荐审批表并存入台账）",
)
@decorate_view(limited_uploads)
def nomination_award(
    request: HttpRequest,
    nomination_id: int,
    payload: Form[AwardIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request, "files")
    nomination = _step(request, nomination_id, Action.AWARD)
    services.nomination_award(
        nomination=nomination,
        user=user_of(request),
        award_title=payload.award_title,
        awarded_on=payload.awarded_on,
        uploads=files or [],
    )
    return _detail(user_of(request), nomination_id)


@router.post(
    "/{int:nomination_id}/refer",
    response={200: NominationDetailOut, **UPLOAD_ERRORS},
    summary="推荐上报（multipart；如“临州好人榜”；上传的材料补充到评选台账）",
)
@decorate_view(limited_uploads)
def nomination_refer(
    request: HttpRequest,
    nomination_id: int,
    payload: Form[ReferIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request, "files")
    nomination = _step(request, nomination_id, Action.REFER)
    services.nomination_refer(
        nomination=nomination,
        user=user_of(request),
        referred_to=payload.referred_to,
        referred_on=payload.referred_on,
        note=payload.note,
        uploads=files or [],
    )
    return _detail(user_of(request), nomination_id)

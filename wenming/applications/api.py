"""API routes of applications (申报): the office's batches, the units' applications and every
step from 初审 to 命名.

Every object is fetched through `wenming.applications.access` (404 for what the caller may
not see, 403 for what they see but may not change); writes call
`wenming.applications.services`, whose refusals reach the API's handler as 422 with the
Chinese sentence under the field the client sent. A unit's own people read their unit's
applications with every step's comment; the opinions (征求意见) and objections (公示异议)
themselves are shown to the office's people only. The 命名 decision document is attached on
the screen; the API records its number or title (`decision_title`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from wenming.applications import access, services
from wenming.applications.eligibility import rule_label
from wenming.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Batch,
    EligibilityRule,
    Objection,
    Opinion,
    OpinionBody,
    RuleKind,
    SnapshotFile,
    SnapshotItem,
)
from wenming.core.api_input import ErrorOut, Input, column_length, field_names, refused, user_of
from wenming.frameworks.models import Framework
from wenming.orgs.access import get_managed_office
from wenming.orgs.models import Organization
from wenming.registry.models import Level

router = Router(tags=["申报"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BATCH_IDS = {"office": "office_id", "framework": "framework_id"}
MEMBER_IDS = {"applications": "application_ids"}


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else "系统"


# --- output ----------------------------------------------------------------------------------


class RuleOut(Schema):
    kind: str = Field(description="、".join(RuleKind.values))
    label: str
    level: str
    years: int | None
    number: int | None

    @staticmethod
    def resolve_label(obj: EligibilityRule) -> str:
        return rule_label(obj)


class BatchOut(Schema):
    id: int
    office_id: int
    office_name: str
    year: int
    title: str
    honour_title: str
    level: str
    level_label: str
    term_years: int
    batch_label: str
    opens_on: datetime.date
    closes_on: datetime.date
    quota: int
    framework_id: int | None
    summary_limit: int
    publicity_days: int
    named_on: datetime.date | None
    decision_title: str

    @staticmethod
    def resolve_office_name(obj: Batch) -> str:
        return obj.office.name

    @staticmethod
    def resolve_level_label(obj: Batch) -> str:
        return obj.get_level_display()


class BatchDetailOut(BatchOut):
    materials: str
    note: str
    rules: list[RuleOut]
    counts: dict[str, int] = Field(description="各状态的申报数")
    named_count: int = Field(description="已命名数（占用名额）")

    @staticmethod
    def resolve_rules(obj: Batch) -> list[EligibilityRule]:
        return list(obj.rules.all())

    @staticmethod
    def resolve_counts(obj: Batch) -> dict[str, int]:
        rows = obj.applications.values("status").annotate(n=Count("pk")).order_by()
        return {row["status"]: row["n"] for row in rows}

    @staticmethod
    def resolve_named_count(obj: Batch) -> int:
        return obj.applications.filter(status=ApplicationStatus.NAMED).count()


class RuleResultOut(Schema):
    kind: str
    label: str
    ok: bool
    reason: str


class ApplicationOut(Schema):
    id: int
    batch_id: int
    batch_title: str
    unit_id: int
    unit_name: str
    entry_id: int
    status: str = Field(description="、".join(ApplicationStatus.values))
    status_label: str
    self_total: Decimal | None
    field_score: Decimal | None
    survey_rate: Decimal | None
    submitted_at: datetime.datetime | None
    supplement_deadline: datetime.date | None
    publicity_starts_on: datetime.date | None
    publicity_ends_on: datetime.date | None
    honour_id: int | None

    @staticmethod
    def resolve_batch_title(obj: Application) -> str:
        return obj.batch.title

    @staticmethod
    def resolve_unit_name(obj: Application) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return obj.get_status_display()


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    comment: str
    actor: str
    at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: ApplicationEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj: ApplicationEvent) -> str:
        return _name(obj.actor)


class OpinionOut(Schema):
    id: int
    body: str
    body_label: str
    body_name: str
    adverse: bool
    content: str
    received_on: datetime.date

    @staticmethod
    def resolve_body_label(obj: Opinion) -> str:
        return obj.get_body_display()


class ObjectionOut(Schema):
    id: int
    application_id: int
    received_on: datetime.date
    content: str
    answer: str
    answered_on: datetime.date | None
    upheld: bool


class ApplicationDetailOut(ApplicationOut):
    principal_name: str
    contact_name: str
    contact_phone: str
    address: str
    staff_count: int
    party_member_count: int | None
    volunteer_count: int | None
    basic_facts: str
    summary: str
    self_round_id: int | None
    field_round_id: int | None
    assessor_ids: list[int]
    survey_note: str
    eligibility: list[RuleResultOut]
    frozen_at: datetime.datetime | None
    snapshot_item_count: int
    events: list[EventOut] = Field(description="每一步及其说明，早的在前；单位可见")
    opinions: list[OpinionOut] | None = Field(description="征求意见；仅文明办人员可见")
    objections: list[ObjectionOut] | None = Field(description="公示异议；仅文明办人员可见")

    @staticmethod
    def resolve_assessor_ids(obj: Application) -> list[int]:
        return [u.pk for u in obj.assessors.all()]

    @staticmethod
    def resolve_snapshot_item_count(obj: Application) -> int:
        return obj.snapshot_items.count()

    @staticmethod
    def resolve_events(obj: Application) -> list[ApplicationEvent]:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_opinions(obj: Application) -> list[Opinion] | None:
        return getattr(obj, "office_opinions", None)

    @staticmethod
    def resolve_objections(obj: Application) -> list[Objection] | None:
        return getattr(obj, "office_objections", None)


class SnapshotFileOut(Schema):
    id: int
    original_name: str
    position: int


class SnapshotItemOut(Schema):
    id: int
    item_id: int
    title: str
    department_name: str
    activity_date: datetime.date | None
    summary: str
    result: str
    status: str
    standard_ids: list[int]
    files: list[SnapshotFileOut]

    @staticmethod
    def resolve_files(obj: SnapshotItem) -> list[SnapshotFile]:
        return list(obj.files.all())


# --- input -----------------------------------------------------------------------------------


class RuleIn(Schema):
    kind: str = Field(description="、".join(RuleKind.values))
    level: str = Field("", description="holds_lower：要求连续保持的级别")
    years: int | None = Field(None, description="holds_lower：连续年数；no_veto：追溯年数")
    number: int | None = Field(None, description="min_staff：职工人数下限")


class BatchIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    year: int
    title: str = Field(max_length=column_length(Batch, "title"))
    honour_title: str = Field(max_length=column_length(Batch, "honour_title"))
    level: str = Field(description="、".join(Level.values))
    term_years: int = Field(3, description="2、3 或 5")
    batch_label: str = Field("", max_length=column_length(Batch, "batch_label"))
    opens_on: datetime.date
    closes_on: datetime.date
    quota: int
    materials: str = ""
    framework_id: int | None = None
    summary_limit: int = 3000
    publicity_days: int = 5
    note: str = ""
    rules: list[RuleIn] = []


class BatchPatch(Input):
    year: int | None = None
    title: str | None = Field(None, max_length=column_length(Batch, "title"))
    honour_title: str | None = Field(None, max_length=column_length(Batch, "honour_title"))
    level: str | None = None
    term_years: int | None = None
    batch_label: str | None = Field(None, max_length=column_length(Batch, "batch_label"))
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    quota: int | None = None
    materials: str | None = None
    framework_id: int | None = None
    summary_limit: int | None = None
    publicity_days: int | None = None
    note: str | None = None
    rules: list[RuleIn] | None = Field(None, description="给出时整体替换申报条件")


class FormIn(Input):
    principal_name: str = Field(max_length=column_length(Application, "principal_name"))
    contact_name: str = Field(max_length=column_length(Application, "contact_name"))
    contact_phone: str = Field(max_length=column_length(Application, "contact_phone"))
    address: str = Field("", max_length=column_length(Application, "address"))
    staff_count: int = Field(ge=0)
    party_member_count: int | None = Field(None, ge=0)
    volunteer_count: int | None = Field(None, ge=0)
    basic_facts: str = ""
    summary: str = Field(description="创建工作总结；字数上限由批次规定")


class SubmitIn(FormIn):
    batch_id: int
    unit_id: int | None = Field(None, description="申报单位；不填为您任创建办的单位")


class ResubmitIn(Input):
    principal_name: str | None = Field(
        None, max_length=column_length(Application, "principal_name")
    )
    contact_name: str | None = Field(None, max_length=column_length(Application, "contact_name"))
    contact_phone: str | None = Field(None, max_length=column_length(Application, "contact_phone"))
    address: str | None = Field(None, max_length=column_length(Application, "address"))
    staff_count: int | None = Field(None, ge=0)
    party_member_count: int | None = Field(None, ge=0)
    volunteer_count: int | None = Field(None, ge=0)
    basic_facts: str | None = None
    summary: str | None = None


class ReasonIn(Input):
    reason: str = Field(max_length=1000)


class CommentIn(Input):
    comment: str = ""


class ReturnIn(Input):
    comment: str = ""
    deadline: datetime.date | None = Field(None, description="补充材料截止日期")


class FieldRoundIn(Input):
    scored_on: datetime.date
    assessor_ids: list[int] = Field(description="测评人员（文明办人员）")


class AssessmentIn(Input):
    survey_rate: Decimal | None = Field(None, description="群众满意率（%）")
    survey_note: str = ""
    field_score: Decimal | None = Field(None, description="未在平台打分时必填")
    comment: str = ""


class OpinionIn(Input):
    body: str = Field(description="、".join(OpinionBody.values))
    body_name: str = Field("", max_length=column_length(Opinion, "body_name"))
    adverse: bool = Field(False, description="有否决意见：申报即不予通过")
    content: str
    received_on: datetime.date


class PublicityIn(Input):
    starts_on: datetime.date
    application_ids: list[int]


class ObjectionIn(Input):
    received_on: datetime.date
    content: str


class AnswerIn(Input):
    answer: str
    answered_on: datetime.date
    upheld: bool = Field(False, description="异议成立：不予命名")


class NameIn(Input):
    named_on: datetime.date
    decision_title: str = Field(
        "",
        max_length=column_length(Batch, "decision_title"),
        description="命名决定文号或标题（必填）",
    )
    application_ids: list[int]


class NameOut(Schema):
    batch: BatchDetailOut
    honour_ids: list[int]


# --- helpers ----------------------------------------------------------------------------------


def _batch_detail(batch: Batch) -> Batch:
    return Batch.objects.select_related("office").prefetch_related("rules").get(pk=batch.pk)


def _detail(request: HttpRequest, application: Application) -> Application:
    """The application with its timeline; opinions and objections for office readers."""
    found = (
        Application.objects.select_related("batch__office", "unit")
        .prefetch_related("assessors")
        .get(pk=application.pk)
    )
    if access.reads_as_office(request.user, found.batch):
        found.office_opinions = list(found.opinions.all())  # type: ignore[attr-defined]
        found.office_objections = list(found.objections.all())  # type: ignore[attr-defined]
    return found


def _office_for(request: HttpRequest, office_id: int | None) -> Organization:
    user = request.user
    return get_managed_office(
        user,
        office_id,
        refusal=access.READ_ONLY,
        sees=lambda office: access.visible_batches(user).filter(office=office).exists(),
    )


def _framework(framework_id: int | None) -> Framework | None:
    if framework_id is None:
        return None
    found = Framework.objects.filter(pk=framework_id).first()
    if found is None:
        raise refused("framework_id", "没有找到该测评体系，请重新选择。")
    return found


def _members(batch: Batch, ids: list[int]) -> list[Application]:
    found = list(Application.objects.filter(batch=batch, pk__in=ids))
    if len(found) != len(set(ids)):
        raise refused("application_ids", "所选申报不属于本批次，请刷新后重新选择。")
    return found


def _rules(rules: list[RuleIn] | None) -> list[dict[str, Any]] | None:
    return None if rules is None else [r.dict() for r in rules]


# --- batches ----------------------------------------------------------------------------------


@router.get("/batches", response=list[BatchOut], summary="申报批次列表")
@paginate(PageNumberPagination, page_size=50)
def application_batch_list(request: HttpRequest, year: int | None = None) -> Any:
    qs = access.visible_batches(request.user)
    return qs.filter(year=year) if year is not None else qs


@router.post("/batches", response={201: BatchDetailOut, **ERRORS}, summary="新建申报批次")
def application_batch_create(request: HttpRequest, payload: BatchIn) -> Any:
    office = _office_for(request, payload.office_id)
    fields = payload.dict(exclude={"office_id", "framework_id", "rules"})
    with field_names(BATCH_IDS):
        batch = services.batch_create(
            office=office,
            user=user_of(request),
            rules=_rules(payload.rules) or [],
            framework=_framework(payload.framework_id),
            **fields,
        )
    return Status(201, _batch_detail(batch))


@router.get(
    "/batches/{int:batch_id}", response={200: BatchDetailOut, **ERRORS}, summary="申报批次详情"
)
def application_batch_detail(request: HttpRequest, batch_id: int) -> Any:
    return _batch_detail(access.get_batch_for_user(request.user, batch_id))


@router.patch(
    "/batches/{int:batch_id}", response={200: BatchDetailOut, **ERRORS}, summary="修改申报批次"
)
def application_batch_update(request: HttpRequest, batch_id: int, payload: BatchPatch) -> Any:
    batch = access.get_batch_for_user(request.user, batch_id, write=True)
    fields = payload.dict(exclude_unset=True, exclude={"framework_id", "rules"})
    if "framework_id" in payload.model_fields_set:
        fields["framework"] = _framework(payload.framework_id)
    with field_names(BATCH_IDS):
        services.batch_update(
            batch=batch, user=user_of(request), rules=_rules(payload.rules), **fields
        )
    return _batch_detail(batch)


@router.get(
    "/batches/{int:batch_id}/eligibility",
    response={200: list[RuleResultOut], **ERRORS},
    summary="本单位是否符合该批次的申报条件（逐条说明）",
)
def application_batch_eligibility(
    request: HttpRequest, batch_id: int, unit_id: int | None = None
) -> Any:
    batch = access.get_batch_for_user(request.user, batch_id)
    unit = _applicant(request, unit_id)
    entry = services.entry_for(batch, unit)
    if entry is None:
        raise refused("unit_id", f"“{unit.name}”不在“{batch.office.name}”的文明单位名录中。")
    return services.check_eligibility(batch=batch, entry=entry)


@router.post(
    "/batches/{int:batch_id}/publicity",
    response={200: list[ApplicationOut], **ERRORS},
    summary="开始公示（公示期按工作日计算）",
)
def application_publicity(request: HttpRequest, batch_id: int, payload: PublicityIn) -> Any:
    batch = access.get_batch_for_user(request.user, batch_id, write=True)
    members = _members(batch, payload.application_ids)
    with field_names(MEMBER_IDS):
        done = services.publicity_start(
            batch=batch, user=user_of(request), starts_on=payload.starts_on, applications=members
        )
    return list(access.visible_applications(request.user).filter(pk__in=[a.pk for a in done]))


@router.post(
    "/batches/{int:batch_id}/name",
    response={200: NameOut, **ERRORS},
    summary="命名（须有命名决定；名额内；公示期满且异议均已答复）",
)
def application_name(request: HttpRequest, batch_id: int, payload: NameIn) -> Any:
    batch = access.get_batch_for_user(request.user, batch_id, write=True)
    members = _members(batch, payload.application_ids)
    with field_names(MEMBER_IDS):
        honours = services.batch_name(
            batch=batch,
            user=user_of(request),
            named_on=payload.named_on,
            decision_title=payload.decision_title,
            document=None,
            applications=members,
        )
    return {"batch": _batch_detail(batch), "honour_ids": [h.pk for h in honours]}


# --- applications -----------------------------------------------------------------------------


def _applicant(request: HttpRequest, unit_id: int | None) -> Organization:
    units = access.applicant_units(request.user)
    if unit_id is None:
        if not units:
            raise PermissionDenied(access.APPLICANT_ONLY)
        return units[0]
    for unit in units:
        if unit.pk == unit_id:
            return unit
    raise PermissionDenied(access.APPLICANT_ONLY)


@router.get("", response=list[ApplicationOut], summary="申报列表")
@paginate(PageNumberPagination, page_size=50)
def application_list(
    request: HttpRequest,
    batch: int | None = None,
    status: str | None = Query(None, description="、".join(ApplicationStatus.values)),
) -> Any:
    if status and status not in ApplicationStatus.values:
        raise refused("status", f"状态只能是{'、'.join(ApplicationStatus.values)}。")
    qs = access.visible_applications(request.user)
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("batch_id", "id")


@router.post("", response={201: ApplicationDetailOut, **ERRORS}, summary="提交申报（本单位创建办）")
def application_submit(request: HttpRequest, payload: SubmitIn) -> Any:
    batch = access.get_batch_for_user(request.user, payload.batch_id)
    unit = _applicant(request, payload.unit_id)
    form = payload.dict(exclude={"batch_id", "unit_id"})
    application = services.application_submit(batch=batch, unit=unit, user=user_of(request), **form)
    return Status(201, _detail(request, application))


@router.get(
    "/{int:application_id}", response={200: ApplicationDetailOut, **ERRORS}, summary="申报详情"
)
def application_detail(request: HttpRequest, application_id: int) -> Any:
    return _detail(request, access.get_application_for_user(request.user, application_id))


@router.get(
    "/{int:application_id}/snapshot",
    response=list[SnapshotItemOut],
    summary="冻结的台账（提交时的材料，之后的修改不影响）",
)
@paginate(PageNumberPagination, page_size=100)
def application_snapshot(request: HttpRequest, application_id: int) -> Any:
    application = access.get_application_for_user(request.user, application_id)
    return SnapshotItem.objects.filter(application=application).prefetch_related(
        Prefetch("files", SnapshotFile.objects.order_by("position", "id"))
    )


def _act(request: HttpRequest, application_id: int) -> Application:
    return access.get_application_for_user(request.user, application_id, write=True)


@router.post(
    "/{int:application_id}/resubmit",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="补充后重新提交（退回补充的申报，截止日期前）",
)
def application_resubmit(request: HttpRequest, application_id: int, payload: ResubmitIn) -> Any:
    application = access.get_application_for_applicant(request.user, application_id)
    form = payload.dict(exclude_unset=True)
    services.application_resubmit(application=application, user=user_of(request), **form)
    return _detail(request, application)


@router.post(
    "/{int:application_id}/withdraw",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="撤回申报（初审通过前）",
)
def application_withdraw(request: HttpRequest, application_id: int, payload: ReasonIn) -> Any:
    application = access.get_application_for_applicant(request.user, application_id)
    services.application_withdraw(
        application=application, user=user_of(request), reason=payload.reason
    )
    return _detail(request, application)


@router.post(
    "/{int:application_id}/return",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="初审：退回补充",
)
def application_return(request: HttpRequest, application_id: int, payload: ReturnIn) -> Any:
    application = _act(request, application_id)
    services.application_return(application=application, user=user_of(request), **payload.dict())
    return _detail(request, application)


@router.post(
    "/{int:application_id}/accept",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="初审通过",
)
def application_accept(request: HttpRequest, application_id: int, payload: CommentIn) -> Any:
    application = _act(request, application_id)
    services.application_accept(
        application=application, user=user_of(request), comment=payload.comment
    )
    return _detail(request, application)


@router.post(
    "/{int:application_id}/reject",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="不予通过（须写明原因）",
)
def application_reject(request: HttpRequest, application_id: int, payload: CommentIn) -> Any:
    application = _act(request, application_id)
    services.application_reject(
        application=application, user=user_of(request), comment=payload.comment
    )
    return _detail(request, application)


@router.post(
    "/{int:application_id}/field-round",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="安排实地测评（正式测评轮次，指定测评人员）",
)
def application_field_round(
    request: HttpRequest, application_id: int, payload: FieldRoundIn
) -> Any:
    application = _act(request, application_id)
    assessors = list(User.objects.filter(pk__in=payload.assessor_ids, is_active=True))
    if len(assessors) != len(set(payload.assessor_ids)):
        raise refused("assessor_ids", "所选测评人员不存在或已停用，请重新选择。")
    with field_names({"assessors": "assessor_ids"}):
        services.field_round_open(
            application=application,
            user=user_of(request),
            scored_on=payload.scored_on,
            assessors=assessors,
        )
    return _detail(request, application)


@router.post(
    "/{int:application_id}/assessment",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="录入实地测评结果（得分、群众满意率）",
)
def application_assessment(request: HttpRequest, application_id: int, payload: AssessmentIn) -> Any:
    application = _act(request, application_id)
    services.field_assessment_record(
        application=application, user=user_of(request), **payload.dict()
    )
    return _detail(request, application)


@router.post(
    "/{int:application_id}/opinions",
    response={201: ApplicationDetailOut, **ERRORS},
    summary="记录征求意见（有否决意见即不予通过）",
)
def application_opinion(request: HttpRequest, application_id: int, payload: OpinionIn) -> Any:
    application = _act(request, application_id)
    services.opinion_record(application=application, user=user_of(request), **payload.dict())
    return Status(201, _detail(request, application))


@router.post(
    "/{int:application_id}/consultation-finish",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="完成征求意见",
)
def application_consultation_finish(request: HttpRequest, application_id: int) -> Any:
    application = _act(request, application_id)
    services.consultation_finish(application=application, user=user_of(request))
    return _detail(request, application)


@router.post(
    "/{int:application_id}/objections",
    response={201: ObjectionOut, **ERRORS},
    summary="记录公示异议（公示期内收到的）",
)
def application_objection(request: HttpRequest, application_id: int, payload: ObjectionIn) -> Any:
    application = _act(request, application_id)
    objection = services.objection_record(
        application=application, user=user_of(request), **payload.dict()
    )
    return Status(201, objection)


def _objections(request: HttpRequest) -> QuerySet[Objection]:
    return Objection.objects.filter(
        application__in=access.visible_applications(request.user)
    ).select_related("application__batch__office")


@router.post(
    "/objections/{int:objection_id}/answer",
    response={200: ObjectionOut, **ERRORS},
    summary="答复公示异议（异议成立即不予命名）",
)
def application_objection_answer(request: HttpRequest, objection_id: int, payload: AnswerIn) -> Any:
    objection = _objections(request).filter(pk=objection_id).first()
    if objection is None or not access.reads_as_office(request.user, objection.application.batch):
        raise Http404("没有找到该异议，或您无权查看。")
    if not access.can_manage_batch(request.user, objection.application.batch):
        raise PermissionDenied(access.READ_ONLY)
    return services.objection_answer(objection=objection, user=user_of(request), **payload.dict())

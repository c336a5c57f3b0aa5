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

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from wenming.applications import access, field_round, services
from wenming.applications.models import (
    Application,
    ApplicationStatus,
    Batch,
    Objection,
    SnapshotFile,
    SnapshotItem,
)
from wenming.applications.schemas import (
    AnswerIn,
    ApplicationDetailOut,
    ApplicationOut,
    AssessmentIn,
    BatchDetailOut,
    BatchIn,
    BatchOut,
    BatchPatch,
    CommentIn,
    FieldRoundIn,
    NameIn,
    NameOut,
    ObjectionIn,
    ObjectionOut,
    OpinionIn,
    PublicityIn,
    ReasonIn,
    ResubmitIn,
    ReturnIn,
    RuleIn,
    RuleResultOut,
    SnapshotItemOut,
    SubmitIn,
)
from wenming.core.api_input import ErrorOut, field_names, refused, user_of
from wenming.frameworks.models import Framework, Node
from wenming.orgs.access import get_managed_office
from wenming.orgs.models import Organization
from wenming.scoring import api as scoring_api
from wenming.scoring import backed
from wenming.scoring.models import Score

router = Router(tags=["申报"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BATCH_IDS = {"office": "office_id", "framework": "framework_id"}
MEMBER_IDS = {"applications": "application_ids"}


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


def _field(request: HttpRequest, application_id: int, *, write: bool = False) -> Application:
    """The application and its 实地测评 round on the frozen submission, for who may read
    (or, `write`, score) it."""
    application = access.get_application_for_user(request.user, application_id)
    if not field_round.is_office_round(application.field_round):
        raise Http404("该申报没有在平台上安排实地测评打分。")
    return access.get_field_round_for_user(
        request.user, application.field_round_id or 0, write=write
    )


def _field_detail(application: Application) -> dict[str, Any]:
    round_ = application.field_round
    assert round_ is not None
    round_.refresh_from_db()
    nodes = list(Node.objects.filter(framework_id=round_.framework_id))
    context = field_round.frozen_context(application, nodes)
    backing = backed.round_backing(round_, nodes, ledger=context.ledger)
    return scoring_api.round_detail_out(round_, backing)


@router.get(
    "/{int:application_id}/field-round",
    response={200: scoring_api.RoundDetailOut, **ERRORS},
    summary="实地测评打分：轮次与合计（有佐证得分按冻结的申报材料计）",
)
def application_field_sheet(request: HttpRequest, application_id: int) -> Any:
    return _field_detail(_field(request, application_id))


@router.get(
    "/{int:application_id}/field-round/scores",
    response={200: list[scoring_api.ScoreOut], **ERRORS},
    summary="实地测评打分：各标准得分",
)
def application_field_scores(request: HttpRequest, application_id: int) -> Any:
    application = _field(request, application_id)
    scores = Score.objects.filter(round_id=application.field_round_id).select_related("standard")
    return [
        scoring_api.score_out(s, s.standard.code) for s in scores.order_by("standard__position")
    ]


@router.post(
    "/{int:application_id}/field-round/scores",
    response={200: scoring_api.ScoreOut, **ERRORS},
    summary="实地测评打分：为一项标准打分（测评人员、文明办管理员）",
)
def application_field_score(
    request: HttpRequest, application_id: int, payload: scoring_api.ScoreIn
) -> Any:
    application = _field(request, application_id, write=True)
    assert application.field_round is not None
    standard = scoring_api.standard_named(application.field_round, payload)
    score = field_round.field_score_set(
        application=application,
        standard=standard,
        user=user_of(request),
        **payload.score_values(),
    )
    return scoring_api.score_out(score, standard.code)


@router.post(
    "/{int:application_id}/field-round/finish",
    response={200: scoring_api.RoundDetailOut, **ERRORS},
    summary="实地测评打分：完成打分（锁定得分）",
)
def application_field_finish(request: HttpRequest, application_id: int) -> Any:
    application = _field(request, application_id, write=True)
    field_round.field_round_finish(application=application, user=user_of(request))
    return _field_detail(application)


@router.post(
    "/{int:application_id}/field-round/reopen",
    response={200: scoring_api.RoundDetailOut, **ERRORS},
    summary="实地测评打分：重新打开（录入测评结果之前）",
)
def application_field_reopen(request: HttpRequest, application_id: int) -> Any:
    application = _field(request, application_id, write=True)
    field_round.field_round_reopen(application=application, user=user_of(request))
    return _field_detail(application)


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

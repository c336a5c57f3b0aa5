"""API routes for tasks: list, detail, create, change, delete and restore, progress,
occurrences, claims, reassigning, standards marked not applicable, generation.

Everything goes through `wenming.tasks.access` (404 for what the user cannot see, 403 for
what they see but may not change) and `wenming.tasks.services`, whose refusals reach the
API's handler as 422 with the Chinese sentence under the field the client sent.

The list counts like every other surface: `Task.objects.counted()` (live, not a draft), so
its `count` for a campaign is the cockpit's task figure; drafts are listed with `?drafts=1`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Phase
from wenming.core.api_input import ErrorOut, Input, column_length, field_names, refused, user_of
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.tasks import access, services, subtask_api
from wenming.tasks.coverage import standards_needing_tasks
from wenming.tasks.models import Occurrence, StandardExclusion, Task, TaskClaim, TaskStatus
from wenming.tasks.part_api import router as part_router

router = Router(tags=["任务分解"])
# The co-operating departments' parts (`/{id}/parts`) live in their own module.
router.add_router("", part_router)
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# The services name their fields as the screens' forms do; the API sends ids.
STATUS_FILTERS = [*TaskStatus.values, "overdue"]
FIELDS = {
    "standards": "standard_ids",
    "phase": "phase_id",
    "lead_department": "lead_department_id",
    "co_departments": "co_department_ids",
    "responsible": "responsible_id",
    "department": "department_id",
}


class TaskOut(Schema):
    id: int
    campaign_id: int
    title: str
    requirement: str
    standard_codes: list[str]
    phase_id: int | None
    lead_department_id: int | None
    lead_department_name: str | None
    co_department_ids: list[int]
    responsible_id: int | None
    start_date: datetime.date | None
    deadline: datetime.date | None
    target_quantity: Decimal | None
    target_unit: str
    recurrence: str
    recurrence_dates: list[str]
    status: str = Field(
        description="not_started、in_progress、unproven（进度100%、佐证未齐：待佐证）或 done"
    )
    status_label: str
    is_overdue: bool
    progress: int
    progress_note: str
    is_draft: bool
    source: str
    waived: bool = Field(description="创建办已免予佐证（理由见 waiver_reason）")
    waiver_reason: str

    @staticmethod
    def resolve_standard_codes(obj: Task) -> list[str]:
        return [s.code for s in obj.standards.all()]

    @staticmethod
    def resolve_lead_department_name(obj: Task) -> str | None:
        return obj.lead_department.name if obj.lead_department else None

    @staticmethod
    def resolve_co_department_ids(obj: Task) -> list[int]:
        return [d.pk for d in obj.co_departments.all()]

    @staticmethod
    def resolve_status_label(obj: Task) -> str:
        return obj.status_label(timezone.localdate())

    @staticmethod
    def resolve_is_overdue(obj: Task) -> bool:
        return obj.is_overdue(timezone.localdate())


class TaskIn(Input):
    campaign_id: int
    title: str = Field(max_length=column_length(Task, "title"))
    requirement: str = ""
    standard_ids: list[int] = []
    phase_id: int | None = None
    lead_department_id: int | None = None
    co_department_ids: list[int] = []
    responsible_id: int | None = None
    start_date: datetime.date | None = None
    deadline: datetime.date | None = None
    target_quantity: Decimal | None = None
    target_unit: str = Field("", max_length=column_length(Task, "target_unit"))
    recurrence: str = Field(
        "",
        max_length=column_length(Task, "recurrence"),
        description="weekly、monthly、quarterly、yearly 或 dates；不填为一次性任务",
    )
    recurrence_dates: list[datetime.date] = []
    is_draft: bool = False


class TaskPatch(Input):
    title: str | None = Field(None, max_length=column_length(Task, "title"))
    requirement: str | None = None
    standard_ids: list[int] | None = None
    phase_id: int | None = None
    lead_department_id: int | None = None
    co_department_ids: list[int] | None = None
    responsible_id: int | None = None
    start_date: datetime.date | None = None
    deadline: datetime.date | None = None
    target_quantity: Decimal | None = None
    target_unit: str | None = Field(None, max_length=column_length(Task, "target_unit"))
    recurrence: str | None = Field(None, max_length=column_length(Task, "recurrence"))
    recurrence_dates: list[datetime.date] | None = None
    is_draft: bool | None = None


class ProgressIn(Input):
    progress: int
    note: str | None = None


class WaiverIn(Input):
    reason: str = Field(max_length=column_length(Task, "waiver_reason"))


class ClaimIn(Input):
    department_id: int
    note: str = ""


class ReassignIn(Input):
    department_id: int | None = Field(
        None, description="新的牵头部门；不填则收回，开放给各部门认领"
    )
    reason: str = Field(max_length=200)


class OccurrenceIn(Input):
    done_at: datetime.date | None = Field(None, description="完成日期；不填则清除完成记录")
    note: str = Field("", max_length=1000)


class ExclusionIn(Input):
    campaign_id: int
    standard_id: int
    reason: str = Field(max_length=column_length(StandardExclusion, "reason"))


class ClaimOut(Schema):
    id: int
    task_id: int
    department_id: int
    claimed_by_id: int
    note: str
    status: str
    decision_note: str


class GenerateOut(Schema):
    created: int


class OccurrenceOut(Schema):
    id: int
    task_id: int
    sequence: int
    due: datetime.date
    done_at: datetime.date | None
    note: str


class ExclusionOut(Schema):
    campaign_id: int
    standard_id: int
    standard_code: str
    excluded: bool


def _with_related(task: Task) -> Task:
    return (
        Task.objects.select_related("lead_department")
        .prefetch_related("standards", "co_departments")
        .get(pk=task.pk)
    )


def _resolve(ids: list[int], allowed: Any, field: str, message: str) -> list[Any]:
    found = list(allowed.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise refused(field, message)
    return found


def _one(model_qs: Any, value: int | None, field: str, message: str) -> Any:
    if value is None:
        return None
    found = model_qs.filter(pk=value).first()
    if found is None:
        raise refused(field, message)
    return found


def _fields(campaign: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids into objects; an id that names nothing usable is refused by field. Whether a
    department belongs to the campaign's unit is the service's rule."""
    convert = {
        "standard_ids": lambda v: (
            "standards",
            _resolve(
                v,
                standards_needing_tasks(campaign),
                "standard_ids",
                "所选测评标准不属于本次创建工作的测评体系，请重新选择。",
            ),
        ),
        "co_department_ids": lambda v: (
            "co_departments",
            _resolve(
                v, Organization.objects.all(), "co_department_ids", "配合部门不存在，请重新选择。"
            ),
        ),
        "lead_department_id": lambda v: (
            "lead_department",
            _one(
                Organization.objects.all(),
                v,
                "lead_department_id",
                "牵头部门不存在，请重新选择。",
            ),
        ),
        "phase_id": lambda v: (
            "phase",
            _one(
                Phase.objects.filter(campaign=campaign),
                v,
                "phase_id",
                "所选阶段不属于本次创建工作，请重新选择。",
            ),
        ),
        "responsible_id": lambda v: (
            "responsible",
            _one(
                unit_people(campaign.unit),
                v,
                "responsible_id",
                f"责任人不是{campaign.unit.name}的人员，请重新选择。",
            ),
        ),
    }
    out: dict[str, Any] = {}
    for key, value in data.items():
        name, converted = convert[key](value) if key in convert else (key, value)
        out[name] = converted
    return out


# --- reading -------------------------------------------------------------------------------


@router.get("", response=list[TaskOut], summary="任务列表（不含草稿；drafts=1 时含草稿）")
@paginate(PageNumberPagination, page_size=50)
def task_list(
    request: HttpRequest,
    campaign: int | None = None,
    department: int | None = None,
    status: str | None = Query(None, description=f"{'、'.join(STATUS_FILTERS)}"),
    overdue: bool | None = None,
    drafts: bool = Query(False, description="true 时也列出草稿任务"),
) -> Any:
    # Checked here: under @paginate ninja cannot resolve a Literal annotation.
    if status and status not in STATUS_FILTERS:
        raise refused("status", f"状态只能是{'、'.join(STATUS_FILTERS)}。")
    visible = access.visible_tasks(request.user)
    qs = visible.live() if drafts else visible.counted()
    today = timezone.localdate()
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    if department is not None:
        qs = qs.filter(Q(lead_department_id=department) | Q(co_departments=department)).distinct()
    if status == "overdue" or overdue:
        qs = qs.overdue(today)
    if status and status != "overdue":
        qs = qs.filter(status=status)
    return qs.prefetch_related("standards", "co_departments").order_by("deadline", "id")


@router.get("/claims", response=list[ClaimOut], summary="待审核的认领（创建办）")
def claim_list(request: HttpRequest) -> Any:
    if not org_access.can_manage_anything(request.user):
        raise PermissionDenied("只有创建办可以审核任务认领。")
    return list(access.pending_claims(request.user))


@router.get("/{int:task_id}", response=TaskOut, summary="任务详情")
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return _with_related(access.get_task_for_user(request.user, task_id))


@router.get(
    "/{int:task_id}/occurrences", response=list[OccurrenceOut], summary="重复任务的各次完成情况"
)
def occurrence_list(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    return list(task.occurrences.order_by("sequence"))


# --- defining ------------------------------------------------------------------------------


@router.post("", response={201: TaskOut, **ERRORS}, summary="新建任务")
def task_create(request: HttpRequest, payload: TaskIn) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, payload.campaign_id)
    if not campaign_access.can_manage_campaign(request.user, campaign):
        raise PermissionDenied("只有本单位创建办可以新建任务。")
    fields = _fields(campaign, payload.dict(exclude={"campaign_id"}))
    with field_names(FIELDS):
        task = services.task_create(campaign=campaign, user=user_of(request), **fields)
    return Status(201, _with_related(task))


@router.post("/generate", response={200: GenerateOut, **ERRORS}, summary="按测评标准生成草稿任务")
def tasks_generate(request: HttpRequest, campaign: int) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign, write=True)
    return {
        "created": services.tasks_generate_from_standards(campaign=found, user=user_of(request))
    }


@router.patch("/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="修改任务")
def task_update(request: HttpRequest, task_id: int, payload: TaskPatch) -> Any:
    task = access.get_task_for_user(request.user, task_id, write=True)
    fields = _fields(task.campaign, payload.dict(exclude_unset=True))
    with field_names(FIELDS):
        services.task_update(task=task, user=user_of(request), **fields)
    return _with_related(task)


@router.delete(
    "/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="删除任务（移入回收站）"
)
def task_delete(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id, write=True)
    services.task_delete(task=task)
    return _with_related(task)


@router.post(
    "/{int:task_id}/restore", response={200: TaskOut, **ERRORS}, summary="从回收站恢复任务"
)
def task_restore(request: HttpRequest, task_id: int) -> Any:
    task = access.get_deleted_task_for_user(request.user, task_id)
    services.task_restore(task=task)
    return _with_related(task)


@router.post(
    "/{int:task_id}/reassign",
    response={200: TaskOut, **ERRORS},
    summary="调整牵头部门（须写明原因；不给部门则收回）",
)
def task_reassign(request: HttpRequest, task_id: int, payload: ReassignIn) -> Any:
    task = access.get_task_for_user(request.user, task_id, write=True)
    department = _one(
        services.unit_departments(task.campaign),
        payload.department_id,
        "department_id",
        f"所选部门不是{task.campaign.unit.name}的在用部门，请重新选择。",
    )
    with field_names(FIELDS):
        services.task_reassign(
            task=task, department=department, user=user_of(request), reason=payload.reason
        )
    return _with_related(task)


@router.post(
    "/exclusions",
    response={201: ExclusionOut, **ERRORS},
    summary="把测评标准标为本单位不适用（须写明理由）",
)
def standard_exclude(request: HttpRequest, payload: ExclusionIn) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, payload.campaign_id, write=True)
    standard = standards_needing_tasks(campaign).filter(pk=payload.standard_id).first()
    if standard is None:
        raise Http404("没有找到该测评标准。")
    services.standard_exclude(
        campaign=campaign, standard=standard, reason=payload.reason, user=user_of(request)
    )
    out = {"campaign_id": campaign.pk, "standard_id": standard.pk, "excluded": True}
    return Status(201, {**out, "standard_code": standard.code})


@router.post(
    "/exclusions/include",
    response={200: ExclusionOut, **ERRORS},
    summary="撤销不适用：该测评标准重新需要分解任务",
)
def standard_include(request: HttpRequest, campaign: int, standard: int) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign, write=True)
    node = standards_needing_tasks(found).filter(pk=standard).first()
    if node is None:
        raise Http404("没有找到该测评标准。")
    services.standard_include(campaign=found, standard=node, user=user_of(request))
    return {
        "campaign_id": found.pk,
        "standard_id": node.pk,
        "standard_code": node.code,
        "excluded": False,
    }


# --- doing ---------------------------------------------------------------------------------


@router.post("/{int:task_id}/progress", response={200: TaskOut, **ERRORS}, summary="报告进展")
def task_progress(request: HttpRequest, task_id: int, payload: ProgressIn) -> Any:
    task = access.get_task_for_user(request.user, task_id, report=True)
    with field_names(FIELDS):
        services.task_set_progress(task=task, progress=payload.progress, note=payload.note)
    return _with_related(task)


@router.post(
    "/{int:task_id}/waiver",
    response={200: TaskOut, **ERRORS},
    summary="免予佐证（创建办；须写明理由，进度100%时任务即为已完成）",
)
def task_waive(request: HttpRequest, task_id: int, payload: WaiverIn) -> Any:
    task = access.get_task_for_user(request.user, task_id, write=True)
    services.task_waive(task=task, user=user_of(request), reason=payload.reason)
    return _with_related(task)


@router.delete(
    "/{int:task_id}/waiver",
    response={200: TaskOut, **ERRORS},
    summary="撤销免予佐证（创建办）",
)
def task_unwaive(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id, write=True)
    services.task_unwaive(task=task, user=user_of(request))
    return _with_related(task)


@router.post(
    "/occurrences/{int:occurrence_id}/record",
    response={200: OccurrenceOut, **ERRORS},
    summary="记录重复任务某一次的完成情况",
)
def occurrence_record(request: HttpRequest, occurrence_id: int, payload: OccurrenceIn) -> Any:
    occurrence = get_object_or_404(Occurrence.objects.select_related("task"), pk=occurrence_id)
    occurrence.task = access.get_task_for_user(request.user, occurrence.task_id, report=True)
    services.occurrence_record(occurrence=occurrence, done_at=payload.done_at, note=payload.note)
    return occurrence


# --- claims --------------------------------------------------------------------------------


@router.post("/{int:task_id}/claim", response={201: ClaimOut, **ERRORS}, summary="认领任务")
def task_claim(request: HttpRequest, task_id: int, payload: ClaimIn) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    if not access.claimable_departments(request.user).exists():
        raise PermissionDenied("只有部门负责人可以认领任务。")
    department = _one(
        Organization.objects.all(),
        payload.department_id,
        "department_id",
        "认领部门不存在，请重新选择。",
    )
    with field_names(FIELDS):
        claim: TaskClaim = services.task_claim(
            task=task, department=department, user=user_of(request), note=payload.note
        )
    return Status(201, claim)


@router.post(
    "/claims/{int:claim_id}/approve", response={200: ClaimOut, **ERRORS}, summary="同意认领"
)
def claim_approve(request: HttpRequest, claim_id: int, note: str = "") -> Any:
    claim = access.get_claim_for_user(request.user, claim_id, write=True)
    return services.claim_approve(claim=claim, user=user_of(request), note=note)


@router.post(
    "/claims/{int:claim_id}/reject", response={200: ClaimOut, **ERRORS}, summary="退回认领"
)
def claim_reject(request: HttpRequest, claim_id: int, note: str = "") -> Any:
    claim = access.get_claim_for_user(request.user, claim_id, write=True)
    return services.claim_reject(claim=claim, user=user_of(request), note=note)


# Sub-tasks: `/tasks/{id}/subtasks` here; `/subtasks/{id}` is mounted beside this router.
router.add_router("", subtask_api.task_router)

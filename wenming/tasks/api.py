"""API routes for tasks: list, detail, create, change, progress, claims, generation.

Everything goes through `wenming.tasks.access` (404 for what the user cannot see, 403 for
what they see but may not change) and `wenming.tasks.services` (422 with the Chinese
sentence saying what to fix).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ValidationError as PydanticValidationError

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Phase
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.tasks import access, services
from wenming.tasks.coverage import standards_needing_tasks
from wenming.tasks.models import Task, TaskClaim, TaskStatus

router = Router(tags=["任务分解"])

T = TypeVar("T")


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
    status: str
    status_label: str
    is_overdue: bool
    progress: int
    progress_note: str
    is_draft: bool
    source: str

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


class TaskIn(Schema):
    campaign_id: int
    title: str
    requirement: str = ""
    standard_ids: list[int] = []
    phase_id: int | None = None
    lead_department_id: int | None = None
    co_department_ids: list[int] = []
    responsible_id: int | None = None
    start_date: datetime.date | None = None
    deadline: datetime.date | None = None
    target_quantity: Decimal | None = None
    target_unit: str = ""
    recurrence: str = ""
    recurrence_dates: list[str] = []
    is_draft: bool = False


class TaskPatch(Schema):
    title: str | None = None
    requirement: str | None = None
    standard_ids: list[int] | None = None
    phase_id: int | None = None
    lead_department_id: int | None = None
    co_department_ids: list[int] | None = None
    responsible_id: int | None = None
    start_date: datetime.date | None = None
    deadline: datetime.date | None = None
    target_quantity: Decimal | None = None
    target_unit: str | None = None
    recurrence: str | None = None
    recurrence_dates: list[str] | None = None
    is_draft: bool | None = None


class ProgressIn(Schema):
    progress: int
    note: str | None = None


class ClaimIn(Schema):
    department_id: int
    note: str = ""


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


S = TypeVar("S", bound=Schema)


def _json_body(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


def _payload(request: HttpRequest, schema: type[S]) -> S:
    """Read the body only after the access check, so that whoever may not see or change the
    task learns nothing from a validation error. JSON, or form fields for plain clients."""
    try:
        if request.content_type == "application/json":
            data = json.loads(request.body or b"{}")
        else:
            data = request.POST.dict()
        return schema.model_validate(data)
    except (ValueError, PydanticValidationError) as exc:
        fields = "、".join(schema.model_fields)
        raise HttpError(422, f"请求内容有误，请以 JSON 提交这些字段：{fields}。") from exc


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _run(call: Callable[[], T]) -> T:
    try:
        return call()
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from exc


def _with_related(task: Task) -> Task:
    return (
        Task.objects.select_related("lead_department")
        .prefetch_related("standards", "co_departments")
        .get(pk=task.pk)
    )


def _resolve(ids: list[int], allowed: Any, message: str) -> list[Any]:
    found = list(allowed.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise HttpError(422, message)
    return found


def _fields(campaign: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids into objects of the campaign's unit, or 422 saying which one is wrong."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "standard_ids":
            out["standards"] = _resolve(
                value,
                standards_needing_tasks(campaign),
                "所选测评标准不属于本次创建工作的测评体系，请重新选择。",
            )
        elif key == "co_department_ids":
            out["co_departments"] = _resolve(
                value,
                Organization.objects.all(),
                "配合部门不存在，请重新选择。",
            )
        elif key == "lead_department_id":
            out["lead_department"] = (
                None if value is None else Organization.objects.filter(pk=value).first()
            )
            if value is not None and out["lead_department"] is None:
                raise HttpError(422, "牵头部门不存在，请重新选择。")
        elif key == "phase_id":
            out["phase"] = (
                None if value is None else Phase.objects.filter(pk=value, campaign=campaign).first()
            )
            if value is not None and out["phase"] is None:
                raise HttpError(422, "所选阶段不属于本次创建工作，请重新选择。")
        elif key == "responsible_id":
            out["responsible"] = (
                None if value is None else unit_people(campaign.unit).filter(pk=value).first()
            )
            if value is not None and out["responsible"] is None:
                raise HttpError(422, f"责任人不是{campaign.unit.name}的人员，请重新选择。")
        else:
            out[key] = value
    return out


@router.get("", response=list[TaskOut], summary="任务列表")
@paginate(PageNumberPagination, page_size=50)
def task_list(
    request: HttpRequest,
    campaign: int | None = None,
    department: int | None = None,
    status: str | None = None,
    overdue: bool | None = None,
) -> Any:
    qs = (
        access.visible_tasks(request.user)
        .filter(deleted_at__isnull=True)
        .prefetch_related("standards", "co_departments")
        .order_by("deadline", "id")
    )
    today = timezone.localdate()
    late = Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    if department is not None:
        qs = qs.filter(Q(lead_department_id=department) | Q(co_departments=department)).distinct()
    if status == "overdue":
        qs = qs.filter(late)
    elif status:
        if status not in TaskStatus.values:
            raise HttpError(422, "状态只能是 not_started、in_progress、done 或 overdue。")
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(late)
    return qs


@router.post("", response={201: TaskOut}, summary="新建任务", openapi_extra=_json_body(TaskIn))
def task_create(request: HttpRequest) -> Any:
    payload = _payload(request, TaskIn)
    campaign = campaign_access.get_campaign_for_user(request.user, payload.campaign_id)
    if not campaign_access.can_manage_campaign(request.user, campaign):
        raise PermissionDenied("只有本单位创建办可以新建任务。")
    data = payload.dict()
    data.pop("campaign_id")
    fields = _fields(campaign, data)
    task = _run(lambda: services.task_create(campaign=campaign, user=_user(request), **fields))
    return Status(201, _with_related(task))


@router.post("/generate", response=GenerateOut, summary="按测评标准生成草稿任务")
def tasks_generate(request: HttpRequest, campaign: int) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign, write=True)
    return {"created": services.tasks_generate_from_standards(campaign=found, user=_user(request))}


@router.post("/claims/{claim_id}/approve", response=ClaimOut, summary="同意认领")
def claim_approve(request: HttpRequest, claim_id: int, note: str = "") -> Any:
    claim = access.get_claim_for_user(request.user, claim_id, write=True)
    return _run(lambda: services.claim_approve(claim=claim, user=_user(request), note=note))


@router.post("/claims/{claim_id}/reject", response=ClaimOut, summary="退回认领")
def claim_reject(request: HttpRequest, claim_id: int, note: str = "") -> Any:
    claim = access.get_claim_for_user(request.user, claim_id, write=True)
    return _run(lambda: services.claim_reject(claim=claim, user=_user(request), note=note))


@router.get("/{task_id}", response=TaskOut, summary="任务详情")
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return _with_related(access.get_task_for_user(request.user, task_id))


@router.patch(
    "/{task_id}", response=TaskOut, summary="修改任务", openapi_extra=_json_body(TaskPatch)
)
def task_update(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id, write=True)
    payload = _payload(request, TaskPatch)
    fields = _fields(task.campaign, payload.dict(exclude_unset=True))
    _run(lambda: services.task_update(task=task, user=_user(request), **fields))
    return _with_related(task)


@router.post(
    "/{task_id}/progress",
    response=TaskOut,
    summary="报告进展",
    openapi_extra=_json_body(ProgressIn),
)
def task_progress(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id, report=True)
    payload = _payload(request, ProgressIn)
    _run(
        lambda: services.task_set_progress(task=task, progress=payload.progress, note=payload.note)
    )
    return _with_related(task)


@router.post(
    "/{task_id}/claim",
    response={201: ClaimOut},
    summary="认领任务",
    openapi_extra=_json_body(ClaimIn),
)
def task_claim(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    if not access.claimable_departments(request.user).exists():
        raise PermissionDenied("只有部门负责人可以认领任务。")
    payload = _payload(request, ClaimIn)
    department = Organization.objects.filter(pk=payload.department_id).first()
    if department is None:
        raise HttpError(422, "认领部门不存在，请重新选择。")
    claim: TaskClaim = _run(
        lambda: services.task_claim(
            task=task, department=department, user=_user(request), note=payload.note
        )
    )
    return Status(201, claim)

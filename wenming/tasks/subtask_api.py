"""API routes for sub-tasks (子任务): a task's sub-tasks (list, split) under
`/api/v1/tasks/{id}/subtasks`, one sub-task under `/api/v1/subtasks/{id}` (read, change or
report, complete, delete, restore).

Everything goes through `wenming.tasks.access` (404 for what the user cannot reach, another
department's sub-tasks included; 403 for what they reach but may not do) and
`wenming.tasks.subtasks`, whose refusals reach the API's handler as 422 with the Chinese
sentence under the field the client sent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from wenming.core.api_input import ErrorOut, Input, column_length, field_names, refused, user_of
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.tasks import access, subtasks
from wenming.tasks.models import SubTask, Task

# Mounted on the tasks router (`/tasks/{id}/subtasks`) and at `/subtasks`.
task_router = Router(tags=["任务分解"])
router = Router(tags=["任务分解"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
FIELDS = {"department": "department_id", "assignee": "assignee_id"}
REPORT = ("achieved_quantity", "progress", "note")


class SubTaskOut(Schema):
    id: int
    task_id: int
    department_id: int
    department_name: str
    assignee_id: int
    assignee_name: str
    title: str
    target_quantity: Decimal | None
    target_unit: str
    achieved_quantity: Decimal
    deadline: datetime.date | None
    progress: int
    status: str
    status_label: str
    is_overdue: bool
    note: str
    completed_at: datetime.datetime | None
    completed_by_id: int | None

    @staticmethod
    def resolve_department_name(obj: SubTask) -> str:
        return obj.department.name

    @staticmethod
    def resolve_assignee_name(obj: SubTask) -> str:
        return subtasks.person_name(obj.assignee)

    @staticmethod
    def resolve_status_label(obj: SubTask) -> str:
        return "已逾期" if obj.is_overdue(timezone.localdate()) else obj.get_status_display()

    @staticmethod
    def resolve_is_overdue(obj: SubTask) -> bool:
        return obj.is_overdue(timezone.localdate())


class SubTaskIn(Input):
    department_id: int = Field(description="牵头部门或配合部门；只能为自己负责的部门分解")
    assignee_id: int = Field(description="本部门人员")
    title: str = Field(max_length=column_length(SubTask, "title"))
    target_quantity: Decimal | None = Field(None, description="如：2（篇）")
    target_unit: str = Field("", max_length=column_length(SubTask, "target_unit"))
    deadline: datetime.date | None = Field(None, description="不晚于任务的完成时限")


class SubTaskPatch(Input):
    """Report fields (the assignee or the head): achieved_quantity, progress, note. Change
    fields (the head or the 创建办): title, assignee_id, target_quantity, target_unit,
    deadline."""

    achieved_quantity: Decimal | None = None
    progress: int | None = Field(None, description="没有目标数量时填写；有目标数量时按完成数量计算")
    note: str | None = Field(None, max_length=subtasks.NOTE_MAX)
    title: str | None = Field(None, max_length=column_length(SubTask, "title"))
    assignee_id: int | None = None
    target_quantity: Decimal | None = None
    target_unit: str | None = Field(None, max_length=column_length(SubTask, "target_unit"))
    deadline: datetime.date | None = None


def _assignee(task: Task, value: int) -> Any:
    person = unit_people(task.campaign.unit).filter(pk=value).first()
    if person is None:
        raise refused("assignee_id", "所选人员不是本部门人员，不能分派子任务。请重新选择。")
    return person


def _fresh(subtask: SubTask) -> SubTask:
    return SubTask.objects.select_related("department", "assignee").get(pk=subtask.pk)


@task_router.get(
    "/{int:task_id}/subtasks", response=list[SubTaskOut], summary="任务的子任务（本人可见的）"
)
def subtask_list(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    return list(
        access.visible_subtasks(request.user)
        .filter(task=task)
        .select_related("department", "assignee")
        .order_by("department_id", "deadline", "id")
    )


@task_router.post(
    "/{int:task_id}/subtasks", response={201: SubTaskOut, **ERRORS}, summary="分解子任务"
)
def subtask_create(request: HttpRequest, task_id: int, payload: SubTaskIn) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    department = Organization.objects.filter(pk=payload.department_id).first()
    if department is None:
        raise refused("department_id", "部门不存在，请重新选择。")
    fields = payload.dict(exclude={"department_id", "assignee_id"})
    with field_names(FIELDS):
        subtask = subtasks.subtask_create(
            task=task,
            department=department,
            assignee=_assignee(task, payload.assignee_id),
            user=user_of(request),
            **fields,
        )
    return Status(201, _fresh(subtask))


@router.get("/{int:subtask_id}", response=SubTaskOut, summary="子任务详情")
def subtask_detail(request: HttpRequest, subtask_id: int) -> Any:
    return access.get_subtask_for_user(request.user, subtask_id)


@router.patch(
    "/{int:subtask_id}",
    response={200: SubTaskOut, **ERRORS},
    summary="填报子任务进展（责任人）或修改子任务（部门负责人）",
)
def subtask_update(request: HttpRequest, subtask_id: int, payload: SubTaskPatch) -> Any:
    data = payload.dict(exclude_unset=True)
    report = {k: v for k, v in data.items() if k in REPORT}
    changes = {k: v for k, v in data.items() if k not in REPORT}
    subtask = access.get_subtask_for_user(
        request.user, subtask_id, report=bool(report), write=bool(changes)
    )
    user = user_of(request)
    # Both kinds in one request: all of it is saved, or none.
    with field_names(FIELDS), transaction.atomic():
        if changes:
            if "assignee_id" in changes:
                changes["assignee"] = _assignee(subtask.task, changes.pop("assignee_id"))
            subtasks.subtask_update(subtask=subtask, user=user, **changes)
        if report:
            subtasks.subtask_report(subtask=subtask, user=user, **report)
    return _fresh(subtask)


@router.post(
    "/{int:subtask_id}/complete", response={200: SubTaskOut, **ERRORS}, summary="标记子任务完成"
)
def subtask_complete(request: HttpRequest, subtask_id: int) -> Any:
    subtask = access.get_subtask_for_user(request.user, subtask_id, report=True)
    subtasks.subtask_complete(subtask=subtask, user=user_of(request))
    return _fresh(subtask)


@router.delete("/{int:subtask_id}", response={200: SubTaskOut, **ERRORS}, summary="删除子任务")
def subtask_delete(request: HttpRequest, subtask_id: int) -> Any:
    subtask = access.get_subtask_for_user(request.user, subtask_id, write=True)
    subtasks.subtask_delete(subtask=subtask, user=user_of(request))
    return _fresh(subtask)


@router.post(
    "/{int:subtask_id}/restore", response={200: SubTaskOut, **ERRORS}, summary="恢复已删除的子任务"
)
def subtask_restore(request: HttpRequest, subtask_id: int) -> Any:
    subtask = access.get_subtask_for_user(request.user, subtask_id, deleted=True)
    subtasks.subtask_restore(subtask=subtask, user=user_of(request))
    return _fresh(subtask)

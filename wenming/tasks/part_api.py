"""API routes for co-operating departments' parts of a task (配合部门进展), mounted on the
task router: `/api/v1/tasks/{id}/parts` and `/api/v1/tasks/{id}/parts/{department_id}`.

Reading follows the task (whoever sees it); writing a part takes being of that
co-operating department, or the 创建办 (`access.get_part_for_user`). A co-operating
department never changes the lead's fields: the task's own routes refuse it with 403.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from wenming.core.api_input import ErrorOut, Input, user_of
from wenming.tasks import access, parts

router = Router(tags=["任务分解"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PartOut(Schema):
    task_id: int
    department_id: int
    department_name: str
    reported: bool = Field(description="false：该配合部门还未报告（未报告）")
    progress: int | None
    note: str
    completed_at: datetime.datetime | None
    updated_by_id: int | None
    updated_at: datetime.datetime | None


class PartIn(Input):
    progress: int = Field(description="本部门配合部分的进度，0到100")
    note: str | None = Field(None, max_length=parts.NOTE_MAX, description="配合情况；不填则不变")


def _out(task_id: int, row: parts.PartRow) -> dict[str, Any]:
    part = row.part
    return {
        "task_id": task_id,
        "department_id": row.department.pk,
        "department_name": row.department.name,
        "reported": part is not None,
        "progress": part.progress if part else None,
        "note": part.note if part else "",
        "completed_at": part.completed_at if part else None,
        "updated_by_id": part.updated_by_id if part else None,
        "updated_at": part.updated_at if part else None,
    }


@router.get("/{int:task_id}/parts", response=list[PartOut], summary="配合部门进展（各配合部门）")
def task_part_list(request: HttpRequest, task_id: int) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    return [_out(task.pk, row) for row in parts.part_rows(task)]


@router.get(
    "/{int:task_id}/parts/{int:department_id}",
    response={200: PartOut, **ERRORS},
    summary="某配合部门的配合进展",
)
def task_part_detail(request: HttpRequest, task_id: int, department_id: int) -> Any:
    task, department = access.get_part_for_user(request.user, task_id, department_id)
    row = next(r for r in parts.part_rows(task) if r.department.pk == department.pk)
    return _out(task.pk, row)


@router.put(
    "/{int:task_id}/parts/{int:department_id}",
    response={200: PartOut, **ERRORS},
    summary="报告本部门的配合进展（配合部门人员或创建办）",
)
def task_part_report(
    request: HttpRequest, task_id: int, department_id: int, payload: PartIn
) -> Any:
    task, department = access.get_part_for_user(request.user, task_id, department_id, write=True)
    part = parts.part_report(
        task=task,
        department=department,
        user=user_of(request),
        progress=payload.progress,
        note=payload.note,
    )
    return _out(task.pk, parts.PartRow(department=department, part=part))

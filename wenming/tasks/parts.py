"""Co-operating departments' parts of a task (配合部门进展).

A task has one lead department (牵头部门), which owns the task's fields and its progress, and
any number of co-operating departments (配合部门). Each co-operating department reports the
progress of its own part here, in its own row (`TaskPart`): it never changes the lead's
fields (`wenming.tasks.access` refuses that). Who may report a part is decided by
`access.can_report_part`; the rules here are about the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming.orgs.models import Organization
from wenming.tasks.models import Task, TaskPart, TaskQuerySet

NOTE_MAX = 2000


@dataclass(frozen=True)
class PartRow:
    """One co-operating department of a task and its part (None: nothing reported yet)."""

    department: Organization
    part: TaskPart | None

    @property
    def progress(self) -> int | None:
        return self.part.progress if self.part else None


def _clean_progress(progress: object) -> int:
    try:
        value = int(progress)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError({"progress": "进度请填写0到100之间的整数。"}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress": "进度必须在0到100之间，请修改。"})
    return value


def part_report(
    *,
    task: Task,
    department: Organization,
    user: User,
    progress: int,
    note: str | None = None,
) -> TaskPart:
    """Record a co-operating department's progress on its part of `task`.

    At 100 % the part is complete (`completed_at` set once); below, it is cleared. The
    task's own progress and status stay the lead department's.
    """
    if not task.is_counted:
        raise ValidationError("该任务是草稿或已删除，不能报告配合进展。")
    value = _clean_progress(progress)
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationError({"note": f"配合情况最多{NOTE_MAX}字，请精简后再保存。"})
    with transaction.atomic():
        # Lock the task: two people of the department saving at once write one row.
        Task.objects.select_for_update().filter(pk=task.pk).first()
        if not task.co_departments.filter(pk=department.pk).exists():
            raise ValidationError(
                {"department": f"“{department.name}”不是该任务的配合部门，不能报告配合进展。"}
            )
        part = TaskPart.objects.filter(task=task, department=department).first()
        if part is None:
            part = TaskPart(task=task, department=department)
        part.department = department  # named in the trace
        part.progress = value
        if note is not None:
            part.note = text
        part.completed_at = (part.completed_at or timezone.now()) if value >= 100 else None
        part.updated_by = user
        part.save()
    return part


def part_rows(task: Task) -> list[PartRow]:
    """Every co-operating department of the task with its part, in the tree's order (two
    queries)."""
    parts = {
        p.department_id: p
        for p in TaskPart.objects.filter(task=task).select_related("updated_by", "department")
    }
    departments = task.co_departments.order_by("path")
    return [PartRow(department=d, part=parts.get(d.pk)) for d in departments]


def cooperating_tasks(tasks: TaskQuerySet, department_ids: Iterable[int]) -> TaskQuerySet:
    """Of `tasks`, those that any of `department_ids` co-operates on (配合)."""
    return tasks.filter(co_departments__in=list(department_ids)).distinct()


def parts_by_task(
    task_ids: Iterable[int], department_ids: Iterable[int]
) -> dict[int, list[TaskPart]]:
    """The reported parts of these departments on these tasks, per task (one query)."""
    found: dict[int, list[TaskPart]] = {}
    for part in TaskPart.objects.filter(
        task_id__in=list(task_ids), department_id__in=list(department_ids)
    ).select_related("department"):
        found.setdefault(part.task_id, []).append(part)
    return found


def part_is_late(task: Task, progress: int, today: datetime.date) -> bool:
    """A co-operating part short of 100 % when the task's deadline has passed."""
    return task.deadline is not None and task.deadline < today and progress < 100

"""Writes for sub-tasks (子任务): a task split down to the person (再分解、落实到个人).

A department's head splits its part of a task into sub-tasks for the department's people,
each with a target (e.g. "撰写心得体会 2 篇"), a deadline and progress; the person records the
amount achieved and completes it. The task's progress is the mean progress of the live
sub-tasks of its lead department (`roll_up`), applied through `task_set_progress` so the
task's own rules (待佐证 until proven) hold. Sub-tasks are not tasks: they are in no task count.

Every function takes keyword-only arguments, runs in one transaction and raises
`ValidationError` with Chinese sentences by field. Who may split a task for which department
is decided in `wenming.tasks.access` and checked here too (`PermissionDenied`), since the
department is part of the input.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wenming import trace
from wenming.core.points import fmt_points
from wenming.orgs.access import DEPARTMENT_ROLES
from wenming.orgs.models import Membership, Organization
from wenming.tasks import access
from wenming.tasks.models import SubTask, Task, TaskStatus
from wenming.tasks.services import task_set_progress

TITLE_MAX = 200
NOTE_MAX = 1000
EDITABLE = ("title", "assignee", "target_quantity", "target_unit", "deadline")


def person_name(user: User | None) -> str:
    if user is None:
        return "他人"
    return user.get_full_name() or user.username


def department_people(departments: list[Organization]) -> Any:
    """Active people of these departments (部门负责人 and 经办人), for choosing an assignee."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization__in=departments,
            memberships__is_active=True,
            memberships__role__in=DEPARTMENT_ROLES,
        )
        .distinct()
        .order_by("id")
    )


def _quantity(value: Any, field: str, label: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[field] = f"{label}请填写数字。"
        return None
    if not number.is_finite() or number < 0:
        errors[field] = f"{label}不能小于0，请修改。"
        return None
    if number >= Decimal("100000000"):
        errors[field] = f"{label}过大，请修改。"
        return None
    return number


def _check_deadline(task: Task, deadline: datetime.date | None, errors: dict[str, str]) -> None:
    if deadline is None:
        return
    campaign = task.campaign
    if not campaign.cycle_start <= deadline <= campaign.cycle_end:
        errors["deadline"] = (
            f"子任务时限必须在创建周期（{campaign.cycle_start:%Y-%m-%d}至"
            f"{campaign.cycle_end:%Y-%m-%d}）之内，请修改。"
        )
    elif task.deadline is not None and deadline > task.deadline:
        errors["deadline"] = (
            f"子任务时限不能晚于任务的完成时限（{task.deadline:%Y-%m-%d}），请提前子任务时限。"
        )


def _counts_toward(task: Task, department_id: int, unit: str, target: Decimal | None) -> bool:
    """A sub-task's target counts against the task's own when it is the lead department's,
    and in the task's unit (or with no unit of its own)."""
    return (
        target is not None
        and task.target_quantity is not None
        and department_id == task.lead_department_id
        and unit in ("", task.target_unit)
    )


def _check_total(task: Task, subtask: SubTask, errors: dict[str, str]) -> None:
    """The lead department's live sub-task targets must not add up past the task's target."""
    if not _counts_toward(
        task, subtask.department_id, subtask.target_unit, subtask.target_quantity
    ):
        return
    others = SubTask.objects.live().filter(task=task, department_id=task.lead_department_id)
    if subtask.pk:
        others = others.exclude(pk=subtask.pk)
    total = subtask.target_quantity or Decimal(0)
    for target, unit in others.values_list("target_quantity", "target_unit"):
        if target is not None and _counts_toward(task, task.lead_department_id or 0, unit, target):
            total += target
    limit = task.target_quantity or Decimal(0)
    if total > limit:
        unit = task.target_unit
        errors["target_quantity"] = (
            (
                f"子任务目标合计 {fmt_points(total)} {unit}，超过任务目标 {fmt_points(limit)} {unit}。"
                "请调低目标数量。"
            )
            .replace(" ，", "，")
            .replace(" 。", "。")
        )


def _check(task: Task, subtask: SubTask) -> None:
    """Every rule on a sub-task's own fields; raises one ValidationError with them all."""
    errors: dict[str, str] = {}
    subtask.title = (subtask.title or "").strip()
    subtask.target_unit = (subtask.target_unit or "").strip()
    if not subtask.title:
        errors["title"] = "请填写子任务内容，如：撰写心得体会。"
    elif len(subtask.title) > TITLE_MAX:
        errors["title"] = f"子任务内容不能超过{TITLE_MAX}个字，请精简。"
    if len(subtask.target_unit) > 20:
        errors["target_unit"] = "单位不能超过20个字，如：篇、次、人。"
    assignee = subtask.assignee
    department = subtask.department
    is_member = Membership.objects.filter(
        user=assignee,
        user__is_active=True,
        organization=department,
        is_active=True,
        role__in=DEPARTMENT_ROLES,
    ).exists()
    if not is_member:
        errors["assignee"] = (
            f"{person_name(assignee)}不是本部门人员，不能分派子任务。"
            f"请从“{department.name}”的人员中选择。"
        )
    _check_deadline(task, subtask.deadline, errors)
    if "target_quantity" not in errors:
        _check_total(task, subtask, errors)
    if errors:
        raise ValidationError(errors)


def _locked_task(task_id: int) -> Task:
    """The task, locked so that two heads splitting it at once are checked one after the
    other (a no-op on SQLite, where writes are serialized anyway)."""
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("campaign", "lead_department")
        .get(pk=task_id)
    )


def roll_up(*, task: Task) -> Task:
    """The task's progress becomes the mean progress (rounded down) of the live sub-tasks of
    its lead department; with none, the task's progress is left as it was."""
    progress = list(
        SubTask.objects.live()
        .filter(task=task, department_id=task.lead_department_id)
        .values_list("progress", flat=True)
    )
    if not progress or task.lead_department_id is None:
        return task
    mean = sum(progress) // len(progress)
    if mean != task.progress:
        task_set_progress(task=task, progress=mean)
    return task


def subtask_create(
    *,
    task: Task,
    department: Organization,
    assignee: User,
    title: str,
    target_quantity: Any = None,
    target_unit: str = "",
    deadline: datetime.date | None = None,
    user: User,
) -> SubTask:
    if task.is_draft:
        raise ValidationError("该任务还是草稿，创建办确认后才能分解子任务。")
    if not any(d.pk == department.pk for d in access.splittable_departments(user, task)):
        if department.pk not in {d.pk for d in access.task_departments(task)}:
            raise ValidationError(
                {"department": f"“{department.name}”不是该任务的牵头部门或配合部门。"}
            )
        raise PermissionDenied(f"只有“{department.name}”的负责人或创建办可以为该部门分解子任务。")
    errors: dict[str, str] = {}
    target = _quantity(target_quantity, "target_quantity", "目标数量", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_task(task.pk)
        subtask = SubTask(
            task=locked,
            department=department,
            assignee=assignee,
            title=title,
            target_quantity=target,
            target_unit=target_unit or "",
            deadline=deadline,
            created_by=user,
        )
        _check(locked, subtask)
        subtask.save()
        roll_up(task=locked)
    task.progress, task.status = locked.progress, locked.status
    return subtask


def subtask_update(*, subtask: SubTask, user: User, **changes: Any) -> SubTask:
    """Change any of EDITABLE; the department stays (a sub-task is one department's part)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"subtask_update: unknown fields {sorted(unknown)}")
    errors: dict[str, str] = {}
    if "target_quantity" in changes:
        changes["target_quantity"] = _quantity(
            changes["target_quantity"], "target_quantity", "目标数量", errors
        )
    if errors:
        raise ValidationError(errors)
    if subtask.status == TaskStatus.DONE and "target_quantity" in changes:
        raise ValidationError({"target_quantity": "该子任务已完成，不能再修改目标数量。"})
    with transaction.atomic():
        locked = _locked_task(subtask.task_id)
        for name, value in changes.items():
            setattr(subtask, name, "" if name == "target_unit" and value is None else value)
        _check(locked, subtask)
        if "target_quantity" in changes and subtask.target_quantity:
            subtask.progress = _progress_of(subtask.achieved_quantity, subtask.target_quantity)
            subtask.status = _open_status(subtask.progress)
        subtask.save()
        roll_up(task=locked)
    subtask.task = locked
    return subtask


def _progress_of(achieved: Decimal, target: Decimal) -> int:
    if target <= 0:
        return 100 if achieved > 0 else 0
    share = (achieved * 100 / target).to_integral_value(rounding=ROUND_FLOOR)
    return int(min(Decimal(100), share))


def _open_status(progress: int) -> str:
    return TaskStatus.NOT_STARTED if progress <= 0 else TaskStatus.IN_PROGRESS


def _refuse_if_done(subtask: SubTask) -> None:
    if subtask.status == TaskStatus.DONE:
        when = timezone.localtime(subtask.completed_at) if subtask.completed_at else None
        raise ValidationError(
            f"该子任务已由{person_name(subtask.completed_by)}"
            f"{f'于{when:%H:%M}' if when else ''}完成，不能再修改进展。"
        )


def subtask_report(
    *,
    subtask: SubTask,
    user: User,
    achieved_quantity: Any = None,
    progress: Any = None,
    note: str | None = None,
) -> SubTask:
    """Record what is done: the amount achieved (progress then follows the target, capped at
    100 %), or, for a sub-task without a target, the progress itself."""
    errors: dict[str, str] = {}
    achieved = _quantity(achieved_quantity, "achieved_quantity", "已完成数量", errors)
    value: int | None = None
    if progress is not None and progress != "":
        try:
            value = int(progress)
        except (TypeError, ValueError):
            errors["progress"] = "进度请填写0到100之间的整数。"
        else:
            if not 0 <= value <= 100:
                errors["progress"] = "进度必须在0到100之间，请修改。"
    if note is not None and len(note.strip()) > NOTE_MAX:
        errors["note"] = f"进展情况不能超过{NOTE_MAX}个字，请精简。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_task(subtask.task_id)
        current = SubTask.objects.select_for_update(of=("self",)).select_related("completed_by")
        fresh = current.get(pk=subtask.pk)
        _refuse_if_done(fresh)
        if achieved is not None:
            subtask.achieved_quantity = achieved
        if subtask.target_quantity:
            subtask.progress = _progress_of(subtask.achieved_quantity, subtask.target_quantity)
        elif value is not None:
            subtask.progress = value
        subtask.status = _open_status(subtask.progress)
        fields = ["achieved_quantity", "progress", "status", "updated_at"]
        if note is not None:
            subtask.note = note.strip()
            fields.append("note")
        subtask.save(update_fields=fields)
        roll_up(task=locked)
    subtask.task = locked
    return subtask


def subtask_complete(*, subtask: SubTask, user: User) -> SubTask:
    """Mark done. Two people completing it at once: the first wins, the second is told who
    completed it and when, and nothing changes (a row lock on PostgreSQL, and an UPDATE that
    only touches a sub-task not yet done, which holds on SQLite too)."""
    with transaction.atomic():
        locked = _locked_task(subtask.task_id)
        rows = SubTask.objects.select_for_update(of=("self",)).select_related("completed_by")
        fresh = rows.get(pk=subtask.pk)
        if fresh.deleted_at is not None:
            raise ValidationError("该子任务已被删除，不能标记完成。")
        _refuse_if_done(fresh)
        target = fresh.target_quantity
        if target and fresh.achieved_quantity < target:
            raise ValidationError(
                {
                    "achieved_quantity": (
                        f"已完成数量（{fmt_points(fresh.achieved_quantity)}{fresh.target_unit}）"
                        f"还没有达到目标（{fmt_points(target)}{fresh.target_unit}），"
                        "请先填写已完成数量再标记完成。"
                    )
                }
            )
        done = {
            "status": TaskStatus.DONE,
            "progress": 100,
            "completed_at": timezone.now(),
            "completed_by": user,
        }
        changed = (
            SubTask.objects.filter(pk=subtask.pk, deleted_at__isnull=True)
            .exclude(status=TaskStatus.DONE)
            .update(**done, updated_at=done["completed_at"])
        )
        if not changed:
            _refuse_if_done(rows.get(pk=subtask.pk))
            raise ValidationError("该子任务已被删除，不能标记完成。")
        trace.record_update(fresh, **done)
        for name, value in done.items():
            setattr(subtask, name, value)
        roll_up(task=locked)
    subtask.task = locked
    return subtask


def subtask_delete(*, subtask: SubTask, user: User) -> SubTask:
    if subtask.deleted_at is not None:
        raise ValidationError("该子任务已经删除。")
    with transaction.atomic():
        locked = _locked_task(subtask.task_id)
        subtask.deleted_at = timezone.now()
        subtask.save(update_fields=["deleted_at", "updated_at"])
        roll_up(task=locked)
    subtask.task = locked
    return subtask


def subtask_restore(*, subtask: SubTask, user: User) -> SubTask:
    """Back from deletion, under the same rules as a new one (its target may no longer fit,
    its person may have left the department)."""
    if subtask.deleted_at is None:
        raise ValidationError("该子任务没有被删除，无需恢复。")
    with transaction.atomic():
        locked = _locked_task(subtask.task_id)
        subtask.deleted_at = None
        _check(locked, subtask)
        subtask.save(update_fields=["deleted_at", "updated_at"])
        roll_up(task=locked)
    subtask.task = locked
    return subtask

"""Screens for sub-tasks (子任务): the 子任务 part of a task's page, splitting a task, one
sub-task's page (built for a phone: the person records the amount done and completes it),
and the person's own sub-tasks in 我的任务.

Every object is fetched through `wenming.tasks.access`; every write goes through
`wenming.tasks.subtasks`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.forms import StyledFormMixin
from wenming.core.points import fmt_points
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.tasks import access, subtasks
from wenming.tasks.forms import DATE, PersonChoiceField, ServiceErrorsMixin
from wenming.tasks.models import OVERDUE_LABEL, SubTask, Task, TaskStatus

MINE_LIMIT = 200


class SubTaskForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Split (or change) a sub-task; the department is chosen only when there are several."""

    department = forms.ModelChoiceField(
        label="部门",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "请选择部门。",
            "invalid_choice": "请从列表中重新选择部门。",
        },
    )
    assignee = PersonChoiceField(
        label="责任人",
        queryset=subtasks.department_people([]),
        error_messages={
            "required": "请选择责任人。",
            "invalid_choice": "所选人员不是本部门人员，不能分派子任务。请重新选择。",
        },
    )
    title = forms.CharField(
        label="子任务",
        max_length=subtasks.TITLE_MAX,
        error_messages={"required": "请填写子任务内容，如：撰写心得体会。"},
        widget=forms.TextInput(attrs={"placeholder": "如：撰写心得体会"}),
    )
    target_quantity = forms.DecimalField(
        label="目标数量",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "目标数量请填写数字。", "min_value": "目标数量不能小于0。"},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    target_unit = forms.CharField(
        label="单位",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "如：篇、次、人"}),
    )
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        widget=DATE,
        error_messages={"invalid": "完成时限格式不正确，请按 2026-05-20 的格式填写。"},
    )

    def __init__(self, *args: Any, departments: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.queryset = Organization.objects.filter(pk__in=[d.pk for d in departments])
        # Shown from the list the caller has; the queryset only checks what is sent.
        field.widget.choices = [("", "---------"), *((d.pk, d.name) for d in departments)]
        if len(departments) == 1:
            field.initial = departments[0].pk
            field.widget = forms.HiddenInput()
        people: Any = self.fields["assignee"]
        people.queryset = subtasks.department_people(departments)


class SubTaskEditForm(SubTaskForm):
    def __init__(self, *args: Any, subtask: SubTask, **kwargs: Any) -> None:
        super().__init__(*args, departments=[subtask.department], **kwargs)
        del self.fields["department"]


class ReportForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    achieved_quantity = forms.DecimalField(
        label="已完成数量",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "已完成数量请填写数字。", "min_value": "已完成数量不能小于0。"},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    progress = forms.IntegerField(
        label="进度（%）",
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": "进度请填写0到100之间的整数。",
            "min_value": "进度必须在0到100之间。",
            "max_value": "进度必须在0到100之间。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label="进展情况",
        required=False,
        max_length=subtasks.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "做了什么，如：已提交第一篇"}),
    )


def _errors(form: forms.Form) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


def decorate(rows: Iterable[SubTask], today: datetime.date) -> list[SubTask]:
    """Attach what the templates show (`_status.html`, `_progress.html`); no queries."""
    out = list(rows)
    for s in out:
        s.is_late = s.is_overdue(today)  # type: ignore[attr-defined]
        s.label = OVERDUE_LABEL if s.is_late else s.get_status_display()  # type: ignore[attr-defined]
    return out


def detail_context(user: Any, task: Task) -> dict[str, Any]:
    """The 子任务 part of a task's page: the sub-tasks the user reaches (and the deleted ones of
    the departments they may split for), the split form, and whether the task's progress
    rolls up from its sub-tasks. Three queries whatever the number of sub-tasks."""
    today = timezone.localdate()
    departments = access.splittable_departments(user, task)
    rows = list(
        access.reachable_subtasks(
            user,
            SubTask.objects.filter(task=task).filter(
                Q(deleted_at__isnull=True) | Q(department__in=[d.pk for d in departments])
            ),
        )
        .select_related("department", "assignee")
        .order_by("department_id", "deadline", "id")
    )
    live = decorate([s for s in rows if s.deleted_at is None], today)
    lead = task.lead_department_id
    if lead is None:
        rolled_up = False
    elif access.reaches_department_subtasks(user, task, lead):
        rolled_up = any(s.department_id == lead for s in live)
    else:
        rolled_up = SubTask.objects.live().filter(task=task, department_id=lead).exists()
    form = None
    if departments:
        form = SubTaskForm(departments=departments, initial={"deadline": task.deadline})
    return {
        "subtasks": live,
        "subtask_form": form,
        "subtasks_rolled_up": rolled_up,
        "deleted_subtasks": [s for s in rows if s.deleted_at is not None],
    }


def mine(user: Any, today: datetime.date) -> list[SubTask]:
    """The person's own open sub-tasks of counted tasks, overdue first (earliest deadline)."""
    qs = (
        access.visible_subtasks(user)
        .filter(assignee=user, task__is_draft=False)
        .exclude(status=TaskStatus.DONE)
        .select_related("task", "department")
        .order_by("deadline", "id")
    )
    rows = decorate(qs[:MINE_LIMIT], today)
    return sorted(rows, key=lambda s: not s.is_late)  # type: ignore[attr-defined]


# --- splitting -------------------------------------------------------------------------------


@login_required
def subtask_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    departments = access.splittable_departments(request.user, task)
    if not departments:
        raise PermissionDenied("只有牵头部门、配合部门的负责人或创建办可以分解子任务。")
    form = SubTaskForm(
        request.POST or None, departments=departments, initial={"deadline": task.deadline}
    )
    if request.method == "POST" and form.is_valid():
        try:
            subtask = subtasks.subtask_create(task=task, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已把“{subtask.title}”分派给{subtasks.person_name(subtask.assignee)}。",
            )
            return redirect(f"{reverse('tasks:detail', args=[task.pk])}#subtasks")
    return render(
        request,
        "tasks/subtask_form.html",
        {
            "form": form,
            "task": task,
            "title": "分解子任务",
            "submit_label": "分派",
            "cancel_url": reverse("tasks:detail", args=[task.pk]),
            "crumbs": [(task.title, reverse("tasks:detail", args=[task.pk])), ("分解子任务", None)],
        },
    )


@login_required
def subtask_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subtask = access.get_subtask_for_user(request.user, pk, write=True)
    initial = {name: getattr(subtask, name) for name in subtasks.EDITABLE}
    if subtask.target_quantity is not None:
        initial["target_quantity"] = fmt_points(subtask.target_quantity)
    form = SubTaskEditForm(request.POST or None, subtask=subtask, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            subtasks.subtask_update(subtask=subtask, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存子任务。")
            return redirect("tasks:subtask", pk=subtask.pk)
    return render(
        request,
        "tasks/subtask_form.html",
        {
            "form": form,
            "task": subtask.task,
            "subtask": subtask,
            "title": f"修改子任务：{subtask.title}",
            "submit_label": "保存",
            "cancel_url": reverse("tasks:subtask", args=[subtask.pk]),
            "crumbs": [
                (subtask.task.title, reverse("tasks:detail", args=[subtask.task_id])),
                ("修改子任务", None),
            ],
        },
    )


@login_required
@require_POST
def subtask_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subtask = access.get_subtask_for_user(request.user, pk, write=True)
    subtasks.subtask_delete(subtask=subtask, user=request.user)
    messages.success(request, f"已删除子任务“{subtask.title}”，可在任务页面恢复。")
    return redirect(f"{reverse('tasks:detail', args=[subtask.task_id])}#subtasks")


@login_required
@require_POST
def subtask_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subtask = access.get_subtask_for_user(request.user, pk, deleted=True)
    try:
        subtasks.subtask_restore(subtask=subtask, user=request.user)
    except ValidationError as exc:
        messages.error(request, f"不能恢复“{subtask.title}”：{'；'.join(exc.messages)}")
    else:
        messages.success(request, f"已恢复子任务“{subtask.title}”。")
    return redirect(f"{reverse('tasks:detail', args=[subtask.task_id])}#subtasks")


# --- one sub-task: the person's page ---------------------------------------------------------


@login_required
def subtask_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subtask = access.get_subtask_for_user(request.user, pk)
    return _detail_page(request, subtask, None)


def _detail_page(
    request: AuthenticatedHttpRequest, subtask: SubTask, form: ReportForm | None
) -> HttpResponse:
    user = request.user
    decorate([subtask], timezone.localdate())
    can_report = access.can_report_subtask(user, subtask)
    if form is None and can_report:
        form = ReportForm(
            initial={
                "achieved_quantity": fmt_points(subtask.achieved_quantity),
                "progress": subtask.progress,
                "note": subtask.note,
            }
        )
    return render(
        request,
        "tasks/subtask_detail.html",
        {
            "s": subtask,
            "task": subtask.task,
            "form": form if can_report else None,
            "can_report": can_report,
            "can_manage": access.can_manage_subtask(user, subtask),
            "completed_by": subtasks.person_name(subtask.completed_by)
            if subtask.completed_by_id
            else "",
            "crumbs": [
                (subtask.task.title, reverse("tasks:detail", args=[subtask.task_id])),
                (subtask.title, None),
            ],
        },
    )


@login_required
@require_POST
def subtask_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subtask = access.get_subtask_for_user(request.user, pk, report=True)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            subtasks.subtask_report(subtask=subtask, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已保存进展：{subtask.progress}%。")
            return redirect("tasks:subtask", pk=subtask.pk)
    return _detail_page(request, subtask, form)


@login_required
@require_POST
def subtask_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subtask = access.get_subtask_for_user(request.user, pk, report=True)
    try:
        subtasks.subtask_complete(subtask=subtask, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已标记完成“{subtask.title}”。")
    return redirect("tasks:subtask", pk=subtask.pk)

"""Screens for co-operating departments' parts of a task (配合部门进展).

The task's page lists each co-operating department's part and, for that department's people
(and the 创建办), a small form to report it; a department's board and 我的任务 list the tasks
it co-operates on, marked 配合, with its part's progress. Access is `wenming.tasks.access`,
writes `wenming.tasks.parts`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.tasks import access, parts
from wenming.tasks.models import Task, TaskQuerySet

# How many co-operated tasks a board or 我的任务 lists (the rest through the task table's
# department filter).
COOPERATING_LIMIT = 100


class PartForm(forms.Form):
    progress = forms.IntegerField(
        label="配合进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写配合进度（0到100之间的整数）。",
            "invalid": "配合进度请填写0到100之间的整数。",
            "min_value": "配合进度不能小于0。",
            "max_value": "配合进度不能大于100。",
        },
    )
    note = forms.CharField(
        label="配合情况",
        required=False,
        max_length=parts.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"配合情况最多{parts.NOTE_MAX}字，请精简后再保存。"},
    )


def detail_parts(user: Any, task: Task) -> dict[str, Any]:
    """The task page's 配合部门进展: every co-operating department's part, with the form for
    those the user may report (two queries, none when the task has no co-department)."""
    # One read of the co-departments, shared by every access check below.
    prefetch_related_objects([task], "co_departments")
    if not task.co_departments.all():
        return {"part_rows": []}
    rows = []
    for row in parts.part_rows(task):
        can = access.can_report_part(user, task, row.department)
        initial = {"progress": row.part.progress, "note": row.part.note} if row.part else {}
        rows.append(
            {
                "department": row.department,
                "part": row.part,
                "form": PartForm(initial=initial, prefix=f"p{row.department.pk}") if can else None,
            }
        )
    return {"part_rows": rows}


def cooperating_rows(
    tasks: TaskQuerySet, department_ids: Iterable[int], today: datetime.date
) -> list[dict[str, Any]]:
    """Counted tasks these departments co-operate on (配合), each with their parts (a
    department that has not reported counts at 0 %); three queries whatever the number."""
    ids = set(department_ids)
    if not ids:
        return []
    listed = list(
        parts.cooperating_tasks(tasks.counted(), ids)
        .select_related("campaign", "lead_department")
        .prefetch_related(Prefetch("co_departments", queryset=Organization.objects.only("id")))
        .order_by("deadline", "id")[:COOPERATING_LIMIT]
    )
    found = parts.parts_by_task([t.pk for t in listed], ids)
    rows = []
    for task in listed:
        by_department = {p.department_id: p for p in found.get(task.pk, [])}
        mine = [d.pk for d in task.co_departments.all() if d.pk in ids]
        progress = min(
            (by_department[d].progress if d in by_department else 0 for d in mine), default=0
        )
        rows.append(
            {
                "task": task,
                "parts": list(by_department.values()),
                "progress": progress,
                "late": parts.part_is_late(task, progress, today),
            }
        )
    return rows


@login_required
@require_POST
def part_report(request: AuthenticatedHttpRequest, pk: int, dept_pk: int) -> HttpResponse:
    task, department = access.get_part_for_user(request.user, pk, dept_pk, write=True)
    form = PartForm(request.POST, prefix=f"p{department.pk}")
    if form.is_valid():
        try:
            part = parts.part_report(
                task=task,
                department=department,
                user=request.user,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已保存{department.name}的配合进展：{part.progress}%。")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('tasks:detail', args=[task.pk])}#parts")

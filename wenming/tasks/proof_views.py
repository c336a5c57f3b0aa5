"""A task's proof on its page: which standards are not yet 已完备 (待佐证), and the 创建办's
waiver (免予佐证, with its reason) and its undoing (see `docs/tasks.md`, "Proven, not just
reported").

The ledger says what is missing through the `tasks.proof_gaps` extension point: a function
`(campaign, task)` returning, for each of the task's standards not yet 已完备, a dict with
`node`, `label` (its ledger state), `css`, `needs` (what is missing) and `url` (its
evidence in the ledger).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from wenming.core import registry
from wenming.http import AuthenticatedHttpRequest
from wenming.tasks import access, services
from wenming.tasks.models import Task, TaskStatus


def detail_context(user: Any, task: Task) -> dict[str, Any]:
    """What the task's page shows about its proof."""
    gaps: list[dict[str, Any]] = []
    if task.status == TaskStatus.UNPROVEN:
        for find in registry.extensions("tasks.proof_gaps"):
            gaps.extend(find(task.campaign, task))
    return {
        "proof_gaps": gaps,
        "can_waive": task.is_counted and access.can_manage_task(user, task),
        "waiver_max": services.WAIVER_REASON_MAX,
    }


def _message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
@require_POST
def task_waive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    try:
        services.task_waive(task=task, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request, f"已免予佐证，任务现为“{task.get_status_display()}”。理由已留档。"
        )
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def task_unwaive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    try:
        services.task_unwaive(task=task, user=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, f"已撤销免予佐证，任务现为“{task.get_status_display()}”。")
    return redirect("tasks:detail", pk=task.pk)

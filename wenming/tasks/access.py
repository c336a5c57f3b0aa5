"""Who may see, change and report on tasks, claims and weekly reports.

Tasks follow their campaign, and the people of a task's lead department report its progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from wenming.campaigns.models import Campaign
from wenming.orgs.access import (
    path_q,
    scope_for,
)
from wenming.orgs.models import Organization, Role
from wenming.tasks.models import ClaimStatus, Task, TaskClaim, TaskQuerySet
from wenming.trace.access import managed_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def visible_tasks(user: User | AnonymousUser) -> TaskQuerySet:
    scope = scope_for(user)
    qs = Task.objects.select_related("campaign__unit", "lead_department", "responsible", "phase")
    if scope.is_superuser:
        return qs
    return qs.filter(path_q(scope.view_paths, "campaign__unit__path"))


def campaign_tasks(campaign: Campaign) -> TaskQuerySet:
    """The live tasks of a campaign fetched through `get_campaign_for_user`.

    A campaign's tasks are visible exactly when the campaign is, so no second path check is
    needed; that lets the database read them in deadline order straight from its index.
    """
    return (
        Task.objects.live()
        .filter(campaign=campaign)
        .select_related("campaign", "lead_department", "responsible", "phase")
    )


def can_manage_task(user: User | AnonymousUser, task: Task) -> bool:
    """Define, assign, approve claims, delete: the unit's 创建办 (and the office above)."""
    return scope_for(user).can_manage_path(task.campaign.unit.path)


def can_report_task(user: User | AnonymousUser, task: Task) -> bool:
    """Report progress: the managers, and the people of the task's lead department."""
    if can_manage_task(user, task):
        return True
    return task.lead_department_id in scope_for(user).department_write_ids


def get_task_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False, report: bool = False
) -> Task:
    """`write`: change the task itself; `report`: change its progress."""
    task = visible_tasks(user).live().filter(pk=pk).first()
    if task is None:
        raise Http404("没有找到该任务，或您无权查看。")
    if write and not can_manage_task(user, task):
        raise PermissionDenied("只有本单位创建办可以修改任务的内容、牵头部门和时限。")
    if report and not can_report_task(user, task):
        raise PermissionDenied("只有牵头部门的人员可以报告该任务的进展。")
    return task


def claimable_departments(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Departments in whose name the user may claim tasks: those they head."""
    scope = scope_for(user)
    ids = [m.organization_id for m in scope.memberships if m.role == Role.DEPT_HEAD]
    return Organization.objects.filter(pk__in=ids, is_active=True)


def reporting_departments(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Departments whose weekly report the user may write: their own departments."""
    return Organization.objects.filter(pk__in=scope_for(user).department_write_ids, is_active=True)


def can_report_for_department(user: User | AnonymousUser, department: Organization) -> bool:
    scope = scope_for(user)
    return department.pk in scope.department_write_ids or scope.can_manage_path(department.path)


# --- weekly progress reports ---------------------------------------------------------------
#
# A department's weekly report is read by everyone who sees the campaign, and written by the
# department's own people and the campaign's managers (`can_report_for_department`).


def get_report_department_for_user(
    user: User | AnonymousUser, campaign: Campaign, pk: int | str, *, write: bool = False
) -> Organization:
    """A department of the campaign's unit whose weekly report the user reads (or writes)."""
    department = Organization.objects.departments_of(campaign.unit).filter(pk=pk).first()
    if department is None:
        raise Http404("没有找到该部门，或该部门不属于本单位。")
    if write and not can_report_for_department(user, department):
        raise PermissionDenied("只有本部门人员或创建办可以填报该部门的周报。")
    return department


def get_deleted_task_for_user(user: User | AnonymousUser, pk: int | str) -> Task:
    """A task in the recycle bin: only those who manage it see it there and restore it."""
    task = visible_tasks(user).in_bin().filter(pk=pk).first()
    if task is None:
        raise Http404("回收站中没有找到该任务，或您无权查看。")
    if not can_manage_task(user, task):
        raise PermissionDenied("只有本单位创建办可以恢复已删除的任务。")
    return task


def get_claim_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> TaskClaim:
    """A claim follows its task; `write` (approve or reject) takes managing the task."""
    claim = (
        TaskClaim.objects.select_related(
            "task__campaign__unit", "task__lead_department", "department", "claimed_by"
        )
        .filter(pk=pk, task__in=visible_tasks(user).live())
        .first()
    )
    if claim is None:
        raise Http404("没有找到该认领申请，或您无权查看。")
    if write and not can_manage_task(user, claim.task):
        raise PermissionDenied("只有本单位创建办可以审核任务认领。")
    return claim


def pending_claims(user: User | AnonymousUser) -> QuerySet[TaskClaim]:
    """The claims waiting for this user's decision: pending, on live tasks they manage."""
    manageable = [
        t.pk
        for t in visible_tasks(user).live().filter(claims__status=ClaimStatus.PENDING).distinct()
        if can_manage_task(user, t)
    ]
    return (
        TaskClaim.objects.filter(task_id__in=manageable, status=ClaimStatus.PENDING)
        .select_related("task__campaign", "department", "claimed_by")
        .order_by("created_at", "id")
    )


def get_task_for_history(user: User | AnonymousUser, pk: int | str) -> Any:
    try:
        return get_task_for_user(user, pk)
    except Http404:
        return managed_or_404(get_deleted_task_for_user, user, pk)

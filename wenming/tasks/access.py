"""Who may see, change and report on tasks, claims and weekly reports.

Tasks follow their campaign, and the people of a task's lead department report its progress.
Tasks, claims and weekly reports are the unit's own work: its 创建办 manages them; the office
admin above reads them but changes none (`can_manage_work`, `work_refusal`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.campaigns.models import Campaign
from wenming.orgs.access import (
    path_q,
    scope_for,
    unit_wide_paths,
    work_refusal,
)
from wenming.orgs.models import Organization, Role
from wenming.tasks.models import (
    ClaimStatus,
    SubTask,
    SubTaskQuerySet,
    Task,
    TaskClaim,
    TaskQuerySet,
)
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
    """Define, assign, approve claims, delete: the unit's 创建办 (the office above reads)."""
    return scope_for(user).can_manage_work(task.campaign.unit.path)


def can_report_task(user: User | AnonymousUser, task: Task) -> bool:
    """Report progress: the managers, and the people of the task's lead department."""
    if can_manage_task(user, task):
        return True
    return task.lead_department_id in scope_for(user).department_write_ids


# A co-operating department (配合部门) reports its own part, never the lead's fields: the
# refusal says so, and where its part is reported instead.
CO_DEPARTMENT_REFUSAL = "配合部门不能修改牵头部门的任务内容、时限和进度；请在任务页面的“配合部门进展”中报告本部门的配合情况。"


def cooperating_department_ids(user: User | AnonymousUser, task: Task) -> frozenset[int]:
    """The user's own departments among the task's co-operating departments (配合部门)."""
    mine = scope_for(user).department_write_ids
    if not mine:
        return frozenset()
    return frozenset(d.pk for d in task.co_departments.all() if d.pk in mine)


def can_report_part(
    user: User | AnonymousUser, task: Task, department: Organization | None = None
) -> bool:
    """Report a co-operating department's part of a counted task: that department's head or
    staff, or the 创建办. Without `department`: any part the user may report."""
    if not task.is_counted:
        return False
    co_ids = {d.pk for d in task.co_departments.all()}
    if department is not None and department.pk not in co_ids:
        return False
    if can_manage_task(user, task):
        return bool(co_ids)
    mine = scope_for(user).department_write_ids
    return department.pk in mine if department is not None else bool(co_ids & mine)


def _refuse(user: User | AnonymousUser, task: Task, message: str) -> PermissionDenied:
    if cooperating_department_ids(user, task):
        return PermissionDenied(CO_DEPARTMENT_REFUSAL)
    return work_refusal(user, task.campaign.unit, message)


def get_task_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False, report: bool = False
) -> Task:
    """`write`: change the task itself; `report`: change its progress. A co-operating
    department is refused both (`CO_DEPARTMENT_REFUSAL`); its part is `get_part_for_user`."""
    task = visible_tasks(user).live().filter(pk=pk).first()
    if task is None:
        raise Http404("没有找到该任务，或您无权查看。")
    if write and not can_manage_task(user, task):
        raise _refuse(user, task, "只有本单位创建办可以修改任务的内容、牵头部门和时限。")
    if report and not can_report_task(user, task):
        raise _refuse(user, task, "只有牵头部门的人员可以报告该任务的进展。")
    return task


def get_part_for_user(
    user: User | AnonymousUser, pk: int | str, department_pk: int | str, *, write: bool = False
) -> tuple[Task, Organization]:
    """A task and one of its co-operating departments; `write`: report that department's
    part (its people, or the 创建办)."""
    task = get_task_for_user(user, pk)
    department = task.co_departments.filter(pk=department_pk).first()
    if department is None:
        raise Http404("该部门不是这项任务的配合部门。")
    if write and not can_report_part(user, task, department):
        if not task.is_counted:
            raise PermissionDenied("该任务是草稿，还未下达，不能报告配合进展。")
        raise work_refusal(
            user, task.campaign.unit, "只有该配合部门的人员或本单位创建办可以报告这部分的进展。"
        )
    return task, department


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
    return department.pk in scope.department_write_ids or scope.can_manage_work(department.path)


# --- weekly progress reports ---------------------------------------------------------------
#
# A department's weekly report is read by everyone who sees the campaign, and written by the
# department's own people and the unit's 创建办 (`can_report_for_department`).


def get_report_department_for_user(
    user: User | AnonymousUser, campaign: Campaign, pk: int | str, *, write: bool = False
) -> Organization:
    """A department of the campaign's unit whose weekly report the user reads (or writes)."""
    department = Organization.objects.departments_of(campaign.unit).filter(pk=pk).first()
    if department is None:
        raise Http404("没有找到该部门，或该部门不属于本单位。")
    if write and not can_report_for_department(user, department):
        raise work_refusal(user, campaign.unit, "只有本部门人员或创建办可以填报该部门的周报。")
    return department


def get_deleted_task_for_user(user: User | AnonymousUser, pk: int | str) -> Task:
    """A task in the recycle bin: only those who manage it see it there and restore it."""
    task = visible_tasks(user).in_bin().filter(pk=pk).first()
    if task is None:
        raise Http404("回收站中没有找到该任务，或您无权查看。")
    if not can_manage_task(user, task):
        raise work_refusal(user, task.campaign.unit, "只有本单位创建办可以恢复已删除的任务。")
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
        raise work_refusal(user, claim.task.campaign.unit, "只有本单位创建办可以审核任务认领。")
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


# --- sub-tasks (子任务) ------------------------------------------------------------------------
#
# A sub-task belongs to one department's part of a task. Those who see the whole unit (创建办,
# 领导, 督查员, 观察员, the office above) see every sub-task of the tasks they see; a department's
# people see only their own department's. A department's head (or the 创建办) splits, changes
# and removes its sub-tasks; the assignee and the head record progress and complete them.


def head_department_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The departments the user heads (部门负责人)."""
    scope = scope_for(user)
    return frozenset(m.organization_id for m in scope.memberships if m.role == Role.DEPT_HEAD)


def visible_subtasks(user: User | AnonymousUser) -> SubTaskQuerySet:
    """Live sub-tasks of live tasks the user sees; another department's stay out of reach."""
    return reachable_subtasks(user, SubTask.objects.live())


def reachable_subtasks(user: User | AnonymousUser, qs: SubTaskQuerySet) -> SubTaskQuerySet:
    """`qs` narrowed to the sub-tasks the user reaches (deleted ones too, if `qs` has them)."""
    scope = scope_for(user)
    qs = qs.filter(task__deleted_at__isnull=True)
    if scope.is_superuser:
        return qs
    whole = unit_wide_paths(scope)
    own = Q(department_id__in=scope.department_write_ids) | Q(assignee_id=user.pk)
    return qs.filter(path_q(scope.view_paths, "task__campaign__unit__path")).filter(
        path_q(whole, "task__campaign__unit__path") | own if whole else own
    )


def reaches_department_subtasks(user: User | AnonymousUser, task: Task, department_id: int) -> bool:
    """Whether the user reaches every sub-task of `department_id` on `task` (the row form of
    `reachable_subtasks` for a whole department); `task` is one the user sees."""
    scope = scope_for(user)
    if scope.is_superuser or department_id in scope.department_write_ids:
        return True
    unit_path = task.campaign.unit.path
    return any(unit_path.startswith(p) for p in unit_wide_paths(scope))


def task_departments(task: Task) -> list[Organization]:
    """The departments a task can be split for: its lead department, then its co-operating
    departments."""
    co = list(task.co_departments.all())
    lead = [task.lead_department] if task.lead_department else []
    return [*lead, *[d for d in co if d.pk != task.lead_department_id]]


def splittable_departments(user: User | AnonymousUser, task: Task) -> list[Organization]:
    """The departments of `task` the user may split it for: all of them for the 创建办, else
    those of them the user heads. Nobody splits a draft or a task in the bin."""
    if not task.is_counted:
        return []
    departments = [d for d in task_departments(task) if d.is_active]
    if can_manage_task(user, task):
        return departments
    heads = head_department_ids(user)
    return [d for d in departments if d.pk in heads]


def can_manage_subtask(user: User | AnonymousUser, subtask: SubTask) -> bool:
    """Change, remove or restore a sub-task: its department's head, or the 创建办."""
    return subtask.department_id in head_department_ids(user) or can_manage_task(user, subtask.task)


def can_report_subtask(user: User | AnonymousUser, subtask: SubTask) -> bool:
    """Record progress on a sub-task and complete it: the assignee, or those who manage it."""
    return subtask.assignee_id == user.pk or can_manage_subtask(user, subtask)


def get_subtask_for_user(
    user: User | AnonymousUser,
    pk: int | str,
    *,
    write: bool = False,
    report: bool = False,
    deleted: bool = False,
) -> SubTask:
    """`report`: record progress or complete; `write`: change, remove or (`deleted`) restore."""
    qs = visible_subtasks(user)
    if deleted:
        qs = reachable_subtasks(user, SubTask.objects.filter(deleted_at__isnull=False))
    subtask = (
        qs.select_related("task__campaign__unit", "task__lead_department", "department", "assignee")
        .filter(pk=pk)
        .first()
    )
    if subtask is None:
        raise Http404("没有找到该子任务，或您无权查看。")
    if (write or deleted) and not can_manage_subtask(user, subtask):
        raise work_refusal(
            user, subtask.task.campaign.unit, "只有该部门的负责人或创建办可以修改、删除子任务。"
        )
    if report and not can_report_subtask(user, subtask):
        raise work_refusal(
            user,
            subtask.task.campaign.unit,
            "只有子任务的责任人或其部门负责人可以填报进展、标记完成。",
        )
    return subtask


def get_subtask_for_history(user: User | AnonymousUser, pk: int | str) -> Any:
    try:
        return get_subtask_for_user(user, pk)
    except Http404:
        return managed_or_404(lambda u, p: get_subtask_for_user(u, p, deleted=True), user, pk)

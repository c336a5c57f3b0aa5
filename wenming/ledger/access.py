"""Who may see, file, change and review evidence (台账) and binder exports.

Evidence is the unit's own work: its departments file it and its 创建办 reviews, archives and
restores it (`can_manage_ledger`, built on `can_manage_work`). The office admin above reads
the whole ledger and every binder export, and changes nothing in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.campaigns.access import get_campaign_for_user, visible_campaigns
from wenming.campaigns.models import Campaign
from wenming.ledger.models import BinderExport, EvidenceFile, EvidenceItem, ItemStatus
from wenming.orgs.access import (
    Scope,
    can_manage_work,
    path_q,
    scope_for,
    unit_wide_paths,
    work_refusal,
)
from wenming.orgs.models import Organization, OrgKind
from wenming.tasks.access import can_report_part, can_report_task, cooperating_department_ids
from wenming.tasks.models import Task
from wenming.trace.access import managed_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def _evidence_q(scope: Scope, prefix: str = "") -> Q:
    depts = scope.department_write_ids
    return (
        path_q(unit_wide_paths(scope), f"{prefix}unit__path")
        | Q(**{f"{prefix}department_id__in": depts})
        | Q(**{f"{prefix}task__lead_department_id__in": depts})
    )


def visible_evidence(user: User | AnonymousUser) -> QuerySet[EvidenceItem]:
    """Live items the user may read (the recycle bin is `evidence_bin`)."""
    scope = scope_for(user)
    qs = EvidenceItem.objects.live()
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    return qs.filter(_evidence_q(scope))


def sees_whole_ledger(user: User | AnonymousUser, unit: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or any(unit.path.startswith(p) for p in unit_wide_paths(scope))


def can_manage_ledger(user: User | AnonymousUser, unit: Organization) -> bool:
    """Review, archive, restore and purge: the unit's 创建办 (the office above only reads)."""
    return can_manage_work(user, unit)


def oversees_ledger(user: User | AnonymousUser, unit: Organization) -> bool:
    """Sees every binder export of the unit: its 创建办 and the office admin above."""
    return scope_for(user).can_manage_path(unit.path)


def get_managed_campaign_for_user(user: User | AnonymousUser, pk: int | str) -> Campaign:
    """A campaign whose ledger the user manages: review, archive, the recycle bin."""
    campaign = get_campaign_for_user(user, pk)
    if not can_manage_ledger(user, campaign.unit):
        raise work_refusal(user, campaign.unit, "只有本单位创建办可以进行这项台账管理工作。")
    return campaign


def can_upload_evidence(user: User | AnonymousUser, task: Task) -> bool:
    """Add proof to a task's dossier: its lead department's people, the managers, and the
    people of its co-operating departments (配合部门), under their own department's name."""
    return can_report_task(user, task) or can_report_part(user, task)


def task_evidence_departments(user: User | AnonymousUser, task: Task) -> QuerySet[Organization]:
    """Departments in whose name the user files proof against `task`: for its lead
    department's people and the managers those of `evidence_departments` (a led task's proof
    goes under its lead); for a co-operating department's people, only their co-operating
    departments. Nobody else's."""
    if can_report_task(user, task):
        return evidence_departments(user, task.campaign.unit)
    return Organization.objects.filter(
        pk__in=cooperating_department_ids(user, task), is_active=True
    )


def evidence_departments(user: User | AnonymousUser, unit: Organization) -> QuerySet[Organization]:
    """Departments in whose name the user may file evidence in this unit."""
    qs = Organization.objects.filter(
        kind=OrgKind.DEPARTMENT, is_active=True, path__startswith=unit.path
    )
    if can_manage_ledger(user, unit):
        return qs
    return qs.filter(pk__in=scope_for(user).department_write_ids)


def can_edit_evidence(user: User | AnonymousUser, item: EvidenceItem) -> bool:
    """Change an item's text, files or standards (the year's archive is checked by services)."""
    if can_manage_ledger(user, item.unit):
        return True
    depts = scope_for(user).department_write_ids
    mine = item.department_id in depts or (
        item.task is not None and item.task.lead_department_id in depts
    )
    return mine and item.status != ItemStatus.APPROVED


def get_evidence_for_user(
    user: User | AnonymousUser,
    pk: int | str,
    *,
    write: bool = False,
    review: bool = False,
) -> EvidenceItem:
    item = (
        visible_evidence(user)
        .select_related("campaign__framework", "unit", "department", "task__lead_department")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("没有找到该台账，或您无权查看。")
    if review and not can_manage_ledger(user, item.unit):
        raise work_refusal(user, item.unit, "只有本单位创建办可以审核台账。")
    if write and not can_edit_evidence(user, item):
        raise work_refusal(
            user,
            item.unit,
            "台账审核通过后只有创建办可以修改；其他部门的台账只能查看，不能修改。",
        )
    return item


def get_binned_evidence_for_user(user: User | AnonymousUser, pk: int | str) -> EvidenceItem:
    """An item in the recycle bin: only those who manage the ledger see and restore it."""
    item = (
        EvidenceItem.objects.select_related("campaign", "unit", "department", "task")
        .in_bin()
        .filter(pk=pk)
        .first()
    )
    if item is None or not (scope_for(user).is_superuser or _evidence_visible(user, item)):
        raise Http404("回收站中没有找到该台账，或您无权查看。")
    if not can_manage_ledger(user, item.unit):
        raise work_refusal(user, item.unit, "只有本单位创建办可以恢复或彻底删除回收站中的台账。")
    return item


def _evidence_visible(user: User | AnonymousUser, item: EvidenceItem) -> bool:
    scope = scope_for(user)
    return (
        scope.is_superuser
        or sees_whole_ledger(user, item.unit)
        or bool(
            {item.department_id, item.task.lead_department_id if item.task else None}
            & scope.department_write_ids
        )
    )


def get_evidence_file_for_user(user: User | AnonymousUser, pk: int | str) -> EvidenceFile:
    """A file is readable exactly when its live item is."""
    f = (
        EvidenceFile.objects.select_related("item")
        .filter(pk=pk, item__in=visible_evidence(user))
        .first()
    )
    if f is None:
        raise Http404("没有找到该文件，或您无权查看。")
    return f


def export_departments(
    user: User | AnonymousUser, campaign: Campaign
) -> QuerySet[Organization] | None:
    """Whose evidence the user may bind: None for the whole unit, else their departments."""
    if sees_whole_ledger(user, campaign.unit):
        return None
    return Organization.objects.filter(
        pk__in=scope_for(user).department_write_ids, path__startswith=campaign.unit.path
    )


def get_export_for_user(user: User | AnonymousUser, pk: int | str) -> BinderExport:
    """An export is seen by who asked for it, the unit's 创建办 and the office above."""
    export = (
        BinderExport.objects.select_related("campaign__unit", "department", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if export is None or not (
        export.requested_by_id == getattr(user, "pk", None)
        and visible_campaigns(user).filter(pk=export.campaign_id).exists()
        or oversees_ledger(user, export.unit)
    ):
        raise Http404("没有找到该导出任务，或您无权查看。")
    return export


def get_evidence_for_history(user: User | AnonymousUser, pk: int | str) -> Any:
    try:
        return get_evidence_for_user(user, pk)
    except Http404:
        return managed_or_404(get_binned_evidence_for_user, user, pk)

"""The one place that decides what a user may see and change.

Every view and API route fetches organizations and evaluation systems through the helpers
here. The rules:

- An office admin (文明办管理员) sees and manages everything below their office, including
  lower offices, and nothing beside it.
- An office's inspectors and observers see the same subtree, read-only.
- A unit's people (创建办, 单位领导, 督查员, 观察员, and department staff) see their unit.
  The unit's 创建办 manages its departments, people, leading group and working groups.
- Department roles (部门负责人, 经办人) change only their department's things; which things
  those are is decided by `department_ids_for_write` for the apps that own them.
- Evaluation systems are visible when published by an organization above the user (or
  shipped in the library), or owned by an organization the user may see; drafts only to
  those who may manage the owner.

Objects the user may not see raise Http404, so nobody learns that they exist; objects the
user may see but not change raise PermissionDenied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.orgs.models import (
    LeadingGroupMember,
    Membership,
    Organization,
    OrgKind,
    Role,
    WorkingGroup,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from wenming.campaigns.models import Campaign, Milestone
    from wenming.frameworks.models import Framework
    from wenming.ledger.models import BinderExport, EvidenceFile, EvidenceItem
    from wenming.tasks.models import Task, TaskClaim

UNIT_WIDE_ROLES = {Role.COORDINATOR, Role.LEADER, Role.INSPECTOR, Role.OBSERVER}
DEPARTMENT_ROLES = {Role.DEPT_HEAD, Role.STAFF}


@dataclass(frozen=True)
class Scope:
    """What one user may reach, computed once per request from their memberships."""

    is_superuser: bool
    roles: frozenset[str]
    view_paths: tuple[str, ...]
    manage_paths: tuple[str, ...]
    # Organizations above or at the user's own places: their published systems apply.
    upward_ids: frozenset[int]
    department_write_ids: frozenset[int]
    memberships: tuple[Membership, ...]

    def can_view_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.view_paths)

    def can_manage_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.manage_paths)

    @property
    def home_orgs(self) -> list[Organization]:
        seen: dict[int, Organization] = {}
        for m in self.memberships:
            seen.setdefault(m.organization_id, m.organization)
        return list(seen.values())


EMPTY_SCOPE = Scope(False, frozenset(), (), (), frozenset(), frozenset(), ())


def scope_for(user: User | AnonymousUser) -> Scope:
    if not user.is_authenticated:
        return EMPTY_SCOPE
    cached: Scope | None = getattr(user, "_wenming_scope", None)
    if cached is not None:
        return cached
    memberships = tuple(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("id")
    )
    dept_unit_paths = _department_unit_paths(
        [m.organization for m in memberships if m.organization.kind == OrgKind.DEPARTMENT]
    )
    view: set[str] = set()
    manage: set[str] = set()
    upward: set[int] = set()
    dept_write: set[int] = set()
    for m in memberships:
        org = m.organization
        upward.update(org.ancestor_ids)
        upward.add(org.pk)
        if org.kind == OrgKind.DEPARTMENT:
            view.add(dept_unit_paths.get(org.pk, org.path))
            dept_write.add(org.pk)
        else:
            view.add(org.path)
        if m.role == Role.OFFICE_ADMIN or m.role == Role.COORDINATOR:
            manage.add(org.path)
    scope = Scope(
        is_superuser=bool(user.is_superuser),
        roles=frozenset(m.role for m in memberships),
        view_paths=tuple(sorted(view)),
        manage_paths=tuple(sorted(manage)),
        upward_ids=frozenset(upward),
        department_write_ids=frozenset(dept_write),
        memberships=memberships,
    )
    # Cached on the user object, which lives as long as the request.
    setattr(user, "_wenming_scope", scope)  # noqa: B010
    return scope


def _department_unit_paths(departments: list[Organization]) -> dict[int, str]:
    ancestor_ids = {a for d in departments for a in d.ancestor_ids}
    if not ancestor_ids:
        return {}
    units = {
        u.pk: u.path
        for u in Organization.objects.filter(pk__in=ancestor_ids, kind=OrgKind.UNIT).only(
            "pk", "path"
        )
    }
    result = {}
    for d in departments:
        for ancestor in reversed(d.ancestor_ids):
            if ancestor in units:
                result[d.pk] = units[ancestor]
                break
    return result


def _path_q(paths: tuple[str, ...], field: str = "path") -> Q:
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


# --- organizations ---------------------------------------------------------------------


def visible_orgs(user: User | AnonymousUser) -> QuerySet[Organization]:
    scope = scope_for(user)
    qs = Organization.objects.all()
    if scope.is_superuser:
        return qs
    return qs.filter(_path_q(scope.view_paths))


def can_view_org(user: User | AnonymousUser, org: Organization) -> bool:
    return scope_for(user).can_view_path(org.path)


def can_manage_org(user: User | AnonymousUser, org: Organization) -> bool:
    return scope_for(user).can_manage_path(org.path)


def get_org_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Organization:
    org = (
        Organization.objects.select_related("parent", "campaign_office_host").filter(pk=pk).first()
    )
    if org is None or not can_view_org(user, org):
        raise Http404("没有找到该组织，或您无权查看。")
    if write and not can_manage_org(user, org):
        raise PermissionDenied("您无权修改该组织。")
    return org


def manageable_parents(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Organizations under which the user may create new ones."""
    scope = scope_for(user)
    qs = Organization.objects.filter(is_active=True)
    if scope.is_superuser:
        return qs
    return qs.filter(_path_q(scope.manage_paths))


def can_manage_anything(user: User | AnonymousUser) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths)


def department_ids_for_write(user: User | AnonymousUser) -> frozenset[int]:
    """Departments whose own things (tasks, evidence...) the user changes as their department."""
    return scope_for(user).department_write_ids


def get_membership_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Membership:
    membership = Membership.objects.select_related("user", "organization").filter(pk=pk).first()
    if membership is None or not can_view_org(user, membership.organization):
        raise Http404("没有找到该人员任职记录。")
    if write and not can_manage_org(user, membership.organization):
        raise PermissionDenied("您无权修改该人员。")
    return membership


def can_change_org_status(user: User | AnonymousUser, org: Organization) -> bool:
    """Whether the user may deactivate or reactivate this organization.

    That takes managing the organization above it: nobody switches off the organization at
    the root of their own management scope (an office admin their office, a 创建办 its unit).
    """
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    if org.parent_id is None:
        return False
    parent_path = org.path[: org.path.rstrip("/").rfind("/") + 1]
    return scope.can_manage_path(parent_path)


def get_org_for_status_change(user: User | AnonymousUser, pk: int | str) -> Organization:
    """Like `get_org_for_user(write=True)`, and also refuses the root of the user's scope."""
    org = get_org_for_user(user, pk, write=True)
    if not can_change_org_status(user, org):
        raise PermissionDenied("您不能停用或启用自己管理范围内最上级的组织，请联系上级文明办。")
    return org


def get_leading_group_member_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> LeadingGroupMember:
    member = LeadingGroupMember.objects.select_related("unit", "user").filter(pk=pk).first()
    if member is None or not can_view_org(user, member.unit):
        raise Http404("没有找到该领导小组成员。")
    if write and not can_manage_org(user, member.unit):
        raise PermissionDenied("您无权修改该单位的领导小组。")
    return member


def get_working_group_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> WorkingGroup:
    group = WorkingGroup.objects.select_related("unit", "leader").filter(pk=pk).first()
    if group is None or not can_view_org(user, group.unit):
        raise Http404("没有找到该工作组。")
    if write and not can_manage_org(user, group.unit):
        raise PermissionDenied("您无权修改该单位的工作组。")
    return group


# --- evaluation systems ----------------------------------------------------------------


def visible_frameworks(user: User | AnonymousUser) -> QuerySet[Framework]:
    from wenming.frameworks.models import Framework, FrameworkStatus

    scope = scope_for(user)
    qs = Framework.objects.select_related("owner")
    if scope.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    published = Q(status__in=[FrameworkStatus.PUBLISHED, FrameworkStatus.RETIRED])
    applies_from_above = published & (Q(owner__isnull=True) | Q(owner_id__in=scope.upward_ids))
    owned_below = _path_q(scope.manage_paths, "owner__path")
    published_below = published & _path_q(scope.view_paths, "owner__path")
    return qs.filter(applies_from_above | owned_below | published_below)


def can_manage_framework(user: User | AnonymousUser, framework: Framework) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    if framework.owner is None:
        return False
    return scope.can_manage_path(framework.owner.path)


def get_framework_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Framework:
    framework = visible_frameworks(user).filter(pk=pk).first()
    if framework is None:
        raise Http404("没有找到该测评体系，或您无权查看。")
    if write and not can_manage_framework(user, framework):
        raise PermissionDenied("您无权修改该测评体系。")
    return framework


def framework_owner_choices(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Offices and units under whose name the user may import an evaluation system."""
    return manageable_parents(user).filter(kind__in=[OrgKind.OFFICE, OrgKind.UNIT])


def can_import_framework(user: User | AnonymousUser) -> bool:
    return framework_owner_choices(user).exists()


def describe(user: User | AnonymousUser) -> dict[str, Any]:
    """A summary for templates: roles held and home organizations."""
    scope = scope_for(user)
    return {
        "roles": [Role(r).label for r in sorted(scope.roles)],
        "memberships": scope.memberships,
        "can_manage": scope.is_superuser or bool(scope.manage_paths),
        # Department-only people work on their tasks, reports and ledger; the navigation
        # leaves out the unit-wide screens. 我的任务 is for departments and the 创建办.
        "department_only": bool(scope.roles) and scope.roles <= DEPARTMENT_ROLES,
        "has_tasks": scope.is_superuser
        or bool(scope.roles & (DEPARTMENT_ROLES | {Role.COORDINATOR})),
        # The office's searchable log of changes (R16): managers and unit leaders.
        "can_view_trace": can_view_trace_log(user),
    }


# --- campaigns and tasks -----------------------------------------------------------------
#
# A campaign belongs to a unit: whoever sees the unit sees its campaign; whoever manages the
# unit (its 创建办, the office admin above) plans it. Tasks follow their campaign, and the
# people of a task's lead department report its progress.


def visible_campaigns(user: User | AnonymousUser) -> QuerySet[Campaign]:
    from wenming.campaigns.models import Campaign

    scope = scope_for(user)
    qs = Campaign.objects.select_related("unit", "framework")
    if scope.is_superuser:
        return qs
    return qs.filter(_path_q(scope.view_paths, "unit__path"))


def can_manage_campaign(user: User | AnonymousUser, campaign: Campaign) -> bool:
    return scope_for(user).can_manage_path(campaign.unit.path)


def get_campaign_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("没有找到该创建工作，或您无权查看。")
    if write and not can_manage_campaign(user, campaign):
        raise PermissionDenied("只有本单位创建办可以修改创建规划。")
    return campaign


def can_create_campaign(user: User | AnonymousUser, unit: Organization) -> bool:
    return unit.kind == OrgKind.UNIT and can_manage_org(user, unit)


def visible_tasks(user: User | AnonymousUser) -> QuerySet[Task]:
    from wenming.tasks.models import Task

    scope = scope_for(user)
    qs = Task.objects.select_related("campaign__unit", "lead_department", "responsible", "phase")
    if scope.is_superuser:
        return qs
    return qs.filter(_path_q(scope.view_paths, "campaign__unit__path"))


def campaign_tasks(campaign: Campaign) -> QuerySet[Task]:
    """The live tasks of a campaign fetched through `get_campaign_for_user`.

    A campaign's tasks are visible exactly when the campaign is, so no second path check is
    needed; that lets the database read them in deadline order straight from its index.
    """
    from wenming.tasks.models import Task

    return Task.objects.filter(campaign=campaign, deleted_at__isnull=True).select_related(
        "campaign", "lead_department", "responsible", "phase"
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
    task = visible_tasks(user).filter(pk=pk, deleted_at__isnull=True).first()
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
    department = (
        Organization.objects.filter(
            pk=pk, kind=OrgKind.DEPARTMENT, path__startswith=campaign.unit.path
        )
        .exclude(pk=campaign.unit.pk)
        .first()
    )
    if department is None:
        raise Http404("没有找到该部门，或该部门不属于本单位。")
    if write and not can_report_for_department(user, department):
        raise PermissionDenied("只有本部门人员或创建办可以填报该部门的周报。")
    return department


def get_deleted_task_for_user(user: User | AnonymousUser, pk: int | str) -> Task:
    """A task in the recycle bin: only those who manage it see it there and restore it."""
    task = visible_tasks(user).filter(pk=pk, deleted_at__isnull=False).first()
    if task is None:
        raise Http404("回收站中没有找到该任务，或您无权查看。")
    if not can_manage_task(user, task):
        raise PermissionDenied("只有本单位创建办可以恢复已删除的任务。")
    return task


def get_claim_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> TaskClaim:
    """A claim follows its task; `write` (approve or reject) takes managing the task."""
    from wenming.tasks.models import TaskClaim

    claim = (
        TaskClaim.objects.select_related(
            "task__campaign__unit", "task__lead_department", "department", "claimed_by"
        )
        .filter(pk=pk, task__in=visible_tasks(user).filter(deleted_at__isnull=True))
        .first()
    )
    if claim is None:
        raise Http404("没有找到该认领申请，或您无权查看。")
    if write and not can_manage_task(user, claim.task):
        raise PermissionDenied("只有本单位创建办可以审核任务认领。")
    return claim


def get_department_for_user(user: User | AnonymousUser, pk: int | str) -> Organization:
    """A department whose task board the user reads: anyone who sees its unit."""
    org = get_org_for_user(user, pk)
    if org.kind != OrgKind.DEPARTMENT:
        raise Http404("只有部门才有任务看板。")
    return org


# --- campaign milestones -------------------------------------------------------------------


def get_milestone_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Milestone:
    """A milestone follows its campaign: seen with it, changed by those who plan it."""
    from wenming.campaigns.models import Milestone

    milestone = (
        Milestone.objects.select_related("campaign__unit", "owner_department", "owner")
        .filter(pk=pk, campaign__in=visible_campaigns(user))
        .first()
    )
    if milestone is None:
        raise Http404("没有找到该时间节点，或您无权查看。")
    if write and not can_manage_campaign(user, milestone.campaign):
        raise PermissionDenied("只有本单位创建办可以修改创建规划的时间节点。")
    return milestone


# --- the evidence ledger (台账) -------------------------------------------------------------
#
# Evidence is narrower than tasks: people who hold a role for the whole unit (创建办, 领导,
# 督查员, 观察员) or the office above see the whole ledger; department people see only their
# departments' items (those they uploaded, or proving a task their department leads).
# Departments change their own items until approved; the unit's 创建办 (and the office admin
# above) reviews, restores from the recycle bin, archives years and changes anything not
# archived.


def _ledger_wide_paths(scope: Scope) -> tuple[str, ...]:
    return tuple(
        m.organization.path for m in scope.memberships if m.organization.kind != OrgKind.DEPARTMENT
    )


def _evidence_q(scope: Scope, prefix: str = "") -> Q:
    depts = scope.department_write_ids
    return (
        _path_q(_ledger_wide_paths(scope), f"{prefix}unit__path")
        | Q(**{f"{prefix}department_id__in": depts})
        | Q(**{f"{prefix}task__lead_department_id__in": depts})
    )


def visible_evidence(user: User | AnonymousUser) -> QuerySet[EvidenceItem]:
    """Live items the user may read (the recycle bin is `evidence_bin`)."""
    from wenming.ledger.models import EvidenceItem

    scope = scope_for(user)
    qs = EvidenceItem.objects.filter(removed_at__isnull=True)
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    return qs.filter(_evidence_q(scope))


def sees_whole_ledger(user: User | AnonymousUser, unit: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or any(unit.path.startswith(p) for p in _ledger_wide_paths(scope))


def can_manage_ledger(user: User | AnonymousUser, unit: Organization) -> bool:
    """Review, archive, restore and purge: the unit's 创建办 and the office admin above."""
    return scope_for(user).can_manage_path(unit.path)


def can_upload_evidence(user: User | AnonymousUser, task: Task) -> bool:
    """Add proof to a task's dossier: its lead department's people and the managers."""
    return can_report_task(user, task)


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
    from wenming.ledger.models import ItemStatus

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
        raise PermissionDenied("只有本单位创建办可以审核台账。")
    if write and not can_edit_evidence(user, item):
        raise PermissionDenied(
            "台账审核通过后只有创建办可以修改；其他部门的台账只能查看，不能修改。"
        )
    return item


def get_binned_evidence_for_user(user: User | AnonymousUser, pk: int | str) -> EvidenceItem:
    """An item in the recycle bin: only those who manage the ledger see and restore it."""
    from wenming.ledger.models import EvidenceItem

    item = (
        EvidenceItem.objects.select_related("campaign", "unit", "department", "task")
        .filter(pk=pk, removed_at__isnull=False)
        .first()
    )
    if item is None or not (scope_for(user).is_superuser or _evidence_visible(user, item)):
        raise Http404("回收站中没有找到该台账，或您无权查看。")
    if not can_manage_ledger(user, item.unit):
        raise PermissionDenied("只有本单位创建办可以恢复或彻底删除回收站中的台账。")
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
    from wenming.ledger.models import EvidenceFile

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
    """An export is seen by who asked for it and by the ledger's managers."""
    from wenming.ledger.models import BinderExport

    export = (
        BinderExport.objects.select_related("campaign__unit", "department", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if export is None or not (
        export.requested_by_id == getattr(user, "pk", None)
        and visible_campaigns(user).filter(pk=export.campaign_id).exists()
        or can_manage_ledger(user, export.unit)
    ):
        raise Http404("没有找到该导出任务，或您无权查看。")
    return export


# --- scoring rounds (测评打分) --------------------------------------------------------------
#
# A round follows its campaign: whoever sees the campaign sees its rounds, scores and totals.
# Self-assessments and mock evaluations (自评, 模拟测评) are scored by the unit's 创建办 and
# the office admin above, like the rest of the plan. A formal evaluation (正式测评) is the
# office's own inspection of the unit, so the unit may read it but never score it: only a
# manager whose managing membership is on a civilization office above the unit may.

if TYPE_CHECKING:
    from wenming.scoring.models import ScoringRound


def visible_rounds(user: User | AnonymousUser) -> QuerySet[ScoringRound]:
    from wenming.scoring.models import ScoringRound

    scope = scope_for(user)
    qs = ScoringRound.objects.filter(removed_at__isnull=True).select_related(
        "campaign__unit", "campaign__framework", "framework"
    )
    if scope.is_superuser:
        return qs
    return qs.filter(_path_q(scope.view_paths, "campaign__unit__path"))


def manages_from_office_above(user: User | AnonymousUser, unit: Organization) -> bool:
    """True for an office admin (or superuser) of a civilization office above `unit`.

    The unit's own 创建办 manages the unit too, but from inside it: that does not count.
    """
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(
        m.role in (Role.OFFICE_ADMIN, Role.COORDINATOR)
        and m.organization.kind == OrgKind.OFFICE
        and m.organization_id != unit.pk
        and unit.path.startswith(m.organization.path)
        for m in scope.memberships
    )


def can_create_round(user: User | AnonymousUser, campaign: Campaign, kind: str) -> bool:
    from wenming.scoring.models import RoundKind

    if kind == RoundKind.FORMAL:
        return manages_from_office_above(user, campaign.unit)
    return scope_for(user).can_manage_path(campaign.unit.path)


def can_score_round(user: User | AnonymousUser, round_: ScoringRound) -> bool:
    """Score, finish and reopen the round (whether it is open is checked by the services)."""
    return can_create_round(user, round_.campaign, round_.kind)


def get_round_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> ScoringRound:
    from wenming.scoring.models import RoundKind

    round_ = visible_rounds(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404("没有找到该测评轮次，或您无权查看。")
    if write and not can_score_round(user, round_):
        if round_.kind == RoundKind.FORMAL:
            raise PermissionDenied("正式测评由上级文明办打分，本单位只能查看结果。")
        raise PermissionDenied("只有本单位创建办或上级文明办可以为该测评轮次打分。")
    return round_


# --- inspections and problems (督查整改, 挂账销号) ----------------------------------------------
#
# Problems are seen like the ledger: the unit-wide roles (创建办, 领导, 督查员, 观察员) and the
# offices above see all of the unit's problems; department people see their departments'. An
# inspection is seen by those who see the whole unit, and by a department that has a problem
# in it. Inspections and problems are recorded by the unit's 督查员 and 创建办 and by the
# office admins and inspectors above. The responsible department's people (and the 创建办)
# rectify; the recorders verify, but never a person of the responsible department. The
# managers (创建办, the office admin above) reassign and remove.

if TYPE_CHECKING:
    from wenming.oversight.models import Inspection, Problem, ProblemFile

_RECORDER_ROLES = {Role.INSPECTOR, Role.COORDINATOR, Role.OFFICE_ADMIN}


def visible_problems(user: User | AnonymousUser) -> QuerySet[Problem]:
    """Live problems the user may read, with what lists show selected."""
    from wenming.oversight.models import Problem

    scope = scope_for(user)
    qs = Problem.objects.filter(removed_at__isnull=True).select_related(
        "campaign__unit", "unit", "department", "inspection", "standard"
    )
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    return qs.filter(
        _path_q(_ledger_wide_paths(scope), "unit__path")
        | Q(department_id__in=scope.department_write_ids)
    )


def visible_inspections(user: User | AnonymousUser) -> QuerySet[Inspection]:
    from django.db.models import Exists, OuterRef

    from wenming.oversight.models import Inspection, Problem

    scope = scope_for(user)
    qs = Inspection.objects.filter(removed_at__isnull=True).select_related(
        "campaign__unit", "unit", "recorded_by"
    )
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    own_problem = Problem.objects.filter(
        inspection=OuterRef("pk"),
        removed_at__isnull=True,
        department_id__in=scope.department_write_ids,
    )
    return qs.filter(_path_q(_ledger_wide_paths(scope), "unit__path") | Exists(own_problem))


def sees_all_problems(user: User | AnonymousUser, unit: Organization) -> bool:
    return sees_whole_ledger(user, unit)


def can_record_problems(user: User | AnonymousUser, unit: Organization) -> bool:
    """Record inspections and problems, and verify rectifications, in this unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(
        m.role in _RECORDER_ROLES
        and m.organization.kind != OrgKind.DEPARTMENT
        and unit.path.startswith(m.organization.path)
        for m in scope.memberships
    )


def can_manage_problems(user: User | AnonymousUser, unit: Organization) -> bool:
    """Reassign, change deadlines and remove: the unit's 创建办 and the office admin above."""
    return scope_for(user).can_manage_path(unit.path)


def can_rectify_problem(user: User | AnonymousUser, problem: Problem) -> bool:
    return problem.department_id in scope_for(user).department_write_ids or can_manage_problems(
        user, problem.unit
    )


def is_responsible_for_problem(user: User | AnonymousUser, problem: Problem) -> bool:
    """A person of the responsible department, or whoever submitted the rectification."""
    return problem.department_id in scope_for(user).department_write_ids or (
        problem.rectified_by_id is not None and problem.rectified_by_id == getattr(user, "pk", None)
    )


def can_verify_problem(user: User | AnonymousUser, problem: Problem) -> bool:
    return can_record_problems(user, problem.unit) and not is_responsible_for_problem(user, problem)


def get_problem_for_user(
    user: User | AnonymousUser, pk: int | str, *, action: str | None = None
) -> Problem:
    """`action`: None to read, "rectify", "verify" or "manage" (reassign, remove)."""
    problem = visible_problems(user).filter(pk=pk).first()
    if problem is None:
        raise Http404("没有找到该问题，或您无权查看。")
    if action == "rectify" and not can_rectify_problem(user, problem):
        raise PermissionDenied("只有整改责任部门的人员或本单位创建办可以整改该问题。")
    if action == "verify":
        if is_responsible_for_problem(user, problem):
            raise PermissionDenied("整改责任部门不能验收本部门的问题，请由督查员或创建办验收。")
        if not can_verify_problem(user, problem):
            raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以验收整改。")
    if action == "manage" and not can_manage_problems(user, problem.unit):
        raise PermissionDenied("只有本单位创建办可以调整问题的责任部门、时限或删除问题。")
    return problem


def get_inspection_for_user(
    user: User | AnonymousUser, pk: int | str, *, record: bool = False
) -> Inspection:
    """`record`: add problems to the inspection (or remove it)."""
    inspection = visible_inspections(user).filter(pk=pk).first()
    if inspection is None:
        raise Http404("没有找到该督查记录，或您无权查看。")
    if record and not can_record_problems(user, inspection.unit):
        raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录督查发现的问题。")
    return inspection


def get_problem_file_for_user(user: User | AnonymousUser, pk: int | str) -> ProblemFile:
    """A problem's photo or proof is readable exactly when its live problem is."""
    from wenming.oversight.models import ProblemFile

    f = (
        ProblemFile.objects.select_related("problem")
        .filter(pk=pk, removed_at__isnull=True, problem__in=visible_problems(user))
        .first()
    )
    if f is None:
        raise Http404("没有找到该文件，或您无权查看。")
    return f


# --- department assessment (部门考核, R8) ----------------------------------------------------
#
# The ranking is published inside the unit: whoever sees the campaign reads it. The weights
# and accountability records (追责) are kept by the unit's 创建办 and the office admins above.

if TYPE_CHECKING:
    from wenming.oversight.models import Accountability


def can_manage_assessment(user: User | AnonymousUser, unit: Organization) -> bool:
    return scope_for(user).can_manage_path(unit.path)


def get_assessment_campaign_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Campaign:
    """`write`: change the assessment rules or the accountability records."""
    campaign = get_campaign_for_user(user, pk)
    if write and not can_manage_assessment(user, campaign.unit):
        raise PermissionDenied("只有本单位创建办或上级文明办可以设置考核规则和追责记录。")
    return campaign


def get_accountability_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Accountability:
    from wenming.oversight.models import Accountability

    scope = scope_for(user)
    qs = Accountability.objects.filter(removed_at__isnull=True).select_related(
        "campaign__unit", "unit", "department", "problem", "recorded_by"
    )
    if not scope.is_superuser:
        qs = qs.filter(_path_q(scope.view_paths, "unit__path"))
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404("没有找到该追责记录，或您无权查看。")
    if write and not can_manage_assessment(user, record.unit):
        raise PermissionDenied("只有本单位创建办或上级文明办可以撤销追责记录。")
    return record


# --- bulletins (通报, R7) -------------------------------------------------------------------
#
# The unit's 创建办 and the office admins above draft, edit and issue bulletins; an issued
# bulletin is read by everyone who sees the campaign. Drafts are not shown to anyone else, so
# a department learns of a bulletin only when it is issued (404 before).

if TYPE_CHECKING:
    from wenming.oversight.models import Bulletin


def can_manage_bulletins(user: User | AnonymousUser, unit: Organization) -> bool:
    return scope_for(user).can_manage_path(unit.path)


def visible_bulletins(user: User | AnonymousUser) -> QuerySet[Bulletin]:
    from wenming.oversight.models import Bulletin, BulletinStatus

    scope = scope_for(user)
    qs = Bulletin.objects.filter(removed_at__isnull=True).select_related(
        "campaign__unit", "unit", "created_by", "issued_by"
    )
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    return qs.filter(_path_q(scope.view_paths, "unit__path")).filter(
        Q(status=BulletinStatus.ISSUED) | _path_q(scope.manage_paths, "unit__path")
    )


def get_bulletin_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Bulletin:
    """`write`: edit, issue or remove the bulletin (drafting is checked on the campaign)."""
    bulletin = visible_bulletins(user).filter(pk=pk).first()
    if bulletin is None:
        raise Http404("没有找到该通报，或您无权查看。")
    if write and not can_manage_bulletins(user, bulletin.unit):
        raise PermissionDenied("只有本单位创建办或上级文明办可以起草、修改和印发通报。")
    return bulletin


# --- dashboards (领导驾驶舱, R14) ------------------------------------------------------------
#
# The cockpit of a campaign is read by whoever sees the campaign. A department's view is read
# by the unit-wide roles (创建办, 领导, 督查员, 观察员), the offices above, and the
# department's own people; people of another department of the unit are refused (403), an
# outsider learns nothing (404). The office view across units is for the people of that
# office or an office above it, and superusers; everyone else is told nothing (404).


def get_dashboard_department_for_user(
    user: User | AnonymousUser, campaign: Campaign, pk: int | str
) -> Organization:
    """A department of the campaign's unit whose dashboard the user may read."""
    department = (
        Organization.objects.filter(
            pk=pk, kind=OrgKind.DEPARTMENT, path__startswith=campaign.unit.path
        )
        .exclude(pk=campaign.unit.pk)
        .first()
    )
    if department is None:
        raise Http404("没有找到该部门，或该部门不属于本单位。")
    if not (
        sees_whole_ledger(user, campaign.unit)
        or department.pk in scope_for(user).department_write_ids
    ):
        raise PermissionDenied("只能查看本部门的驾驶舱；全单位情况请向创建办了解。")
    return department


def can_view_office_dashboard(user: User | AnonymousUser, office: Organization) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return office.kind == OrgKind.OFFICE and any(
        m.organization.kind == OrgKind.OFFICE and office.path.startswith(m.organization.path)
        for m in scope.memberships
    )


def get_office_for_dashboard(user: User | AnonymousUser, pk: int | str) -> Organization:
    office = Organization.objects.filter(pk=pk, kind=OrgKind.OFFICE).first()
    if office is None or not can_view_office_dashboard(user, office):
        raise Http404("没有找到该文明办，或您无权查看。")
    return office


def dashboard_offices(user: User | AnonymousUser) -> list[Organization]:
    """The offices whose cross-unit view the user reads from their own memberships."""
    return [
        m.organization for m in scope_for(user).memberships if m.organization.kind == OrgKind.OFFICE
    ]


# --- notifications (消息提醒, R15) -------------------------------------------------------------
#
# A notification is its recipient's alone: anyone else, the office included, is told nothing.

if TYPE_CHECKING:
    from wenming.notifications.models import Notification


def get_notification_for_user(user: User | AnonymousUser, pk: int | str) -> Notification:
    from wenming.notifications.models import Notification

    found = Notification.objects.filter(recipient_id=user.pk, pk=pk).first()
    if found is None or not user.is_authenticated:
        raise Http404("没有找到该消息。")
    return found


# --- trace (操作留痕, R16) ---------------------------------------------------------------------
#
# The searchable log of changes is read by managers (创建办, 文明办管理员) and unit leaders,
# scoped to the organizations they see. An object's history panel is read by whoever may see
# the object: each kind of object is fetched through its own getter above, so an object the
# user may not see gives 404.

if TYPE_CHECKING:
    from wenming.trace.models import Change


def can_view_trace_log(user: User | AnonymousUser) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths) or Role.LEADER in scope.roles


def visible_changes(user: User | AnonymousUser) -> QuerySet[Change]:
    from wenming.trace.models import Change

    scope = scope_for(user)
    qs = Change.objects.all()
    if scope.is_superuser:
        return qs
    if not can_view_trace_log(user):
        return qs.none()
    return qs.filter(_path_q(scope.view_paths, "unit_path"))


def _trace_task(user: User | AnonymousUser, pk: int | str) -> Any:
    try:
        return get_task_for_user(user, pk)
    except Http404:
        return _managed_or_404(get_deleted_task_for_user, user, pk)


def _trace_evidence(user: User | AnonymousUser, pk: int | str) -> Any:
    try:
        return get_evidence_for_user(user, pk)
    except Http404:
        return _managed_or_404(get_binned_evidence_for_user, user, pk)


def _managed_or_404(getter: Any, user: User | AnonymousUser, pk: int | str) -> Any:
    try:
        return getter(user, pk)
    except PermissionDenied:
        raise Http404("没有找到该对象，或您无权查看。") from None


# The kinds of object that have a history panel, and how each is fetched for the user.
TRACE_OBJECT_GETTERS: dict[str, Any] = {
    "campaign": get_campaign_for_user,
    "task": _trace_task,
    "evidence": _trace_evidence,
    "problem": get_problem_for_user,
    "round": get_round_for_user,
    "org": get_org_for_user,
    "inspection": get_inspection_for_user,
    "bulletin": get_bulletin_for_user,
    "framework": get_framework_for_user,
    "milestone": get_milestone_for_user,
}


def get_traced_object_for_user(user: User | AnonymousUser, kind: str, pk: int | str) -> Any:
    """The object whose history the user asks for; 404 when they may not see it."""
    getter = TRACE_OBJECT_GETTERS.get(kind)
    if getter is None:
        raise Http404("没有该类对象的修改记录。")
    return getter(user, pk)


def object_changes(kind: str, pk: int) -> QuerySet[Change]:
    """The history of one object fetched through `get_traced_object_for_user`, with the
    changes of the objects that belong to it (a campaign's phases, an item's files)."""
    from wenming.trace.models import Change

    return Change.objects.filter(Q(kind=kind, object_id=pk) | Q(parent_kind=kind, parent_id=pk))

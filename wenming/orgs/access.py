"""The core of access: what a user may reach, on which every app's `access.py` builds.

Each app decides who may see and change its own objects in its own `access.py`
(`wenming.tasks.access.get_task_for_user`, ...), built on the helpers here: the per-request
`Scope`, path filters (`path_q`), the organization getters, and the rule for refusals. The
rules of the core:

- An office admin (文明办管理员) sees everything below their office, including lower offices,
  and nothing beside it. They manage the organizations and people below it (`manage_paths`),
  but not a unit's own work: a unit's campaign plan, tasks, claims, weekly reports, evidence,
  self and mock scoring and internal bulletins are changed only by the unit's 创建办
  (`work_paths`, `can_manage_work`); the office reads them, and acts through its own objects
  (formal scoring rounds, published systems, its inspections and problems).
- An office's inspectors and observers see the same subtree, read-only.
- A unit's people (创建办, 单位领导, 督查员, 观察员, and department staff) see their unit.
  The unit's 创建办 manages its departments, people, leading group and working groups.
- Department roles (部门负责人, 经办人) change only their department's things; which things
  those are is decided by `department_ids_for_write` for the apps that own them.

Objects the user may not see raise Http404, so nobody learns that they exist; objects the
user may see but not change raise PermissionDenied.
"""

from __future__ import annotations

from collections.abc import Callable
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

UNIT_WIDE_ROLES = {Role.COORDINATOR, Role.LEADER, Role.INSPECTOR, Role.OBSERVER}
DEPARTMENT_ROLES = {Role.DEPT_HEAD, Role.STAFF}

# What the office above is told when it tries to change a unit's own work (403: it sees it).
OFFICE_READS_ONLY = "文明办可以查看单位的创建工作，但不能修改；请由该单位创建办办理。"


@dataclass(frozen=True)
class Scope:
    """What one user may reach, computed once per request from their memberships."""

    is_superuser: bool
    roles: frozenset[str]
    view_paths: tuple[str, ...]
    # Organizations and people: the office admin's office and the 创建办's unit, with all below.
    manage_paths: tuple[str, ...]
    # A unit's own work (plan, tasks, evidence, self-scoring, internal bulletins): the units
    # whose 创建办 the user is. The office above reads that work but does not change it.
    work_paths: tuple[str, ...]
    # Organizations above or at the user's own places: their published systems apply.
    upward_ids: frozenset[int]
    department_write_ids: frozenset[int]
    memberships: tuple[Membership, ...]

    def can_view_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.view_paths)

    def can_manage_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.manage_paths)

    def can_manage_work(self, path: str) -> bool:
        """Change the unit's own work at `path`: its 创建办 (and a superuser)."""
        return self.is_superuser or any(path.startswith(p) for p in self.work_paths)

    def reads_work_only(self, path: str) -> bool:
        """The office above: manages the organizations at `path` but not the unit's work."""
        return self.can_manage_path(path) and not self.can_manage_work(path)

    @property
    def home_orgs(self) -> list[Organization]:
        seen: dict[int, Organization] = {}
        for m in self.memberships:
            seen.setdefault(m.organization_id, m.organization)
        return list(seen.values())


EMPTY_SCOPE = Scope(False, frozenset(), (), (), (), frozenset(), frozenset(), ())


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
    work: set[str] = set()
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
        if m.role == Role.COORDINATOR and org.kind == OrgKind.UNIT:
            work.add(org.path)
    scope = Scope(
        is_superuser=bool(user.is_superuser),
        roles=frozenset(m.role for m in memberships),
        view_paths=tuple(sorted(view)),
        manage_paths=tuple(sorted(manage)),
        work_paths=tuple(sorted(work)),
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


def office_paths(user: User | AnonymousUser, *, manage: bool = False) -> tuple[str, ...]:
    """Paths of the civilization offices the user holds a role on (only 文明办管理员 posts
    when `manage`): the office's own work reaches these offices and the offices below."""
    return tuple(
        m.organization.path
        for m in scope_for(user).memberships
        if m.organization.kind == OrgKind.OFFICE and (not manage or m.role == Role.OFFICE_ADMIN)
    )


def own_unit_ids(user: User | AnonymousUser, *, role: str | None = None) -> set[int]:
    """Units the user holds a role on itself, not through a department (only `role` posts
    when given)."""
    return {
        m.organization_id
        for m in scope_for(user).memberships
        if m.organization.kind == OrgKind.UNIT and (role is None or m.role == role)
    }


def is_office_person(user: User | AnonymousUser) -> bool:
    """Holds a role on a civilization office (or is a superuser): reads the office's work."""
    return scope_for(user).is_superuser or bool(office_paths(user))


def can_manage_office(user: User | AnonymousUser, office: Organization) -> bool:
    """文明办管理员 of the office or an office above it, or a superuser: acts for it."""
    if scope_for(user).is_superuser:
        return True
    return any(office.path.startswith(p) for p in office_paths(user, manage=True))


def can_view_office(user: User | AnonymousUser, office: Organization) -> bool:
    """Holds a role on the office or an office above it (or is a superuser)."""
    if scope_for(user).is_superuser:
        return True
    return any(office.path.startswith(p) for p in office_paths(user))


def managed_offices(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Active offices the user acts for (文明办管理员 of it or of an office above, or a
    superuser), top-most first."""
    qs = Organization.objects.filter(kind=OrgKind.OFFICE, is_active=True).order_by("path")
    if scope_for(user).is_superuser:
        return qs
    paths = office_paths(user, manage=True)
    return qs.filter(path_q(paths)) if paths else qs.none()


def get_managed_office(
    user: User | AnonymousUser,
    office_id: int | None,
    *,
    refusal: str,
    sees: Callable[[Organization], bool] | None = None,
) -> Organization:
    """The office an office's write goes to: the top-most one the user acts for when none is
    named. 403 (`refusal`) when the user sees the office but does not act for it: one of its
    people, or whoever `sees` it (e.g. a unit reading the office's batches); 404 otherwise."""
    if office_id is None:
        office = managed_offices(user).first()
        if office is None:
            raise PermissionDenied(refusal)
        return office
    office = managed_offices(user).filter(pk=office_id).first()
    if office is not None:
        return office
    found = Organization.objects.filter(pk=office_id, kind=OrgKind.OFFICE).first()
    if found is not None and (
        any(found.path.startswith(p) for p in office_paths(user))
        or (sees is not None and sees(found))
    ):
        raise PermissionDenied(refusal)
    raise Http404("没有找到该文明办，或您无权查看。")


def path_q(paths: tuple[str, ...], field: str = "path") -> Q:
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


# --- organizations ---------------------------------------------------------------------


def visible_orgs(user: User | AnonymousUser) -> QuerySet[Organization]:
    scope = scope_for(user)
    qs = Organization.objects.all()
    if scope.is_superuser:
        return qs
    return qs.filter(path_q(scope.view_paths))


def can_view_org(user: User | AnonymousUser, org: Organization) -> bool:
    return scope_for(user).can_view_path(org.path)


def can_manage_org(user: User | AnonymousUser, org: Organization) -> bool:
    return scope_for(user).can_manage_path(org.path)


def can_manage_work(user: User | AnonymousUser, unit: Organization) -> bool:
    """Change the unit's own work (plan, tasks, evidence...): its 创建办, not the office above."""
    return scope_for(user).can_manage_work(unit.path)


def work_refusal(user: User | AnonymousUser, unit: Organization, message: str) -> PermissionDenied:
    """The refusal to change a unit's own work: the office above is told that it reads it
    only (`OFFICE_READS_ONLY`), anyone else `message`."""
    if scope_for(user).reads_work_only(unit.path):
        return PermissionDenied(OFFICE_READS_ONLY)
    return PermissionDenied(message)


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
    return qs.filter(path_q(scope.manage_paths))


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


def describe(user: User | AnonymousUser) -> dict[str, Any]:
    """A summary for templates: roles held and home organizations."""
    scope = scope_for(user)
    return {
        "roles": [Role(r).label for r in sorted(scope.roles)],
        "memberships": scope.memberships,
        "can_manage": scope.is_superuser or bool(scope.manage_paths),
        # Changes some unit's own work (a 创建办): the office admin only reads that work.
        "can_manage_work": scope.is_superuser or bool(scope.work_paths),
        # Department-only people work on their tasks, reports and ledger; the navigation
        # leaves out the unit-wide screens. 我的任务 is for departments and the 创建办.
        "department_only": bool(scope.roles) and scope.roles <= DEPARTMENT_ROLES,
        "has_tasks": scope.is_superuser
        or bool(scope.roles & (DEPARTMENT_ROLES | {Role.COORDINATOR})),
        # The office's searchable log of changes (R16): managers and unit leaders.
        "can_view_trace": reads_change_log(user),
    }


def get_department_for_user(user: User | AnonymousUser, pk: int | str) -> Organization:
    """A department whose task board the user reads: anyone who sees its unit."""
    org = get_org_for_user(user, pk)
    if org.kind != OrgKind.DEPARTMENT:
        raise Http404("只有部门才有任务看板。")
    return org


def unit_wide_paths(scope: Scope) -> tuple[str, ...]:
    """Paths the user sees whole: those of places held by a role for a whole unit or office
    (创建办, 领导, 督查员, 观察员, the office's people), not by a department role."""
    return tuple(
        m.organization.path for m in scope.memberships if m.organization.kind != OrgKind.DEPARTMENT
    )


def reads_change_log(user: User | AnonymousUser) -> bool:
    """Managers (创建办, 文明办管理员) and unit leaders read the log of changes."""
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths) or Role.LEADER in scope.roles


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


# --- the office's calendar (节假日与调休) -------------------------------------------------


def calendar_offices(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Offices whose calendar the user reads: an office's people read their office's and
    those below; a unit's own people (roles held on the unit itself) read the calendar of
    the office the unit belongs to. Department roles read none."""
    scope = scope_for(user)
    qs = Organization.objects.filter(kind=OrgKind.OFFICE).order_by("path")
    if scope.is_superuser:
        return qs
    office_paths = tuple(
        m.organization.path for m in scope.memberships if m.organization.kind == OrgKind.OFFICE
    )
    unit_parents = {
        m.organization.parent_id for m in scope.memberships if m.organization.kind == OrgKind.UNIT
    }
    if not office_paths and not unit_parents:
        return qs.none()
    return qs.filter(path_q(office_paths) | Q(pk__in=unit_parents))


def can_manage_calendar(user: User | AnonymousUser, office: Organization) -> bool:
    """The 文明办管理员 of the office or of an office above it (and superusers)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(
        m.role == Role.OFFICE_ADMIN
        and m.organization.kind == OrgKind.OFFICE
        and office.path.startswith(m.organization.path)
        for m in scope.memberships
    )


def get_calendar_office_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Organization:
    office = calendar_offices(user).filter(pk=pk).first()
    if office is None:
        raise Http404("没有找到该文明办的节假日安排，或您无权查看。")
    if write and not can_manage_calendar(user, office):
        raise PermissionDenied("只有本级或上级文明办管理员可以修改节假日与调休。")
    return office

"""Who may see and change the registry (文明单位名录).

- An office's people (any role held on the office or on an office above it) read its
  registry: the entries, honours, negative events, revocations and decision documents.
- Only the 文明办管理员 of that office or an office above (and superusers) change it.
- A unit's own people (the roles held on the unit itself: 创建办, 单位领导, 督查员, 观察员)
  read their own unit's entry; nobody in a unit learns that another unit's entry exists
  (404). Department roles do not reach the registry.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.orgs.access import is_office_person as is_office_person
from wenming.orgs.access import office_paths, own_unit_ids, path_q, scope_for
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import (
    DecisionFile,
    Honour,
    NegativeEvent,
    RegistryEntry,
    Revocation,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

READ_ONLY = "只有本级或上级文明办管理员可以修改文明单位名录。"


def has_own_unit(user: User | AnonymousUser) -> bool:
    """Holds a role on a unit itself: reads that unit's own entry."""
    return bool(own_unit_ids(user))


def manages_any_registry(user: User | AnonymousUser) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(office_paths(user, manage=True))


def visible_offices(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Offices whose registry the user reads: those they hold a role on and those below."""
    qs = Organization.objects.filter(kind=OrgKind.OFFICE).order_by("path")
    if scope_for(user).is_superuser:
        return qs
    paths = office_paths(user, manage=False)
    return qs.filter(path_q(paths)) if paths else qs.none()


def registry_offices(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Active offices whose registry the user manages, top-most first."""
    qs = Organization.objects.filter(kind=OrgKind.OFFICE, is_active=True).order_by("path")
    if scope_for(user).is_superuser:
        return qs
    paths = office_paths(user, manage=True)
    return qs.filter(path_q(paths)) if paths else qs.none()


def can_manage_registry(user: User | AnonymousUser, office: Organization) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(office.path.startswith(p) for p in office_paths(user, manage=True))


def visible_entries(user: User | AnonymousUser) -> QuerySet[RegistryEntry]:
    """Live entries the user reads, with the unit and office selected."""
    scope = scope_for(user)
    qs = RegistryEntry.objects.live().select_related("unit", "office")
    if scope.is_superuser:
        return qs
    offices = office_paths(user, manage=False)
    units = own_unit_ids(user)
    if not offices and not units:
        return qs.none()
    return qs.filter(path_q(offices, "office__path") | Q(unit_id__in=units))


def get_entry_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> RegistryEntry:
    entry = visible_entries(user).filter(pk=pk).first()
    if entry is None:
        raise Http404("没有找到该名录单位，或您无权查看。")
    if write and not can_manage_registry(user, entry.office):
        raise PermissionDenied(READ_ONLY)
    return entry


def get_honour_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Honour:
    honour = (
        Honour.objects.live()
        .select_related("entry__unit", "entry__office", "issuer")
        .filter(pk=pk, entry__in=visible_entries(user))
        .first()
    )
    if honour is None:
        raise Http404("没有找到该荣誉称号，或您无权查看。")
    if write and not can_manage_registry(user, honour.entry.office):
        raise PermissionDenied(READ_ONLY)
    return honour


def get_negative_event_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> NegativeEvent:
    """A negative event, withdrawn ones included (they are kept with their reason)."""
    event = (
        NegativeEvent.objects.select_related("entry__unit", "entry__office")
        .filter(pk=pk, entry__in=visible_entries(user))
        .first()
    )
    if event is None:
        raise Http404("没有找到该负面事项，或您无权查看。")
    if write and not can_manage_registry(user, event.entry.office):
        raise PermissionDenied(READ_ONLY)
    return event


def get_revocation_for_user(user: User | AnonymousUser, pk: int | str) -> Revocation:
    revocation = (
        Revocation.objects.select_related("entry__unit", "entry__office", "honour", "document")
        .filter(pk=pk, entry__in=visible_entries(user))
        .first()
    )
    if revocation is None:
        raise Http404("没有找到该摘牌记录，或您无权查看。")
    return revocation


def get_decision_file_for_user(user: User | AnonymousUser, pk: int | str) -> DecisionFile:
    """A decision document is readable exactly when its unit's entry is."""
    found = (
        DecisionFile.objects.filter(
            pk=pk,
            removed_at__isnull=True,
            unit_id__in=visible_entries(user).values("unit_id"),
        )
        .select_related("unit")
        .first()
    )
    if found is None:
        raise Http404("没有找到该文件，或您无权查看。")
    return found

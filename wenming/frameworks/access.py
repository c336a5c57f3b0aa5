"""Who may see, import and change evaluation systems, on the core in `wenming.frameworks.access`.

A system is visible when published by an organization above the user (or shipped in the
library), or owned by an organization the user may see; drafts only to those who may manage
the owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.frameworks.models import Framework, FrameworkStatus, ImportDraft
from wenming.orgs.access import (
    manageable_parents,
    path_q,
    scope_for,
)
from wenming.orgs.models import Organization, OrgKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# --- evaluation systems ----------------------------------------------------------------


def visible_frameworks(user: User | AnonymousUser) -> QuerySet[Framework]:
    scope = scope_for(user)
    qs = Framework.objects.select_related("owner")
    if scope.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    published = Q(status__in=[FrameworkStatus.PUBLISHED, FrameworkStatus.RETIRED])
    applies_from_above = published & (Q(owner__isnull=True) | Q(owner_id__in=scope.upward_ids))
    owned_below = path_q(scope.manage_paths, "owner__path")
    published_below = published & path_q(scope.view_paths, "owner__path")
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


def get_import_draft_for_user(user: User | AnonymousUser, pk: int | str) -> ImportDraft:
    """An upload waiting in the import preview is its uploader's alone, and only while they
    may still import for its owner; anyone else is told nothing (404)."""
    draft = (
        ImportDraft.objects.select_related("owner", "profile")
        .filter(pk=pk, created_by_id=getattr(user, "pk", None))
        .first()
    )
    if draft is None or not framework_owner_choices(user).filter(pk=draft.owner_id).exists():
        raise Http404("没有找到这次导入，或它不是您上传的。")
    return draft

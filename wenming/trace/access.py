"""Who may read the log of changes, and an object's history panel.

The log is read by managers (创建办, 文明办管理员) and unit leaders, scoped to the organizations
they see. An object's history panel is read by whoever may see the object: each kind of
object is fetched through the getter its app registers with `register_history`, so an
object the user may not see gives 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.orgs.access import (
    get_org_for_user,
    path_q,
    reads_change_log,
    scope_for,
)
from wenming.trace.models import Change

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def can_view_trace_log(user: User | AnonymousUser) -> bool:
    return reads_change_log(user)


def visible_changes(user: User | AnonymousUser) -> QuerySet[Change]:
    scope = scope_for(user)
    qs = Change.objects.all()
    if scope.is_superuser:
        return qs
    if not can_view_trace_log(user):
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit_path"))


def managed_or_404(getter: Any, user: User | AnonymousUser, pk: int | str) -> Any:
    """Fetch through `getter`, answering 404 instead of 403: a history panel tells nothing
    about an object the user may see but not manage (a task in the recycle bin)."""
    try:
        return getter(user, pk)
    except PermissionDenied:
        raise Http404("没有找到该对象，或您无权查看。") from None


# The kinds of object that have a history panel, and how each is fetched for the user. The
# trace registers the organizations itself; the apps above it register theirs in
# `AppConfig.ready()`.
_HISTORY_GETTERS: dict[str, Callable[[Any, int | str], Any]] = {"org": get_org_for_user}


def register_history(kind: str, getter: Callable[[Any, int | str], Any]) -> None:
    """Give objects of `kind` a history panel, fetched for the user through `getter`."""
    _HISTORY_GETTERS[kind] = getter


def history_kinds() -> list[str]:
    return sorted(_HISTORY_GETTERS)


def get_traced_object_for_user(user: User | AnonymousUser, kind: str, pk: int | str) -> Any:
    """The object whose history the user asks for; 404 when they may not see it."""
    getter = _HISTORY_GETTERS.get(kind)
    if getter is None:
        raise Http404("没有该类对象的修改记录。")
    return getter(user, pk)


def object_changes(kind: str, pk: int) -> QuerySet[Change]:
    """The history of one object fetched through `get_traced_object_for_user`, with the
    changes of the objects that belong to it (a campaign's phases, an item's files)."""
    return Change.objects.filter(Q(kind=kind, object_id=pk) | Q(parent_kind=kind, parent_id=pk))

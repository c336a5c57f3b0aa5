"""Who is acting: set per request by `TraceMiddleware`, per API call by the token auth.

The actor is kept as a zero-argument callable so that a request which saves nothing never
loads its user; `None` means the system (a background task, a management command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_actor: ContextVar[Callable[[], Any] | None] = ContextVar("wenming_trace_actor", default=None)
_suspended: ContextVar[bool] = ContextVar("wenming_trace_suspended", default=False)
_batch: ContextVar[list[Any] | None] = ContextVar("wenming_trace_batch", default=None)
# Inside a request: a many-to-many removal waiting for the addition `set()` makes next.
_pending: ContextVar[dict[Any, Any] | None] = ContextVar("wenming_trace_pending", default=None)


def set_actor(user: User | Callable[[], Any] | None) -> None:
    """Make `user` (or a callable returning it) the actor until the context ends."""
    if user is None or callable(user):
        _actor.set(user)
    else:
        _actor.set(lambda: user)


def current_actor() -> User | None:
    getter = _actor.get()
    if getter is None:
        return None
    user = getter()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """Record changes made inside the block as made by `user` (None: the system)."""
    token = _actor.set((lambda: user) if user is not None else None)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def suspended() -> Iterator[None]:
    """Capture nothing inside the block: for code that records one summary entry itself."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_suspended() -> bool:
    return _suspended.get()


@contextmanager
def batched() -> Iterator[None]:
    """Write the entries recorded inside the block with one INSERT when it ends."""
    if _batch.get() is not None:
        yield
        return
    rows: list[Any] = []
    token = _batch.set(rows)
    try:
        yield
    finally:
        _batch.reset(token)
    if rows:
        from wenming.trace.models import Change

        Change.objects.bulk_create(rows)


def pending_batch() -> list[Any] | None:
    return _batch.get()


@contextmanager
def request_scope() -> Iterator[None]:
    """Let `set()` on a many-to-many field be one entry (its removal waits for its addition)."""
    pending: dict[Any, Any] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        if pending:
            from wenming.trace.capture import flush_pending

            flush_pending(pending)


def pending_m2m() -> dict[Any, Any] | None:
    return _pending.get()

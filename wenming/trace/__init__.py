"""The trace (操作留痕): every create, change and delete, with who, when, before and after.

Public API, importable before the app registry is ready:

- `record(obj_or_model, action, changes, *, actor=..., summary=..., unit=..., parent=...)`
- `record_created(objs)`: one 新增 entry per object made by `bulk_create`
- `record_update(obj, **new_values)`: record a `queryset.update()` made on `obj`
- `acting_as(user)`: attribute the changes in a block to `user` (None: the system)
- `batched()`: write the entries recorded in a block with one INSERT at its end
- `suspended()`: capture nothing in a block (then record one summary entry yourself)
- `set_actor(user)`: the actor for the rest of the current request
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wenming.trace.context import acting_as, batched, set_actor, suspended

if TYPE_CHECKING:
    from wenming.trace.models import Change

__all__ = [
    "acting_as",
    "batched",
    "record",
    "record_created",
    "record_update",
    "set_actor",
    "suspended",
]


def record(*args: Any, **kwargs: Any) -> Change:
    from wenming.trace.recording import record as _record

    return _record(*args, **kwargs)


def record_update(*args: Any, **kwargs: Any) -> Change | None:
    from wenming.trace.recording import record_update as _record_update

    return _record_update(*args, **kwargs)


def record_created(*args: Any, **kwargs: Any) -> int:
    from wenming.trace.recording import record_created as _record_created

    return _record_created(*args, **kwargs)

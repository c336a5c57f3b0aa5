"""Recording by hand: for writes that send no signals (bulk creates, queryset updates)."""

from __future__ import annotations

from typing import Any

from django.db import models

from wenming.trace.capture import _write, build, field_value, readable
from wenming.trace.context import current_actor, pending_batch
from wenming.trace.models import Action, Change
from wenming.trace.registry import field_label, tracked

_CURRENT = object()


def record(
    obj_or_model: models.Model | type[models.Model],
    action: str,
    changes: dict[str, Any] | None = None,
    *,
    actor: Any = _CURRENT,
    summary: str = "",
    unit: Any = None,
    parent: models.Model | None = None,
) -> Change:
    """Write one trace entry.

    `obj_or_model`: the object changed, or its model for an entry summarizing many rows
    (then pass `unit`, the organization, and usually `parent`, the object they belong to).
    `action`: `Action.CREATE` / `UPDATE` / `DELETE` (or "新增" / "修改" / "删除").
    `changes`: {label: [before, after]} with readable values; raw values are made readable.
    `actor`: defaults to whoever is acting in this request or task (None: the system).
    """
    action = _ACTIONS.get(action, action)
    if isinstance(obj_or_model, models.Model):
        instance: models.Model | None = obj_or_model
        model = type(obj_or_model)
    else:
        instance, model = None, obj_or_model
    spec = tracked(model)
    parent_ref = None
    if parent is not None:
        parent_spec = tracked(type(parent))
        parent_kind = parent_spec.kind if parent_spec else parent._meta.model_name or ""
        parent_ref = (parent_kind, parent.pk)
        if unit is None and instance is None and parent_spec is not None:
            from wenming.trace.capture import _unit_of

            unit_id, unit_path = _unit_of(parent_spec, parent)
            if isinstance(unit_path, str):
                unit = _Unit(unit_id, unit_path)
    readable_changes = {
        str(k): [readable(v[0]), readable(v[1])] for k, v in (changes or {}).items()
    }
    change = build(
        spec,
        instance,
        action,
        readable_changes,
        actor=current_actor() if actor is _CURRENT else actor,
        summary=summary,
        model=model,
        unit=unit,
        parent=parent_ref,
    )
    _write(change)
    return change


class _Unit:
    def __init__(self, pk: Any, path: str) -> None:
        self.pk, self.path = pk, path


def record_update(obj: models.Model, *, actor: Any = _CURRENT, **new_values: Any) -> Change | None:
    """Record `queryset.filter(pk=obj.pk).update(**new_values)` made on `obj`.

    Call it with the object as it was (before the update) and the same keyword arguments
    the update got. Nothing is written when no value changes.
    """
    changes: dict[str, list[Any]] = {}
    after = _copy(obj)
    for name, value in new_values.items():
        f: Any = obj._meta.get_field(name)
        if isinstance(value, models.Model) or value is None and f.is_relation:
            setattr(after, f.name, value)
        else:
            setattr(after, f.attname, value)
        if hasattr(value, "resolve_expression"):
            continue
        old, new = field_value(obj, f), field_value(after, f)
        if old != new:
            changes[field_label(f)] = [old, new]
    if not changes:
        return None
    return record(obj, Action.UPDATE, changes, actor=actor)


def _copy(obj: models.Model) -> models.Model:
    clone = type(obj).__new__(type(obj))
    clone.__dict__ = obj.__dict__.copy()
    clone._state = type(obj._state)()
    clone._state.db = obj._state.db
    clone._state.adding = obj._state.adding
    clone._state.fields_cache = dict(obj._state.fields_cache)
    return clone


_ACTIONS = {"新增": Action.CREATE, "修改": Action.UPDATE, "删除": Action.DELETE}


def record_created(objs: list[Any], *, actor: Any = _CURRENT) -> int:
    """One 新增 entry per object made by `bulk_create`, written with one INSERT.

    Related objects not already loaded on the objects are left out of the values.
    """
    from wenming.trace.capture import snapshot_values

    if not objs:
        return 0
    who = current_actor() if actor is _CURRENT else actor
    spec = tracked(type(objs[0]))
    rows = []
    for obj in objs:
        values = (
            {k: v for k, v in snapshot_values(spec, obj, before=False, fetch=False).items()}
            if spec is not None
            else {}
        )
        rows.append(build(spec, obj, Action.CREATE, values, actor=who))
    batch = pending_batch()
    if batch is not None:
        batch.extend(rows)
    else:
        Change.objects.bulk_create(rows)
    return len(rows)

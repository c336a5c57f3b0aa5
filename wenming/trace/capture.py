"""Signal handlers and the writer behind `wenming.trace.record`.

A change costs one INSERT, plus one SELECT before an update (the snapshot: skipped on create
and when this process itself last saved the object). The organization of the object is taken
from objects already loaded, or else resolved inside the INSERT with a subquery.
"""

from __future__ import annotations

import copy
import datetime
import json
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Subquery, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Concat
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from wenming.trace.context import current_actor, is_suspended, pending_batch, pending_m2m
from wenming.trace.models import Action, Change
from wenming.trace.registry import Tracked, field_label, tracked

MAX_TEXT = 300
_SNAPSHOT = "_trace_before"
_SAVED = "_trace_saved"
_M2M_BEFORE = "_trace_m2m_before"


# --- readable values ---------------------------------------------------------------------


def person_name(user: Any) -> str:
    if user is None:
        return ""
    full = (user.get_full_name() or "").strip() if hasattr(user, "get_full_name") else ""
    return full or str(getattr(user, "username", "") or user)


def describe_object(obj: Any) -> str:
    if obj is None:
        return ""
    if isinstance(obj, get_user_model()):
        return person_name(obj)
    spec = tracked(type(obj))
    describe = spec.describe if spec is not None else None
    return (describe(obj) if describe is not None else str(obj))[:200]


def readable(value: Any, f: Any = None) -> Any:
    """A value as people read it: choice labels, names, ISO dates, decimals as text."""
    if value is None:
        return ""
    if f is not None and getattr(f, "flatchoices", None) and isinstance(value, str | int):
        choices = dict(f.flatchoices)
        if value in choices:
            return str(choices[value])
    if isinstance(value, models.Model):
        return describe_object(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        places = getattr(f, "decimal_places", None)
        if places is not None and value.is_finite():
            value = value.quantize(Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def field_value(instance: models.Model, f: Any, *, fetch: bool = True) -> Any:
    """The readable value of one field; related objects are loaded only if `fetch`."""
    if f.is_relation:
        raw = getattr(instance, f.attname)
        if raw is None:
            return ""
        if f.is_cached(instance):
            return describe_object(f.get_cached_value(instance))
        if not fetch:
            return None
        try:
            return describe_object(getattr(instance, f.name))
        except ObjectDoesNotExist:
            return f"#{raw}"
    return readable(getattr(instance, f.attname), f)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - incomparable values are different
        return False


def diff(spec: Tracked, before: Any, after: models.Model, fields: list[Any]) -> dict:
    """Changed fields, readable. `before` is the row as loaded, or the raw values this
    process last saved ({attname: value})."""
    changes: dict[str, list[Any]] = {}
    saved = isinstance(before, dict)
    for f in fields:
        new_raw = getattr(after, f.attname)
        if hasattr(new_raw, "resolve_expression"):
            continue
        old_raw = before[f.attname] if saved else getattr(before, f.attname)
        if _same(old_raw, new_raw):
            continue
        old = _saved_value(f, old_raw) if saved else field_value(before, f)
        new = field_value(after, f)
        if old != new:
            changes[field_label(f)] = [old, new]
    return changes


def _saved_value(f: Any, raw: Any) -> Any:
    if not f.is_relation:
        return readable(raw, f)
    if raw is None:
        return ""
    related = f.related_model._base_manager.filter(pk=raw).first()
    return describe_object(related) if related is not None else f"#{raw}"


def _remember(spec: Tracked, instance: models.Model) -> None:
    """Keep what was just written, so saving the same object again needs no snapshot."""
    values = {}
    for f in spec.fields:
        value = instance.__dict__.get(f.attname, _MISSING)
        if value is _MISSING or hasattr(value, "resolve_expression"):
            instance.__dict__.pop(_SAVED, None)
            return
        values[f.attname] = copy.copy(value)
    instance.__dict__[_SAVED] = values


_MISSING = object()


def snapshot_values(
    spec: Tracked, instance: models.Model, *, before: bool, fetch: bool | None = None
) -> dict:
    """All non-empty fields, as [value, ""] (deleted) or ["", value] (created).

    A deleted object's related objects are shown only when already loaded: they may be
    gone with it, and a cascade should not cost a query per row.
    """
    changes: dict[str, list[Any]] = {}
    for f in spec.fields:
        value = field_value(instance, f, fetch=not before if fetch is None else fetch)
        if value in ("", None) or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(f, models.BooleanField) and not getattr(instance, f.attname):
            continue
        changes[field_label(f)] = [value, ""] if before else ["", value]
    return changes


# --- the organization an object belongs to ---------------------------------------------------


def _unit_of(spec: Tracked, instance: models.Model) -> tuple[Any, Any]:
    """(organization id, organization path): plain values, or subqueries for the INSERT."""
    from wenming.orgs.models import Organization

    obj: Any = instance
    chain = spec.unit
    for i, name in enumerate(chain):
        f = obj._meta.get_field(name)
        if f.is_cached(obj):
            obj = f.get_cached_value(obj)
            if obj is None:
                return None, ""
            continue
        raw = getattr(obj, f.attname)
        if raw is None:
            return None, ""
        rest = "__".join(chain[i + 1 :])
        if not rest:
            org_qs = Organization.objects.filter(pk=raw)
            return raw, Subquery(org_qs.values("path")[:1])
        qs = f.related_model._base_manager.filter(pk=raw)
        return (
            Subquery(qs.values(rest)[:1]),
            Subquery(qs.values(f"{rest}__path")[:1]),
        )
    if not isinstance(obj, Organization):
        return None, ""
    if obj.path:
        return obj.pk, obj.path
    # A new organization: its path is written just after this signal.
    if obj.parent_id is None:
        return obj.pk, f"/{obj.pk}/"
    parent_field = Organization._meta.get_field("parent")
    parent: Any = parent_field.get_cached_value(obj) if parent_field.is_cached(obj) else None
    if parent is not None and parent.path:
        return obj.pk, f"{parent.path}{obj.pk}/"
    parent_path = Subquery(Organization.objects.filter(pk=obj.parent_id).values("path")[:1])
    return obj.pk, Concat(parent_path, Value(f"{obj.pk}/"), output_field=models.CharField())


def _concrete(obj: models.Model, name: str) -> Any:
    """A concrete field of the object's model (typed loosely: the stubs give a union)."""
    return obj._meta.get_field(name)


# --- writing ---------------------------------------------------------------------------------


def build(
    spec: Tracked | None,
    instance: models.Model | None,
    action: str,
    changes: dict,
    *,
    actor: Any = None,
    summary: str = "",
    model: type[models.Model] | None = None,
    unit: Any = None,
    parent: tuple[str, int] | None = None,
    object_repr: str | None = None,
) -> Change:
    change = Change(action=action, changes=changes, summary=summary[:300])
    if actor is not None:
        change.actor = actor
        change.actor_name = person_name(actor)[:150]
    model = model or (type(instance) if instance is not None else None)
    if model is not None:
        change.content_type = ContentType.objects.get_for_model(model)
    change.kind = spec.kind if spec is not None else (model._meta.model_name or "" if model else "")
    if instance is not None:
        change.object_id = instance.pk
        text = object_repr if object_repr is not None else describe_object(instance)
        change.object_repr = text[:200]
        if spec is not None:
            change.unit_id, change.unit_path = _unit_of(spec, instance)
            if spec.parent is not None and parent is None:
                kind, fk = spec.parent
                parent_pk = getattr(instance, _concrete(instance, fk).attname)
                if parent_pk is not None:
                    parent = (kind, parent_pk)
    else:
        change.object_repr = (
            object_repr or summary or str(model._meta.verbose_name if model else "")
        )[:200]
    if unit is not None:
        change.unit_id, change.unit_path = unit.pk, unit.path
    if parent is not None:
        change.parent_kind, change.parent_id = parent
    return change


def _write(change: Change) -> None:
    pending = pending_m2m()
    if pending:
        flush_pending(pending)
    rows = pending_batch()
    if rows is not None:
        rows.append(change)
    else:
        change.save()


# --- signal handlers -------------------------------------------------------------------------


def _pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or is_suspended():
        return
    spec = tracked(sender)
    if spec is None or instance._state.adding or instance.pk is None:
        return
    fields = spec.fields_for(kwargs.get("update_fields"))
    if not fields:
        return
    saved = instance.__dict__.get(_SAVED)
    if saved is not None:
        instance.__dict__[_SNAPSHOT] = (saved, fields)
        return
    related = [f.name for f in fields if f.is_relation]
    before = (
        sender._base_manager.using(kwargs.get("using"))
        .select_related(*related)
        .filter(pk=instance.pk)
        .first()
    )
    instance.__dict__[_SNAPSHOT] = (before, fields)


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw") or is_suspended():
        return
    spec = tracked(sender)
    if spec is None:
        return
    if created:
        _write(
            build(
                spec,
                instance,
                Action.CREATE,
                snapshot_values(spec, instance, before=False),
                actor=current_actor(),
            )
        )
        _remember(spec, instance)
        return
    before, fields = instance.__dict__.pop(_SNAPSHOT, (None, None))
    if before is None:
        return
    changes = diff(spec, before, instance, fields)
    if changes:
        _write(build(spec, instance, Action.UPDATE, changes, actor=current_actor()))
    if fields == list(spec.fields):
        _remember(spec, instance)
    elif isinstance(before, dict):
        for f in fields:
            value = instance.__dict__.get(f.attname, _MISSING)
            if value is _MISSING or hasattr(value, "resolve_expression"):
                instance.__dict__.pop(_SAVED, None)
                break
            before[f.attname] = copy.copy(value)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if is_suspended():
        return
    spec = tracked(sender)
    if spec is None:
        return
    _write(
        build(
            spec,
            instance,
            Action.DELETE,
            snapshot_values(spec, instance, before=True),
            actor=current_actor(),
        )
    )


def _m2m_labels(instance: models.Model, name: str) -> list[str]:
    return sorted(describe_object(o) for o in getattr(instance, name).all())


def _m2m_handler(name: str, spec: Tracked) -> Any:
    def handler(sender: Any, instance: models.Model, action: str, reverse: bool, **kw: Any) -> None:
        if reverse or is_suspended() or not isinstance(instance, spec.model):
            return
        store = instance.__dict__.setdefault(_M2M_BEFORE, {})
        if action in ("pre_add", "pre_remove", "pre_clear"):
            store.setdefault(name, _m2m_labels(instance, name))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        before = store.pop(name, None)
        if before is None:
            return
        after = _m2m_labels(instance, name)
        pending = pending_m2m()
        key = (spec.model, instance.pk, name)
        if action == "post_remove" and pending is not None:
            # `set()` removes then adds: wait for the addition to write one entry.
            pending[key] = (spec, instance, name, before, after, current_actor())
            return
        if pending and key in pending:
            before = pending.pop(key)[3]
        _write_m2m(spec, instance, name, before, after, current_actor())

    return handler


def _write_m2m(
    spec: Tracked,
    instance: models.Model,
    name: str,
    before: list[str],
    after: list[str],
    actor: Any,
) -> None:
    if before == after:
        return
    label = field_label(instance._meta.get_field(name))
    changes = {label: ["、".join(before), "、".join(after)]}
    _write(build(spec, instance, Action.UPDATE, changes, actor=actor))


def flush_pending(pending: dict[Any, Any]) -> None:
    items = list(pending.values())
    pending.clear()
    for spec, instance, name, before, after, actor in items:
        _write_m2m(spec, instance, name, before, after, actor)


_connected: set[type[models.Model]] = set()
_handlers: list[Any] = []


def connect(spec: Tracked) -> None:
    if spec.model in _connected:
        return
    _connected.add(spec.model)
    uid = f"trace:{spec.model._meta.label}"
    pre_save.connect(_pre_save, sender=spec.model, dispatch_uid=uid)
    post_save.connect(_post_save, sender=spec.model, dispatch_uid=uid)
    post_delete.connect(_post_delete, sender=spec.model, dispatch_uid=uid)
    for name in spec.m2m:
        through = getattr(spec.model, name).through
        handler = _m2m_handler(name, spec)
        _handlers.append(handler)  # signals keep weak references
        m2m_changed.connect(handler, sender=through, dispatch_uid=f"{uid}:{name}")

"""Which models the trace captures, and how each one is described.

A model is registered with a short `kind` (used in URLs and the log's filter), the chain
of foreign keys leading to the organization it belongs to (for access scoping), optionally
the object whose history panel should show its changes too (`parent`), and the fields not
worth recording. See docs/trace.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# Never worth a line in the trace: timestamps the database keeps, derived file facts.
NOISE_FIELDS = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "changed_at",
        "scored_at",
        "uploaded_at",
        "path",
        "depth",
        "sha256",
        "phash",
        "thumbnail",
        "flags",
        "content_type",
        "extension",
        "width",
        "height",
        "page_count",
        "file",
        "return_count",
        "suggested",
    }
)

# Labels for fields declared without a Chinese verbose name.
FIELD_LABELS = {
    "status": "状态",
    "deleted_at": "删除时间",
    "removed_at": "删除时间",
    "removed_by": "删除人",
    "created_by": "创建人",
    "decided_by": "审核人",
    "decided_at": "审核时间",
    "reviewed_by": "审核人",
    "reviewed_at": "审核时间",
    "submitted_at": "提交时间",
    "submitted_by": "报送人",
    "finished_by": "完成人",
    "finished_at": "完成时间",
    "completed_by": "完成人",
    "waived_by": "免予佐证人",
    "organized_at": "部署时间",
    "source": "来源",
    "position": "顺序",
    "sort_order": "排序",
    "is_active": "启用",
    "campaign": "创建工作",
    "unit": "单位",
    "task": "工作任务",
    "round": "测评轮次",
    "standard": "测评标准",
    "framework": "测评体系",
    "item": "台账",
    "claimed_by": "认领人",
    "scored_by": "打分人",
    "recorded_by": "记录人",
    "issued_by": "印发人",
    "actor": "操作人",
    "year": "年度",
    "evidence": "佐证台账",
    "members": "成员",
    "reopened_by": "退回人",
    "rectified_by": "整改提交人",
    "verified_by": "验收人",
    "issued_at": "印发时间",
    "updated_by": "修改人",
    "problem": "问题",
    "removed_reason": "撤销原因",
}


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    kind: str
    # Attribute chain to the organization: ("campaign", "unit"); () for an Organization.
    unit: tuple[str, ...]
    parent: tuple[str, str] | None = None  # (parent kind, foreign key name)
    ignore: frozenset[str] = frozenset()
    describe: Callable[[Any], str] | None = None
    m2m: tuple[str, ...] = ()
    verbose_name: str = ""
    fields: tuple[models.Field[Any, Any], ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        return self.verbose_name or str(self.model._meta.verbose_name)

    def fields_for(self, update_fields: Iterable[str] | None) -> list[models.Field[Any, Any]]:
        if update_fields is None:
            return list(self.fields)
        wanted = set(update_fields)
        return [f for f in self.fields if f.name in wanted or f.attname in wanted]


_BY_MODEL: dict[type[models.Model], Tracked] = {}
_BY_KIND: dict[str, Tracked] = {}


def register(
    model: type[models.Model],
    *,
    kind: str,
    unit: str,
    parent: tuple[str, str] | None = None,
    ignore: Iterable[str] = (),
    describe: Callable[[Any], str] | None = None,
    m2m: Iterable[str] = (),
    label: str = "",
) -> Tracked:
    """Capture every create, change and delete of `model` (signals are connected once)."""
    skip = NOISE_FIELDS | set(ignore)
    tracked_fields = tuple(
        f
        for f in model._meta.concrete_fields
        if f.name not in skip
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and not f.primary_key
    )
    spec = Tracked(
        model=model,
        kind=kind,
        unit=tuple(p for p in unit.split(".") if p),
        parent=parent,
        ignore=frozenset(skip),
        describe=describe,
        m2m=tuple(m2m),
        verbose_name=label,
        fields=tracked_fields,
    )
    _BY_MODEL[model] = spec
    _BY_KIND.setdefault(kind, spec)
    from wenming.trace import capture

    capture.connect(spec)
    return spec


def cached_relation(obj: Any, name: str) -> Any:
    """The related object already loaded on `obj`, or None: describing a change never
    costs a query."""
    f = obj._meta.get_field(name)
    return f.get_cached_value(obj) if f.is_cached(obj) else None


def tracked(model: type[models.Model]) -> Tracked | None:
    return _BY_MODEL.get(model)


def by_kind(kind: str) -> Tracked | None:
    return _BY_KIND.get(kind)


def kind_label(kind: str) -> str:
    """The readable name of a kind of object ("任务"), the key itself when unregistered."""
    spec = _BY_KIND.get(kind)
    return spec.label if spec else kind


def kinds() -> list[tuple[str, str]]:
    return [(k, s.label) for k, s in _BY_KIND.items()]


def field_label(f: Any) -> str:
    verbose = str(getattr(f, "verbose_name", "") or "")
    if verbose and verbose != f.name.replace("_", " "):
        return verbose
    return FIELD_LABELS.get(f.name, f.name)

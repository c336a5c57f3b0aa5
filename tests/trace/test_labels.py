"""Every field the trace records is shown to office staff under a Chinese name."""

from __future__ import annotations

from wenming.trace import registry


def test_every_recorded_field_has_a_chinese_label() -> None:
    unnamed = [
        f"{spec.model.__name__}.{f.name}"
        for spec in {id(s): s for s in registry._BY_MODEL.values()}.values()
        for f in [*spec.fields, *(spec.model._meta.get_field(m) for m in spec.m2m)]
        if registry.field_label(f).isascii()
    ]
    assert unnamed == []

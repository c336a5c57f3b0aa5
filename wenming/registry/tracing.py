"""The registry models the trace captures, registered from `RegistryConfig.ready()`.

An entry's honours, negative events and revocations show in the entry's history panel.
A status change's own record (`HonourEvent`) is the honour's timeline, not traced again.
"""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _entry_unit(record: Any) -> str:
    entry = cached_relation(record, "entry")
    unit = cached_relation(entry, "unit") if entry is not None else None
    return str(unit) if unit is not None else "名录单位"


def _honour(honour: Any) -> str:
    return (
        f"{_entry_unit(honour)} {honour.year_named}年{honour.get_level_display()}“{honour.title}”"
    )


def _negative(event: Any) -> str:
    veto = "（一票否决）" if event.is_veto else ""
    return f"{_entry_unit(event)} {event.occurred_on} {event.what}{veto}"


def _revocation(revocation: Any) -> str:
    return f"{_entry_unit(revocation)} {revocation.decided_on} 摘牌"


def register_with_trace() -> None:
    from wenming.registry import access
    from wenming.registry.models import Honour, NegativeEvent, RegistryEntry, Revocation
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(RegistryEntry, kind="registry_entry", unit="unit")
    # The entry (and the revoked honour) never change; the description names them.
    register(
        Honour,
        kind="honour",
        unit="entry.unit",
        parent=("registry_entry", "entry"),
        ignore={"entry"},
        describe=_honour,
    )
    register(
        NegativeEvent,
        kind="negative_event",
        unit="entry.unit",
        parent=("registry_entry", "entry"),
        ignore={"entry"},
        describe=_negative,
    )
    register(
        Revocation,
        kind="revocation",
        unit="entry.unit",
        parent=("registry_entry", "entry"),
        ignore={"entry", "honour", "negative_event", "document"},
        describe=_revocation,
    )
    register_history("registry_entry", access.get_entry_for_user)
    register_history("honour", access.get_honour_for_user)
    register_history("negative_event", access.get_negative_event_for_user)
    register_history("revocation", access.get_revocation_for_user)

"""The organization models the trace captures itself (R16); every app above the trace
registers its own models in its `AppConfig.ready()` (see `docs/trace.md`)."""

from __future__ import annotations

from typing import Any

from wenming.trace.capture import person_name
from wenming.trace.registry import cached_relation, register


def _membership(m: Any) -> str:
    user = cached_relation(m, "user")
    return f"{person_name(user) or '人员'} · {m.get_role_display()}"


def _leading(m: Any) -> str:
    user = cached_relation(m, "user")
    return f"领导小组{m.get_position_display()} {person_name(user)}".strip()


def register_organizations() -> None:
    from wenming.orgs.models import (
        CalendarDay,
        LeadingGroupMember,
        Membership,
        Organization,
        WorkingGroup,
    )

    register(Organization, kind="org", unit="")
    register(
        Membership,
        kind="membership",
        unit="organization",
        parent=("org", "organization"),
        ignore={"ended_at"},
        describe=_membership,
    )
    register(
        LeadingGroupMember,
        kind="leading",
        unit="unit",
        parent=("org", "unit"),
        m2m={"departments"},
        describe=_leading,
    )
    register(
        WorkingGroup, kind="working_group", unit="unit", parent=("org", "unit"), m2m={"members"}
    )
    register(CalendarDay, kind="calendar_day", unit="office", parent=("org", "office"))

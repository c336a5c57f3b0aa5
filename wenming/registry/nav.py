"""The registry's keys in the navigation: computed from the user's memberships, no query."""

from __future__ import annotations

from typing import Any

from wenming.registry import access


def nav(user: Any) -> dict[str, Any]:
    """`registry_offices`: the office's people get 文明单位名录; `registry_unit`: a unit's
    own people get 本单位荣誉 (their entry, read-only)."""
    offices = access.is_office_person(user)
    return {"registry_offices": offices, "registry_unit": not offices and access.has_own_unit(user)}

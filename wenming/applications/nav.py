"""The applications' keys in the navigation: computed from the user's memberships, no query."""

from __future__ import annotations

from typing import Any

from wenming.applications import access


def nav(user: Any) -> dict[str, Any]:
    """`applications_office`: the office's people get 申报 (the batches); `applications_unit`:
    a unit's own people get 申报 (the open batches and their own applications)."""
    office = access.is_office_person(user)
    return {
        "applications_office": office,
        "applications_unit": not office and access.has_own_unit(user),
    }

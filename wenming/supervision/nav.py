"""Supervision's keys in the navigation: computed from the user's memberships, no query."""

from __future__ import annotations

from typing import Any

from wenming.supervision import access


def nav(user: Any) -> dict[str, Any]:
    """`supervision_office`: the office's people get 督查与报送 (the office's own work);
    `supervision_unit`: a unit's own people get 文明办交办 (their unit's side)."""
    office = access.is_office_person(user)
    return {
        "supervision_office": office,
        "supervision_unit": not office and access.has_own_unit(user),
    }

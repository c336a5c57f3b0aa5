"""复查's keys in the navigation: computed from the user's memberships, no query."""

from __future__ import annotations

from typing import Any

from wenming.rechecks import access


def nav(user: Any) -> dict[str, Any]:
    """`rechecks_office`: the office's people get 复查 (the office's 复查); `rechecks_unit`: a
    unit's own people get 复查 (their unit's reports)."""
    office = access.is_office_person(user)
    return {"rechecks_office": office, "rechecks_unit": not office and access.has_own_unit(user)}

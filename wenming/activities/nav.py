"""Activities' key in the navigation: computed from the user's memberships, no query of its own."""

from __future__ import annotations

from typing import Any

from wenming.orgs.access import scope_for
from wenming.orgs.models import OrgKind


def nav(user: Any) -> dict[str, Any]:
    """`activities`: the people of a unit (its 创建办, leaders, inspectors, observers and
    department people) get 活动, their unit's activities and volunteer hours. Office-only
    people are left out to keep their menu short; /activities/ still answers them (it reads
    every unit they see, with a chooser)."""
    scope = scope_for(user)
    own = any(m.organization.kind != OrgKind.OFFICE for m in scope.memberships)
    return {"activities": scope.is_superuser or own}

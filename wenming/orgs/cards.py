"""What orgs gives the layout and the home page, registered in `OrgsConfig.ready()`: the
navigation's roles and menus (`access.describe`), and the card "我在组织中的位置"."""

from __future__ import annotations

from typing import Any

from wenming.orgs import access
from wenming.orgs.models import Organization


def places_card(user: Any) -> list[dict[str, Any]]:
    """Each of the user's memberships with the chain of organizations above it (one query)."""
    scope = access.scope_for(user)
    ancestor_ids = {a for org in scope.home_orgs for a in org.ancestor_ids}
    ancestors = {o.pk: o for o in Organization.objects.filter(pk__in=ancestor_ids)}
    return [
        {
            "membership": m,
            "chain": [ancestors[a] for a in m.organization.ancestor_ids if a in ancestors],
        }
        for m in scope.memberships
    ]


def nav(user: Any) -> dict[str, Any]:
    return access.describe(user)

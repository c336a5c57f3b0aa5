"""Dashboard API routes (R14) in the permission matrix: the same readers as the screens,
401 without credentials. The matrix's department people are of 食品安全监管科; another
department's head is refused (403) in tests/dashboards/test_api.py."""

from __future__ import annotations

from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, office_only, unit_read


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    return {"dashboard_api_campaign": campaign}


ROUTES: dict[str, Route] = {
    "api:dashboard_campaign": Route(
        "GET", lambda t: [t["dashboard_api_campaign"].pk], unit_read(anonymous=401)
    ),
    "api:dashboard_department": Route(
        "GET",
        lambda t: [t["dashboard_api_campaign"].pk, t["food"].pk],
        unit_read(anonymous=401),
    ),
    "api:dashboard_office": Route(
        "GET", lambda t: [t["office"].pk], office_only(200, anonymous=401)
    ),
}

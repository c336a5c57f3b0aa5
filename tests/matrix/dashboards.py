"""Dashboard routes (R14) in the permission matrix.

The entry sends everyone somewhere (302): unit people to the cockpit or their department,
office people to their office. The cockpit is read by whoever sees the campaign; a
department's view by the unit-wide roles, the office above and the department's own people
(the matrix's department people are of 食品安全监管科; another department's head is refused
in tests/dashboards/test_access.py); the office view by that office's people only.
"""

from __future__ import annotations

from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, no_args, office_only, unit_read


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    return {"dashboard_campaign": campaign}


ROUTES: dict[str, Route] = {
    "dashboards:index": Route("GET", no_args, expect(302)),
    "dashboards:campaign": Route("GET", lambda t: [t["dashboard_campaign"].pk], unit_read()),
    "dashboards:department": Route(
        "GET", lambda t: [t["dashboard_campaign"].pk, t["food"].pk], unit_read()
    ),
    "dashboards:office": Route("GET", lambda t: [t["office"].pk], office_only(200)),
    "dashboards:office_overdue": Route(
        "GET", lambda t: [t["office"].pk, "problems"], office_only(200)
    ),
}

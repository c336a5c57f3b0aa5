"""Binder export routes (装订) in the permission matrix.

Asking for a binder follows the campaign: the unit's people may open the form (department
people bind their own department). An export is seen by who asked for it and by the
ledger's managers; everyone else is told nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.ledger.models import BinderExport, ExportStatus

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    # A finished export asked for by the food department's staff member (jingban); no file,
    # so a download that passes the access check answers 404 too (nothing to hand over).
    export = BinderExport.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        format="zip",
        department=base["food"],
        requested_by=User.objects.get(username="jingban"),
        status=ExportStatus.RUNNING,
        progress=30,
    )
    return {"binder_campaign": campaign, "binder_export": export}


def _export(t: dict[str, Any]) -> list[Any]:
    return [t["binder_export"].pk]


# Who asked (staff) and the managers see it; the rest of the unit and other cities get 404.
EXPORT_READ = expect(404, coordinator=200, office_admin=200, staff=200)

ROUTES: dict[str, Route] = {
    "binder:new": Route("GET", lambda t: [t["binder_campaign"].pk], unit_read()),
    "binder:detail": Route("GET", _export, EXPORT_READ),
    "binder:progress": Route("GET", _export, EXPORT_READ),
    # Still running: nobody may download it yet, and the outsiders learn nothing.
    "binder:download": Route("GET", _export, expect(404)),
}

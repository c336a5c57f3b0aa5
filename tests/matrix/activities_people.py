"""The screens of volunteers and of the standards' measures (达标测算) in the permission matrix.

Everyone who reads the unit's activities — its 创建办, leaders, inspectors, observers and
department people — and the office admin above read the volunteers and the measures; another
city is told nothing (404). Only the unit's 创建办 registers and removes volunteers and sets a
measure; everyone else who reads, the office admin included (the office reads only), is
refused (403). The targets: the market bureau's campaign, a registered volunteer (keshi), a
person not yet registered (jingban) and a standard of the campaign's system.
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.activities.models import Volunteer
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Node

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    standard = (
        Node.objects.filter(framework=campaign.framework, is_leaf=True).order_by("position").first()
    )
    volunteer = Volunteer.objects.create(
        unit=base["unit"],
        person=User.objects.get(username="keshi"),
        registered_on=datetime.date(2026, 1, 5),
    )
    return {
        "actp_campaign": campaign,
        "actp_standard": standard,
        "actp_volunteer": volunteer,
        "actp_person": User.objects.get(username="jingban"),
    }


QUERY = "?campaign={actp_campaign}&year=2026"


def _register(t: dict[str, Any]) -> dict[str, Any]:
    return {"person": t["actp_person"].pk, "registered_on": datetime.date.today().isoformat()}


def _measure(t: dict[str, Any]) -> dict[str, Any]:
    return {"standard": t["actp_standard"].pk, "figure": "activities", "target": "4"}


ROUTES: dict[str, Route] = {
    "activities:volunteers": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:volunteer_new": Route(
        "POST", lambda t: [], unit_work(302), data=_register, query=QUERY
    ),
    "activities:volunteer_remove": Route(
        "POST", lambda t: [t["actp_volunteer"].pk], unit_work(302), query=QUERY
    ),
    "activities:measures": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:departments": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:measure_set": Route(
        "POST", lambda t: [], unit_work(302), data=_measure, query=QUERY
    ),
}

"""The activity screens (R9) in the permission matrix.

The target is a volunteer activity of the market bureau organized by 食品安全监管科 (the
`dept_head`/`staff` personas' department), with the department head taking part. Everyone in
the unit (创建办, leaders, inspectors, observers and department people, of any department) and
the office above read the unit's list, an activity and a person's record; another city is
told nothing (404). The unit's 创建办 records and removes any activity, a department's people
those organized by their own department; everyone else who reads is refused (403, the office
admin above included: the unit's activities are its own work).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read

RECORDERS = ("coordinator", "dept_head", "staff")


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.utils import timezone

    from wenming.activities.models import Activity, Attendance
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Node

    # Another app's targets may already have given the unit its one active campaign.
    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    head = User.objects.get(username="keshi")
    activity = Activity.objects.create(
        campaign=campaign,
        unit=base["unit"],
        department=base["food"],
        kind="volunteer",
        title="矩阵志愿服务",
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 20, 14, 30)),
        place="城东农贸市场",
    )
    standard = Node.objects.filter(framework=campaign.framework, is_leaf=True).first()
    activity.standards.add(standard)
    Attendance.objects.create(activity=activity, person=head, hours=Decimal("2.5"))
    return {"act_campaign": campaign, "act_activity": activity, "act_person": head}


def _recorders(ok: int) -> dict[str, int]:
    table = expect(403, outsider_admin=404)
    table.update({p: ok for p in RECORDERS})
    return table


def _activity(t: dict[str, Any]) -> list[Any]:
    return [t["act_activity"].pk]


ROUTES: dict[str, Route] = {
    "activities:index": Route("GET", lambda t: [], unit_read(), query="?campaign={act_campaign}"),
    "activities:new": Route("GET", lambda t: [], _recorders(200), query="?campaign={act_campaign}"),
    "activities:detail": Route("GET", _activity, unit_read()),
    "activities:remove": Route("POST", _activity, _recorders(302)),
    "activities:person": Route(
        "GET", lambda t: [t["act_person"].pk], unit_read(), query="?unit={unit}"
    ),
}

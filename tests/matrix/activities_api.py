"""The activities API (R9) in the permission matrix.

Everyone in the unit (its 创建办, leaders, inspectors, observers and department people) and
the office admin above read the unit's activities, its festivals and a person's record;
another city is told nothing (404). Recording takes the 创建办 (any department) or a
department's people (their own: 食品安全监管科 for keshi and jingban); the rest, the office
admin included, are refused (403). Recordings are sent without photos, so an allowed persona
is told to add one (422) and nothing reaches storage. Removing takes the 创建办 and the
organizing department's people.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.utils import timezone

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.activities.models import Activity, Attendance
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Node

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    standard = (
        Node.objects.filter(framework=campaign.framework, is_leaf=True).order_by("position").first()
    )
    person = User.objects.get(username="keshi")
    activity = Activity.objects.create(
        campaign=campaign,
        unit=base["unit"],
        department=base["food"],
        kind="volunteer",
        title="矩阵学雷锋志愿服务",
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0)),
    )
    activity.standards.set([standard])
    Attendance.objects.create(activity=activity, person=person, hours=2)
    return {
        "act_api_campaign": campaign,
        "act_api_standard": standard,
        "act_api_activity": activity,
        "act_api_person": person,
    }


def _activity(t: dict[str, Any]) -> list[Any]:
    return [t["act_api_activity"].pk]


READ = unit_read(anonymous=401)
# The 创建办 and the organizing department's people (食品安全监管科).
RECORD = expect(403, anonymous=401, outsider_admin=404)
RECORD.update(coordinator=422, dept_head=422, staff=422)
REMOVE = {p: 204 if code == 422 else code for p, code in RECORD.items()}


def _recording(t: dict[str, Any]) -> dict[str, Any]:
    """A recording without photos: refused for what it lacks, after the access checks."""
    return {
        "campaign": t["act_api_campaign"].pk,
        "department": t["food"].pk,
        "kind": "volunteer",
        "title": "矩阵志愿服务",
        "starts_at": "2026-03-05T09:00",
        "standards": [t["act_api_standard"].pk],
        "participants": json.dumps([{"person_id": t["act_api_person"].pk, "hours": "2"}]),
    }


ROUTES: dict[str, Route] = {
    "api:activity_list": Route("GET", lambda t: [], READ, query="?campaign={act_api_campaign}"),
    "api:activity_create": Route("POST", lambda t: [], RECORD, data=_recording),
    "api:activity_detail": Route("GET", _activity, READ),
    "api:activity_remove": Route("POST", _activity, REMOVE),
    "api:activity_festivals": Route(
        "GET", lambda t: [], READ, query="?campaign={act_api_campaign}&year=2026"
    ),
    "api:activity_person": Route(
        "GET",
        lambda t: [t["act_api_person"].pk],
        READ,
        query="?unit={unit}",
    ),
}

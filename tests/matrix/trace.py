"""Trace routes (R16) in the permission matrix.

The log is read by the managers (创建办, 文明办管理员) and unit leaders, each within what they
see (another city's office reads its own, empty log); an object's history is read by whoever
sees the object, here a task of the unit, and another city is told nothing.
"""

from __future__ import annotations

from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, no_args, unit_read


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.tasks.models import Task

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    task = Task.objects.create(
        campaign=campaign, title="留痕测试任务", lead_department=base["food"]
    )
    return {"trace_task": task}


ROUTES: dict[str, Route] = {
    "trace:log": Route(
        "GET",
        no_args,
        expect(403, office_admin=200, coordinator=200, leader=200, outsider_admin=200),
    ),
    "trace:history": Route("GET", lambda t: ["task", t["trace_task"].pk], unit_read()),
}

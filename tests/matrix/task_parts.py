"""Co-operating departments' parts of a task (配合部门进展) in the permission matrix.

Reading follows the task; reporting a co-operating department's part takes that department's
people (食品安全监管科: keshi, jingban co-operate on the task 登记注册科 leads) or the managers.
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.tasks.models import Task

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    task = Task.objects.create(
        campaign=campaign,
        title="窗口单位文明服务",
        lead_department=base["registry"],
        deadline=datetime.date(2026, 12, 31),
    )
    task.co_departments.set([base["food"]])
    return {"co_task": task}


def _part(t: dict[str, Any]) -> list[Any]:
    return [t["co_task"].pk, t["food"].pk]


REPORT = expect(403, outsider_admin=404, coordinator=302)
REPORT.update(dept_head=302, staff=302)
API_REPORT = expect(403, anonymous=401, outsider_admin=404, coordinator=200)
API_REPORT.update(dept_head=200, staff=200)

ROUTES: dict[str, Route] = {
    "tasks:part_report": Route(
        "POST",
        _part,
        REPORT,
        data=lambda t: {f"p{t['food'].pk}-progress": 50, f"p{t['food'].pk}-note": "已配合"},
    ),
    "api:task_part_list": Route("GET", lambda t: [t["co_task"].pk], unit_read(anonymous=401)),
    "api:task_part_detail": Route("GET", _part, unit_read(anonymous=401)),
    "api:task_part_report": Route("PUT", _part, API_REPORT, data=lambda t: {"progress": 50}),
}

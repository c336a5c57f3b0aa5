"""Sub-task routes (子任务) in the permission matrix.

A sub-task of 食品安全监管科 (the lead department) given to its 经办人 (jingban): the unit and
the office above read it; its department's head (keshi) and the 创建办 split, change, delete
and restore; the assignee and those records progress and complete it; another city is told
nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.tasks.models import SubTask, Task

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    task = Task.objects.create(
        campaign=campaign,
        title="撰写学习心得",
        lead_department=base["food"],
        start_date=datetime.date(2026, 4, 1),
        deadline=datetime.date(2026, 12, 31),
    )
    staff, head = User.objects.get(username="jingban"), User.objects.get(username="keshi")
    subtask = SubTask.objects.create(
        task=task, department=base["food"], assignee=staff, title="撰写心得体会", created_by=head
    )
    deleted = SubTask.objects.create(
        task=task,
        department=base["food"],
        assignee=staff,
        title="已删除的子任务",
        created_by=head,
        deleted_at=timezone.now(),
    )
    return {"split_task": task, "subtask": subtask, "deleted_subtask": deleted}


def _task(t: dict[str, Any]) -> list[Any]:
    return [t["split_task"].pk]


def _subtask(t: dict[str, Any]) -> list[Any]:
    return [t["subtask"].pk]


def _deleted(t: dict[str, Any]) -> list[Any]:
    return [t["deleted_subtask"].pk]


def _head_too(table: dict[str, int], ok: int) -> dict[str, int]:
    """`unit_work` plus the department's head."""
    return {**table, "dept_head": ok}


def _report(ok: int, anonymous: int = 302) -> dict[str, int]:
    """The assignee, the department's head and the 创建办."""
    table = expect(403, anonymous, outsider_admin=404)
    table.update(staff=ok, dept_head=ok, coordinator=ok)
    return table


ROUTES: dict[str, Route] = {
    # Screens
    "tasks:subtask_create": Route("GET", _task, _head_too(unit_work(200), 200)),
    "tasks:subtask": Route("GET", _subtask, unit_read()),
    "tasks:subtask_edit": Route("GET", _subtask, _head_too(unit_work(200), 200)),
    "tasks:subtask_report": Route(
        "POST", _subtask, _report(302), data=lambda t: {"progress": 30, "note": "进行中"}
    ),
    "tasks:subtask_complete": Route("POST", _subtask, _report(302)),
    "tasks:subtask_delete": Route("POST", _subtask, _head_too(unit_work(302), 302)),
    "tasks:subtask_restore": Route("POST", _deleted, _head_too(unit_work(302), 302)),
    # API
    "api:subtask_list": Route("GET", _task, unit_read(anonymous=401)),
    "api:subtask_create": Route(
        "POST",
        _task,
        _head_too(unit_work(201, anonymous=401), 201),
        data=lambda t: {
            "department_id": t["food"].pk,
            "assignee_id": User.objects.get(username="jingban").pk,
            "title": "整理学习笔记",
        },
    ),
    "api:subtask_detail": Route("GET", _subtask, unit_read(anonymous=401)),
    "api:subtask_update": Route(
        "PATCH", _subtask, _report(200, anonymous=401), data=lambda t: {"progress": 30}
    ),
    "api:subtask_complete": Route("POST", _subtask, _report(200, anonymous=401)),
    "api:subtask_delete": Route("DELETE", _subtask, _head_too(unit_work(200, anonymous=401), 200)),
    "api:subtask_restore": Route("POST", _deleted, _head_too(unit_work(200, anonymous=401), 200)),
}

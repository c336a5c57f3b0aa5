"""Tests for task decomposition (R4). `make_task` builds a task with the ORM directly."""

from __future__ import annotations

import datetime
from typing import Any


def make_task(campaign: Any, **fields: Any) -> Any:
    from wenming.tasks.models import Task

    standards = fields.pop("standards", [])
    defaults: dict[str, Any] = {
        "title": "开展道德讲堂活动",
        "start_date": datetime.date(2026, 4, 1),
        "deadline": datetime.date(2026, 12, 31),
    }
    defaults.update(fields)
    task = Task.objects.create(campaign=campaign, **defaults)
    if standards:
        task.standards.set(standards)
    return task

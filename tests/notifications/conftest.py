"""Notification fixtures: a fixed today and small builders for the objects rules read.

Today is Wednesday 20 May 2026, 10:00 in Shanghai; last week began Monday 11 May. The
personas come from tests/conftest.py: `staff` and `dept_head` are 食品安全监管科,
`other_dept_head` heads 登记注册科.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from wenming.tasks.models import Task

TODAY = datetime.date(2026, 5, 20)
LAST_MONDAY = datetime.date(2026, 5, 11)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """`hour` o'clock in Shanghai on `day`, as the aware datetime time_machine travels to."""
    return datetime.datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today() -> Iterator[Any]:
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def make_task(campaign, demo) -> Callable[..., Task]:  # type: ignore[no-untyped-def]
    def make(title: str = "开展道德讲堂", *, days: int = 7, **fields: Any) -> Task:
        fields.setdefault("lead_department", demo["food"])
        return Task.objects.create(
            campaign=campaign,
            title=title,
            deadline=TODAY + datetime.timedelta(days=days),
            **fields,
        )

    return make


@pytest.fixture
def make_problem(campaign, demo):  # type: ignore[no-untyped-def]
    from wenming.oversight.models import Problem

    counter = iter(range(1, 1000))

    def make(*, days: int = 10, **fields: Any) -> Problem:
        fields.setdefault("department", demo["food"])
        return Problem.objects.create(
            campaign=campaign,
            unit=demo["unit"],
            year=2026,
            sequence=next(counter),
            description="办事大厅窗口公示栏信息过期",
            deadline=TODAY + datetime.timedelta(days=days),
            **fields,
        )

    return make


@pytest.fixture
def make_item(campaign, demo, staff):  # type: ignore[no-untyped-def]
    from wenming.ledger.models import EvidenceItem

    def make(**fields: Any) -> EvidenceItem:
        fields.setdefault("created_by", staff)
        fields.setdefault("department", demo["food"])
        return EvidenceItem.objects.create(
            campaign=campaign, unit=demo["unit"], year=2026, title="道德讲堂活动记录", **fields
        )

    return make


def kinds_for(user: Any, *, with_reports: bool = False) -> list[tuple[str, str]]:
    """(kind, key) of the user's notifications; weekly-report reminders, which any open task
    of a department brings, only when asked for."""
    from wenming.notifications.models import Notification

    qs = Notification.objects.filter(recipient=user)
    if not with_reports:
        qs = qs.exclude(kind="report_missing")
    return sorted(qs.values_list("kind", "key"))

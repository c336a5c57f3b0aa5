"""Fixtures for progress reporting: a fixed today and a task factory."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from wenming.frameworks.models import Node
from wenming.tasks.models import Task

# Wednesday 11 March 2026; its week starts Monday 9 March.
TODAY = datetime.date(2026, 3, 11)
MONDAY = datetime.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(
        datetime.datetime(2026, 3, 11, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def food(demo):  # type: ignore[no-untyped-def]
    return demo["food"]


@pytest.fixture
def registry(demo):  # type: ignore[no-untyped-def]
    return demo["registry"]


@pytest.fixture
def make_task(campaign) -> Callable[..., Task]:  # type: ignore[no-untyped-def]
    def make(title: str, *, standards: list[str] | None = None, **fields: Any) -> Task:
        task = Task.objects.create(campaign=campaign, title=title, **fields)
        if standards:
            task.standards.set(
                Node.objects.filter(framework=campaign.framework, code__in=standards)
            )
        return task

    return make

"""Oversight fixtures: files on a private disk, an inspection and problems at each step.

The personas come from tests/conftest.py: `inspector` (督查员 of the unit) records and
verifies; `dept_head` and `staff` are 食品安全监管科, the department most problems here are
given to; `other_dept_head` is 登记注册科.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from tests.ledger.conftest import jpeg, upload

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10, 0), tick=False):
        yield


def photo(name: str = "现场.jpg", pattern: int = 0) -> Any:
    return upload(name, jpeg(pattern=pattern), "image/jpeg")


@pytest.fixture
def inspection(campaign, inspector):  # type: ignore[no-untyped-def]
    from wenming.oversight import services

    return services.inspection_create(
        campaign=campaign,
        user=inspector,
        kind="routine",
        title="5月第3周日常督查",
        inspected_on=datetime.date(2026, 5, 18),
        place="局机关办公楼",
        inspectors="赵立新",
        findings="总体整洁。",
    )


@pytest.fixture
def make_problem(campaign, inspection, inspector, demo):  # type: ignore[no-untyped-def]
    from wenming.oversight import services

    def make(**overrides: Any) -> Any:
        kwargs: dict[str, Any] = {
            "campaign": campaign,
            "user": inspector,
            "inspection": inspection,
            "description": "楼道消防栓前堆放杂物",
            "place": "四楼东侧",
            "department": demo["food"],
            "deadline": datetime.date(2026, 5, 30),
            "severity": "serious",
            "uploads": [photo()],
        }
        kwargs.update(overrides)
        return services.problem_create(**kwargs)

    return make


@pytest.fixture
def problem(make_problem):  # type: ignore[no-untyped-def]
    return make_problem()


@pytest.fixture
def awaiting(problem, dept_head):  # type: ignore[no-untyped-def]
    """A problem its department has rectified and sent for verification."""
    from wenming.oversight import services

    return services.problem_submit(
        problem=problem,
        user=dept_head,
        note="杂物已清理，张贴禁止堆放标识。",
        uploads=[photo("整改后.jpg", pattern=3)],
    )

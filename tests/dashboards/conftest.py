"""A small campaign whose dashboard numbers are worked out by hand.

Today is Wednesday 20 May 2026 (the week starts Monday 18 May). 食品安全监管科 (`food`)
leads three tasks, 登记注册科 (`registry`) two, one task has no lead department, one is
in the recycle bin and one (led by `food`, overdue, on C1-1) is a draft: those two count
nowhere. Three problems, three evidence items, one mock round. The expected
figures are in each test.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = datetime.date(2026, 5, 20)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(at(TODAY), tick=False):
        yield


def add_task(campaign: Any, **kwargs: Any) -> Any:
    from wenming.tasks.models import Task

    standards = kwargs.pop("standards", [])
    task = Task.objects.create(campaign=campaign, **kwargs)
    if standards:
        task.standards.set(standards)
    return task


def add_problem(campaign: Any, sequence: int, **kwargs: Any) -> Any:
    from wenming.oversight.models import Problem

    kwargs.setdefault("description", f"问题{sequence}")
    return Problem.objects.create(
        campaign=campaign, unit=campaign.unit, year=2026, sequence=sequence, **kwargs
    )


def add_evidence(campaign: Any, department: Any, status: str, standards: list[Any]) -> Any:
    from wenming.ledger.models import EvidenceItem

    item = EvidenceItem.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=department,
        year=2026,
        title=f"{department.name}台账",
        status=status,
    )
    item.standards.set(standards)
    return item


@pytest.fixture
def data(campaign, demo, coordinator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from wenming.campaigns.models import Phase, PhaseKind
    from wenming.frameworks.models import Node
    from wenming.scoring.models import RoundKind, Score, ScoringRound

    food, registry = demo["food"], demo["registry"]
    implement = Phase.objects.get(campaign=campaign, kind=PhaseKind.IMPLEMENT)
    mobilize = Phase.objects.get(campaign=campaign, kind=PhaseKind.MOBILIZE)
    node = {n.code: n for n in Node.objects.filter(framework=campaign.framework)}
    d = datetime.date
    tasks = {
        "t1": add_task(
            campaign,
            title="食品任务一",
            lead_department=food,
            phase=implement,
            status="done",
            progress=100,
            completed_at=at(d(2026, 5, 19)),
            deadline=d(2026, 6, 30),
            standards=[node["A1-1"]],
        ),
        "t2": add_task(
            campaign,
            title="食品任务二",
            lead_department=food,
            phase=implement,
            status="in_progress",
            progress=50,
            deadline=d(2026, 5, 1),
            standards=[node["A1-2"]],
        ),
        "t3": add_task(
            campaign,
            title="食品任务三",
            lead_department=food,
            phase=implement,
            deadline=d(2026, 6, 30),
        ),
        "t4": add_task(
            campaign,
            title="登记任务一",
            lead_department=registry,
            phase=implement,
            status="done",
            progress=100,
            completed_at=at(d(2026, 5, 12)),
            deadline=d(2026, 5, 31),
        ),
        "t5": add_task(
            campaign,
            title="登记任务二",
            lead_department=registry,
            phase=implement,
            status="in_progress",
            progress=40,
            deadline=d(2026, 7, 1),
        ),
        "t6": add_task(
            campaign,
            title="动员部署",
            phase=mobilize,
            status="done",
            progress=100,
            completed_at=at(d(2026, 3, 1)),
            deadline=d(2026, 3, 31),
        ),
        "deleted": add_task(
            campaign,
            title="已删除",
            lead_department=food,
            phase=implement,
            deadline=d(2026, 4, 1),
            deleted_at=at(d(2026, 5, 1)),
        ),
        # A proposal not yet confirmed: in no figure (docs/tasks.md, "What counts").
        "draft": add_task(
            campaign,
            title="草稿任务",
            lead_department=food,
            phase=implement,
            deadline=d(2026, 4, 1),
            is_draft=True,
            standards=[node["C1-1"]],
        ),
    }
    problems = {
        "p1": add_problem(campaign, 1, department=food, deadline=d(2026, 5, 10), status="pending"),
        "p2": add_problem(
            campaign,
            2,
            department=food,
            deadline=d(2026, 5, 30),
            status="closed",
            closed_at=at(d(2026, 5, 19)),
        ),
        "p3": add_problem(
            campaign, 3, department=registry, deadline=d(2026, 6, 30), status="rectifying"
        ),
    }
    evidence = {
        "e1": add_evidence(campaign, food, "approved", [node["A1-1"]]),
        "e2": add_evidence(campaign, food, "submitted", [node["A1-1"], node["A1-2"]]),
        "e3": add_evidence(campaign, registry, "approved", [node["B1-1"]]),
    }
    round_ = ScoringRound.objects.create(
        campaign=campaign,
        framework=campaign.framework,
        kind=RoundKind.MOCK,
        title="第一次模拟测评",
        scored_on=d(2026, 5, 15),
        created_by=coordinator,
    )
    Score.objects.create(round=round_, standard=node["A1-1"], points=Decimal("1.5"))
    Score.objects.create(round=round_, standard=node["A1-2"], points=Decimal("1"))
    return {
        "campaign": campaign,
        "food": food,
        "registry": registry,
        "implement": implement,
        "mobilize": mobilize,
        "node": node,
        "tasks": tasks,
        "problems": problems,
        "evidence": evidence,
        "round": round_,
    }

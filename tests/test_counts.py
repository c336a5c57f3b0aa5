"""Every surface gives the same figures for the same campaign (one definition per count).

The demo campaign is loaded on 22 November 2026 and read ten days later, so tasks and
problems have fallen overdue. Its three bonus tasks (X) are generated drafts, open to claim:
they are in no count (`docs/tasks.md`, "What counts"), so each surface says 67 tasks, not
70. Every counted task of the demo has a lead department and every problem a responsible
department, so the per-department surfaces add up to the unit's figures.

Done means proven done (`docs/tasks.md`, "Proven, not just reported"): the demo reports nine
tasks at 100 %, of which the ledger proves one and the 创建办 waived the proof of one; the
other seven are 待佐证 and past their deadline, so every surface says 2 done and counts those
seven among the overdue.

The surfaces are all read before anything is asserted, and the assertion names every one
that disagrees (or failed), so one run shows the whole picture.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from wenming.campaigns.models import Campaign
from wenming.orgs.demo import load_demo
from wenming.orgs.models import ApiToken, Organization
from wenming.oversight.models import Problem
from wenming.tasks.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOADED = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
TODAY = datetime.date(2026, 12, 2)
FIGURES = ("tasks", "overdue_tasks", "open_problems", "overdue_problems")

Figures = dict[str, int]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user: User) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _cockpit(campaign: Campaign, **_: Any) -> Figures:
    from wenming.dashboards import services

    head = services.cockpit(campaign, TODAY).head
    return {
        "tasks": head.tasks,
        "done_tasks": head.done,
        "overdue_tasks": head.overdue_tasks,
        "open_problems": head.open_problems,
        "overdue_problems": head.overdue_problems,
    }


def _cockpit_screen(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    response = _client(coordinator).get(reverse("dashboards:campaign", args=[campaign.pk]))
    head = response.context["head"]
    phases = response.context["phases"]
    assert sum(p.total for p in phases) == head.tasks, "phases"
    assert sum(p.overdue for p in phases) == head.overdue_tasks, "phases"
    weeks = response.context["weeks"]
    assert weeks[-1].cumulative_done == head.done, "trend"
    return {
        "tasks": head.tasks,
        "done_tasks": head.done,
        "overdue_tasks": head.overdue_tasks,
        "open_problems": head.open_problems,
        "overdue_problems": head.overdue_problems,
    }


def _cockpit_api(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    data = _bearer(coordinator).get(f"/api/v1/dashboards/campaigns/{campaign.pk}").json()
    head = data["headline"]
    return {**{k: head[k] for k in FIGURES}, "done_tasks": head["done"]}


def _departments(campaign: Campaign, **_: Any) -> Figures:
    from wenming.dashboards import services

    total = dict.fromkeys((*FIGURES, "done_tasks"), 0)
    for department in campaign.unit.active_departments():
        head = services.cockpit(campaign, TODAY, department).head
        total["tasks"] += head.tasks
        total["done_tasks"] += head.done
        total["overdue_tasks"] += head.overdue_tasks
        total["open_problems"] += head.open_problems
        total["overdue_problems"] += head.overdue_problems
    return total


def _ranking(campaign: Campaign, **_: Any) -> Figures:
    from wenming.dashboards import services

    ranking = services.department_ranking(campaign, TODAY)
    return {
        "tasks": sum(r.tasks for r in ranking),
        "overdue_tasks": sum(r.overdue_tasks for r in ranking),
        "open_problems": sum(r.open_problems for r in ranking),
        "overdue_problems": sum(r.overdue_problems for r in ranking),
    }


def _office(campaign: Campaign, office: Organization, **_: Any) -> Figures:
    from wenming.dashboards.office import office_overdue, office_units

    row = next(r for r in office_units(office, TODAY) if r.campaign == campaign)
    assert office_overdue(office, TODAY, "tasks").count() == row.overdue_tasks, "office list"
    assert office_overdue(office, TODAY, "problems").count() == row.overdue_problems, "list"
    return {
        "tasks": row.tasks,
        "done_tasks": row.done,
        "overdue_tasks": row.overdue_tasks,
        "open_problems": row.open_problems,
        "overdue_problems": row.overdue_problems,
    }


def _rollup(campaign: Campaign, **_: Any) -> Figures:
    from wenming.tasks.reports import services

    week = services.week_monday(TODAY)
    total = services.rollup_build(campaign=campaign, week_start=week).total
    return {"tasks": total.led, "overdue_tasks": total.overdue}


def _rollup_xlsx(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    import io

    from openpyxl import load_workbook

    response = _client(coordinator).get(reverse("reports:rollup_xlsx", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "牵头任务" in r)
    total = next(r for r in rows if r[0] == "合计")
    led, overdue = header.index("牵头任务"), header.index("当前逾期")
    return {"tasks": int(total[led]), "overdue_tasks": int(total[overdue])}


def _monthly(campaign: Campaign, **_: Any) -> Figures:
    from wenming.tasks.reports import services

    month = services.monthly_build(campaign=campaign, month=TODAY.replace(day=1))
    assert month.as_of == TODAY
    assert sum(d.overdue for d in month.departments) == month.overdue_total, "monthly rows"
    return {
        "tasks": sum(d.led for d in month.departments),
        "done_tasks": sum(d.done for d in month.departments),
        "overdue_tasks": month.overdue_total,
    }


def _progress_sheet(campaign: Campaign, **_: Any) -> Figures:
    from wenming.tasks.reports.excel import task_rows

    return {"tasks": len(task_rows(campaign))}


def _task_table(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    client = _client(coordinator)
    url = reverse("tasks:table", args=[campaign.pk])
    shown = client.get(url)
    overdue = client.get(url, {"status": "overdue"})
    done = client.get(url, {"status": "done"})
    return {
        "tasks": shown.context["page"].paginator.count,
        "done_tasks": done.context["page"].paginator.count,
        "overdue_tasks": overdue.context["page"].paginator.count,
    }


def _task_boards(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    client = _client(coordinator)
    total = {"tasks": 0, "done_tasks": 0, "overdue_tasks": 0}
    for department in campaign.unit.active_departments():
        response = client.get(reverse("tasks:board", args=[department.pk]))
        total["tasks"] += response.context["page"].paginator.count
        total["done_tasks"] += response.context["counts"]["done"]
        total["overdue_tasks"] += response.context["counts"]["overdue"]
    return total


def _task_api(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    client = _bearer(coordinator)
    listed = client.get("/api/v1/tasks", {"campaign": campaign.pk}).json()
    overdue = client.get("/api/v1/tasks", {"campaign": campaign.pk, "status": "overdue"}).json()
    done = client.get("/api/v1/tasks", {"campaign": campaign.pk, "status": "done"}).json()
    return {
        "tasks": listed["count"],
        "done_tasks": done["count"],
        "overdue_tasks": overdue["count"],
    }


def _bulletin(campaign: Campaign, coordinator: User, **_: Any) -> Figures:
    from wenming.oversight.bulletins.services import bulletin_draft

    start = TODAY.replace(day=1)
    end = datetime.date(start.year, start.month, 31)
    bulletin = bulletin_draft(campaign=campaign, user=coordinator, start=start, end=end)
    totals = bulletin.facts["totals"]
    return {
        "overdue_tasks": totals["tasks_overdue"],
        "overdue_problems": totals["problems_overdue"],
    }


def _assessment(campaign: Campaign, **_: Any) -> Figures:
    from wenming.oversight.assessment.ranking import assess

    scores = assess(campaign, TODAY.year, today=TODAY)
    return {"overdue_problems": sum(s.overdue_problems for s in scores)}


def _notifications(campaign: Campaign, **_: Any) -> Figures:
    from wenming.notifications.models import Kind
    from wenming.notifications.rules import problem_events, task_events

    tasks = {e.key for e in task_events(TODAY) if e.kind == Kind.TASK_OVERDUE}
    problems = {e.key for e in problem_events(TODAY) if e.kind == Kind.PROBLEM_OVERDUE}
    return {"overdue_tasks": len(tasks), "overdue_problems": len(problems)}


SURFACES: dict[str, Callable[..., Figures]] = {
    "驾驶舱（服务）": _cockpit,
    "驾驶舱（页面）": _cockpit_screen,
    "驾驶舱（API）": _cockpit_api,
    "部门驾驶舱合计": _departments,
    "部门推进指数合计": _ranking,
    "文明办驾驶舱": _office,
    "每周汇总": _rollup,
    "每周汇总（Excel）": _rollup_xlsx,
    "月例会": _monthly,
    "推进表": _progress_sheet,
    "任务分解表": _task_table,
    "部门任务看板合计": _task_boards,
    "任务API": _task_api,
    "通报": _bulletin,
    "部门考核": _assessment,
    "消息提醒": _notifications,
}


@pytest.fixture
def demo_campaign(db, settings, tmp_path) -> Campaign:  # type: ignore[no-untyped-def]
    # The demo files real evidence; keep it out of the shared data directory.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with time_machine.travel(LOADED, tick=False):
        load_demo()
    return Campaign.objects.get(unit__code="LZ-SCJG", is_active=True)


def test_every_surface_counts_the_same(demo_campaign: Campaign) -> None:
    campaign = demo_campaign
    coordinator = User.objects.get(username="cjb")
    office = Organization.objects.get(code="LZ-WMB")
    tasks = Task.objects.filter(campaign=campaign)
    # What the demo is: drafts among the tasks, something overdue, everything led.
    assert tasks.filter(is_draft=True).count() == 3
    assert not Task.objects.counted().filter(lead_department__isnull=True).exists()
    counted = Task.objects.counted().filter(campaign=campaign)
    expected = {
        "tasks": counted.count(),
        "done_tasks": counted.done().count(),
        "overdue_tasks": Task.objects.overdue(TODAY).filter(campaign=campaign).count(),
        "open_problems": Problem.objects.open().filter(campaign=campaign).count(),
        "overdue_problems": Problem.objects.overdue(TODAY).filter(campaign=campaign).count(),
    }
    assert expected["tasks"] == 67
    # Reported at 100 %: 9; proven by the ledger 1 (A1-1), waived 1 (A2-5), 待佐证 7.
    assert counted.filter(progress=100).count() == 9
    assert expected["done_tasks"] == 2 and counted.filter(status="unproven").count() == 7
    assert not counted.filter(status="unproven").exclude(pk__in=counted.overdue(TODAY)).exists()
    assert expected["overdue_tasks"] > 0 and expected["overdue_problems"] > 0

    disagreements = []
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(10), SHANGHAI)):
        for name, surface in SURFACES.items():
            try:
                figures = surface(campaign, coordinator=coordinator, office=office)
            except Exception as exc:  # noqa: BLE001 - every surface is reported at once
                disagreements.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            for key, value in figures.items():
                if value != expected[key]:
                    disagreements.append(f"{name}: {key} = {value}, expected {expected[key]}")
    assert not disagreements, "\n".join(disagreements)

"""The lists: filters, flags, pagination, and the same bounded query count at 10 and 500."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign, Phase, PhaseKind
from wenming.tasks.coverage import standards_needing_tasks
from wenming.tasks.models import Task, TaskClaim, TaskStatus

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 7, 15, 10, 0, tzinfo=datetime.UTC)


def _bulk(campaign: Campaign, n: int, demo, user) -> None:  # type: ignore[no-untyped-def]
    standards = list(standards_needing_tasks(campaign)[:5])
    phase = Phase.objects.get(campaign=campaign, kind=PhaseKind.IMPLEMENT)
    tasks = Task.objects.bulk_create(
        Task(
            campaign=campaign,
            title=f"任务{i}",
            phase=phase,
            lead_department=demo["food"] if i % 3 else None,
            responsible=user if i % 2 else None,
            start_date=D(2026, 4, 1),
            deadline=D(2026, 6, 1) if i % 4 == 0 else D(2028, 8, 1),
            status=TaskStatus.IN_PROGRESS if i % 5 == 0 else TaskStatus.NOT_STARTED,
        )
        for i in range(n)
    )
    through = Task.standards.through
    through.objects.bulk_create(
        through(task_id=t.pk, node_id=standards[i % 5].pk) for i, t in enumerate(tasks)
    )
    co = Task.co_departments.through
    co.objects.bulk_create(
        co(task_id=t.pk, organization_id=demo["registry"].pk) for t in tasks[::2]
    )
    TaskClaim.objects.bulk_create(
        TaskClaim(task=t, department=demo["registry"], claimed_by=user)
        for t in tasks
        if t.lead_department_id is None
    )


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


# Measured: table 14, mine 7, board 11, offered 11, timeline 6, claims 6, recycle 5,
# coverage 9 (session, user and scope included).
BOUNDS = {
    "table": 15,
    "mine": 10,  # 9 with the co-operating tasks and the person's own sub-tasks
    "board": 12,
    "offered": 12,
    "timeline": 7,
    "claims": 7,
    "recycle": 6,
    "coverage": 10,
}


def _urls(campaign: Campaign, demo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "table": reverse("tasks:table", args=[campaign.pk])
        + "?status=in_progress&department="
        + str(demo["food"].pk),
        "mine": reverse("tasks:mine"),
        "board": reverse("tasks:board", args=[demo["food"].pk]),
        "offered": reverse("tasks:offered"),
        "timeline": reverse("tasks:timeline", args=[campaign.pk]),
        "claims": reverse("tasks:claims"),
        "recycle": reverse("tasks:recycle", args=[campaign.pk]),
        "coverage": reverse("tasks:coverage", args=[campaign.pk]),
    }


@time_machine.travel(NOW, tick=False)
def test_query_counts_do_not_grow_with_the_tasks(
    campaign: Campaign, coordinator, dept_head, demo, as_user
) -> None:
    _bulk(campaign, 10, demo, dept_head)
    urls = _urls(campaign, demo)
    clients = {"mine": as_user(dept_head), "offered": as_user(dept_head)}
    default = as_user(coordinator)
    small = {name: _count(clients.get(name, default), url) for name, url in urls.items()}
    _bulk(campaign, 490, demo, dept_head)
    large = {name: _count(clients.get(name, default), url) for name, url in urls.items()}
    assert small == large
    for name, count in large.items():
        assert count <= BOUNDS[name], (name, count)


@time_machine.travel(NOW, tick=False)
def test_table_filters_flags_and_pages(campaign: Campaign, coordinator, demo, as_user) -> None:
    standards = list(standards_needing_tasks(campaign).order_by("position")[:2])
    implement = Phase.objects.get(campaign=campaign, kind=PhaseKind.IMPLEMENT)
    late = make_task(
        campaign,
        title="逾期的任务",
        deadline=D(2026, 6, 30),
        lead_department=demo["food"],
        standards=[standards[0]],
        phase=implement,
    )
    behind = make_task(
        campaign,
        title="倒排的任务",
        deadline=D(2028, 11, 1),
        phase=implement,
        standards=[standards[1]],
    )
    make_task(
        campaign,
        title="已完成的任务",
        deadline=D(2026, 6, 30),
        status=TaskStatus.DONE,
        progress=100,
    )
    client = as_user(coordinator)
    url = reverse("tasks:table", args=[campaign.pk])

    page = client.get(url).content.decode()
    assert "倒排工期：时限晚于“组织实施”阶段结束日期（2028-06-30）" in page
    assert "时限晚于申报日期（2028-10-10）" in page
    assert "已逾期" in page

    page = client.get(url, {"status": "overdue"}).content.decode()
    assert late.title in page and behind.title not in page and "已完成的任务" not in page
    page = client.get(url, {"overdue": "on"}).content.decode()
    assert late.title in page and "已完成的任务" not in page
    page = client.get(url, {"q": standards[1].code}).content.decode()
    assert behind.title in page and late.title not in page
    page = client.get(url, {"department": demo["food"].pk}).content.decode()
    assert late.title in page and behind.title not in page
    page = client.get(url, {"status": "done"}).content.decode()
    assert "已完成的任务" in page and late.title not in page

    Task.objects.bulk_create(
        Task(campaign=campaign, title=f"批量{i}", deadline=D(2027, 1, 1)) for i in range(60)
    )
    page = client.get(url).content.decode()
    assert "第1页 / 共2页（63项）" in page
    page = client.get(url, {"status": "not_started"}).content.decode()
    assert "?status=not_started&page=2" in page


@time_machine.travel(NOW, tick=False)
def test_mine_groups(campaign: Campaign, dept_head, staff, demo, as_user) -> None:
    make_task(campaign, title="上月到期", deadline=D(2026, 7, 1), lead_department=demo["food"])
    make_task(campaign, title="本周到期", deadline=D(2026, 7, 19), lead_department=demo["food"])
    make_task(
        campaign,
        title="推进中",
        deadline=D(2026, 12, 1),
        lead_department=demo["food"],
        status=TaskStatus.IN_PROGRESS,
        progress=30,
    )
    make_task(campaign, title="我负责的", deadline=D(2026, 12, 1), responsible=staff)
    make_task(campaign, title="别人的", deadline=D(2026, 12, 1), lead_department=demo["registry"])
    page = as_user(staff).get(reverse("tasks:mine")).content.decode()
    order = [page.index(t) for t in ("上月到期", "本周到期", "推进中", "我负责的")]
    assert order == sorted(order)
    assert "别人的" not in page
    assert page.index("逾期") < page.index("上月到期") < page.index("本周到期")


@time_machine.travel(NOW, tick=False)
def test_board_counts_and_timeline(campaign: Campaign, leader, demo, as_user) -> None:
    make_task(campaign, title="逾期一项", deadline=D(2026, 7, 1), lead_department=demo["food"])
    make_task(
        campaign,
        title="完成一项",
        deadline=D(2026, 7, 1),
        lead_department=demo["food"],
        status=TaskStatus.DONE,
        progress=100,
    )
    make_task(
        campaign,
        title="倒排一项",
        deadline=D(2028, 12, 1),
        lead_department=demo["food"],
        phase=Phase.objects.get(campaign=campaign, kind=PhaseKind.IMPLEMENT),
    )
    client = as_user(leader)
    board = client.get(reverse("tasks:board", args=[demo["food"].pk]))
    assert board.context["counts"] == {"done": 1, "overdue": 1, "due": 1}
    page = client.get(reverse("tasks:timeline", args=[campaign.pk])).content.decode()
    for phase in ("宣传发动", "组织实施", "总结提高", "集中申报"):
        assert phase in page
    assert "食品安全监管科（3项）" in page
    assert "wm-tl-bar not_started late" in page
    assert "flagged" in page
    assert "wm-tl-today" in page


def test_detail_query_count_is_bounded(
    campaign: Campaign, coordinator, dept_head, other_dept_head, demo, as_user
) -> None:
    from wenming.tasks import services

    standards = list(standards_needing_tasks(campaign)[:3])
    task = make_task(campaign, standards=standards)
    services.task_update(
        task=task,
        user=coordinator,
        recurrence="monthly",
        co_departments=[demo["registry"]],
    )
    claim = services.task_claim(task=task, department=demo["food"], user=dept_head)
    services.task_claim(task=task, department=demo["registry"], user=other_dept_head)
    services.claim_approve(claim=claim, user=coordinator)
    client = as_user(coordinator)
    count = _count(client, reverse("tasks:detail", args=[task.pk]))
    for _ in range(3):
        services.task_reassign(
            task=task, department=demo["registry"], user=coordinator, reason="调整"
        )
        services.task_reassign(task=task, department=demo["food"], user=coordinator, reason="调回")
    # 17 with the co-operating parts and the 子任务 card (its list, departments, people).
    assert _count(client, reverse("tasks:detail", args=[task.pk])) == count <= 17


def test_htmx_filter_returns_only_the_results(campaign: Campaign, coordinator, as_user) -> None:
    make_task(campaign, title="要找的任务")
    response = as_user(coordinator).get(
        reverse("tasks:table", args=[campaign.pk]),
        {"status": "not_started"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "要找的任务" in page and "<html" not in page

"""Drafts don't count: the table lists them only when asked, the board and my tasks never.

A generated draft is a proposal the 创建办 has not confirmed (docs/tasks.md, "What counts").
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 7, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def tasks(campaign: Campaign, demo, staff):  # type: ignore[no-untyped-def]
    food = demo["food"]
    return {
        "late": make_task(campaign, title="逾期任务", deadline=D(2026, 7, 1), lead_department=food),
        "open": make_task(campaign, title="进行中任务", lead_department=food, responsible=staff),
        "draft": make_task(
            campaign,
            title="草稿任务",
            deadline=D(2026, 7, 1),
            lead_department=food,
            responsible=staff,
            is_draft=True,
        ),
    }


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.title for t in response.context["tasks"]]


@time_machine.travel(NOW, tick=False)
def test_table_lists_drafts_only_when_asked(campaign, tasks, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = reverse("tasks:table", args=[campaign.pk])

    shown = client.get(url)
    assert sorted(_titles(shown)) == ["进行中任务", "逾期任务"]
    page = shown.content.decode()
    assert "共2项任务" in page and "显示草稿（1）" in page and "?drafts=1" in page

    with_drafts = client.get(url, {"drafts": "1"})
    assert sorted(_titles(with_drafts)) == ["草稿任务", "进行中任务", "逾期任务"]
    page = with_drafts.content.decode()
    assert "共3项任务（含草稿1项）" in page and "隐藏草稿" in page
    assert 'name="drafts" value="1"' in page  # the filters keep the drafts shown

    # A draft is never overdue, whatever its deadline.
    overdue = client.get(url, {"drafts": "1", "status": "overdue"})
    assert _titles(overdue) == ["逾期任务"]


def test_no_toggle_without_drafts(campaign, demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    make_task(campaign, lead_department=demo["food"])
    page = as_user(coordinator).get(reverse("tasks:table", args=[campaign.pk])).content.decode()
    assert "共1项任务" in page and "显示草稿" not in page


@time_machine.travel(NOW, tick=False)
def test_board_and_mine_leave_drafts_out(campaign, tasks, demo, staff, leader, as_user) -> None:  # type: ignore[no-untyped-def]
    board = as_user(leader).get(reverse("tasks:board", args=[demo["food"].pk]))
    assert board.context["counts"] == {"done": 0, "overdue": 1, "due": 1}
    assert "草稿任务" not in _titles(board)
    mine = as_user(staff).get(reverse("tasks:mine")).content.decode()
    assert "进行中任务" in mine and "草稿任务" not in mine


def test_generating_shows_the_drafts(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    response = as_user(coordinator).post(reverse("tasks:generate", args=[campaign.pk]))
    assert response.url == reverse("tasks:table", args=[campaign.pk]) + "?drafts=1"
    page = as_user(coordinator).get(response.url)
    assert page.context["page"].paginator.count == 70

"""The home page's 今日要事 per role (issue 13, item 6): what to do next, every count a link.

On the hand-made campaign of conftest.py: 6 counted tasks, 3 done, 1 overdue (食品任务二, led
by 食品安全监管科); problem 1 of 食品安全监管科 is open and overdue.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from tests.conftest import client_for
from tests.dashboards.conftest import TODAY
from wenming.dashboards import focus, services


def _home(user: Any) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_leader_sees_score_progress_risks_and_overdue_by_department(data, leader) -> None:  # type: ignore[no-untyped-def]
    card = focus.focus_card(leader)
    assert [f.campaign for f in card.leader] == [data["campaign"]]
    lead = card.leader[0]
    assert (lead.headline.tasks, lead.headline.done, lead.headline.overdue_tasks) == (6, 3, 1)
    assert [(d.department, d.overdue) for d in lead.late] == [(data["food"], 1)]
    assert lead.late[0].url == services.task_list_url(
        data["campaign"], data["food"], status="overdue"
    )
    # The three standards with most points at stake in the ledger, most first.
    assert len(lead.risks) == 3
    assert lead.risks[0].points >= lead.risks[1].points >= lead.risks[2].points
    html = _home(leader)
    assert "今日要事" in html and "有佐证得分" in html and "进入驾驶舱" in html
    assert reverse("dashboards:campaign", args=[data["campaign"].pk]) in html
    assert f'href="{lead.late[0].url}"' in html.replace("&amp;", "&")


def test_department_head_sees_overdue_work_report_and_problems(data, dept_head) -> None:  # type: ignore[no-untyped-def]
    card = focus.focus_card(dept_head)
    assert not card.leader
    [dept] = card.departments
    assert dept.department == data["food"]
    assert [t.title for t in dept.overdue_tasks] == ["食品任务二"]
    assert (dept.problems_open, dept.problems_overdue) == (1, 1)
    assert dept.report_sent is False
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    assert dept.report_url == reverse(
        "reports:week", args=[data["campaign"].pk, data["food"].pk, monday.isoformat()]
    )
    html = _home(dept_head)
    assert "本周周报" in html and "未报送" in html and "填报周报" in html


def test_staff_sees_their_own_open_subtasks_only(data, staff, dept_head) -> None:  # type: ignore[no-untyped-def]
    from wenming.tasks.models import SubTask

    task = data["tasks"]["t3"]
    mine = SubTask.objects.create(
        task=task, department=data["food"], assignee=staff, title="撰写心得体会 2 篇"
    )
    SubTask.objects.create(
        task=task, department=data["food"], assignee=dept_head, title="别人的子任务"
    )
    SubTask.objects.create(
        task=task, department=data["food"], assignee=staff, title="已完成的", status="done"
    )
    card = focus.focus_card(staff)
    assert card.subtasks == [mine]
    assert "撰写心得体会 2 篇" in _home(staff)


def test_inspector_sees_overdue_problems_and_a_record_button(data, inspector) -> None:  # type: ignore[no-untyped-def]
    [row] = focus.focus_card(inspector).inspector
    assert row.overdue == 1
    html = _home(inspector)
    assert "记录督查" in html
    assert reverse("oversight:inspection_new", args=[data["campaign"].pk]) in html


def test_home_query_count_does_not_grow_with_the_data(  # type: ignore[no-untyped-def]
    data, leader, dept_head
) -> None:
    from tests.dashboards.conftest import add_task

    def count(user: Any) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            _home(user)
        return len(ctx)

    before = {u.username: count(u) for u in (leader, dept_head)}
    for i in range(30):
        add_task(
            data["campaign"],
            title=f"逾期任务{i}",
            lead_department=data["food" if i % 2 else "registry"],
            deadline=datetime.date(2026, 5, 1),
        )
    after = {u.username: count(u) for u in (leader, dept_head)}
    assert after == before

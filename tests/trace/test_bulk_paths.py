"""Writes that send no signals are recorded explicitly: weekly reports, schedules, imports."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.tasks import make_task
from tests.trace.conftest import changes_of, last_change
from wenming.trace.models import Action, Change

pytestmark = pytest.mark.django_db


def test_weekly_report_moves_tasks_with_a_trace(campaign, dept_head, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    url = reverse("reports:week", args=[campaign.pk, demo["food"].pk, monday.isoformat()])
    data = {
        "action": "submit",
        "done_this_week": "开展道德讲堂一期",
        "problems": "",
        "next_week": "",
        f"progress_{task.pk}": 60,
        f"note_{task.pk}": "推进中",
    }
    response = as_user(dept_head).post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    change = last_change(task, action=Action.UPDATE)
    assert change.actor == dept_head
    assert change.changes["进度（%）"] == [0, 60]
    assert change.changes["状态"] == ["未开始", "进行中"]
    report = Change.objects.filter(kind="weekly_report").order_by("-id").first()
    assert report is not None and report.actor == dept_head


def test_occurrence_schedule_is_one_change_of_the_task(campaign, coordinator) -> None:
    from wenming.tasks import services
    from wenming.trace import acting_as

    task = make_task(campaign, start_date=datetime.date(2026, 4, 1))
    task.recurrence = "quarterly"
    task.save()
    before = Change.objects.count()
    with acting_as(coordinator):
        count = services.occurrences_rebuild(task=task)
    assert count > 1
    assert Change.objects.count() - before == 1
    change = last_change(task, action=Action.UPDATE)
    assert change.actor == coordinator
    before_dates, after_dates = change.changes["任务批次"]
    assert before_dates == "" and after_dates.count("、") == count - 1
    assert not Change.objects.filter(kind="occurrence").exists()


def test_round_history_shows_its_scores(campaign, coordinator, as_user) -> None:
    from wenming.frameworks.models import Node
    from wenming.scoring import services
    from wenming.scoring.models import RoundKind

    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="年度自评",
        scored_on=datetime.date(2026, 6, 1),
    )
    standard = Node.objects.get(framework=campaign.framework, code="A1-1")
    client = as_user(coordinator)
    client.post(reverse("scoring:score", args=[round_.pk, standard.pk]), {"grade": "达到"})
    html = client.get(
        reverse("trace:history", args=["round", round_.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "标准得分“A1-1 得分”" in html and "达到" in html
    assert len(changes_of(round_)) == 1


def test_problem_history_hidden_from_another_department(
    make_problem, dept_head, other_dept_head, as_user
) -> None:
    problem = make_problem()
    url = reverse("trace:history", args=["problem", problem.pk])
    assert as_user(dept_head).get(url).status_code == 200
    assert as_user(other_dept_head).get(url).status_code == 404

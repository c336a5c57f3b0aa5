"""The reports API: weekly reports read and written through the same access rules."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.reports.conftest import MONDAY
from wenming.tasks.models import ReportStatus, TaskStatus, WeeklyReport


def _post(client, payload):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("api:reports_weekly_save"), json.dumps(payload), content_type="application/json"
    )


def _payload(campaign, food, task, progress=70, submit=True):  # type: ignore[no-untyped-def]
    return {
        "campaign": campaign.pk,
        "department": food.pk,
        "week": MONDAY.isoformat(),
        "done_this_week": "完成初稿",
        "lines": [{"task_id": task.pk, "progress": progress, "note": "初稿已完成"}],
        "submit": submit,
    }


def test_post_json_submits_and_get_reads_back(as_user, staff, leader, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = _post(as_user(staff), _payload(campaign, food, task))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == ReportStatus.SUBMITTED
    assert body["lines"] == [
        {"task_id": task.pk, "task_title": "方案", "progress": 70, "note": "初稿已完成"}
    ]
    task.refresh_from_db()
    assert (task.progress, task.status) == (70, TaskStatus.IN_PROGRESS)
    listed = as_user(leader).get(
        reverse("api:reports_weekly") + f"?campaign={campaign.pk}&week={MONDAY}"
    )
    assert [r["department_name"] for r in listed.json()] == ["食品安全监管科"]


def test_post_draft_then_rollup(as_user, dept_head, coordinator, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    assert (
        _post(as_user(dept_head), _payload(campaign, food, task, submit=False)).status_code == 200
    )
    rollup = as_user(coordinator).get(reverse("api:reports_rollup") + f"?campaign={campaign.pk}")
    body = rollup.json()
    food_row = next(r for r in body["rows"] if r["department_name"] == "食品安全监管科")
    assert food_row["led"] == 1 and food_row["submitted"] is False
    assert "食品安全监管科" in body["missing"]
    assert body["total"]["led"] == 1


@pytest.mark.parametrize(
    ("progress", "message"), [(101, "进度应在0到100之间"), (-1, "进度应在0到100之间")]
)
def test_post_refuses_bad_progress_in_chinese(
    as_user, dept_head, campaign, food, make_task, progress, message
):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = _post(as_user(dept_head), _payload(campaign, food, task, progress=progress))
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not WeeklyReport.objects.exists()


def test_post_refuses_malformed_payload(as_user, dept_head):  # type: ignore[no-untyped-def]
    response = _post(as_user(dept_head), {"campaign": "x"})
    assert response.status_code == 422
    assert "格式不对" in response.json()["detail"]


def test_post_for_another_department_is_refused(
    as_user, other_dept_head, campaign, food, make_task
):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = _post(as_user(other_dept_head), _payload(campaign, food, task))
    assert response.status_code == 403
    assert "只有本部门人员或创建办" in response.json()["detail"]

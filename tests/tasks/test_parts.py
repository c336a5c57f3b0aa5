"""Co-operating departments (配合部门) report their own part, never the lead's fields."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Organization
from wenming.tasks.models import Task, TaskPart, TaskStatus
from wenming.trace.models import Change

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(campaign: Campaign, demo) -> Task:  # type: ignore[no-untyped-def]
    """Led by 食品安全监管科, with 登记注册科 co-operating."""
    t = make_task(campaign, lead_department=demo["food"], progress=30)
    t.status = TaskStatus.IN_PROGRESS
    t.save(update_fields=["status"])
    t.co_departments.set([demo["registry"]])
    return t


def _json(client, method: str, url: str, body: dict):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_a_co_department_head_reports_their_part(task, demo, other_dept_head, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(other_dept_head)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "配合部门进展" in page and "未报告" in page and "保存配合进展" in page
    url = reverse("tasks:part_report", args=[task.pk, demo["registry"].pk])
    prefix = f"p{demo['registry'].pk}"
    response = client.post(
        url, {f"{prefix}-progress": 100, f"{prefix}-note": "已派出窗口人员配合"}, follow=True
    )
    assert "已保存登记注册科的配合进展：100%。" in response.content.decode()
    part = TaskPart.objects.get(task=task, department=demo["registry"])
    assert part.progress == 100 and part.completed_at is not None
    assert part.updated_by == other_dept_head and part.note == "已派出窗口人员配合"
    page = response.content.decode()
    assert "已派出窗口人员配合" in page and "孙伟" in page
    # Below 100 the part is no longer complete; the task itself is untouched.
    client.post(url, {f"{prefix}-progress": 60})
    part.refresh_from_db()
    assert part.progress == 60 and part.completed_at is None
    task.refresh_from_db()
    assert task.progress == 30 and task.status == TaskStatus.IN_PROGRESS
    traced = Change.objects.filter(kind="task_part", object_id=part.pk)
    assert traced.count() == 2 and traced.first().actor == other_dept_head
    assert str(traced.first()) == "孙伟 修改 登记注册科 配合进展"


def test_bad_progress_is_refused_in_chinese(task, demo, other_dept_head, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(other_dept_head)
    url = reverse("tasks:part_report", args=[task.pk, demo["registry"].pk])
    prefix = f"p{demo['registry'].pk}"
    response = client.post(url, {f"{prefix}-progress": 130}, follow=True)
    assert "配合进度不能大于100。" in response.content.decode()
    assert not TaskPart.objects.exists()
    response = _json(
        client, "put", f"/api/v1/tasks/{task.pk}/parts/{demo['registry'].pk}", {"progress": -1}
    )
    assert response.status_code == 422
    assert "0到100" in response.json()["errors"]["progress"][0]
    assert not TaskPart.objects.exists()


def test_a_co_department_cannot_change_the_leads_fields(
    task, demo, other_dept_head, as_user
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(other_dept_head)
    before = Task.objects.values().get(pk=task.pk)
    refusal = "配合部门不能修改牵头部门的任务内容、时限和进度"
    # Screens: the edit form and the lead's progress.
    response = client.get(reverse("tasks:edit", args=[task.pk]))
    assert response.status_code == 403 and refusal in response.content.decode()
    response = client.post(reverse("tasks:edit", args=[task.pk]), {"title": "改掉"})
    assert response.status_code == 403
    response = client.post(reverse("tasks:progress", args=[task.pk]), {"progress": 100})
    assert response.status_code == 403 and refusal in response.content.decode()
    # API: the task's fields, its progress, its lead department.
    url = f"/api/v1/tasks/{task.pk}"
    response = _json(client, "patch", url, {"title": "改掉", "deadline": "2027-01-31"})
    assert response.status_code == 403 and refusal in response.json()["detail"]
    response = _json(client, "post", f"{url}/progress", {"progress": 100})
    assert response.status_code == 403 and refusal in response.json()["detail"]
    response = _json(client, "post", f"{url}/reassign", {"department_id": None, "reason": "x"})
    assert response.status_code == 403
    assert Task.objects.values().get(pk=task.pk) == before
    # The detail page offers them no lead's form.
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert f'action="/tasks/{task.pk}/progress/"' not in page


def test_a_department_that_does_not_co_operate_cannot_report(
    task, demo, dept_head, staff, as_user
) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Membership, Organization, Role

    office = Organization.objects.get(name="办公室", parent=demo["unit"])
    clerk = Membership.objects.create(
        user=staff.__class__.objects.create_user("bgs", first_name="吴涛"),
        organization=office,
        role=Role.DEPT_HEAD,
    ).user
    for user in (clerk, dept_head):
        client = as_user(user)
        response = client.post(
            reverse("tasks:part_report", args=[task.pk, demo["registry"].pk]),
            {f"p{demo['registry'].pk}-progress": 50},
        )
        assert response.status_code == 403
        response = _json(
            client, "put", f"/api/v1/tasks/{task.pk}/parts/{demo['registry'].pk}", {"progress": 50}
        )
        assert response.status_code == 403
        assert "只有该配合部门的人员" in response.json()["detail"]
    # A department that is not a co-department of the task has no part to report.
    response = _json(
        as_user(clerk), "put", f"/api/v1/tasks/{task.pk}/parts/{office.pk}", {"progress": 50}
    )
    assert response.status_code == 404
    assert not TaskPart.objects.exists()


def test_staff_and_coordinator_report_through_the_api(
    task, demo, coordinator, other_dept_head, leader, as_user
) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/tasks/{task.pk}/parts/{demo['registry'].pk}"
    response = _json(as_user(coordinator), "put", url, {"progress": 40, "note": "创建办代报"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reported"] is True and body["progress"] == 40 and body["note"] == "创建办代报"
    response = _json(as_user(other_dept_head), "put", url, {"progress": 100})
    assert response.json()["note"] == "创建办代报"  # a missing note leaves it as it was
    assert response.json()["completed_at"] is not None
    # Whoever sees the task reads the parts; a leader cannot write them.
    listed = as_user(leader).get(f"/api/v1/tasks/{task.pk}/parts").json()
    assert [(p["department_name"], p["progress"]) for p in listed] == [("登记注册科", 100)]
    assert _json(as_user(leader), "put", url, {"progress": 1}).status_code == 403


def test_drafts_take_no_parts(campaign, demo, other_dept_head, as_user) -> None:  # type: ignore[no-untyped-def]
    draft = make_task(campaign, lead_department=demo["food"], is_draft=True)
    draft.co_departments.set([demo["registry"]])
    response = _json(
        as_user(other_dept_head),
        "put",
        f"/api/v1/tasks/{draft.pk}/parts/{demo['registry'].pk}",
        {"progress": 10},
    )
    assert response.status_code == 403 and "草稿" in response.json()["detail"]


@time_machine.travel(datetime.datetime(2027, 1, 5, 2, tzinfo=datetime.UTC), tick=False)
def test_the_co_departments_board_and_my_tasks_show_the_part(
    task, demo, other_dept_head, as_user, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    TaskPart.objects.create(task=task, department=demo["registry"], progress=50)
    client = as_user(other_dept_head)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("tasks:mine")).content.decode()
    assert "配合的任务" in page and task.title in page and "50%" in page
    assert "已逾期" in page  # the deadline 2026-12-31 has passed, the part is short of 100 %
    with django_assert_max_num_queries(25):
        board = client.get(reverse("tasks:board", args=[demo["registry"].pk])).content.decode()
    assert "配合的任务" in board and task.title in board
    # Many co-operated tasks: the same number of queries.
    for i in range(15):
        make_task(
            task.campaign, title=f"配合任务{i}", lead_department=demo["food"]
        ).co_departments.set([demo["registry"]])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("tasks:mine")).content.decode()
    assert "配合任务14" in page


def test_the_task_page_stays_at_a_bounded_number_of_queries(
    campaign, demo, other_dept_head, as_user
) -> None:  # type: ignore[no-untyped-def]
    def count(n: int) -> int:
        task = make_task(campaign, lead_department=demo["food"])
        others = Organization.objects.filter(parent=demo["unit"]).exclude(
            pk__in=[demo["food"].pk, demo["registry"].pk]
        )
        departments = [demo["registry"], *others[: n - 1]]
        task.co_departments.set(departments)
        for d in departments:
            TaskPart.objects.create(
                task=task, department=d, progress=10, updated_by=other_dept_head
            )
        client = as_user(other_dept_head)
        client.get(reverse("tasks:detail", args=[task.pk]))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(6)

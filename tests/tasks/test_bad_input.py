"""Bad input: each case says in Chinese what to fix, and nothing changes."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Organization
from wenming.tasks import services
from wenming.tasks.models import Occurrence, OwnerChange, Task, TaskClaim

pytestmark = pytest.mark.django_db


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def _snapshot(task: Task) -> tuple:
    task.refresh_from_db()
    return (
        task.title,
        task.start_date,
        task.deadline,
        task.lead_department_id,
        task.progress,
        task.status,
        Occurrence.objects.filter(task=task).count(),
        OwnerChange.objects.filter(task=task).count(),
        TaskClaim.objects.filter(task=task).count(),
    )


def test_deadline_outside_the_campaign(campaign: Campaign, coordinator, as_user) -> None:
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            campaign=campaign, user=coordinator, title="x", deadline=datetime.date(2029, 3, 1)
        )
    assert "完成时限必须在创建周期（2026-01-01至2028-12-31）之内" in _messages(exc)
    assert not Task.objects.exists()
    # The same through the screen: the form shows the sentence, nothing is saved.
    response = as_user(coordinator).post(
        reverse("tasks:create", args=[campaign.pk]), {"title": "x", "deadline": "2029-03-01"}
    )
    assert response.status_code == 200
    assert "完成时限必须在创建周期" in response.content.decode()
    assert not Task.objects.exists()


def test_start_after_deadline(campaign: Campaign, coordinator, as_user) -> None:
    task = make_task(campaign)
    before = _snapshot(task)
    with pytest.raises(ValidationError) as exc:
        services.task_update(
            task=task,
            user=coordinator,
            start_date=datetime.date(2026, 9, 1),
            deadline=datetime.date(2026, 8, 1),
        )
    assert "开始日期不能晚于完成时限" in _messages(exc)
    assert _snapshot(task) == before
    response = as_user(coordinator).post(
        reverse("tasks:edit", args=[task.pk]),
        {"title": task.title, "start_date": "2026-09-01", "deadline": "2026-08-01"},
    )
    assert "开始日期不能晚于完成时限" in response.content.decode()
    assert _snapshot(task) == before


def test_department_of_another_unit(campaign: Campaign, coordinator, demo, as_user) -> None:
    foreign = Organization.objects.get(name="纳税服务科")
    task = make_task(campaign)
    before = _snapshot(task)
    with pytest.raises(ValidationError) as exc:
        services.task_update(task=task, user=coordinator, lead_department=foreign)
    assert "“纳税服务科”不是临州市市场监督管理局的在用部门" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.task_update(task=task, user=coordinator, co_departments=[foreign])
    assert "请重新选择配合部门" in _messages(exc)
    assert _snapshot(task) == before
    response = as_user(coordinator).patch(
        f"/api/v1/tasks/{task.pk}",
        json.dumps({"lead_department_id": foreign.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不是临州市市场监督管理局的在用部门" in response.json()["detail"]
    assert _snapshot(task) == before


def test_recurrence_over_366_occurrences(campaign: Campaign, coordinator) -> None:
    task = make_task(
        campaign, start_date=datetime.date(2026, 1, 1), deadline=datetime.date(2027, 12, 31)
    )
    before = _snapshot(task)
    dates = [datetime.date(2026, 1, 1) + datetime.timedelta(days=i) for i in range(400)]
    with pytest.raises(ValidationError) as exc:
        services.task_update(
            task=task, user=coordinator, recurrence="dates", recurrence_dates=dates
        )
    assert "会产生400次任务，超过了366次的上限" in _messages(exc)
    assert _snapshot(task) == before
    assert Task.objects.get(pk=task.pk).recurrence == ""


def test_recurrence_date_outside_the_task(campaign: Campaign, coordinator) -> None:
    task = make_task(campaign)
    with pytest.raises(ValidationError) as exc:
        services.task_update(
            task=task, user=coordinator, recurrence="dates", recurrence_dates=["2027-05-01"]
        )
    assert "日期2027-05-01不在任务的开始日期至完成时限之内" in _messages(exc)
    assert not Occurrence.objects.exists()


def test_head_claiming_for_another_department(campaign: Campaign, dept_head, demo, as_user) -> None:
    task = make_task(campaign)
    with pytest.raises(ValidationError) as exc:
        services.task_claim(task=task, department=demo["registry"], user=dept_head)
    assert "您不是“登记注册科”的负责人，不能替该部门认领任务" in _messages(exc)
    response = as_user(dept_head).post(
        f"/api/v1/tasks/{task.pk}/claim",
        json.dumps({"department_id": demo["registry"].pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不能替该部门认领任务" in response.json()["detail"]
    response = as_user(dept_head).post(
        reverse("tasks:claim", args=[task.pk]), {"department": demo["registry"].pk}, follow=True
    )
    assert "您只能以自己负责的部门名义认领任务" in response.content.decode()
    assert not TaskClaim.objects.exists()


def test_claiming_a_task_that_has_a_lead(campaign: Campaign, dept_head, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["registry"])
    before = _snapshot(task)
    with pytest.raises(ValidationError) as exc:
        services.task_claim(task=task, department=demo["food"], user=dept_head)
    assert "该任务已由“登记注册科”牵头，不能再认领" in _messages(exc)
    response = as_user(dept_head).post(
        reverse("tasks:claim", args=[task.pk]), {"department": demo["food"].pk}, follow=True
    )
    assert "不能再认领" in response.content.decode()
    assert _snapshot(task) == before


def test_staff_editing_a_deadline_is_refused(campaign: Campaign, staff, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    before = _snapshot(task)
    client = as_user(staff)
    response = client.post(
        reverse("tasks:edit", args=[task.pk]), {"title": task.title, "deadline": "2026-06-30"}
    )
    assert response.status_code == 403
    assert "只有本单位创建办可以修改任务的内容、牵头部门和时限" in response.content.decode()
    response = client.patch(
        f"/api/v1/tasks/{task.pk}",
        json.dumps({"deadline": "2026-06-30"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "只有本单位创建办可以修改" in response.json()["detail"]
    assert _snapshot(task) == before


def test_another_citys_admin_is_told_nothing(campaign: Campaign, outsider_admin, as_user) -> None:
    task = make_task(campaign)
    before = _snapshot(task)
    client = as_user(outsider_admin)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    response = client.post(reverse("tasks:edit", args=[task.pk]), {"title": "改掉"})
    assert response.status_code == 404
    response = client.patch(
        f"/api/v1/tasks/{task.pk}", json.dumps({"title": "改掉"}), content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到该任务，或您无权查看。"
    assert client.get(f"/api/v1/tasks?campaign={campaign.pk}").json()["count"] == 0
    assert _snapshot(task) == before


def test_progress_120(campaign: Campaign, dept_head, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    before = _snapshot(task)
    with pytest.raises(ValidationError) as exc:
        services.task_set_progress(task=task, progress=120)
    assert "进度必须在0到100之间" in _messages(exc)
    task.refresh_from_db()
    client = as_user(dept_head)
    response = client.post(
        reverse("tasks:progress", args=[task.pk]), {"progress": 120}, follow=True
    )
    assert "进度必须在0到100之间" in response.content.decode()
    response = client.post(
        f"/api/v1/tasks/{task.pk}/progress",
        json.dumps({"progress": 120}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "进度必须在0到100之间" in response.json()["detail"]
    assert _snapshot(task) == before


def test_responsible_outside_the_unit_and_negative_target(
    campaign: Campaign, coordinator, outsider_admin
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            campaign=campaign, user=coordinator, title="x", responsible=outsider_admin
        )
    assert "不是临州市市场监督管理局的人员，请重新选择责任人" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.task_create(campaign=campaign, user=coordinator, title="x", target_quantity=-1)
    assert "量化目标不能小于0" in _messages(exc)
    assert not Task.objects.exists()

"""The task API: the same access and the same rules as the screens, in JSON."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.tasks.coverage import standards_needing_tasks
from wenming.tasks.models import ClaimStatus, OwnerChange, Task, TaskClaim, TaskStatus

pytestmark = pytest.mark.django_db
D = datetime.date


def _json(client, method: str, url: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_create_patch_and_read(campaign: Campaign, coordinator, demo, as_user) -> None:
    client = as_user(coordinator)
    standard = standards_needing_tasks(campaign).first()
    response = _json(
        client,
        "post",
        "/api/v1/tasks",
        {
            "campaign_id": campaign.pk,
            "title": "  组织道德讲堂  ",
            "standard_ids": [standard.pk],
            "lead_department_id": demo["food"].pk,
            "co_department_ids": [demo["registry"].pk],
            "start_date": "2026-04-01",
            "deadline": "2026-12-31",
            "recurrence": "quarterly",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "组织道德讲堂"
    assert body["standard_codes"] == [standard.code]
    assert body["co_department_ids"] == [demo["registry"].pk]
    task = Task.objects.get(pk=body["id"])
    assert task.occurrences.count() == 3
    assert OwnerChange.objects.get(task=task).to_department == demo["food"]

    response = _json(client, "patch", f"/api/v1/tasks/{task.pk}", {"deadline": "2026-09-30"})
    assert response.status_code == 200
    assert response.json()["deadline"] == "2026-09-30"
    assert task.occurrences.count() == 2
    assert client.get(f"/api/v1/tasks/{task.pk}").json()["lead_department_name"] == "食品安全监管科"


def test_create_refused_and_not_found(campaign: Campaign, staff, outsider_admin, as_user) -> None:
    body = {"campaign_id": campaign.pk, "title": "x"}
    response = _json(as_user(staff), "post", "/api/v1/tasks", body)
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本单位创建办可以新建任务。"
    response = _json(as_user(outsider_admin), "post", "/api/v1/tasks", body)
    assert response.status_code == 404
    assert not Task.objects.exists()


@time_machine.travel(datetime.datetime(2026, 7, 15, 2, tzinfo=datetime.UTC), tick=False)
def test_list_filters_and_pages(campaign: Campaign, inspector, demo, as_user) -> None:
    make_task(campaign, title="逾期", deadline=D(2026, 7, 1), lead_department=demo["food"])
    make_task(campaign, title="完成", deadline=D(2026, 7, 1), status=TaskStatus.DONE, progress=100)
    Task.objects.bulk_create(
        Task(campaign=campaign, title=f"批量{i}", deadline=D(2027, 1, 1)) for i in range(60)
    )
    client = as_user(inspector)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/v1/tasks?campaign={campaign.pk}").json()
    assert body["count"] == 62 and len(body["items"]) == 50
    assert len(ctx.captured_queries) <= 8
    assert client.get(f"/api/v1/tasks?campaign={campaign.pk}&page=2").json()["items"][-1]["title"]
    body = client.get(f"/api/v1/tasks?campaign={campaign.pk}&overdue=true").json()
    assert [t["title"] for t in body["items"]] == ["逾期"]
    assert body["items"][0]["status_label"] == "已逾期"
    body = client.get(f"/api/v1/tasks?status=done&department={demo['food'].pk}").json()
    assert body["count"] == 0
    body = client.get("/api/v1/tasks?status=nonsense")
    assert body.status_code == 422


def test_claim_approve_reject_progress_generate(
    campaign: Campaign, dept_head, other_dept_head, coordinator, staff, demo, as_user
) -> None:
    task = make_task(campaign)
    response = _json(
        as_user(dept_head),
        "post",
        f"/api/v1/tasks/{task.pk}/claim",
        {"department_id": demo["food"].pk},
    )
    assert response.status_code == 201
    claim_id = response.json()["id"]
    response = _json(
        as_user(other_dept_head),
        "post",
        f"/api/v1/tasks/{task.pk}/claim",
        {"department_id": demo["registry"].pk},
    )
    other_id = response.json()["id"]
    assert as_user(staff).post(f"/api/v1/tasks/claims/{claim_id}/approve").status_code == 403
    response = as_user(coordinator).post(f"/api/v1/tasks/claims/{claim_id}/approve")
    assert response.status_code == 200 and response.json()["status"] == ClaimStatus.APPROVED
    assert TaskClaim.objects.get(pk=other_id).status == ClaimStatus.REJECTED
    response = as_user(coordinator).post(f"/api/v1/tasks/claims/{other_id}/reject")
    assert response.status_code == 422
    assert "该认领已经审核过了" in response.json()["detail"]

    response = _json(as_user(staff), "post", f"/api/v1/tasks/{task.pk}/progress", {"progress": 100})
    assert response.status_code == 200
    assert response.json()["status"] == "done"

    assert as_user(staff).post(f"/api/v1/tasks/generate?campaign={campaign.pk}").status_code == 403
    response = as_user(coordinator).post(f"/api/v1/tasks/generate?campaign={campaign.pk}")
    assert response.json() == {"created": 70}
    response = _json(
        as_user(staff), "post", f"/api/v1/tasks/{task.pk}/progress", {"progress": "很多"}
    )
    assert response.status_code == 422
    assert "请求内容有误" in response.json()["detail"]

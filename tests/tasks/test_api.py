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
    # Reported, not yet proven (tests/tasks/test_proof.py).
    assert response.json()["status"] == "unproven"

    assert as_user(staff).post(f"/api/v1/tasks/generate?campaign={campaign.pk}").status_code == 403
    response = as_user(coordinator).post(f"/api/v1/tasks/generate?campaign={campaign.pk}")
    assert response.json() == {"created": 70}
    response = _json(
        as_user(staff), "post", f"/api/v1/tasks/{task.pk}/progress", {"progress": "很多"}
    )
    assert response.status_code == 422
    assert "请求内容有误" in response.json()["detail"]


@time_machine.travel(datetime.datetime(2026, 7, 15, 2, tzinfo=datetime.UTC), tick=False)
def test_the_list_counts_like_the_cockpit_and_the_rollup(
    campaign: Campaign, coordinator, demo, as_user
) -> None:
    from django.utils import timezone

    make_task(campaign, title="已部署", lead_department=demo["food"])
    make_task(campaign, title="逾期", lead_department=demo["registry"], deadline=D(2026, 7, 1))
    make_task(campaign, title="草稿", lead_department=demo["food"], is_draft=True)
    make_task(campaign, title="已删除", lead_department=demo["food"], deleted_at=timezone.now())
    client = as_user(coordinator)
    listed = client.get(f"/api/v1/tasks?campaign={campaign.pk}").json()
    assert sorted(t["title"] for t in listed["items"]) == ["已部署", "逾期"]
    assert listed["count"] == 2
    with_drafts = client.get(f"/api/v1/tasks?campaign={campaign.pk}&drafts=1").json()
    assert sorted(t["title"] for t in with_drafts["items"]) == ["已部署", "草稿", "逾期"]
    assert client.get(f"/api/v1/tasks?campaign={campaign.pk}&overdue=true").json()["count"] == 1
    cockpit = client.get(f"/api/v1/dashboards/campaigns/{campaign.pk}").json()
    assert cockpit["headline"]["tasks"] == listed["count"]
    assert cockpit["headline"]["overdue_tasks"] == 1
    rollup = client.get(f"/api/v1/reports/rollup?campaign={campaign.pk}").json()
    assert sum(r["led"] for r in rollup["rows"]) == listed["count"] == rollup["total"]["led"]


def test_bin_reassign_occurrences_and_exclusions(
    campaign: Campaign, coordinator, dept_head, staff, demo, as_user
) -> None:
    office = as_user(coordinator)
    task = make_task(campaign, lead_department=demo["food"], recurrence="quarterly")
    url = f"/api/v1/tasks/{task.pk}"
    assert as_user(staff).delete(url).status_code == 403
    assert office.delete(url).status_code == 200
    assert office.get(url).status_code == 404
    assert office.delete(url).status_code == 404
    assert as_user(staff).post(f"{url}/restore").status_code == 403
    assert office.post(f"{url}/restore").status_code == 200

    response = _json(office, "post", f"{url}/reassign", {"department_id": demo["registry"].pk})
    assert response.status_code == 422 and response.json()["errors"] == {"reason": ["必须填写"]}
    response = _json(
        office, "post", f"{url}/reassign", {"department_id": demo["registry"].pk, "reason": "调整"}
    )
    assert response.status_code == 200 and response.json()["lead_department_name"] == "登记注册科"
    assert OwnerChange.objects.filter(task=task).exists()

    from wenming.tasks import services

    task.refresh_from_db()
    services.task_update(task=task, user=coordinator, recurrence="quarterly")
    occurrences = office.get(f"{url}/occurrences").json()
    assert occurrences and occurrences[0]["done_at"] is None
    record = f"/api/v1/tasks/occurrences/{occurrences[0]['id']}/record"
    response = _json(as_user(dept_head), "post", record, {"done_at": "2026-06-01", "note": "x"})
    assert response.status_code == 403  # the task now belongs to 登记注册科
    response = _json(office, "post", record, {"done_at": "2099-01-01"})
    assert response.status_code == 422 and "完成日期不能晚于今天" in response.json()["detail"]

    standard = standards_needing_tasks(campaign).exclude(tasks__isnull=False).first()
    body = {"campaign_id": campaign.pk, "standard_id": standard.pk, "reason": "本单位不涉及"}
    assert _json(as_user(staff), "post", "/api/v1/tasks/exclusions", body).status_code == 403
    response = _json(office, "post", "/api/v1/tasks/exclusions", body)
    assert response.status_code == 201 and response.json()["standard_code"] == standard.code
    response = _json(office, "post", "/api/v1/tasks/exclusions", body)
    assert response.status_code == 422 and "已经标为不适用" in response.json()["detail"]
    include = f"/api/v1/tasks/exclusions/include?campaign={campaign.pk}&standard={standard.pk}"
    assert office.post(include).json()["excluded"] is False


def test_claims_inbox(campaign: Campaign, dept_head, coordinator, staff, demo, as_user) -> None:
    task = make_task(campaign)
    body = {"department_id": demo["food"].pk, "note": "本科室负责"}
    assert (
        _json(as_user(dept_head), "post", f"/api/v1/tasks/{task.pk}/claim", body).status_code == 201
    )
    inbox = as_user(coordinator).get("/api/v1/tasks/claims").json()
    assert [(c["task_id"], c["note"]) for c in inbox] == [(task.pk, "本科室负责")]
    assert as_user(staff).get("/api/v1/tasks/claims").status_code == 403


def test_long_titles_and_form_bodies(campaign: Campaign, coordinator, as_user) -> None:
    client = as_user(coordinator)
    response = _json(
        client, "post", "/api/v1/tasks", {"campaign_id": campaign.pk, "title": "长" * 301}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["不能超过300个字"]}
    assert "title：不能超过300个字" in response.json()["detail"]
    # Plain clients post forms: the same fields, an empty box counts as not sent.
    response = client.post(
        "/api/v1/tasks", {"campaign_id": campaign.pk, "title": "表单任务", "phase_id": ""}
    )
    assert response.status_code == 201, response.content
    response = client.post("/api/v1/tasks", "", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求内容为空，请以 JSON（或表单）提交。"

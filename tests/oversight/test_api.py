"""The oversight API: the same rules and Chinese refusals as the screens."""

from __future__ import annotations

import pytest

from tests.oversight.conftest import photo
from wenming.oversight.models import Problem, ProblemStatus

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"


def test_inspections_list_and_create(as_user, inspector, campaign, staff):
    client = as_user(inspector)
    response = client.post(
        f"{API}/inspections",
        {"campaign": campaign.pk, "kind": "key", "title": "重点督办", "inspected_on": "2026-05-19"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind_label"] == "重点督办"
    listed = client.get(f"{API}/inspections", {"campaign": campaign.pk}).json()
    assert listed["count"] == 1
    refused = as_user(staff).post(
        f"{API}/inspections",
        {"campaign": campaign.pk, "title": "x", "inspected_on": "2026-05-19"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    bad = client.post(
        f"{API}/inspections",
        {"campaign": campaign.pk, "title": "", "inspected_on": "2026-05-19"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "请填写督查名称" in bad.json()["errors"]["title"][0]


def test_problem_create_multipart_with_photos(as_user, inspector, inspection, demo):
    response = as_user(inspector).post(
        f"{API}/problems",
        {
            "inspection": inspection.pk,
            "description": "消防通道堵塞",
            "department": demo["food"].pk,
            "deadline": "2026-05-25",
            "severity": "grave",
            "files": [photo("a.jpg", 1), photo("b.jpg", 2)],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "DC-2026-001" and len(body["files"]) == 2
    assert body["status"] == "pending" and body["events"][0]["label"] == "挂账"


def test_problem_create_refusals_are_422_in_chinese(as_user, inspector, inspection, demo):
    response = as_user(inspector).post(
        f"{API}/problems",
        {
            "inspection": inspection.pk,
            "description": "x",
            "department": demo["food"].pk,
            "deadline": "2026-05-01",
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert "整改时限不能早于督查日期" in body["detail"]
    assert "deadline" in body["errors"]
    bad_date = as_user(inspector).post(
        f"{API}/problems",
        {"inspection": inspection.pk, "description": "x", "deadline": "五月"},
    )
    assert bad_date.status_code == 422 and "格式不正确" in bad_date.json()["detail"]
    assert "deadline" in bad_date.json()["errors"]


def test_lifecycle_through_the_api(as_user, problem, dept_head, inspector, staff):
    head = as_user(dept_head)
    assert head.post(f"{API}/problems/{problem.pk}/start").json()["status"] == "rectifying"
    refused = head.post(f"{API}/problems/{problem.pk}/submit", {"note": "已整改"})
    assert refused.status_code == 422
    assert "没有整改佐证材料，不能提交验收" in refused.json()["detail"]
    done = head.post(
        f"{API}/problems/{problem.pk}/submit", {"note": "已整改", "files": [photo("c.jpg", 5)]}
    )
    assert done.status_code == 200 and done.json()["status"] == "awaiting"
    denied = as_user(staff).post(f"{API}/problems/{problem.pk}/verify")
    assert denied.status_code == 403
    assert "整改责任部门不能验收本部门的问题" in denied.json()["detail"]
    no_reason = as_user(inspector).post(
        f"{API}/problems/{problem.pk}/return", {}, content_type="application/json"
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    returned = as_user(inspector).post(
        f"{API}/problems/{problem.pk}/return",
        {"reason": "照片不清"},
        content_type="application/json",
    )
    assert returned.json()["status"] == "rectifying"
    head.post(f"{API}/problems/{problem.pk}/submit", {"note": "已补拍"})
    verified = as_user(inspector).post(f"{API}/problems/{problem.pk}/verify")
    assert verified.status_code == 200 and verified.json()["status"] == "closed"
    again = as_user(inspector).post(f"{API}/problems/{problem.pk}/verify")
    assert again.status_code == 422 and "当前状态：已销号" in again.json()["detail"]


def test_problem_list_filters_and_scoping(as_user, make_problem, demo, campaign, other_dept_head):
    import datetime

    make_problem(description="逾期", deadline=datetime.date(2026, 5, 18))
    make_problem(description="登记科", department=demo["registry"])
    listed = as_user(other_dept_head).get(f"{API}/problems", {"campaign": campaign.pk}).json()
    assert [p["description"] for p in listed["items"]] == ["登记科"]
    leader_view = as_user(other_dept_head).get(
        f"{API}/problems", {"campaign": campaign.pk, "overdue": True}
    )
    assert leader_view.json()["count"] == 0
    bad = as_user(other_dept_head).get(f"{API}/problems", {"campaign": campaign.pk, "status": "x"})
    assert bad.status_code == 422 and "状态只能是" in bad.json()["detail"]
    overdue = Problem.objects.get(description="逾期")
    assert as_user(other_dept_head).get(f"{API}/problems/{overdue.pk}").status_code == 404
    assert overdue.status == ProblemStatus.PENDING


def test_an_oversized_photo_is_stopped_with_413(as_user, inspector, inspection, demo, settings):
    settings.WENMING_UPLOAD_MAX_BYTES = 2000
    response = as_user(inspector).post(
        f"{API}/problems",
        {
            "inspection": inspection.pk,
            "description": "消防通道堵塞",
            "department": demo["food"].pk,
            "deadline": "2026-05-25",
            "files": [photo("大.jpg", 1)],
        },
    )
    assert response.status_code == 413, response.content
    assert "超过了单个文件" in response.json()["errors"]["files"][0]
    assert not Problem.objects.exists()


def test_verify_takes_an_empty_body_and_text_is_limited(as_user, awaiting, inspector, campaign):
    client = as_user(inspector)
    response = client.generic("POST", f"{API}/problems/{awaiting.pk}/verify", b"")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    long = client.post(
        f"{API}/inspections",
        {"campaign": campaign.pk, "title": "督" * 201, "inspected_on": "2026-05-19"},
        content_type="application/json",
    )
    assert long.status_code == 422
    assert long.json()["errors"]["title"] == ["不能超过200个字"]


def test_openapi_describes_the_forms(client):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/oversight/problems"]["post"]["requestBody"]["content"]
    form = create["multipart/form-data"]["schema"]
    assert {"description", "department", "deadline", "files"} <= set(form["properties"])
    inspection = schema["paths"]["/api/v1/oversight/inspections"]["post"]["requestBody"]
    assert "application/json" in inspection["content"]

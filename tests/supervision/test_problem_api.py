"""The API of the office's inspections and dispatched problems: the office records and
dispatches (multipart, with photos), the unit's 创建办 assigns or reports (multipart), the
office verifies, returns and withdraws; 422 by field, 403 and 404 as the screens. Who may call
each route is in tests/matrix/supervision_problems_api.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.supervision.conftest import pdf_upload, photo_upload

pytestmark = pytest.mark.usefixtures("fixed_today")
API = "/api/v1/supervision"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _inspection(client: Client, unit: Any) -> Any:
    return send(
        client,
        f"{API}/inspections",
        {"unit_id": unit.pk, "kind": "covert", "inspected_on": "2026-06-10", "inspectors": "张伟"},
    )


def test_the_office_records_and_dispatches(registered, demo, office_admin, coordinator):
    client = _client(office_admin)
    response = _inspection(client, demo["other_unit"])
    assert response.status_code == 422
    assert response.json()["errors"]["unit_id"][0].startswith("该单位不在本文明办的文明单位名录中")
    response = _inspection(client, demo["unit"])
    assert response.status_code == 201, response.content
    inspection = response.json()
    assert inspection["kind_label"] == "暗访" and inspection["problems"] == []
    url = f"{API}/inspections/{inspection['id']}/problems"
    response = client.post(url, {"description": "灭火器过期", "deadline": "2026-06-01"})
    assert response.status_code == 422
    assert "整改时限不能早于督查日期" in response.json()["errors"]["deadline"][0]
    response = client.post(
        url, {"description": "灭火器过期", "deadline": "2026-06-20", "files": [pdf_upload()]}
    )
    assert response.status_code == 422 and "不是照片" in response.json()["errors"]["files"][0]
    response = client.post(
        url, {"description": "灭火器过期", "deadline": "2026-06-20", "files": [photo_upload()]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "SD-2026-001" and body["files"][0]["purpose"] == "problem"
    assert body["events"][0]["action"] == "dispatched"
    unit = _client(coordinator)
    assert unit.get(f"{API}/inspections").json()["count"] == 1
    assert _inspection(unit, demo["unit"]).status_code == 403
    listed = client.get(f"{API}/problems", {"status": "overdue"}).json()
    assert listed["items"] == []
    assert client.get(f"{API}/problems", {"status": "x"}).status_code == 422


@pytest.fixture
def problem_id(registered, demo, office_admin):  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    inspection = _inspection(client, demo["unit"]).json()
    response = client.post(
        f"{API}/inspections/{inspection['id']}/problems",
        {"description": "公益广告破损", "deadline": "2026-06-30"},
    )
    return response.json()["id"]


def test_the_unit_answers_and_the_office_closes(problem_id, coordinator, office_admin, demo):
    unit = _client(coordinator)
    url = f"{API}/problems/{problem_id}"
    response = send(unit, f"{url}/assign", {"department_id": demo["food"].pk})
    assert response.status_code == 422 and "没有进行中的创建工作" in response.json()["detail"]
    response = unit.post(f"{url}/submit", {"note": "", "files": [pdf_upload()]})
    assert response.status_code == 422 and "note" in response.json()["errors"]
    response = unit.post(f"{url}/submit", {"note": "已更换", "files": [pdf_upload()]})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "awaiting"
    office = _client(office_admin)
    assert send(unit, f"{url}/verify").status_code == 403
    response = send(office, f"{url}/return", {"reason": "照片不清楚"})
    assert response.status_code == 200 and response.json()["return_count"] == 1
    unit.post(f"{url}/submit", {"note": "补充"})
    response = send(office, f"{url}/verify", {"comment": "到位"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    response = send(office, f"{url}/verify")
    assert response.status_code == 422 and "已销号" in response.json()["detail"]
    assert send(office, f"{url}/remove", {"reason": "重复"}).status_code == 422


def test_assign_into_the_unit_campaign(problem_id, coordinator, demo, campaign, staff):
    unit = _client(coordinator)
    url = f"{API}/problems/{problem_id}"
    response = send(unit, f"{url}/assign", {"department_id": demo["other_unit"].pk})
    assert response.status_code == 422 and "department_id" in response.json()["errors"]
    response = send(
        unit, f"{url}/assign", {"department_id": demo["food"].pk, "deadline": "2026-07-10"}
    )
    assert response.status_code == 422 and "deadline" in response.json()["errors"]
    response = send(unit, f"{url}/assign", {"department_id": demo["food"].pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "assigned" and body["unit_problem"]["status"] == "pending"
    response = unit.post(f"{url}/submit", {"note": "已整改"})
    assert response.status_code == 422 and "销号" in response.json()["detail"]
    # A department's people are refused with the one sentence, as on the screens.
    refused = _client(staff).get(url)
    assert refused.status_code == 403 and "部门人员不能查看" in refused.json()["detail"]


def test_another_units_coordinator_is_told_nothing(problem_id, demo, office_admin):
    from django.contrib.auth.models import User

    from wenming.orgs.models import Membership, Role

    court_cjb = User.objects.create_user("court_cjb")
    Membership.objects.create(user=court_cjb, organization=demo["court"], role=Role.COORDINATOR)
    client = _client(court_cjb)
    url = f"{API}/problems/{problem_id}"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/submit", {"note": "x"}).status_code == 404
    assert client.get(f"{API}/problems").json()["items"] == []
    response = send(_client(office_admin), f"{url}/remove", {"reason": "重复交办"})
    assert response.status_code == 204
    assert _client(office_admin).get(url).status_code == 404

"""The 复查 API: the office opens, reads and closes its 复查; a holder's 创建办 files its report
(multipart, with files); the office's steps on a report; 422 by field, 403 and 404 as the
screens. Who may call each route is in tests/matrix/rechecks_api.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.rechecks.conftest import D, pdf_upload, submit, travel
from wenming.rechecks.models import Decision, Recheck
from wenming.registry import services as registry
from wenming.registry.models import HonourStatus, Revocation

pytestmark = pytest.mark.usefixtures("fixed_today")
API = "/api/v1/rechecks"
AFTER_DUE = D(2026, 7, 5)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def test_the_office_opens_and_reads_its_recheck(demo, office_admin, honour, court_honour):
    client = _client(office_admin)
    response = send(
        client,
        "POST",
        API,
        {"year": 2026, "title": "2026年度复查", "opens_on": "2026-05-01", "due_on": "2026-04-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"]["due_on"] == ["自查报告截止日期不能早于开始日期。"]
    response = send(
        client,
        "POST",
        API,
        {"year": 2026, "title": "2026年度复查", "opens_on": "2026-05-01", "due_on": "2026-06-30"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["office_name"] == "临州市文明办"
    assert {c["value"]: c["count"] for c in body["counts"]}["pending"] == 2
    listed = client.get(API).json()
    assert [r["title"] for r in listed["items"]] == ["2026年度复查"]
    reports = client.get(f"{API}/{body['id']}/reports").json()["items"]
    assert {r["unit_name"] for r in reports} == {"临州市市场监督管理局", "临州市中级人民法院"}
    assert all(r["state"] == "pending" and r["due_on"] == "2026-06-30" for r in reports)
    response = send(client, "PATCH", f"{API}/{body['id']}", {"due_on": "2026-07-15"})
    assert response.status_code == 200 and response.json()["due_on"] == "2026-07-15"


def test_a_unit_sees_only_its_own_reports(recheck, report, court_report, coordinator, staff):
    client = _client(coordinator)
    assert client.get(API).json()["items"] == []
    items = client.get(f"{API}/reports").json()["items"]
    assert [r["id"] for r in items] == [report.pk]
    assert client.get(f"{API}/reports/{court_report.pk}").status_code == 404
    assert client.get(f"{API}/{recheck.pk}").status_code == 404
    assert _client(staff).get(f"{API}/reports").json()["items"] == []


def test_the_holder_files_with_files_and_the_office_decides(
    recheck, report, coordinator, office_admin
):
    holder = _client(coordinator)
    url = f"{API}/reports/{report.pk}"
    response = holder.post(f"{url}/submit", {"report_text": "报告", "self_score": "1001"})
    assert response.status_code == 422
    assert "self_score" in response.json()["errors"]
    response = holder.post(
        f"{url}/submit",
        {"report_text": "全年开展志愿服务36次。", "self_score": "93.5", "files": [pdf_upload()]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["self_score"] == "93.50"
    assert [f["name"] for f in body["files"]] == ["决定.pdf"]
    office = _client(office_admin)
    response = send(office, "POST", f"{url}/score", {"office_score": "91", "comment": "较好。"})
    assert response.status_code == 200 and response.json()["office_score"] == "91.00"
    response = send(
        office, "POST", f"{url}/decide", {"decision": "warned", "decided_on": "2026-06-15"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["document_title"] == [registry.NO_DOCUMENT]
    assert "comment" in errors
    response = send(
        office,
        "POST",
        f"{url}/decide",
        {
            "decision": "revoked",
            "decided_on": "2026-06-15",
            "document_title": "临文明办〔2026〕19号",
            "comment": "发生一票否决事项。",
            "ban_years": 1,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "revoked" and body["honour_status"] == HonourStatus.REVOKED
    assert [e["kind"] for e in body["events"]] == ["submitted", "scored", "decided"]
    assert body["yearly_scores"] == [{"year": 2026, "score": "91.00"}]
    assert Revocation.objects.get(honour=report.honour).banned_until == D(2027, 12, 31)
    # The holder reads every step; it cannot act as the office.
    assert holder.get(url).json()["events"][-1]["comment"].startswith("复查结论：撤销。")
    assert send(holder, "POST", f"{url}/return", {"comment": "x"}).status_code == 403


def test_follow_up_and_missed_through_the_api(
    recheck, report, court_report, coordinator, office_admin
):
    submit(report, coordinator)
    office = _client(office_admin)
    url = f"{API}/reports/{report.pk}"
    response = send(
        office,
        "POST",
        f"{url}/decide",
        {
            "decision": "rectify",
            "decided_on": "2026-06-15",
            "rectify_deadline": "2026-09-30",
            "document_title": "临文明办〔2026〕18号",
            "comment": "宣传阵地更新不及时。",
        },
    )
    assert response.status_code == 200 and response.json()["rectify_deadline"] == "2026-09-30"
    response = send(
        office,
        "POST",
        f"{url}/follow-up",
        {
            "passed": True,
            "followed_up_on": "2026-06-15",
            "comment": "整改到位。",
            "document_title": "临文明办〔2026〕30号",
        },
    )
    assert response.status_code == 200
    assert response.json()["follow_up_passed"] is True
    assert response.json()["honour_status"] == HonourStatus.KEPT
    missed = f"{API}/reports/{court_report.pk}/confirm-missed"
    data = {"decided_on": "2026-06-15", "document_title": "临文明办〔2026〕20号"}
    response = send(office, "POST", missed, data)
    assert response.status_code == 422
    assert "截止日期过后才能确认逾期未报" in response.json()["detail"]
    with travel(AFTER_DUE):
        office = _client(office_admin)
        assert office.get(f"{API}/reports?state=missed").json()["items"][0]["id"] == court_report.pk
        response = send(office, "POST", missed, {**data, "decided_on": "2026-07-05"})
        assert response.status_code == 200
        assert response.json()["decision"] == Decision.ENDED
        response = send(
            office,
            "POST",
            f"{API}/{recheck.pk}/close",
            {"closed_on": "2026-07-05", "result_title": "临文明办〔2026〕21号"},
        )
        assert response.status_code == 200 and response.json()["closed_on"] == "2026-07-05"
    assert Recheck.objects.get().result_title == "临文明办〔2026〕21号"


def test_bad_state_filter(recheck, office_admin):
    response = _client(office_admin).get(f"{API}/{recheck.pk}/reports?state=whatever")
    assert response.status_code == 422
    assert "state" in response.json()["errors"]


def test_another_office_is_told_nothing(recheck, report, outsider_admin, demo):
    client = _client(outsider_admin)
    assert client.get(f"{API}/{recheck.pk}").status_code == 404
    assert client.get(f"{API}/reports/{report.pk}").status_code == 404
    response = send(
        client,
        "POST",
        API,
        {
            "office_id": demo["office"].pk,
            "year": 2025,
            "title": "x",
            "opens_on": "2025-05-01",
            "due_on": "2025-06-30",
        },
    )
    assert response.status_code == 404

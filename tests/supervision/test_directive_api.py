"""The directives API: priorities (draft, publish, acknowledge, the office's table) and
monthly information (open, multipart submission, the table, the reminder); 422 in Chinese,
403 and 404 as the screens."""

from __future__ import annotations

import pytest

from tests.supervision.conftest import pdf_upload

pytestmark = pytest.mark.usefixtures("fixed_today", "registered")
BASE = "/api/v1/supervision"


def test_priorities_through_the_api(demo, as_user, office_admin, coordinator, leader):  # type: ignore[no-untyped-def]
    admin = as_user(office_admin)
    response = admin.post(
        f"{BASE}/priorities",
        {
            "year": 2026,
            "quarter": 3,
            "title": "三季度重点",
            "body": "要求",
            "acknowledge_by": "2026-06-30",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert as_user(coordinator).get(f"{BASE}/priorities/{pk}").status_code == 404  # a draft
    assert admin.post(f"{BASE}/priorities/{pk}/publish").status_code == 200
    again = admin.post(f"{BASE}/priorities/{pk}/publish")
    assert again.status_code == 422 and "已于" in again.json()["detail"]
    unit = as_user(coordinator)
    ack = unit.post(
        f"{BASE}/priorities/{pk}/acknowledge", {"note": "落实"}, content_type="application/json"
    )
    assert ack.status_code == 200
    assert [a["state"] for a in ack.json()["acks"]] == ["acknowledged"]
    twice = unit.post(f"{BASE}/priorities/{pk}/acknowledge", {}, content_type="application/json")
    assert twice.status_code == 422 and "不能重复签收" in twice.json()["detail"]
    refused = as_user(leader).post(
        f"{BASE}/priorities/{pk}/acknowledge", {}, content_type="application/json"
    )
    assert refused.status_code == 403
    table = admin.get(f"{BASE}/priorities/{pk}").json()
    assert {a["unit_name"]: a["state"] for a in table["acks"]} == {
        demo["unit"].name: "acknowledged",
        demo["court"].name: "missing",
    }
    assert admin.get(f"{BASE}/priorities").json()["count"] == 1
    bad = admin.post(
        f"{BASE}/priorities",
        {"year": 2026, "quarter": 7, "title": "x", "body": "y", "acknowledge_by": "2026-06-30"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"]["quarter"] == ["季度应为1到4。"]


def test_info_rounds_through_the_api(demo, as_user, office_admin, coordinator, outsider_admin):  # type: ignore[no-untyped-def]
    admin = as_user(office_admin)
    body = {"year": 2026, "month": 6, "due_on": "2026-06-25"}
    response = admin.post(f"{BASE}/info-rounds", body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    duplicate = admin.post(f"{BASE}/info-rounds", body, content_type="application/json")
    assert duplicate.status_code == 422 and "不能重复开启" in duplicate.json()["errors"]["month"][0]

    unit = as_user(coordinator)
    sent = unit.post(
        f"{BASE}/info-rounds/{pk}/submit",
        {"title": "六月信息", "content": "内容", "files": [pdf_upload()]},
    )
    assert sent.status_code == 200, sent.content
    (own,) = sent.json()["own"]
    assert own["on_time"] and [f["name"] for f in own["files"]] == ["整改报告.pdf"]
    empty = unit.post(f"{BASE}/info-rounds/{pk}/submit", {"title": "", "content": ""})
    assert empty.status_code == 422

    table = admin.get(f"{BASE}/info-rounds/{pk}").json()
    assert {r["unit_name"]: r["state"] for r in table["rows"]} == {
        demo["unit"].name: "on_time",
        demo["court"].name: "missing",
    }
    reminded = admin.post(f"{BASE}/info-rounds/{pk}/remind")
    assert reminded.status_code == 200 and reminded.json() == {"units": 0, "people": 0}
    assert unit.post(f"{BASE}/info-rounds/{pk}/remind").status_code == 403
    assert as_user(outsider_admin).get(f"{BASE}/info-rounds/{pk}").status_code == 404
    assert unit.get(f"{BASE}/info-rounds").json()["count"] == 1

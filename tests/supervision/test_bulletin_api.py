"""The bulletin API: the office drafts, changes, names units and issues; the figures; the
Word document; 422 by field, 403 and 404 as the screens. Who may call each route is in
tests/matrix/supervision_bulletins_api.py."""

from __future__ import annotations

import io
import json
from typing import Any

import docx
from django.contrib.auth.models import User
from django.test import Client

from tests.supervision.test_bulletins import END, TITLE, build_quarter, draft

API = "/api/v1/supervision/bulletins"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def test_the_office_drafts_names_and_issues(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    build_quarter(demo)
    client = _client(office_admin)
    body = {"title": TITLE, "period_start": "2026-06-30", "period_end": "2026-04-01"}
    response = send(client, "POST", API, body)
    assert response.status_code == 422
    assert "不能早于" in response.json()["errors"]["period_end"][0]
    body.update(period_start="2026-04-01", period_end="2026-06-30")
    response = send(client, "POST", API, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft" and created["office_name"] == demo["office"].name
    url = f"{API}/{created['id']}"
    assert send(client, "PATCH", url, {"intro": "现通报如下。"}).json()["intro"] == "现通报如下。"
    figures = client.get(f"{url}/figures").json()
    market = next(f for f in figures if f["unit_id"] == demo["unit"].pk)
    assert (market["rank"], market["problems_overdue"], market["closed_rate"]) == (2, 2, "25.0")
    court = next(f for f in figures if f["unit_id"] == demo["court"].pk)
    assert court["closed_rate"] is None
    no_reason = {"unit_id": demo["unit"].pk, "verdict": "criticize"}
    response = send(client, "POST", f"{url}/verdicts", no_reason)
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = send(client, "POST", f"{url}/verdicts", {**no_reason, "reason": "逾期未整改"})
    assert response.json()["named"] == [
        {
            "unit_id": demo["unit"].pk,
            "unit_name": demo["unit"].name,
            "verdict": "criticize",
            "reason": "逾期未整改",
        }
    ]
    bad = send(client, "POST", f"{url}/verdicts", {**no_reason, "unit_id": demo["office"].pk})
    assert bad.status_code == 422 and "unit_id" in bad.json()["errors"]
    response = send(client, "POST", f"{url}/issue", {"issued_on": "2026-07-02"})
    assert response.status_code == 200 and response.json()["number"] == "2026年第1期"
    response = send(client, "PATCH", url, {"title": "改"})
    assert response.status_code == 422 and "印发后不能再修改" in response.json()["detail"]
    document = docx.Document(io.BytesIO(client.get(f"{url}/docx").content))
    assert any(demo["unit"].name in c.text for c in document.tables[0].column_cells(1))
    assert [b["id"] for b in client.get(API).json()["items"]] == [created["id"]]


def test_units_see_issued_bulletins_only(
    demo: dict[str, Any],
    registered: Any,
    office_admin: User,
    coordinator: User,
    outsider_admin: User,
) -> None:
    hidden = draft(demo, office_admin)
    client = _client(coordinator)
    assert client.get(API).json()["items"] == []
    assert client.get(f"{API}/{hidden.pk}").status_code == 404
    assert client.get(f"{API}/{hidden.pk}/figures").status_code == 404
    send(_client(office_admin), "POST", f"{API}/{hidden.pk}/issue", {"issued_on": END.isoformat()})
    assert client.get(f"{API}/{hidden.pk}").json()["status"] == "issued"
    assert send(client, "PATCH", f"{API}/{hidden.pk}", {"title": "改"}).status_code == 403
    assert _client(outsider_admin).get(f"{API}/{hidden.pk}").status_code == 404
    response = send(
        _client(outsider_admin),
        "POST",
        API,
        {
            "office_id": demo["office"].pk,
            "title": TITLE,
            "period_start": "2026-04-01",
            "period_end": "2026-06-30",
        },
    )
    assert response.status_code == 404

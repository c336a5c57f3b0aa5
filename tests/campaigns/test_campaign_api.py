"""The campaign API: list, detail, create (403/404/422 in Chinese), PUT phases."""

from __future__ import annotations

import json
from typing import Any

from tests.campaigns.conftest import snapshot
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Framework

API = "/api/v1/campaigns"


def _payload(demo, **overrides: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    framework = Framework.objects.get(owner=demo["office"], lineage="SAMPLE-WMDW", version=1)
    data = {
        "unit_id": demo["unit"].pk,
        "title": "2027—2029年创建省级文明单位",
        "target_level": "province",
        "framework_id": framework.pk,
        "cycle_start": "2027-01-01",
        "cycle_end": "2029-12-31",
        "application_date": "2029-10-10",
    }
    data.update(overrides)
    return data


def _post(client, url: str, data: Any, method: str = "post"):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_list_and_detail(campaign, leader, outsider_admin, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(leader)
    rows = client.get(API).json()
    assert [r["title"] for r in rows] == [campaign.title]
    assert rows[0]["unit_name"] == "临州市市场监督管理局"
    detail = client.get(f"{API}/{campaign.pk}").json()
    assert [p["kind"] for p in detail["phases"]] == ["mobilize", "implement", "improve", "apply"]
    assert detail["coverage"]["uncovered"] > 0 and detail["milestones"] == []
    assert as_user(outsider_admin).get(API).json() == []
    assert as_user(outsider_admin).get(f"{API}/{campaign.pk}").status_code == 404


def test_create(demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    response = _post(as_user(coordinator), API, _payload(demo))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_active"] and len(body["phases"]) == 4
    assert body["phases"][0]["start"] == "2027-01-01"
    assert Campaign.objects.get().created_by == coordinator


def test_create_refused_for_those_who_do_not_manage_the_unit(  # type: ignore[no-untyped-def]
    demo, leader, outsider_admin, coordinator, as_user
) -> None:
    response = _post(as_user(leader), API, _payload(demo))
    assert response.status_code == 403
    assert "不能为“临州市市场监督管理局”新建创建工作" in response.json()["detail"]
    assert _post(as_user(outsider_admin), API, _payload(demo)).status_code == 404
    assert (
        _post(as_user(coordinator), API, _payload(demo, unit_id=demo["court"].pk)).status_code
        == 404
    )
    assert not Campaign.objects.exists()


def test_create_bad_input_is_422_in_chinese(campaign, demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(campaign)
    client = as_user(coordinator)
    cases = [
        (_payload(demo, cycle_end="2026-12-31"), "cycle_end", "早于开始日期"),
        (_payload(demo, cycle_start="明年"), "cycle_start", "日期格式不正确"),
        (_payload(demo, framework_id=999999), "framework_id", "没有找到所选测评体系"),
        (_payload(demo, target_level="galaxy"), "target_level", "请从列表中选择目标级别"),
        (_payload(demo, title=""), "title", "请填写创建工作名称"),
        (_payload(demo, application_date="2031-01-01"), "application_date", "不在创建周期"),
    ]
    for data, field, message in cases:
        response = _post(client, API, data)
        assert response.status_code == 422, (field, response.content)
        body = response.json()
        assert any(message in m for m in body["errors"][field]), body
        assert message in body["detail"]
    response = client.post(API, "{not json", content_type="application/json")
    assert response.status_code == 400 and "无法读取" in response.json()["detail"]
    assert snapshot(campaign) == before


def _phases(campaign, **change: tuple[str, str]) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    rows = []
    for p in campaign.phases.order_by("position"):
        start, end = change.get(p.kind, (p.start.isoformat(), p.end.isoformat()))
        rows.append({"kind": p.kind, "start": start, "end": end, "description": ""})
    return rows


def test_put_phases(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/{campaign.pk}/phases"
    data = {"phases": _phases(campaign, mobilize=("2026-01-01", "2026-02-28"))}
    data["phases"][1]["start"] = "2026-03-01"
    response = _post(as_user(coordinator), url, data, method="put")
    assert response.status_code == 200, response.content
    assert response.json()[0]["end"] == "2026-02-28"
    assert campaign.phases.get(kind="implement").start.isoformat() == "2026-03-01"


def test_put_phases_bad_input(campaign, coordinator, dept_head, as_user) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/{campaign.pk}/phases"
    before = snapshot(campaign)
    client = as_user(coordinator)
    overlap = {"phases": _phases(campaign, improve=("2028-06-01", "2028-09-30"))}
    response = _post(client, url, overlap, method="put")
    assert response.status_code == 422
    assert "“总结提高”阶段（从2028年6月1日开始）与“组织实施”阶段" in response.json()["detail"]
    outside = {"phases": _phases(campaign, apply=("2028-10-01", "2029-03-31"))}
    response = _post(client, url, outside, method="put")
    assert (
        "“集中申报”阶段（2028年10月1日至2029年3月31日）超出了创建周期" in response.json()["detail"]
    )
    backwards = {"phases": _phases(campaign, mobilize=("2026-03-31", "2026-01-01"))}
    response = _post(client, url, backwards, method="put")
    assert "“宣传发动”阶段的结束日期（2026年1月1日）早于开始日期" in response.json()["detail"]
    response = _post(client, url, {"phases": "x"}, method="put")
    assert response.status_code == 422 and "phases" in response.json()["errors"]
    response = _post(as_user(dept_head), url, {"phases": _phases(campaign)}, method="put")
    assert response.status_code == 403
    assert snapshot(campaign) == before


def test_change_milestones_and_actions(campaign, coordinator, leader, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = f"{API}/{campaign.pk}"
    response = _post(client, url, {"goals": "全面达到省级文明单位标准"}, method="patch")
    assert response.status_code == 200, response.content
    assert response.json()["goals"] == "全面达到省级文明单位标准"
    assert response.json()["title"] == campaign.title
    response = _post(client, url, {"title": "名" * 121}, method="patch")
    assert response.status_code == 422 and response.json()["errors"] == {
        "title": ["不能超过120个字"]
    }
    response = _post(client, url, {"cycle_end": "2025-01-01"}, method="patch")
    assert response.status_code == 422 and "cycle_end" in response.json()["errors"]
    assert _post(as_user(leader), url, {"goals": "x"}, method="patch").status_code == 403

    response = _post(
        client, f"{url}/milestones", {"title": "九月底前全面部署", "due": "2026-09-30"}
    )
    assert response.status_code == 201, response.content
    milestone = response.json()
    response = _post(client, f"{url}/milestones", {"title": "太晚", "due": "2031-01-01"})
    assert response.status_code == 422 and "不在创建周期" in response.json()["errors"]["due"][0]
    response = _post(
        client, f"{API}/milestones/{milestone['id']}", {"done_at": "2026-09-28"}, method="patch"
    )
    assert response.status_code == 200 and response.json()["done_at"] == "2026-09-28"
    response = client.post(f"{API}/milestones/{milestone['id']}/deactivate")
    assert response.status_code == 200
    assert client.get(url).json()["milestones"] == []

    # Standards without tasks: not yet organized, said in Chinese.
    response = client.post(f"{url}/organize")
    assert response.status_code == 422 and response.json()["detail"]
    assert client.post(f"{url}/set-active").json()["is_active"] is True
    document = as_user(leader).get(f"{url}/plan.docx")
    assert document.status_code == 200 and document.content.startswith(b"PK")

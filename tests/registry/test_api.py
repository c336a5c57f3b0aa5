"""The registry API: list with the screens' filters, register, change, honours and their
status, 摘牌 with its ban, negative events; 422 by field, 404 for what the caller may not see.
Who may call each route is in tests/matrix/registry_api.py."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from wenming.orgs.models import Organization, OrgKind
from wenming.registry import services
from wenming.registry.models import HonourStatus, NegativeEvent, RegistryEntry, Revocation

TODAY = datetime.date.today()


@pytest.fixture
def entry(demo: dict[str, Any], office_admin: User) -> RegistryEntry:
    found = RegistryEntry.objects.filter(unit=demo["unit"]).first()
    return found or services.entry_register(
        office=demo["office"], user=office_admin, unit=demo["unit"], sector="机关", area="城东区"
    )


@pytest.fixture
def honour(entry: RegistryEntry, office_admin: User) -> Any:
    return services.honour_add(
        entry=entry, user=office_admin, title="接口测试称号", level="city", year_named=2022
    )


@pytest.fixture
def other_entry(demo: dict[str, Any], outsider_admin: User) -> RegistryEntry:
    return services.entry_register(
        office=demo["other_office"], user=outsider_admin, unit=demo["other_unit"]
    )


def send(client: Any, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def test_list_filters_like_the_screens_and_is_paginated(
    entry: RegistryEntry,
    honour: Any,
    other_entry: RegistryEntry,
    office_admin: User,
    as_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    office = entry.office
    for n in range(3):
        extra = Organization.objects.create(kind=OrgKind.UNIT, parent=office, name=f"接口单位{n}")
        e = services.entry_register(office=office, user=office_admin, unit=extra, sector="学校")
        services.honour_add(
            entry=e, user=office_admin, title="文明校园", level="county", year_named=2021
        )
    client = as_user(office_admin)
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/registry").json()
    names = [i["unit_name"] for i in body["items"]]
    assert entry.unit.name in names and other_entry.unit.name not in names
    assert body["count"] == len(names)
    found = client.get("/api/v1/registry", {"level": "city", "year": 2022}).json()
    assert [i["unit_name"] for i in found["items"]] == [entry.unit.name]
    assert found["items"][0]["honours"][0]["title"] == "接口测试称号"
    schools = client.get("/api/v1/registry", {"sector": "学校", "q": "接口单位1"}).json()
    assert [i["unit_name"] for i in schools["items"]] == ["接口单位1"]
    bad = client.get("/api/v1/registry", {"level": "地市级"})
    assert bad.status_code == 422 and "level" in bad.json()["errors"]


def test_register_a_new_unit_by_name_and_change_it(
    demo: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    created = client.post(
        "/api/v1/registry",
        {"unit_name": "临州市接口新单位", "sector": "企业", "info_admin_phone": "13800000000"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["office_id"] == demo["office"].pk and body["honours"] == []
    assert Organization.objects.get(pk=body["unit_id"]).parent == demo["office"]
    again = client.post(
        "/api/v1/registry", {"unit_id": body["unit_id"]}, content_type="application/json"
    )
    assert again.status_code == 422 and "unit_id" in again.json()["errors"]
    changed = send(client, "PATCH", f"/api/v1/registry/{body['id']}", {"staff_count": 80})
    assert changed.status_code == 200 and changed.json()["staff_count"] == 80
    assert changed.json()["sector"] == "企业"
    bad_phone = send(
        client, "PATCH", f"/api/v1/registry/{body['id']}", {"info_admin_phone": "电话"}
    )
    assert bad_phone.status_code == 422 and "info_admin_phone" in bad_phone.json()["errors"]


def test_a_unit_of_another_city_cannot_be_registered_or_read(
    demo: dict[str, Any], other_entry: RegistryEntry, office_admin: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    refused = client.post(
        "/api/v1/registry", {"unit_id": demo["other_unit"].pk}, content_type="application/json"
    )
    assert refused.status_code == 422 and "unit_id" in refused.json()["errors"]
    foreign = client.post(
        "/api/v1/registry",
        {"office_id": demo["other_office"].pk, "unit_name": "x"},
        content_type="application/json",
    )
    assert foreign.status_code == 404
    assert client.get(f"/api/v1/registry/{other_entry.pk}").status_code == 404


def test_honours_and_their_status_with_history(
    entry: RegistryEntry, office_admin: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    added = client.post(
        f"/api/v1/registry/{entry.pk}/honours",
        {"title": "省级文明单位", "level": "province", "year_named": 2023, "term_years": 3},
        content_type="application/json",
    )
    assert added.status_code == 201, added.json()
    honour = added.json()
    assert honour["last_year"] == 2025 and honour["status"] == "named"
    assert [e["to_status"] for e in honour["events"]] == ["named"]
    bad = client.post(
        f"/api/v1/registry/{entry.pk}/honours",
        {"title": "省级文明单位", "level": "地市级", "year_named": 2023},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "level" in bad.json()["errors"]
    url = f"/api/v1/registry/honours/{honour['id']}/status"
    no_document = client.post(
        url, {"to_status": "warned", "decided_on": str(TODAY), "reason": "滑坡"},
        content_type="application/json",
    )  # fmt: skip
    assert no_document.status_code == 422
    assert "document_title" in no_document.json()["errors"]
    revoke_here = client.post(
        url, {"to_status": "revoked", "decided_on": str(TODAY), "document_title": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert revoke_here.status_code == 422 and "to_status" in revoke_here.json()["errors"]
    rectify = client.post(
        url,
        {"to_status": "rectify", "decided_on": str(TODAY), "reason": "台账不全",
         "document_title": "临文明办〔2026〕5号", "deadline": str(TODAY + datetime.timedelta(days=60))},
        content_type="application/json",
    )  # fmt: skip
    assert rectify.status_code == 200, rectify.json()
    assert rectify.json()["status"] == "rectify"
    detail = client.get(f"/api/v1/registry/{entry.pk}").json()
    events = next(h for h in detail["honours"] if h["id"] == honour["id"])["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("", "named"),
        ("named", "rectify"),
    ]
    assert events[1]["document_title"] == "临文明办〔2026〕5号"
    assert events[1]["reason"] == "台账不全" and events[1]["actor"]


def test_revoke_bans_and_is_read_by_the_unit(
    entry: RegistryEntry, honour: Any, office_admin: User, coordinator: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    missing = client.post(
        "/api/v1/revocations",
        {"honour_id": honour.pk, "decided_on": str(TODAY), "ban_years": 1},
        content_type="application/json",
    )
    assert missing.status_code == 422
    assert {"reason", "document_title"} <= set(missing.json()["errors"])
    event = services.negative_event_record(
        entry=entry, user=office_admin, what="重大安全事故", occurred_on=TODAY, source="superior",
        is_veto=True,
    )  # fmt: skip
    done = client.post(
        "/api/v1/revocations",
        {"honour_id": honour.pk, "decided_on": str(TODAY), "reason": "发生重大安全事故",
         "document_title": "临文明办〔2026〕9号", "ban_years": 1, "negative_event_id": event.pk},
        content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 201, done.json()
    body = done.json()
    assert body["banned_until"] == f"{TODAY.year + 1}-12-31"
    assert body["negative_event_id"] == event.pk
    honour.refresh_from_db()
    assert honour.status == HonourStatus.REVOKED
    twice = client.post(
        "/api/v1/revocations",
        {"honour_id": honour.pk, "decided_on": str(TODAY), "reason": "x", "document_title": "y"},
        content_type="application/json",
    )
    assert twice.status_code == 422
    unit = as_user(coordinator)
    assert [r["id"] for r in unit.get("/api/v1/revocations").json()["items"]] == [body["id"]]
    assert unit.get(f"/api/v1/revocations/{body['id']}").status_code == 200
    refused = unit.post(
        "/api/v1/revocations",
        {"honour_id": honour.pk, "decided_on": str(TODAY), "reason": "x", "document_title": "y"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_another_citys_records_are_not_found(
    other_entry: RegistryEntry, outsider_admin: User, office_admin: User, as_user: Any
) -> None:
    foreign = services.honour_add(
        entry=other_entry, user=outsider_admin, title="市级文明单位", level="city", year_named=2020
    )
    event = services.negative_event_record(
        entry=other_entry, user=outsider_admin, what="x", occurred_on=TODAY, source="media"
    )
    revocation = services.revoke(
        honour=foreign, user=outsider_admin, decided_on=TODAY, reason="x", document_title="y"
    )
    client = as_user(office_admin)
    assert client.get(f"/api/v1/revocations/{revocation.pk}").status_code == 404
    assert client.get("/api/v1/revocations").json()["count"] == 0
    assert client.get("/api/v1/negative-events").json()["count"] == 0
    assert (
        client.post(
            f"/api/v1/negative-events/{event.pk}/withdraw", {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )  # fmt: skip
    status = client.post(
        f"/api/v1/registry/honours/{foreign.pk}/status",
        {"to_status": "kept", "decided_on": str(TODAY), "document_title": "x"},
        content_type="application/json",
    )
    assert status.status_code == 404
    assert Revocation.objects.filter(pk=revocation.pk).exists()


def test_negative_events_are_recorded_and_withdrawn_with_a_reason(
    entry: RegistryEntry, office_admin: User, leader: User, staff: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    future = client.post(
        "/api/v1/negative-events",
        {"entry_id": entry.pk, "what": "x", "occurred_on": str(TODAY + datetime.timedelta(days=2)),
         "source": "public"},
        content_type="application/json",
    )  # fmt: skip
    assert future.status_code == 422 and "occurred_on" in future.json()["errors"]
    bad_source = client.post(
        "/api/v1/negative-events",
        {"entry_id": entry.pk, "what": "x", "occurred_on": str(TODAY), "source": "rumour"},
        content_type="application/json",
    )
    assert bad_source.status_code == 422 and "source" in bad_source.json()["errors"]
    created = client.post(
        "/api/v1/negative-events",
        {"entry_id": entry.pk, "what": "窗口服务被媒体曝光", "occurred_on": str(TODAY),
         "source": "media", "is_veto": False, "verified_on": str(TODAY)},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["verified_by"] and body["withdrawn"] is False
    url = f"/api/v1/negative-events/{body['id']}/withdraw"
    no_reason = client.post(url, {"reason": ""}, content_type="application/json")
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    assert (
        as_user(leader).post(url, {"reason": "x"}, content_type="application/json").status_code
        == 403
    )
    assert (
        as_user(staff).post(url, {"reason": "x"}, content_type="application/json").status_code
        == 404
    )
    done = client.post(url, {"reason": "经核实不属实"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["withdrawn"] is True
    assert client.get("/api/v1/negative-events").json()["count"] == 0
    kept = client.get("/api/v1/negative-events", {"withdrawn": "true"}).json()
    assert [e["id"] for e in kept["items"]] == [body["id"]]
    assert NegativeEvent.objects.get(pk=body["id"]).removed_reason == "经核实不属实"
    assert as_user(leader).get("/api/v1/negative-events").json()["count"] == 0
    assert as_user(staff).get("/api/v1/negative-events").json()["count"] == 0

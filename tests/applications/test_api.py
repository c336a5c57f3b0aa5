"""The applications API (/api/v1/applications): batches, the unit's submission, every office
step, 422 under the field the client sent, 403/404 through the access helpers. Who may call
each route is in tests/matrix/applications_api.py."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from tests.applications.conftest import BATCH, FORM, RULES, TODAY, travel

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


def send(client: Any, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def _batch_payload(**extra: Any) -> dict[str, Any]:
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in BATCH.items()}
    return {**data, "rules": RULES, **extra}


def test_office_creates_updates_and_reads_a_batch(demo, office_admin, as_user):
    client = as_user(office_admin)
    r = send(client, "POST", f"{URL}/batches", _batch_payload())
    assert r.status_code == 201, r.content.decode()
    body = r.json()
    assert body["office_name"] == "临州市文明办"
    assert [rule["label"] for rule in body["rules"]][:2] == [
        "连续2年保持县级称号",
        "职工人数不少于30人",
    ]
    pk = body["id"]
    r = send(client, "PATCH", f"{URL}/batches/{pk}", {"quota": 8, "rules": []})
    assert r.status_code == 200 and r.json()["quota"] == 8 and r.json()["rules"] == []
    listed = client.get(f"{URL}/batches").json()
    assert [b["id"] for b in listed["items"]] == [pk]


def test_batch_refusals_are_422_under_the_field(demo, office_admin, as_user):
    client = as_user(office_admin)
    r = send(client, "POST", f"{URL}/batches", _batch_payload(closes_on="2026-05-01"))
    assert r.status_code == 422
    assert r.json()["errors"]["closes_on"] == ["申报截止日期不能早于申报开始日期。"]
    r = send(client, "POST", f"{URL}/batches", _batch_payload(office_id=demo["other_office"].pk))
    assert r.status_code == 404


def test_unit_people_cannot_open_a_batch(demo, coordinator, as_user):
    r = send(as_user(coordinator), "POST", f"{URL}/batches", _batch_payload())
    assert r.status_code == 403


def test_the_coordinator_applies_and_sees_every_comment_but_no_opinion(
    batch, entry, coordinator, office_admin, as_user
):
    unit = as_user(coordinator)
    r = send(unit, "POST", URL, {**FORM, "batch_id": batch.pk})
    assert r.status_code == 201, r.content.decode()
    pk = r.json()["id"]
    office = as_user(office_admin)
    assert send(office, "POST", f"{URL}/{pk}/accept", {"comment": "材料齐全"}).status_code == 200
    r = send(office, "POST", f"{URL}/{pk}/assessment", {"field_score": "92.5", "survey_rate": "96"})
    assert r.status_code == 200 and r.json()["status"] == "assessed"
    r = send(
        office,
        "POST",
        f"{URL}/{pk}/opinions",
        {"body": "discipline", "content": "未发现问题", "received_on": TODAY.isoformat()},
    )
    assert r.status_code == 201 and len(r.json()["opinions"]) == 1
    mine = unit.get(f"{URL}/{pk}").json()
    assert mine["opinions"] is None and mine["objections"] is None
    assert [e["comment"] for e in mine["events"]][1:3] == [
        "材料齐全",
        "实地测评得分92.5分，群众满意率96%。",
    ]


def test_the_eligibility_route_explains_each_rule(batch, entry, coordinator, as_user, office_admin):
    r = as_user(coordinator).get(f"{URL}/batches/{batch.pk}/eligibility")
    assert r.status_code == 200
    assert [x["ok"] for x in r.json()] == [True] * 5
    assert as_user(office_admin).get(f"{URL}/batches/{batch.pk}/eligibility").status_code == 403


def test_submit_refusals_say_why(batch, entry, coordinator, as_user, office_admin):
    from wenming.registry import services

    services.negative_event_record(
        entry=entry,
        user=office_admin,
        what="发生重大安全生产事故",
        occurred_on=datetime.date(2025, 4, 2),
        source="superior",
        is_veto=True,
    )
    client = as_user(coordinator)
    r = send(client, "POST", URL, {**FORM, "batch_id": batch.pk})
    assert r.status_code == 422
    assert r.json()["errors"]["__all__"] == [
        "不符合申报条件：2025年发生一票否决事项，追溯期内不得申报。"
    ]
    r = send(client, "POST", URL, {**FORM, "batch_id": batch.pk, "summary": "字" * 3001})
    assert r.status_code == 422 and "summary" in r.json()["errors"]
    with travel(datetime.date(2026, 7, 2)):
        r = send(as_user(coordinator), "POST", URL, {**FORM, "batch_id": batch.pk})
    assert r.json()["detail"] == "申报时间为2026年6月1日至2026年6月30日，现在不能申报。"


def test_return_resubmit_and_withdraw(application, coordinator, leader, office_admin, as_user):
    office, unit = as_user(office_admin), as_user(coordinator)
    pk = application.pk
    r = send(office, "POST", f"{URL}/{pk}/return", {"comment": "请补充", "deadline": "2026-06-25"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert send(as_user(leader), "POST", f"{URL}/{pk}/resubmit", {}).status_code == 403
    assert send(unit, "POST", f"{URL}/{pk}/return", {"comment": "x"}).status_code == 403
    r = send(unit, "POST", f"{URL}/{pk}/resubmit", {"summary": "补充后的总结"})
    assert r.status_code == 200 and r.json()["summary"] == "补充后的总结"
    send(office, "POST", f"{URL}/{pk}/accept")
    r = send(unit, "POST", f"{URL}/{pk}/withdraw", {"reason": "不报了"})
    assert r.status_code == 422
    assert "初审通过后不能撤回" in r.json()["detail"]


def test_field_round_through_the_api(application, office_admin, coordinator, campaign, as_user):
    from wenming.applications.models import Batch

    Batch.objects.filter(pk=application.batch_id).update(framework=campaign.framework)
    office = as_user(office_admin)
    pk = application.pk
    send(office, "POST", f"{URL}/{pk}/accept")
    r = send(
        office,
        "POST",
        f"{URL}/{pk}/field-round",
        {"scored_on": TODAY.isoformat(), "assessor_ids": [coordinator.pk]},
    )
    assert r.status_code == 422 and "assessor_ids" in r.json()["errors"]
    r = send(
        office,
        "POST",
        f"{URL}/{pk}/field-round",
        {"scored_on": TODAY.isoformat(), "assessor_ids": [office_admin.pk]},
    )
    assert r.status_code == 200 and r.json()["field_round_id"]
    assert r.json()["assessor_ids"] == [office_admin.pk]


def test_publicity_objection_answer_and_naming(
    application, court_application, advance, office_admin, as_user, batch
):
    office = as_user(office_admin)
    advance(application, "consulted")
    advance(court_application, "consulted")
    r = send(
        office,
        "POST",
        f"{URL}/batches/{batch.pk}/publicity",
        {"starts_on": TODAY.isoformat(), "application_ids": [application.pk, court_application.pk]},
    )
    assert r.status_code == 200, r.content.decode()
    assert {a["publicity_ends_on"] for a in r.json()} == {"2026-06-19"}
    r = send(
        office,
        "POST",
        f"{URL}/{court_application.pk}/objections",
        {"received_on": TODAY.isoformat(), "content": "反映窗口服务差"},
    )
    assert r.status_code == 201
    objection = r.json()["id"]
    r = send(
        office,
        "POST",
        f"{URL}/objections/{objection}/answer",
        {"answer": "经核查属实", "answered_on": TODAY.isoformat(), "upheld": True},
    )
    assert r.status_code == 200 and r.json()["upheld"] is True
    ids = {"application_ids": [application.pk], "named_on": "2026-06-22"}
    with travel(datetime.date(2026, 6, 22)):
        office = as_user(office_admin)  # a fresh session on the later day
        r = send(office, "POST", f"{URL}/batches/{batch.pk}/name", ids)
        assert r.status_code == 422
        assert r.json()["errors"]["decision_title"]
        r = send(
            office,
            "POST",
            f"{URL}/batches/{batch.pk}/name",
            {**ids, "decision_title": "临文明委〔2026〕15号"},
        )
    assert r.status_code == 200, r.content.decode()
    assert len(r.json()["honour_ids"]) == 1
    assert r.json()["batch"]["named_count"] == 1
    statuses = {a["id"]: a["status"] for a in office.get(URL).json()["items"]}
    assert statuses == {application.pk: "named", court_application.pk: "rejected"}


def test_naming_over_the_quota_via_the_api(
    application, court_application, advance, office_admin, as_user, batch
):
    from wenming.applications import services

    advance(application, "publicized")
    advance(court_application, "publicized")
    services.batch_update(batch=batch, user=office_admin, quota=1)
    payload = {
        "application_ids": [application.pk, court_application.pk],
        "named_on": "2026-06-22",
        "decision_title": "临文明委〔2026〕15号",
    }
    with travel(datetime.date(2026, 6, 22)):
        r = send(as_user(office_admin), "POST", f"{URL}/batches/{batch.pk}/name", payload)
    assert r.status_code == 422
    assert r.json()["errors"]["application_ids"] == ["名额为1个，已命名0个，本次最多还能命名1个。"]


def test_unit_and_others_are_kept_out(
    application, court_application, coordinator, staff, outsider_admin, as_user
):
    unit = as_user(coordinator)
    assert unit.get(f"{URL}/{court_application.pk}").status_code == 404
    assert [a["id"] for a in unit.get(URL).json()["items"]] == [application.pk]
    assert as_user(staff).get(f"{URL}/{application.pk}").status_code == 404
    assert as_user(staff).get(URL).json()["items"] == []
    assert as_user(outsider_admin).get(f"{URL}/{application.pk}").status_code == 404
    assert (
        send(as_user(outsider_admin), "POST", f"{URL}/{application.pk}/accept").status_code == 404
    )


def test_the_frozen_ledger_is_listed(batch, entry, demo, coordinator, make_item, as_user):
    from wenming.applications import services

    make_item()
    application = services.application_submit(
        batch=batch, unit=demo["unit"], user=coordinator, **FORM
    )
    body = as_user(coordinator).get(f"{URL}/{application.pk}/snapshot").json()
    assert body["count"] == 1
    assert [f["original_name"] for f in body["items"][0]["files"]] == [
        "讲堂现场.jpg",
        "活动方案.docx",
    ]


def test_lists_issue_a_bounded_number_of_queries(
    batch, application, court_application, office_admin, as_user, django_assert_max_num_queries
):
    client = as_user(office_admin)
    with django_assert_max_num_queries(8):
        assert client.get(URL).json()["count"] == 2
    with django_assert_max_num_queries(8):
        assert client.get(f"{URL}/batches").json()["count"] == 1

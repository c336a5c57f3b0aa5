"""The API of imported hours, 双报到 and 帮扶共建: importing a sheet (201 with the totals, or
422 with every bad row, nothing kept), the members' feedback by quarter, pairings with their
visits against the plan; every refusal in the API's dialect (404, 403 with the sentence, 422
under the field sent) and lists that cost the same whatever the number of rows."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.activities.service_sheets import row, sheet
from tests.activities.test_service_hours_import import _person
from wenming.activities import community
from wenming.activities.hours_import import hours_import
from wenming.activities.models import (
    Activity,
    CommunityFeedback,
    CommunityReport,
    HoursImport,
    Pairing,
    ServiceHours,
)
from wenming.orgs.access import OFFICE_READS_ONLY

BASE = "/api/v1/activities"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def _put(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(data), content_type="application/json")


def _upload(client: Any, campaign: Any, content: bytes, **more: Any) -> Any:
    data = {"campaign_id": campaign.pk, "file": SimpleUploadedFile("时长.xlsx", content), **more}
    return client.post(f"{BASE}/volunteers/hours-imports", data)


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- imported hours -------------------------------------------------------------------------


def test_importing_a_sheet(campaign, demo, as_user, staff, observer) -> None:  # type: ignore[no-untyped-def]
    response = _upload(as_user(staff), campaign, sheet([row("张明", 2.5), row("陈晓燕", 1)]))
    assert response.status_code == 201
    body = response.json()
    assert (body["rows"], body["people"], body["hours"]) == (2, 2, "3.50")
    assert body["file_name"] == "时长.xlsx" and body["created_by"] == "陈晓燕"
    reader = as_user(observer)
    listing = reader.get(f"{BASE}/volunteers/hours-imports?campaign={campaign.pk}").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    detail = reader.get(f"{BASE}/volunteers/hours-imports/{body['id']}").json()
    assert detail["people"] == 2
    rows = reader.get(f"{BASE}/volunteers/hours-imports/{body['id']}/rows").json()
    assert [(r["name"], r["hours"], r["served_on"]) for r in rows["items"]] == [
        ("张明", "2.50", "2026-05-10"),
        ("陈晓燕", "1.00", "2026-05-10"),
    ]


def test_a_refused_sheet_answers_every_row(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = sheet([row("王小二", 2), row("张明", "两小时")])
    response = _upload(as_user(coordinator), campaign, content)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "未导入：表格中有2处问题，请修改后重新上传（整个表格未写入）。"
    assert [p["row"] for p in body["problems"]] == [3, 4]
    assert body["errors"]["file"][1] == "第4行：服务时长“两小时”不是数字，请只填写小时数，如 2.5。"
    assert not HoursImport.objects.exists() and not ServiceHours.objects.exists()


def test_who_may_import_by_the_api(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, leader, office_admin, outsider_admin
) -> None:
    content = sheet([row("张明", 2)])
    refused = _upload(as_user(leader), campaign, content)
    assert (
        refused.status_code == 403 and "只有本单位创建办和各部门负责人" in refused.json()["detail"]
    )
    office = _upload(as_user(office_admin), campaign, content)
    assert office.status_code == 403 and office.json()["detail"] == OFFICE_READS_ONLY
    assert _upload(as_user(outsider_admin), campaign, content).status_code == 404
    by_unit = as_user(outsider_admin).post(
        f"{BASE}/volunteers/hours-imports",
        {"unit_id": demo["unit"].pk, "file": SimpleUploadedFile("a.xlsx", content)},
    )
    assert by_unit.status_code == 404
    assert not HoursImport.objects.exists()


def test_the_import_list_costs_the_same_for_1_and_6(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    client = as_user(coordinator)

    def load(month: int) -> None:
        hours_import(
            unit=demo["unit"],
            user=coordinator,
            content=sheet([row("张明", 1, day=datetime.date(2026, month, 2)), row("陈晓燕", 2)]
                          if month == 1 else [row("张明", 1, day=datetime.date(2026, month, 2))]),
            file_name=f"{month}.xlsx",
        )  # fmt: skip

    load(1)
    few = _count(client, f"{BASE}/volunteers/hours-imports?campaign={campaign.pk}")
    for month in range(2, 7):
        load(month)
    assert _count(client, f"{BASE}/volunteers/hours-imports?campaign={campaign.pk}") == few


# --- 双报到 ------------------------------------------------------------------------------------


def test_members_and_their_feedback(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, observer
) -> None:
    client = as_user(coordinator)
    created = _post(
        client,
        f"{BASE}/community-reports",
        {
            "campaign_id": campaign.pk,
            "person_id": dept_head.pk,
            "community": "城东街道幸福里社区",
            "reported_on": "2026-01-10",
        },
    )
    assert created.status_code == 201
    report_id = created.json()["id"]
    assert [q["state"] for q in created.json()["quarters"]] == [
        "missing",
        "missing",
        "future",
        "future",
    ]
    url = f"{BASE}/community-reports/{report_id}/feedback"
    first = _put(client, url, {"year": 2026, "quarter": 1, "rating": "good", "hours": "6"})
    assert first.status_code == 200
    again = _put(client, url, {"year": 2026, "quarter": 1, "rating": "excellent", "hours": 7.5})
    quarter = again.json()["quarters"][0]
    assert (quarter["rating_label"], quarter["hours"]) == ("优秀", "7.50")
    assert CommunityFeedback.objects.count() == 1
    listing = as_user(observer).get(f"{BASE}/community-reports?campaign={campaign.pk}").json()
    assert listing["count"] == 1 and listing["items"][0]["missing_now"] is True
    figures = as_user(observer).get(f"{BASE}/community-reports/figures?campaign={campaign.pk}")
    assert figures.json() == {
        "reported": 1,
        "quarter": 2,
        "received": 0,
        "missing": 1,
        "hours": "7.50",
    }
    future = _put(client, url, {"year": 2026, "quarter": 3, "rating": "good"})
    assert future.status_code == 422
    assert "还没有到" in future.json()["errors"]["quarter"][0]
    assert _post(client, f"{url[:-9]}/remove", {}).status_code == 204
    assert CommunityReport.objects.get().removed_at is not None


def test_registration_refusals_by_the_api(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, leader, outsider_admin, dept_head
) -> None:
    data = {"campaign_id": campaign.pk, "person_id": outsider_admin.pk, "community": "x"}
    refused = _post(as_user(coordinator), f"{BASE}/community-reports", data)
    assert (
        refused.status_code == 422 and "不是本单位人员" in refused.json()["errors"]["person_id"][0]
    )
    data = {**data, "person_id": dept_head.pk}
    missing = _post(as_user(coordinator), f"{BASE}/community-reports", data)
    assert missing.json()["errors"]["reported_on"] == ["请填写报到日期。"]
    assert _post(as_user(leader), f"{BASE}/community-reports", data).status_code == 403
    assert _post(as_user(outsider_admin), f"{BASE}/community-reports", data).status_code == 404
    assert not CommunityReport.objects.exists()


def test_the_member_list_costs_the_same_for_2_and_9(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    people = [_person(demo, f"dy{n}", f"党员{n}") for n in range(9)]
    client = as_user(coordinator)

    def register(members: list[User]) -> None:
        for person in members:
            report = community.community_report(
                unit=demo["unit"], person=person, user=coordinator, community="幸福里社区",
                reported_on=datetime.date(2026, 1, 5),
            )  # fmt: skip
            community.community_feedback_record(
                report=report, user=coordinator, year=2026, quarter=1, rating="good"
            )

    register(people[:2])
    few = _count(client, f"{BASE}/community-reports?campaign={campaign.pk}")
    register(people[2:])
    assert _count(client, f"{BASE}/community-reports?campaign={campaign.pk}") == few


# --- 帮扶共建 ----------------------------------------------------------------------------------


def test_pairings_by_the_api(campaign, demo, as_user, coordinator, leader, dept_head) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    data = {
        "campaign_id": campaign.pk,
        "department_id": demo["food"].pk,
        "partner": "江北区石桥村",
        "plan": "每季度走访一次。",
        "starts_on": "2026-01-01",
        "visits_planned": 4,
    }
    created = _post(client, f"{BASE}/pairings", data)
    assert created.status_code == 201
    pairing = Pairing.objects.get()
    Activity.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        kind="pairing",
        title="走访石桥村",
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 5, 9)),
        pairing=pairing,
    )
    listing = as_user(leader).get(f"{BASE}/pairings?campaign={campaign.pk}").json()
    assert [(p["partner"], p["visits"], p["short"]) for p in listing] == [("江北区石桥村", 1, 3)]
    assert listing[0]["progress"] == "今年已走访1次，计划4次，还差3次"
    detail = as_user(dept_head).get(f"{BASE}/pairings/{pairing.pk}").json()
    assert [v["title"] for v in detail["visit_list"]] == ["走访石桥村"]
    assert detail["new_visit_url"].endswith(f"kind=pairing&pairing={pairing.pk}")
    assert as_user(leader).get(f"{BASE}/pairings/{pairing.pk}").json()["new_visit_url"] == ""
    other = _post(client, f"{BASE}/pairings", {**data, "department_id": demo["court"].pk})
    assert other.status_code == 422 and other.json()["errors"]["department_id"]
    twice = _post(client, f"{BASE}/pairings", data)
    assert twice.status_code == 422 and "已有共建对象" in twice.json()["errors"]["partner"][0]
    assert _post(as_user(leader), f"{BASE}/pairings/{pairing.pk}/remove", {}).status_code == 403
    assert _post(client, f"{BASE}/pairings/{pairing.pk}/remove", {}).status_code == 204
    assert client.get(f"{BASE}/pairings/{pairing.pk}").status_code == 404
    assert _post(client, f"{BASE}/pairings/{pairing.pk}/remove", {}).status_code == 422

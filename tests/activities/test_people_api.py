"""The API of volunteers and of the standards' measures: reading, registering and removing,
setting a measure, the suggestions from the standards' words; every refusal in the API's
dialect (404, 403 with the sentence, 422 under the field sent) and lists that cost the same
whatever the number of people."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import Activity, Attendance, Figure, StandardMeasure, Volunteer
from wenming.frameworks.models import Node
from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.orgs.models import Membership, Role

TODAY = datetime.date(2026, 6, 15)
BASE = "/api/v1/activities"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def _put(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(data), content_type="application/json")


def _register(unit: Any, person: User, by: User, **more: Any) -> Volunteer:
    return services.volunteer_register(
        unit=unit, person=person, user=by, registered_on=more.pop("on", TODAY), **more
    )


def _activity(campaign: Any, demo: Any, when: datetime.datetime, hours: dict[User, str]) -> None:
    activity = Activity.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        kind="volunteer",
        title="志愿服务",
        starts_at=timezone.make_aware(when),
    )
    Attendance.objects.bulk_create(
        Attendance(activity=activity, person=p, hours=Decimal(h)) for p, h in hours.items()
    )


def _leaf(campaign: Any, words: str) -> Node:
    return Node.objects.get(framework=campaign.framework, is_leaf=True, title__contains=words)


# --- volunteers ------------------------------------------------------------------------------


def test_the_volunteers_with_hours_and_stars(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff, observer, office_admin
) -> None:
    _register(demo["unit"], dept_head, coordinator, national=True, national_id="NV-1")
    _register(demo["unit"], staff, coordinator)
    _activity(campaign, demo, datetime.datetime(2026, 3, 5, 9), {dept_head: "80", staff: "1.5"})
    _activity(campaign, demo, datetime.datetime(2025, 3, 5, 9), {dept_head: "30"})
    for user in (observer, office_admin, staff):
        response = as_user(user).get(f"{BASE}/volunteers?campaign={campaign.pk}")
        assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    head = next(v for v in body["items"] if v["person_id"] == dept_head.pk)
    assert head["hours_year"] == "80.00" and head["hours_total"] == "110.00"
    assert head["star"] == 1 and head["national"] and head["national_id"] == "NV-1"
    assert head["name"] == (dept_head.get_full_name() or dept_head.username)
    past = as_user(observer).get(f"{BASE}/volunteers?campaign={campaign.pk}&year=2025").json()
    assert past["count"] == 0  # registered in 2026


def test_the_list_costs_the_same_for_2_and_8_people(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    client = as_user(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{BASE}/volunteers?campaign={campaign.pk}")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for person in (dept_head, staff):
        _register(demo["unit"], person, coordinator)
    two = count()
    for n in range(6):
        user = User.objects.create_user(f"zyz{n}", first_name=f"志愿者{n}")
        Membership.objects.create(user=user, organization=demo["food"], role=Role.STAFF)
        _register(demo["unit"], user, coordinator)
    assert client.get(f"{BASE}/volunteers?campaign={campaign.pk}").json()["count"] == 8
    assert count() == two


def test_registering_by_campaign_or_unit(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    client = as_user(coordinator)
    response = _post(
        client,
        f"{BASE}/volunteers",
        {"campaign_id": campaign.pk, "person_id": staff.pk, "registered_on": "2026-05-04"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["person_id"] == staff.pk and body["hours_total"] == "0.00" and body["star"] == 0
    by_unit = _post(
        client,
        f"{BASE}/volunteers",
        {
            "unit_id": demo["unit"].pk,
            "person_id": dept_head.pk,
            "registered_on": "2026-05-04",
            "national": True,
            "national_id": "NV-7",
        },
    )
    assert by_unit.status_code == 201 and by_unit.json()["national_id"] == "NV-7"
    assert Volunteer.objects.filter(unit=demo["unit"], removed_at__isnull=True).count() == 2


def test_registering_as_a_form(campaign, as_user, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    response = as_user(coordinator).post(
        f"{BASE}/volunteers",
        {"campaign_id": campaign.pk, "person_id": staff.pk, "registered_on": "2026-05-04"},
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"campaign_id": None}, "unit_id", "请给出单位"),
        ({"person_id": 999999}, "person_id", "没有找到编号为999999的人员"),
        ({"registered_on": None}, "registered_on", "请填写注册日期"),
        ({"registered_on": "2026-06-16"}, "registered_on", "不能晚于今天"),
        ({"registered_on": "20260504"}, "registered_on", "日期格式不正确"),
        ({"national": True}, "national_id", "请填写志愿者编号"),
        ({"national_id": "x" * 41}, "national_id", "不能超过40个字"),
    ],
)
def test_registration_refusals(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, staff, data, field, message
) -> None:
    sent = {"campaign_id": campaign.pk, "person_id": staff.pk, "registered_on": "2026-05-04"}
    sent.update(data)
    response = _post(as_user(coordinator), f"{BASE}/volunteers", sent)
    assert response.status_code == 422
    assert message in response.json()["errors"][field][0]
    assert not Volunteer.objects.exists()


def test_registering_twice_or_an_outsider(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, outsider_admin
) -> None:
    _register(demo["unit"], dept_head, coordinator)
    client = as_user(coordinator)
    for person, message in (
        (dept_head, "已经是本单位的注册志愿者"),
        (outsider_admin, "不是本单位人员"),
    ):
        response = _post(
            client,
            f"{BASE}/volunteers",
            {"campaign_id": campaign.pk, "person_id": person.pk, "registered_on": "2026-05-04"},
        )
        assert response.status_code == 422
        assert message in response.json()["errors"]["person_id"][0]
    assert Volunteer.objects.count() == 1


def test_only_the_coordinator_registers(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, leader, staff, office_admin, outsider_admin
) -> None:
    data = {"campaign_id": campaign.pk, "person_id": staff.pk, "registered_on": "2026-05-04"}
    refused = _post(as_user(leader), f"{BASE}/volunteers", data)
    assert refused.status_code == 403 and "只有本单位创建办" in refused.json()["detail"]
    office = _post(as_user(office_admin), f"{BASE}/volunteers", data)
    assert office.status_code == 403 and office.json()["detail"] == OFFICE_READS_ONLY
    assert _post(as_user(outsider_admin), f"{BASE}/volunteers", data).status_code == 404
    by_unit = {**data, "campaign_id": None, "unit_id": demo["unit"].pk}
    assert _post(as_user(outsider_admin), f"{BASE}/volunteers", by_unit).status_code == 404
    department = {**by_unit, "unit_id": demo["food"].pk}
    assert _post(as_user(leader), f"{BASE}/volunteers", department).status_code == 404
    assert (
        as_user(outsider_admin).get(f"{BASE}/volunteers?campaign={campaign.pk}").status_code == 404
    )
    assert not Volunteer.objects.exists()


def test_removing_a_registration(  # type: ignore[no-untyped-def]
    demo, as_user, coordinator, leader, dept_head, outsider_admin
) -> None:
    volunteer = _register(demo["unit"], dept_head, coordinator)
    url = f"{BASE}/volunteers/{volunteer.pk}/remove"
    assert as_user(outsider_admin).post(url).status_code == 404
    assert as_user(leader).post(url).status_code == 403
    assert as_user(coordinator).post(url).status_code == 204
    volunteer.refresh_from_db()
    assert volunteer.removed_at is not None
    again = as_user(coordinator).post(url)
    assert again.status_code == 422 and "已取消" in again.json()["detail"]
    assert as_user(coordinator).post(f"{BASE}/volunteers/999999/remove").status_code == 404


# --- measures --------------------------------------------------------------------------------


def test_the_measures_computed_for_a_year(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    standard = _leaf(campaign, "每月至少开展1次志愿服务")
    services.measure_set(
        campaign=campaign,
        standard=standard,
        user=coordinator,
        figure=Figure.MONTHLY,
        target="12",
        kind="volunteer",
    )
    for month in (1, 2, 4, 5, 6):
        _activity(campaign, demo, datetime.datetime(2026, month, 3, 9), {dept_head: "2"})
    response = as_user(staff).get(f"{BASE}/measures?campaign={campaign.pk}&year=2026")
    assert response.status_code == 200
    (row,) = response.json()
    assert row == {
        "standard_id": standard.pk,
        "code": standard.code,
        "title": standard.title,
        "figure": "monthly",
        "figure_label": Figure.MONTHLY.label,
        "kind": "volunteer",
        "target": "12.00",
        "value": "5.00",
        "met": False,
        "basis": row["basis"],
        "shortfall": "3月未开展",
    }
    assert "6个月" in row["basis"]


def test_setting_a_measure(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    standard = _leaf(campaign, "人均年志愿服务时长")
    data = {
        "campaign_id": campaign.pk,
        "standard_id": standard.pk,
        "figure": "hours_per_person",
        "target": "25",
    }
    response = _put(as_user(coordinator), f"{BASE}/measures", data)
    assert response.status_code == 200
    body = response.json()
    assert (body["standard_id"], body["target"], body["value"], body["met"]) == (
        standard.pk,
        "25.00",
        "0.00",
        False,
    )
    again = _put(as_user(coordinator), f"{BASE}/measures", {**data, "target": 30})
    assert again.status_code == 200 and again.json()["target"] == "30.00"
    assert StandardMeasure.objects.get().target == Decimal(30)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"target": "0"}, "target", "目标值须大于0"),
        ({"target": "abc"}, "target", "须为数字"),
        ({"target": "1.234"}, "target", "最多保留两位小数"),
        ({"figure": "nope"}, "figure", "请选择计算口径"),
        ({"kind": "nope"}, "kind", "请选择活动类型"),
        ({"figure": "volunteer_rate", "target": "120"}, "target", "不能超过100%"),
        ({"standard_id": 999999}, "standard_id", "不属于本次创建所用的测评体系"),
    ],
)
def test_measure_refusals(  # type: ignore[no-untyped-def]
    campaign, standard, as_user, coordinator, data, field, message
) -> None:
    sent = {"campaign_id": campaign.pk, "standard_id": standard.pk, "figure": "activities"}
    sent.update({"target": "4", **data})
    response = _put(as_user(coordinator), f"{BASE}/measures", sent)
    assert response.status_code == 422
    assert message in response.json()["errors"][field][0]
    assert not StandardMeasure.objects.exists()


def test_a_heading_is_refused(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    heading = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    data = {"campaign_id": campaign.pk, "standard_id": heading.pk, "figure": "activities"}
    response = _put(as_user(coordinator), f"{BASE}/measures", {**data, "target": "4"})
    assert response.status_code == 422 and "standard_id" in response.json()["errors"]


def test_only_the_coordinator_sets_a_measure(  # type: ignore[no-untyped-def]
    campaign, standard, as_user, leader, office_admin, outsider_admin
) -> None:
    data = {
        "campaign_id": campaign.pk,
        "standard_id": standard.pk,
        "figure": "activities",
        "target": "4",
    }
    assert _put(as_user(leader), f"{BASE}/measures", data).status_code == 403
    office = _put(as_user(office_admin), f"{BASE}/measures", data)
    assert office.status_code == 403 and office.json()["detail"] == OFFICE_READS_ONLY
    assert _put(as_user(outsider_admin), f"{BASE}/measures", data).status_code == 404
    for path in ("measures", "measures/suggestions"):
        url = f"{BASE}/{path}?campaign={campaign.pk}"
        assert as_user(outsider_admin).get(url).status_code == 404
    assert not StandardMeasure.objects.exists()


def test_the_suggestions_are_the_standards_without_a_measure(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, leader
) -> None:
    url = f"{BASE}/measures/suggestions?campaign={campaign.pk}"
    found = {s["code"]: s for s in as_user(leader).get(url).json()}
    hours = _leaf(campaign, "人均年志愿服务时长")
    festivals = _leaf(campaign, "我们的节日")
    assert found[hours.code] == {
        "standard_id": hours.pk,
        "code": hours.code,
        "title": hours.title,
        "figure": "hours_per_person",
        "figure_label": Figure.HOURS_PER_PERSON.label,
        "kind": "",
        "target": "25.00",
    }
    assert found[festivals.code]["figure"] == "festivals"
    assert found[festivals.code]["target"] == "7.00"
    services.measure_set(
        campaign=campaign, standard=hours, user=coordinator, figure="activities", target="1"
    )
    after = {s["code"] for s in as_user(leader).get(url).json()}
    assert hours.code not in after and festivals.code in after

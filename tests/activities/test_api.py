"""The activities API: the same access and rules as the screens, in JSON; recording is
multipart (the fields, the participants as a JSON array, the photos) and every refusal keeps
nothing, neither the activity nor its ledger item nor any file."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.activities.conftest import photo
from tests.ledger.conftest import docx, upload
from wenming.activities.access import RECORDERS_ONLY
from wenming.activities.models import Activity, Attendance
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities"
STEPS = {
    "sing": "《公民道德歌》",
    "model": "身边好人讲述敬业故事",
    "classic": "齐诵《弟子规》选段",
    "reflect": "写下善行承诺",
    "bless": "互赠吉祥卡片",
}


def bearer(user: Any) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def form(campaign: Any, standard: Any, people: list[dict[str, Any]], **extra: Any) -> dict:
    data: dict[str, Any] = {
        "campaign": campaign.pk,
        "kind": "moral_lecture",
        "title": "3月道德讲堂",
        "starts_at": "2026-03-20T14:30",
        "ends_at": "2026-03-20T16:30",
        "place": "局机关三楼道德讲堂",
        "standards": [standard.pk],
        "summary": "按五个环节开展，邀请身边好人讲述敬业故事。",
        "result": "干部职工撰写心得体会32篇。",
        "moral_steps": json.dumps(STEPS, ensure_ascii=False),
        "participants": json.dumps(people, ensure_ascii=False),
        "photos": [photo()],
    }
    data.update(extra)
    return data


def nothing_kept() -> bool:
    media = Path(settings.MEDIA_ROOT)
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return not (
        Activity.objects.exists()
        or Attendance.objects.exists()
        or EvidenceItem.objects.exists()
        or files
    )


# --- recording ----------------------------------------------------------------------------------


def test_a_department_person_records_with_photos_and_participants(
    campaign, standard, demo, dept_head, staff
) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"person_id": dept_head.pk, "hours": "2.5"},
        {"person_id": staff.pk, "hours": 2},
        {"external_name": "社区志愿者王大妈", "hours": "2", "note": "结对社区"},
    ]
    response = bearer(staff).post(URL, form(campaign, standard, people))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department_id"] == demo["food"].pk  # the recorder's own department
    assert body["department_name"] == "食品安全监管科"
    assert (body["kind"], body["kind_label"]) == ("moral_lecture", "道德讲堂")
    assert body["moral_steps"] == STEPS
    assert body["participant_count"] == 3 and body["total_hours"] == "6.50"
    assert body["standards"] == [{"id": standard.pk, "code": standard.code}]
    assert body["attendances"] == [
        {"person_id": dept_head.pk, "name": "张明", "hours": "2.50", "note": ""},
        {"person_id": staff.pk, "name": "陈晓燕", "hours": "2.00", "note": ""},
        {"person_id": None, "name": "社区志愿者王大妈", "hours": "2.00", "note": "结对社区"},
    ]
    starts = datetime.datetime.fromisoformat(body["starts_at"])
    assert timezone.localtime(starts).strftime("%Y-%m-%d %H:%M") == "2026-03-20 14:30"
    item = EvidenceItem.objects.get(pk=body["evidence_id"])
    names = sorted(f.original_name for f in item.files.all())
    assert names == ["3月道德讲堂签到表.pdf", "活动现场.jpg"]
    assert item.created_by == staff and item.department == demo["food"]


def test_the_coordinator_names_the_department(
    campaign, standard, demo, coordinator, dept_head
) -> None:  # type: ignore[no-untyped-def]
    people = [{"person_id": dept_head.pk, "hours": "1"}]
    client = bearer(coordinator)
    response = client.post(URL, form(campaign, standard, people))
    assert response.status_code == 422
    assert response.json()["errors"] == {"department": ["请选择组织活动的部门。"]}
    response = client.post(URL, form(campaign, standard, people, department=demo["registry"].pk))
    assert response.status_code == 201, response.content
    assert response.json()["department_name"] == "登记注册科"


def test_repeated_participant_fields_are_read_too(campaign, standard, staff, dept_head) -> None:  # type: ignore[no-untyped-def]
    data = form(campaign, standard, [])
    data["participants"] = [
        json.dumps({"person_id": dept_head.pk, "hours": "1.5"}),
        json.dumps({"person_id": staff.pk, "hours": "1.5"}),
    ]
    response = bearer(staff).post(URL, data)
    assert response.status_code == 201, response.content
    assert response.json()["total_hours"] == "3.00"


@pytest.mark.parametrize(
    ("case", "status", "field", "message"),
    [
        ("unknown_person", 422, "participants", "没有找到编号为999999的人员"),
        ("other_unit_person", 422, "participants", "黄磊不是本单位人员"),
        ("over_24_hours", 422, "participants", "超过了活动时间（每天最多24小时，共24小时）"),
        ("no_photo", 422, "photos", "请上传活动照片"),
        ("not_a_photo", 422, "photos", ""),
        ("missing_step", 422, "moral_steps", "还缺：送吉祥"),
        ("bad_json", 422, "participants", "参加人员须为 JSON 数组"),
        ("future", 422, "starts_at", "请在活动结束后登记"),
        ("another_department", 403, None, RECORDERS_ONLY),
    ],
)
def test_each_refusal_keeps_nothing(
    case, status, field, message, campaign, standard, demo, staff, dept_head, outsider_admin
) -> None:  # type: ignore[no-untyped-def]
    people: list[dict[str, Any]] = [{"person_id": dept_head.pk, "hours": "2"}]
    extra: dict[str, Any] = {}
    if case == "unknown_person":
        people.append({"person_id": 999999, "hours": "1"})
    elif case == "other_unit_person":
        people.append({"person_id": outsider_admin.pk, "hours": "1"})
    elif case == "over_24_hours":
        people = [{"person_id": dept_head.pk, "hours": "25"}]
        extra["ends_at"] = ""
    elif case == "no_photo":
        extra["photos"] = []
    elif case == "not_a_photo":
        extra["photos"] = [upload("现场.jpg", docx(), "image/jpeg")]
    elif case == "missing_step":
        extra["moral_steps"] = json.dumps({k: v for k, v in STEPS.items() if k != "bless"})
    elif case == "bad_json":
        extra["participants"] = "[{person_id: 1}"
    elif case == "future":
        later = timezone.localtime() + datetime.timedelta(days=3)
        extra.update(starts_at=later.strftime("%Y-%m-%dT%H:%M"), ends_at="")
    elif case == "another_department":
        extra["department"] = demo["registry"].pk  # 登记注册科 is not the staff's department
    response = bearer(staff).post(URL, form(campaign, standard, people, **extra))
    assert response.status_code == status, response.content
    body = response.json()
    assert message in body["detail"]
    if field is not None:
        assert message in " ".join(body["errors"][field])
    assert nothing_kept()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office_admin", 403), ("observer", 403), ("leader", 403), ("outsider_admin", 404)],
)
def test_who_may_not_record(persona, status, request, campaign, standard, dept_head) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)
    people = [{"person_id": dept_head.pk, "hours": "2"}]
    response = bearer(user).post(URL, form(campaign, standard, people))
    assert response.status_code == status
    if status == 403:
        assert response.json()["detail"] == RECORDERS_ONLY
    assert nothing_kept()


def test_anonymous_is_told_to_authenticate(campaign) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(URL).status_code == 401


# --- reading ------------------------------------------------------------------------------------


def test_list_with_filters_in_bounded_queries(
    record, campaign, demo, observer, outsider_admin, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    volunteer = record()
    reading = record(
        kind="reading",
        title="读书分享会",
        department=demo["registry"],
        starts_at=timezone.make_aware(datetime.datetime(2026, 4, 23, 15, 0)),
        ends_at=None,
    )
    client = bearer(observer)
    with django_assert_max_num_queries(8):
        body = client.get(URL, {"campaign": campaign.pk}).json()
    assert body["count"] == 2
    assert [a["id"] for a in body["items"]] == [reading.pk, volunteer.pk]  # newest first
    first = body["items"][1]
    assert first["participant_count"] == 2 and first["total_hours"] == "4.50"
    assert first["kind_label"] == "志愿服务" and first["department_name"] == "食品安全监管科"
    assert first["evidence_id"] == volunteer.evidence_id and first["unit_id"] == demo["unit"].pk

    def ids(**query: Any) -> list[int]:
        return [a["id"] for a in client.get(URL, query).json()["items"]]

    assert ids(kind="reading") == [reading.pk]
    assert ids(department=demo["food"].pk) == [volunteer.pk]
    assert ids(year=2026, kind="volunteer") == [volunteer.pk]
    assert ids(year=2025) == []
    refused = client.get(URL, {"kind": "party"})
    assert refused.status_code == 422 and "活动类型只能是" in refused.json()["errors"]["kind"][0]
    # Another city sees none of it and is told nothing of the campaign.
    assert bearer(outsider_admin).get(URL).json()["count"] == 0
    assert bearer(outsider_admin).get(URL, {"campaign": campaign.pk}).status_code == 404


def test_detail(record, standard, dept_head, leader, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    activity = record(kind="moral_lecture", moral_steps=STEPS)
    response = bearer(leader).get(f"{URL}/{activity.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "3月学雷锋志愿服务" and body["place"] == "城东农贸市场"
    assert body["standards"] == [{"id": standard.pk, "code": standard.code}]
    assert body["task_id"] is None and body["moral_steps"] == STEPS
    assert body["summary"] == "志愿者在农贸市场开展食品安全宣传。"
    assert body["attendances"][0] == {
        "person_id": dept_head.pk,
        "name": "张明",
        "hours": "2.50",
        "note": "",
    }
    assert bearer(outsider_admin).get(f"{URL}/{activity.pk}").status_code == 404


def test_remove(record, staff, other_dept_head, observer) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    url = f"{URL}/{activity.pk}/remove"
    for refused in (other_dept_head, observer):
        response = bearer(refused).post(url)
        assert response.status_code == 403 and response.json()["detail"] == RECORDERS_ONLY
    response = bearer(staff).post(url, {"reason": "重复登记"})
    assert response.status_code == 204
    activity.refresh_from_db()
    assert activity.removed_at is not None and activity.removed_by == staff
    item = activity.evidence
    assert item is not None and item.removed_at is not None
    assert item.events.filter(kind="removed", comment="重复登记").exists()
    client = bearer(staff)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{activity.pk}").status_code == 404
    assert client.post(url).status_code == 404


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_festivals_of_the_year(record, campaign, observer, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    held = record(
        kind="festival",
        festival="mid_autumn",
        title="“我们的节日·中秋”诗词朗诵会",
        starts_at=timezone.make_aware(datetime.datetime(2026, 9, 24, 15, 0)),
        ends_at=None,
    )
    # Held a month late: outside 中秋's window, so it does not count for it.
    record(
        kind="festival",
        festival="mid_autumn",
        title="补办的中秋活动",
        starts_at=timezone.make_aware(datetime.datetime(2026, 10, 26, 15, 0)),
        ends_at=None,
    )
    response = bearer(observer).get(f"{URL}/festivals", {"campaign": campaign.pk, "year": 2026})
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.json()}
    autumn = rows["mid_autumn"]
    assert autumn["name"] == "中秋" and autumn["day"] == "2026-09-25"
    assert (autumn["window_start"], autumn["window_end"]) == ("2026-09-18", "2026-10-02")
    assert (autumn["state"], autumn["state_label"]) == ("held", "已开展")
    assert autumn["activity_ids"] == [held.pk]
    assert rows["national"]["state"] == "missed" and rows["national"]["activity_ids"] == []
    assert rows["volunteer"]["state"] == "upcoming"
    assert len(rows) == 14
    default_year = bearer(observer).get(f"{URL}/festivals", {"campaign": campaign.pk}).json()
    assert [r["day"] for r in default_year] == [r["day"] for r in response.json()]
    assert (
        bearer(outsider_admin).get(f"{URL}/festivals", {"campaign": campaign.pk}).status_code == 404
    )


def test_a_persons_record(record, demo, dept_head, staff, observer, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    from wenming.activities.services import Participant

    first = record()
    second = record(
        title="4月敬老志愿服务",
        starts_at=timezone.make_aware(datetime.datetime(2026, 4, 18, 9, 0)),
        ends_at=None,
        participants=[Participant(person=dept_head, hours="3", note="带队")],
    )
    url = f"{URL}/people/{dept_head.pk}"
    response = bearer(observer).get(url, {"unit": demo["unit"].pk})
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["unit_name"]) == ("张明", "临州市市场监督管理局")
    assert body["total_hours"] == "5.50" and body["activity_count"] == 2
    assert body["years"] == [{"year": 2026, "hours": "5.50", "activities": 2}]
    assert [a["activity_id"] for a in body["attendances"]] == [second.pk, first.pk]
    assert body["attendances"][0]["note"] == "带队" and body["attendances"][0]["hours"] == "3.00"
    # A person of the unit without activities has an empty record.
    empty = bearer(observer).get(f"{URL}/people/{observer.pk}", {"unit": demo["unit"].pk}).json()
    assert empty["total_hours"] == "0.00" and empty["years"] == []
    # Not of the unit, not a unit, not visible: told nothing.
    client = bearer(observer)
    assert (
        client.get(f"{URL}/people/{outsider_admin.pk}", {"unit": demo["unit"].pk}).status_code
        == 404
    )
    assert client.get(f"{URL}/people/999999", {"unit": demo["unit"].pk}).status_code == 404
    assert client.get(url, {"unit": demo["food"].pk}).status_code == 404
    assert bearer(outsider_admin).get(url, {"unit": demo["unit"].pk}).status_code == 404

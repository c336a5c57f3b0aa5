"""The 先进典型 API (/api/v1/nominations): listing with filters, nominating (422 with the
Chinese sentence under the field sent, nothing kept), the detail with events, objections and
the caller's steps, PATCH before and after 公示, every step as its own route, the award and
the referral as multipart, the ratings; 403 and 404 as the screens."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine

from tests.activities.conftest import photo
from tests.activities.nomination_helpers import NOW, advance, make_rating, nominate, standard
from wenming.activities.models.nominations import Category, Nomination, Rating, Status
from wenming.ledger.models import EvidenceFile
from wenming.orgs.access import OFFICE_READS_ONLY

API = "/api/v1/nominations"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _body(campaign: Any, **more: Any) -> dict[str, Any]:
    data = {
        "campaign": campaign.pk,
        "year": 2026,
        "category": "helpful",
        "name": "社区志愿者王大妈",
        "story": "照顾孤寡老人六年。",
        "standards": [standard(campaign, "C3-1").pk],
    }
    data.update(more)
    return data


def test_a_department_person_nominates_for_their_department(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, staff, coordinator
) -> None:
    response = _post(as_user(staff), API, _body(campaign))
    assert response.status_code == 201
    body = response.json()
    assert (body["department_id"], body["status"], body["status_label"]) == (
        demo["food"].pk,
        "nominated",
        "已提名",
    )
    assert [e["action"] for e in body["events"]] == ["提名"]
    assert body["actions"] == ["edit", "withdraw"]
    assert [s["code"] for s in body["standards"]] == ["C3-1"]
    response = _post(as_user(staff), API, _body(campaign, department=demo["registry"].pk))
    assert (
        response.status_code == 403
        and response.json()["detail"] == "部门人员只能以本部门名义推荐。"
    )
    response = _post(as_user(coordinator), API, _body(campaign, name="李大爷"))
    assert response.status_code == 422 and response.json()["errors"]["department"] == [
        "请选择推荐部门。"
    ]
    assert Nomination.objects.count() == 1


def test_a_refused_nomination_names_the_field_sent(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, outsider_admin
) -> None:
    from django.contrib.auth.models import User

    outsider = User.objects.get(username="yl_admin")
    response = _post(
        as_user(coordinator),
        API,
        _body(campaign, department=demo["food"].pk, person_id=outsider.pk, name=""),
    )
    assert response.status_code == 422
    assert response.json()["errors"]["person_id"] == ["黄磊不是本单位人员，不能作为推荐人选。"]
    response = _post(
        as_user(coordinator), API, _body(campaign, department=demo["food"].pk, standards=[999999])
    )
    assert response.status_code == 422 and "standards" in response.json()["errors"]
    assert not Nomination.objects.exists()
    assert _post(as_user(outsider_admin), API, _body(campaign)).status_code == 404


def test_the_list_filters_and_the_detail_tells_the_way(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff, leader, outsider_admin
) -> None:
    make_rating(campaign, coordinator)
    worker = nominate(
        campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=staff
    )
    advance(worker, coordinator, "publicizing")
    nominate(campaign, coordinator, demo["registry"])
    client = as_user(leader)
    everything = client.get(f"{API}?campaign={campaign.pk}").json()
    assert everything["count"] == 2
    found = client.get(f"{API}?campaign={campaign.pk}&status=publicizing").json()["items"]
    assert [n["name"] for n in found] == ["陈晓燕"]
    found = client.get(f"{API}?department={demo['registry'].pk}").json()["items"]
    assert [n["name"] for n in found] == ["王大妈"]
    assert client.get(f"{API}?category=civil_worker").json()["count"] == 1
    bad = client.get(f"{API}?status=done")
    assert bad.status_code == 422 and "状态只能是" in bad.json()["detail"]
    detail = client.get(f"{API}/{worker.pk}").json()
    assert [e["action"] for e in detail["events"]] == ["提名", "部门推荐", "审核通过", "开始公示"]
    assert detail["publicity_ends_on"] is not None and detail["actions"] == []
    assert as_user(outsider_admin).get(f"{API}/{worker.pk}").status_code == 404
    assert as_user(outsider_admin).get(API).json()["count"] == 0


def test_patch_before_publicity_and_refused_after(campaign, demo, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    n = nominate(campaign, coordinator, demo["food"])
    client = as_user(coordinator)
    response = client.patch(
        f"{API}/{n.pk}", json.dumps({"story": "补充了事迹。"}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["story"] == "补充了事迹。"
    assert response.json()["name"] == "王大妈"
    advance(n, coordinator, "publicizing")
    response = client.patch(
        f"{API}/{n.pk}", json.dumps({"name": "王大娘"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert "公示已开始，推荐材料不能再修改" in response.json()["detail"]
    n.refresh_from_db()
    assert (n.name, n.story) == ("王大妈", "补充了事迹。")


def test_every_step_through_the_api(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff, office_admin, _today
) -> None:
    n = nominate(campaign, staff, demo["food"])
    head, office = as_user(dept_head), as_user(coordinator)
    assert _post(as_user(staff), f"{API}/{n.pk}/recommend").status_code == 403
    assert (
        _post(head, f"{API}/{n.pk}/recommend", {"note": "同意"}).json()["status"] == "recommended"
    )
    refused = _post(as_user(office_admin), f"{API}/{n.pk}/review")
    assert refused.status_code == 403 and refused.json()["detail"] == OFFICE_READS_ONLY
    assert _post(office, f"{API}/{n.pk}/return", {"reason": ""}).status_code == 422
    assert _post(office, f"{API}/{n.pk}/return", {"reason": "补充"}).json()["status"] == "nominated"
    _post(head, f"{API}/{n.pk}/recommend")
    assert _post(office, f"{API}/{n.pk}/review").json()["status"] == "reviewed"
    body = _post(office, f"{API}/{n.pk}/publicize", {"starts_on": "2026-06-15", "days": 3}).json()
    assert (body["status"], body["publicity_days"]) == ("publicizing", 3)
    assert body["publicity_ends_on"] == "2026-06-17"
    response = _post(
        office, f"{API}/{n.pk}/objections", {"received_on": "2026-06-15", "content": "反映一事。"}
    )
    assert response.status_code == 201
    objection = response.json()["objections"][0]
    assert objection["upheld"] is None and objection["raised_by"] == ""
    _today.move_to(datetime.datetime(2026, 6, 18, 10))
    office = as_user(coordinator)
    award = office.post(f"{API}/{n.pk}/award", {"awarded_on": "2026-06-18"})
    assert award.status_code == 422 and "未核实答复" in award.json()["detail"]
    response = _post(
        office,
        f"{API}/{n.pk}/objections/{objection['id']}/answer",
        {"answer": "经核实不属实。", "upheld": False},
    )
    assert response.status_code == 200 and response.json()["objections"][0]["upheld"] is False
    award = office.post(
        f"{API}/{n.pk}/award", {"awarded_on": "2026-06-18", "files": [photo("证书.jpg")]}
    )
    assert award.status_code == 200
    body = award.json()
    assert (body["status"], body["award_title"]) == ("awarded", "2026年度“身边好人”（助人为乐）")
    files = EvidenceFile.objects.filter(item_id=body["evidence_id"])
    assert sorted(f.original_name for f in files) == ["王大妈推荐审批表.pdf", "证书.jpg"]
    refer = office.post(f"{API}/{n.pk}/refer", {"referred_to": "临州好人榜"})
    assert refer.status_code == 200 and refer.json()["status"] == "referred"
    assert refer.json()["referred_on"] == "2026-06-18"


def test_withdraw_and_decline_through_the_api(campaign, demo, as_user, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    mine = nominate(campaign, staff, demo["food"])
    assert _post(as_user(staff), f"{API}/{mine.pk}/withdraw").json()["status"] == "withdrawn"
    other = nominate(campaign, coordinator, demo["food"], name="李大爷")
    assert _post(as_user(staff), f"{API}/{other.pk}/withdraw").status_code == 403
    response = _post(as_user(coordinator), f"{API}/{other.pk}/decline", {"reason": "暂缓"})
    assert response.json()["status"] == Status.DECLINED


def test_ratings_through_the_api(campaign, as_user, coordinator, leader) -> None:  # type: ignore[no-untyped-def]
    data = {"campaign": campaign.pk, "year": 2026, "category": "civil_worker", "quota": 3}
    response = _post(as_user(coordinator), f"{API}/ratings", data)
    assert response.status_code == 422 and response.json()["errors"]["criteria"] == [
        "请填写评选条件。"
    ]
    data["criteria"] = "爱岗敬业。"
    response = _post(as_user(coordinator), f"{API}/ratings", data)
    assert response.status_code == 201
    assert (response.json()["quota"], response.json()["in_quota"]) == (3, 0)
    assert _post(as_user(leader), f"{API}/ratings", data).status_code == 403
    listed = as_user(leader).get(f"{API}/ratings?campaign={campaign.pk}").json()
    assert [r["category_label"] for r in listed] == ["文明职工"]
    assert Rating.objects.count() == 1

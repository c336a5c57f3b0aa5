"""The organization API: units, departments, people and groups, by the rules of the screens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from wenming.orgs.models import (
    ApiToken,
    LeadingGroupMember,
    Membership,
    Organization,
    OrgKind,
    Role,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/orgs"


def bearer(user: User) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, data: dict[str, Any], method: str = "post") -> Any:
    return client.generic(method.upper(), url, json.dumps(data), content_type="application/json")


def test_office_admin_creates_a_unit_and_a_department(office_admin, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(office_admin)
    response = post(
        client,
        f"{API}/{demo['office'].pk}/children",
        {"kind": "unit", "name": "临州市统计局", "code": "LZ-TJJ", "level": "city"},
    )
    assert response.status_code == 201, response.content
    unit = Organization.objects.get(pk=response.json()["id"])
    assert (unit.kind, unit.parent_id, unit.code) == (OrgKind.UNIT, demo["office"].pk, "LZ-TJJ")
    response = post(client, f"{API}/{unit.pk}/children", {"kind": "department", "name": "办公室"})
    assert response.status_code == 201
    assert response.json()["kind_label"] == "部门"


def test_a_coordinator_cannot_create_a_unit_under_an_office(coordinator, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    before = Organization.objects.count()
    # The office above is not the 创建办's to see, let alone change: told nothing.
    response = post(client, f"{API}/{demo['office'].pk}/children", {"kind": "unit", "name": "x"})
    assert response.status_code == 404
    # Under its own unit only departments may be created, said in the screen's words.
    response = post(client, f"{API}/{demo['unit'].pk}/children", {"kind": "unit", "name": "x"})
    assert response.status_code == 422
    assert response.json()["errors"]["kind"] == ["这里不能新建该类型的组织，请重新选择类型。"]
    assert Organization.objects.count() == before


def test_department_rules_and_lengths(coordinator, dept_head, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    url = f"{API}/{demo['unit'].pk}/children"
    response = post(client, url, {"kind": "department", "name": demo["food"].name})
    assert response.status_code == 422
    assert "已有名为“食品安全监管科”的组织" in response.json()["errors"]["name"][0]
    response = post(client, url, {"kind": "department", "name": "科" * 101})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["不能超过100个字"]}
    response = post(client, url, {"kind": "department", "name": "新科室", "sort_order": -1})
    assert response.status_code == 422 and response.json()["errors"]["sort_order"]
    # A department head reads the unit but does not change it.
    response = post(bearer(dept_head), url, {"kind": "department", "name": "新科室"})
    assert response.status_code == 403
    assert not Organization.objects.filter(name="新科室").exists()


def test_form_bodies_are_accepted(coordinator, demo) -> None:  # type: ignore[no-untyped-def]
    response = bearer(coordinator).post(
        f"{API}/{demo['unit'].pk}/children", {"kind": "department", "name": "综合科"}
    )
    assert response.status_code == 201, response.content


def test_people_new_and_existing(coordinator, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    url = f"{API}/{demo['food'].pk}/people"
    response = post(client, url, {"username": "wangxin", "full_name": "王新", "role": "staff"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["membership"]["role_label"] == "经办人" and body["membership"]["name"] == "王新"
    password = body["password"]
    assert password and User.objects.get(username="wangxin").check_password(password)
    # A password the creator chose is not echoed back.
    response = post(
        client,
        url,
        {"username": "lisi", "full_name": "李四", "role": "staff", "password": "Wenming-2026"},
    )
    assert response.status_code == 201 and response.json()["password"] is None
    # An existing account joins the registry department as its head.
    registry = f"{API}/{demo['registry'].pk}/people"
    response = post(
        client, registry, {"mode": "existing", "username": "wangxin", "role": "dept_head"}
    )
    assert response.status_code == 201
    assert Membership.objects.filter(user__username="wangxin", is_active=True).count() == 2


def test_people_refusals(coordinator, dept_head, outsider_admin, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    url = f"{API}/{demo['food'].pk}/people"
    before = (User.objects.count(), Membership.objects.count())
    response = post(client, url, {"username": "JINGBAN", "full_name": "重名", "role": "staff"})
    assert response.status_code == 422
    assert "已被使用" in response.json()["errors"]["username"][0]
    response = post(client, url, {"username": "newbie", "role": "staff"})
    assert response.json()["errors"] == {"full_name": ["新建账号请填写姓名。"]}
    response = post(client, url, {"username": "newbie", "full_name": "新人", "role": "coordinator"})
    assert response.status_code == 422
    assert response.json()["errors"]["role"] == ["部门中不能设置该角色，请从列表中选择。"]
    response = post(
        client, url, {"username": "newbie", "full_name": "新人", "role": "staff", "phone": "电话"}
    )
    assert response.status_code == 422 and "联系电话" in response.json()["errors"]["phone"][0]
    response = post(client, url, {"mode": "existing", "username": "nobody", "role": "staff"})
    assert response.status_code == 422 and "没有找到用户名为“nobody”" in response.json()["detail"]
    # A department head does not manage people, even in the department they head.
    response = post(bearer(dept_head), url, {"username": "x1", "full_name": "甲", "role": "staff"})
    assert response.status_code == 403
    response = post(
        bearer(outsider_admin), url, {"username": "x2", "full_name": "乙", "role": "staff"}
    )
    assert response.status_code == 404
    assert (User.objects.count(), Membership.objects.count()) == before


def test_membership_change_and_end(coordinator, staff, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    membership = Membership.objects.get(user=staff)
    url = f"{API}/memberships/{membership.pk}"
    response = post(client, url, {"title": "副科长"}, method="patch")
    assert response.status_code == 200 and response.json()["title"] == "副科长"
    assert Membership.objects.get(pk=membership.pk).role == Role.STAFF
    response = client.post(f"{url}/end")
    assert response.status_code == 200
    assert not Membership.objects.get(pk=membership.pk).is_active
    response = client.post(f"{url}/end")
    assert response.status_code == 422 and response.json()["detail"] == "该任职已经结束。"
    # The 创建办 cannot end its own only managing role.
    own = Membership.objects.get(user=coordinator)
    response = client.post(f"{API}/memberships/{own.pk}/end")
    assert response.status_code == 422 and "唯一的管理角色" in response.json()["detail"]


def test_org_edit_status_and_office_host(coordinator, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    food = demo["food"]
    response = post(client, f"{API}/{food.pk}", {"short_name": "食品科"}, method="patch")
    assert response.status_code == 200 and response.json()["short_name"] == "食品科"
    assert response.json()["name"] == food.name
    # Still has people: refused with the screen's sentence.
    response = client.post(f"{API}/{food.pk}/deactivate")
    assert response.status_code == 422 and "还有在职人员" in response.json()["detail"]
    # The root of the 创建办's own scope is not its to switch off.
    assert client.post(f"{API}/{demo['unit'].pk}/deactivate").status_code == 403
    response = post(client, f"{API}/{demo['unit'].pk}/office-host", {"department_id": food.pk})
    assert response.status_code == 200 and response.json()["campaign_office_host_id"] == food.pk
    response = post(client, f"{API}/{food.pk}/office-host", {"department_id": food.pk})
    assert response.status_code == 404


def test_leading_group_and_working_groups(coordinator, staff, outsider_admin, demo) -> None:  # type: ignore[no-untyped-def]
    client = bearer(coordinator)
    unit = demo["unit"]
    url = f"{API}/{unit.pk}/leading-group"
    response = post(client, url, {"user_id": staff.pk, "duty": "材料组织"})
    assert response.status_code == 201 and response.json()["position_label"] == "成员"
    response = post(client, url, {"user_id": staff.pk})
    assert response.status_code == 422 and "已经在领导小组中" in response.json()["detail"]
    response = post(client, url, {"user_id": outsider_admin.pk})
    assert response.status_code == 422
    assert response.json()["errors"]["user_id"] == ["请从列表中选择本单位的人员。"]
    member = LeadingGroupMember.objects.get(unit=unit, user=staff, is_active=True)
    assert client.post(f"{API}/leading-group/{member.pk}/remove").status_code == 200

    response = post(
        client, f"{API}/{unit.pk}/working-groups", {"name": "宣传组", "member_ids": [staff.pk]}
    )
    assert response.status_code == 201 and response.json()["member_ids"] == [staff.pk]
    group = WorkingGroup.objects.get(pk=response.json()["id"])
    response = post(client, f"{API}/working-groups/{group.pk}", {"leader_id": staff.pk}, "patch")
    assert response.status_code == 200 and response.json()["leader_id"] == staff.pk
    assert response.json()["name"] == "宣传组"
    response = post(client, f"{API}/{unit.pk}/working-groups", {"name": "宣传组"})
    assert response.status_code == 422 and "已有名为“宣传组”的工作组" in response.json()["detail"]
    response = client.post(f"{API}/working-groups/{group.pk}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    detail = client.get(f"{API}/{unit.pk}").json()
    assert "宣传组" not in [g["name"] for g in detail["working_groups"]]
    assert [m["name"] for m in detail["leading_group"]][0] == "王国强"
    # Departments have no leading group.
    response = post(client, f"{API}/{demo['food'].pk}/leading-group", {"user_id": staff.pk})
    assert response.status_code == 404


def test_nothing_is_created_under_an_inactive_organization(db, demo, coordinator):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User
    from django.test import Client

    from wenming.orgs.models import ApiToken, Organization

    food = demo["food"]
    Organization.objects.filter(pk=food.pk).update(is_active=False)
    _, raw = ApiToken.issue(coordinator)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    person = client.post(
        f"/api/v1/orgs/{food.pk}/people",
        {"mode": "new", "username": "newbie", "full_name": "新人", "role": "staff"},
        content_type="application/json",
    )
    assert person.status_code == 422 and "已停用，不能添加人员" in person.json()["detail"]
    assert not User.objects.filter(username="newbie").exists()

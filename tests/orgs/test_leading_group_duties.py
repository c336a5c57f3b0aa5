"""分管部门 on the leading group: the departments each member is in charge of (duty mapping)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenming.orgs import services
from wenming.orgs.models import LeadingGroupMember, Organization
from wenming.trace.models import Change

pytestmark = pytest.mark.django_db


def _deputy(demo) -> LeadingGroupMember:  # type: ignore[no-untyped-def]
    return LeadingGroupMember.objects.get(unit=demo["unit"], user__username="fujuzhang")


def test_the_demo_deputy_is_in_charge_of_departments(demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    names = set(_deputy(demo).departments.values_list("name", flat=True))
    assert names == {"办公室", "机关党委", "食品安全监管科", "登记注册科"}
    html = as_user(coordinator).get(reverse("orgs:detail", args=[demo["unit"].pk])).content.decode()
    assert "分管：" in html and "食品安全监管科" in html


def test_the_coordinator_sets_duties_on_the_screen(demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    member = _deputy(demo)
    client = as_user(coordinator)
    url = reverse("orgs:leading_group_edit", args=[member.pk])
    page = client.get(url).content.decode()
    assert "分管部门" in page and "纳税服务科" not in page  # only the unit's own departments
    response = client.post(
        url, {"duty": "副局长，分管登记和执法", "departments": [demo["registry"].pk]}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.duty == "副局长，分管登记和执法"
    assert list(member.departments.all()) == [demo["registry"]]
    html = client.get(reverse("orgs:detail", args=[demo["unit"].pk])).content.decode()
    assert "分管：登记注册科" in html
    # Traced: who changed the duty mapping, and what it was.
    assert Change.objects.filter(kind="leading", object_id=member.pk, actor=coordinator).exists()


def test_a_department_of_another_unit_is_refused(demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    member = _deputy(demo)
    before = set(member.departments.values_list("pk", flat=True))
    foreign = Organization.objects.get(name="纳税服务科")
    court_office = Organization.objects.get(name="办公室", parent=demo["court"])
    with pytest.raises(ValidationError) as refused:
        services.leading_group_member_update(member=member, departments=[foreign])
    assert "“纳税服务科”不是“临州市市场监督管理局”的在用部门" in refused.value.messages[0]
    # The screen refuses it too (the choice is not offered), and the API names the field.
    response = as_user(coordinator).post(
        reverse("orgs:leading_group_edit", args=[member.pk]), {"departments": [court_office.pk]}
    )
    assert response.status_code == 200
    assert "请从本单位的在用部门中选择分管部门。" in response.content.decode()
    response = as_user(coordinator).patch(
        f"/api/v1/orgs/leading-group/{member.pk}",
        json.dumps({"department_ids": [demo["food"].pk, court_office.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不是“临州市市场监督管理局”的在用部门" in response.json()["errors"]["department_ids"][0]
    assert set(member.departments.values_list("pk", flat=True)) == before  # nothing half-saved
    # An inactive department of the unit is refused as well.
    demo["registry"].is_active = False
    demo["registry"].save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.leading_group_member_update(member=member, departments=[demo["registry"]])


def test_the_api_adds_and_changes_duties(demo, coordinator, staff, dept_head, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    response = client.post(
        f"/api/v1/orgs/{demo['unit'].pk}/leading-group",
        json.dumps({"user_id": staff.pk, "duty": "联络员", "department_ids": [demo["food"].pk]}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department_names"] == ["食品安全监管科"]
    response = client.patch(
        f"/api/v1/orgs/leading-group/{body['id']}",
        json.dumps({"department_ids": []}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["department_ids"] == []
    assert response.json()["duty"] == "联络员"
    # A department head may not change the leading group.
    response = as_user(dept_head).patch(
        f"/api/v1/orgs/leading-group/{body['id']}",
        json.dumps({"duty": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    detail = client.get(f"/api/v1/orgs/{demo['unit'].pk}").json()
    deputy = next(m for m in detail["leading_group"] if m["name"] == "何志远")
    assert "登记注册科" in deputy["department_names"]
    assert User.objects.filter(pk=staff.pk).exists()

"""The unit's 创建工作领导小组: adding members, one 组长 at a time, removing softly."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from wenming.orgs.models import LeadingGroupMember, Membership, Role


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def _add(client, unit, user, position="member", duty=""):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("orgs:leading_group_add", args=[unit.pk]),
        {"user": user.pk, "position": position, "duty": duty},
    )


def test_add_a_department_person_as_member(coordinator, staff, demo, as_user):
    unit = demo["unit"]
    response = _add(as_user(coordinator), unit, staff, duty="材料组联络员")
    assert response.status_code == 302
    assert "已将陈晓燕加入领导小组（成员）。" in _messages(response)
    member = LeadingGroupMember.objects.get(unit=unit, user=staff, is_active=True)
    assert member.duty == "材料组联络员"
    assert (
        member.sort_order
        > LeadingGroupMember.objects.filter(unit=unit)
        .exclude(pk=member.pk)
        .order_by("-sort_order")
        .first()
        .sort_order
    )


def test_form_offers_only_the_units_people(coordinator, demo, as_user):
    html = (
        as_user(coordinator)
        .get(reverse("orgs:leading_group_add", args=[demo["unit"].pk]))
        .content.decode()
    )
    assert "陈晓燕（jingban）" in html
    assert "黄磊" not in html  # another city's admin
    assert "周建华" not in html  # the office admin is not one of the unit's people


def test_only_one_head_at_a_time(coordinator, staff, demo, as_user):
    unit = demo["unit"]
    response = _add(as_user(coordinator), unit, staff, position="head")
    assert response.status_code == 200
    assert "领导小组已有组长（王国强），只能有一位组长。如需更换，请先移除现任组长。" in (
        response.content.decode()
    )
    assert not LeadingGroupMember.objects.filter(user=staff).exists()
    assert (
        LeadingGroupMember.objects.filter(unit=unit, position="head", is_active=True).count() == 1
    )


def test_head_can_be_replaced_after_removing_the_old_one(coordinator, staff, demo, as_user):
    unit = demo["unit"]
    client = as_user(coordinator)
    head = LeadingGroupMember.objects.get(unit=unit, position="head")
    response = client.post(reverse("orgs:leading_group_remove", args=[head.pk]))
    assert "已将王国强移出领导小组。" in _messages(response)
    head.refresh_from_db()
    assert not head.is_active  # kept, not deleted
    assert _add(client, unit, staff, position="head").status_code == 302
    assert LeadingGroupMember.objects.get(unit=unit, position="head", is_active=True).user == staff
    # The removed head may come back as a member.
    assert _add(client, unit, head.user, position="member").status_code == 302


def test_someone_already_in_the_group_is_refused(coordinator, dept_head, demo, as_user):
    response = _add(as_user(coordinator), demo["unit"], dept_head)
    assert "张明已经在领导小组中。" in response.content.decode()
    assert LeadingGroupMember.objects.filter(user=dept_head).count() == 1


def test_outsiders_cannot_be_added(coordinator, office_admin, demo, as_user):
    response = _add(as_user(coordinator), demo["unit"], office_admin)
    assert response.status_code == 200
    assert "请从列表中选择本单位的人员。" in response.content.decode()
    assert not LeadingGroupMember.objects.filter(user=office_admin).exists()


def test_person_whose_role_ended_is_no_longer_offered(coordinator, staff, demo, as_user):
    Membership.objects.filter(user=staff).update(is_active=False)
    response = _add(as_user(coordinator), demo["unit"], staff)
    assert "请从列表中选择本单位的人员。" in response.content.decode()


def test_removing_twice_is_explained(coordinator, demo, as_user):
    member = LeadingGroupMember.objects.filter(unit=demo["unit"]).first()
    client = as_user(coordinator)
    client.post(reverse("orgs:leading_group_remove", args=[member.pk]))
    response = client.post(reverse("orgs:leading_group_remove", args=[member.pk]))
    assert "该成员已经移出领导小组。" in _messages(response)


def test_leading_group_pages_only_for_units(coordinator, demo, as_user):
    url = reverse("orgs:leading_group_add", args=[demo["food"].pk])
    assert as_user(coordinator).get(url).status_code == 404


def test_office_admin_manages_the_units_group(office_admin, demo, as_user):
    newcomer = User.objects.create_user("newlead", first_name="新领导")
    Membership.objects.create(user=newcomer, organization=demo["unit"], role=Role.LEADER)
    response = _add(as_user(office_admin), demo["unit"], newcomer, position="deputy")
    assert response.status_code == 302
    assert LeadingGroupMember.objects.get(user=newcomer).position == "deputy"

"""Who may see and change the unit 临州市市场监督管理局 and its things, screen by screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.orgs import access as org_access
from wenming.orgs.models import LeadingGroupMember, Membership, Organization, WorkingGroup

READERS = ["leader", "dept_head", "staff", "inspector", "observer"]
MANAGERS = ["coordinator", "office_admin"]
ALL = [*MANAGERS, *READERS, "outsider_admin"]


def _persona(request, name):  # type: ignore[no-untyped-def]
    return request.getfixturevalue(name)


def _expected_read(name: str) -> int:
    return 404 if name == "outsider_admin" else 200


def _expected_write(name: str) -> int:
    if name == "outsider_admin":
        return 404
    return 200 if name in MANAGERS else 403


@pytest.mark.parametrize("persona", ALL)
def test_unit_detail_is_seen_by_its_people_and_its_office(request, persona, demo, as_user):
    client = as_user(_persona(request, persona))
    response = client.get(reverse("orgs:detail", args=[demo["unit"].pk]))
    assert response.status_code == _expected_read(persona)
    if response.status_code == 200:
        assert "临州市市场监督管理局" in response.content.decode()


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    "url_name",
    [
        "orgs:edit",
        "orgs:create_child",
        "orgs:add_person",
        "orgs:leading_group_add",
        "orgs:working_group_create",
    ],
)
def test_unit_form_pages_need_management(request, persona, url_name, demo, as_user):
    client = as_user(_persona(request, persona))
    response = client.get(reverse(url_name, args=[demo["unit"].pk]))
    assert response.status_code == _expected_write(persona)


@pytest.mark.parametrize("persona", ALL)
def test_membership_edit_page_needs_management(request, persona, demo, as_user):
    membership = Membership.objects.get(user__username="lingdao", organization=demo["unit"])
    client = as_user(_persona(request, persona))
    response = client.get(reverse("orgs:membership_edit", args=[membership.pk]))
    assert response.status_code == _expected_write(persona)


@pytest.mark.parametrize("persona", ALL)
def test_working_group_edit_page_needs_management(request, persona, demo, as_user):
    group = WorkingGroup.objects.get(unit=demo["unit"], name="综合组")
    client = as_user(_persona(request, persona))
    response = client.get(reverse("orgs:working_group_edit", args=[group.pk]))
    assert response.status_code == _expected_write(persona)


@pytest.mark.parametrize("persona", [*READERS, "outsider_admin"])
def test_post_actions_refused_without_changing_anything(request, persona, demo, as_user):
    unit = demo["unit"]
    client = as_user(_persona(request, persona))
    expected = 404 if persona == "outsider_admin" else 403
    membership = Membership.objects.get(user__username="jingban")
    member = LeadingGroupMember.objects.filter(unit=unit).first()
    group = WorkingGroup.objects.get(unit=unit, name="综合组")
    posts = [
        (reverse("orgs:deactivate", args=[demo["food"].pk]), {}),
        (reverse("orgs:reactivate", args=[demo["food"].pk]), {}),
        (reverse("orgs:set_office_host", args=[unit.pk]), {"department": demo["food"].pk}),
        (reverse("orgs:membership_end", args=[membership.pk]), {}),
        (reverse("orgs:leading_group_remove", args=[member.pk]), {}),
        (reverse("orgs:working_group_deactivate", args=[group.pk]), {}),
        (reverse("orgs:create_child", args=[unit.pk]), {"kind": "department", "name": "新科室"}),
        (reverse("orgs:edit", args=[unit.pk]), {"name": "改名"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    unit.refresh_from_db()
    assert unit.name == "临州市市场监督管理局"
    assert unit.campaign_office_host.name == "机关党委"
    assert Membership.objects.get(pk=membership.pk).is_active
    assert LeadingGroupMember.objects.get(pk=member.pk).is_active
    assert WorkingGroup.objects.get(pk=group.pk).is_active
    assert not Organization.objects.filter(name="新科室").exists()


def test_office_admin_sees_whole_subtree_including_lower_office_and_court(
    office_admin, demo, as_user
):
    client = as_user(office_admin)
    lower = Organization.objects.get(name="临州市江北区文明办")
    for org in [demo["office"], lower, demo["unit"], demo["court"], demo["food"]]:
        assert client.get(reverse("orgs:detail", args=[org.pk])).status_code == 200
        assert client.get(reverse("orgs:edit", args=[org.pk])).status_code == 200
    province = Organization.objects.get(name="示例省文明办")
    assert client.get(reverse("orgs:detail", args=[province.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[demo["other_unit"].pk])).status_code == 404


def test_outsider_admin_gets_404_on_every_one_of_our_orgs(outsider_admin, demo, as_user):
    client = as_user(outsider_admin)
    for key in ["office", "unit", "court", "food"]:
        assert client.get(reverse("orgs:detail", args=[demo[key].pk])).status_code == 404
        assert client.get(reverse("orgs:edit", args=[demo[key].pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[demo["other_unit"].pk])).status_code == 200


def test_coordinator_manages_own_unit_and_its_departments_but_not_the_court(
    coordinator, demo, as_user
):
    client = as_user(coordinator)
    assert client.get(reverse("orgs:edit", args=[demo["food"].pk])).status_code == 200
    assert client.get(reverse("orgs:detail", args=[demo["court"].pk])).status_code == 404
    court_dept = Organization.objects.get(parent=demo["court"], name="立案庭")
    assert client.get(reverse("orgs:detail", args=[court_dept.pk])).status_code == 404
    # The office above is not theirs to see.
    assert client.get(reverse("orgs:detail", args=[demo["office"].pk])).status_code == 404


@pytest.mark.parametrize("persona", ["dept_head", "staff"])
def test_department_people_read_their_unit_and_other_departments(request, persona, demo, as_user):
    client = as_user(_persona(request, persona))
    assert client.get(reverse("orgs:detail", args=[demo["registry"].pk])).status_code == 200
    assert client.get(reverse("orgs:edit", args=[demo["food"].pk])).status_code == 403
    assert client.get(reverse("orgs:add_person", args=[demo["food"].pk])).status_code == 403
    assert client.get(reverse("orgs:detail", args=[demo["court"].pk])).status_code == 404


def test_nobody_switches_off_the_root_of_their_own_scope(coordinator, office_admin, demo, as_user):
    unit, office = demo["unit"], demo["office"]
    assert as_user(coordinator).post(reverse("orgs:deactivate", args=[unit.pk])).status_code == 403
    assert (
        as_user(office_admin).post(reverse("orgs:deactivate", args=[office.pk])).status_code == 403
    )
    assert not org_access.can_change_org_status(coordinator, unit)
    assert org_access.can_change_org_status(coordinator, demo["food"])
    assert org_access.can_change_org_status(office_admin, unit)
    assert not org_access.can_change_org_status(office_admin, office)
    unit.refresh_from_db()
    office.refresh_from_db()
    assert unit.is_active and office.is_active


def test_object_helpers_use_the_owning_unit(coordinator, outsider_admin, leader, demo):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    member = LeadingGroupMember.objects.filter(unit=demo["unit"]).first()
    group = WorkingGroup.objects.filter(unit=demo["unit"]).first()
    assert (
        org_access.get_leading_group_member_for_user(coordinator, member.pk, write=True) == member
    )
    assert org_access.get_working_group_for_user(coordinator, group.pk, write=True) == group
    assert org_access.get_working_group_for_user(leader, group.pk) == group
    with pytest.raises(PermissionDenied):
        org_access.get_working_group_for_user(leader, group.pk, write=True)
    with pytest.raises(PermissionDenied):
        org_access.get_leading_group_member_for_user(leader, member.pk, write=True)
    with pytest.raises(Http404):
        org_access.get_working_group_for_user(outsider_admin, group.pk)
    with pytest.raises(Http404):
        org_access.get_leading_group_member_for_user(outsider_admin, member.pk)
    with pytest.raises(Http404):
        org_access.get_working_group_for_user(coordinator, 999999)


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    response = client.post(reverse("orgs:deactivate", args=[demo["food"].pk]))
    assert response.status_code == 302
    assert Organization.objects.get(pk=demo["food"].pk).is_active

"""The organization page: place, children, people, 创建办, leading group, working groups."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from wenming.orgs.models import Membership, Organization, OrgKind, Role, WorkingGroup

# session, user, memberships (+ departments' units), the org, its ancestors, children,
# children's people counts, memberships, leading group (+ 分管部门), working groups (+ members),
# the 创建办 choices for managers.
DETAIL_MAX_QUERIES = 13


def _detail(client, org):  # type: ignore[no-untyped-def]
    response = client.get(reverse("orgs:detail", args=[org.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_unit_page_shows_host_leading_group_and_working_groups(coordinator, demo, as_user):
    html = _detail(as_user(coordinator), demo["unit"])
    assert "创建办" in html and "机关党委" in html
    assert "创建工作领导小组" in html
    for text in ["组长", "王国强", "局长，全面负责", "副组长", "何志远"]:
        assert text in html
    for text in ["综合组", "统筹协调、督查通报、会议组织", "材料组", "行政组", "陈晓燕"]:
        assert text in html
    # People of the unit itself, with role and title.
    assert "李文静" in html and "创建办主任" in html and "单位领导" in html
    # Departments as children with people counts.
    assert "食品安全监管科" in html and "2人" in html


def test_ancestors_the_user_cannot_see_are_names_without_links(coordinator, demo, as_user):
    html = _detail(as_user(coordinator), demo["food"])
    office_url = reverse("orgs:detail", args=[demo["office"].pk])
    unit_url = reverse("orgs:detail", args=[demo["unit"].pk])
    assert "临州市文明办" in html
    assert f'href="{office_url}"' not in html
    assert f'href="{unit_url}"' in html


def test_office_admin_gets_ancestor_links_below_their_office(office_admin, demo, as_user):
    html = _detail(as_user(office_admin), demo["food"])
    assert f'href="{reverse("orgs:detail", args=[demo["office"].pk])}"' in html
    province = Organization.objects.get(name="示例省文明办")
    assert "示例省文明办" in html
    assert f'href="{reverse("orgs:detail", args=[province.pk])}"' not in html


def test_action_buttons_only_for_managers(coordinator, leader, demo, as_user):
    unit = demo["unit"]
    manager_html = _detail(as_user(coordinator), unit)
    reader_html = _detail(as_user(leader), unit)
    for url in [
        reverse("orgs:edit", args=[unit.pk]),
        reverse("orgs:add_person", args=[unit.pk]),
        reverse("orgs:leading_group_add", args=[unit.pk]),
        reverse("orgs:working_group_create", args=[unit.pk]),
        reverse("orgs:set_office_host", args=[unit.pk]),
        reverse("orgs:create_child", args=[unit.pk]) + "?kind=department",
    ]:
        assert url in manager_html
        assert url not in reader_html
    # The coordinator may not switch off their own unit, so no button for it.
    assert reverse("orgs:deactivate", args=[unit.pk]) not in manager_html
    assert "结束任职" in manager_html and "结束任职" not in reader_html


def test_office_admin_sees_deactivate_on_a_unit(office_admin, demo, as_user):
    html = _detail(as_user(office_admin), demo["unit"])
    assert reverse("orgs:deactivate", args=[demo["unit"].pk]) in html
    office_html = _detail(as_user(office_admin), demo["office"])
    assert reverse("orgs:deactivate", args=[demo["office"].pk]) not in office_html
    # An office offers both lower offices and units.
    assert "新建下级文明办" in office_html and "新建单位" in office_html


def test_ended_memberships_and_inactive_children_are_kept_and_marked(coordinator, demo, as_user):
    membership = Membership.objects.get(user__username="keshi2")
    membership.is_active = False
    membership.save()
    Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=demo["unit"], name="旧科室", is_active=False
    )
    html = _detail(as_user(coordinator), demo["registry"])
    assert "已结束的任职（1）" in html and "孙伟" in html
    html = _detail(as_user(coordinator), demo["unit"])
    assert "已停用的下级组织（1）" in html and "旧科室" in html


def test_department_page_for_its_staff_is_read_only(staff, demo, as_user):
    html = _detail(as_user(staff), demo["food"])
    assert "张明" in html and "陈晓燕" in html and "经办人" in html
    assert "添加人员" not in html
    assert "创建工作领导小组" not in html


def _grow(unit: Organization, count: int) -> None:
    """30 more departments, people in the unit, leading-group members and working groups."""
    from wenming.orgs.models import LeadingGroupMember

    for i in range(count):
        Organization.objects.create(
            kind=OrgKind.DEPARTMENT, parent=unit, name=f"新增科室{i}", sort_order=100 + i
        )
        user = User.objects.create_user(f"extra{i}", first_name=f"人员{i}")
        Membership.objects.create(user=user, organization=unit, role=Role.OBSERVER)
        LeadingGroupMember.objects.create(unit=unit, user=user, position="member")
        group = WorkingGroup.objects.create(unit=unit, name=f"专项组{i}", leader=user)
        group.members.add(user)


@pytest.mark.parametrize("persona", ["office_admin", "coordinator", "staff"])
def test_detail_queries_do_not_grow_with_the_unit(
    request, persona, demo, as_user, django_assert_max_num_queries
):
    client = as_user(request.getfixturevalue(persona))
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        _detail(client, demo["unit"])
    _grow(demo["unit"], 30)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        html = _detail(client, demo["unit"])
    assert "新增科室29" in html and "专项组29" in html and "人员29" in html

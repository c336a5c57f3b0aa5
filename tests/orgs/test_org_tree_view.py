"""The organization tree page: what each person sees, inactive organizations, query bounds."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from wenming.orgs.models import Membership, Organization, OrgKind, Role

# Queries for one tree page whatever the size of the tree: session, user, the user's
# memberships (and their departments' units), the visible organizations, the people
# counts, the names above the roots, plus the page chrome.
TREE_MAX_QUERIES = 7


def _tree(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(reverse("orgs:tree"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_office_admin_sees_lower_office_units_and_departments(office_admin, demo, as_user):
    html = _tree(as_user(office_admin))
    for name in [
        "临州市文明办",
        "临州市江北区文明办",
        "临州市市场监督管理局",
        "临州市中级人民法院",
        "食品安全监管科",
        "立案庭",
    ]:
        assert name in html
    assert "云岭市" not in html
    # The province above is named for context, not linked.
    province = Organization.objects.get(name="示例省文明办")
    assert "示例省文明办" in html
    assert reverse("orgs:detail", args=[province.pk]) not in html
    assert reverse("orgs:detail", args=[demo["court"].pk]) in html


def test_coordinator_sees_own_unit_only(coordinator, demo, as_user):
    html = _tree(as_user(coordinator))
    assert "临州市市场监督管理局" in html
    assert "综合执法支队" in html
    assert "临州市中级人民法院" not in html
    assert "立案庭" not in html
    assert "临州市江北区文明办" not in html


@pytest.mark.parametrize("persona", ["dept_head", "staff", "leader", "inspector", "observer"])
def test_unit_people_see_their_unit_with_all_departments(request, persona, demo, as_user):
    html = _tree(as_user(request.getfixturevalue(persona)))
    assert "临州市市场监督管理局" in html
    assert "登记注册科" in html
    assert "临州市中级人民法院" not in html


def test_outsider_sees_only_their_city(outsider_admin, demo, as_user):
    html = _tree(as_user(outsider_admin))
    assert "云岭市税务局" in html
    assert "临州" not in html


def test_people_counts_are_shown(coordinator, demo, as_user):
    html = _tree(as_user(coordinator))
    # 食品安全监管科 has 张明 and 陈晓燕.
    row = html.split("食品安全监管科", 1)[1][:200]
    assert "2人" in row


def test_inactive_orgs_are_hidden_behind_a_toggle(office_admin, demo, as_user):
    dept = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=demo["court"], name="已撤并的庭室", is_active=False
    )
    Organization.objects.create(kind=OrgKind.DEPARTMENT, parent=dept, name="撤并庭下属组")
    client = as_user(office_admin)
    html = _tree(client)
    assert "已撤并的庭室" not in html
    assert "撤并庭下属组" not in html
    assert "显示已停用的组织（1个）" in html
    html = _tree(client, inactive="1")
    assert "已撤并的庭室" in html
    assert "已停用" in html
    assert "wm-inactive" in html
    assert "隐藏已停用的组织" in html


def test_empty_state_says_what_to_do(db, as_user):
    lonely = User.objects.create_user("lonely", password="x-Long-pass-1")
    html = _tree(as_user(lonely))
    assert "您还没有被分配到任何组织" in html
    assert "请联系本单位创建办或文明办管理员" in html


def _grow(unit: Organization, count: int) -> None:
    """Add `count` departments with one person each under the unit."""
    for i in range(count):
        dept = Organization.objects.create(
            kind=OrgKind.DEPARTMENT, parent=unit, name=f"新增科室{i}", sort_order=100 + i
        )
        user = User.objects.create_user(f"extra{i}", first_name=f"人员{i}")
        Membership.objects.create(user=user, organization=dept, role=Role.STAFF)


@pytest.mark.parametrize("persona", ["office_admin", "coordinator", "staff"])
def test_tree_queries_do_not_grow_with_the_tree(
    request, persona, demo, as_user, django_assert_max_num_queries
):
    client = as_user(request.getfixturevalue(persona))
    with django_assert_max_num_queries(TREE_MAX_QUERIES):
        _tree(client)
    _grow(demo["unit"], 30)
    with django_assert_max_num_queries(TREE_MAX_QUERIES):
        html = _tree(client)
    assert "新增科室29" in html

"""Creating, editing, switching off and on organizations, and the 创建办 host department."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from wenming.orgs.models import Organization, OrgKind


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- create ---------------------------------------------------------------------------


def test_coordinator_creates_a_department(coordinator, demo, as_user):
    unit = demo["unit"]
    response = as_user(coordinator).post(
        reverse("orgs:create_child", args=[unit.pk]),
        {
            "kind": "department",
            "name": " 网络交易监管科 ",
            "department_type": "科室",
            "sort_order": "11",
        },
    )
    dept = Organization.objects.get(name="网络交易监管科")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", args=[dept.pk])
    assert dept.parent == unit and dept.kind == OrgKind.DEPARTMENT
    assert dept.department_type == "科室" and dept.sort_order == 11
    assert dept.path == f"{unit.path}{dept.pk}/"
    assert "已新建部门“网络交易监管科”。" in _messages(response)


def test_office_admin_creates_lower_office_and_unit(office_admin, demo, as_user):
    client = as_user(office_admin)
    office = demo["office"]
    client.post(
        reverse("orgs:create_child", args=[office.pk]),
        {"kind": "office", "name": "临州市江南区文明办", "code": "LZ-JN-WMB", "level": "county"},
    )
    client.post(
        reverse("orgs:create_child", args=[office.pk]),
        {"kind": "unit", "name": "临州市教育局", "code": "LZ-JY", "unit_category": "机关"},
    )
    lower = Organization.objects.get(name="临州市江南区文明办")
    assert lower.kind == OrgKind.OFFICE and lower.level == "county" and lower.parent == office
    edu = Organization.objects.get(name="临州市教育局")
    assert edu.kind == OrgKind.UNIT and edu.unit_category == "机关" and edu.code == "LZ-JY"


def test_create_page_offers_only_allowed_kinds(office_admin, coordinator, demo, as_user):
    html = (
        as_user(office_admin)
        .get(reverse("orgs:create_child", args=[demo["office"].pk]))
        .content.decode()
    )
    assert "新建下级文明办" in html and "新建单位" in html and "新建部门" not in html
    # Under a unit only departments: the form opens directly.
    html = (
        as_user(coordinator)
        .get(reverse("orgs:create_child", args=[demo["unit"].pk]))
        .content.decode()
    )
    assert "新建部门" in html and 'name="department_type"' in html
    assert 'name="unit_category"' not in html


def test_create_refuses_a_kind_not_allowed_there(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:create_child", args=[demo["unit"].pk]), {"kind": "unit", "name": "冒名单位"}
    )
    assert response.status_code == 200
    assert "这里不能新建该类型的组织" in response.content.decode()
    assert not Organization.objects.filter(name="冒名单位").exists()


def test_duplicate_name_under_same_parent_is_a_clear_error(coordinator, demo, as_user):
    before = Organization.objects.count()
    response = as_user(coordinator).post(
        reverse("orgs:create_child", args=[demo["unit"].pk]),
        {"kind": "department", "name": "办公室"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "“临州市市场监督管理局”下已有名为“办公室”的组织，请换一个名称。" in html
    assert "is-invalid" in html
    assert Organization.objects.count() == before


def test_same_name_under_another_parent_is_fine(office_admin, demo, as_user):
    # 临州市中级人民法院 also has a 办公室.
    response = as_user(office_admin).post(
        reverse("orgs:create_child", args=[demo["registry"].pk]),
        {"kind": "department", "name": "办公室"},
    )
    assert response.status_code == 302
    assert Organization.objects.filter(name="办公室").count() == 3


def test_duplicate_code_is_a_clear_error(office_admin, demo, as_user):
    response = as_user(office_admin).post(
        reverse("orgs:create_child", args=[demo["office"].pk]),
        {"kind": "unit", "name": "临州市教育局", "code": "LZ-ZY"},
    )
    assert "编码“LZ-ZY”已被“临州市中级人民法院”使用" in response.content.decode()
    assert not Organization.objects.filter(name="临州市教育局").exists()


def test_blank_name_is_refused(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:create_child", args=[demo["unit"].pk]), {"kind": "department", "name": ""}
    )
    assert "请填写组织名称。" in response.content.decode()


def test_no_children_under_an_inactive_org(office_admin, demo, as_user):
    dept = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=demo["unit"], name="旧科室", is_active=False
    )
    response = as_user(office_admin).post(
        reverse("orgs:create_child", args=[dept.pk]), {"kind": "department", "name": "旧科室一组"}
    )
    assert response.status_code == 302
    assert "“旧科室”已停用，不能在其下新建组织。请先启用它。" in _messages(response)
    assert not Organization.objects.filter(name="旧科室一组").exists()


# --- edit -----------------------------------------------------------------------------


def test_edit_changes_the_descriptive_fields(coordinator, demo, as_user):
    unit = demo["unit"]
    response = as_user(coordinator).post(
        reverse("orgs:edit", args=[unit.pk]),
        {
            "name": "临州市市场监督管理局",
            "short_name": "市监局",
            "code": "LZ-SCJG",
            "level": "city",
            "unit_category": "行政机关",
            "sort_order": "3",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.short_name, unit.level, unit.unit_category, unit.sort_order) == (
        "市监局",
        "city",
        "行政机关",
        3,
    )
    assert unit.campaign_office_host is not None  # untouched


def test_edit_page_shows_fields_for_the_kind(coordinator, demo, as_user):
    html = as_user(coordinator).get(reverse("orgs:edit", args=[demo["food"].pk])).content.decode()
    assert 'name="department_type"' in html
    assert 'name="unit_category"' not in html and 'name="level"' not in html
    assert 'value="食品安全监管科"' in html


def test_edit_to_a_sibling_name_is_refused(coordinator, demo, as_user):
    food = demo["food"]
    response = as_user(coordinator).post(
        reverse("orgs:edit", args=[food.pk]), {"name": "登记注册科", "sort_order": "1"}
    )
    assert response.status_code == 200
    assert "已有名为“登记注册科”的组织" in response.content.decode()
    food.refresh_from_db()
    assert food.name == "食品安全监管科"


def test_edit_bad_sort_order_is_explained(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:edit", args=[demo["food"].pk]),
        {"name": "食品安全监管科", "sort_order": "第一"},
    )
    assert "排序请填写整数" in response.content.decode()


# --- deactivate / reactivate ------------------------------------------------------------


def test_deactivate_refused_while_people_remain_naming_them(coordinator, demo, as_user):
    response = as_user(coordinator).post(reverse("orgs:deactivate", args=[demo["food"].pk]))
    assert response.status_code == 302
    (message,) = _messages(response)
    assert (
        "还有在职人员" in message
        and "张明（部门负责人）" in message
        and "陈晓燕（经办人）" in message
    )
    assert Organization.objects.get(pk=demo["food"].pk).is_active


def test_deactivate_refused_while_children_remain_naming_them(office_admin, demo, as_user):
    response = as_user(office_admin).post(reverse("orgs:deactivate", args=[demo["court"].pk]))
    (message,) = _messages(response)
    assert "还有启用中的下级组织" in message and "立案庭" in message
    assert Organization.objects.get(pk=demo["court"].pk).is_active


def test_deactivate_refused_for_the_office_host_department(coordinator, demo, as_user):
    host = demo["unit"].campaign_office_host
    response = as_user(coordinator).post(reverse("orgs:deactivate", args=[host.pk]))
    (message,) = _messages(response)
    assert "创建办所在部门" in message
    assert Organization.objects.get(pk=host.pk).is_active


def test_deactivate_and_reactivate_keep_the_record(coordinator, demo, as_user):
    client = as_user(coordinator)
    dept = Organization.objects.get(name="计量标准科")
    response = client.post(reverse("orgs:deactivate", args=[dept.pk]))
    assert response.status_code == 302
    dept.refresh_from_db()
    assert not dept.is_active
    assert "已停用“计量标准科”。记录仍然保留，需要时可以重新启用。" in _messages(response)
    # Still there and readable.
    assert client.get(reverse("orgs:detail", args=[dept.pk])).status_code == 200
    response = client.post(reverse("orgs:reactivate", args=[dept.pk]))
    dept.refresh_from_db()
    assert dept.is_active
    assert "已重新启用“计量标准科”。" in _messages(response)


def test_reactivate_refused_under_an_inactive_parent(office_admin, demo, as_user):
    parent = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=demo["unit"], name="旧科室", is_active=False
    )
    child = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=parent, name="旧科室一组", is_active=False
    )
    response = as_user(office_admin).post(reverse("orgs:reactivate", args=[child.pk]))
    assert "上级组织“旧科室”已停用，请先启用上级组织" in _messages(response)[0]
    child.refresh_from_db()
    assert not child.is_active


def test_deactivate_is_post_only(coordinator, demo, as_user):
    dept = Organization.objects.get(name="计量标准科")
    assert as_user(coordinator).get(reverse("orgs:deactivate", args=[dept.pk])).status_code == 405
    assert Organization.objects.get(pk=dept.pk).is_active


# --- 创建办 host ---------------------------------------------------------------------------


def test_set_office_host(coordinator, demo, as_user):
    unit = demo["unit"]
    response = as_user(coordinator).post(
        reverse("orgs:set_office_host", args=[unit.pk]), {"department": demo["food"].pk}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.campaign_office_host == demo["food"]
    assert "创建办所在部门已设为“食品安全监管科”。" in _messages(response)


def test_set_office_host_refuses_another_units_department(office_admin, demo, as_user):
    unit = demo["unit"]
    court_dept = Organization.objects.get(parent=demo["court"], name="立案庭")
    response = as_user(office_admin).post(
        reverse("orgs:set_office_host", args=[unit.pk]), {"department": court_dept.pk}
    )
    assert "创建办只能设在“临州市市场监督管理局”自己的部门。" in _messages(response)
    unit.refresh_from_db()
    assert unit.campaign_office_host.name == "机关党委"


def test_set_office_host_refuses_inactive_department(coordinator, demo, as_user):
    unit = demo["unit"]
    old = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=unit, name="旧科室", is_active=False
    )
    response = as_user(coordinator).post(
        reverse("orgs:set_office_host", args=[unit.pk]), {"department": old.pk}
    )
    assert "“旧科室”已停用，不能作为创建办所在部门。" in _messages(response)
    unit.refresh_from_db()
    assert unit.campaign_office_host.name == "机关党委"


def test_set_office_host_on_a_department_is_not_found(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:set_office_host", args=[demo["food"].pk]), {"department": demo["food"].pk}
    )
    assert response.status_code == 404


def test_set_office_host_with_nonsense_is_explained(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:set_office_host", args=[demo["unit"].pk]), {"department": "abc"}
    )
    assert "没有找到所选部门，请重新选择创建办所在部门。" in _messages(response)

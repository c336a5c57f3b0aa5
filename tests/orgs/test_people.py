"""Adding people to an organization, editing and ending their roles."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from wenming.orgs.models import Membership, Role


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def _add(client, org, **data):  # type: ignore[no-untyped-def]
    payload = {"mode": "new", "title": "", "phone": "", "password": "", "full_name": ""}
    payload.update(data)
    return client.post(reverse("orgs:add_person", args=[org.pk]), payload)


def test_new_account_with_generated_password_shown_once(coordinator, demo, as_user):
    client = as_user(coordinator)
    response = _add(
        client,
        demo["food"],
        username="wangwu",
        full_name="王五",
        role=Role.STAFF,
        title="科员",
        phone="0571-88001234",
    )
    assert response.status_code == 302
    (message,) = _messages(response)
    assert "已为王五新建账号“wangwu”，并设为食品安全监管科的经办人。" in message
    assert "此密码只显示这一次" in message
    password = re.search(r"初始密码：(\S+)", message).group(1)
    user = User.objects.get(username="wangwu")
    assert user.first_name == "王五" and user.check_password(password)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.title, membership.phone) == (
        demo["food"],
        Role.STAFF,
        "科员",
        "0571-88001234",
    )
    # The page redirected to shows it; the one after does not repeat it.
    url = reverse("orgs:detail", args=[demo["food"].pk])
    assert password in client.get(url).content.decode()
    assert password not in client.get(url).content.decode()


def test_new_account_with_typed_password(coordinator, demo, as_user):
    response = _add(
        as_user(coordinator),
        demo["unit"],
        username="zhaoliu",
        full_name="赵六",
        password="Lz-2026-secure",
        role=Role.OBSERVER,
    )
    (message,) = _messages(response)
    assert "初始密码" not in message
    assert User.objects.get(username="zhaoliu").check_password("Lz-2026-secure")


def test_weak_password_is_refused_in_chinese(coordinator, demo, as_user):
    response = _add(
        as_user(coordinator),
        demo["unit"],
        username="zhaoliu",
        full_name="赵六",
        password="123",
        role=Role.OBSERVER,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "密码太短，至少需要8个字符。" in html
    assert "密码不能全是数字，请加入字母。" in html
    assert not User.objects.filter(username="zhaoliu").exists()


def test_taken_username_is_refused(coordinator, demo, as_user):
    response = _add(
        as_user(coordinator), demo["unit"], username="JINGBAN", full_name="重名", role=Role.OBSERVER
    )
    assert "用户名“JINGBAN”已被使用。请换一个，或选择“已有账号”把该账号加入本组织。" in (
        response.content.decode()
    )
    assert User.objects.filter(first_name="重名").count() == 0


def test_new_account_needs_a_name(coordinator, demo, as_user):
    response = _add(as_user(coordinator), demo["unit"], username="noname", role=Role.OBSERVER)
    assert "新建账号请填写姓名。" in response.content.decode()
    assert not User.objects.filter(username="noname").exists()


def test_bad_username_and_phone_are_explained(coordinator, demo, as_user):
    response = _add(
        as_user(coordinator),
        demo["food"],
        username="王 五",
        full_name="王五",
        role=Role.STAFF,
        phone="请打办公室",
    )
    html = response.content.decode()
    assert "用户名只能包含字母、数字和 @ . + - _ 这些符号" in html
    assert "联系电话只能包含数字" in html
    assert not User.objects.filter(first_name="王五").exists()


def test_only_roles_allowed_for_the_org_kind(coordinator, demo, as_user):
    client = as_user(coordinator)
    html = client.get(reverse("orgs:add_person", args=[demo["food"].pk])).content.decode()
    assert "部门负责人" in html and "经办人" in html
    assert "文明办管理员" not in html and 'value="coordinator"' not in html
    response = _add(
        client, demo["food"], username="sneaky", full_name="冒充", role=Role.OFFICE_ADMIN
    )
    assert "部门中不能设置该角色，请从列表中选择。" in response.content.decode()
    assert not User.objects.filter(username="sneaky").exists()


def test_existing_account_gets_a_role(coordinator, demo, as_user):
    response = _add(
        as_user(coordinator),
        demo["registry"],
        mode="existing",
        username="jingban",
        role=Role.STAFF,
        title="兼职联络员",
    )
    assert response.status_code == 302
    assert "已将陈晓燕设为登记注册科的经办人。" in _messages(response)
    assert Membership.objects.filter(
        user__username="jingban", organization=demo["registry"], is_active=True
    ).exists()


def test_existing_account_not_found_or_already_there(coordinator, demo, as_user):
    client = as_user(coordinator)
    response = _add(client, demo["food"], mode="existing", username="nobody", role=Role.STAFF)
    assert "没有找到用户名为“nobody”的账号。请核对用户名，或选择“新建账号”。" in (
        response.content.decode()
    )
    response = _add(client, demo["food"], mode="existing", username="jingban", role=Role.STAFF)
    assert "陈晓燕已经是“食品安全监管科”的经办人，无需重复添加。" in response.content.decode()
    assert Membership.objects.filter(user__username="jingban").count() == 1


def test_add_person_refused_on_inactive_org(office_admin, demo, as_user):
    from wenming.orgs.models import Organization, OrgKind

    old = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=demo["unit"], name="旧科室", is_active=False
    )
    response = _add(as_user(office_admin), old, username="late", full_name="迟到", role=Role.STAFF)
    assert response.status_code == 302
    assert not User.objects.filter(username="late").exists()


# --- edit and end -------------------------------------------------------------------------


def test_membership_edit(coordinator, demo, as_user):
    membership = Membership.objects.get(user__username="jingban")
    response = as_user(coordinator).post(
        reverse("orgs:membership_edit", args=[membership.pk]),
        {"role": Role.DEPT_HEAD, "title": "副科长", "phone": "13800000000"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.title, membership.phone) == (
        Role.DEPT_HEAD,
        "副科长",
        "13800000000",
    )


def test_membership_edit_refuses_a_role_not_allowed_here(coordinator, demo, as_user):
    membership = Membership.objects.get(user__username="jingban")
    response = as_user(coordinator).post(
        reverse("orgs:membership_edit", args=[membership.pk]),
        {"role": Role.LEADER, "title": "局长"},
    )
    assert "部门中不能设置该角色" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.STAFF and membership.title == "科员"


def test_membership_edit_refuses_duplicate_role(coordinator, demo, as_user):
    deputy = User.objects.get(username="fujuzhang")
    observer_role = Membership.objects.create(
        user=deputy, organization=demo["unit"], role=Role.OBSERVER
    )
    response = as_user(coordinator).post(
        reverse("orgs:membership_edit", args=[observer_role.pk]), {"role": Role.LEADER}
    )
    assert "何志远在“临州市市场监督管理局”已经是单位领导，请选择其他角色。" in (
        response.content.decode()
    )
    observer_role.refresh_from_db()
    assert observer_role.role == Role.OBSERVER


def test_membership_end_is_soft(coordinator, demo, as_user):
    membership = Membership.objects.get(user__username="jingban")
    response = as_user(coordinator).post(reverse("orgs:membership_end", args=[membership.pk]))
    assert response.status_code == 302
    assert "已结束陈晓燕的经办人任职。记录仍然保留。" in _messages(response)
    membership.refresh_from_db()
    assert not membership.is_active and membership.ended_at is not None
    assert User.objects.get(username="jingban").is_active
    # Ending twice is explained, not an error page.
    response = as_user(coordinator).post(reverse("orgs:membership_end", args=[membership.pk]))
    assert "该任职已经结束。" in _messages(response)


def test_ended_member_loses_access(coordinator, staff, demo, as_user):
    membership = Membership.objects.get(user=staff)
    as_user(coordinator).post(reverse("orgs:membership_end", args=[membership.pk]))
    assert as_user(staff).get(reverse("orgs:detail", args=[demo["unit"].pk])).status_code == 404


def test_refuse_ending_own_last_managing_membership(coordinator, demo, as_user):
    own = Membership.objects.get(user=coordinator)
    client = as_user(coordinator)
    response = client.post(reverse("orgs:membership_end", args=[own.pk]))
    (message,) = _messages(response)
    assert (
        message == "这是您唯一的管理角色（创建办），结束任职后您将无法再管理。请让其他管理员操作。"
    )
    own.refresh_from_db()
    assert own.is_active
    # Nor by demoting oneself.
    response = client.post(reverse("orgs:membership_edit", args=[own.pk]), {"role": Role.LEADER})
    assert "这是您唯一的管理角色" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.COORDINATOR


def test_office_admin_may_end_the_coordinator(office_admin, coordinator, demo, as_user):
    own = Membership.objects.get(user=coordinator)
    as_user(office_admin).post(reverse("orgs:membership_end", args=[own.pk]))
    own.refresh_from_db()
    assert not own.is_active


def test_ended_membership_cannot_be_edited(coordinator, demo, as_user):
    membership = Membership.objects.get(user__username="jingban")
    client = as_user(coordinator)
    client.post(reverse("orgs:membership_end", args=[membership.pk]))
    response = client.get(reverse("orgs:membership_edit", args=[membership.pk]))
    assert response.status_code == 302
    assert "该任职已结束，不能修改。如需恢复，请重新添加该人员。" in _messages(response)

"""The unit's working groups under its 创建办: create, edit, switch off."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from wenming.orgs.models import Membership, WorkingGroup


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def _users(*usernames: str) -> list[User]:
    return [User.objects.get(username=u) for u in usernames]


def test_create_with_leader_and_members(coordinator, demo, as_user):
    unit = demo["unit"]
    leader, a, b = _users("keshi", "jingban", "keshi2")
    response = as_user(coordinator).post(
        reverse("orgs:working_group_create", args=[unit.pk]),
        {
            "name": "宣传组",
            "duties": "公益广告、宣传报道",
            "leader": leader.pk,
            "members": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302
    assert "已新建工作组“宣传组”。" in _messages(response)
    group = WorkingGroup.objects.get(unit=unit, name="宣传组")
    assert group.leader == leader and group.duties == "公益广告、宣传报道"
    assert set(group.members.all()) == {a, b}


def test_duplicate_active_name_is_refused(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:working_group_create", args=[demo["unit"].pk]), {"name": "综合组"}
    )
    assert response.status_code == 200
    assert "本单位已有名为“综合组”的工作组，请换一个名称。" in response.content.decode()
    assert WorkingGroup.objects.filter(unit=demo["unit"], name="综合组").count() == 1


def test_name_is_required(coordinator, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:working_group_create", args=[demo["unit"].pk]), {"name": " "}
    )
    assert "请填写工作组名称。" in response.content.decode()


def test_members_must_be_the_units_people(coordinator, office_admin, outsider_admin, demo, as_user):
    response = as_user(coordinator).post(
        reverse("orgs:working_group_create", args=[demo["unit"].pk]),
        {"name": "宣传组", "members": [outsider_admin.pk], "leader": office_admin.pk},
    )
    html = response.content.decode()
    assert "请从列表中选择本单位的人员作为成员。" in html
    assert "请从列表中选择本单位的人员作为组长。" in html
    assert not WorkingGroup.objects.filter(name="宣传组").exists()


def test_edit_changes_name_leader_and_members(coordinator, demo, as_user):
    group = WorkingGroup.objects.get(unit=demo["unit"], name="行政组")
    leader, member = _users("lingdao", "guancha")
    client = as_user(coordinator)
    html = client.get(reverse("orgs:working_group_edit", args=[group.pk])).content.decode()
    assert 'value="行政组"' in html and "环境整治、后勤保障" in html
    response = client.post(
        reverse("orgs:working_group_edit", args=[group.pk]),
        {"name": "环境组", "duties": "环境整治", "leader": leader.pk, "members": [member.pk]},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.duties, group.leader) == ("环境组", "环境整治", leader)
    assert list(group.members.all()) == [member]


def test_edit_to_a_taken_name_is_refused(coordinator, demo, as_user):
    group = WorkingGroup.objects.get(unit=demo["unit"], name="行政组")
    response = as_user(coordinator).post(
        reverse("orgs:working_group_edit", args=[group.pk]), {"name": "材料组"}
    )
    assert "本单位已有名为“材料组”的工作组" in response.content.decode()
    group.refresh_from_db()
    assert group.name == "行政组"


def test_member_who_left_the_unit_may_stay_when_editing(coordinator, demo, as_user):
    group = WorkingGroup.objects.get(unit=demo["unit"], name="材料组")  # 陈晓燕 leads, 张明 member
    Membership.objects.filter(user__username="keshi").update(is_active=False)
    keshi, jingban = _users("keshi", "jingban")
    response = as_user(coordinator).post(
        reverse("orgs:working_group_edit", args=[group.pk]),
        {"name": "材料组", "duties": "台账", "leader": jingban.pk, "members": [keshi.pk]},
    )
    assert response.status_code == 302
    assert list(group.members.all()) == [keshi]


def test_deactivate_is_soft_and_frees_the_name(coordinator, demo, as_user):
    client = as_user(coordinator)
    group = WorkingGroup.objects.get(unit=demo["unit"], name="行政组")
    response = client.post(reverse("orgs:working_group_deactivate", args=[group.pk]))
    assert "已停用工作组“行政组”。记录仍然保留。" in _messages(response)
    group.refresh_from_db()
    assert not group.is_active
    html = client.get(reverse("orgs:detail", args=[demo["unit"].pk])).content.decode()
    assert "已停用的工作组（1）" in html
    # Editing a switched-off group is refused; a new one may take the name.
    response = client.get(reverse("orgs:working_group_edit", args=[group.pk]))
    assert response.status_code == 302
    assert "工作组“行政组”已停用，不能修改。" in _messages(response)
    client.post(reverse("orgs:working_group_create", args=[demo["unit"].pk]), {"name": "行政组"})
    assert WorkingGroup.objects.filter(unit=demo["unit"], name="行政组").count() == 2


def test_working_group_pages_only_for_units(coordinator, demo, as_user):
    url = reverse("orgs:working_group_create", args=[demo["food"].pk])
    assert as_user(coordinator).get(url).status_code == 404


def test_coordinator_cannot_touch_another_units_groups(coordinator, office_admin, demo, as_user):
    court_group = WorkingGroup.objects.create(unit=demo["court"], name="综合组")
    client = as_user(coordinator)
    assert client.get(reverse("orgs:working_group_edit", args=[court_group.pk])).status_code == 404
    response = client.post(reverse("orgs:working_group_deactivate", args=[court_group.pk]))
    assert response.status_code == 404
    court_group.refresh_from_db()
    assert court_group.is_active
    edit = as_user(office_admin).get(reverse("orgs:working_group_edit", args=[court_group.pk]))
    assert edit.status_code == 200

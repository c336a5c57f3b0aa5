"""Who reads which dashboard, and where the nav's 驾驶舱 sends each person."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse


def test_department_head_reads_own_department_not_another(
    data, as_user, dept_head, other_dept_head
) -> None:  # type: ignore[no-untyped-def]
    campaign = data["campaign"]
    food = reverse("dashboards:department", args=[campaign.pk, data["food"].pk])
    registry = reverse("dashboards:department", args=[campaign.pk, data["registry"].pk])
    assert as_user(dept_head).get(food).status_code == 200
    assert as_user(dept_head).get(registry).status_code == 403
    assert as_user(other_dept_head).get(food).status_code == 403
    assert as_user(other_dept_head).get(registry).status_code == 200


def test_unit_wide_roles_read_every_department(
    data, as_user, leader, inspector, office_admin
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("dashboards:department", args=[data["campaign"].pk, data["registry"].pk])
    for user in (leader, inspector, office_admin):
        assert as_user(user).get(url).status_code == 200


def test_a_department_of_another_unit_is_not_found(data, demo, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Organization

    foreign = Organization.objects.get(name="纳税服务科")
    url = reverse("dashboards:department", args=[data["campaign"].pk, foreign.pk])
    assert as_user(leader).get(url).status_code == 404


def test_other_city_sees_nothing(data, demo, as_user, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    client = as_user(outsider_admin)
    assert client.get(reverse("dashboards:campaign", args=[data["campaign"].pk])).status_code == 404
    assert client.get(reverse("dashboards:office", args=[demo["office"].pk])).status_code == 404
    assert (
        client.get(reverse("dashboards:office", args=[demo["other_office"].pk])).status_code == 200
    )


def test_office_view_is_for_office_people(
    data, demo, as_user, office_admin, leader, dept_head
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("dashboards:office", args=[demo["office"].pk])
    assert as_user(office_admin).get(url).status_code == 200
    assert as_user(leader).get(url).status_code == 404
    assert as_user(dept_head).get(url).status_code == 404
    # A unit is not an office.
    assert (
        as_user(office_admin).get(reverse("dashboards:office", args=[demo["unit"].pk])).status_code
        == 404
    )


def test_office_above_reads_the_lower_office(demo, as_user) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Membership, Organization, OrgKind, Role

    province = Organization.objects.get(code="SL-WMB")
    county = Organization.objects.filter(kind=OrgKind.OFFICE, parent=demo["office"]).first()
    boss = User.objects.create_user("sheng")
    Membership.objects.create(user=boss, organization=province, role=Role.OBSERVER)
    assert (
        as_user(boss).get(reverse("dashboards:office", args=[demo["office"].pk])).status_code == 200
    )
    if county is not None:
        assert as_user(boss).get(reverse("dashboards:office", args=[county.pk])).status_code == 200


def test_index_sends_each_role_to_its_dashboard(
    data, demo, as_user, leader, dept_head, office_admin
) -> None:  # type: ignore[no-untyped-def]
    campaign = data["campaign"]
    index = reverse("dashboards:index")
    assert as_user(leader).get(index).url == reverse("dashboards:campaign", args=[campaign.pk])
    assert as_user(dept_head).get(index).url == reverse(
        "dashboards:department", args=[campaign.pk, data["food"].pk]
    )
    assert as_user(office_admin).get(index).url == reverse(
        "dashboards:office", args=[demo["office"].pk]
    )


def test_index_without_a_role_explains_what_to_do(db, as_user) -> None:  # type: ignore[no-untyped-def]
    nobody = User.objects.create_user("nobody")
    page = as_user(nobody).get(reverse("dashboards:index"))
    assert page.status_code == 200
    assert "联系本单位创建办或上级文明办" in page.content.decode()


def test_index_of_a_unit_without_campaign(demo, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    page = as_user(leader).get(reverse("dashboards:index"))
    assert page.status_code == 200
    assert "还没有正在开展的创建工作" in page.content.decode()


def test_department_people_get_no_links_to_other_departments(data, as_user, dept_head) -> None:  # type: ignore[no-untyped-def]
    campaign = data["campaign"]
    page = as_user(dept_head).get(
        reverse("dashboards:department", args=[campaign.pk, data["food"].pk])
    )
    other = reverse("dashboards:department", args=[campaign.pk, data["registry"].pk])
    assert other not in page.content.decode()
    own = reverse("dashboards:department", args=[campaign.pk, data["food"].pk])
    assert own in page.context["charts"]["chart-ranking"]["urls"]

"""The list and detail pages: what they show, and a query count that does not grow."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from wenming.campaigns import services
from wenming.campaigns.models import Campaign, Milestone
from wenming.orgs.models import Organization, OrgKind
from wenming.tasks.models import Task

D = datetime.date


def _more_data(campaign: Campaign, demo, coordinator, n: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    """n more units' campaigns under the office, milestones and tasks on the main one."""
    for i in range(n):
        unit = Organization.objects.create(
            kind=OrgKind.UNIT, parent=demo["office"], name=f"临州市{tag}{i}局", code=f"LZ-{tag}{i}"
        )
        services.campaign_create(
            unit=unit,
            user=coordinator,
            title=f"{tag}{i}局创建市级文明单位",
            target_level="city",
            target_kind="文明单位",
            framework=campaign.framework,
            cycle_start=D(2026, 1, 1),
            cycle_end=D(2027, 12, 31),
        )
        Milestone.objects.create(
            campaign=campaign,
            title=f"节点{tag}{i}",
            due=D(2026, 6, 1) + datetime.timedelta(days=i),
            owner_department=demo["food"],
            owner=coordinator,
        )
        Task.objects.create(campaign=campaign, title=f"任务{tag}{i}", lead_department=demo["food"])


# The same bound with one and with twenty-six of everything.
BOUNDS = {
    "campaigns:list": 6,
    "campaigns:detail": 10,
    "campaigns:plan_docx": 13,
    "api:campaign_list": 5,
    "api:campaign_detail": 10,
}


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_query_count_does_not_grow(  # type: ignore[no-untyped-def]
    name, campaign, demo, coordinator, office_admin, as_user, django_assert_max_num_queries
) -> None:
    client = as_user(office_admin)
    takes_pk = name.endswith(("detail", "docx"))
    url = reverse(name, args=[campaign.pk] if takes_pk else [])
    _more_data(campaign, demo, coordinator, 1, "S")
    with django_assert_max_num_queries(BOUNDS[name]):
        assert client.get(url).status_code == 200
    _more_data(campaign, demo, coordinator, 25, "L")
    with django_assert_max_num_queries(BOUNDS[name]):
        assert client.get(url).status_code == 200


def test_list_shows_active_first_and_create_button(campaign, demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    campaign.is_active = False
    campaign.save(update_fields=["is_active"])
    services.campaign_create(
        unit=demo["unit"],
        user=coordinator,
        title="2029—2031年创建全国文明单位",
        target_level="national",
        target_kind="文明单位",
        framework=campaign.framework,
        cycle_start=D(2029, 1, 1),
        cycle_end=D(2031, 12, 31),
    )
    body = as_user(coordinator).get(reverse("campaigns:list")).content.decode()
    assert body.index("2029—2031年创建全国文明单位") < body.index("2026—2028年创建省级文明单位")
    assert "新建创建工作" in body and "往期" in body


def test_staff_sees_the_list_without_create_button(campaign, staff, as_user) -> None:  # type: ignore[no-untyped-def]
    body = as_user(staff).get(reverse("campaigns:list")).content.decode()
    assert campaign.title in body and "新建创建工作" not in body


def test_outsider_does_not_see_the_campaign(campaign, outsider_admin, as_user) -> None:  # type: ignore[no-untyped-def]
    body = as_user(outsider_admin).get(reverse("campaigns:list")).content.decode()
    assert campaign.title not in body


@time_machine.travel(datetime.datetime(2027, 3, 15, 2, 0, tzinfo=datetime.UTC))
def test_detail_shows_phases_today_and_coverage(campaign, leader, as_user) -> None:  # type: ignore[no-untyped-def]
    body = as_user(leader).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    for text in ("宣传发动", "组织实施", "总结提高", "集中申报", "2026年4月1日至2028年6月30日"):
        assert text in body
    assert "今天 3月15日" in body
    assert "进行中" in body
    assert "尚无任务" in body
    # Leaders read the plan; they do not change it.
    assert reverse("campaigns:edit", args=[campaign.pk]) not in body
    assert "标记为已部署" not in body


def test_detail_links_coverage_only_when_tasks_provides_it(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    from django.urls import NoReverseMatch

    body = (
        as_user(coordinator).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )
    try:
        url = reverse("tasks:coverage", args=[campaign.pk])
    except NoReverseMatch:
        assert "查看覆盖情况" not in body
    else:
        assert url in body
    assert "标记为已部署" in body

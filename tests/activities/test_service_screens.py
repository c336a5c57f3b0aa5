"""The screens of imported hours, 双报到 and 帮扶共建: what readers see, what the writers do,
every refusal (400 with the Chinese sentences, nothing kept; 403; 404), and list pages that
cost the same whatever the number of rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.activities.service_sheets import row, sheet
from tests.activities.test_service_hours_import import _person
from wenming.activities import community
from wenming.activities.hours_import import hours_import
from wenming.activities.models import (
    Activity,
    CommunityFeedback,
    CommunityReport,
    HoursImport,
    Pairing,
    ServiceHours,
)
from wenming.orgs.access import OFFICE_READS_ONLY


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _url(name: str, campaign: Any, *args: Any, **more: Any) -> str:
    query = "&".join([f"campaign={campaign.pk}"] + [f"{k}={v}" for k, v in more.items()])
    return f"{reverse(f'activities:{name}', args=args)}?{query}"


def _text(response: Any) -> str:
    return response.content.decode()


def _upload(content: bytes, name: str = "五月时长.xlsx") -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, content)}


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- imported hours -------------------------------------------------------------------------


def test_a_department_imports_a_sheet_and_sees_the_result(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, staff, observer
) -> None:
    client = as_user(staff)
    page = client.get(_url("hours_import_new", campaign))
    assert page.status_code == 200 and "表格要求" in _text(page)
    content = sheet([row("张明", 2.5), row("陈晓燕", 1, project="敬老院陪护")])
    response = client.post(_url("hours_import_new", campaign), _upload(content), follow=True)
    record = HoursImport.objects.get()
    assert response.redirect_chain[-1][0] == _url("hours_import_detail", campaign, record.pk)
    page = _text(response)
    assert "已导入“五月时长.xlsx”：2行，2人，合计3.50小时" in page
    assert "敬老院陪护" in page and "陈晓燕" in page
    listing = as_user(observer).get(_url("hours_imports", campaign))
    assert listing.status_code == 200
    assert listing.context["totals"] == {
        "imports": 1,
        "rows": 2,
        "hours": Decimal("3.50"),
        "people": 2,
    }
    assert "导入时长表" not in _text(listing)  # observers read only
    assert "导入时长表" in _text(client.get(_url("hours_imports", campaign)))


def test_a_refused_sheet_lists_every_row_and_keeps_nothing(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator
) -> None:
    content = sheet([row("张明", 2), row("王小二", 2), row("张明", "2")])
    response = as_user(coordinator).post(_url("hours_import_new", campaign), _upload(content))
    assert response.status_code == 400
    page = _text(response)
    assert "未导入：表格中有2行共2处问题" in page and "整个表格未写入任何内容" in page
    assert "“王小二”不是本单位人员" in page and "与第3行重复" in page
    assert not HoursImport.objects.exists() and not ServiceHours.objects.exists()
    missing = as_user(coordinator).post(_url("hours_import_new", campaign), {})
    assert missing.status_code == 400 and "请选择志愿服务平台导出的时长表" in _text(missing)


def test_who_may_import(  # type: ignore[no-untyped-def]
    campaign, as_user, leader, office_admin, outsider_admin, other_dept_head
) -> None:
    url = _url("hours_import_new", campaign)
    refused = as_user(leader).post(url, _upload(sheet([row("张明", 2)])))
    assert refused.status_code == 403 and "只有本单位创建办和各部门负责人、经办人" in _text(refused)
    office = as_user(office_admin).get(url)
    assert office.status_code == 403 and OFFICE_READS_ONLY in _text(office)
    assert as_user(outsider_admin).get(url).status_code == 404
    assert as_user(other_dept_head).get(url).status_code == 200  # any department of the unit
    assert not HoursImport.objects.exists()


def test_an_import_of_another_city_is_not_found(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, outsider_admin
) -> None:
    record = hours_import(
        unit=demo["unit"], user=coordinator, content=sheet([row("张明", 2)]), file_name="a.xlsx"
    ).record
    url = _url("hours_import_detail", campaign, record.pk)
    assert as_user(outsider_admin).get(url).status_code == 404
    assert as_user(coordinator).get(url).status_code == 200


def test_hours_pages_cost_the_same_whatever_the_rows(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    people = [_person(demo, f"zyz{n}", f"志愿者{n}") for n in range(12)]
    client = as_user(coordinator)

    def load(count: int, month: int) -> HoursImport:
        rows = [row(p.first_name, 1, day=datetime.date(2026, month, 1 + n)) for n, p in
                enumerate(people[:count])]  # fmt: skip
        return hours_import(
            unit=demo["unit"], user=coordinator, content=sheet(rows), file_name=f"{month}.xlsx"
        ).record

    first = load(2, 1)
    few = _count(client, _url("hours_imports", campaign))
    few_rows = _count(client, _url("hours_import_detail", campaign, first.pk))
    for month in range(2, 6):
        last = load(12, month)
    assert _count(client, _url("hours_imports", campaign)) == few
    assert _count(client, _url("hours_import_detail", campaign, last.pk)) == few_rows


# --- 双报到 ------------------------------------------------------------------------------------


def test_the_coordinator_registers_members_and_records_feedback(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    client = as_user(coordinator)
    response = client.post(
        _url("community_new", campaign, year=2026),
        {"person": dept_head.pk, "community": "城东街道幸福里社区", "reported_on": "2026-01-10"},
    )
    assert response.status_code == 302
    report = CommunityReport.objects.get()
    page = _text(client.get(_url("community", campaign, year=2026)))
    assert "城东街道幸福里社区" in page and "本季度未反馈" in page and "还有1人未反馈" in page
    form = client.get(_url("community", campaign, year=2026, report=report.pk, quarter=1))
    assert "登记社区反馈：张明" in _text(form)
    feedback = {"year": "2026", "quarter": "1", "rating": "good", "hours": "6", "note": "积极"}
    url = reverse("activities:community_feedback", args=[report.pk]) + f"?campaign={campaign.pk}"
    assert client.post(url, feedback).status_code == 302
    assert client.post(url, {**feedback, "rating": "excellent"}).status_code == 302
    assert CommunityFeedback.objects.get().rating == "excellent"
    future = client.post(url, {**feedback, "quarter": "3"})
    assert future.status_code == 400 and "2026年第3季度还没有到" in _text(future)
    again = client.post(
        _url("community_new", campaign),
        {"person": dept_head.pk, "community": "别处", "reported_on": "2026-02-01"},
    )
    assert again.status_code == 400 and "张明已于2026-01-10向“城东街道幸福里社区”报到" in _text(
        again
    )
    remove = reverse("activities:community_remove", args=[report.pk]) + f"?campaign={campaign.pk}"
    assert client.post(remove).status_code == 302
    assert CommunityReport.objects.get().removed_at is not None
    assert client.post(remove).status_code == 400


def test_readers_see_the_grid_without_forms(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff, leader, office_admin, outsider_admin
) -> None:
    report = community.community_report(
        unit=demo["unit"],
        person=staff,
        user=coordinator,
        community="城西街道锦绣社区",
        reported_on=datetime.date(2026, 1, 5),
    )
    community.community_feedback_record(
        report=report, user=coordinator, year=2026, quarter=2, rating="excellent", hours="4"
    )
    for user in (leader, office_admin, staff):
        response = as_user(user).get(_url("community", campaign, year=2026))
        page = _text(response)
        assert response.status_code == 200 and "城西街道锦绣社区" in page and "优秀" in page
        assert "登记双报到" not in page and "移除" not in page
    figures = response.context["figures"]
    assert (figures["reported"], figures["received"], figures["missing"]) == (1, 1, 0)
    assert as_user(outsider_admin).get(_url("community", campaign)).status_code == 404
    url = reverse("activities:community_feedback", args=[report.pk]) + f"?campaign={campaign.pk}"
    data = {"year": "2026", "quarter": "1", "rating": "good"}
    assert as_user(leader).post(url, data).status_code == 403
    office = as_user(office_admin).post(url, data)
    assert office.status_code == 403 and OFFICE_READS_ONLY in _text(office)
    assert CommunityFeedback.objects.count() == 1


def test_the_community_page_costs_the_same_for_2_and_10_members(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    people = [_person(demo, f"dy{n}", f"党员{n}") for n in range(10)]
    client = as_user(coordinator)

    def register(members: list[User]) -> None:
        for person in members:
            report = community.community_report(
                unit=demo["unit"], person=person, user=coordinator, community="幸福里社区",
                reported_on=datetime.date(2026, 1, 5),
            )  # fmt: skip
            community.community_feedback_record(
                report=report, user=coordinator, year=2026, quarter=1, rating="good"
            )

    register(people[:2])
    few = _count(client, _url("community", campaign, year=2026))
    register(people[2:])
    assert _count(client, _url("community", campaign, year=2026)) == few


# --- 帮扶共建 ----------------------------------------------------------------------------------


def _visit(campaign: Any, demo: Any, pairing: Pairing, month: int) -> Activity:
    return Activity.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        kind="pairing",
        title=f"{month}月走访石桥村",
        starts_at=timezone.make_aware(datetime.datetime(2026, month, 5, 9)),
        pairing=pairing,
    )


def test_the_coordinator_sets_up_a_pairing_and_sees_its_visits(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, leader
) -> None:
    client = as_user(coordinator)
    data = {
        "partner": "江北区石桥村",
        "department": demo["food"].pk,
        "plan": "每季度走访一次。",
        "starts_on": "2026-01-01",
        "visits_planned": "4",
    }
    response = client.post(_url("pairing_new", campaign, year=2026), data)
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("pairing_detail", campaign, pairing.pk, year=2026)
    _visit(campaign, demo, pairing, 3)
    _visit(campaign, demo, pairing, 5)
    page = _text(client.get(_url("pairing_detail", campaign, pairing.pk, year=2026)))
    assert "今年已走访2次，计划4次，还差2次" in page and "3月走访石桥村" in page
    new_visit = f"{reverse('activities:new')}?campaign={campaign.pk}&amp;kind=pairing&amp;pairing={pairing.pk}"
    assert new_visit in page
    assert new_visit in _text(as_user(dept_head).get(_url("pairing_detail", campaign, pairing.pk)))
    read_only = _text(as_user(leader).get(_url("pairing_detail", campaign, pairing.pk)))
    assert "登记走访" not in read_only and "移除共建对象" not in read_only
    listing = _text(as_user(leader).get(_url("pairings", campaign, year=2026)))
    assert "江北区石桥村" in listing and "还差2次" in listing
    twice = client.post(_url("pairing_new", campaign), data)
    assert twice.status_code == 400 and "已有共建对象“江北区石桥村”" in _text(twice)
    remove = reverse("activities:pairing_remove", args=[pairing.pk]) + f"?campaign={campaign.pk}"
    assert as_user(dept_head).post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert client.get(_url("pairing_detail", campaign, pairing.pk)).status_code == 404
    assert Pairing.objects.get().removed_at is not None and Activity.objects.count() == 2


def test_pairing_refusals_show_on_the_form(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    response = as_user(coordinator).post(
        _url("pairing_new", campaign),
        {"partner": "", "plan": "", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    assert response.status_code == 400
    page = _text(response)
    assert "请填写共建对象" in page and "请选择牵头部门" in page and "请填写共建计划" in page
    assert not Pairing.objects.exists()


def test_pairing_pages_cost_the_same_for_1_and_6(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    client = as_user(coordinator)

    def add(n: int) -> Pairing:
        pairing = community.pairing_create(
            campaign=campaign, user=coordinator, department=demo["food"], partner=f"村{n}",
            plan="走访", starts_on=datetime.date(2026, 1, 1),
        )  # fmt: skip
        _visit(campaign, demo, pairing, 1 + n % 5)
        return pairing

    first = add(0)
    few = _count(client, _url("pairings", campaign, year=2026))
    few_detail = _count(client, _url("pairing_detail", campaign, first.pk))
    for n in range(1, 6):
        add(n)
        _visit(campaign, demo, first, 1 + n % 5)
    assert _count(client, _url("pairings", campaign, year=2026)) == few
    assert _count(client, _url("pairing_detail", campaign, first.pk)) == few_detail

"""The priorities and monthly information screens per role, with bounded queries, the
.xlsx of the table and the reminder button."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.supervision.conftest import D, pdf_upload
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import RegistryEntry
from wenming.supervision import directives
from wenming.supervision.models import InfoRound, InfoSubmission, Priority, PriorityAck

pytestmark = pytest.mark.usefixtures("fixed_today", "registered")


@pytest.fixture
def priority(demo, office_admin):  # type: ignore[no-untyped-def]
    p = directives.priority_create(
        office=demo["office"],
        user=office_admin,
        year=2026,
        quarter=3,
        title="第三季度重点工作",
        body="开展文明交通志愿服务。",
        acknowledge_by=D(2026, 6, 30),
    )
    return directives.priority_publish(priority=p, user=office_admin)


@pytest.fixture
def info_round(demo, office_admin):  # type: ignore[no-untyped-def]
    return directives.info_round_open(
        office=demo["office"], user=office_admin, year=2026, month=6, due_on=D(2026, 6, 25)
    )


def _more_units(office: Organization, count: int) -> None:
    for n in range(count):
        unit = Organization.objects.create(kind=OrgKind.UNIT, parent=office, name=f"单位{n:02d}")
        RegistryEntry.objects.create(office=office, unit=unit)


def test_the_office_drafts_and_publishes_a_priority(demo, as_user, office_admin):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    assert client.get(reverse("supervision:priority_new")).status_code == 200
    response = client.post(
        reverse("supervision:priority_new"),
        {
            "office": demo["office"].pk,
            "year": 2026,
            "quarter": 3,
            "title": "三季度重点",
            "body": "要求",
            "acknowledge_by": "2026-07-10",
        },
    )
    priority = Priority.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("supervision:priority_publish", args=[priority.pk]), follow=True)
    assert "已下发" in response.content.decode()
    priority.refresh_from_db()
    assert priority.published_at is not None
    bad = client.post(reverse("supervision:priority_new"), {"office": demo["office"].pk})
    assert bad.status_code == 400 and "请填写标题" in bad.content.decode()


def test_the_coordinator_acknowledges_and_the_office_sees_the_table(  # type: ignore[no-untyped-def]
    priority, demo, as_user, coordinator, office_admin, leader, django_assert_max_num_queries
):
    url = reverse("supervision:priority", args=[priority.pk])
    page = as_user(coordinator).get(url).content.decode()
    assert "落实打算" in page and "签收</button>" in page
    response = as_user(coordinator).post(
        reverse("supervision:priority_ack", args=[priority.pk]), {"note": "全局落实"}
    )
    assert response.status_code == 302
    again = as_user(coordinator).post(reverse("supervision:priority_ack", args=[priority.pk]))
    assert again.status_code == 400 and "不能重复签收" in again.content.decode()
    assert "已于2026年6月15日" in as_user(leader).get(url).content.decode()
    refused = as_user(leader).post(reverse("supervision:priority_ack", args=[priority.pk]))
    assert refused.status_code == 403

    _more_units(demo["office"], 15)
    client = as_user(office_admin)
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "已签收" in page and "全局落实" in page and "单位14" in page
    with django_assert_max_num_queries(20):
        assert "第三季度重点工作" in client.get(reverse("supervision:priorities")).content.decode()
    unit_client = as_user(coordinator)
    with django_assert_max_num_queries(20):
        assert "已签收" in unit_client.get(reverse("supervision:priorities")).content.decode()


def test_a_draft_is_hidden_from_units(demo, office_admin, as_user, coordinator):  # type: ignore[no-untyped-def]
    draft = directives.priority_create(
        office=demo["office"],
        user=office_admin,
        year=2026,
        quarter=4,
        title="草稿",
        body="b",
        acknowledge_by=D(2026, 12, 1),
    )
    assert (
        as_user(coordinator).get(reverse("supervision:priority", args=[draft.pk])).status_code
        == 404
    )


def test_the_office_opens_a_month_and_refuses_a_duplicate(demo, as_user, office_admin):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    data = {"office": demo["office"].pk, "year": 2026, "month": 6, "due_on": "2026-06-25"}
    assert client.post(reverse("supervision:info_round_new"), data).status_code == 302
    again = client.post(reverse("supervision:info_round_new"), data)
    assert again.status_code == 400 and "已经开启，不能重复开启" in again.content.decode()
    assert InfoRound.objects.count() == 1


def test_the_coordinator_submits_with_files(info_round, demo, as_user, coordinator):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = reverse("supervision:info_round", args=[info_round.pk])
    assert "报送本月信息" in client.get(url).content.decode()
    response = client.post(
        reverse("supervision:info_submit", args=[info_round.pk]),
        {"title": "六月信息", "content": "内容", "attachments": [pdf_upload()]},
    )
    assert response.status_code == 302
    submission = InfoSubmission.objects.get()
    assert submission.files.count() == 1
    page = client.get(url).content.decode()
    assert "六月信息" in page and "修改报送内容" in page
    f = submission.files.get()
    assert client.get(reverse("supervision:info_file", args=[f.pk])).status_code == 200
    assert client.get(reverse("supervision:submission", args=[submission.pk])).status_code == 200
    bad = client.post(reverse("supervision:info_submit", args=[info_round.pk]), {"title": ""})
    assert bad.status_code == 400 and "请填写信息标题" in bad.content.decode()


def test_the_round_table_filters_and_exports(  # type: ignore[no-untyped-def]
    info_round, demo, as_user, office_admin, coordinator, django_assert_max_num_queries
):
    directives.info_submit(
        info_round=info_round,
        user=coordinator,
        unit=demo["unit"],
        title='=HYPERLINK("http://x")',
        content="c",
    )
    _more_units(demo["office"], 12)
    client = as_user(office_admin)
    url = reverse("supervision:info_round", args=[info_round.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "一键提醒未报送单位" in page and "单位11" in page
    page = client.get(url, {"status": "on_time"}).content.decode()
    assert demo["unit"].name in page and "单位11" not in page
    with django_assert_max_num_queries(20):
        response = client.get(reverse("supervision:info_xlsx", args=[info_round.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 14
    mine = next(r for r in rows if r[1] == demo["unit"].name)
    assert mine[2] == "已报送" and mine[3] == '=HYPERLINK("http://x")'
    cell = next(c for c in sheet["D"] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    with django_assert_max_num_queries(20):
        assert client.get(reverse("supervision:info_rounds")).status_code == 200
    assert (
        as_user(coordinator).get(reverse("supervision:info_xlsx", args=[info_round.pk])).status_code
        == 403
    )


def test_the_remind_button_says_how_many(info_round, demo, as_user, office_admin):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    url = reverse("supervision:info_remind", args=[info_round.pk])
    page = client.post(url, follow=True).content.decode()
    assert "已提醒1家未报送单位的1名创建办人员" in page
    from wenming.orgs.models import Membership, Role

    Membership.objects.filter(role=Role.COORDINATOR).update(is_active=False)
    page = client.post(url, follow=True).content.decode()
    assert "都没有启用的创建办账号" in page


def test_unit_lists_show_the_units_state(priority, info_round, as_user, observer):  # type: ignore[no-untyped-def]
    assert "未签收" in as_user(observer).get(reverse("supervision:priorities")).content.decode()
    assert "待报送" in as_user(observer).get(reverse("supervision:info_rounds")).content.decode()
    assert not PriorityAck.objects.exists()


def test_the_tables_of_every_unit_show_a_page_and_count_all(  # type: ignore[no-untyped-def]
    priority, info_round, demo, as_user, office_admin, monkeypatch
):
    from wenming.supervision import directive_views

    _more_units(demo["office"], 3)
    monkeypatch.setattr(directive_views, "TABLE_PAGE", 2)
    client = as_user(office_admin)
    for url in (
        reverse("supervision:info_round", args=[info_round.pk]),
        reverse("supervision:priority", args=[priority.pk]),
    ):
        first = client.get(url).content.decode()
        # Five units: the counts cover all of them, the table shows two a page.
        assert "第1页 / 共3页（5项）" in first
        assert re.search(r"未(报送|签收) <span[^>]*>5</span>", first)
        last = client.get(url + "?page=3").content.decode()
        assert "第3页 / 共3页（5项）" in last

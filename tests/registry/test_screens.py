"""The registry's screens: the list and its filters, registering a unit, a unit's page and
its forms, documents, and the navigation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.ledger.conftest import jpeg, upload
from tests.registry.conftest import pdf_upload
from wenming.orgs.models import Organization, OrgKind
from wenming.registry import services
from wenming.registry.models import Honour, HonourEvent, NegativeEvent, RegistryEntry

pytestmark = pytest.mark.usefixtures("fixed_today")
D = datetime.date


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- the list --------------------------------------------------------------------------------


def _fill(office: Organization, start: int, count: int, admin: Any) -> None:
    """`count` units in the registry, each with two honours and a history."""
    for n in range(start, start + count):
        unit = Organization.objects.create(kind=OrgKind.UNIT, parent=office, name=f"单位{n:03d}")
        entry = RegistryEntry.objects.create(
            office=office,
            unit=unit,
            sector=["教育", "金融", "企业"][n % 3],
            area=["市直", "临海区"][n % 2],
            info_admin_name=f"管理员{n}",
        )
        for year, status in ((2019, "expired"), (2023, ["named", "kept", "warned"][n % 3])):
            honour = Honour.objects.create(
                entry=entry,
                title="市级文明单位",
                level="city",
                year_named=year,
                status=status,
                status_on=D(year, 12, 28),
            )
            HonourEvent.objects.create(
                honour=honour, to_status=status, decided_on=D(year, 12, 28), actor=admin
            )


def test_the_list_shows_units_honours_and_counts(honour, court_entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    html = _page(_client(office_admin), reverse("registry:index"))
    assert "临州市市场监督管理局" in html and "临州市中级人民法院" in html
    assert "2023年 市级文明单位" in html and "2023—2025" in html and "市场监管" in html
    assert "李文静" in html and "未登记称号" in html
    assert reverse("registry:export") in html and reverse("registry:import") in html
    assert reverse("registry:entry_new") in html


def test_the_list_filters(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    _fill(demo["office"], 1, 6, office_admin)
    client = _client(office_admin)
    url = reverse("registry:index")

    def names(**params: Any) -> set[str]:
        html = _page(client, url, **params)
        return {f"单位{n:03d}" for n in range(1, 7) if f"单位{n:03d}" in html}

    assert names() == {f"单位{n:03d}" for n in range(1, 7)}
    assert names(sector="教育") == {"单位003", "单位006"}
    assert names(area="临海区") == {"单位001", "单位003", "单位005"}
    assert names(status="warned") == {"单位002", "单位005"}
    assert names(status="kept", area="市直") == {"单位004"}
    assert names(year=2019, status="expired") == names()
    assert names(year=2019, status="kept") == set()
    assert names(level="province") == set()
    assert names(q="005") == {"单位005"}
    # A filter nobody asked for is ignored, not an error.
    assert names(level="galactic") == names()


def test_the_list_counts_statuses(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    _fill(demo["office"], 1, 6, office_admin)
    response = _client(office_admin).get(reverse("registry:index"))
    counts = {s["value"]: s["count"] for s in response.context["statuses"]}
    assert counts == {"named": 2, "kept": 2, "warned": 2, "rectify": 0, "revoked": 0, "expired": 6}


def test_the_list_costs_the_same_for_5_or_60_units(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    url = reverse("registry:index")

    def queries() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"status": "kept"}).status_code == 200
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _fill(demo["office"], 1, 5, office_admin)
    small = queries()
    _fill(demo["office"], 6, 55, office_admin)
    assert queries() == small
    assert small <= 24


def test_unit_people_are_taken_to_their_own_entry(entry, coordinator, leader, staff) -> None:  # type: ignore[no-untyped-def]
    for user in (coordinator, leader):
        response = _client(user).get(reverse("registry:index"))
        assert response.status_code == 302
        assert response["Location"] == reverse("registry:entry", args=[entry.pk])
    html = _page(_client(staff), reverse("registry:index"))
    assert "尚未列入" in html


# --- registering a unit ----------------------------------------------------------------------


def test_register_an_existing_unit_or_a_new_one(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    url = reverse("registry:entry_new")
    html = _page(client, url)
    assert "临州市市场监督管理局" in html and "云岭市税务局" not in html
    response = client.post(
        url, {"office": demo["office"].pk, "unit": demo["unit"].pk, "sector": "市场监管"}
    )
    entry = RegistryEntry.objects.get(unit=demo["unit"])
    assert response.status_code == 302 and entry.sector == "市场监管"
    # Registered units are no longer offered.
    assert f'<option value="{demo["unit"].pk}">' not in _page(client, url)
    response = client.post(
        url,
        {"office": demo["office"].pk, "unit_name": "临州市气象局", "info_admin_phone": "0576-1"},
    )
    assert response.status_code == 302
    assert RegistryEntry.objects.get(unit__name="临州市气象局").info_admin_phone == "0576-1"


def test_register_errors_are_shown(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    response = client.post(reverse("registry:entry_new"), {"office": demo["office"].pk})
    assert response.status_code == 400
    assert "请选择要登记的单位，或填写新单位名称。" in response.content.decode()
    response = client.post(
        reverse("registry:entry_new"),
        {"office": demo["office"].pk, "unit_name": "新单位", "info_admin_phone": "电话"},
    )
    assert response.status_code == 400 and "联系电话只能包含数字" in response.content.decode()
    assert not RegistryEntry.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "staff", "leader"])
def test_unit_people_cannot_register(demo, persona, request) -> None:  # type: ignore[no-untyped-def]
    response = _client(request.getfixturevalue(persona)).get(reverse("registry:entry_new"))
    assert response.status_code == 403


# --- a unit's page ---------------------------------------------------------------------------


def _history(honour: Any, admin: Any) -> None:
    services.honour_change_status(
        honour=honour,
        user=admin,
        to_status="rectify",
        decided_on=D(2026, 5, 10),
        reason="复查得分偏低",
        document_title="临文明办〔2026〕18号",
        document=pdf_upload("复查结果通报.pdf"),
        deadline=D(2026, 8, 31),
    )


def test_the_unit_page_shows_the_full_history(honour, entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    _history(honour, office_admin)
    event = services.negative_event_record(
        entry=entry,
        user=office_admin,
        what="单位领导班子成员严重违纪被立案审查",
        occurred_on=D(2026, 5, 1),
        source="superior",
        is_veto=True,
    )
    services.negative_event_record(
        entry=entry,
        user=office_admin,
        what="窗口人员态度生硬被投诉",
        occurred_on=D(2026, 4, 1),
        source="self",
        self_reported_on=D(2026, 4, 20),
    )
    services.revoke(
        honour=honour,
        user=office_admin,
        decided_on=D(2026, 6, 1),
        reason="发生一票否决事项",
        document_title="临文明委〔2026〕5号",
        negative_event=event,
    )
    html = _page(_client(office_admin), reverse("registry:entry", args=[entry.pk]))
    for words in (
        "命名 → 限期整改",
        "限期整改 → 撤销",
        "整改期限：2026年8月31日",
        "复查得分偏低",
        "临文明办〔2026〕18号",
        "复查结果通报.pdf",
        "周建华",
        "一票否决",
        "逾期报告",
        "未自报",
        "禁止申报至2027年12月31日",
        "新增称号",
        "记录负面事项",
    ):
        assert words in html, words
    doc = HonourEvent.objects.exclude(document=None).get().document
    assert reverse("registry:document", args=[doc.pk]) in html


def test_the_unit_reads_its_own_entry_without_forms(honour, entry, coordinator) -> None:  # type: ignore[no-untyped-def]
    html = _page(_client(coordinator), reverse("registry:entry", args=[entry.pk]))
    assert "2023年 市级文明单位" in html
    for form in ("新增称号", "变更状态", "摘牌</summary>", "记录负面事项", "编辑单位信息"):
        assert form not in html


def test_the_unit_page_costs_the_same_with_more_history(honour, entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    url = reverse("registry:entry", args=[entry.pk])
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    _history(honour, office_admin)
    for year in (2015, 2018, 2020):
        services.honour_add(
            entry=entry, user=office_admin, title="市级文明单位", level="city", year_named=year
        )
    for n in range(5):
        services.negative_event_record(
            entry=entry,
            user=office_admin,
            what=f"事项{n}",
            occurred_on=D(2026, 1, n + 1),
            source="other",
        )
    assert queries() == small


def test_forms_post_and_change_the_registry(honour, entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    response = client.post(
        reverse("registry:honour_new", args=[entry.pk]),
        {
            "title": "文明机关",
            "level": "city",
            "year_named": 2025,
            "term_years": 3,
            "status": "named",
            "document": pdf_upload(),
            "document_title": "临文明委〔2025〕2号",
        },
    )
    assert response.status_code == 302
    added = entry.honours.get(title="文明机关")
    assert added.events.get().document is not None
    response = client.post(
        reverse("registry:honour_status", args=[honour.pk]),
        {
            "to_status": "warned",
            "decided_on": "2026-06-01",
            "document_title": "临文明办〔2026〕20号",
            "reason": "整改不到位",
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 302
    honour.refresh_from_db()
    assert honour.status == "warned"
    response = client.post(
        reverse("registry:negative_new", args=[entry.pk]),
        {
            "what": "发生安全生产事故",
            "occurred_on": "2026-06-02",
            "source": "inspection",
            "is_veto": "on",
            "verified_on": "2026-06-03",
        },
    )
    assert response.status_code == 302
    event = NegativeEvent.objects.get()
    assert event.is_veto and event.verified_by == office_admin
    response = client.post(
        reverse("registry:honour_revoke", args=[honour.pk]),
        {
            "decided_on": "2026-06-10",
            "reason": "发生一票否决事项",
            "document_title": "临文明委〔2026〕5号",
            "ban_years": 1,
            "negative_event": event.pk,
        },
    )
    assert response.status_code == 302
    honour.refresh_from_db()
    assert honour.status == "revoked" and honour.revocation.negative_event == event
    response = client.post(
        reverse("registry:entry_edit", args=[entry.pk]),
        {"sector": "市场监管", "area": "东城区", "info_admin_name": "王芳"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.area, entry.info_admin_name) == ("东城区", "王芳")
    other = services.negative_event_record(
        entry=entry, user=office_admin, what="误记", occurred_on=D(2026, 6, 1), source="other"
    )
    response = client.post(
        reverse("registry:negative_withdraw", args=[other.pk]), {"reason": "记错单位"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.removed_reason == "记错单位"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("status", {"to_status": "kept", "decided_on": "2026-06-01"}, "没有决定文件不能变更状态"),
        ("status", {"to_status": "rectify", "decided_on": "2026-06-01", "document_title": "x"}, "限期整改请填写整改期限"),
        ("revoke", {"decided_on": "2026-06-01", "document_title": "x", "ban_years": 1}, "请填写摘牌原因"),
        ("revoke", {"decided_on": "2026-06-01", "reason": "x", "ban_years": 1}, "没有决定文件不能摘牌"),
    ],
)  # fmt: skip
def test_decisions_without_what_they_need_are_refused_on_the_page(  # type: ignore[no-untyped-def]
    honour, office_admin, name, data, words
) -> None:
    response = _client(office_admin).post(
        reverse(f"registry:honour_{name}", args=[honour.pk]), data
    )
    assert response.status_code == 400 and words in response.content.decode()
    honour.refresh_from_db()
    assert honour.status == "named"


def test_a_document_lying_about_its_type_is_refused_on_the_page(
    honour, office_admin, settings
) -> None:  # type: ignore[no-untyped-def]
    response = _client(office_admin).post(
        reverse("registry:honour_status", args=[honour.pk]),
        {
            "to_status": "kept",
            "decided_on": "2026-06-01",
            "document_title": "临文明办〔2026〕18号",
            "document": upload("复查通报.pdf", jpeg()),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "复查通报.pdf" in html
    honour.refresh_from_db()
    assert honour.status == "named"


def test_unit_people_and_departments_change_nothing(
    honour, entry, coordinator, dept_head, staff
) -> None:  # type: ignore[no-untyped-def]
    posts = [
        reverse("registry:entry_edit", args=[entry.pk]),
        reverse("registry:honour_new", args=[entry.pk]),
        reverse("registry:honour_status", args=[honour.pk]),
        reverse("registry:honour_revoke", args=[honour.pk]),
        reverse("registry:negative_new", args=[entry.pk]),
    ]
    for user, code in ((coordinator, 403), (dept_head, 404), (staff, 404)):
        client = _client(user)
        for url in posts:
            assert client.post(url, {"to_status": "kept"}).status_code == code, (user, url)
    honour.refresh_from_db()
    assert honour.status == "named"


def test_another_units_entry_is_not_found(entry, court_entry, coordinator, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    assert (
        _client(coordinator).get(reverse("registry:entry", args=[court_entry.pk])).status_code
        == 404
    )
    assert (
        _client(outsider_admin).get(reverse("registry:entry", args=[entry.pk])).status_code == 404
    )


def test_documents_download_for_who_sees_the_entry(
    honour, office_admin, coordinator, staff, outsider_admin
) -> None:  # type: ignore[no-untyped-def]
    _history(honour, office_admin)
    doc = HonourEvent.objects.exclude(document=None).get().document
    url = reverse("registry:document", args=[doc.pk])
    for user in (office_admin, coordinator):
        response = _client(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in (staff, outsider_admin):
        assert _client(user).get(url).status_code == 404


def test_the_navigation_names_the_registry(entry, office_admin, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    assert "文明单位名录" in _page(_client(office_admin), reverse("home"))
    assert "本单位荣誉" in _page(_client(coordinator), reverse("home"))
    html = _page(_client(staff), reverse("home"))
    assert "本单位荣誉" not in html and "文明单位名录" not in html


def test_an_honour_held_past_its_term_is_flagged(entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    # Today is 2026-06-15: named 2022 for 3 years, the term ended with 2024.
    for year in (2022, 2024):
        services.honour_add(
            entry=entry,
            user=office_admin,
            title=f"{year}测试称号",
            level="city",
            year_named=year,
            status_on=D(year, 12, 28),
            document_title=f"临文明委〔{year}〕1号",
        )
    client = _client(office_admin)
    for url in (reverse("registry:index"), reverse("registry:entry", args=[entry.pk])):
        html = _page(client, url)
        assert html.count("有效期已过") == 1
        assert "有效期已于2024年底届满" in html

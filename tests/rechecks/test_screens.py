"""复查's screens: the list, opening a 复查, its table, a report page with the holder's form
and the office's decisions, the documents, and the navigation."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import docx as python_docx
import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.rechecks.conftest import D, pdf_upload, submit, travel
from wenming.orgs.models import Organization, OrgKind
from wenming.rechecks import services
from wenming.rechecks.models import Decision, Recheck, RecheckReport, ReportStatus
from wenming.registry.models import Honour, HonourStatus, RegistryEntry

pytestmark = pytest.mark.usefixtures("fixed_today")
AFTER_DUE = D(2026, 7, 5)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _fill(office: Organization, start: int, count: int) -> list[Honour]:
    """`count` holders of a 2024 市级文明单位 named by `office`."""
    honours = []
    for n in range(start, start + count):
        unit = Organization.objects.create(kind=OrgKind.UNIT, parent=office, name=f"单位{n:03d}")
        entry = RegistryEntry.objects.create(
            office=office, unit=unit, area=["市直", "临海区"][n % 2]
        )
        honours.append(
            Honour.objects.create(
                entry=entry,
                title="市级文明单位",
                level="city",
                issuer=office,
                year_named=2024,
                status=HonourStatus.NAMED,
                status_on=D(2024, 12, 28),
            )
        )
    return honours


# --- the list and opening ---------------------------------------------------------------------


def test_the_office_opens_the_years_recheck(demo, office_admin, honour, court_honour):
    client = _client(office_admin)
    page = _page(client, reverse("rechecks:index"))
    assert "开启年度复查" in page and "还没有复查" in page
    url = reverse("rechecks:new")
    assert "开启复查" in _page(client, url)
    response = client.post(
        url,
        {
            "office": demo["office"].pk,
            "year": 2026,
            "title": "2026年度文明单位复查",
            "opens_on": "2026-05-01",
            "due_on": "2026-04-01",
        },
    )
    assert response.status_code == 400
    assert "自查报告截止日期不能早于开始日期。" in response.content.decode()
    assert not Recheck.objects.exists()
    response = client.post(
        url,
        {
            "office": demo["office"].pk,
            "year": 2026,
            "title": "2026年度文明单位复查",
            "opens_on": "2026-05-01",
            "due_on": "2026-06-30",
            "average_counts": "on",
        },
        follow=True,
    )
    recheck = Recheck.objects.get()
    assert recheck.average_counts
    assert "2家单位需在截止日期前提交年度自查报告" in response.content.decode()
    page = _page(client, reverse("rechecks:index"))
    assert "2026年度文明单位复查" in page


def test_only_an_office_admin_opens_a_recheck(coordinator, inspector, staff, demo):
    for user in (coordinator, inspector, staff):
        assert _client(user).get(reverse("rechecks:new")).status_code == 403


def test_a_units_people_see_only_their_own_reports(
    recheck, report, court_report, coordinator, leader, staff
):
    for user in (coordinator, leader):
        page = _page(_client(user), reverse("rechecks:index"))
        assert "本单位复查" in page
        assert "临州市市场监督管理局" in page
        assert "临州市中级人民法院" not in page
        client = _client(user)
        assert client.get(reverse("rechecks:report", args=[court_report.pk])).status_code == 404
        assert client.get(reverse("rechecks:detail", args=[recheck.pk])).status_code == 404
    page = _page(_client(staff), reverse("rechecks:index"))
    assert "没有需要本单位填报的复查" in page
    assert _client(staff).get(reverse("rechecks:report", args=[report.pk])).status_code == 404


def test_another_offices_admin_is_told_nothing(recheck, report, outsider_admin):
    client = _client(outsider_admin)
    for url in (
        reverse("rechecks:detail", args=[recheck.pk]),
        reverse("rechecks:report", args=[report.pk]),
        reverse("rechecks:result_docx", args=[recheck.pk]),
        reverse("rechecks:list_xlsx", args=[recheck.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("rechecks:report_decide", args=[report.pk])).status_code == 404
    assert "2026年度文明单位复查" not in _page(client, reverse("rechecks:index"))


# --- the table --------------------------------------------------------------------------------


def test_the_table_flags_missed_reports_and_counts_states(
    recheck, report, court_report, coordinator, office_admin
):
    submit(report, coordinator, "92")
    client = _client(office_admin)
    url = reverse("rechecks:detail", args=[recheck.pk])
    page = _page(client, url)
    assert "临州市市场监督管理局" in page and "临州市中级人民法院" in page
    assert "92.00" in page
    assert 'class="wm-missed"' not in page
    with travel(AFTER_DUE):
        client = _client(office_admin)
        page = _page(client, url)
        assert page.count('class="wm-missed"') == 1
        assert "还有2家单位未作出复查结论" in page
        missed = _page(client, url, status="missed")
        assert "临州市中级人民法院" in missed and "临州市市场监督管理局" not in missed
        # The home's queue links here.
        queue = _page(client, reverse("rechecks:index"), status="missed")
        assert "临州市中级人民法院" in queue and "临州市市场监督管理局" not in queue
    submitted = _page(client, url, status="submitted")
    assert "临州市市场监督管理局" in submitted and "临州市中级人民法院" not in submitted


def test_the_table_takes_the_same_queries_whatever_its_size(demo, office_admin, fixed_today):
    office = demo["office"]
    _fill(office, 1, 5)
    recheck = services.recheck_open(
        office=office,
        user=office_admin,
        year=2026,
        title="2026年度复查",
        opens_on=D(2026, 5, 1),
        due_on=D(2026, 6, 1),
        average_counts=True,
    )
    client = _client(office_admin)
    urls = [
        reverse("rechecks:detail", args=[recheck.pk]),
        reverse("rechecks:index"),
        reverse("rechecks:index") + "?status=missed",
    ]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for url in urls:
                assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    more = _fill(office, 6, 120)
    RecheckReport.objects.bulk_create(
        RecheckReport(recheck=recheck, honour=h, entry_id=h.entry_id, office_score=Decimal("90"))
        for h in more
    )
    assert queries() == small
    assert small <= 60


def test_the_office_extends_the_deadline_on_the_recheck_page(recheck, office_admin):
    client = _client(office_admin)
    url = reverse("rechecks:edit", args=[recheck.pk])
    response = client.post(
        url, {"title": recheck.title, "opens_on": "2026-05-01", "due_on": "2026-07-31"}
    )
    assert response.status_code == 302
    recheck.refresh_from_db()
    assert recheck.due_on == D(2026, 7, 31)


# --- a report ---------------------------------------------------------------------------------


def test_the_holder_files_the_report_on_its_page(report, coordinator, leader, office_admin):
    url = reverse("rechecks:report", args=[report.pk])
    page = _page(_client(coordinator), url)
    assert "填报年度自查报告" in page and "2026年6月30日前提交" in page
    assert "填报年度自查报告" not in _page(_client(leader), url)
    submit_url = reverse("rechecks:report_submit", args=[report.pk])
    client = _client(coordinator)
    response = client.post(submit_url, {"report_text": "报告", "self_score": "1001"})
    assert response.status_code == 400
    assert "自评得分应在0到1000之间。" in response.content.decode()
    response = client.post(
        submit_url,
        {
            "report_text": "全年开展志愿服务36次。",
            "self_score": "93.5",
            "attachments": [pdf_upload("盖章自查报告.pdf")],
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    page = _page(_client(leader), url)
    assert "全年开展志愿服务36次。" in page and "盖章自查报告.pdf" in page
    file_url = reverse("rechecks:file", args=[report.files.get().pk])
    assert _client(leader).get(file_url).status_code == 200
    # The office admin may read but never file a unit's report.
    assert _client(office_admin).post(submit_url, {}).status_code == 403


def test_late_filing_on_the_page(report, coordinator):
    with travel(AFTER_DUE):
        page = _page(_client(coordinator), reverse("rechecks:report", args=[report.pk]))
        assert "逾期未报" in page and "填报年度自查报告" not in page
        response = _client(coordinator).post(
            reverse("rechecks:report_submit", args=[report.pk]),
            {"report_text": "迟交", "self_score": "90"},
        )
        assert response.status_code == 400
        assert "自查报告的截止日期是2026年6月30日，现已逾期" in response.content.decode()


def test_the_office_decides_and_the_holder_sees_every_step(report, coordinator, office_admin):
    submit(report, coordinator)
    client = _client(office_admin)
    url = reverse("rechecks:report", args=[report.pk])
    page = _page(client, url)
    assert "作出复查结论" in page and "退回修改" in page and "复查打分" in page
    response = client.post(
        reverse("rechecks:report_score", args=[report.pk]),
        {"office_score": "89.5", "comment": "材料较完整。"},
    )
    assert response.status_code == 302
    decide = reverse("rechecks:report_decide", args=[report.pk])
    response = client.post(
        decide,
        {"decision": "rectify", "decided_on": "2026-06-15", "comment": "宣传阵地更新不及时。"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "没有决定文件不能作出该决定" in text and "限期整改请填写整改期限。" in text
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    response = client.post(
        decide,
        {
            "decision": "rectify",
            "decided_on": "2026-06-15",
            "rectify_deadline": "2026-09-30",
            "document_title": "临文明办〔2026〕18号",
            "comment": "宣传阵地更新不及时。",
            "ban_years": "1",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.decision == Decision.RECTIFY
    page = _page(_client(coordinator), url)
    for text in (
        "复查得分89.50分。材料较完整。",
        "宣传阵地更新不及时。",
        "2026年9月30日",
        "限期整改",
    ):
        assert text in page
    assert "整改复核" in _page(client, url)
    response = client.post(
        reverse("rechecks:report_follow_up", args=[report.pk]),
        {
            "passed": "1",
            "followed_up_on": "2026-06-15",
            "comment": "已整改到位。",
            "document_title": "临文明办〔2026〕30号",
        },
    )
    assert response.status_code == 302
    report.honour.refresh_from_db()
    assert report.honour.status == HonourStatus.KEPT


def test_revoking_on_the_page(report, coordinator, office_admin):
    submit(report, coordinator)
    response = _client(office_admin).post(
        reverse("rechecks:report_decide", args=[report.pk]),
        {
            "decision": "revoked",
            "decided_on": "2026-06-15",
            "document_title": "临文明办〔2026〕19号",
            "comment": "发生一票否决事项。",
            "ban_years": "2",
        },
    )
    assert response.status_code == 302
    revocation = report.honour.revocation
    assert revocation.banned_until == D(2028, 12, 31)


def test_confirming_missed_on_the_page(report, office_admin):
    client = _client(office_admin)
    url = reverse("rechecks:report", args=[report.pk])
    assert "确认逾期未报" not in _page(client, url)
    with travel(AFTER_DUE):
        client = _client(office_admin)
        assert "确认逾期未报" in _page(client, url)
        response = client.post(
            reverse("rechecks:report_confirm_missed", args=[report.pk]),
            {"decided_on": "2026-07-05", "document_title": "临文明办〔2026〕20号"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.decision == Decision.ENDED


def test_a_report_page_takes_a_bounded_number_of_queries(report, coordinator, office_admin):
    submit(report, coordinator)
    client = _client(office_admin)
    url = reverse("rechecks:report", args=[report.pk])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) <= 30


# --- documents --------------------------------------------------------------------------------


def _decided(recheck, report, court_report, coordinator, office_admin):  # type: ignore[no-untyped-def]
    submit(report, coordinator)
    services.report_score(report=report, user=office_admin, office_score=Decimal("91"))
    services.report_decide(
        report=report,
        user=office_admin,
        decision=Decision.KEPT,
        comment="",
        decided_on=D(2026, 6, 15),
        document_title="临文明办〔2026〕18号",
    )


def test_the_result_bulletin_groups_the_decisions(
    recheck, report, court_report, coordinator, office_admin
):
    _decided(recheck, report, court_report, coordinator, office_admin)
    with travel(AFTER_DUE):
        response = _client(office_admin).get(reverse("rechecks:result_docx", args=[recheck.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = python_docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2026年度文明单位复查结果的通报" in text
    assert "保留称号的单位（1家）" in text
    assert "临州市市场监督管理局（2023年命名市级文明单位）" in text
    assert "逾期未报送复查材料的单位（1家）" in text
    assert "临州市中级人民法院" in text
    assert "临州市文明办" in text


def test_the_list_workbook(recheck, report, court_report, coordinator, office_admin):
    _decided(recheck, report, court_report, coordinator, office_admin)
    response = _client(office_admin).get(reverse("rechecks:list_xlsx", args=[recheck.pk]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    rows = [[c for c in row] for row in ws.iter_rows(min_row=4, values_only=True)]
    names = [row[1] for row in rows]
    assert set(names) == {"临州市市场监督管理局", "临州市中级人民法院"}
    bureau = rows[names.index("临州市市场监督管理局")]
    assert "保留" in bureau and 91 in bureau
    assert ws.print_title_rows == "$3:$3"
    filtered = _client(office_admin).get(
        reverse("rechecks:list_xlsx", args=[recheck.pk]), {"status": "kept"}
    )
    ws = openpyxl.load_workbook(io.BytesIO(filtered.content)).active
    assert [r[1] for r in ws.iter_rows(min_row=4, values_only=True)] == ["临州市市场监督管理局"]


def test_closing_on_the_recheck_page(recheck, report, court_report, coordinator, office_admin):
    client = _client(office_admin)
    close = reverse("rechecks:close", args=[recheck.pk])
    response = client.post(
        close, {"closed_on": "2026-06-15", "result_title": "临文明办〔2026〕21号"}
    )
    assert response.status_code == 400
    assert "还有2家单位未作出复查结论" in response.content.decode()
    _decided(recheck, report, court_report, coordinator, office_admin)
    with travel(AFTER_DUE):
        services.report_confirm_missed(
            report=court_report,
            user=office_admin,
            decided_on=AFTER_DUE,
            document_title="临文明办〔2026〕20号",
        )
        client = _client(office_admin)
        response = client.post(
            close,
            {
                "closed_on": "2026-07-05",
                "result_title": "临文明办〔2026〕21号",
                "document": pdf_upload("结果通报.pdf"),
            },
        )
        assert response.status_code == 302
        page = _page(client, reverse("rechecks:detail", args=[recheck.pk]))
        assert client.get(reverse("rechecks:result_file", args=[recheck.pk])).status_code == 200
    assert "已结束" in page and "临文明办〔2026〕21号" in page
    assert (
        _client(office_admin).get(reverse("rechecks:result_file", args=[recheck.pk])).status_code
        == 200
    )


# --- navigation -------------------------------------------------------------------------------


def test_navigation_keys(demo, office_admin, coordinator, staff, outsider_admin):
    from wenming.rechecks.nav import nav

    assert nav(office_admin) == {"rechecks_office": True, "rechecks_unit": False}
    assert nav(outsider_admin)["rechecks_office"] is True
    assert nav(coordinator) == {"rechecks_office": False, "rechecks_unit": True}
    assert nav(staff) == {"rechecks_office": False, "rechecks_unit": False}

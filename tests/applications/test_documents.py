"""The documents of 申报: 申报表 and 创建工作总结 (.docx) of an application, 命名决定 and 公示
(公文 .docx) and the list (.xlsx) of a batch. Each opens with python-docx/openpyxl and holds
the key words and names."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.applications.conftest import travel
from wenming.applications import documents
from wenming.core.docx import DOCX_TYPE
from wenming.core.xlsx import CONTENT_TYPE

D = datetime.date


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _download(client: Client, url: str, content_type: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    return response.content


def test_application_form(application, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = _download(
        _client(coordinator),
        reverse("applications:form_docx", args=[application.pk]),
        DOCX_TYPE,
    )
    text = _docx_text(content)
    for words in (
        "2026年度市级文明单位申报表",
        "临州市市场监督管理局",
        "王建国",
        "李文静",
        "0576-88900123",
        "420人",
        "210人",
        "300人",
        "市场监督管理局内设机构18个",
        "2024年 县级文明单位",
        "未提供自评",
        "✓ 连续2年保持县级称号",
        "单位（盖章）",
        "填表日期：2026年6月15日",
    ):
        assert words in text, words


def test_summary(application, coordinator) -> None:  # type: ignore[no-untyped-def]
    application.summary = "第一段，扎实开展道德讲堂。\n\n第二段，志愿服务常态化。"
    application.save()
    content = _download(
        _client(coordinator),
        reverse("applications:summary_docx", args=[application.pk]),
        DOCX_TYPE,
    )
    doc = Document(io.BytesIO(content))
    texts = [p.text for p in doc.paragraphs]
    assert "创建市级文明单位工作总结" in texts[0] and "临州市市场监督管理局" in texts[0]
    assert "第一段，扎实开展道德讲堂。" in texts and "第二段，志愿服务常态化。" in texts
    assert "2026年6月15日" in texts


def test_decision_lists_the_named_units(  # type: ignore[no-untyped-def]
    application, court_application, advance, name, office_admin
) -> None:
    for a in (application, court_application):
        advance(a, "publicized")
    client = _client(office_admin)
    url = reverse("applications:decision_docx", args=[application.batch_id])
    # Before naming: a draft with the units in 公示.
    draft = _docx_text(_download(client, url, DOCX_TYPE))
    assert "关于命名临州市中级人民法院等2家单位为2026年度市级文明单位的决定" in draft
    name(application.batch, [application, court_application])
    with travel(D(2026, 6, 22)):
        text = _docx_text(_download(_client(office_admin), url, DOCX_TYPE))
    assert "关于命名临州市中级人民法院等2家单位为2026年度市级文明单位的决定" in text
    assert "1．临州市中级人民法院" in text and "2．临州市市场监督管理局" in text
    assert "第十批" in text and "有效期3年" in text
    assert "临州市文明办" in text and "2026年6月22日" in text


def test_publicity_notice(application, advance, office_admin) -> None:  # type: ignore[no-untyped-def]
    advance(application, "publicized")
    text = _docx_text(
        _download(
            _client(office_admin),
            reverse("applications:publicity_docx", args=[application.batch_id]),
            DOCX_TYPE,
        )
    )
    assert "关于2026年度市级文明单位拟命名单位的公示" in text
    assert "公示时间：2026年6月15日至2026年6月19日（5个工作日）" in text
    assert "1．临州市市场监督管理局" in text
    assert "如对拟命名单位有异议" in text and "临州市文明办" in text


def test_publicity_notice_before_any_publicity_is_a_draft(batch) -> None:  # type: ignore[no-untyped-def]
    text = _docx_text(documents.publicity_docx(batch))
    assert "××年××月××日" in text and "（暂无）" in text


def test_batch_list(application, court_application, advance, office_admin) -> None:  # type: ignore[no-untyped-def]
    advance(application, "consulted")
    court_application.eligibility = [
        {
            "kind": "no_veto",
            "label": "近2年内无一票否决事项",
            "ok": False,
            "reason": "2025年发生一票否决事项",
        }
    ]
    court_application.summary = '=HYPERLINK("http://x")'
    court_application.principal_name = "=cmd"
    court_application.save()
    content = _download(
        _client(office_admin),
        reverse("applications:list_xlsx", args=[application.batch_id]),
        CONTENT_TYPE,
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.title == "申报名单"
    assert ws.cell(1, 1).value == "2026年度市级文明单位申报 申报名单"
    header = [c.value for c in ws[3]]
    assert header[:4] == ["序号", "单位名称", "状态", "提交时间"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    court = rows["临州市中级人民法院"]
    market = rows["临州市市场监督管理局"]
    assert market[2] == "已征求意见" and market[9] == 91.5 and market[10] == 96.5
    assert market[11] == 1 and market[14] == "符合"
    assert court[14] == "不符合" and "2025年发生一票否决事项" in court[15]
    assert court[4] == "=cmd"  # text, not a formula
    assert ws.print_title_rows == "$3:$3"


def test_unit_people_get_their_own_documents_only(
    application, court_application, coordinator
) -> None:  # type: ignore[no-untyped-def]
    client = _client(coordinator)
    assert client.get(reverse("applications:form_docx", args=[application.pk])).status_code == 200
    other = reverse("applications:form_docx", args=[court_application.pk])
    assert client.get(other).status_code == 404
    batch_list = reverse("applications:list_xlsx", args=[application.batch_id])
    assert client.get(batch_list).status_code == 403

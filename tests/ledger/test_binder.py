"""The binder (装订): ZIP folders with the original bytes and an index, a PDF with a cover,
contents whose page numbers are right even with merged PDF attachments, and the screens
that ask for it, show its progress and hand it over."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from tests.ledger.conftest import docx, jpeg, upload
from wenming.frameworks.models import Node
from wenming.ledger import services
from wenming.ledger.binder import pdf
from wenming.ledger.binder.names import clean
from wenming.ledger.binder.services import export_request
from wenming.ledger.models import BinderExport, ExportStatus

pytestmark = pytest.mark.django_db


def pdf_pages(n: int) -> bytes:
    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(export: BinderExport) -> bytes:
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    with export.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def ledger(make_item, other_task, registry_person):  # type: ignore[no-untyped-def]
    """Two departments' items, one on two standards, one in the recycle bin."""
    photo = jpeg(taken=datetime.datetime(2026, 3, 20, 15, 0))
    food = make_item(
        files=[upload("讲堂现场.jpg", photo), upload("活动方案.docx", docx())],
        title="3月道德讲堂",
    )
    registry = make_item(
        task=other_task,
        user=registry_person,
        files=[upload("窗口.jpg", jpeg((20, 90, 200), pattern=2))],
        title="窗口文明服务月",
        activity_date=datetime.date(2026, 4, 2),
    )
    binned = make_item(files=[upload("作废.jpg", jpeg(pattern=5))], title="作废的台账")
    services.item_remove(item=binned, user=food.created_by)
    return {"food": food, "registry": registry, "photo": photo, "binned": binned}


@pytest.fixture
def registry_person(other_dept_head):  # type: ignore[no-untyped-def]
    return other_dept_head


def test_zip_holds_the_tree_the_original_bytes_and_the_index(ledger, campaign, coordinator):
    export = export_request(campaign=campaign, user=coordinator, format="zip")
    data = read(export)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    food_std = ledger["food"].standards.get()
    photo_path = next(n for n in names if n.endswith("讲堂现场.jpg"))
    parts = PurePosixPath(photo_path).parts
    assert len(parts) == 4
    assert parts[2].startswith(food_std.code) and parts[3] == "3月道德讲堂_1_讲堂现场.jpg"
    assert parts[1].startswith(food_std.parent.code)
    assert parts[0].startswith(food_std.parent.parent.code)
    assert sha(zf.read(photo_path)) == sha(ledger["photo"])
    assert zf.getinfo(photo_path).compress_type == zipfile.ZIP_STORED
    assert not any("作废" in n for n in names)
    assert any(n.endswith("窗口文明服务月_1_窗口.jpg") for n in names)
    # A standard without evidence still has its folder, so the gap shows.
    assert sum(1 for n in names if n.endswith("/")) > 10
    for n in names:
        assert not re.search(r'[\\:*?"<>|]', n)

    book = load_workbook(io.BytesIO(zf.read("台账目录.xlsx")))
    ws = book.active
    header = [c.value for c in ws[2]]
    assert header[:4] == ["测评项目", "测评内容", "测评标准", "台账名称"]
    assert header[-2:] == ["ZIP内路径", "SHA-256"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert len(rows) == 3 == export.file_count
    by_path = {r[10]: r for r in rows}
    photo_row = by_path[photo_path]
    assert photo_row[3] == "3月道德讲堂"
    assert photo_row[5] == "食品安全监管科"
    assert photo_row[6] == "待审核"
    assert photo_row[8] == "照片"
    assert photo_row[11] == sha(ledger["photo"])
    assert export.item_count == 2


def test_an_item_proving_two_standards_is_in_both_folders(ledger, campaign, coordinator):
    second = Node.objects.filter(framework=campaign.framework, is_leaf=True).order_by("position")[5]
    ledger["food"].standards.add(second)
    export = export_request(campaign=campaign, user=coordinator, format="zip")
    names = zipfile.ZipFile(io.BytesIO(read(export))).namelist()
    photos = [n for n in names if n.endswith("讲堂现场.jpg")]
    assert len(photos) == 2
    assert any(f"/{second.code} " in p for p in photos)


def test_department_zip_leaves_out_other_departments(ledger, campaign, coordinator, demo):
    export = export_request(
        campaign=campaign, user=coordinator, format="zip", department=demo["food"]
    )
    names = zipfile.ZipFile(io.BytesIO(read(export))).namelist()
    assert any("讲堂现场" in n for n in names)
    assert not any(n.endswith("窗口.jpg") for n in names)


def test_chosen_standards_and_approved_only(ledger, campaign, coordinator):
    services.item_approve(item=ledger["registry"], user=coordinator)
    export = export_request(
        campaign=campaign,
        user=coordinator,
        format="zip",
        standards=list(ledger["food"].standards.all()) + list(ledger["registry"].standards.all()),
        approved_only=True,
    )
    zf = zipfile.ZipFile(io.BytesIO(read(export)))
    files = [n for n in zf.namelist() if not n.endswith("/") and n != "台账目录.xlsx"]
    assert len(files) == 1 and files[0].endswith("窗口.jpg")
    assert len({n.split("/")[0] for n in zf.namelist() if "/" in n}) == 1


def test_names_are_safe_for_windows():
    assert clean('a/b\\c:d*e?f"g<h>i|j\x00k', 60) == "a_b_c_d_e_f_g_h_i_j k".replace(" ", "")
    assert len(clean("很" * 100, 60)) == 60
    assert clean(" . ", 60) == "未命名"


def _page_of(reader: PdfReader, text: str, start: int) -> int:
    for i in range(start, len(reader.pages)):
        if text in reader.pages[i].extract_text().replace("\n", ""):
            return i + 1
    raise AssertionError(f"{text} not found")


@pytest.mark.parametrize("chunk_weight", [pdf.CHUNK_WEIGHT, 1])
def test_pdf_binder_has_cover_contents_and_merged_pages(
    ledger, make_item, campaign, coordinator, tmp_path, monkeypatch, chunk_weight
):
    # Laid out in one run per 测评项目 or, with weight 1, in as many runs as it can be split.
    monkeypatch.setattr(pdf, "CHUNK_WEIGHT", chunk_weight)
    attached = pdf_pages(3)
    make_item(
        files=[upload("会议纪要.pdf", attached, "application/pdf")],
        title="创建工作专题会议纪要",
        activity_date=datetime.date(2026, 3, 25),
    )
    export = export_request(campaign=campaign, user=coordinator, format="pdf")
    data = read(export)
    (tmp_path / "binder.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    cover = reader.pages[0].extract_text().replace(" ", "")
    assert "创建台账汇编" in cover and "临州市市场监督管理局" in cover
    assert campaign.title in cover.replace("\n", "")
    toc = reader.pages[1].extract_text().replace(" ", "")
    assert "目录" in toc
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    for title in ("3月道德讲堂", "窗口文明服务月", "创建工作专题会议纪要", "（暂无台账）"):
        assert title in text
    assert "作废的台账" not in text

    # The attachment's 3 pages are in, after its item, each carrying the binder's footer.
    slots = [i for i, p in enumerate(reader.pages) if "附件：会议纪要.pdf" in p.extract_text()]
    assert len(slots) == 3 and slots == list(range(slots[0], slots[0] + 3))
    assert f"第 {slots[0] + 1} 页" in reader.pages[slots[0]].extract_text()

    # The contents' page number for a standard after the attachment is its real page.
    later = ledger["registry"].standards.get()
    toc_text = "".join(reader.pages[i].extract_text() for i in range(1, 6))
    line = next(ln for ln in toc_text.splitlines() if ln.startswith(later.code + " "))
    listed = int(re.search(r"(\d+)\s*$", line).group(1))  # type: ignore[union-attr]
    heading = f"{later.code} {later.title[:12]}"
    assert listed == _page_of(reader, heading, start=slots[0])
    assert listed > slots[-1] + 1
    # The footer of that page agrees, and every page after the cover is numbered in order.
    assert f"第 {listed} 页" in reader.pages[listed - 1].extract_text()
    for number in range(2, len(reader.pages) + 1):
        assert f"第 {number} 页" in reader.pages[number - 1].extract_text()
    assert export.item_count == 3


def test_services_refuse_bad_scopes(campaign, staff, demo, coordinator):
    with pytest.raises(ValidationError, match="只能导出本部门"):
        export_request(campaign=campaign, user=staff, format="zip", department=demo["registry"])
    with pytest.raises(ValidationError, match="只能导出本部门"):
        export_request(campaign=campaign, user=staff, format="zip")
    other = Node.objects.exclude(framework=campaign.framework).filter(is_leaf=True).first()
    item_node = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    for bad in [n for n in (other, item_node) if n is not None]:
        with pytest.raises(ValidationError, match="不是本次创建测评体系中的测评标准"):
            export_request(campaign=campaign, user=coordinator, format="zip", standards=[bad])
    with pytest.raises(ValidationError, match="不是临州市市场监督管理局的部门"):
        export_request(
            campaign=campaign, user=coordinator, format="zip", department=demo["other_unit"]
        )
    assert not BinderExport.objects.exists()


# --- screens ------------------------------------------------------------------------------


def test_coordinator_exports_watches_and_downloads(
    ledger, campaign, coordinator, as_user, django_assert_max_num_queries
):
    client = as_user(coordinator)
    url = reverse("binder:new", args=[campaign.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "全单位（所有部门）" in body and "2026年" in body

    response = client.post(url, {"format": "zip", "year": "2026"})
    export = BinderExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "binder:detail", args=[export.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "下载ZIP文件夹" in detail and "every 1s" not in detail
    partial = client.get(reverse("binder:progress", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in partial.content.decode()

    download = client.get(reverse("binder:download", args=[export.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == read(export)  # type: ignore[attr-defined]
    disposition = unquote(download["Content-Disposition"])
    assert "临州市市场监督管理局台账汇编_" in disposition and disposition.endswith(".zip")

    # Many exports later, the list still costs a bounded number of queries.
    for _ in range(5):
        export_request(campaign=campaign, user=coordinator, format="zip")
    with django_assert_max_num_queries(20):
        listing = client.get(url)
    assert listing.content.decode().count(">下载<") == 6


def test_running_export_polls(campaign, coordinator, as_user):
    export = BinderExport.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        format="pdf",
        requested_by=coordinator,
        status=ExportStatus.RUNNING,
        progress=40,
        stage="正在处理照片和附件（4/10）",
    )
    body = as_user(coordinator).get(reverse("binder:detail", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and "40%" in body and "（4/10）" in body
    download = as_user(coordinator).get(reverse("binder:download", args=[export.pk]))
    assert download.status_code == 404


def test_staff_exports_only_their_department(
    ledger, campaign, staff, demo, as_user, other_dept_head
):
    client = as_user(staff)
    url = reverse("binder:new", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "食品安全监管科" in page and "全单位（所有部门）" not in page
    refused = client.post(url, {"format": "zip", "department": demo["registry"].pk})
    assert refused.status_code == 200
    assert "您只能导出本部门的台账" in refused.content.decode()
    assert not BinderExport.objects.exists()

    client.post(url, {"format": "zip", "department": demo["food"].pk})
    export = BinderExport.objects.get()
    names = zipfile.ZipFile(io.BytesIO(read(export))).namelist()
    assert not any(n.endswith("窗口.jpg") for n in names)
    # Another department's person is told nothing about it.
    other = as_user(other_dept_head)
    for name in ("binder:detail", "binder:progress", "binder:download"):
        assert other.get(reverse(name, args=[export.pk])).status_code == 404
    # The other department's list does not show it either.
    assert f"/binder/{export.pk}/" not in other.get(url).content.decode()


def test_failed_build_says_so_in_chinese(ledger, campaign, coordinator, as_user, monkeypatch: Any):

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client = as_user(coordinator)
    client.post(reverse("binder:new", args=[campaign.pk]), {"format": "pdf"})
    export = BinderExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert export.error.startswith("生成失败：") and "请联系管理员" in export.error
    body = client.get(reverse("binder:detail", args=[export.pk])).content.decode()
    assert "生成失败：" in body and "every 1s" not in body

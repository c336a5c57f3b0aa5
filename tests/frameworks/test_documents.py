"""Every uploaded format read into tables (`documents.read_document`), and every bad file
refused with a message that says what it is and what to do.

The documents are built here: openpyxl workbooks, python-docx documents with their table XML
edited (gridBefore, vMerge across two tables, deleted revisions), hand-written .ods and OLE2
files (a password-protected Office file is an OLE2 file with EncryptionInfo and
EncryptedPackage streams; an encrypted .xls has a FILEPASS record). LibreOffice turns
workbooks into .xls/.ods and a document into .doc when it is installed (CI installs it);
those tests are skipped without it.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import subprocess
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordFile
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import PatternFill
from PIL import Image

from wenming.frameworks.io import documents
from wenming.frameworks.io.formats import convert, sheets
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.io.tables import Document, Merge, Table

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.usefixtures("soffice_required")
HEADER = ["测评项目", "测评内容", "测评标准", "分值"]


def refused(content: bytes, filename: str) -> str:
    """The one problem's sentence as a user reads it (with its sheet, when it has one)."""
    with pytest.raises(ImportFailed) as failed:
        documents.read_document(content, filename)
    assert len(failed.value.problems) == 1
    return str(failed.value.problems[0])


def workbook(build: Callable[[Workbook], None]) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def word(build: Callable[[Any], None]) -> bytes:
    document = WordFile()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def sample_book(book: Workbook) -> None:
    """A cover sheet, then the system: a title merged across, the header in row 3, item
    cells merged down, a SUM saved without its result, a hidden sheet."""
    cover = book.active
    cover.title = "说明"
    cover["A1"] = "填表说明：按测评标准逐项打分"
    sheet = book.create_sheet("基本指标")
    sheet["A1"] = "XX市文明单位测评体系（2025年版）"
    sheet.merge_cells("A1:D1")
    for col, text in enumerate(HEADER, start=1):
        sheet.cell(3, col, text)
    sheet.append(["一、组织领导（4.5分）", "领导重视", "成立领导小组", 3])
    sheet.append([None, "制度健全", "建立工作制度", 1.5])
    sheet.merge_cells("A4:A5")
    sheet.append(["合计", None, None, "=SUM(D4:D5)"])
    sheet["E4"] = dt.datetime(2025, 3, 1)
    hidden = book.create_sheet("旧版")
    hidden.sheet_state = "hidden"
    hidden["B3"] = "旧内容"


def sample_document(document: Any) -> None:
    document.add_paragraph("附件1")
    document.add_paragraph("XX市文明单位测评体系")
    table = document.add_table(rows=5, cols=4)
    for col, text in enumerate(HEADER):
        table.cell(0, col).text = text
    table.cell(1, 0).merge(table.cell(3, 0)).text = "一、组织领导（10分）"
    table.cell(1, 1).text = "（一）领导重视"
    table.cell(1, 2).text = "1.成立领导小组"
    table.cell(1, 3).text = "3"
    table.cell(2, 1).text = "（二）制度"
    cell = table.cell(2, 2)
    cell.text = "2.建立工作制度"
    cell.add_paragraph("")
    cell.add_paragraph("每缺一项扣1分")
    table.cell(2, 3).text = "3"
    table.cell(3, 1).merge(table.cell(3, 2)).text = "宣传教育"
    table.cell(3, 3).text = "4"
    table.cell(4, 0).merge(table.cell(4, 3)).text = "特色创建（加分项，最高加10分）"
    document.add_paragraph("")
    document.add_paragraph("注：有下列情形之一的，实行一票否决：")
    document.add_paragraph("1.发生重大安全事故的。")


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3) holding the given top-level streams, each
    padded to 4,096 bytes so it lives in ordinary sectors."""
    sector = 512
    data = [s + b"\0" * (max(4096, len(s) + -len(s) % sector) - len(s)) for s in streams.values()]
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT; sector 1: the directory
    starts = []
    for blob in data:
        count = len(blob) // sector
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    assert len(fat) <= 128 and len(streams) <= 3
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 76, 0, *([0xFFFFFFFF] * 108))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<IQ", raw, 116, start, size)
        return bytes(raw)

    names = list(streams)
    directory = entry("Root Entry", 5, 0xFFFFFFFF, 1 if names else 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, right, 0xFFFFFFFF, starts[i], len(data[i]))
    directory += b"\0" * (sector - len(directory))
    return bytes(header) + struct.pack("<128I", *fat) + directory + b"".join(data)


def biff_record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def ods(tables: str, styles: str = "") -> bytes:
    """A hand-written .ods: content.xml with the given <table:table> elements."""
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} '
        f'office:version="1.2"><office:automatic-styles>{styles}</office:automatic-styles>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def text_cell(text: str, extra: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {extra}><text:p>{text}</text:p></table:table-cell>'


def number_cell(value: str, extra: str = "") -> str:
    return f'<table:table-cell office:value-type="float" office:value="{value}" {extra}/>'


def converted(sources: dict[str, bytes], target: str, tmp: Path) -> dict[str, bytes]:
    """The sources converted by LibreOffice in one run (each name must be unique)."""
    tmp.mkdir(parents=True)
    for name, content in sources.items():
        (tmp / name).write_bytes(content)
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp / "out"),
            *[str(tmp / n) for n in sources],
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {n: (tmp / "out" / f"{Path(n).stem}.{target}").read_bytes() for n in sources}


def assert_sample_sheets(document: Document) -> None:
    cover, basic, hidden = document.tables
    assert [t.kind for t in document.tables] == ["sheet"] * 3
    assert (cover.name, cover.rows, cover.row_numbers) == (
        "说明",
        [["填表说明：按测评标准逐项打分"]],
        [1],
    )
    assert basic.name == "基本指标" and not basic.hidden and hidden.hidden
    assert basic.row_numbers == [1, 2, 3, 4, 5, 6]
    assert basic.rows[0] == ["XX市文明单位测评体系（2025年版）"]
    assert basic.rows[1] == []
    assert basic.rows[2] == HEADER
    assert basic.rows[3] == [
        "一、组织领导（4.5分）",
        "领导重视",
        "成立领导小组",
        3,
        dt.date(2025, 3, 1),
    ]
    assert basic.rows[4] == [None, "制度健全", "建立工作制度", Decimal("1.5")]
    assert basic.rows[5] == ["合计", None, None, Decimal("4.5")]
    assert isinstance(basic.rows[3][3], int)
    assert sorted(basic.merges, key=lambda m: m.first_row) == [Merge(0, 0, 0, 3), Merge(3, 0, 4, 0)]
    assert basic.filled(4, 0) == "一、组织领导（4.5分）"
    assert basic.problems == []
    assert (hidden.rows, hidden.row_numbers) == ([[None, "旧内容"]], [3])


# -- .xlsx -------------------------------------------------------------------------------------


def test_xlsx_every_sheet_with_merges_values_and_its_own_row_numbers() -> None:
    document = documents.read_document(workbook(sample_book), "体系.xlsx")
    assert (document.kind, document.filename, document.paragraphs) == ("xlsx", "体系.xlsx", [])
    assert_sample_sheets(document)  # the SUM saved without a result is computed: 4.5


def test_xlsx_formula_without_a_result_is_computed_or_reported_never_empty() -> None:
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.title = "评分表"
        sheet.append(["项目", "分值", "备注"])
        sheet.append(["甲", 2, "=SUM(B2:B3)"])  # a SUM that includes itself: not computed
        sheet.append(["乙", "3分", None])
        sheet.append(["小计", "=SUM(B2:B2)", "=B2*2"])
        sheet.append(["合计", "=SUM(B2,B4)", "=SUM(B2:B3)"])

    table = documents.read_document(workbook(build), "x.xlsx").tables[0]
    assert table.rows[3][1] == 2 and table.rows[4][1] == 4  # B4 and B5 computed
    assert {(p.row, p.col) for p in table.problems} == {(1, 2), (3, 2), (4, 2)}
    message = next(p.message for p in table.problems if (p.row, p.col) == (3, 2))
    assert message == (
        "第4行第C列是公式，但文件中没有保存计算结果，请用 Excel 或 WPS 打开后保存再导入"
    )
    assert table.filled(3, 2) is None  # no value: the problem above says why


def replace_sheet_xml(content: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, edit(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def test_xlsx_shared_formula_without_results() -> None:
    def build(book: Workbook) -> None:
        book.active.append([1, 10])
        book.active.append([2, 20])

    shared = (
        b'<row r="3"><c r="A3"><f t="shared" ref="A3:B3" si="0">SUM(A1:A2)</f></c>'
        b'<c r="B3"><f t="shared" si="0"/></c></row></sheetData>'
    )
    content = replace_sheet_xml(workbook(build), lambda xml: xml.replace(b"</sheetData>", shared))
    table = documents.read_document(content, "x.xlsx").tables[0]
    assert table.rows == [[1, 10], [2, 20], [3, 30]] and table.problems == []


def test_xlsx_50000_empty_formatted_rows_are_cheap() -> None:
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(["组织领导", "领导重视", "成立领导小组", 3])
        sheet["A3"].fill = PatternFill("solid", fgColor="FFFF00")

    def add_rows(xml: bytes) -> bytes:
        style = xml.split(b'<c r="A3" s="')[1].split(b'"')[0].decode()
        rows = "".join(
            f'<row r="{n}" s="{style}" customFormat="1">'
            + "".join(f'<c r="{c}{n}" s="{style}"/>' for c in "ABCDEFGH")
            + "</row>"
            for n in range(4, 50_004)
        )
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    content = replace_sheet_xml(workbook(build), add_rows)
    started = time.perf_counter()
    table = documents.read_document(content, "styled.xlsx").tables[0]
    assert time.perf_counter() - started < 2
    assert table.rows == [HEADER, ["组织领导", "领导重视", "成立领导小组", 3]]


def test_a_sheet_of_more_than_20000_rows_is_refused() -> None:
    def add_rows(xml: bytes) -> bytes:
        rows = "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>第{n}条</t></is></c></row>'
            for n in range(2, 20_003)
        )
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    def build(book: Workbook) -> None:
        book.active.title = "明细"
        book.active["A1"] = "测评标准"

    content = replace_sheet_xml(workbook(build), add_rows)
    assert refused(content, "体系.xlsx") == (
        "工作表“明细”：超过20000行，不像是测评体系；请只保留测评体系本身后再导入"
    )


def test_xlsx_zip_bombs_are_refused_before_parsing() -> None:
    content = workbook(sample_book)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        with new.open("xl/media/image1.png", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 24)
            for _ in range(13):  # 208 MB of zeros, about 200 KB compressed
                member.write(zeros)
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    message = refused(bomb, "体系.xlsx")
    assert time.perf_counter() - started < 0.5
    assert message.startswith("文件解压后约 208MB，超过200MB 的上限")

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as many:
        many.writestr("[Content_Types].xml", "<Types/>")
        many.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(10_001):
            many.writestr(f"xl/x{i}.xml", "")
    assert "部件过多" in refused(out.getvalue(), "体系.xlsx")

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as strings:
        strings.writestr("[Content_Types].xml", "<Types/>")
        strings.writestr("xl/workbook.xml", "<workbook/>")
        strings.writestr("xl/sharedStrings.xml", "<sst>" + "a" * 11_000_000 + "</sst>")
    assert "“xl/sharedStrings.xml”部分解压后约 10MB" in refused(out.getvalue(), "体系.xlsx")


def test_image_only_workbook_and_document_are_scans() -> None:
    picture = png()

    def build_book(book: Workbook) -> None:
        book.active.add_image(SheetImage(io.BytesIO(picture)), "A1")

    def build_document(document: Any) -> None:
        document.add_paragraph("附件")
        document.add_picture(io.BytesIO(picture))
        document.add_picture(io.BytesIO(picture))

    def build_framed(document: Any) -> None:
        frame = document.add_table(rows=1, cols=1)
        frame.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(picture))

    scanned = "这份文件是扫描件或图片，平台无法读取其中的文字，请向文明办索取 Word 或 Excel 电子版"
    assert refused(workbook(build_book), "扫描.xlsx") == scanned
    assert refused(word(build_document), "扫描.docx") == scanned
    assert refused(word(build_framed), "扫描.docx") == scanned
    assert "都是空的" in refused(workbook(lambda book: None), "空.xlsx")


# -- .docx -------------------------------------------------------------------------------------


def test_docx_tables_on_their_grid_with_spans_merges_and_the_text_around() -> None:
    document = documents.read_document(word(sample_document), "体系.docx")
    assert document.kind == "docx"
    assert document.paragraphs == [
        "附件1",
        "XX市文明单位测评体系",
        "注：有下列情形之一的，实行一票否决：",
        "1.发生重大安全事故的。",
    ]
    (table,) = document.tables
    assert (table.kind, table.name, table.row_numbers) == ("table", "表格1", [1, 2, 3, 4, 5])
    assert table.rows == [
        HEADER,
        ["一、组织领导（10分）", "（一）领导重视", "1.成立领导小组", "3"],
        [None, "（二）制度", "2.建立工作制度\n每缺一项扣1分", "3"],
        [None, "宣传教育", None, "4"],
        ["特色创建（加分项，最高加10分）"],
    ]
    assert sorted(table.merges, key=lambda m: (m.first_row, m.first_col)) == [
        Merge(1, 0, 3, 0),
        Merge(3, 1, 3, 2),
        Merge(4, 0, 4, 3),
    ]
    assert table.filled(3, 0) == "一、组织领导（10分）" and table.filled(4, 2).startswith("特色")
    assert table.before == ["附件1", "XX市文明单位测评体系"]
    assert table.after == ["注：有下列情形之一的，实行一票否决：", "1.发生重大安全事故的。"]


def test_docx_grid_before_tables_split_by_a_page_and_revisions() -> None:
    def build(document: Any) -> None:
        first = document.add_table(rows=3, cols=3)
        for col, text in enumerate(["测评项目", "测评标准", "分值"]):
            first.cell(0, col).text = text
        first.cell(1, 0).merge(first.cell(2, 0)).text = "组织领导"
        first.cell(1, 1).text = "标准一"
        first.cell(2, 1).text = "标准二"
        # Row 3 starts one grid column in (w:gridBefore) and holds two cells only.
        row = first.rows[2]._tr
        row.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/></w:trPr>'))
        row.remove(row.findall(qn("w:tc"))[0])
        first.cell(1, 2).text = "2"
        paragraph = first.cell(1, 1).paragraphs[0]._p
        paragraph.append(
            parse_xml(f"<w:del {nsdecls('w')}><w:r><w:delText>（删去）</w:delText></w:r></w:del>")
        )
        document.add_paragraph("（续表）")
        second = document.add_table(rows=2, cols=3)
        second.cell(0, 0).text = ""
        second.cell(0, 1).text = "标准三"
        second.cell(0, 2).text = "1"
        second.cell(1, 1).text = "标准四"
        inner = second.cell(1, 2).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "内表"
        inner.cell(0, 1).text = "文字"
        # Word leaves the merged item cell of a page break as "continue" with no restart above.
        tc_pr = second.cell(0, 0)._tc.get_or_add_tcPr()
        tc_pr.append(parse_xml(f"<w:vMerge {nsdecls('w')}/>"))

    first, second = documents.read_document(word(build), "体系.docx").tables
    assert first.rows == [
        ["测评项目", "测评标准", "分值"],
        ["组织领导", "标准一", "2"],
        [None, "标准二"],
    ]
    assert first.merges == [] and first.after == ["（续表）"] and second.before == ["（续表）"]
    assert second.name == "表格2"
    assert second.rows == [[None, "标准三", "1"], [None, "标准四", "内表\n文字"]]
    assert second.merges == [] and second.row_numbers == [1, 2]


def test_1000_row_docx_table_reads_fast() -> None:
    def build(document: Any) -> None:
        table = document.add_table(rows=1, cols=5)
        for col, text in enumerate(["编号", *HEADER]):
            table.cell(0, col).text = text
        body = table._tbl
        template = body.findall(qn("w:tr"))[0]
        for n in range(1, 1001):
            row = parse_xml(template.xml)
            for col, tc in enumerate(row.findall(qn("w:tc"))):
                tc.find(qn("w:p")).clear()
                text = [
                    f"A{n}",
                    f"项目{n // 50}",
                    f"内容{n // 10}",
                    f"第{n}条测评标准，内容较长" * 3,
                    "1",
                ][col]
                tc.find(qn("w:p")).append(
                    parse_xml(
                        f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="21"/></w:rPr><w:t>{text}</w:t></w:r>'
                    )
                )
            body.append(row)

    content = word(build)
    started = time.perf_counter()
    (table,) = documents.read_document(content, "大表.docx").tables
    elapsed = time.perf_counter() - started
    assert len(table.rows) == 1001 and table.row_numbers[-1] == 1001
    assert table.rows[1000][0] == "A1000"
    assert elapsed < 1, f"{elapsed:.2f}s"


# -- what the content really is ---------------------------------------------------------------


def test_the_content_decides_the_format_not_the_name() -> None:
    assert documents.read_document(word(sample_document), "体系.xlsx").kind == "docx"
    as_xls = documents.read_document(workbook(sample_book), "体系.xls")
    assert as_xls.kind == "xlsx"
    assert_sample_sheets(as_xls)
    assert documents.read_document(workbook(sample_book), "体系.et").kind == "xlsx"


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (
            b"%PDF-1.7\n...",
            "体系.docx",
            "这是 PDF 文件，平台无法从 PDF 中读取表格，请上传文明办下发的 Word 或 Excel 原件",
        ),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "体系.xlsx", "这是图片文件（JPEG）"),
        (b"<html><body><table><tr><td>1</td></tr></table>", "体系.xls", "这是网页（HTML）文件"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "体系.xls",
            "这是 Excel 2003 XML 表格",
        ),
        ("测评项目,分值\n组织领导,10\n".encode("gb18030"), "体系.csv", "这是纯文本文件"),
        (b"", "体系.xlsx", "上传的文件是空的"),
        (b"Rar!\x1a\x07\x00", "体系.xlsx", "这是压缩包（RAR）"),
        (b"\x00\x01\x02\x03binary", "体系.xlsx", "无法识别文件“体系.xlsx”的格式"),
    ],
)
def test_files_that_are_not_office_documents_say_what_they_are(
    content: bytes, filename: str, expected: str
) -> None:
    assert refused(content, filename).startswith(expected)


def test_other_zip_packages() -> None:
    def package(*names: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in names:
                archive.writestr(name, "<x/>")
        return out.getvalue()

    assert "另存为 .xlsx" in refused(package("xl/workbook.bin", "[Content_Types].xml"), "a.xlsx")
    assert "PowerPoint" in refused(package("ppt/presentation.xml"), "a.docx")
    assert "OFD 版式文件" in refused(package("OFD.xml"), "a.docx")
    assert "请解压后上传" in refused(package("体系.xlsx"), "a.xlsx")
    assert "无法识别这个 Office 文件" in refused(package("[Content_Types].xml"), "a.docx")
    assert "损坏" in refused(b"PK\x03\x04garbage", "a.xlsx")
    assert "损坏" in refused(package("[Content_Types].xml", "xl/workbook.xml"), "a.xlsx")


def test_password_protected_files() -> None:
    password = "该文件设置了打开密码，请取消密码后另存再导入"
    # Excel, Word or WPS 2007+ with a password: an OLE2 file holding the encrypted package.
    ooxml = compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\0" * 5000})
    assert refused(ooxml, "体系.xlsx") == password
    assert refused(ooxml, "体系.docx") == password
    # An .xls with a password: a FILEPASS record right after the workbook's BOF.
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    xls = compound_file({"Workbook": bof + biff_record(0x002F, b"\x01\x00" + b"\0" * 52)})
    assert refused(xls, "体系.xls") == password
    # A .doc with a password: fEncrypted in the WordDocument stream's FIB.
    fib = struct.pack("<6H", 0xA5EC, 0x00C1, 0, 0x0804, 0, 0x0100)
    assert refused(compound_file({"WordDocument": fib, "1Table": b""}), "体系.doc") == password


def test_doc_and_wps_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    doc = compound_file({"WordDocument": struct.pack("<6H", 0xA5EC, 0x00C1, 0, 0x0804, 0, 0)})
    expected = "该文件是旧版 Word（.doc/.wps）格式，服务器未安装转换组件，请用 Word 或 WPS 另存为 .docx 后再导入"
    assert refused(doc, "体系.doc") == expected
    assert refused(doc, "体系.wps") == expected
    assert "RTF" in refused(b"{\\rtf1\\ansi hello}", "体系.doc")


def test_conversion_that_hangs_or_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    doc = compound_file({"WordDocument": struct.pack("<6H", 0xA5EC, 0x00C1, 0, 0x0804, 0, 0)})
    hangs, fails = tmp_path / "hangs", tmp_path / "fails"
    hangs.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    fails.write_text("#!/bin/sh\nexit 0\n")
    hangs.chmod(0o755)
    fails.chmod(0o755)
    monkeypatch.setattr(convert, "TIMEOUT", 0.5)
    monkeypatch.setattr(convert, "soffice_path", lambda: str(hangs))
    started = time.perf_counter()
    assert refused(doc, "体系.doc").startswith("转换文件超时")
    assert time.perf_counter() - started < 5
    monkeypatch.setattr(convert, "soffice_path", lambda: str(fails))
    assert refused(doc, "体系.doc") == (
        "无法转换该文件，文件可能已损坏；请用 Word 或 WPS 另存为 .docx 后再导入"
    )


def test_damaged_ole_files() -> None:
    damaged = "文件已损坏，无法作为 Excel 或 Word 文件读取"
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "体系.xls").startswith(
        damaged
    )
    assert refused(compound_file({"Other": b"x"}), "体系.xls").startswith(
        "这个文件不是 Excel 或 Word 文档"
    )
    # A Workbook stream calamine and xlrd both reject, with no LibreOffice to convert it.
    broken = compound_file({"Workbook": b"\x12\x34\x56" * 2000})
    original = convert.soffice_path
    try:
        convert.soffice_path = lambda: None  # type: ignore[assignment]
        assert refused(broken, "体系.xls").startswith("文件已损坏，无法作为 Excel 表格读取")
    finally:
        convert.soffice_path = original  # type: ignore[assignment]


# -- .ods written by hand ----------------------------------------------------------------------


def test_ods_sheets_merges_hidden_and_repeats() -> None:
    hidden_style = (
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
    )
    across, down = 'table:number-columns-spanned="3"', 'table:number-rows-spanned="2"'
    first = (
        '<table:table table:name="基本指标">'
        f"<table:table-row>{text_cell('XX市测评体系', across)}"
        '<table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f"<table:table-row>{text_cell('测评项目')}{text_cell('测评标准')}{text_cell('分值')}</table:table-row>"
        f"<table:table-row>{text_cell('组织领导', down)}{text_cell('标准一')}{number_cell('3')}</table:table-row>"
        f"<table:table-row><table:covered-table-cell/>{text_cell('标准二')}{number_cell('1.5')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>'
        "</table:table>"
    )
    second = f'<table:table table:name="旧版" table:style-name="ta2"><table:table-row>{text_cell("旧")}</table:table-row></table:table>'
    document = documents.read_document(ods(first + second, hidden_style), "体系.ods")
    assert document.kind == "ods"
    basic, old = document.tables
    assert basic.row_numbers == [1, 2, 3, 4, 5, 6]
    assert basic.rows == [
        ["XX市测评体系"],
        [],
        [],
        ["测评项目", "测评标准", "分值"],
        ["组织领导", "标准一", 3],
        [None, "标准二", Decimal("1.5")],
    ]
    assert basic.merges == [Merge(0, 0, 0, 2), Merge(4, 0, 5, 0)]
    assert not basic.hidden and old.hidden and old.rows == [["旧"]]


def test_ods_with_a_password() -> None:
    content = ods('<table:table table:name="S1"/>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(b"/>", b"><manifest:encryption-data/></manifest:file-entry>")
            new.writestr(info, data)
    assert refused(out.getvalue(), "体系.ods") == "该文件设置了打开密码，请取消密码后另存再导入"


def test_ods_bomb_refused_before_calamine_expands_it() -> None:
    repeated = 'table:number-columns-repeated="1000"'
    bomb = (
        '<table:table table:name="S1"><table:table-row table:number-rows-repeated="100000">'
        f"{number_cell('1', repeated)}</table:table-row></table:table>"
    )
    started = time.perf_counter()
    message = refused(ods(bomb), "体系.ods")
    assert time.perf_counter() - started < 0.5
    assert message.startswith("工作表“S1”：数据范围达到100000行×1000列，不像是测评体系")


# -- through LibreOffice: .xls, .ods, .doc ----------------------------------------------------


def big_book(book: Workbook) -> None:
    sheet = book.active
    sheet.title = "测评体系"
    sheet.append(["编号", *HEADER])
    for n in range(1, 1001):
        sheet.append([f"A{n}", f"项目{n // 50}", f"内容{n // 10}", f"第{n}条测评标准", 1])
    for start in range(2, 1002, 50):
        sheet.merge_cells(start_row=start, start_column=2, end_row=start + 49, end_column=2)


def bomb_book(book: Workbook) -> None:
    book.active["A1"] = "测评项目"
    book.active["IV65536"] = 1


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if SOFFICE is None:
        pytest.fail("读取 .xls/.doc 需要 LibreOffice（soffice）：请运行 scripts/ensure_system.sh")
    tmp = tmp_path_factory.mktemp("soffice")
    books = {
        "sample.xlsx": workbook(sample_book),
        "big.xlsx": workbook(big_book),
        "bomb.xlsx": workbook(bomb_book),
    }
    found = {f"{Path(n).stem}.xls": c for n, c in converted(books, "xls", tmp / "xls").items()}
    found["sample.ods"] = converted({"sample.xlsx": books["sample.xlsx"]}, "ods", tmp / "ods")[
        "sample.xlsx"
    ]

    def with_tail(document: Any) -> None:
        sample_document(document)
        document.add_paragraph("（完）")

    found["sample.doc"] = converted({"sample.docx": word(with_tail)}, "doc", tmp / "doc")[
        "sample.docx"
    ]
    return found


@needs_soffice
def test_xls_and_et_through_calamine(office_files: dict[str, bytes]) -> None:
    document = documents.read_document(office_files["sample.xls"], "体系.xls")
    assert document.kind == "xls"
    assert_sample_sheets(document)  # LibreOffice computed and saved the SUM
    assert documents.read_document(office_files["sample.xls"], "体系.et").kind == "et"
    assert documents.read_document(office_files["sample.xls"], "体系.xlsx").kind == "xls"


@needs_soffice
def test_xls_through_xlrd_when_calamine_fails(
    office_files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(content: bytes) -> list[Table]:
        raise ValueError("calamine cannot read this file")

    monkeypatch.setattr(sheets, "_xls_calamine", broken)
    assert_sample_sheets(documents.read_document(office_files["sample.xls"], "体系.xls"))


@needs_soffice
def test_xls_converted_by_libreoffice_when_neither_parser_can_read_it(
    office_files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(content: bytes) -> list[Table]:
        raise ValueError("cannot read this file")

    monkeypatch.setattr(sheets, "_xls_calamine", broken)
    monkeypatch.setattr(sheets, "_xls_xlrd", broken)
    document = documents.read_document(office_files["sample.xls"], "体系.xls")
    assert document.kind == "xls"
    assert_sample_sheets(document)


@needs_soffice
def test_ods_from_libreoffice(office_files: dict[str, bytes]) -> None:
    document = documents.read_document(office_files["sample.ods"], "体系.ods")
    assert document.kind == "ods"
    assert_sample_sheets(document)


@needs_soffice
def test_doc_and_wps_converted(office_files: dict[str, bytes]) -> None:
    document = documents.read_document(office_files["sample.doc"], "体系.doc")
    reference = documents.read_document(word(sample_document), "体系.docx")
    assert document.kind == "doc"
    assert document.tables[0].rows == reference.tables[0].rows
    assert sorted(document.tables[0].merges, key=lambda m: (m.first_row, m.first_col)) == sorted(
        reference.tables[0].merges, key=lambda m: (m.first_row, m.first_col)
    )
    assert document.tables[0].before == ["附件1", "XX市文明单位测评体系"]
    assert documents.read_document(office_files["sample.doc"], "体系.wps").kind == "wps"


@needs_soffice
def test_xls_with_absurd_dimensions_refused_quickly(office_files: dict[str, bytes]) -> None:
    started = time.perf_counter()
    message = refused(office_files["bomb.xls"], "体系.xls")
    assert time.perf_counter() - started < 0.5
    assert message.startswith("工作簿中有一个工作表的数据范围达到65536行×256列")


@needs_soffice
def test_1000_row_xls_reads_fast(office_files: dict[str, bytes]) -> None:
    started = time.perf_counter()
    (table,) = documents.read_document(office_files["big.xls"], "大表.xls").tables
    elapsed = time.perf_counter() - started
    assert len(table.rows) == 1001 and table.rows[1000] == [
        "A1000",
        None,
        "内容100",
        "第1000条测评标准",
        1,
    ]
    assert len(table.merges) == 20 and table.filled(1000, 1) == "项目19"
    assert elapsed < 1, f"{elapsed:.2f}s"

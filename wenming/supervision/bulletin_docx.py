"""A city bulletin as a 公文 (.docx): the office's red heading "…通报", 第N期 and the date over
a red line, the title (marked （草稿） before issue), the text, 一、通报表扬 and 二、通报批评
with their reasons, 三、各单位情况 with each unit's rank and figures, the office and date.

Laid out with the shared helpers of `wenming.core.docx` and the red and table sizes of the
oversight bulletins (`wenming.oversight.bulletins.document`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from wenming.core.docx import (
    BODY_FONT,
    DOCX_TYPE,
    HEADING1_FONT,
    TITLE_FONT,
    add_signature,
    add_title,
    body,
    cn_date,
    heading,
    new_document,
    set_fonts,
    to_bytes,
)
from wenming.oversight.bulletins.document import RED, SIZE_WU, paragraphs
from wenming.supervision.bulletins import Figures, named, percent
from wenming.supervision.models import CityBulletin, CityBulletinStatus, Verdict

DRAFT_MARK = "（草稿）"
HEADERS = (
    "名次",
    "单位",
    "发现问题",
    "已销号",
    "逾期未整改",
    "整改销号率",
    "信息按时报送",
    "重点工作按时签收",
)
WIDTHS = (Mm(10), Mm(44), Mm(15), Mm(14), Mm(16), Mm(17), Mm(20), Mm(20))


def is_draft(bulletin: CityBulletin) -> bool:
    return bulletin.status == CityBulletinStatus.DRAFT


def document_title(bulletin: CityBulletin) -> str:
    return bulletin.title + (DRAFT_MARK if is_draft(bulletin) else "")


def filename(bulletin: CityBulletin) -> str:
    name = "".join(c for c in document_title(bulletin) if c not in '\\/:*?"<>|').strip()
    return f"{name or '通报'}.docx"


def docx_response(bulletin: CityBulletin, rows: list[Figures]) -> HttpResponse:
    """The document as a download, named in Chinese (RFC 5987), for the screen and the API."""
    response = HttpResponse(bulletin_docx(bulletin, rows), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename(bulletin))}"
    return response


def _masthead(doc: DocumentObject, bulletin: CityBulletin) -> None:
    """ "临州市文明办通报" in red, then 第N期 (left) and the date (right) over a red line."""
    text = f"{bulletin.office.name}通报"
    size = 30 if len(text) <= 12 else 24
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = head.paragraph_format
    fmt.space_before = Pt(12)
    fmt.space_after = Pt(18)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size + 12)
    run = head.add_run(text)
    set_fonts(run, TITLE_FONT, Pt(size))
    run.font.color.rgb = RED
    run.font.bold = True

    issue = f"{bulletin.year}年第{bulletin.sequence}期" if bulletin.sequence else "第　期"
    day = cn_date(bulletin.issued_on) if bulletin.issued_on else "年　月　日"
    line = body(doc, "", indent=False)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    set_fonts(line.add_run(f"{issue}\t{day}"), BODY_FONT, Pt(16))
    line.paragraph_format.space_after = Pt(24)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "E60012")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    line._p.get_or_add_pPr().append(borders)


def _cell(cell: Any, text: str, *, bold: bool = False, center: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(15)
    set_fonts(paragraph.add_run(text), HEADING1_FONT if bold else BODY_FONT, SIZE_WU)


def _share(part: int, whole: int, rate: Any) -> str:
    """ "3/4" over its rate on a second line, so the narrow column never breaks a figure."""
    return f"{part}/{whole}\n{percent(rate)}" if whole else "—"


def _values(row: Figures) -> tuple[str, ...]:
    return (
        str(row.rank or ""),
        row.unit.name,
        str(row.problems_found),
        str(row.problems_closed),
        str(row.problems_overdue),
        percent(row.closed_rate),
        _share(row.info_on_time, row.info_due, row.info_rate),
        _share(row.priorities_acknowledged, row.priorities_due, row.ack_rate),
    )


def _table(doc: DocumentObject, rows: list[Figures]) -> None:
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(HEADERS):
        _cell(table.rows[0].cells[i], text, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(_values(row)):
            _cell(cells[i], text, center=i != 1)
    table.autofit = False
    for i, width in enumerate(WIDTHS):
        table.columns[i].width = width
    for table_row in table.rows:
        table_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for i, width in enumerate(WIDTHS):
            table_row.cells[i].width = width
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)


def _named(doc: DocumentObject, rows: list[Figures], verdict: str, empty: str) -> None:
    listed = named(rows, verdict)
    if not listed:
        body(doc, empty)
    for n, row in enumerate(listed, start=1):
        body(doc, f"{n}. {row.unit.name}：{row.reason}")


def bulletin_docx(bulletin: CityBulletin, rows: list[Figures]) -> bytes:
    """The bulletin (.docx bytes); `rows` is `bulletins.bulletin_rows(bulletin)`."""
    doc = new_document()
    _masthead(doc, bulletin)
    add_title(doc, document_title(bulletin))
    body(doc, "各文明单位：", indent=False)
    for text in paragraphs(bulletin.intro):
        body(doc, text)
    heading(doc, "一、通报表扬", 1)
    _named(doc, rows, Verdict.PRAISE, "本期无通报表扬的单位。")
    heading(doc, "二、通报批评", 1)
    _named(doc, rows, Verdict.CRITICIZE, "本期无通报批评的单位。")
    heading(doc, "三、各单位情况", 1)
    body(
        doc,
        f"统计时段：{cn_date(bulletin.period_start)}至{cn_date(bulletin.period_end)}。"
        "名次先看逾期未整改问题数（少者在前），再依次看整改销号率、信息按时报送率、"
        "重点工作按时签收率（高者在前），无应办事项的计为100%，各项相同的名次并列。",
    )
    _table(doc, rows)
    add_signature(doc, bulletin.office.name, bulletin.issued_on or timezone.localdate())
    return to_bytes(doc)

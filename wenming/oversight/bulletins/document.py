"""A bulletin printed as a 公文 (.docx): red masthead with the issuing office, 文号 and the red
line, title, the three sections with the problem table, issuer and date; laid out with the
shared helpers of `wenming.core.docx`."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from wenming.core.docx import (
    BODY_FONT,
    TITLE_FONT,
    add_signature,
    add_title,
    body,
    chinese_ordinal,
    heading,
    new_document,
    set_fonts,
    to_bytes,
)
from wenming.oversight.bulletins.facts import month_day
from wenming.oversight.models import Bulletin

SECTIONS = ("表扬情况", "存在问题", "下一步要求")
RED = RGBColor(0xE6, 0x00, 0x12)
SIZE_WU = Pt(10.5)  # 五号, the size of tables in 公文


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def bulletin_filename(bulletin: Bulletin) -> str:
    name = "".join(c for c in bulletin.title if c not in '\\/:*?"<>|').strip() or "通报"
    return f"{name}.docx"


def _border(paragraph: Paragraph, edge: str, *, size: int = 12, color: str = "E60012") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "12")
    line.set(qn("w:color"), color)
    borders.append(line)


def _masthead(doc: DocumentObject, bulletin: Bulletin) -> None:
    """发文机关标志 in red, 文号 under it, and the red separator line."""
    # A long office name keeps a large size and is narrowed to fit the 156 mm text block on
    # one line, as 红头 are set (character scaling, w:w).
    width_pt = 430
    size = 30
    scale = max(50, min(100, int(100 * width_pt / (size * max(1, len(bulletin.issuer))))))
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = head.paragraph_format
    fmt.space_before = Pt(12)
    fmt.space_after = Pt(18)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size + 12)
    run = head.add_run(bulletin.issuer)
    set_fonts(run, TITLE_FONT, Pt(size))
    run.font.color.rgb = RED
    run.font.bold = True
    if scale < 100:
        narrow = OxmlElement("w:w")
        narrow.set(qn("w:val"), str(scale))
        run._r.get_or_add_rPr().append(narrow)

    number = body(doc, bulletin.number or " ", indent=False)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_after = Pt(30)
    _border(number, "bottom", size=18)


def _cell(cell: Any, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(15)
    run = paragraph.add_run(text)
    set_fonts(run, "黑体" if bold else BODY_FONT, SIZE_WU)


def _problem_table(doc: DocumentObject, problems: list[dict[str, Any]]) -> None:
    headers = ("序号", "问题编号", "问题描述", "责任部门", "整改时限", "状态")
    widths = (Mm(10), Mm(25), Mm(59), Mm(24), Mm(22), Mm(16))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        _cell(table.rows[0].cells[i], text, bold=True, center=True)
    for n, p in enumerate(problems, 1):
        deadline = datetime.date.fromisoformat(p["deadline"])
        status = p["status_label"] + ("（逾期）" if p.get("overdue") else "")
        values = (
            str(n),
            p["number"],
            p["description"],
            p["department"],
            month_day(deadline),
            status,
        )
        cells = table.add_row().cells
        for i, text in enumerate(values):
            _cell(cells[i], text, center=i in (0, 1, 4, 5))
    # Word reads the cell widths, LibreOffice the grid: set both, and keep them fixed.
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = width
    for row in table.rows:
        keep_whole = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(keep_whole)
        for i, width in enumerate(widths):
            row.cells[i].width = width
    # Repeat the header row on each page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a 公文 (.docx bytes): red masthead, 文号, title, body, table, signature."""
    doc = new_document()
    _masthead(doc, bulletin)
    add_title(doc, bulletin.title)
    for text in paragraphs(bulletin.opening):
        body(doc, text)
    parts = (bulletin.praise, None, bulletin.requirements)
    for index, name in enumerate(SECTIONS, start=1):
        heading(doc, f"{chinese_ordinal(index)}、{name}", 1)
        if index == 2:
            for text in paragraphs(bulletin.criticism):
                body(doc, text)
            for text in paragraphs(bulletin.problems):
                body(doc, text)
            problems = list((bulletin.facts or {}).get("problems") or [])
            if problems:
                _problem_table(doc, problems)
        else:
            for text in paragraphs(parts[index - 1] or ""):
                body(doc, text)

    add_signature(doc, bulletin.issuer, bulletin.issued_on or timezone.localdate())
    return to_bytes(doc)

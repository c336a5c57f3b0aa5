"""Word documents laid out as 公文 (党政机关公文格式, GB/T 9704), with python-docx.

Shared by every document the platform prints: the 《实施方案》 (`wenming.campaigns.documents`)
and the bulletins (`wenming.oversight.bulletins.docx`). The layout: A4, margins 37/35/28/26 mm,
title in 小标宋 二号, body in 仿宋_GB2312 三号 with a fixed 28-point line pitch, level-1 headings
in 黑体, level-2 in 楷体, page numbers "— 1 —" in the footer, the issuer and the date at the
end. Fonts are named for Chinese (w:eastAsia) and Latin text separately, as Word and WPS
need; a machine without 小标宋 substitutes 宋体.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
FOOTER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
SIZE_ER = Pt(22)  # 二号
SIZE_SAN = Pt(16)  # 三号
SIZE_SI = Pt(14)  # 四号
LINE_PITCH = Pt(28)
NUMERALS = "一二三四五六七八九十"


def cn_date(value: datetime.date | None) -> str:
    """ "2026年3月5日" (no leading zeros, as 公文 write dates); "" for None."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_ordinal(index: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    if index <= 10:
        return NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def set_fonts(rpr_owner: Run | ParagraphStyle, east_asia: str, size: Pt | None = None) -> None:
    """Name the font for Chinese (w:eastAsia) and Latin text, dropping theme fonts."""
    font = rpr_owner.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    rpr = rpr_owner.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_attr), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def pitch(paragraph: Paragraph, *, indent: bool = True) -> None:
    """The body's fixed line pitch, no space around, and a two-character first-line indent."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)


def new_document() -> DocumentObject:
    """An empty document with the 公文 page, styles and page-number footer."""
    doc = Document()
    style_document(doc)
    return doc


def style_document(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)

    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    set_fonts(normal, BODY_FONT, SIZE_SAN)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_after = Pt(0)
    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        style = doc.styles[name]
        assert isinstance(style, ParagraphStyle)
        set_fonts(style, font, SIZE_SAN)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.first_line_indent = Pt(32)
        fmt.keep_with_next = True

    footer = section.footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(paragraph.add_run("— "), FOOTER_FONT, SIZE_SI)
    _add_page_field(paragraph)
    set_fonts(paragraph.add_run(" —"), FOOTER_FONT, SIZE_SI)


def _add_page_field(paragraph: Paragraph) -> None:
    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        set_fonts(run, FOOTER_FONT, SIZE_SI)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    placeholder = paragraph.add_run("1")
    set_fonts(placeholder, FOOTER_FONT, SIZE_SI)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_title(doc: DocumentObject, text: str) -> Paragraph:
    """The document's title: centred, 小标宋 二号, a blank line's space below."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = LINE_PITCH
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(36)
    set_fonts(paragraph.add_run(text), TITLE_FONT, SIZE_ER)
    return paragraph


def body(doc: DocumentObject, text: str, *, indent: bool = True) -> Paragraph:
    paragraph = doc.add_paragraph()
    pitch(paragraph, indent=indent)
    set_fonts(paragraph.add_run(text), BODY_FONT, SIZE_SAN)
    return paragraph


def heading(doc: DocumentObject, text: str, level: int) -> Paragraph:
    """ "一、…" in 黑体 (level 1) or "（一）…" in 楷体 (level 2)."""
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    set_fonts(paragraph.add_run(text), HEADING1_FONT if level == 1 else HEADING2_FONT, SIZE_SAN)
    return paragraph


def lead_in(doc: DocumentObject, lead: str, text: str) -> Paragraph:
    """A body paragraph starting with a 楷体 lead ("组长：") as 公文 lists people."""
    paragraph = doc.add_paragraph()
    pitch(paragraph)
    set_fonts(paragraph.add_run(lead), HEADING2_FONT, SIZE_SAN)
    set_fonts(paragraph.add_run(text), BODY_FONT, SIZE_SAN)
    return paragraph


def add_signature(doc: DocumentObject, issuer: str, day: datetime.date) -> None:
    """The issuer and the date, right-aligned after two blank lines, kept on one page with
    the last paragraph so the signature never stands alone on a page of its own."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(2):
        body(doc, "", indent=False).paragraph_format.keep_with_next = True
    for text in (issuer, cn_date(day)):
        paragraph = body(doc, text, indent=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(64)
        paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_with_next = False


def to_bytes(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

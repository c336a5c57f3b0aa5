"""The text around the table: title, issuer, 附件 and 说明 rows above the header, cover
sheets, the paragraphs before and after a Word table (a numbered list of veto cases)."""

from __future__ import annotations

import re

from wenming.frameworks.io.excel_format import (
    DASHES,
    LONG_KEYS,
    LONG_RE,
    META_KEYS,
    META_RE,
    YEAR_RE,
    cell_text,
    compact,
    section_of,
)
from wenming.frameworks.io.layout.build import FORM_RE, Builder
from wenming.frameworks.io.layout.text import (
    ATTACHMENT_RE,
    DATE_RE,
    ISSUER_RE,
    ITEM_START_RE,
    heading_section,
)
from wenming.frameworks.io.reading import ROLE_BY_SECTION, SECTION_ROLES, RowReading
from wenming.frameworks.io.spec import LEVEL_BY_LABEL, Origin, parse_points
from wenming.frameworks.io.tables import Table
from wenming.frameworks.models import Section

NOTICE_RE = re.compile(r"^关于.{2,60}(?:通知|意见|决定|办法)$")
BASIC_HEADING_RE = re.compile(
    r"^[一二三四五六七八九十]+[、.．].{2,20}[（(](?:共计|共|计|满分)?\d+(?:\.\d+)?分[)）]$"
)
EDITION_RE = re.compile(r"^[（(](?:19|20)\d{2}\s*年?(?:版|修订|修订版)?[）)]$")
PLAIN_HEADING_RE = re.compile(r"\d\s*分|^[一二三四五六七八九十]+[、.．]|^[（(]|加分|扣分|否决")
ORDINAL_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])"
)


def head_role(b: Builder, text: str, single: bool) -> str:
    """What a line above the header (or on a cover sheet) is."""
    flat = compact(text)
    if ATTACHMENT_RE.match(flat) or DATE_RE.match(flat) or flat in DASHES:
        return "date" if DATE_RE.match(flat) else "ignore"
    if EDITION_RE.match(flat):
        return "edition"
    if LONG_RE.match(text) or META_RE.match(text):
        return "note"
    parts = [part for part in flat.split("；") if part]
    if parts and all(FORM_RE.match(part) for part in parts):
        return "ignore"  # “被考核单位：；考核时间：”, fields of a score sheet
    if NOTICE_RE.match(flat):
        return "note"
    section = section_of(text) or (heading_section(text) if single else None)
    if section is None and single and BASIC_HEADING_RE.match(flat):
        section = Section.BASIC  # “一、网络考核指标（共计100分）” above the first table
    first = single and not b.spec.name and not any(r.role != "ignore" for r in b.rows[:-1])
    if section is not None:
        if first and not PLAIN_HEADING_RE.search(flat):
            return "title"  # the document's first line is its title, even “基本指标”
        return ROLE_BY_SECTION[section]
    if single and ISSUER_RE.match(flat):
        return "issuer"
    if not single or len(flat) > 60 or flat.endswith(("。", "！", "：", ":")):
        return "note"
    previous = next((r for r in reversed(b.rows[:-1]) if any(r.cells)), None)
    if previous is not None and ATTACHMENT_RE.match(compact("".join(previous.cells))):
        return "retitle"  # the line under “附件” names the document, whatever came before
    if not b.spec.name and (first or not ORDINAL_START_RE.match(flat)):
        return "title"
    return "note"


def read_lines(b: Builder, table: Table, upto: int) -> None:
    """Rows 0..upto-1 of a table: title, issuer, key：value lines, notes, section headings."""
    for index in range(upto):
        row = table.rows[index]
        texts = list(dict.fromkeys(cell_text(v) for v in row if cell_text(v)))
        if not texts:
            continue
        rr = b.record(index, [cell_text(v) for v in row])
        read_line(b, rr, "；".join(texts), single=len(texts) == 1)


def read_paragraphs(b: Builder, sheet: str, paragraphs: list[str]) -> None:
    for number, text in enumerate(paragraphs, start=1):
        rr = RowReading(sheet=sheet, row=number, cells=[text], section=b.section)
        b.rows.append(rr)
        read_line(b, rr, text, single=True)


def read_line(b: Builder, rr: RowReading, text: str, *, single: bool) -> None:
    forced = b.corrections.roles.get((rr.sheet, rr.row))
    role = forced or head_role(b, text, single)
    rr.corrected = forced is not None
    rr.role = {"issuer": "note", "edition": "title", "date": "ignore", "retitle": "title"}.get(
        role, role
    )
    if role == "retitle":
        for earlier in b.rows[:-1]:
            if earlier.role == "title":  # a notice's heading above the attachment
                earlier.role = "note"
                b.note(
                    earlier.cells[0] if len(earlier.cells) == 1 else "；".join(earlier.cells),
                    earlier,
                )
        b.spec.name, role = "", "title"
    year = YEAR_RE.search(compact(text)) if role in ("date", "edition") else None
    if year and (role == "edition" or b.date_year is None):
        b.date_year = int(year.group(1))
    if role == "title":
        if not b.spec.name or forced:
            b.spec.name = text.strip()
    elif role == "issuer":
        b.spec.issuer = b.spec.issuer or text.strip()
    elif role in SECTION_ROLES:
        b.switch(SECTION_ROLES[role], text, rr)
    elif role == "note":
        note_line(b, rr, text)
    elif role in ("item", "content", "standard"):
        rr.role = "ignore"  # above the header there is no tree to attach to
    rr.section = b.section


def note_line(b: Builder, rr: RowReading, text: str) -> None:
    spec = b.spec
    long = LONG_RE.match(text)
    if META_RE.match(text):
        read_meta(b, rr, text)
    elif long:
        key = LONG_KEYS[long.group(1)]
        rest = text[long.end() :].strip()
        if key == "description":
            b.note(rest, rr)
        else:
            setattr(spec, key, f"{getattr(spec, key)}\n{rest}".strip())
    else:
        b.note(text, rr)


def read_meta(b: Builder, rr: RowReading, text: str) -> None:
    """“发布机关：…；级别：市级；基本分：100分”."""
    spec = b.spec
    matches = list(META_RE.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip()
        if i + 1 < len(matches) and value[-1:] in ("；", ";", "，", ",", "、"):
            value = value[:-1].rstrip()  # the separator before the next key
        key, label = META_KEYS[match.group(1)], match.group(1)
        if key in ("issuer", "lineage", "kind"):
            setattr(spec, key, value)
        elif key == "level":
            if value in LEVEL_BY_LABEL:
                spec.level = LEVEL_BY_LABEL[value]
            elif value:
                b.problem(f"级别“{value}”无法识别，应为 县级、市级、省级、全国 或 其他", rr)
        elif key == "edition_year":
            b.explicit_year = True
            if re.fullmatch(r"\d{4}", value):
                spec.edition_year = int(value)
            elif value not in ("", "未标明", "无", *DASHES):
                b.problem(f"版本年度“{value}”应为四位年份，如 2025", rr)
        elif value:
            try:
                setattr(spec, key, parse_points(value.removesuffix("倍")))
            except ValueError as exc:
                b.problem(f"“{label}”{exc}", rr)
            if key == "basic_points":
                spec.basic_points_origin = Origin(row=rr.row, sheet=rr.sheet)
            b.meta.add(key)


def read_after(b: Builder, table: Table, *, last: bool) -> None:
    """Paragraphs under a Word table: notes, and veto cases listed as a numbered paragraph
    (or one paragraph per case) under a 一票否决 heading. Headings of other sections
    between two tables belong to the next table and are read with it."""
    sheet = f"{table.name}下方"
    listing = False
    cut = len(table.after)
    if not last:
        for i in reversed(range(len(table.after))):
            if section_of(table.after[i]) or heading_section(table.after[i]):
                rest = table.after[i + 1 :]
                if not any(ITEM_START_RE.match(p.strip()) for p in rest):
                    cut = i
                break
    for number, text in enumerate(table.after, start=1):
        rr = RowReading(sheet=sheet, row=number, cells=[text], section=b.section)
        b.rows.append(rr)
        forced = b.corrections.roles.get((sheet, number))
        rr.corrected = forced is not None
        section = section_of(text) or heading_section(text)
        if number == cut + 1 and forced is None and section is not None:
            rr.role = ROLE_BY_SECTION[section]  # read with the next table
            b.pending = (section, text, rr)
        elif forced == "ignore":
            rr.role = "ignore"
        elif forced == "veto" or (forced is None and section == Section.VETO):
            rr.role = "veto"
            b.switch(Section.VETO, text, rr)
            listing = True
        elif listing and (forced == "standard" or ITEM_START_RE.match(text.strip())):
            rr.role, rr.section = "standard", Section.VETO
            b.veto_list(text if ITEM_START_RE.match(text.strip()) else f"1.{text}", rr)
        else:
            listing = False
            rr.role = "note"
            b.note(text, rr)

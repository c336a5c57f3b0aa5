"""`read_layout`: every table of a document into one evaluation system, as a `Reading`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from wenming.frameworks.io.excel_format import YEAR_RE, cell_text, compact
from wenming.frameworks.io.layout.build import Builder
from wenming.frameworks.io.layout.checks import assign_codes, finish
from wenming.frameworks.io.layout.columns import (
    HEADER_SCAN_ROWS,
    HIERARCHY,
    Header,
    find_header,
    guess_header,
    infer_columns,
    is_data_like,
    meanings_from_names,
    row_names,
)
from wenming.frameworks.io.layout.head import read_after, read_lines, read_paragraphs
from wenming.frameworks.io.layout.text import section_from_name
from wenming.frameworks.io.reading import MEANINGS, Corrections, Reading, TableReading
from wenming.frameworks.io.spec import Problem
from wenming.frameworks.io.tables import Document, Merge, Table
from wenming.frameworks.models import Section

GENERIC_SHEET = re.compile(r"^(?:Sheet|工作表|表格)\d*$", re.I)
GENERIC_FILE = re.compile(r"^(?:Book|新建|工作簿|未命名|document|文档|Sheet)\w*$", re.I)


def read_layout(document: Document, corrections: Corrections | None = None) -> Reading:
    """Read the structure of any layout: every table, combined into one tree.

    Rows get roles (`reading.ROLES`), columns meanings (`reading.MEANINGS`), from the layout
    itself and then from `corrections`. The reading lists every problem; `reading.spec` is
    the system when none blocks.
    """
    corrections = corrections or Corrections()
    tables = join_tables(document.tables)
    visible = [t for t, _, _ in tables if not t.hidden and any(t.rows)]
    b = Builder(corrections, single_table=len(visible) <= 1 and len(document.tables) <= 1)
    readings: list[TableReading] = []
    data: list[tuple[Table, Header]] = []
    for position, (table, joined, sources) in enumerate(tables):
        b.sources = sources
        reading = TableReading(sheet=table.name, kind=table.kind, use="data", joined=joined)
        readings.append(reading)
        if table.hidden:
            reading.use = "hidden"
            b.warnings.append(Problem(f"工作表“{table.name}”是隐藏的，没有读取", sheet=table.name))
            continue
        if not any(cell_text(v) for row in table.rows for v in row):
            reading.use = "empty"
            continue
        last = all(t.hidden or t.kind != "table" for t, _, _ in tables[position + 1 :])
        header = locate_header(table, corrections, sources)
        b.table = table
        if table.kind == "table" and position == 0:
            read_paragraphs(b, f"{table.name}上方", table.before)
        if header is None:
            reading.use = "cover"
            b.start_table(table, Header(found=False), b.section)
            read_lines(b, table, len(table.rows))
        else:
            read_table(b, table, header, reading)
            data.append((table, header))
        if table.kind == "table":
            read_after(b, table, last=last)
    return finish_reading(document, b, readings, data)


def read_table(b: Builder, table: Table, header: Header, reading: TableReading) -> None:
    section = _table_section(b, table)
    if b.pending is not None:
        pending, b.pending = b.pending, None
        b.switch(pending[0], pending[1], pending[2])
    elif section is not None and section != b.section:
        b.switch(section, table.name, None)
        b.sections[-1].sheet = table.name
    elif section is None:
        b.section, b.section_raw = Section.BASIC, ""  # a new table starts with basic items
    b.start_table(table, header, b.section)
    b.tables_read.append((table.name, header))
    read_lines(b, table, header.rows[0] if header.rows else header.body_start)
    for index in header.rows:
        rr = b.record(index, [cell_text(v) for v in table.rows[index]])
        rr.role = "header"
    reading.header_rows = [b.number(i) for i in header.rows]
    reading.columns, reading.names = dict(header.columns), dict(header.names)
    reading.inferred = list(header.inferred)
    reading.section = b.section
    reading.needs_columns = not header.found
    if not header.hierarchy():
        _no_levels(b, table, header, reading)
        return
    start_problems = len(b.problems)
    for index in range(header.body_start, len(table.rows)):
        b.read_row(index)
    _column_problems(b, table, header, reading, start_problems)


def _no_levels(b: Builder, table: Table, header: Header, reading: TableReading) -> None:
    """No column holds the standards (the user set them all to something else): ask again."""
    for index in range(header.body_start, len(table.rows)):
        if any(cell_text(v) for v in table.rows[index]):
            b.record(index, [cell_text(v) for v in table.rows[index]]).role = "ignore"
    reading.needs_columns = True
    b.problems.append(
        Problem(
            "没有哪一列是测评项目、测评内容或测评标准，请在导入预览中至少指定测评标准列",
            sheet=table.name,
            needs_columns=True,
            sheet_implied=b.single_table,
        )
    )


def _column_problems(
    b: Builder, table: Table, header: Header, reading: TableReading, start_problems: int
) -> None:
    """Columns guessed, or the points column missing: say so once for the table."""
    if not header.found:
        start = b.number(header.body_start) if header.body_start < len(table.rows) else None
        guessed = "、".join(
            f"第{c + 1}列为{MEANINGS[m]}"
            for c, m in sorted(header.columns.items())
            if m != "ignore"
        )
        b.problems.append(
            Problem(
                f"没有找到可识别的表头行（写有“测评项目”“测评标准”“分值”等列名的一行）；"
                f"平台按内容猜测了各列的含义（{guessed}），请在导入预览中确认或改选每一列的含义",
                row=start,
                sheet=table.name,
                needs_columns=True,
                sheet_implied=b.single_table,
            )
        )
    elif "points" not in header.columns.values():
        _no_points_column(b, table, header, reading, start_problems)
    elif header.inferred:
        named = "、".join(
            f"第{c + 1}列当作“{MEANINGS[header.columns[c]]}”" for c in header.inferred
        )
        b.problem(
            f"表头中有些列名无法识别，按内容推断：{named}；如有误请在预览中改选", None, warn=True
        )


def _no_points_column(
    b: Builder, table: Table, header: Header, reading: TableReading, start: int
) -> None:
    """No points column and the standards' texts state no points either: the user has to
    choose the column (one problem, not one per row)."""
    missing = [p for p in b.problems[start:] if "缺少分值" in p.message]
    if not missing:
        return
    for p in missing:
        b.problems.remove(p)
    for rr in b.rows:
        if any(p in missing for p in rr.problems):
            rr.problems = [p for p in rr.problems if p not in missing]
            if rr.node is not None:
                rr.node.points_invalid = True  # reported here once, not again per standard
    found = [header.names[c] for c in sorted(header.names) if header.names[c]]
    row = b.number(header.rows[-1]) if header.rows else None
    place = f"第{row}行" if row else "表头"
    b.problems.insert(
        start,
        Problem(
            f"表头（{place}）缺少“分值”列（也可写作 分数、标准分），测评标准的文字中也没有写明分值；"
            f"{place}的列名为：{'、'.join(found[:15])}。请在预览中指定分值列",
            row=row,
            sheet=table.name,
            needs_columns=True,
            sheet_implied=b.single_table,
        ),
    )
    reading.needs_columns = True


def _table_section(b: Builder, table: Table) -> str | None:
    if b.pending is not None:
        return b.pending[0]
    if table.kind == "sheet" and not GENERIC_SHEET.match(table.name):
        return section_from_name(table.name)
    return None


def locate_header(
    table: Table, corrections: Corrections, sources: dict[int, tuple[str, int]] | None = None
) -> Header | None:
    """The header by the user's choice, else by names, else guessed from the content; with
    the user's column meanings applied. None for a table of text only (a cover)."""
    sources = sources or {}
    forced = [
        i
        for i, number in enumerate(table.row_numbers)
        if corrections.roles.get(sources.get(i, (table.name, number))) == "header"
    ]
    if forced:
        names = row_names(table, forced[-1])
        if len(forced) > 1:
            upper = row_names(table, forced[0])
            names = {c: names[c] or upper.get(c, "") for c in names}
        columns, unknown = meanings_from_names(names)
        header: Header | None = Header(rows=forced[-2:], columns=columns, names=names)
    else:
        header = find_header(table)
        if header is None:
            header = guess_header(table) if is_data_like(table) else None
    chosen = corrections.columns_for(table.name)
    if header is None and chosen:
        header = Header(rows=[], columns={}, names={}, found=False)
    if header is None:
        return None
    if header.found or forced:
        _fill_by_content(table, header)
    for col, meaning in chosen.items():
        header.columns[col] = meaning
        if col in header.inferred:
            header.inferred.remove(col)
    if chosen:
        header.found = True
    # Every column gets a meaning, so that the preview can show and change each one.
    header.columns = {c: header.columns.get(c, "ignore") for c in range(table.width)}
    return header


def _fill_by_content(table: Table, header: Header) -> None:
    """Columns the names leave unexplained, when the points or the levels are missing."""
    meanings = set(header.columns.values())
    if "points" in meanings and any(m in HIERARCHY for m in meanings):
        return
    free = [c for c in range(table.width) if c not in header.columns]
    guessed = infer_columns(table, header.body_start, header.columns, free)
    for col, meaning in guessed.items():
        if meaning in ("points", *HIERARCHY, "code"):
            header.columns[col] = meaning
            header.inferred.append(col)


# -- Word tables split by a page break -----------------------------------------------------


Joined = tuple[Table, list[str], dict[int, tuple[str, int]]]


def join_tables(tables: list[Table]) -> list[Joined]:
    """Two Word tables with the same columns and nothing between them are one table split
    by a page break: the second continues the first (a repeated header row is skipped when
    read, an empty merged cell at its top means “same as above”). Returns each table with
    the names of the tables it continues into and, for their rows, (table name, row)."""
    out: list[Joined] = []
    for table in tables:
        if out and _continues(out[-1][0], table):
            first, joined, sources = out[-1]
            shift = len(first.rows)
            for i, number in enumerate(table.row_numbers):
                sources[shift + i] = (table.name, number)
            out[-1] = (_append(first, table), [*joined, table.name], sources)
        else:
            out.append((table, [], {}))
    return out


def _continues(first: Table, second: Table) -> bool:
    if first.kind != "table" or second.kind != "table" or first.after or second.before:
        return False
    if first.width != second.width or not first.rows or not second.rows:
        return False
    header = find_header(second)
    if header is None:
        return True
    own = [compact(cell_text(v)) for v in second.rows[header.rows[0]]]
    return own == [compact(cell_text(v)) for v in first.rows[0]] or any(
        own == [compact(cell_text(v)) for v in r] for r in first.rows[:3]
    )


def _append(first: Table, second: Table) -> Table:
    shift = len(first.rows)
    last = first.row_numbers[-1] if first.row_numbers else 0
    merges = [
        Merge(m.first_row + shift, m.first_col, m.last_row + shift, m.last_col)
        for m in second.merges
    ]
    return replace(
        first,
        rows=[*first.rows, *second.rows],
        row_numbers=[*first.row_numbers, *(last + n for n in range(1, len(second.rows) + 1))],
        merges=[*first.merges, *merges],
        after=second.after,
        problems=[*first.problems, *second.problems],
    )


# -- the end: name, caps, codes, checks ---------------------------------------------------


def finish_reading(
    document: Document, b: Builder, readings: list[TableReading], data: list[tuple[Table, Header]]
) -> Reading:
    spec = b.spec
    if not spec.name:
        # No title: the first data sheet's own name (not “Sheet1” or a section's), else the
        # file's name (not “Book1”).
        sheets = [t.name for t, _ in data if t.kind == "sheet" and not GENERIC_SHEET.match(t.name)]
        stem = PurePath(document.filename or "").stem.strip()
        if sheets and section_from_name(sheets[0]) is None:
            spec.name = sheets[0]
        elif stem and not GENERIC_FILE.match(stem):
            spec.name = stem
    if spec.edition_year is None and not b.explicit_year:
        match = YEAR_RE.search(spec.name)
        spec.edition_year = int(match.group(1)) if match else b.date_year
    if not data:
        b.problems.insert(0, _no_table(document, readings))
    elif not spec.roots and not b.problems:
        table, header = data[0]
        row = table.row_numbers[header.rows[-1]] if header.rows else None
        where = f"表头（第{row}行）" if row else "表格"
        b.problems.append(
            Problem(
                f"{where}下面没有读到任何测评标准",
                row=row,
                sheet=table.name,
                sheet_implied=b.single_table,
            )
        )
    assign_codes(spec, b.ordinals)
    reading = Reading(
        filename=document.filename,
        format=document.kind,
        tree=spec,
        tables=readings,
        rows=b.rows,
        sections=b.sections,
        text_points=b.text_points,
        corrections=b.corrections,
    )
    finish(b, reading, data)
    return reading


def _no_table(document: Document, readings: list[TableReading]) -> Problem:
    """No table of the document has a header: say what was found and what is needed."""
    tables = [t for t in document.tables if not t.hidden]
    word = document.kind in ("docx", "doc", "wps")
    if not tables or all(r.use == "empty" for r in readings if r.use != "hidden"):
        what = "文件中没有表格" if word or not tables else f"工作表“{tables[0].name}”是空的"
        return Problem(f"{what}，请把测评体系放在表格中再导入")
    first = next(t for t in tables if any(cell_text(v) for r in t.rows for v in r))
    lines = [[cell_text(v) for v in row if cell_text(v)] for row in first.rows[:HEADER_SCAN_ROWS]]
    shown = "；".join(["、".join(t[:20] for t in line[:6]) for line in lines if line][:3])
    where = first.name if first.kind == "table" else f"工作表“{first.name}”"
    others = [t.name for t in tables if t is not first][:10]
    message = (
        f"{where}的前{HEADER_SCAN_ROWS}行中没有找到测评体系的表格：需要一行列名，写明"
        "“测评项目”“测评内容”或“测评标准”（也可写作 一级指标、二级指标、三级指标）"
        f"和“分值”（也可写作 分数、标准分）；读到的内容为：{shown}"
    )
    if others:
        message += f"。其他{'表格' if word else '工作表'}（{'、'.join(others)}）也没有找到表头"
    return Problem(message, sheet=first.name, needs_columns=True, sheet_implied=len(tables) == 1)

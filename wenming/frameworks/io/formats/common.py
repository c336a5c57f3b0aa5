"""What every format reader shares: cell values, trimming rows into a Table, the limits."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal

from openpyxl.utils import get_column_letter

from wenming.frameworks.io.spec import ImportFailed, Problem
from wenming.frameworks.io.tables import CellProblem, Merge, Table, Value

MAX_COLUMNS = 40  # columns read from each sheet or table; an evaluation system has about 10
MAX_ROWS = 20_000  # non-empty rows in one sheet or table
MAX_BLANK_RUN = 2_000  # stop reading a sheet after this many empty rows in a row
MAX_CELLS = 2_000_000  # rows x columns of a sheet's used range, checked before parsing it


def refuse(message: str, sheet: str | None = None) -> ImportFailed:
    """One problem that stops the reading; `sheet` names the worksheet or Word table."""
    return ImportFailed([Problem(message, sheet=sheet or None)])


def _subject(table_kind: str, name: str) -> str:
    """The start of a sentence about a sheet or table whose name is not known yet."""
    if name:
        return ""
    return "工作簿中有一个工作表" if table_kind == "sheet" else "文档中有一个表格"


def too_many_rows(table_kind: str, name: str) -> ImportFailed:
    return refuse(
        f"{_subject(table_kind, name)}超过{MAX_ROWS}行，不像是测评体系；请只保留测评体系本身后再导入",
        name,
    )


def too_large(table_kind: str, name: str, rows: int, cols: int) -> ImportFailed:
    subject = _subject(table_kind, name)
    return refuse(
        f"{subject}{'的' if subject else ''}数据范围达到{rows}行×{cols}列，不像是测评体系；"
        "请把测评体系复制到新的工作簿中，另存为 .xlsx 后再导入",
        name,
    )


def column_letter(col: int) -> str:
    """The column's letter as Excel shows it, from a 0-based index."""
    return get_column_letter(col + 1)


def cell_value(value: object) -> Value:
    """A cell value normalized: stripped text or None, int for whole numbers, Decimal for
    the others, date for a date without time of day."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return number(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date()
        return value
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return str(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def number(value: float) -> Value:
    """3.0 → 3; 1.1000000000000001 → Decimal("1.1") (Excel shows at most 15 digits)."""
    if not math.isfinite(value):
        return None
    value = round(value, 10)
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return Decimal(repr(value))


def is_empty(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def build_table(
    kind: str,
    name: str,
    raw: Sequence[Sequence[Value]],
    merges: Sequence[Merge] = (),
    problems: Sequence[CellProblem] = (),
) -> Table:
    """A Table from rows read top to bottom: `raw[i]` is row number i + 1, merges and
    problems in the same 0-based indexes. Leading and trailing empty rows go (the row
    numbers keep counting; a row with a problem is not empty), each row loses its trailing
    empty cells, cells hidden under a merged range are emptied, and merges are clipped to
    what is left."""
    rows = [[cell_value(v) for v in r[:MAX_COLUMNS]] for r in raw]
    flagged = {p.row for p in problems}
    filled = [i for i, r in enumerate(rows) if i in flagged or any(not is_empty(v) for v in r)]
    first, last = (filled[0], filled[-1]) if filled else (0, -1)
    kept: list[Merge] = []
    budget = (last - first + 1) * MAX_COLUMNS * 2 + 1_000  # cells under merges, overlaps included
    for m in merges:
        top, bottom = max(m.first_row, first), min(m.last_row, last)
        if m.first_col >= MAX_COLUMNS or top > bottom:
            continue
        right = min(m.last_col, MAX_COLUMNS - 1)
        budget -= (bottom - top + 1) * (right - m.first_col + 1)
        if budget < 0:
            raise refuse("合并单元格互相重叠或数量异常，文件可能已损坏；请另存后再导入", name)
        for r in range(top, bottom + 1):
            cells = rows[r]
            for c in range(m.first_col, min(right + 1, len(cells))):
                if (r, c) != (m.first_row, m.first_col):
                    cells[c] = None
        if (top, m.first_col) != (bottom, right):
            kept.append(Merge(top - first, m.first_col, bottom - first, right))
    body = rows[first : last + 1]
    for cells in body:
        while cells and is_empty(cells[-1]):
            cells.pop()
    moved = [
        CellProblem(p.row - first, p.col, p.message)
        for p in problems
        if first <= p.row <= last and p.col < MAX_COLUMNS
    ]
    return Table(
        kind=kind,
        name=name,
        rows=body,
        row_numbers=list(range(first + 1, last + 2)),
        merges=kept,
        problems=moved,
    )


def cut_rows(rows: Sequence[Sequence[Value]], kind: str, name: str) -> list[list[Value]]:
    """Rows read whole by a parser, cut as a streaming read would be: at most MAX_COLUMNS
    columns, nothing after MAX_BLANK_RUN empty rows, refused past MAX_ROWS filled rows."""
    kept: list[list[Value]] = []
    filled = blank_run = 0
    for cells in rows:
        row = list(cells[:MAX_COLUMNS])
        if any(not is_empty(v) for v in row):
            blank_run = 0
            filled += 1
            if filled > MAX_ROWS:
                raise too_many_rows(kind, name)
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        kept.append(row)
    return kept

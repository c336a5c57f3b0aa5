"""Worksheets of an .xlsx/.xlsm workbook as Tables, through openpyxl.

openpyxl reads the values in read-only mode (cached formula results, `data_only=True`),
streaming each sheet and stopping after a long run of empty rows, so 50,000 empty but
formatted rows cost nothing. Read-only mode gives neither merged ranges nor the formulas
themselves, so one more pass reads each worksheet's XML: a byte search for `<mergeCell>`
and, only when the sheet has formulas at all, an lxml pass over the rows that were read to
find formulas saved without a result. Those are computed when they are a plain SUM over
numbers of the same sheet, otherwise reported on the cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from wenming.frameworks.io.formats.common import (
    MAX_BLANK_RUN,
    MAX_COLUMNS,
    MAX_ROWS,
    build_table,
    cell_value,
    column_letter,
    is_empty,
    refuse,
    too_many_rows,
)
from wenming.frameworks.io.formats.packages import ZIP_ERRORS
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.io.tables import CellProblem, Merge, Table

CORRUPT = "文件已损坏，无法作为 Excel 表格读取；请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入"
UNCACHED = "第{row}行第{col}列是公式，但文件中没有保存计算结果，请用 Excel 或 WPS 打开后保存再导入"
MERGE_RE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?ref\s*=\s*[\"']([A-Za-z]+\d+:[A-Za-z]+\d+)")
FORMULA_MARKS = (b"<f>", b"<f ", b":f>", b":f ")
REF = r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?"
SUM_RE = re.compile(rf"^\s*=?\s*SUM\s*\(\s*({REF}(?:\s*,\s*{REF})*)\s*\)\s*$", re.IGNORECASE)
CHUNK = 1 << 20


@dataclass
class _Formula:
    text: str | None
    shared: str | None  # the shared formula group (si) whose master holds the text
    ref: str


@dataclass
class _Scan:
    merges: list[Merge] = field(default_factory=list)
    uncached: dict[tuple[int, int], _Formula] = field(default_factory=dict)


def read_xlsx(content: bytes, archive: zipfile.ZipFile) -> list[Table]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise refuse(CORRUPT) from exc
    try:
        return [_read_sheet(archive, sheet) for sheet in book.worksheets]
    finally:
        book.close()


def _read_sheet(archive: zipfile.ZipFile, sheet: Any) -> Table:
    raw = _values(sheet)
    scan = _scan_part(archive, sheet._worksheet_path, len(raw))
    problems = _resolve_formulas(raw, scan.uncached)
    table = build_table("sheet", sheet.title, raw, scan.merges, problems)
    table.hidden = sheet.sheet_state != "visible"
    return table


def _values(sheet: Any) -> list[list[Any]]:
    """The sheet's rows from row 1, up to MAX_BLANK_RUN empty rows past the last filled one."""
    rows: list[list[Any]] = []
    filled = blank_run = 0
    try:
        sheet.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if any(not is_empty(v) for v in values):
                blank_run = 0
                filled += 1
                if filled > MAX_ROWS:
                    raise too_many_rows("sheet", sheet.title)
            else:
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    break
            rows.append(list(values))
    except ImportFailed:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged sheets
        raise refuse(CORRUPT) from exc
    return rows


def _scan_part(archive: zipfile.ZipFile, path: str, rows_read: int) -> _Scan:
    """Merged ranges by a byte search of the whole part (they come after the cells), then
    the formulas without a result in the rows that were read, if the part has formulas."""
    scan = _Scan()
    refs: dict[bytes, None] = {}
    formulas = False
    tail = b""
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(CHUNK):
                buffer = tail + chunk
                if b"mergeCell" in buffer:
                    refs.update(dict.fromkeys(MERGE_RE.findall(buffer)))
                formulas = formulas or any(mark in buffer for mark in FORMULA_MARKS)
                tail = buffer[-1024:]
    except ZIP_ERRORS as exc:
        raise refuse(CORRUPT) from exc
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii").upper())
        except ValueError:
            continue
        if min_col and min_row and max_col and max_row:
            scan.merges.append(Merge(min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    if formulas:
        scan.uncached = _uncached_formulas(archive, path, rows_read)
    return scan


def _uncached_formulas(
    archive: zipfile.ZipFile, path: str, rows_read: int
) -> dict[tuple[int, int], _Formula]:
    """(row, col) → formula of every formula cell saved without a value, 0-based."""
    found: dict[tuple[int, int], _Formula] = {}
    masters: dict[str, tuple[str, str]] = {}
    number = 0
    try:
        with archive.open(path) as stream:
            parse = etree.iterparse(
                stream, events=("end",), tag="{*}row", resolve_entities=False, no_network=True
            )
            for _, row in parse:
                number = int(row.get("r") or number + 1)
                if number > rows_read:
                    break
                _row_formulas(row, number, found, masters)
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
    except (etree.LxmlError, *ZIP_ERRORS) as exc:
        raise refuse(CORRUPT) from exc
    for formula in found.values():
        if formula.text is None and formula.shared in masters:
            text, origin = masters[formula.shared]
            try:
                formula.text = Translator(f"={text}", origin).translate_formula(formula.ref)
            except Exception:  # a formula openpyxl cannot tokenize stays uncomputed
                formula.text = None
    return found


def _row_formulas(
    row: Any,
    number: int,
    found: dict[tuple[int, int], _Formula],
    masters: dict[str, tuple[str, str]],
) -> None:
    col = -1
    for cell in row:
        if etree.QName(cell).localname != "c":
            continue
        ref = cell.get("r")
        col = coordinate_to_tuple(ref)[1] - 1 if ref else col + 1
        ref = ref or f"{column_letter(col)}{number}"
        children = {etree.QName(child).localname: child for child in cell}
        formula = children.get("f")
        if formula is None:
            continue
        shared = formula.get("si") if formula.get("t") == "shared" else None
        if shared is not None and formula.text:
            masters[shared] = (formula.text, ref)
        value = children.get("v")
        empty = value is None or (not value.text and cell.get("t") != "str")
        if empty and col < MAX_COLUMNS:
            found[(number - 1, col)] = _Formula(formula.text or None, shared, ref)


def _resolve_formulas(
    raw: list[list[Any]], uncached: dict[tuple[int, int], _Formula]
) -> list[CellProblem]:
    problems = []
    done: dict[tuple[int, int], Decimal | None] = {}
    for place in uncached:
        total = _evaluate(place, raw, uncached, done, set())
        row, col = place
        if total is None:
            message = UNCACHED.format(row=row + 1, col=column_letter(col))
            problems.append(CellProblem(row, col, message))
        elif row < len(raw):
            cells = raw[row]
            cells.extend([None] * (col + 1 - len(cells)))
            cells[col] = total
    return problems


def _evaluate(
    place: tuple[int, int],
    raw: list[list[Any]],
    uncached: dict[tuple[int, int], _Formula],
    done: dict[tuple[int, int], Decimal | None],
    visiting: set[tuple[int, int]],
) -> Decimal | None:
    """A plain SUM of numbers on this sheet (other unsaved SUMs included), else None."""
    if place in done:
        return done[place]
    match = SUM_RE.match(uncached[place].text or "")
    if match is None or place in visiting:
        return None
    visiting.add(place)
    total: Decimal | None = Decimal(0)
    for arg in re.split(r"\s*,\s*", match.group(1)):
        min_col, min_row, max_col, max_row = range_boundaries(arg.replace("$", "").upper())
        if max_col is None or max_row is None or max_col > MAX_COLUMNS:
            total = None
            break
        for row in range(min_row - 1, min(max_row, len(raw))):
            for col in range(min_col - 1, max_col):
                value = _operand((row, col), raw, uncached, done, visiting)
                if value is None or total is None:
                    total = None
                    break
                total += value
        if total is None:
            break
    visiting.discard(place)
    done[place] = total
    return total


def _operand(
    place: tuple[int, int],
    raw: list[list[Any]],
    uncached: dict[tuple[int, int], _Formula],
    done: dict[tuple[int, int], Decimal | None],
    visiting: set[tuple[int, int]],
) -> Decimal | None:
    if place in uncached:
        return _evaluate(place, raw, uncached, done, visiting)
    row, col = place
    value = cell_value(raw[row][col] if col < len(raw[row]) else None)
    if value is None:
        return Decimal(0)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Decimal(value)
    return None

"""Worksheets of .xls/.et (Excel 97-2003, WPS) and .ods workbooks as Tables.

python-calamine (Rust, fast, maintained) reads the values and the merged ranges of .xls;
it allocates a sheet's whole used range, so the range is measured first from the file's own
records (`ole.biff_scan` for .xls, a streamed pass over content.xml for .ods, which also
gives the merged ranges calamine does not report for .ods). When calamine cannot read an
.xls, xlrd does (with `formatting_info=True` for merged ranges); when neither can,
LibreOffice converts it to .xlsx as a last resort.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import xlrd
from lxml import etree
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from wenming.frameworks.io.formats import convert, ole, xlsx
from wenming.frameworks.io.formats.common import (
    MAX_CELLS,
    build_table,
    cut_rows,
    refuse,
    too_large,
)
from wenming.frameworks.io.formats.packages import open_zip
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.io.tables import Merge, Table

PASSWORD = "该文件设置了打开密码，请取消密码后另存再导入"
CORRUPT_XLS = "文件已损坏，无法作为 Excel 表格读取；请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入"
CORRUPT_ODS = (
    "文件已损坏，无法作为 ODS 表格读取；请用 WPS 或 LibreOffice 打开确认后另存为 .xlsx 再导入"
)
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


# -- .xls / .et ------------------------------------------------------------------------------


def read_xls(content: bytes, workbook_stream: bytes) -> tuple[list[Table], bool]:
    """The sheets, and whether the workbook holds pictures."""
    scan = ole.biff_scan(workbook_stream)
    if scan.encrypted:
        raise refuse(PASSWORD)
    for rows, cols in scan.extents:
        if rows * cols > MAX_CELLS:
            raise too_large("sheet", "", rows, cols)
    # python-calamine reserves memory from the DIMENSIONS and SST records before reading the
    # cells; a damaged or crafted record would make it abort the whole process, so such a
    # file goes to xlrd, which allocates for the records it really finds.
    # (every string takes at least 3 bytes of the stream)
    if scan.claimed_cells <= MAX_CELLS and scan.claimed_strings * 3 <= len(workbook_stream):
        try:
            return _xls_calamine(content), scan.pictures
        except ImportFailed:
            raise
        except BaseException as exc:  # calamine cannot read it: older or unusual writers
            _reraise_unless_parser_failure(exc)
    try:
        return _xls_xlrd(content), scan.pictures
    except ImportFailed:
        raise
    except Exception as exc:
        converted = convert.convert(
            content, "xls", "xlsx", advice="请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
        )
        archive = open_zip(converted) if converted is not None else None
        if converted is None or archive is None:
            raise refuse(CORRUPT_XLS) from exc
        with archive:
            return xlsx.read_xlsx(converted, archive), scan.pictures


def _xls_calamine(content: bytes) -> list[Table]:
    tables = []
    with CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            ranges = sheet.merged_cell_ranges
            if ranges is None:
                raise ValueError("no merged ranges")  # let xlrd read them
            rows = cut_rows(sheet.to_python(skip_empty_area=False), "sheet", meta.name)
            merges = [Merge(r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges]
            table = build_table("sheet", meta.name, rows, merges)
            table.hidden = meta.visible != SheetVisibleEnum.Visible
            tables.append(table)
    return tables


def _xls_xlrd(content: bytes) -> list[Table]:
    book = xlrd.open_workbook(
        file_contents=content, formatting_info=True, on_demand=True, logfile=io.StringIO()
    )
    tables = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.nrows * sheet.ncols > MAX_CELLS:
                raise too_large("sheet", sheet.name, sheet.nrows, sheet.ncols)
            values = [
                [_xlrd_value(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows)
            ]
            rows = cut_rows(values, "sheet", sheet.name)
            merges = [Merge(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
            table = build_table("sheet", sheet.name, rows, merges)
            table.hidden = sheet.visibility != 0
            tables.append(table)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return tables


def _xlrd_value(book: Any, cell: Any) -> Any:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell.value


# -- .ods --------------------------------------------------------------------------------------


@dataclass
class _OdsSheet:
    name: str
    hidden: bool = False
    merges: list[Merge] = field(default_factory=list)
    rows: int = 0  # used range: the last row and column with content, 1-based
    cols: int = 0


def read_ods(content: bytes, archive: zipfile.ZipFile) -> list[Table]:
    manifest = _member(archive, "META-INF/manifest.xml", 1024 * 1024)
    if b"encryption-data" in manifest:
        raise refuse(PASSWORD)
    layout = _ods_layout(archive)
    for sheet in layout:
        if sheet.rows * sheet.cols > MAX_CELLS:
            raise too_large("sheet", sheet.name, sheet.rows, sheet.cols)
    tables = []
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
            for sheet in layout:
                values = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
                table = build_table(
                    "sheet", sheet.name, cut_rows(values, "sheet", sheet.name), sheet.merges
                )
                table.hidden = sheet.hidden
                tables.append(table)
    except ImportFailed:
        raise
    except BaseException as exc:
        _reraise_unless_parser_failure(exc)
        raise refuse(CORRUPT_ODS) from exc
    return tables


def _reraise_unless_parser_failure(exc: BaseException) -> None:
    """A damaged file makes calamine raise, or panic: a PanicException, which derives from
    BaseException. Anything else (KeyboardInterrupt, SystemExit) goes on."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def _member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
        return archive.read(name) if info.file_size <= limit else b""
    except KeyError:
        return b""
    except Exception as exc:
        raise refuse(CORRUPT_ODS) from exc


def _ods_layout(archive: zipfile.ZipFile) -> list[_OdsSheet]:
    """Each table's name, visibility, merged ranges and used range, read in one streamed
    pass over content.xml (repeated rows and cells are counted, never expanded)."""
    hidden_styles: set[str] = set()
    sheets: list[_OdsSheet] = []
    state = {"row": 0, "col": 0, "filled": False}
    tags = [f"{{{TABLE}}}{t}" for t in ("table", "table-row", "table-cell", "covered-table-cell")]
    tags.append(f"{{{STYLE}}}style")
    try:
        with archive.open("content.xml") as stream:
            for event, element in etree.iterparse(
                stream,
                events=("start", "end"),
                tag=tags,
                resolve_entities=False,
                no_network=True,
            ):
                _ods_event(event, element, sheets, hidden_styles, state)
    except ImportFailed:
        raise
    except Exception as exc:  # missing content.xml, bad XML, a CRC error
        raise refuse(CORRUPT_ODS) from exc
    return sheets


def _ods_event(
    event: str,
    element: Any,
    sheets: list[_OdsSheet],
    hidden_styles: set[str],
    state: dict[str, Any],
) -> None:
    local = etree.QName(element).localname
    if local == "style":
        if event == "end":
            props = element.find(f"{{{STYLE}}}table-properties")
            if props is not None and props.get(f"{{{TABLE}}}display") == "false":
                hidden_styles.add(element.get(f"{{{STYLE}}}name", ""))
        return
    if local == "table":
        if event == "start":
            style = element.get(f"{{{TABLE}}}style-name", "")
            sheets.append(_OdsSheet(element.get(f"{{{TABLE}}}name", ""), style in hidden_styles))
            state["row"] = 0
        else:
            element.clear()
        return
    if not sheets:
        return
    sheet = sheets[-1]
    if local == "table-row":
        if event == "start":
            state["col"], state["filled"] = 0, False
        else:
            repeat = _count(element.get(f"{{{TABLE}}}number-rows-repeated"))
            if state["filled"]:
                sheet.rows = state["row"] + repeat
            state["row"] += repeat
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
        return
    if event == "end":
        _ods_cell(element, local, sheet, state)
        element.clear()


def _ods_cell(element: Any, local: str, sheet: _OdsSheet, state: dict[str, Any]) -> None:
    repeat = _count(element.get(f"{{{TABLE}}}number-columns-repeated"))
    row, col = state["row"], state["col"]
    if local == "table-cell":
        if element.get(f"{{{OFFICE}}}value-type") is not None or len(element):
            state["filled"] = True
            sheet.cols = max(sheet.cols, col + repeat)
        across = _count(element.get(f"{{{TABLE}}}number-columns-spanned"))
        down = _count(element.get(f"{{{TABLE}}}number-rows-spanned"))
        if across > 1 or down > 1:
            sheet.merges.append(Merge(row, col, row + down - 1, col + across - 1))
    state["col"] = col + repeat


def _count(raw: str | None) -> int:
    try:
        return max(1, int(raw)) if raw else 1
    except ValueError:
        return 1

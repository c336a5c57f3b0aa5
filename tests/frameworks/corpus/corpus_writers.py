"""Write grids as .xlsx (openpyxl) or .docx (python-docx), convert them with LibreOffice, and
read every format back for the sanity check."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
import xlrd
from corpus_model import Formula, Grid
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

FIXED_TIME = datetime(2024, 3, 1, 9, 0, 0)
PROFILE = Path(tempfile.gettempdir()) / "wenming-corpus-lo-profile"
FILTERS = {
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "doc": "doc:MS Word 97",
    "docx": "docx:MS Word 2007 XML",
}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# -- .xlsx -----------------------------------------------------------------------------------


def _table_top(grid: Grid) -> int:
    """Rows above the first header row are titles and notes: no borders there."""
    return min(grid.header) if grid.header else 0


def write_xlsx(grids: list[Grid], path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cached: dict[tuple[int, str], int | float] = {}
    for index, grid in enumerate(grids):
        ws = wb.create_sheet(grid.name)
        if grid.hidden:
            ws.sheet_state = "hidden"
        top = _table_top(grid)
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                cell = ws.cell(r + 1, c + 1)
                if r >= top and grid.header:
                    cell.border = BOX
                if value is None:
                    continue
                if isinstance(value, Formula):
                    cell.value = value.text
                    cached[(index, cell.coordinate)] = value.cached
                else:
                    cell.value = value
                if isinstance(value, int | float | Formula) and grid.number_format:
                    cell.number_format = grid.number_format
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                cell.font = Font(name="宋体", size=11, bold=r in grid.header)
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for c, width in enumerate(grid.widths):
            ws.column_dimensions[get_column_letter(c + 1)].width = width
    wb.properties.creator = "文明办"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    if cached:
        _store_cached_values(path, cached)


def _store_cached_values(path: Path, cached: dict[tuple[int, str], int | float]) -> None:
    """openpyxl writes formulas without results; Excel and WPS always save the result too."""
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    for (index, ref), value in cached.items():
        name = f"xl/worksheets/sheet{index + 1}.xml"
        xml = parts[name].decode()
        pattern = re.compile(rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f>(?:<v\s*/>|<v>\s*</v>)?')
        stored = rf"\1<f>\2</f><v>{value}</v>"
        xml, count = pattern.subn(stored, xml)
        if count != 1:
            raise RuntimeError(f"formula cell {ref} not found in {name}")
        parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


# -- .docx -----------------------------------------------------------------------------------


def _paragraph(document: Any, text: str) -> None:
    """'^' marks a title line (centred, bold, larger); '>' a right-aligned line."""
    paragraph = document.add_paragraph()
    size, bold = 12, False
    if text.startswith("^"):
        text, size, bold = text[1:], 16, True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif text.startswith(">"):
        text = text[1:]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    tr_pr.append(marker)


def _fill_cell(cell: Any, value: Any, bold: bool) -> None:
    lines = str(value).split("\n")
    cell.text = ""
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(10.5)


def _add_table(document: Any, grid: Grid) -> None:
    table = document.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(grid.rows):
        for c, value in enumerate(row):
            if value is not None:
                _fill_cell(table.cell(r, c), value, r in grid.header)
        if r in grid.header:
            _repeat_header(table.rows[r])
    for c, width in enumerate(grid.widths):
        for row in table.rows:
            row.cells[c].width = Cm(width)
    for r1, c1, r2, c2 in grid.merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))


def write_docx(grids: list[Grid], path: Path, *, landscape: bool = True) -> None:
    document = docx.Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2.0))
    normal = document.styles["Normal"]
    normal.font.name = "宋体"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for grid in grids:
        if grid.page_break_before:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for text in grid.before:
            _paragraph(document, text)
        _add_table(document, grid)
        for text in grid.after:
            _paragraph(document, text)
    props = document.core_properties
    props.author = "文明办"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_modified_by = "文明办"
    props.comments = ""
    document.save(str(path))


# -- LibreOffice -----------------------------------------------------------------------------


def soffice_convert(src: Path, target: str, outdir: Path) -> Path:
    """Convert with a private LibreOffice profile (other sessions may run soffice meanwhile)."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [
        "soffice",
        "--headless",
        f"-env:UserInstallation={PROFILE.as_uri()}",
        "--convert-to",
        FILTERS[target],
        "--outdir",
        str(outdir),
        str(src),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    out = outdir / f"{src.stem}.{target}"
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not write {out}")
    return out


# -- reading back ----------------------------------------------------------------------------

Table = tuple[str, list[list[str]], bool]  # name, rows of cell texts, hidden


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> list[Table]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return [
        (
            ws.title,
            [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)],
            ws.sheet_state != "visible",
        )
        for ws in wb.worksheets
    ]


def read_xls(path: Path) -> list[Table]:
    book = xlrd.open_workbook(str(path), formatting_info=True)
    tables = []
    for sheet in book.sheets():
        rows = [
            [_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)
        ]
        tables.append((sheet.name, rows, sheet.visibility != 0))
    return tables


def read_ods(path: Path) -> list[Table]:
    book = CalamineWorkbook.from_path(str(path))
    tables = []
    for meta in book.sheets_metadata:
        sheet = book.get_sheet_by_name(meta.name)
        rows = [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        tables.append((meta.name, rows, str(meta.visible) != "SheetVisibleEnum.Visible"))
    return tables


def read_docx(path: Path) -> tuple[list[Table], list[str]]:
    document = docx.Document(str(path))
    tables = []
    for number, table in enumerate(document.tables, start=1):
        rows = []
        for row in table.rows:
            texts: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                texts.append(cell.text)
            rows.append(texts)
        tables.append((f"表格{number}", rows, False))
    return tables, [p.text for p in document.paragraphs]


def read_any(path: Path) -> tuple[list[Table], list[str]]:
    """Every table of a corpus file as text rows, and a Word file's paragraphs."""
    kind = path.suffix.lstrip(".")
    if kind == "xlsx":
        return read_xlsx(path), []
    if kind in {"xls", "et"}:
        return read_xls(path), []
    if kind == "ods":
        return read_ods(path), []
    if kind == "docx":
        return read_docx(path)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / f"{path.stem}.doc"
        shutil.copyfile(path, copy)
        return read_docx(soffice_convert(copy, "docx", Path(tmp) / "out"))

"""Tables of a Word .docx as Tables, read from the document's XML.

python-docx's object model has no notion of the table grid and loads every part of the
package (pictures included), so the main part is parsed here with lxml (no entity
resolution, no network) and walked with python-docx's namespace helper. Each top-level
`w:tbl` becomes a Table on its grid: a cell starts at the column after `w:gridBefore` and the
spans of the cells before it, `w:gridSpan` spans columns and `w:vMerge` restart/continue
spans rows; both become Merge ranges. A cell's text is its paragraphs joined by "\\n": only
literal text (automatic list numbering is not text), without deleted revisions, field codes
or text boxes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from wenming.frameworks.io.formats.common import (
    MAX_COLUMNS,
    MAX_ROWS,
    build_table,
    refuse,
    too_many_rows,
)
from wenming.frameworks.io.formats.packages import MAX_WORD_BODY, read_member
from wenming.frameworks.io.tables import Merge, Table

CORRUPT = "文件已损坏，无法作为 Word 文档读取；请用 Word 或 WPS 打开确认后另存为 .docx 再导入"
P, TBL, TR, TC, BODY = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:body")
T, TAB, BR, CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
PTAB, HYPHEN = qn("w:ptab"), qn("w:noBreakHyphen")
WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
# Never text: properties, deleted revisions, drawings and text boxes, the fallback copy of
# alternate content.
SKIP = {
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:drawing"),
    qn("w:pict"),
    qn("w:object"),
    qn("w:txbxContent"),
    qn("w:sdtPr"),
    qn("w:sdtEndPr"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
PICTURES = (qn("w:drawing"), qn("w:pict"), qn("w:object"))


@dataclass
class WordBody:
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    pictures: int = 0

    @property
    def text_length(self) -> int:
        texts = [*self.paragraphs, *(str(v) for t in self.tables for r in t.rows for v in r if v)]
        return sum(len("".join(text.split())) for text in texts)


@dataclass
class _Cell:
    col: int
    span: int
    merge: str | None  # vMerge: "restart", "continue" or None
    text: str | None


def read_docx(archive: zipfile.ZipFile) -> WordBody:
    try:
        data = read_member(archive, "word/document.xml", MAX_WORD_BODY)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
        root = etree.fromstring(data, parser)
    except (KeyError, etree.LxmlError) as exc:
        raise refuse(CORRUPT) from exc
    body = root.find(BODY)
    if body is None:
        raise refuse(CORRUPT)
    result = WordBody(pictures=sum(1 for _ in body.iter(*PICTURES)))
    pending: list[str] = []
    for element in _blocks(body):
        if element.tag == P:
            text = paragraph_text(element).strip()
            if text:
                result.paragraphs.append(text)
                pending.append(text)
            continue
        table = _table(element, f"表格{len(result.tables) + 1}")
        table.before = list(pending)
        if result.tables:
            result.tables[-1].after = list(pending)
        result.tables.append(table)
        pending = []
    if result.tables:
        result.tables[-1].after = pending
    return result


def _blocks(parent: Any) -> Any:
    """Body paragraphs and tables in order, through content controls and custom XML."""
    for child in parent:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in WRAPPERS:
            yield from _blocks(child)


def paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == T:
            parts.append(child.text or "")
        elif tag in (TAB, PTAB):
            parts.append("\t")
        elif tag in (BR, CR):
            if child.get(qn("w:type")) != "page":
                parts.append("\n")
        elif tag == HYPHEN:
            parts.append("-")
        elif tag not in SKIP and isinstance(tag, str):
            _collect(child, parts)


def _cell_text(cell: Any) -> str | None:
    """The cell's paragraphs (and those of a table nested in it), non-empty, one a line."""
    lines: list[str] = []
    _cell_lines(cell, lines)
    return "\n".join(lines) or None


def _cell_lines(parent: Any, lines: list[str]) -> None:
    # Direct children only: a text box's paragraphs, deeper down, are not the cell's text.
    for child in parent:
        if child.tag == P:
            text = paragraph_text(child).strip()
            if text:
                lines.append(text)
        elif child.tag in (TBL, TR, TC) or child.tag in WRAPPERS:
            _cell_lines(child, lines)


def _val(element: Any, default: int) -> int:
    if element is None:
        return default
    try:
        return max(0, int(element.get(qn("w:val"), default)))
    except ValueError:
        return default


def _rows(table: Any, name: str) -> list[list[_Cell]]:
    rows: list[list[_Cell]] = []
    for row in _children(table, TR):
        if len(rows) >= MAX_ROWS:
            raise too_many_rows("table", name)
        properties = row.find(qn("w:trPr"))
        col = _val(properties.find(qn("w:gridBefore")) if properties is not None else None, 0)
        cells: list[_Cell] = []
        for cell in _children(row, TC):
            props = cell.find(qn("w:tcPr"))
            span = max(1, _val(props.find(qn("w:gridSpan")) if props is not None else None, 1))
            vmerge = props.find(qn("w:vMerge")) if props is not None else None
            merge = None
            if vmerge is not None:
                merge = "restart" if vmerge.get(qn("w:val")) == "restart" else "continue"
            hmerge = props.find(qn("w:hMerge")) if props is not None else None
            if hmerge is not None and hmerge.get(qn("w:val")) != "restart" and cells:
                cells[-1].span += span  # legacy horizontal merge: part of the cell before
                col += span
                continue
            cells.append(_Cell(col, span, merge, _cell_text(cell)))
            col += span
        rows.append(cells)
    return rows


def _children(parent: Any, tag: str) -> Any:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def _table(element: Any, name: str) -> Table:
    """One w:tbl on its grid, merged cells as Merge ranges."""
    grid = len(element.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
    rows = _rows(element, name)
    width = min(MAX_COLUMNS, max([grid, *(c.col + c.span for r in rows for c in r)]))
    values: list[list[Any]] = []
    merges: list[Merge] = []
    chains: dict[int, list[int]] = {}  # first column → [first row, last row, span]
    for index, cells in enumerate(rows):
        line: list[Any] = [None] * width
        continued: set[int] = set()
        for cell in cells:
            if cell.col >= width:
                break  # beyond the columns read (a damaged gridSpan or gridBefore too)
            chain = chains.get(cell.col)
            if cell.merge == "continue" and chain is not None:
                chain[1] = index
                continued.add(cell.col)
                continue
            line[cell.col] = cell.text
            if chain is not None:
                merges.append(_close(cell.col, chains.pop(cell.col)))
            if cell.merge == "restart":
                chains[cell.col] = [index, index, cell.span]
                continued.add(cell.col)
            elif cell.span > 1:
                merges.append(Merge(index, cell.col, index, cell.col + cell.span - 1))
        for col in [c for c in chains if c not in continued]:
            merges.append(_close(col, chains.pop(col)))
        values.append(line)
    merges += [_close(col, chain) for col, chain in chains.items()]
    return build_table("table", name, values, merges)


def _close(col: int, chain: list[int]) -> Merge:
    first, last, span = chain
    return Merge(first, col, last, col + span - 1)

"""The tables of a document, whatever its format: what every evaluation-system reader reads.

`wenming.frameworks.io.documents.read_document(content, filename)` turns an uploaded
.xlsx/.xlsm/.xls/.et/.ods/.docx/.doc/.wps into a `Document`: its tables (each worksheet, or
each Word table) with the text around them. The layout reader then decides what each row is
(an item, a standard, a section heading, a total...) from these tables alone, so formats and
layouts are independent of each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A cell value as read: text, a number (int, float or Decimal), a date, or None when empty.
Value = Any


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive, in the table's own row and column indexes."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def covers(self, row: int, col: int) -> bool:
        return self.first_row <= row <= self.last_row and self.first_col <= col <= self.last_col


@dataclass(frozen=True)
class CellProblem:
    """Something about one cell the reader could not read (a formula without a value...)."""

    row: int  # 0-based index into Table.rows
    col: int
    message: str


@dataclass
class Table:
    """One worksheet or one Word table.

    `rows` holds each cell's own value: a merged range's value is in its top-left cell only
    and the other cells of the range are None (use `filled` to read a merged cell's value).
    `row_numbers[i]` is the number a user sees for `rows[i]`: the Excel row number, or for a
    Word table the row's position with the table's first row as 1. Rows are trimmed of
    trailing empty cells; wholly empty rows are kept only between non-empty ones.
    """

    kind: str  # "sheet" or "table"
    name: str  # the sheet's name, or "表格1", "表格2"... for Word tables
    rows: list[list[Value]]
    row_numbers: list[int]
    merges: list[Merge] = field(default_factory=list)
    # Text around a Word table: paragraphs above it (title, issuer, 附件 line) and below it
    # up to the next table (notes, a numbered list of veto cases). Empty for sheets.
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    hidden: bool = False  # a hidden worksheet
    # merge_at's index: every covered cell → its range, rebuilt when `merges` changes.
    _covered: dict[tuple[int, int], Merge] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _covered_key: tuple[int, int] = field(default=(0, -1), init=False, repr=False, compare=False)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def merge_at(self, row: int, col: int) -> Merge | None:
        key = (id(self.merges), len(self.merges))
        if key != self._covered_key:
            self._covered = {
                (r, c): m
                for m in reversed(self.merges)  # the first range wins where two overlap
                for r in range(m.first_row, m.last_row + 1)
                for c in range(m.first_col, m.last_col + 1)
            }
            self._covered_key = key
        return self._covered.get((row, col))

    def filled(self, row: int, col: int) -> Value:
        """The cell's value, or for a cell inside a merged range the range's value."""
        m = self.merge_at(row, col)
        if m is not None:
            row, col = m.first_row, m.first_col
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[col] if col < len(cells) else None


@dataclass
class Document:
    """An uploaded document read into tables. `kind` is what the content is (not what the
    file name says): "xlsx" (.xlsm too), "xls", "et", "ods", "docx", "doc" or "wps", also
    "odt" and "rtf" (converted like .doc). "xls"/"et" and "doc"/"wps" are the same content;
    the file name's extension tells them apart."""

    kind: str
    filename: str
    tables: list[Table]
    # Word: the document's paragraphs in order (the title and notes live here too).
    paragraphs: list[str] = field(default_factory=list)

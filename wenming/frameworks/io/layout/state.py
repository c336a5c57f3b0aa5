"""The state the layout reader keeps while it reads a document's rows, and the small
operations every kind of row uses: where a row is, how a problem is placed, how points are
read, where a node is attached."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wenming.frameworks.io.excel_format import DASHES, cell_text, compact, derive_months
from wenming.frameworks.io.layout.columns import Header
from wenming.frameworks.io.layout.text import numbers_in_note, text_points
from wenming.frameworks.io.reading import (
    Check,
    Corrections,
    RowReading,
    SectionReading,
    TextPoints,
)
from wenming.frameworks.io.spec import (
    FrameworkSpec,
    NodeSpec,
    Origin,
    Problem,
    fmt_points,
    parse_points,
)
from wenming.frameworks.io.tables import Merge, Table
from wenming.frameworks.models import Section

GROUP = -1  # a level opened by heading rows merged across the table, above the level columns
LOOKBACK_RE = re.compile(
    r"(申报前[^，,。；;（）()]{1,10}?内|评选周期内|届期内|测评周期内|近[一二两三四五\d]+年内?)"
)
NEGATIVE_RE = re.compile(r"^[-－−]\d+(?:\.\d+)?分?$")


@dataclass
class Open:
    """A group open at one level, with the text that opened it (“same as above” compares it)."""

    node: NodeSpec
    raw: str


class RowState:
    """What the reader knows so far: the spec being built, the readings of the rows, and the
    table, header and open groups of the table being read."""

    def __init__(self, corrections: Corrections, *, single_table: bool):
        self.corrections = corrections
        self.single_table = single_table
        self.spec = FrameworkSpec(name="")
        self.rows: list[RowReading] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.sections: list[SectionReading] = []
        self.checks: list[Check] = []
        self.text_points: list[TextPoints] = []
        self.ordinals: dict[int, int] = {}
        self.depths: dict[int, int] = {}
        self.bad_points = False
        self.section: str = Section.BASIC
        self.section_raw = ""
        self.lookback = ""  # the look-back period a veto heading states for its cases
        self.leaves_since: list[NodeSpec] = []
        # What 说明 rows and paragraphs state: (value, where), used when nothing else does.
        self.note_numbers: dict[str, tuple[Decimal, RowReading | None]] = {}
        self.explicit_year = False
        self.date_year: int | None = None  # from a date or “（2017）” line near the title
        self.meta: set[str] = set()  # fields a “键：值” line states
        self.pending: tuple[str, str, RowReading] | None = None  # a heading for the next table
        self.tables_read: list[tuple[str, Header]] = []
        # Rows of a Word table continued from the one before: index → (its own table, row).
        self.sources: dict[int, tuple[str, int]] = {}
        # the table being read
        self.table = Table(kind="sheet", name="", rows=[], row_numbers=[])
        self.header = Header()
        self.slots: list[int] = []
        self.open: list[Open | None] = []
        self.last_leaf: NodeSpec | None = None
        self.points_cols: dict[int, int] = {}  # slot → its own points column
        self.leaf_points: int | None = None
        self.code_col: int | None = None
        self.code_ordinals = False
        self.offset = 0
        self.merges: dict[int, list[Merge]] = {}

    # -- places and problems -------------------------------------------------------------

    def number(self, index: int) -> int:
        """The row number a user sees: the sheet's, or in a Word table with the header as 1
        (in the table it stands in, for a table continued after a page break)."""
        if index in self.sources:
            return self.sources[index][1]
        return self.table.row_numbers[index] - self.offset

    def sheet_of(self, index: int) -> str:
        return self.sources[index][0] if index in self.sources else self.table.name

    def col_name(self, col: int | None) -> str | None:
        if col is None:
            return None
        name = self.header.names.get(col, "")
        return name.replace("\n", "") if name else f"第{col + 1}列"

    def problem(
        self, message: str, rr: RowReading | None, col: int | None = None, *, warn: bool = False
    ) -> None:
        found = Problem(
            message,
            row=rr.row if rr else None,
            column=self.col_name(col),
            sheet=rr.sheet if rr else self.table.name or None,
            sheet_implied=self.single_table,
        )
        (self.warnings if warn else self.problems).append(found)
        if rr is not None:
            rr.problems.append(found)

    def record(self, index: int, cells: list[str]) -> RowReading:
        rr = RowReading(
            sheet=self.sheet_of(index), row=self.number(index), cells=cells, section=self.section
        )
        self.rows.append(rr)
        return rr

    def origin(self, rr: RowReading, col: int | None) -> Origin:
        return Origin(row=rr.row, column=self.col_name(col), sheet=rr.sheet)

    def points(self, raw: Any, rr: RowReading, col: int | None) -> Decimal | None:
        if raw is None or (isinstance(raw, str) and (not raw.strip() or raw.strip() in DASHES)):
            return None
        if isinstance(raw, float):
            raw = round(raw, 9)
        if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool) and raw < 0:
            self.bad_points = True
            self.problem(
                f"分值不能为负数（{cell_text(raw)}）；扣分项请列在“负面清单（扣分项）”标题行之下",
                rr,
                col,
            )
            return None
        try:
            return parse_points(raw)
        except ValueError as exc:
            text = cell_text(raw)
            words = text_points(text)
            message = str(exc)
            if words is not None:
                self.text_points.append(TextPoints(rr.sheet, rr.row, text, words))
                if self.corrections.accept_text_points:
                    self.problem(f"分值“{text}”按文字读作{fmt_points(words)}分", rr, col, warn=True)
                    return words
                message += f"；如指{fmt_points(words)}分，也可在导入预览中确认按文字读分值"
            elif NEGATIVE_RE.match(compact(text)):
                message += "；扣分项请列在“负面清单（扣分项）”标题行之下"
            self.bad_points = True
            self.problem(message, rr, col)
            return None

    def note(self, text: str, rr: RowReading | None) -> None:
        """A 说明 row or paragraph: kept as the system's description; the caps, totals and
        lines it states are used where no heading or header row states them."""
        self.spec.description = f"{self.spec.description}\n{text}".strip()
        for key, value in numbers_in_note(text).items():
            if key not in self.note_numbers:
                self.note_numbers[key] = (value, rr)

    def attach(self, node: NodeSpec, level: int) -> int:
        """Put the node under the nearest open group above `level`; returns its depth."""
        parent = next((o.node for o in reversed(self.open[:level]) if o is not None), None)
        (parent.children if parent is not None else self.spec.roots).append(node)
        depth = self.depths.get(id(parent), -1) + 1 if parent is not None else 0
        self.depths[id(node)] = depth
        return depth

    def count(self, node: NodeSpec) -> None:
        """Add a standard to the section heading it stands under (caps are checked on these)."""
        if self.sections and self.sections[-1].section == node.section:
            self.sections[-1].standards += 1
            self.sections[-1].listed += node.points or Decimal(0)

    @staticmethod
    def _cell(row: list[Any], col: int | None) -> Any:
        return row[col] if col is not None and col < len(row) else None

    def _col(self, meaning: str) -> int | None:
        return next((c for c, m in sorted(self.header.columns.items()) if m == meaning), None)

    def veto_lookback(self, node: NodeSpec) -> None:
        """A case's look-back period from its own text (“申报前12个月内发生…”), else from its
        heading (“一票否决项（申报前两年内有下列情形之一的…）”)."""
        if node.lookback or node.lookback_months is not None:
            return
        found = LOOKBACK_RE.search(compact(node.title))
        lookback = found.group(1) if found else self.lookback
        if lookback:
            node.lookback, node.lookback_months = lookback, derive_months(lookback)

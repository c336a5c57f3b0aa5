"""The body of a table, row by row, into the tree: the roles rows play and the nodes they open.

One `Builder` reads every table of a document into one `FrameworkSpec`, so sections and codes
run on from one sheet to the next. Each row gets a role (`reading.ROLES`): a row's own
structure decides it (a single text merged across the table is a heading; a 合计 is a
total; cells in the level columns open items and contents; the rightmost level column holds
the standard), unless the user's corrections say otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from wenming.frameworks.io.excel_format import (
    DASHES,
    FOOTNOTE_RE,
    METHOD_SPLIT_RE,
    SUBTOTAL_WORDS,
    TOTAL_WORDS,
    cell_text,
    compact,
    section_of,
)
from wenming.frameworks.io.layout.columns import Header
from wenming.frameworks.io.layout.leaves import ORDINAL_CELL_RE, LeafRows
from wenming.frameworks.io.layout.sections import SectionRows
from wenming.frameworks.io.layout.state import GROUP, Open
from wenming.frameworks.io.layout.text import (
    heading_section,
    split_code,
    title_points,
)
from wenming.frameworks.io.reading import (
    ROLE_BY_SECTION,
    SECTION_ROLES,
    RowReading,
)
from wenming.frameworks.io.spec import (
    NodeSpec,
)
from wenming.frameworks.io.tables import Merge, Table
from wenming.frameworks.models import Section

FORM_RE = re.compile(
    r"^(?:总?得分|实得分|合计得分|自评分|.{0,12}(?:签字|签名|盖章|日期|时间|考核人|检查人|测评人|审核人)"
    r"|.{1,12}[:：])$"
)
TOTAL_RE = re.compile(r"^(?:合计|总计|总分|共计)[（(].*[）)]$|^.{0,6}合计$")


class Builder(SectionRows, LeafRows):
    """Reads the rows of every table into one spec, recording how each row was read."""

    # -- tables --------------------------------------------------------------------------

    def start_table(self, table: Table, header: Header, section: str) -> None:
        self.table, self.header = table, header
        self.merges = {}  # row → the merged ranges over it, so that a row's lookups stay cheap
        for merge in table.merges:
            for index in range(merge.first_row, merge.last_row + 1):
                self.merges.setdefault(index, []).append(merge)
        first = header.rows[0] if header.rows else 0
        self.offset = table.row_numbers[first] - 1 if table.kind == "table" and table.rows else 0
        columns = header.columns
        hierarchy = header.hierarchy()
        self.code_col = next((c for c, m in sorted(columns.items()) if m == "code"), None)
        self.slots = ([GROUP] if self._has_headings() else []) + hierarchy
        self.open = [None] * (len(self.slots) - 1)
        self.last_leaf = None
        self.points_cols, self.leaf_points = {}, None
        points = sorted(c for c, m in columns.items() if m == "points")
        for col in points:
            left = [i for i, c in enumerate(self.slots) if c != GROUP and c < col]
            slot = left[-1] if left else len(self.slots) - 1
            if len(points) > 1 and slot < len(self.slots) - 1:
                self.points_cols.setdefault(slot, col)
            else:
                self.leaf_points = col
        if self.leaf_points is None and points and not self.points_cols:
            self.leaf_points = points[-1]
        self.code_ordinals = self._codes_restart()
        if section != self.section:
            self.section, self.section_raw = section, ""
        self.leaves_since = []

    def _codes_restart(self) -> bool:
        """A 序号 column that starts again at 1 under each item numbers, it does not name."""
        if self.code_col is None:
            return False
        values = [
            cell_text(r[self.code_col])
            for r in self.table.rows[self.header.body_start :]
            if self.code_col < len(r) and cell_text(r[self.code_col])
        ]
        ordinal = [v for v in values if ORDINAL_CELL_RE.match(v)]
        return bool(values) and len(ordinal) == len(values) and len(set(values)) < len(values)

    def _has_headings(self) -> bool:
        return any(
            self._heading_text(i) is not None
            for i in range(self.header.body_start, len(self.table.rows))
        )

    def _heading_text(self, index: int) -> str | None:
        """The text of a row that is one heading merged across the table (or standing alone in
        the 序号 column), other than a section, total or note."""
        row = self.table.rows[index]
        filled = [(c, cell_text(v)) for c, v in enumerate(row) if cell_text(v)]
        if len({t for _, t in filled}) != 1:
            return None
        col, text = filled[0]
        meaning = self.header.columns.get(col)
        spans = self._spans(index, col)
        if meaning in ("item", "content", "standard") or (not spans and meaning != "code"):
            return None
        flat = compact(text)
        if (
            len(flat) < 2
            or flat.isdigit()
            or FOOTNOTE_RE.match(text)
            or heading_section(text)
            or flat in TOTAL_WORDS
            or flat in SUBTOTAL_WORDS
            or TOTAL_RE.match(flat)
        ):
            return None
        return text

    # -- rows ----------------------------------------------------------------------------

    def read_row(self, index: int) -> None:
        row = self.table.rows[index]
        texts = {c: cell_text(v) for c, v in enumerate(row) if cell_text(v)}
        if not texts:
            return
        cells = [cell_text(v) for v in row]
        rr = self.record(index, cells)
        forced = self.corrections.roles.get((rr.sheet, rr.row))
        role = forced or self.classify(index, texts)
        rr.corrected = forced is not None
        self.dispatch(role, index, rr, texts)

    def classify(self, index: int, texts: dict[int, str]) -> str:
        first = compact(texts[min(texts)])
        if all(FORM_RE.match(compact(t)) for t in texts.values()):
            return "ignore"  # the evaluator's fields: 总得分, 考核组成员签字：
        if first in TOTAL_WORDS or TOTAL_RE.match(first):
            return "total"
        if first in SUBTOTAL_WORDS or first.startswith("小计"):
            return "subtotal"
        names = self.header.names
        same = sum(1 for c, t in texts.items() if names.get(c) and compact(names[c]) == compact(t))
        if same >= 2 and same >= 0.6 * len(texts):
            return "header"
        distinct = set(texts.values())
        if len(distinct) == 1:
            text = next(iter(distinct))
            col = min(texts)
            if FOOTNOTE_RE.match(text):
                return "note"
            broad = self._spans(index, col) or col != self.slots[-1]
            section = heading_section(text) if broad else section_of(text)
            if section is not None:
                return ROLE_BY_SECTION[section]
            if self._heading_text(index) is not None:
                return "heading"
        return "entry"

    def _merge(self, index: int, col: int) -> Merge | None:
        return next((m for m in self.merges.get(index, ()) if m.covers(index, col)), None)

    def _spans(self, index: int, col: int) -> bool:
        merge = self._merge(index, col)
        return merge is not None and merge.last_col > merge.first_col

    def dispatch(self, role: str, index: int, rr: RowReading, texts: dict[int, str]) -> None:
        row = self.table.rows[index]
        text = "；".join(dict.fromkeys(texts.values()))
        rr.role = role
        if role in ("total", "subtotal"):
            self.read_total(role, rr, row, text)
        elif role in SECTION_ROLES:
            self.switch(SECTION_ROLES[role], text, rr)
        elif role == "note":
            self.note(text, rr)
        elif role == "title":
            self.spec.name = text
        elif role == "heading":
            node = self.open_node(text, 0, rr, None)
            rr.node, rr.role, rr.level = node, "item", 0
        elif role in ("item", "content", "standard"):
            self.forced(role, index, rr, texts)
        elif role == "entry":
            self.entry(index, rr, texts)
        rr.section = self.section

    # -- nodes ---------------------------------------------------------------------------

    def open_node(self, raw: str, level: int, rr: RowReading, col: int | None) -> NodeSpec:
        rest, stated = title_points(raw)
        code, title = split_code(rest)
        title = re.sub(r"\s*\n\s*", "", title)  # “组\n织\n管\n理” written down a narrow cell
        node = NodeSpec(
            code=code.text, title=title, section=self.section, origin=self.origin(rr, col)
        )
        self._ordinal(node, code)
        node.points = stated
        self.attach(node, level)
        self.open[level:] = [Open(node, raw)] + [None] * (len(self.open) - level - 1)
        self.last_leaf = None
        return node

    def level_role(self, level: int) -> str:
        if level >= len(self.slots) - 1:
            return "standard"
        return "item" if level == 0 else "content"

    def entry(self, index: int, rr: RowReading, texts: dict[int, str]) -> None:
        """A row read by its columns: level cells open groups, the last level is the standard."""
        row = self.table.rows[index]
        texts = self._spanning_leaf(index, texts)
        opened: tuple[NodeSpec, int] | None = None
        first: NodeSpec | None = None
        changed = False
        first_slot = next((i for i, c in enumerate(self.slots) if c != GROUP), 0)
        for level, col in enumerate(self.slots[:-1]):
            if col == GROUP:
                continue
            raw = texts.get(col, "")
            current = self.open[level]
            if not raw:
                if changed:
                    self.open[level] = None
                continue
            if raw in DASHES:
                self.open[level:] = [None] * (len(self.open) - level)
                changed = True
                continue
            if current is not None and not changed and current.raw == raw:
                continue
            if level == first_slot and raw == self.section_raw:
                continue
            section = self._label_section(raw) if level == first_slot else None
            if section is not None:
                self.switch(section, raw, rr)
                self.section_raw = raw
                changed = True
                continue
            node = self.open_node(raw, level, rr, col)
            if node.points is None and level in self.points_cols:
                node.points = self.points(
                    self._cell(row, self.points_cols[level]), rr, self.points_cols[level]
                )
            first = first or node
            opened, changed = (node, level), True
        if first is not None:
            texts = self._group_code(index, first, texts)
        self.finish_entry(row, rr, texts, opened)

    def _group_code(self, index: int, group: NodeSpec, texts: dict[int, str]) -> dict[int, str]:
        """A 序号 cell merged down over a group's rows (“一” beside “组织领导”) numbers the
        group, not the row's standard."""
        code = texts.get(self.code_col) if self.code_col is not None else None
        merge = self._merge(index, self.code_col) if code and self.code_col is not None else None
        if merge is None or merge.last_row == merge.first_row or group.code or not code:
            return texts
        self._set_code(group, code)
        return {c: t for c, t in texts.items() if c != self.code_col}

    def _spanning_leaf(self, index: int, texts: dict[int, str]) -> dict[int, str]:
        """A text merged from a level column across the standard's column, beside a points
        cell (“（1）领导班子成员…” over 测评项目 and 测评内容, then “-10”): the standard."""
        leaf_col = self.slots[-1]
        if leaf_col == GROUP or texts.get(leaf_col):
            return texts
        col = next((c for c in self.slots[:-1] if c != GROUP and texts.get(c)), None)
        merge = self._merge(index, col) if col is not None else None
        if col is None or merge is None or merge.last_col < leaf_col:
            return texts
        if not any(c > merge.last_col for c in texts):
            return texts  # a heading merged across the whole row
        out = dict(texts)
        out[leaf_col] = out.pop(col)
        return out

    def _label_section(self, raw: str) -> str | None:
        """A section named in the item column (“加分项目”, merged over its rows), unless the
        label goes on numbering the basic items (“八、特色指标（10分）” after “七、…”)."""
        section = section_of(raw)
        if section is None or section == Section.BASIC or self.section != Section.BASIC:
            return section
        code, _ = split_code(title_points(raw)[0])
        basic = [r for r in self.spec.roots if r.section == Section.BASIC]
        if (
            code.ordinal is not None
            and basic
            and self.ordinals.get(id(basic[-1])) == code.ordinal - 1
        ):
            return None
        return section

    def finish_entry(
        self,
        row: list[Any],
        rr: RowReading,
        texts: dict[int, str],
        opened: tuple[NodeSpec, int] | None,
    ) -> None:
        leaf_col = self.slots[-1]
        leaf_text = texts.get(leaf_col, "") if leaf_col != GROUP else ""
        if leaf_text and leaf_text not in DASHES:
            self.leaf(leaf_text, row, rr, texts, leaf_col)
        elif opened is not None:
            node, level = opened
            rr.node, rr.role, rr.level = node, self.level_role(level), self.depths[id(node)]
            code = texts.get(self.code_col, "") if self.code_col is not None else ""
            if code and not node.code:
                self._set_code(node, code)
            raw = self._cell(row, self.leaf_points)
            if node.points is None and self.section in (Section.BASIC, Section.BONUS):
                node.points = self.points(raw, rr, self.leaf_points)
            elif self.section == Section.DEDUCTION and not node.children:
                self.deduction_leaf(node, rr, raw)  # a deduction written in the item column
            self.fill_aux(node, texts, append=False)
        elif self.leaf_points is not None and cell_text(self._cell(row, self.leaf_points)):
            leaf_name = self.col_name(leaf_col) if leaf_col != GROUP else "测评标准"
            self.problem(f"这一行有分值，但“{leaf_name}”列是空的，请填写测评标准内容", rr, leaf_col)
            rr.role = "standard"
        elif self.last_leaf is not None:
            self.fill_aux(self.last_leaf, texts, append=True)
            method = texts.get(self._col("method") or -2, "")
            if method:
                self.last_leaf.methods += [m for m in METHOD_SPLIT_RE.split(method) if m]
            rr.role, rr.continues, rr.node = "standard", True, self.last_leaf
        else:
            rr.role = "ignore"

    def forced(self, role: str, index: int, rr: RowReading, texts: dict[int, str]) -> None:
        """A row whose role the user chose: take its text as that level, whatever its columns."""
        row = self.table.rows[index]
        skip = {self.code_col, self.leaf_points, *self.points_cols.values()}
        levels = [c for c in self.slots if c != GROUP]
        ordered = [c for c in levels if texts.get(c)] + [c for c in sorted(texts) if c not in skip]
        col = ordered[0] if ordered else min(texts)
        if role == "standard":
            leaf_col = self.slots[-1]
            text = texts.get(leaf_col) or max(
                (texts[c] for c in ordered), key=len, default=texts[col]
            )
            self.leaf(text, row, rr, texts, leaf_col if texts.get(leaf_col) else col)
            return
        level = 0 if role == "item" or len(self.slots) < 3 else 1
        if not self.open:
            self.slots.insert(0, GROUP)
            self.open = [None]
        node = self.open_node(texts[col], level, rr, col)
        if node.points is None and self.section in (Section.BASIC, Section.BONUS):
            raw = self._cell(row, self.points_cols.get(level, self.leaf_points))
            node.points = self.points(raw, rr, self.points_cols.get(level, self.leaf_points))
        rr.node, rr.role, rr.level = node, role, self.depths[id(node)]

"""A standard's row: its code, points, scoring and the section's own fields (a deduction's
amount per incident and cap, a veto's look-back period)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from wenming.frameworks.io.excel_format import (
    AUX_FIELDS,
    DASHES,
    METHOD_SPLIT_RE,
    cell_text,
    compact,
    parse_deduction,
    parse_scoring,
    parse_veto_window,
)
from wenming.frameworks.io.layout.state import RowState
from wenming.frameworks.io.layout.text import (
    Code,
    bonus_from_text,
    cn_number,
    deduction_from_text,
    numbered_items,
    scoring_from_rule,
    split_code,
    title_points,
)
from wenming.frameworks.io.reading import RowReading
from wenming.frameworks.io.spec import NodeSpec
from wenming.frameworks.models import Section

ORDINAL_CELL_RE = re.compile(
    r"^(?:\d{1,3}|[（(]?[一二三四五六七八九十]{1,3}[）)、.．]?|\d{1,3}[、.．)）]|[①-⑳])$"
)


class LeafRows(RowState):
    def leaf(
        self, text: str, row: list[Any], rr: RowReading, texts: dict[int, str], col: int
    ) -> None:
        node = NodeSpec(code="", title=text, section=self.section)
        code = texts.get(self.code_col, "") if self.code_col is not None else ""
        if code:
            self._set_code(node, code)
        elif len(numbered_items(text)[1]) < 2:
            found, rest = split_code(text)
            if found.text or found.ordinal is not None:
                node.title = rest
                node.code = found.text
                self._ordinal(node, found)
        node.origin = self.origin(rr, self.code_col if node.code and code else col)
        self.fill_leaf(node, row, rr, texts)
        depth = self.attach(node, len(self.open))
        self.last_leaf = node
        self.leaves_since.append(node)
        self.count(node)
        rr.node, rr.role, rr.level = node, "standard", depth

    def _ordinal(self, node: NodeSpec, code: Code) -> None:
        if code.ordinal is not None:
            self.ordinals[id(node)] = code.ordinal

    def _set_code(self, node: NodeSpec, raw: str) -> None:
        """A code cell: a code as written, or an ordinal (“1.”, “（一）”; a bare number when
        the column starts again under each item) that numbers the node among its siblings."""
        text = compact(raw)
        if text.isdigit():
            # A bare number is the row's place in the table (序号), not a code that stays
            # unique across sections and tables: the node is coded by its position.
            if self.code_ordinals:
                self.ordinals[id(node)] = int(text)
            return
        if cn_number(text) is not None:  # “一”, “二” in a 序号 column
            self.ordinals[id(node)] = cn_number(text) or 0
            return
        if ORDINAL_CELL_RE.match(text):
            code, _ = split_code(f"{text} x")
            if code.ordinal is not None:
                self._ordinal(node, code)
                return
        node.code = raw.strip()

    def fill_aux(self, node: NodeSpec, texts: dict[int, str], *, append: bool) -> None:
        for col, meaning in self.header.columns.items():
            attr = AUX_FIELDS.get(meaning)
            if attr and texts.get(col):
                old = getattr(node, attr)
                setattr(
                    node, attr, f"{old}\n{texts[col]}".strip() if append and old else texts[col]
                )

    def fill_leaf(
        self, node: NodeSpec, row: list[Any], rr: RowReading, texts: dict[int, str]
    ) -> None:
        self.fill_aux(node, texts, append=False)
        method_col = self._col("method")
        node.methods = (
            [m for m in METHOD_SPLIT_RE.split(texts.get(method_col, "")) if m]
            if method_col is not None
            else []
        )
        raw = self._cell(row, self.leaf_points)
        if self.section == Section.VETO:
            self.veto_leaf(node, rr, raw)
        elif self.section == Section.DEDUCTION:
            self.deduction_leaf(node, rr, raw)
        else:
            self.scored_leaf(node, rr, raw)
        scoring_col = self._col("scoring")
        if scoring_col is not None and texts.get(scoring_col):
            self.scoring(node, texts[scoring_col], rr, scoring_col)
        elif node.scoring_rule and self.section in (Section.BASIC, Section.BONUS):
            self.rule_scoring(node)

    def scored_leaf(self, node: NodeSpec, rr: RowReading, raw: Any) -> None:
        node.points = self.points(raw, rr, self.leaf_points)
        node.points_invalid = (
            node.points is None and bool(cell_text(raw)) and cell_text(raw) not in DASHES
        )
        if node.points is None and not node.points_invalid:
            title, stated = title_points(node.title)
            if stated is None and self.section == Section.BONUS:
                stated = bonus_from_text(node.title)
            else:
                node.title = title
            node.points = stated
        if node.points is None and not node.points_invalid:
            self.bad_points = True
            kind = "加分项" if self.section == Section.BONUS else "测评标准"
            if self.leaf_points is None:
                where = "请在标题末尾写明分值，如“（3分）”，或在预览中指定分值列"
            else:
                where = f"请在“{self.col_name(self.leaf_points)}”列填写，例如 3 或 3分"
            self.problem(f"{kind}缺少分值，{where}", rr, self.leaf_points)

    def veto_leaf(self, node: NodeSpec, rr: RowReading, raw: Any) -> None:
        text = cell_text(raw)
        if text and text not in DASHES and "否决" not in text:
            if re.fullmatch(r"0+(\.0+)?\s*分?", text):
                node.points = Decimal("0")
            else:
                self.problem(f"一票否决项不设分值，请删除“{text}”", rr, self.leaf_points)
        node.material_window, node.lookback, node.lookback_months = parse_veto_window(
            node.material_window
        )
        self.veto_lookback(node)

    def deduction_leaf(self, node: NodeSpec, rr: RowReading, raw: Any) -> None:
        if cell_text(raw) and cell_text(raw) not in DASHES:
            try:
                node.per_incident, node.incident_unit, node.deduction_cap = parse_deduction(raw)
            except ValueError as exc:
                found = deduction_from_text(cell_text(raw))
                if found is None:
                    self.bad_points = True
                    self.problem(str(exc), rr, self.leaf_points)
                    return
                node.per_incident, node.incident_unit, node.deduction_cap = found
            return
        found = deduction_from_text(f"{node.title}\n{node.scoring_rule}")
        if found is not None:
            node.per_incident, node.incident_unit, node.deduction_cap = found
            return
        if self.leaf_points is None:
            message = (
                "扣分项没有写明每次扣多少分，请在文字中写明（如“每次扣2分”）或在预览中指定分值列"
            )
        else:
            message = f"扣分项缺少每次扣分分值，请在“{self.col_name(self.leaf_points)}”列填写，例如 -2 或 每起扣2分"
        self.problem(message, rr, self.leaf_points)

    def scoring(self, node: NodeSpec, text: str, rr: RowReading, col: int) -> None:
        try:
            scoring = parse_scoring(text, node.points, with_cap=node.section != Section.DEDUCTION)
        except ValueError as exc:
            self.problem(str(exc), rr, col)
            return
        node.scoring_mode, node.grades = scoring.mode, scoring.grades
        node.deduction_step = scoring.step
        if scoring.cap is not None:
            node.deduction_cap = scoring.cap

    def rule_scoring(self, node: NodeSpec) -> None:
        try:
            scoring = scoring_from_rule(node.scoring_rule, node.points)
        except ValueError:
            return
        if scoring is not None:
            node.scoring_mode, node.grades = scoring.mode, scoring.grades
            node.deduction_step, node.deduction_cap = scoring.step, scoring.cap

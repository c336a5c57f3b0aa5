"""Section headings, 小计 and 合计 rows: where the bonus, deduction and veto sections begin,
the caps and totals they state, and the checks of the totals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from wenming.frameworks.io.excel_format import MULTIPLIER_RE, cell_text, compact
from wenming.frameworks.io.layout.state import LOOKBACK_RE, RowState
from wenming.frameworks.io.layout.text import heading_cap, numbered_items
from wenming.frameworks.io.reading import Check, RowReading, SectionReading
from wenming.frameworks.io.spec import NodeSpec, Origin, fmt_points, parse_points
from wenming.frameworks.models import Section


class SectionRows(RowState):
    def switch(self, section: str, text: str, rr: RowReading | None) -> None:
        self.section, self.section_raw = section, text
        self.open = [None] * len(self.open)
        self.last_leaf = None
        self.leaves_since = []
        cap = heading_cap(section, text) if text else None
        heading = SectionReading(
            section, text, cap, rr.sheet if rr else None, rr.row if rr else None
        )
        last = self.sections[-1] if self.sections else None
        if last is not None and last.section == section and not last.standards:
            # The sheet named the section, its title row says it again with the cap.
            heading.cap = cap if cap is not None else last.cap
            self.sections[-1] = heading
        else:
            self.sections.append(heading)
        spec = self.spec
        if section == Section.DEDUCTION and (multiplier := MULTIPLIER_RE.search(text)):
            spec.concealment_multiplier = parse_points(multiplier.group(1))
        elif section == Section.BASIC and cap is not None and spec.basic_points is None:
            spec.basic_points = cap
            spec.basic_points_origin = Origin(row=heading.row, sheet=heading.sheet)
        elif section == Section.VETO and text:
            found = LOOKBACK_RE.search(compact(text))
            self.lookback = found.group(1) if found else ""
            self.veto_list(text, rr)

    def veto_list(self, text: str, rr: RowReading | None) -> None:
        """“一票否决：1.…；2.…” in one cell or paragraph: each numbered case is a veto."""
        _, items = numbered_items(text)
        for item in items:
            node = NodeSpec(code="", title=item, section=Section.VETO)
            self.veto_lookback(node)
            if rr is not None:
                node.origin = Origin(row=rr.row, sheet=rr.sheet)
                rr.node, rr.level = node, 0
            self.spec.roots.append(node)
            self.count(node)

    def read_total(self, role: str, rr: RowReading, row: list[Any], text: str) -> None:
        raw = (
            row[self.leaf_points]
            if self.leaf_points is not None and self.leaf_points < len(row)
            else None
        )
        if raw is None or not cell_text(raw):
            match = re.search(r"(\d+(?:\.\d+)?)\s*分", text) or re.search(r"(\d+(?:\.\d+)?)$", text)
            raw = match.group(1) if match else None
        value = self.points(raw, rr, self.leaf_points)
        rr.points = value
        listed = sum((leaf.points or Decimal(0) for leaf in self.leaves_since), Decimal(0))
        if value is None:
            pass
        elif role == "subtotal":
            self.subtotal(value, listed, rr)
        elif self.section == Section.BASIC:
            spec = self.spec
            if spec.stated_total is not None and spec.stated_total != value:
                self.problem("表格中有两个合计行且数值不同，请只保留一个", rr, self.leaf_points)
            spec.stated_total = value
            spec.stated_total_origin = self.origin(rr, self.leaf_points)
        elif self.section == Section.BONUS:
            self.bonus_total(value, rr)
        self.open = [None] * len(self.open)
        self.last_leaf = None
        self.leaves_since = []

    def subtotal(self, value: Decimal, listed: Decimal, rr: RowReading) -> None:
        ok = value == listed or self.section != Section.BASIC or not self.leaves_since
        message = f"小计{fmt_points(value)}分，上方各项合计{fmt_points(listed)}分"
        self.checks.append(Check("subtotal", ok, message, rr.sheet, rr.row, value, listed))
        if not ok:
            self.problem(
                f"小计写的是{fmt_points(value)}分，但上方各项合计{fmt_points(listed)}分，"
                f"{'多' if listed > value else '少'}{fmt_points(abs(listed - value))}分",
                rr,
                self.leaf_points,
            )

    def bonus_total(self, value: Decimal, rr: RowReading) -> None:
        listed = sum((leaf.points or Decimal(0) for leaf in self.leaves_since), Decimal(0))
        if self.spec.bonus_cap is None and value < listed:
            self.spec.bonus_cap = value
            message = f"加分项合计行写{fmt_points(value)}分，少于所列各项之和{fmt_points(listed)}分，按加分上限读取"
        else:
            message = f"加分项合计行写{fmt_points(value)}分，所列各项合计{fmt_points(listed)}分"
        self.checks.append(Check("total", True, message, rr.sheet, rr.row, value, listed))

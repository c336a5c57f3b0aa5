"""Write an evaluation system as the .xlsx layout offices use (see docs/frameworks-excel.md).

The sheet reads back through excel_read.load into the same spec: every convention written
here (codes in titles, “—” for “no content here”, the 评分方式 and 扣分 wording) is one the
reader understands.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from wenming.core.xlsx import print_setup
from wenming.frameworks.io.excel_format import (
    CODE_PREFIX_RE,
    DASHES,
    excel_number,
    format_deduction,
    format_scoring,
    format_veto_window,
    positional_code,
    section_of,
)
from wenming.frameworks.io.spec import FrameworkSpec, NodeSpec, fmt_points
from wenming.frameworks.models import FrameworkLevel, Section

FONT = "宋体"
DASH = "—"
# (header, width, role)
COLUMNS = [
    ("编号", 8, "code"),
    ("测评项目", 16, "item"),
    ("测评内容", 18, "content"),
    ("测评标准", 44, "standard"),
    ("分值", 8, "points"),
    ("评分方式", 20, "scoring"),
    ("评分细则", 28, "rule"),
    ("测评方法", 14, "methods"),
    ("佐证材料", 28, "evidence"),
    ("材料时限", 18, "window"),
    ("备注", 16, "note"),
]
DESCRIPTION_COLUMN = ("说明", 24, "description")
SECTION_TITLES: dict[str, str] = {
    Section.BASIC: "基本指标",
    Section.VETO: "一票否决项（出现下列情形之一的，取消参评资格）",
}
LEVEL_LABELS = dict(FrameworkLevel.choices)

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
BODY = Font(name=FONT, size=10)
BOLD = Font(name=FONT, size=10, bold=True)
HEADER_FONT = Font(name=FONT, size=11, bold=True)
TITLE_FONT = Font(name=FONT, size=16, bold=True)
NOTE_FONT = Font(name=FONT, size=10, color="404040")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _check_depth(spec: FrameworkSpec) -> None:
    for node, depth in spec.walk():
        if depth >= 2 and node.children:
            raise ValueError(
                f"测评体系中“{node.code} {node.title[:20]}”下还有下级指标，超过了 Excel 表格能表示的"
                "三级（测评项目、测评内容、测评标准）；请改用 YAML 格式导出"
            )


def _points_cell(node: NodeSpec) -> Any:
    if node.section == Section.DEDUCTION:
        return format_deduction(node)
    return None if node.points is None else excel_number(node.points)


def _parent_text(
    node: NodeSpec,
    section: str,
    parent: NodeSpec | None,
    depth: int,
    index: int,
    *,
    force_code: bool,
) -> str:
    """“组织领导（10分）”; with the code in front when the reader could not work it out."""
    title = node.title
    expected = positional_code(section, parent.code if parent else None, depth, index)
    plain = CODE_PREFIX_RE.match(f"{node.code} x")
    plain_ok = plain is not None and plain.group("p") == node.code
    if force_code or node.code != expected or CODE_PREFIX_RE.match(title) or title in DASHES:
        title = f"{node.code} {title}" if plain_ok else f"【{node.code}】{title}"
    if depth == 0 and section_of(title):
        title = f"【{node.code}】{node.title}"  # not to be read as a section title row
    if node.points is not None:
        title += f"（{fmt_points(node.points)}分）"
    return title


class _Writer:
    def __init__(self, spec: FrameworkSpec):
        self.spec = spec
        self.levels = 3 if any(d >= 2 for _, d in spec.walk()) else 2
        # A two-level system (项目 + 标准) gets no empty 测评内容 column.
        self.columns = [c for c in COLUMNS if self.levels == 3 or c[2] != "content"]
        if any(n.description for n, _ in spec.walk() if n.is_leaf):
            self.columns.append(DESCRIPTION_COLUMN)
        self.index = {role: i + 1 for i, (_, _, role) in enumerate(self.columns)}
        self.width = len(self.columns)
        self.book = Workbook()
        self.ws = self.book.active
        self.ws.title = "测评体系"
        self.row = 0

    def banner(
        self,
        text: str,
        font: Font,
        *,
        height: float | None = None,
        fill: Any = None,
        align: Alignment = WRAP,
    ) -> None:
        self.row += 1
        self.put(1, text, align, font)
        if fill is not None:
            for col in range(1, self.width + 1):
                target = self.ws.cell(self.row, col)
                target.fill, target.border = fill, BORDER
        self.ws.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
        )
        lines = sum(
            max(1, math.ceil(len(part) * 2 / (self.total_width() * 0.95)))
            for part in text.split("\n")
        )
        self.ws.row_dimensions[self.row].height = height or min(409, 15 * lines + 3)

    def total_width(self) -> int:
        return sum(w for _, w, _ in self.columns)

    def head(self) -> int:
        spec = self.spec
        self.banner(spec.name, TITLE_FONT, height=30, align=CENTER)
        meta = [
            ("发布机关", spec.issuer),
            ("体系编码", spec.lineage),
            ("级别", LEVEL_LABELS.get(spec.level, spec.level)),
            ("类别", spec.kind),
        ]
        if spec.edition_year is not None:
            meta.append(("版本年度", str(spec.edition_year)))
        elif any(ch.isdigit() for ch in spec.name):
            meta.append(("版本年度", "未标明"))
        for label, value in (
            ("基本分", spec.basic_points),
            ("达标分数线", spec.pass_threshold),
            ("标兵分数线", spec.excellent_threshold),
        ):
            if value is not None:
                meta.append((label, f"{fmt_points(value)}分"))
        self.banner("；".join(f"{k}：{v}" for k, v in meta if v), NOTE_FONT)
        if spec.material_window:
            self.banner(f"材料时限：{spec.material_window}", NOTE_FONT)
        if spec.description:
            self.banner(f"说明：{spec.description}", NOTE_FONT)
        self.row += 1
        for col, (header, width, _) in enumerate(self.columns, start=1):
            cell = self.ws.cell(self.row, col, header)
            cell.font, cell.alignment, cell.fill, cell.border = (
                HEADER_FONT,
                CENTER,
                HEADER_FILL,
                BORDER,
            )
            self.ws.column_dimensions[get_column_letter(col)].width = width
        self.ws.row_dimensions[self.row].height = 22
        return self.row

    def section_banner(self, section: str) -> None:
        spec = self.spec
        if section == Section.BONUS:
            cap = "" if spec.bonus_cap is None else f"，最高加{fmt_points(spec.bonus_cap)}分"
            text = f"特色指标（加分项{cap}）"
        elif section == Section.DEDUCTION:
            cap = (
                "" if spec.deduction_cap is None else f"，最多扣{fmt_points(spec.deduction_cap)}分"
            )
            text = f"负面清单（扣分项{cap}；未主动报告的按{fmt_points(spec.concealment_multiplier)}倍扣分）"
        else:
            text = SECTION_TITLES[section]
        self.banner(text, BOLD, fill=SECTION_FILL, height=20)

    def nodes(self, roots: list[NodeSpec], section: str, first_index: int) -> None:
        """One row per standard; item and content cells merged over their standards."""
        parent_levels = self.levels - 1
        cols = [self.index["item" if level == 0 else "content"] for level in range(parent_levels)]
        current: list[NodeSpec | None] = [None] * parent_levels
        written = [""] * parent_levels
        first_row = [0] * parent_levels

        def close(level: int) -> None:
            for lv in range(level, parent_levels):
                if current[lv] is not None and self.row - 1 > first_row[lv]:
                    self.ws.merge_cells(
                        start_row=first_row[lv],
                        start_column=cols[lv],
                        end_row=self.row - 1,
                        end_column=cols[lv],
                    )
                current[lv], written[lv] = None, ""

        for number, root in enumerate(roots, start=first_index):
            for leaf, path in _leaves(root, [(root, None, number)]):
                self.row += 1
                ancestors = path[:-1]
                for level in range(parent_levels):
                    if level >= len(ancestors):
                        if current[level] is not None:
                            self.put(cols[level], DASH, CENTER)
                        close(level)
                        break
                    node, parent, index = ancestors[level]
                    if current[level] is node:
                        continue
                    text = _parent_text(node, section, parent, level, index, force_code=False)
                    if text == written[level]:
                        text = _parent_text(node, section, parent, level, index, force_code=True)
                    close(level)
                    self.put(cols[level], text, WRAP)
                    current[level], written[level], first_row[level] = node, text, self.row
                self.leaf(leaf)
        self.row += 1
        close(0)
        self.row -= 1

    def put(self, col: int, value: Any, align: Alignment, font: Font = BODY) -> None:
        if isinstance(value, str):
            value = _clean(value)
        cell = self.ws.cell(self.row, col, value)
        if cell.data_type == "f":
            cell.data_type = "s"  # text that starts with “=” stays text
        cell.font, cell.alignment = font, align

    def leaf(self, node: NodeSpec) -> None:
        values = {
            "code": node.code,
            "standard": node.title,
            "points": _points_cell(node),
            "scoring": format_scoring(node),
            "rule": node.scoring_rule,
            "methods": "、".join(node.methods),
            "evidence": node.evidence,
            "window": format_veto_window(node)
            if node.section == Section.VETO
            else node.material_window,
            "note": node.note,
            "description": node.description,
        }
        lines = 1
        for _header, width, role in self.columns:
            col = self.index[role]
            value = values.get(role)
            if value not in (None, ""):
                align = CENTER if role in ("code", "points") else WRAP
                self.put(col, value, align)
                if isinstance(value, str):
                    lines = max(
                        lines, sum(math.ceil(len(p) * 2 / width) or 1 for p in value.split("\n"))
                    )
        self.ws.row_dimensions[self.row].height = min(409, 14 * lines + 4)

    def total(self, total: Decimal) -> None:
        self.row += 1
        last_text = self.index["points"] - 1
        self.put(1, "合计", CENTER, BOLD)
        self.ws.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=last_text
        )
        self.put(self.index["points"], excel_number(total), CENTER, BOLD)

    def borders(self, first: int) -> None:
        for row in self.ws.iter_rows(min_row=first, max_row=self.row, max_col=self.width):
            for cell in row:
                cell.border = BORDER

    def finish(self, header_row: int) -> bytes:
        print_setup(self.ws, header_row)
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


LeafPath = list[tuple[NodeSpec, NodeSpec | None, int]]


def _leaves(node: NodeSpec, path: LeafPath) -> Iterator[tuple[NodeSpec, LeafPath]]:
    """Each standard under node with its path of (node, parent, 1-based position)."""
    if node.is_leaf:
        yield node, path
        return
    for i, child in enumerate(node.children, start=1):
        yield from _leaves(child, [*path, (child, node, i)])


def _runs(spec: FrameworkSpec) -> list[tuple[str, list[NodeSpec]]]:
    """Consecutive roots of one section, plus empty bonus/deduction runs that carry a cap."""
    runs: list[tuple[str, list[NodeSpec]]] = []
    for root in spec.roots:
        if runs and runs[-1][0] == root.section:
            runs[-1][1].append(root)
        else:
            runs.append((root.section, [root]))
    sections = {section for section, _ in runs}
    if spec.bonus_cap is not None and Section.BONUS not in sections:
        runs.append((Section.BONUS, []))
    if Section.DEDUCTION not in sections and (
        spec.deduction_cap is not None or spec.concealment_multiplier != Decimal("2")
    ):
        runs.append((Section.DEDUCTION, []))
    return runs


def dump(spec: FrameworkSpec) -> bytes:
    """The spec as an .xlsx workbook with one worksheet. Raises ValueError for trees too deep."""
    _check_depth(spec)
    writer = _Writer(spec)
    header_row = writer.head()
    runs = _runs(spec)
    last_basic = max((i for i, (s, _) in enumerate(runs) if s == Section.BASIC), default=None)
    basic_total = sum(
        (r.effective_points() for r in spec.section_roots(Section.BASIC)), Decimal("0")
    )
    numbered: dict[str, int] = {}
    for i, (section, roots) in enumerate(runs):
        if i > 0 or section != Section.BASIC:
            writer.section_banner(section)
        # Roots are numbered per section across the whole sheet, as the reader does.
        writer.nodes(roots, section, numbered.get(section, 0) + 1)
        numbered[section] = numbered.get(section, 0) + len(roots)
        if i == last_basic:
            writer.total(basic_total)
    writer.borders(header_row)
    return writer.finish(header_row)

"""The end of a reading: caps and totals settled, codes given, the checks and the problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wenming.frameworks.io.excel_format import positional_code
from wenming.frameworks.io.layout.build import Builder
from wenming.frameworks.io.layout.columns import Header
from wenming.frameworks.io.reading import Check, Reading
from wenming.frameworks.io.spec import (
    FrameworkSpec,
    NodeSpec,
    Problem,
    check_totals,
    fmt_points,
    validate,
)
from wenming.frameworks.io.tables import Table
from wenming.frameworks.models import Framework, Node, Section


def assign_codes(spec: FrameworkSpec, ordinals: dict[int, int]) -> None:
    """Codes for nodes that have none: from their ordinal (“（二）” under A is A2) or their
    position (A, A1, A1-1; X1, Y1, V1 outside the basic section)."""
    used = {node.code for node, _ in spec.walk() if node.code}

    def give(node: NodeSpec, parent: NodeSpec | None, depth: int, index: int) -> None:
        if not node.code:
            n = ordinals.get(id(node), index)
            code = positional_code(node.section, parent.code if parent else None, depth, n)
            while code in used:
                n += 1
                code = positional_code(node.section, parent.code if parent else None, depth, n)
            node.code = code
            used.add(code)
        for i, child in enumerate(node.children, start=1):
            give(child, node, depth + 1, i)

    counters: dict[str, int] = {}
    for root in spec.roots:
        counters[root.section] = counters.get(root.section, 0) + 1
        give(root, None, 0, counters[root.section])


def settle_caps(b: Builder) -> None:
    """Caps and totals: the user's corrections, else a “键：值” line, else the section
    headings (several bonus headings with their own caps add up), else the notes."""
    spec, corrections = b.spec, b.corrections
    for section, attr in ((Section.BONUS, "bonus_cap"), (Section.DEDUCTION, "deduction_cap")):
        heads = [s for s in b.sections if s.section == section and s.cap is not None]
        counted = [s for s in heads if s.standards]
        if section in corrections.caps:
            setattr(spec, attr, corrections.caps[section])
        elif attr in b.meta:
            continue
        elif section == Section.BONUS and len(counted) > 1:
            spec.bonus_cap = sum((s.cap or Decimal(0) for s in counted), Decimal(0))
        elif counted or heads:
            setattr(spec, attr, (counted or heads)[-1].cap)
        elif getattr(spec, attr) is None and attr in b.note_numbers:
            setattr(spec, attr, b.note_numbers[attr][0])
    for attr in ("basic_points", "pass_threshold", "excellent_threshold"):
        if getattr(spec, attr) is None and attr in b.note_numbers:
            value, rr = b.note_numbers[attr]
            setattr(spec, attr, value)
            if attr == "basic_points" and rr is not None:
                spec.basic_points_origin.row, spec.basic_points_origin.sheet = rr.row, rr.sheet
    if corrections.basic_total is not None:
        spec.basic_points = corrections.basic_total
        spec.basic_points_origin.row = None


def finish(b: Builder, reading: Reading, data: list[tuple[Table, Header]]) -> None:
    settle_caps(b)
    spec = b.spec
    check_sizes(b)
    reading.checks = [*b.checks, *total_checks(b)]
    flagged = {(p.sheet, p.row) for p in b.problems}
    derived = {
        (n.origin.sheet, n.origin.row, n.origin.column) for n, _ in spec.walk() if n.children
    }
    for origin in (spec.stated_total_origin, spec.basic_points_origin):
        derived.add((origin.sheet, origin.row, origin.column))
    name, spec.name = spec.name, spec.name or "-"  # a name can still come with the upload form
    checks = validate(spec) if spec.roots else []
    spec.name = name
    extra = [
        p
        for p in checks
        if (p.sheet, p.row) not in flagged
        and not (b.bad_points and (p.sheet, p.row, p.column) in derived)
    ]
    totals = [p for p in extra if p in check_totals(spec)]
    extra = [p for p in extra if p not in totals]
    for p in extra:
        p.sheet_implied = b.single_table
    order = {t.sheet: i for i, t in enumerate(reading.tables)}

    def place(p: Problem) -> tuple[float, int]:
        sheet = p.sheet or ""
        base = sheet.removesuffix("上方").removesuffix("下方")
        shift = -0.5 if sheet.endswith("上方") else 0.5 if sheet.endswith("下方") else 0
        return (order.get(base, -1) + shift if p.sheet else -1, p.row or 0)

    # The tree's own problems in document order, then the totals that follow from them.
    reading.problems = [*sorted([*b.problems, *extra], key=place), *totals]
    reading.check_problems = [*extra, *totals]
    reading.warnings = list(b.warnings)
    if not spec.name.strip():
        reading.warnings.insert(0, Problem("没有找到体系名称；导入时请填写体系名称"))


def total_checks(b: Builder) -> list[Check]:
    spec = b.spec
    checks: list[Check] = []
    for node, _ in spec.walk():
        if node.children and node.points is not None and node.section == Section.BASIC:
            total = node.children_total()
            checks.append(
                Check(
                    "sum",
                    total == node.points,
                    f"“{node.code} {node.title[:20]}”标注{fmt_points(node.points)}分，"
                    f"其下各项合计{fmt_points(total)}分",
                    node.origin.sheet,
                    node.origin.row,
                    node.points,
                    total,
                )
            )
    basic = spec.basic_total()
    for kind, stated, origin, label in (
        ("total", spec.stated_total, spec.stated_total_origin, "合计行"),
        ("basic", spec.basic_points, spec.basic_points_origin, "体系标明基本分"),
    ):
        if stated is not None:
            message = f"{label}{fmt_points(stated)}分，各项基本分值合计{fmt_points(basic)}分"
            checks.append(
                Check(kind, stated == basic, message, origin.sheet, origin.row, stated, basic)
            )
    checks += cap_checks(spec)
    return checks


def cap_checks(spec: FrameworkSpec) -> list[Check]:
    checks = []
    bonus = spec.section_roots(Section.BONUS)
    if bonus:
        listed = sum((r.effective_points() for r in bonus), Decimal(0))
        if spec.bonus_cap is None:
            message = f"加分项合计{fmt_points(listed)}分，没有写明上限"
        else:
            message = (
                f"加分项所列合计{fmt_points(listed)}分，上限{fmt_points(spec.bonus_cap)}分"
                + (
                    "（上限限制实得加分，所列之和超过上限不是错误）"
                    if listed > spec.bonus_cap
                    else ""
                )
            )
        checks.append(Check("cap", True, message, stated=spec.bonus_cap, actual=listed))
    deductions = [n for n in spec.walk() if n[0].section == Section.DEDUCTION and n[0].is_leaf]
    if deductions:
        cap = "" if spec.deduction_cap is None else f"，扣分上限{fmt_points(spec.deduction_cap)}分"
        checks.append(
            Check("cap", True, f"扣分项{len(deductions)}条{cap}", stated=spec.deduction_cap)
        )
    vetoes = [n for n, _ in spec.walk() if n.section == Section.VETO and n.is_leaf]
    if vetoes:
        scored = [n for n in vetoes if n.points not in (None, Decimal(0))]
        message = f"一票否决项{len(vetoes)}条" + (
            "，均不设分值" if not scored else f"，其中{len(scored)}条带有分值"
        )
        checks.append(Check("veto", not scored, message))
    checks.append(
        Check(
            "max",
            True,
            f"基本分{fmt_points(spec.basic_total())}分，满分（基本分加加分上限）{fmt_points(spec.max_total())}分",
            actual=spec.max_total(),
        )
    )
    return checks


NODE_SIZES = {
    "code": ("编号", "code"),
    "material_window": ("材料时限", "window"),
    "incident_unit": ("计扣单位", "points"),
    "lookback": ("追溯期", "window"),
    "per_incident": ("每次扣分", "points"),
    "deduction_cap": ("扣分上限", "points"),
    "deduction_step": ("每处扣分", "scoring"),
}


def check_sizes(b: Builder) -> None:
    """What the database columns cannot hold, placed at the cell that holds it."""
    spec = b.spec
    for attr, label in (
        ("name", "体系名称"),
        ("issuer", "发布机关"),
        ("lineage", "体系编码"),
        ("kind", "类别"),
    ):
        limit = _max_length(Framework, attr)
        if len(getattr(spec, attr)) > limit:
            b.problems.append(
                Problem(f"{label}过长（{len(getattr(spec, attr))}字），最多{limit}字")
            )
    if spec.concealment_multiplier >= _number_limit(Framework, "concealment_multiplier"):
        b.problems.append(Problem("未主动报告扣分倍数过大"))
    columns = _column_names(b)
    for node, _ in spec.walk():
        for attr, (label, meaning) in NODE_SIZES.items():
            value = getattr(node, attr)
            if attr == "deduction_cap" and node.section != Section.DEDUCTION:
                meaning = "scoring"
            column = columns.get((node.origin.sheet, meaning), node.origin.column)
            if isinstance(value, str):
                limit = _max_length(Node, attr)
                if len(value) <= limit:
                    continue
                message = f"{label}过长（{len(value)}字），最多{limit}字"
            elif value is not None and value >= _number_limit(Node, attr):
                message = f"{label}{fmt_points(value)}分过大，请核对"
            else:
                continue
            b.problems.append(
                Problem(
                    message,
                    row=node.origin.row,
                    column=column,
                    sheet=node.origin.sheet,
                    sheet_implied=b.single_table,
                )
            )


def _column_names(b: Builder) -> dict[tuple[str | None, str], str]:
    """(sheet, meaning) → the column's header name, for placing a problem in its cell."""
    out: dict[tuple[str | None, str], str] = {}
    for sheet, header in b.tables_read:
        for col, meaning in sorted(header.columns.items()):
            name = header.names.get(col) or f"第{col + 1}列"
            out.setdefault((sheet, meaning), name.replace("\n", ""))
    return out


def _max_length(model: Any, attr: str) -> int:
    return int(getattr(model._meta.get_field(attr), "max_length", 0) or 0)


def _number_limit(model: Any, attr: str) -> Decimal:
    field = model._meta.get_field(attr)
    return Decimal(10) ** (field.max_digits - field.decimal_places)

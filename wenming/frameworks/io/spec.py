"""The format-neutral form of an evaluation system, its checks, and its persistence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction

from wenming.core.points import fmt_points
from wenming.frameworks.models import (
    GRADE_PRESETS,
    Framework,
    FrameworkLevel,
    FrameworkStatus,
    Node,
    ScoringMode,
    Section,
)

MAX_DEPTH = 8
CENT = Decimal("0.01")
LEVEL_BY_LABEL = (
    {label: value for value, label in FrameworkLevel.choices}
    | {value: value for value in FrameworkLevel.values}
    | {"县": "county", "市": "city", "州级": "city", "省": "province", "国家级": "national"}
)
SECTION_BY_LABEL = {label: value for value, label in Section.choices} | {
    value: value for value in Section.values
}


@dataclass
class Problem:
    """One reason an import cannot go ahead, placed where the user can find it.

    `sheet` names the worksheet or Word table ("表格1") of a document with tables; `row` is
    the row number in that sheet (Excel) or table (Word, header row = 1). `needs_columns`
    marks a table whose columns the reader could not recognise: the user chooses them.
    """

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    needs_columns: bool = False
    # The document has one table only: its name adds nothing to the sentence.
    sheet_implied: bool = field(default=False, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }
        if self.needs_columns:
            out["needs_columns"] = True
        return out

    def __str__(self) -> str:
        place = ""
        if self.sheet and not self.sheet_implied:
            place = self.sheet if self.sheet.startswith("表格") else f"工作表“{self.sheet}”"
        if self.row is not None:
            place += f"第{self.row}行"
        where = [place] if place else []
        if self.column:
            where.append(f"“{self.column}”列")
        return f"{'，'.join(where)}：{self.message}" if where else self.message


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Origin:
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    label: str = ""  # how to name the place when there is no row (YAML paths)


@dataclass
class NodeSpec:
    code: str
    title: str
    section: str = Section.BASIC
    points: Decimal | None = None
    children: list[NodeSpec] = field(default_factory=list)
    description: str = ""
    methods: list[str] = field(default_factory=list)
    evidence: str = ""
    material_window: str = ""
    scoring_mode: str = ScoringMode.FREE
    grades: list[tuple[str, Decimal]] = field(default_factory=list)
    scoring_rule: str = ""
    deduction_step: Decimal | None = None
    per_incident: Decimal | None = None
    incident_unit: str = ""
    deduction_cap: Decimal | None = None
    lookback: str = ""
    lookback_months: int | None = None
    note: str = ""
    origin: Origin = field(default_factory=Origin)
    # Set by a reader that already reported this node's points as unreadable.
    points_invalid: bool = False

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self, depth: int = 0):
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)

    def leaves(self) -> list[NodeSpec]:
        return [n for n, _ in self.walk() if n.is_leaf]

    def children_total(self) -> Decimal:
        return sum((c.effective_points() for c in self.children), Decimal("0"))

    def effective_points(self) -> Decimal:
        if self.points is not None:
            return self.points
        return self.children_total() if self.children else Decimal("0")

    def comparable(self) -> dict[str, Any]:
        """Everything a round trip must keep, without where it came from."""
        return {
            "code": self.code,
            "title": self.title,
            "section": self.section,
            "points": _norm(self.points),
            "description": self.description,
            "methods": list(self.methods),
            "evidence": self.evidence,
            "material_window": self.material_window,
            "scoring_mode": self.scoring_mode if self.is_leaf else "",
            "grades": [(label, _norm(p)) for label, p in self.grades],
            "scoring_rule": self.scoring_rule,
            "deduction_step": _norm(self.deduction_step),
            "per_incident": _norm(self.per_incident),
            "incident_unit": self.incident_unit,
            "deduction_cap": _norm(self.deduction_cap),
            "lookback": self.lookback,
            "lookback_months": self.lookback_months,
            "note": self.note,
            "children": [c.comparable() for c in self.children],
        }


@dataclass
class FrameworkSpec:
    name: str
    lineage: str = ""
    level: str = FrameworkLevel.OTHER
    kind: str = "文明单位"
    edition_year: int | None = None
    issuer: str = ""
    description: str = ""
    basic_points: Decimal | None = None
    bonus_cap: Decimal | None = None
    deduction_cap: Decimal | None = None
    concealment_multiplier: Decimal = Decimal("2")
    pass_threshold: Decimal | None = None
    excellent_threshold: Decimal | None = None
    material_window: str = ""
    roots: list[NodeSpec] = field(default_factory=list)
    # Stated totals the source carries (an Excel 合计 row), checked against the tree.
    stated_total: Decimal | None = None
    stated_total_origin: Origin = field(default_factory=Origin)
    basic_points_origin: Origin = field(default_factory=Origin)

    def walk(self):
        for root in self.roots:
            yield from root.walk()

    def section_roots(self, section: str) -> list[NodeSpec]:
        return [r for r in self.roots if r.section == section]

    def basic_total(self) -> Decimal:
        return sum((r.effective_points() for r in self.section_roots(Section.BASIC)), Decimal("0"))

    def max_total(self) -> Decimal:
        """The most a unit can score: the basic total plus the bonus cap (or, when no cap is
        stated, everything the bonus section lists)."""
        bonus = self.section_roots(Section.BONUS)
        if self.bonus_cap is not None:
            return self.basic_total() + self.bonus_cap
        return self.basic_total() + sum((r.effective_points() for r in bonus), Decimal("0"))

    def summary(self) -> dict[str, Any]:
        """The counts every surface reports (docs/frameworks-excel.md, “计数规则”): `items` the
        top-level items of the basic section, `standards` every leaf of every section (scored
        or veto), `points_total` the basic total, `max_total` basic total plus bonus cap."""
        leaves = [n for n, _ in self.walk() if n.is_leaf]
        deductions = sum(1 for n in leaves if n.section == Section.DEDUCTION)
        return {
            "items": len(self.section_roots(Section.BASIC)),
            "standards": len(leaves),
            "points_total": _fmt(self.basic_total()),
            "max_total": _fmt(self.max_total()),
            "bonus_standards": sum(1 for n in leaves if n.section == Section.BONUS),
            "bonus_cap": _fmt(self.bonus_cap) if self.bonus_cap is not None else None,
            "deduction_standards": deductions,
            "deduction_cap": _fmt(self.deduction_cap) if self.deduction_cap is not None else None,
            "veto_count": sum(1 for n in leaves if n.section == Section.VETO),
            "deduction_count": deductions,
        }

    def comparable(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lineage": self.lineage,
            "level": self.level,
            "kind": self.kind,
            "edition_year": self.edition_year,
            "issuer": self.issuer,
            "description": self.description,
            "basic_points": _norm(self.basic_points),
            "bonus_cap": _norm(self.bonus_cap),
            "deduction_cap": _norm(self.deduction_cap),
            "concealment_multiplier": _norm(self.concealment_multiplier),
            "pass_threshold": _norm(self.pass_threshold),
            "excellent_threshold": _norm(self.excellent_threshold),
            "material_window": self.material_window,
            "roots": [r.comparable() for r in self.roots],
        }


def _norm(value: Decimal | None) -> str | None:
    return None if value is None else _fmt(value)


_fmt = fmt_points

POINTS_RE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(?:分)?\s*$")


def parse_points(raw: Any) -> Decimal:
    """Read points written as 3, "3", "3分", "1.5", 1.5. Raises ValueError in Chinese."""
    if isinstance(raw, bool):
        raise ValueError("分值应为数字，例如 3、1.5 或 3分")
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw).strip().replace("．", ".").replace("０", "0")
        text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        match = POINTS_RE.match(text)
        if not match:
            raise ValueError(f"分值“{raw}”不是数字，应写成 3、1.5 或 3分")
        try:
            value = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees a number
            raise ValueError(f"分值“{raw}”不是数字") from exc
    if value < 0:
        raise ValueError(f"分值不能为负数（{_fmt(value)}）")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError(f"分值“{raw}”最多保留两位小数")
    if value >= Decimal("1000000"):
        raise ValueError(f"分值“{raw}”过大")
    return value


def grades_from_preset(name: str, points: Decimal) -> list[tuple[str, Decimal]]:
    return [
        (label, (points * ratio).quantize(CENT, rounding=ROUND_HALF_UP))
        for label, ratio in GRADE_PRESETS[name]
    ]


def _where(node: NodeSpec) -> dict[str, Any]:
    return {"row": node.origin.row, "column": node.origin.column, "sheet": node.origin.sheet}


def _name(node: NodeSpec) -> str:
    return f"“{node.code} {node.title[:30]}”" if node.code else f"“{node.title[:30]}”"


def validate(spec: FrameworkSpec) -> list[Problem]:
    """Every problem with the tree, each placed where the user can find it."""
    problems: list[Problem] = []
    if not spec.name.strip():
        problems.append(Problem("缺少体系名称"))
    if not spec.roots:
        problems.append(Problem("没有读到任何测评项目或测评标准"))
        return problems
    seen: dict[str, NodeSpec] = {}
    for node, depth in spec.walk():
        where = _where(node)
        prefix = f"{node.origin.label}：" if node.origin.label and node.origin.row is None else ""
        if depth >= MAX_DEPTH:
            # Name the first node that is too deep; its descendants add nothing.
            if depth == MAX_DEPTH:
                problems.append(Problem(f"{prefix}{_name(node)}层级超过{MAX_DEPTH}层", **where))
            continue
        if not node.title.strip():
            problems.append(Problem(f"{prefix}缺少标题", **where))
        if not node.code.strip():
            problems.append(Problem(f"{prefix}{_name(node)}缺少编号", **where))
        elif node.code in seen:
            first = seen[node.code]
            at = f"第{first.origin.row}行" if first.origin.row else first.origin.label or "前面"
            problems.append(Problem(f"{prefix}编号“{node.code}”重复（{at}已使用）", **where))
        else:
            seen[node.code] = node
        problems.extend(_check_points(node, prefix))
        problems.extend(_check_sizes(node, NODE_LIMITS, f"{prefix}{_name(node)}的", where))
    problems.extend(_check_sizes(spec, FRAMEWORK_LIMITS, "体系的", {}))
    problems.extend(check_totals(spec))
    return problems


def _limits(model: type[models.Model], names: list[str]) -> dict[str, tuple[str, int | Decimal]]:
    """Column sizes from the model itself: a text's max_length, a decimal's largest value."""
    limits: dict[str, tuple[str, int | Decimal]] = {}
    for name in names:
        f = model._meta.get_field(name)
        assert isinstance(f, models.Field)
        if isinstance(f, models.DecimalField):
            limits[name] = (str(f.verbose_name), Decimal(10) ** (f.max_digits - f.decimal_places))
        elif f.max_length:
            limits[name] = (str(f.verbose_name), f.max_length)
    return limits


NODE_LIMITS = _limits(
    Node,
    [
        "code",
        "lookback",
        "material_window",
        "incident_unit",
        "points",
        "per_incident",
        "deduction_cap",
        "deduction_step",
    ],
)
FRAMEWORK_LIMITS = _limits(
    Framework,
    [
        "name",
        "issuer",
        "lineage",
        "kind",
        "basic_points",
        "bonus_cap",
        "deduction_cap",
        "concealment_multiplier",
        "pass_threshold",
        "excellent_threshold",
    ],
)


def _check_sizes(
    obj: object, limits: dict[str, tuple[str, int | Decimal]], prefix: str, where: dict[str, Any]
) -> list[Problem]:
    """Values the database columns cannot hold, refused here rather than failing on save."""
    problems = []
    for name, (label, limit) in limits.items():
        value = getattr(obj, name)
        if isinstance(limit, Decimal):
            if value is not None and value >= limit:
                problems.append(
                    Problem(f"{prefix}{label}{_fmt(value)}过大，应小于{_fmt(limit)}", **where)
                )
        elif isinstance(value, str) and len(value) > limit:
            problems.append(
                Problem(f"{prefix}{label}过长（{len(value)}字），最多{limit}字", **where)
            )
    return problems


def _check_points(node: NodeSpec, prefix: str) -> list[Problem]:
    where = _where(node)
    if node.section == Section.VETO:
        if node.points not in (None, Decimal("0")):
            return [Problem(f"{prefix}一票否决项{_name(node)}不应设分值", **where)]
        return []
    if node.section == Section.DEDUCTION:
        if node.is_leaf and node.per_incident is None and node.points is None:
            return [Problem(f"{prefix}扣分项{_name(node)}缺少每次扣分分值", **where)]
        return []
    if node.is_leaf and node.points is None and not node.points_invalid:
        kind = "加分项" if node.section == Section.BONUS else "测评标准"
        return [Problem(f"{prefix}{kind}{_name(node)}缺少分值", **where)]
    problems = []
    if node.is_leaf and node.scoring_mode == ScoringMode.GRADE:
        if not node.grades:
            problems.append(Problem(f"{prefix}{_name(node)}采用等级评分但没有列出等级", **where))
        elif node.points is not None and any(p > node.points for _, p in node.grades):
            problems.append(Problem(f"{prefix}{_name(node)}的等级分值超过了该项分值", **where))
    if node.children and node.points is not None and node.section == Section.BASIC:
        total = node.children_total()
        if total != node.points:
            problems.append(
                Problem(
                    f"{prefix}{_name(node)}标注{_fmt(node.points)}分，"
                    f"但其下各项合计{_fmt(total)}分，{_gap(total, node.points)}",
                    **where,
                )
            )
    return problems


def _gap(total: Decimal, stated: Decimal) -> str:
    more = total > stated
    return f"{'多' if more else '少'}{_fmt(abs(total - stated))}分，请核对分值"


def check_totals(spec: FrameworkSpec) -> list[Problem]:
    """The stated totals (a 合计 row, a stated 基本分) against the basic items."""
    problems = []
    basic = spec.basic_total()
    if spec.stated_total is not None and spec.stated_total != basic:
        o = spec.stated_total_origin
        problems.append(
            Problem(
                f"合计行写的是{_fmt(spec.stated_total)}分，但各项基本分值合计{_fmt(basic)}分",
                row=o.row,
                column=o.column,
                sheet=o.sheet,
            )
        )
    if spec.basic_points is not None and spec.basic_points != basic:
        o = spec.basic_points_origin
        problems.append(
            Problem(
                f"体系标明基本分{_fmt(spec.basic_points)}分，但各项基本分值合计{_fmt(basic)}分",
                row=o.row,
                column=o.column,
                sheet=o.sheet,
            )
        )
    return problems


@transaction.atomic
def save(
    spec: FrameworkSpec,
    *,
    owner: Any,
    created_by: Any = None,
    source_name: str = "",
    previous: Framework | None = None,
) -> Framework:
    """Write a validated spec as a new draft framework (the next version of its lineage)."""
    problems = validate(spec)
    if problems:
        raise ImportFailed(problems)
    lineage = spec.lineage or _lineage_from_name(spec.name)
    siblings = Framework.objects.filter(owner=owner, lineage=lineage)
    latest = siblings.order_by("-version").first()
    try:
        # A savepoint: two imports of one system at once must not both take this version.
        with transaction.atomic():
            framework = Framework.objects.create(
                owner=owner,
                lineage=lineage,
                version=(latest.version + 1) if latest else 1,
                previous=previous or latest,
                name=spec.name.strip(),
                issuer=spec.issuer,
                level=spec.level,
                kind=spec.kind or "文明单位",
                edition_year=spec.edition_year,
                status=FrameworkStatus.DRAFT,
                description=spec.description,
                basic_points=spec.basic_points,
                bonus_cap=spec.bonus_cap,
                deduction_cap=spec.deduction_cap,
                concealment_multiplier=spec.concealment_multiplier,
                pass_threshold=spec.pass_threshold,
                excellent_threshold=spec.excellent_threshold,
                material_window=spec.material_window,
                source_name=source_name[:200],
                created_by=created_by,
            )
    except IntegrityError as exc:
        raise ImportFailed(
            [Problem("同一体系刚刚有人导入了新版本，请刷新后重新导入一次。")]
        ) from exc
    _save_nodes(framework, spec)
    return framework


def _save_nodes(framework: Framework, spec: FrameworkSpec) -> None:
    # Insert level by level so each level knows its parents' ids: one INSERT per depth.
    ordered: list[tuple[NodeSpec, int, NodeSpec | None]] = []

    def visit(node: NodeSpec, depth: int, parent: NodeSpec | None) -> None:
        ordered.append((node, depth, parent))
        for child in node.children:
            visit(child, depth + 1, node)

    for root in spec.roots:
        visit(root, 0, None)
    rows: dict[int, Node] = {}
    by_depth: dict[int, list[tuple[NodeSpec, NodeSpec | None]]] = {}
    positions: dict[int, int] = {}
    for position, (node, depth, parent) in enumerate(ordered):
        by_depth.setdefault(depth, []).append((node, parent))
        positions[id(node)] = position
    for depth in sorted(by_depth):
        batch = []
        for node, parent in by_depth[depth]:
            row = Node(
                framework=framework,
                parent=rows[id(parent)] if parent is not None else None,
                section=node.section,
                position=positions[id(node)],
                depth=depth,
                is_leaf=node.is_leaf,
                code=node.code.strip(),
                title=node.title.strip(),
                description=node.description,
                points=node.points
                if node.points is not None or node.section == Section.VETO
                else (
                    node.children_total()
                    if node.children and node.section == Section.BASIC
                    else None
                ),
                methods=list(node.methods),
                evidence=node.evidence,
                material_window=node.material_window,
                scoring_mode=node.scoring_mode,
                grades=[{"label": label, "points": _fmt(p)} for label, p in node.grades],
                scoring_rule=node.scoring_rule,
                deduction_step=node.deduction_step,
                per_incident=node.per_incident,
                incident_unit=node.incident_unit,
                deduction_cap=node.deduction_cap,
                lookback=node.lookback,
                lookback_months=node.lookback_months,
                note=node.note,
            )
            rows[id(node)] = row
            batch.append(row)
        Node.objects.bulk_create(batch, batch_size=500)


def _lineage_from_name(name: str) -> str:
    return re.sub(r"\s+", "", name)[:60] or "framework"


def from_framework(framework: Framework, rows: list[Node] | None = None) -> FrameworkSpec:
    """Read a stored framework back into a spec (one query for all nodes, or the rows given)."""
    spec = FrameworkSpec(
        name=framework.name,
        lineage=framework.lineage,
        level=framework.level,
        kind=framework.kind,
        edition_year=framework.edition_year,
        issuer=framework.issuer,
        description=framework.description,
        basic_points=framework.basic_points,
        bonus_cap=framework.bonus_cap,
        deduction_cap=framework.deduction_cap,
        concealment_multiplier=framework.concealment_multiplier,
        pass_threshold=framework.pass_threshold,
        excellent_threshold=framework.excellent_threshold,
        material_window=framework.material_window,
    )
    specs: dict[int, NodeSpec] = {}
    for row in rows if rows is not None else framework.nodes.order_by("position"):
        node = NodeSpec(
            code=row.code,
            title=row.title,
            section=row.section,
            points=row.points,
            description=row.description,
            methods=list(row.methods),
            evidence=row.evidence,
            material_window=row.material_window,
            scoring_mode=row.scoring_mode,
            grades=[(g["label"], Decimal(g["points"])) for g in row.grades],
            scoring_rule=row.scoring_rule,
            deduction_step=row.deduction_step,
            per_incident=row.per_incident,
            incident_unit=row.incident_unit,
            deduction_cap=row.deduction_cap,
            lookback=row.lookback,
            lookback_months=row.lookback_months,
            note=row.note,
        )
        specs[row.pk] = node
        if row.parent_id is None:
            spec.roots.append(node)
        else:
            specs[row.parent_id].children.append(node)
    return spec

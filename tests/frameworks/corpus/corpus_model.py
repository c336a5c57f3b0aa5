"""The corpus documents as trees, the grids they are laid out in, and what an import must give.

Each document's content is written in a small outline language (`parse`) so that the expected
counts in manifest.yaml are computed from the very tree the document is drawn from:

    = basic                        a section: basic, bonus, deduction or veto, then key=value
    * 组织领导 | p=10               a group; the number of stars is its depth
    ** 领导机制 | p=4
    - 成立领导小组 | p=2 | m=材料审核  a standard (a leaf) under the last group opened

Keys: p points (stated), m methods, r scoring rule, e evidence, w material window/lookback,
code, mode/grades/step (the scoring the reader should derive), per/cap/unit (deductions),
chk=1 (list this standard among the manifest's spot checks), cap/head on a section line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

BASIC, BONUS, DEDUCTION, VETO = "basic", "bonus", "deduction", "veto"
ZERO = Decimal("0")


@dataclass
class Node:
    title: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    section: str = BASIC

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def stated(self) -> Decimal | None:
        value = self.attrs.get("p")
        return Decimal(value) if value else None

    def get(self, key: str, default: str = "") -> str:
        return self.attrs.get(key, default)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    def children_total(self) -> Decimal:
        return sum((c.total() for c in self.children), ZERO)

    def total(self) -> Decimal:
        if self.stated is not None:
            return self.stated
        return self.children_total()


@dataclass
class Section:
    kind: str
    attrs: dict[str, str] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)

    @property
    def cap(self) -> Decimal | None:
        value = self.attrs.get("cap")
        return Decimal(value) if value else None

    @property
    def head(self) -> str:
        return self.attrs.get("head", "")

    def leaves(self) -> list[Node]:
        return [leaf for node in self.nodes for leaf in node.leaves()]


def _fields(parts: list[str]) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"field without '=': {part!r}")
        attrs[key.strip()] = value.strip()
    return attrs


def parse(text: str) -> list[Section]:
    """Read the outline language (see the module docstring) into sections."""
    sections: list[Section] = []
    open_groups: list[Node] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, *rest = [p.strip() for p in line.split(" | ")]
        if head.startswith("="):
            sections.append(Section(head[1:].strip(), _fields(rest)))
            open_groups = []
            continue
        section = sections[-1]
        if head.startswith("*"):
            depth = len(head) - len(head.lstrip("*"))
            node = Node(head[depth:].strip(), _fields(rest), section=section.kind)
            open_groups = open_groups[: depth - 1]
            siblings = open_groups[-1].children if open_groups else section.nodes
            siblings.append(node)
            open_groups.append(node)
        elif head.startswith("-"):
            node = Node(head[1:].strip(), _fields(rest), section=section.kind)
            (open_groups[-1].children if open_groups else section.nodes).append(node)
        else:
            raise ValueError(f"cannot read line: {line!r}")
    return sections


def check_sums(sections: list[Section], *, allow: set[str] | None = None) -> None:
    """Every stated group total equals its children (except the titles in `allow`)."""
    for section in sections:
        for top in section.nodes:
            for node in top.walk():
                if node.is_leaf or node.stated is None or node.title in (allow or set()):
                    continue
                if node.stated != node.children_total():
                    raise AssertionError(f"{node.title}: {node.stated} != {node.children_total()}")


def fmt(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def num(value: Decimal | str) -> int | float:
    """A points value as a spreadsheet number."""
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


# -- grids: a worksheet or a Word table, before it is written in any format -------------------


@dataclass
class Formula:
    """A formula cell; `cached` is the value Excel would have stored with it."""

    text: str
    cached: int | float


@dataclass
class Grid:
    name: str  # the sheet name; for Word tables, "表格1", "表格2"... in document order
    width: int
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    widths: list[float] = field(default_factory=list)
    header: list[int] = field(default_factory=list)  # row indexes drawn bold (repeated in Word)
    before: list[str] = field(default_factory=list)  # Word: paragraphs above the table
    after: list[str] = field(default_factory=list)  # Word: paragraphs below the table
    page_break_before: bool = False
    hidden: bool = False
    number_format: str = ""  # Excel number format for numeric cells ("0.0")
    leaf_rows: list[tuple[Node, int]] = field(default_factory=list)  # leaf, 0-based row
    group_rows: list[tuple[Node, int]] = field(default_factory=list)  # group, its first row
    marks: dict[str, int] = field(default_factory=dict)  # named rows (errors of broken files)

    def add(self, cells: list[Any] | None = None) -> int:
        row = list(cells or [])
        row += [None] * (self.width - len(row))
        self.rows.append(row)
        return len(self.rows) - 1

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def span(self, text: str, *, first: int = 0, last: int | None = None) -> int:
        """A row with one text merged across the table (a title, a section heading)."""
        row = self.add()
        self.rows[row][first] = text
        self.merge(row, first, row, self.width - 1 if last is None else last)
        return row

    def leaf(self, node: Node, cells: dict[int, Any]) -> int:
        row = self.add()
        for col, value in cells.items():
            self.rows[row][col] = value
        self.leaf_rows.append((node, row))
        return row


GroupText = Callable[[Node, int], Any]
LeafCells = Callable[[Node], dict[int, Any]]
AfterGroup = Callable[[Grid, Node, int, int, int], None]


def render(
    grid: Grid,
    nodes: list[Node],
    level_cols: list[int],
    group_text: GroupText,
    leaf_cells: LeafCells,
    *,
    repeat: bool = False,
    after_group: AfterGroup | None = None,
    depth: int = 0,
) -> None:
    """One standard per row; a group's title in level_cols[depth] of its first row, merged
    down over its rows (or, with `repeat`, written again on every row as flat exports do)."""
    for node in nodes:
        if node.is_leaf:
            grid.leaf(node, leaf_cells(node))
            continue
        start = len(grid.rows)
        render(
            grid,
            node.children,
            level_cols,
            group_text,
            leaf_cells,
            repeat=repeat,
            after_group=None,
            depth=depth + 1,
        )
        end = len(grid.rows) - 1
        grid.group_rows.append((node, start))
        col = level_cols[depth]
        text = group_text(node, depth)
        if repeat:
            for row in range(start, end + 1):
                grid.rows[row][col] = text
        else:
            grid.rows[start][col] = text
            grid.merge(start, col, end, col)
        if after_group is not None:
            after_group(grid, node, depth, start, end)


def with_points(title: str, points: Decimal | None, template: str = "{t}（{p}分）") -> str:
    if points is None:
        return title
    return template.format(t=title, p=fmt(points))


# -- documents -------------------------------------------------------------------------------


@dataclass
class Doc:
    file: str  # name in files/, its extension the format
    modelled_on: str
    unusual: list[str]
    sections: list[Section]
    layout: Callable[[Doc], list[Grid]]
    meta: dict[str, Any] = field(default_factory=dict)  # title, issuer, edition_year
    thresholds: dict[str, str] = field(default_factory=dict)  # pass / excellent when stated
    refused: list[dict[str, Any]] | None = None  # expected errors of a broken document
    allow_mismatch: set[str] = field(default_factory=set)

    @property
    def fmt(self) -> str:
        return self.file.rsplit(".", 1)[1]

    @property
    def word(self) -> bool:
        return self.fmt in {"docx", "doc", "wps"}

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def expected(self) -> dict[str, Any]:
        basic = self.section(BASIC)
        bonus = self.section(BONUS)
        points_total = sum((n.total() for n in basic.nodes), ZERO) if basic else ZERO
        bonus_cap = bonus.cap if bonus else None
        counts = {s.kind: len(s.leaves()) for s in self.sections}
        result: dict[str, Any] = {
            "items": len(basic.nodes) if basic else 0,
            "standards": sum(counts.values()),
            "basic_standards": counts.get(BASIC, 0),
            "bonus_standards": counts.get(BONUS, 0),
            "deduction_standards": counts.get(DEDUCTION, 0),
            "veto_standards": counts.get(VETO, 0),
            "points_total": fmt(points_total),
            "bonus_cap": fmt(bonus_cap),
            "max_total": fmt(points_total + (bonus_cap or ZERO)),
        }
        if self.thresholds:
            result["pass_threshold"] = self.thresholds.get("pass")
            result["excellent_threshold"] = self.thresholds.get("excellent")
        return result

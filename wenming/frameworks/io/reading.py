"""How the layout reader read a document: row by row, column by column, and the tree it built.

A `Reading` is what the import preview shows and what the API returns as JSON: each source
row with the role it was given, each table's column mapping, each section's cap, the tree
with its totals, the checks and every problem in Chinese with its sheet and row. The user
answers with `Corrections` (plain data, kept as a reading profile for an issuer), and
`read_layout(document, corrections)` reads the document again into a new `Reading`.
Nothing here touches the database: `reading.spec` is saved by the import service, and only
when no problem blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wenming.frameworks.io.spec import FrameworkSpec, NodeSpec, Problem, fmt_points, parse_points
from wenming.frameworks.models import Section

# What a row can be. The first four are structure, then the section headings, then rows
# that are read but not imported.
ROLES: dict[str, str] = {
    "item": "测评项目",
    "content": "测评内容",
    "standard": "测评标准",
    "basic": "基本指标（分区标题）",
    "bonus": "加分项（分区标题）",
    "deduction": "扣分项（分区标题）",
    "veto": "否决项（分区标题）",
    "subtotal": "小计",
    "total": "合计",
    "note": "说明",
    "title": "标题",
    "header": "表头",
    "ignore": "忽略",
}
SECTION_ROLES: dict[str, str] = {
    "basic": Section.BASIC,
    "bonus": Section.BONUS,
    "deduction": Section.DEDUCTION,
    "veto": Section.VETO,
}
ROLE_BY_SECTION: dict[str, str] = {section: role for role, section in SECTION_ROLES.items()}
# What a column can mean.
MEANINGS: dict[str, str] = {
    "code": "编号",
    "item": "测评项目",
    "content": "测评内容",
    "standard": "测评标准",
    "points": "分值",
    "method": "测评方法",
    "scoring": "评分方式",
    "rule": "评分标准（细则）",
    "evidence": "佐证材料",
    "window": "材料时限",
    "note": "备注",
    "description": "说明",
    "ignore": "忽略",
}
HIERARCHY_MEANINGS = ("item", "content", "standard")


def _num(value: Decimal | None) -> str | None:
    return None if value is None else fmt_points(value)


@dataclass
class RowReading:
    """One source row and what it was read as.

    `row` is the row number in its sheet (Excel) or table (Word, header row = 1); rows of
    the text around a Word table are in the pseudo sheets “表格1上方” / “表格1下方”, one row
    per paragraph. `level` is the depth in the tree of the node the row made (0 = top).
    """

    sheet: str
    row: int
    cells: list[str]
    role: str = "ignore"
    level: int | None = None
    section: str = Section.BASIC
    code: str = ""
    title: str = ""
    points: Decimal | None = None
    problems: list[Problem] = field(default_factory=list)
    corrected: bool = False  # the role came from the user's corrections
    continues: bool = False  # extra text (evidence, notes) of the standard above
    node: NodeSpec | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        node = self.node
        return {
            "sheet": self.sheet,
            "row": self.row,
            "cells": self.cells,
            "role": self.role,
            "role_label": ROLES.get(self.role, self.role),
            "level": self.level,
            "section": self.section,
            "code": node.code if node is not None else self.code,
            "title": node.title if node is not None else self.title,
            "points": _num(node.points if node is not None else self.points),
            "corrected": self.corrected,
            "continues": self.continues,
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class TableReading:
    """One worksheet or Word table: what kind of table it is and what its columns mean."""

    sheet: str
    kind: str  # "sheet" or "table"
    use: str  # "data", "cover" (notes only), "empty", "hidden"
    header_rows: list[int] = field(default_factory=list)
    columns: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    inferred: list[int] = field(default_factory=list)  # meanings guessed from the content
    needs_columns: bool = False
    section: str = Section.BASIC  # the section its first rows belong to
    joined: list[str] = field(default_factory=list)  # Word tables read as its continuation

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "kind": self.kind,
            "use": self.use,
            "header_rows": self.header_rows,
            "columns": [
                {
                    "column": col,
                    "name": self.names.get(col, ""),
                    "meaning": meaning,
                    "meaning_label": MEANINGS.get(meaning, meaning),
                    "inferred": col in self.inferred,
                }
                for col, meaning in sorted(self.columns.items())
            ],
            "needs_columns": self.needs_columns,
            "section": self.section,
            "joined": self.joined,
        }


@dataclass
class SectionReading:
    """A section heading as read, with the cap it states and what the section lists."""

    section: str
    heading: str
    cap: Decimal | None = None
    sheet: str | None = None
    row: int | None = None
    listed: Decimal = Decimal("0")
    standards: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "label": dict(Section.choices)[self.section],
            "heading": self.heading,
            "cap": _num(self.cap),
            "listed": _num(self.listed),
            "standards": self.standards,
            "sheet": self.sheet,
            "row": self.row,
        }


@dataclass
class Check:
    """A total the document states, compared with what its rows add up to."""

    kind: str  # "sum" (a parent), "total" (合计), "subtotal", "basic", "cap", "veto", "max"
    ok: bool
    message: str
    sheet: str | None = None
    row: int | None = None
    stated: Decimal | None = None
    actual: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ok": self.ok,
            "message": self.message,
            "sheet": self.sheet,
            "row": self.row,
            "stated": _num(self.stated),
            "actual": _num(self.actual),
        }


@dataclass
class TextPoints:
    """A points cell written in words (“两分”) that can be read as a number if the user says so."""

    sheet: str
    row: int
    text: str
    value: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "text": self.text, "value": _num(self.value)}


@dataclass
class Corrections:
    """What the user changed in the preview; plain data, so it can be stored as a profile.

    `roles` and `columns` are keyed by (sheet, row) and (sheet, 0-based column index).
    """

    roles: dict[tuple[str, int], str] = field(default_factory=dict)
    columns: dict[tuple[str, int], str] = field(default_factory=dict)
    caps: dict[str, Decimal] = field(default_factory=dict)  # section → cap
    basic_total: Decimal | None = None
    accept_text_points: bool = False

    def columns_for(self, sheet: str) -> dict[int, str]:
        return {col: meaning for (name, col), meaning in self.columns.items() if name == sheet}

    def as_dict(self) -> dict[str, Any]:
        return {
            "roles": [
                {"sheet": sheet, "row": row, "role": role}
                for (sheet, row), role in sorted(self.roles.items())
            ],
            "columns": [
                {"sheet": sheet, "column": col, "meaning": meaning}
                for (sheet, col), meaning in sorted(self.columns.items())
            ],
            "caps": {section: fmt_points(cap) for section, cap in self.caps.items()},
            "basic_total": _num(self.basic_total),
            "accept_text_points": self.accept_text_points,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Corrections:
        """Read corrections sent by the preview or the API. Raises ValueError in Chinese."""
        data = data or {}
        out = cls(accept_text_points=bool(data.get("accept_text_points", False)))
        for entry in data.get("roles") or []:
            role = str(entry.get("role", ""))
            if role not in ROLES:
                raise ValueError(f"行的角色“{role}”无法识别，可选：{'、'.join(ROLES)}")
            out.roles[(str(entry.get("sheet", "")), _int(entry.get("row"), "行号"))] = role
        for entry in data.get("columns") or []:
            meaning = str(entry.get("meaning", ""))
            if meaning not in MEANINGS:
                raise ValueError(f"列的含义“{meaning}”无法识别，可选：{'、'.join(MEANINGS)}")
            key = (str(entry.get("sheet", "")), _int(entry.get("column"), "列号"))
            out.columns[key] = meaning
        for section, cap in (data.get("caps") or {}).items():
            if section not in (Section.BONUS, Section.DEDUCTION):
                raise ValueError(
                    f"只能修改加分项（bonus）和扣分项（deduction）的上限，不能修改“{section}”"
                )
            out.caps[section] = _points(cap, "上限")
        if data.get("basic_total") not in (None, ""):
            out.basic_total = _points(data["basic_total"], "基本分")
        return out


def _int(value: Any, label: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{label}“{value}”应为整数") from exc


def _points(value: Any, label: str) -> Decimal:
    try:
        return parse_points(value)
    except ValueError as exc:
        raise ValueError(f"{label}：{exc}") from exc


def node_dict(node: NodeSpec) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title,
        "section": node.section,
        "points": _num(node.points),
        "total": _num(node.effective_points()) if node.section != Section.VETO else None,
        "children_total": _num(node.children_total()) if node.children else None,
        "is_standard": node.is_leaf,
        "scoring_mode": node.scoring_mode,
        "grades": [{"label": label, "points": fmt_points(p)} for label, p in node.grades],
        "deduction_step": _num(node.deduction_step),
        "per_incident": _num(node.per_incident),
        "incident_unit": node.incident_unit,
        "deduction_cap": _num(node.deduction_cap),
        "sheet": node.origin.sheet,
        "row": node.origin.row,
        "children": [node_dict(c) for c in node.children],
    }


@dataclass
class Reading:
    """A document as the layout reader read it. `spec` is set only when nothing blocks."""

    filename: str
    format: str
    tree: FrameworkSpec
    tables: list[TableReading] = field(default_factory=list)
    rows: list[RowReading] = field(default_factory=list)
    sections: list[SectionReading] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The part of `problems` that is the tree's checks (sums, totals, codes), as opposed to
    # cells that could not be read.
    check_problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    text_points: list[TextPoints] = field(default_factory=list)
    corrections: Corrections = field(default_factory=Corrections)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def spec(self) -> FrameworkSpec | None:
        return self.tree if not self.problems else None

    @property
    def needs_columns(self) -> bool:
        return any(t.needs_columns for t in self.tables)

    @property
    def basic_total(self) -> Decimal | None:
        """The basic total the document (or the user) states, if any."""
        return self.tree.basic_points

    def as_dict(self) -> dict[str, Any]:
        spec = self.tree
        return {
            "ok": self.ok,
            "needs_columns": self.needs_columns,
            "filename": self.filename,
            "format": self.format,
            "framework": {
                "name": spec.name,
                "issuer": spec.issuer,
                "level": spec.level,
                "kind": spec.kind,
                "edition_year": spec.edition_year,
                "basic_points": _num(spec.basic_points),
                "bonus_cap": _num(spec.bonus_cap),
                "deduction_cap": _num(spec.deduction_cap),
                "pass_threshold": _num(spec.pass_threshold),
                "excellent_threshold": _num(spec.excellent_threshold),
                "description": spec.description,
            },
            "summary": spec.summary(),
            "basic_total": _num(self.basic_total),
            "tables": [t.as_dict() for t in self.tables],
            "rows": [r.as_dict() for r in self.rows],
            "sections": [s.as_dict() for s in self.sections],
            "tree": [node_dict(root) for root in spec.roots],
            "checks": [c.as_dict() for c in self.checks],
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [p.as_dict() for p in self.warnings],
            "text_points": [t.as_dict() for t in self.text_points],
            "corrections": self.corrections.as_dict(),
            "roles": ROLES,
            "meanings": MEANINGS,
        }

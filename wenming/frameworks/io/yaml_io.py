"""Evaluation systems as YAML. The schema is documented in docs/frameworks.md."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from wenming.frameworks.io.spec import (
    LEVEL_BY_LABEL,
    FrameworkSpec,
    ImportFailed,
    NodeSpec,
    Origin,
    Problem,
    fmt_points,
    grades_from_preset,
    parse_points,
    validate,
)
from wenming.frameworks.models import GRADE_PRESETS, ScoringMode, Section

METHOD_CODES = {
    "MR": "材料审核",
    "FI": "实地考察",
    "SV": "问卷调查",
    "OL": "网络调查",
    "DO": "征求相关部门意见",
    "BR": "听取汇报",
    "IV": "个别座谈",
}
FIELD_NAMES = {
    "points": "分值",
    "cap": "上限",
    "per_incident": "每次扣分",
    "deduction_step": "每处扣分",
    "basic_points": "基本分",
    "pass_threshold": "达标分数线",
    "excellent_threshold": "标兵分数线",
    "concealment_multiplier": "扣分倍数",
}
SECTION_NAMES = {
    "items": "基本指标",
    "bonus.items": "加分项",
    "deductions.items": "扣分项",
    "veto.items": "一票否决项",
}
CHILD_KEYS = ("children", "indicators", "standards", "contents")
SCORING_NAMES = {"free", "deduct", "grade", *GRADE_PRESETS}


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._active: set[int] = set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(f"{where}：{message}"))

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(where, f"缺少“{key}”")
            return ""
        if isinstance(value, list):
            if all(isinstance(v, str | int | float) for v in value):
                return "；".join(str(v) for v in value)
            self.problem(where, f"“{key}”应为文字")
            return ""
        if isinstance(value, dict):
            self.problem(where, f"“{key}”应为文字，而不是键值表")
            return ""
        return str(value).strip()

    def points(
        self, data: dict[str, Any], key: str, where: str, *, negative_ok: bool = False
    ) -> Decimal | None:
        if data.get(key) is None:
            return None
        raw = data[key]
        if negative_ok:
            # Deductions are often written negative: -2, "-2", "-2分".
            if isinstance(raw, int | float) and not isinstance(raw, bool) and raw < 0:
                raw = -raw
            elif isinstance(raw, str) and raw.strip().startswith("-"):
                raw = raw.strip()[1:]
        try:
            return parse_points(raw)
        except ValueError as exc:
            self.problem(
                where, str(exc) if key == "points" else f"{FIELD_NAMES.get(key, key)}：{exc}"
            )
            return None

    def integer(self, data: dict[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(where, f"“{key}”应为非负整数，现在是“{value}”")
            return None
        return value

    def node(self, data: Any, section: str, where: str, depth: int) -> NodeSpec | None:
        if not isinstance(data, dict):
            self.problem(where, "每一项应为包含 code、title 等字段的键值表")
            return None
        if id(data) in self._active:
            self.problem(where, "节点引用了自身（循环引用），请去掉 YAML 锚点循环")
            return None
        if depth > 12:
            self.problem(where, "层级过深")
            return None
        self._active.add(id(data))
        try:
            return self._node(data, section, where, depth)
        finally:
            self._active.discard(id(data))

    def _node(self, data: dict[str, Any], section: str, where: str, depth: int) -> NodeSpec:
        # A missing code or title is reported by spec.validate, with this node's place.
        code = self.text(data, "code", where)
        label = (
            f"{where}（{code}）"
            if code and depth == 0
            else (f"{where.rsplit(' › ', 1)[0]} › {code}" if code else where)
        )
        node = NodeSpec(
            code=code,
            title=self.text(data, "title", label),
            section=section,
            description=self.text(data, "description", label),
            evidence=self.text(data, "evidence", label)
            if not isinstance(data.get("evidence"), list)
            or all(isinstance(e, str) for e in data["evidence"])
            else _evidence_text(data["evidence"]),
            material_window=self.text(data, "material_window", label),
            scoring_rule=self.text(data, "scoring_rule", label)
            or self.text(data, "deduction_rule", label),
            incident_unit=self.text(data, "unit", label) or self.text(data, "per", label),
            lookback=self.text(data, "lookback", label)
            if not isinstance(data.get("lookback"), dict)
            else "",
            note=self.text(data, "note", label),
            origin=Origin(label=label),
        )
        # Deduction items are often written with negative points ("points: -2").
        node.points = self.points(data, "points", label, negative_ok=section == Section.DEDUCTION)
        node.points_invalid = node.points is None and data.get("points") is not None
        node.deduction_step = self.points(data, "deduction_step", label)
        node.deduction_cap = self.points(data, "cap", label)
        node.lookback_months = self.integer(data, "lookback_months", label)
        methods = data.get("methods", [])
        if isinstance(methods, str):
            methods = [m for m in methods.replace("、", ",").split(",") if m.strip()]
        if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
            self.problem(label, "“methods”应为测评方法列表，如 [材料审核, 实地考察]")
            methods = []
        node.methods = [METHOD_CODES.get(m.strip(), m.strip()) for m in methods]
        if section == Section.DEDUCTION:
            node.per_incident = self.points(data, "per_incident", label, negative_ok=True)
            if node.per_incident is None and node.points is not None:
                node.per_incident = node.points
            node.points = None
        self._scoring(node, data, label)
        children_key = next((k for k in CHILD_KEYS if k in data), None)
        if children_key is not None:
            children = data[children_key]
            if not isinstance(children, list):
                self.problem(label, f"“{children_key}”应为列表")
            else:
                for index, child in enumerate(children, start=1):
                    built = self.node(child, section, f"{label} › 第{index}项", depth + 1)
                    if built is not None:
                        node.children.append(built)
        return node

    def _scoring(self, node: NodeSpec, data: dict[str, Any], label: str) -> None:
        by_level = data.get("points_by_level")
        if isinstance(by_level, dict):
            grades = []
            for level, pts in by_level.items():
                try:
                    grades.append((str(level), parse_points(pts)))
                except ValueError as exc:
                    self.problem(label, f"“points_by_level”{exc}")
            node.grades = grades
            node.scoring_mode = ScoringMode.GRADE
            if node.points is None and grades:
                node.points = max(p for _, p in grades)
            return
        scoring = data.get("scoring")
        rule = data.get("grade_rule")
        if isinstance(rule, dict) and not node.scoring_rule:
            node.scoring_rule = "；".join(f"{k}：{v}" for k, v in rule.items())
        if scoring is None:
            return
        if not isinstance(scoring, str) or scoring not in SCORING_NAMES:
            self.problem(
                label,
                f"“scoring”应为 free、deduct、grade、abc、grade4 或 fixed 之一，现在是“{scoring}”",
            )
            return
        if scoring == "free":
            node.scoring_mode = ScoringMode.FREE
        elif scoring == "deduct":
            node.scoring_mode = ScoringMode.DEDUCT
        elif scoring == "grade":
            node.scoring_mode = ScoringMode.GRADE
            node.grades = self._grades(data.get("grades"), node.points, label)
        else:
            node.scoring_mode = ScoringMode.GRADE
            if node.points is not None:
                node.grades = grades_from_preset(scoring, node.points)

    def _grades(self, raw: Any, points: Decimal | None, label: str) -> list[tuple[str, Decimal]]:
        if not isinstance(raw, list) or not raw:
            self.problem(label, "等级评分需要“grades”列表，如 [{label: 好, points: 2}]")
            return []
        grades = []
        for item in raw:
            if not isinstance(item, dict) or "label" not in item:
                self.problem(label, "“grades”的每一项需要 label 和 points（或 ratio）")
                continue
            try:
                if "points" in item:
                    grades.append((str(item["label"]), parse_points(item["points"])))
                elif "ratio" in item and points is not None:
                    grades.append(
                        (
                            str(item["label"]),
                            (points * parse_points(item["ratio"])).quantize(Decimal("0.01")),
                        )
                    )
                else:
                    self.problem(label, f"等级“{item['label']}”缺少 points")
            except ValueError as exc:
                self.problem(label, f"等级“{item['label']}”{exc}")
        return grades


# Structured evidence ({kind: photo, count: 3}) is shown to people as Chinese text.
EVIDENCE_KINDS = {
    "official_doc": "正式文件",
    "minutes": "会议记录/纪要",
    "plan": "方案/计划/规划",
    "summary": "总结/说明报告",
    "photo": "现场图片",
    "video": "视频",
    "stats_table": "统计表格",
    "roster": "名单/花名册",
    "media_link": "媒体报道链接或截图",
    "system_export": "信息系统截图/导出",
    "survey_result": "问卷结果",
    "certificate": "荣誉证书/表彰文件",
    "onsite_state": "现场状态",
}


def _evidence_text(items: list[Any]) -> str:
    parts = []
    for item in items:
        if isinstance(item, dict):
            kind = str(item.get("kind", ""))
            text = EVIDENCE_KINDS.get(kind, kind)
            if item.get("count"):
                text += f"不少于{item['count']}份"
            if item.get("max_chars"):
                text += f"（{item['max_chars']}字以内）"
            if item.get("note"):
                text += f"（{item['note']}）"
            parts.append(text)
        else:
            parts.append(str(item))
    return "；".join(p for p in parts if p)


def load(content: bytes | str) -> FrameworkSpec:
    """Parse YAML into a spec. Raises ImportFailed listing every problem found."""
    data = _parse(content)
    reader = _Reader()
    spec = _read_head(reader, data)
    for section, where, items in _sections(reader, spec, data):
        if items is None:
            continue
        if not isinstance(items, list):
            reader.problem(where, "应为列表")
            continue
        for index, item in enumerate(items, start=1):
            node = reader.node(item, section, f"{SECTION_NAMES.get(where, where)}第{index}项", 0)
            if node is not None:
                spec.roots.append(node)
    if reader.problems:
        # Report the tree's own problems too, so one round of fixes is enough.
        raise ImportFailed(reader.problems + validate(spec))
    return spec


def _parse(content: bytes | str) -> dict[str, Any]:
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError as exc:
        raise ImportFailed([Problem("文件不是 UTF-8 编码的 YAML 文本")]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ImportFailed([Problem("YAML 格式错误，请检查缩进和冒号", row=row)]) from exc
    except RecursionError as exc:
        raise ImportFailed([Problem("YAML 嵌套过深或含有循环引用")]) from exc
    if not isinstance(data, dict):
        raise ImportFailed([Problem("YAML 顶层应为键值表，包含 framework 与 items")])
    return data


def _read_head(reader: _Reader, data: dict[str, Any]) -> FrameworkSpec:
    """The `framework:` part: name, code, level, points and thresholds."""
    head = data.get("framework")
    if not isinstance(head, dict):
        reader.problem("framework", "缺少“framework”部分（体系名称、级别等）")
        head = {}
    spec = FrameworkSpec(
        name=reader.text(head, "name", "framework", required=True),
        lineage=reader.text(head, "code", "framework"),
        kind=reader.text(head, "kind", "framework") or "文明单位",
        issuer=reader.text(head, "issuer", "framework"),
        description=reader.text(head, "description", "framework"),
    )
    level = reader.text(head, "level", "framework")
    if level:
        if level in LEVEL_BY_LABEL:
            spec.level = LEVEL_BY_LABEL[level]
        else:
            reader.problem(
                "framework", f"级别“{level}”无法识别，应为 县级、市级、省级、全国 或 其他"
            )
    spec.edition_year = reader.integer(head, "edition_year", "framework")
    spec.basic_points = reader.points(head, "basic_points", "framework")
    spec.pass_threshold = reader.points(head, "pass_threshold", "framework")
    spec.excellent_threshold = reader.points(head, "excellent_threshold", "framework")
    window = head.get("material_window")
    spec.material_window = window.strip() if isinstance(window, str) else ""
    spec.basic_points_origin = Origin(label="framework.basic_points")
    return spec


def _sections(
    reader: _Reader, spec: FrameworkSpec, data: dict[str, Any]
) -> list[tuple[str, str, Any]]:
    """The basic items and the bonus, deduction and veto blocks with their caps, as
    (section, where, items) for the node reader."""
    sections: list[tuple[str, str, Any]] = [(Section.BASIC, "items", data.get("items"))]
    section: str
    for key, section in (
        ("bonus", Section.BONUS),
        ("deductions", Section.DEDUCTION),
        ("veto", Section.VETO),
    ):
        block = data.get(key)
        if block is None:
            continue
        if not isinstance(block, dict):
            reader.problem(key, f"“{key}”应为键值表，包含 items 列表")
            continue
        if section == Section.BONUS:
            spec.bonus_cap = reader.points(block, "cap", key)
        if section == Section.DEDUCTION:
            spec.deduction_cap = reader.points(block, "cap", key)
            mult = reader.points(block, "concealment_multiplier", key)
            if mult is not None:
                spec.concealment_multiplier = mult
        sections.append((section, f"{key}.items", block.get("items", [])))
    if data.get("items") is None:
        reader.problem("items", "缺少基本指标“items”列表")
    return sections


def dump(spec: FrameworkSpec) -> str:
    head: dict[str, Any] = {"code": spec.lineage, "name": spec.name}
    for key in ("issuer", "kind", "level", "edition_year", "description", "material_window"):
        value = getattr(spec, key)
        if value not in (None, ""):
            head[key] = value
    for key in ("basic_points", "pass_threshold", "excellent_threshold"):
        value = getattr(spec, key)
        if value is not None:
            head[key] = _num(value)
    doc: dict[str, Any] = {"framework": head}
    doc["items"] = [_node(n) for n in spec.section_roots(Section.BASIC)]
    bonus = spec.section_roots(Section.BONUS)
    if bonus or spec.bonus_cap is not None:
        block: dict[str, Any] = {}
        if spec.bonus_cap is not None:
            block["cap"] = _num(spec.bonus_cap)
        block["items"] = [_node(n) for n in bonus]
        doc["bonus"] = block
    deductions = spec.section_roots(Section.DEDUCTION)
    if deductions or spec.deduction_cap is not None:
        block = {"concealment_multiplier": _num(spec.concealment_multiplier)}
        if spec.deduction_cap is not None:
            block["cap"] = _num(spec.deduction_cap)
        block["items"] = [_node(n) for n in deductions]
        doc["deductions"] = block
    veto = spec.section_roots(Section.VETO)
    if veto:
        doc["veto"] = {"items": [_node(n) for n in veto]}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)


def _num(value: Decimal) -> int | float | str:
    text = fmt_points(value)
    return int(text) if "." not in text else text


def _node(node: NodeSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title}
    if node.points is not None and node.section != Section.DEDUCTION:
        out["points"] = _num(node.points)
    for key in ("description", "evidence", "material_window", "scoring_rule", "note", "lookback"):
        value = getattr(node, key)
        if value:
            out[key] = value
    if node.methods:
        out["methods"] = list(node.methods)
    if node.section == Section.DEDUCTION:
        if node.per_incident is not None:
            out["per_incident"] = _num(node.per_incident)
        if node.incident_unit:
            out["unit"] = node.incident_unit
    if node.deduction_cap is not None:
        out["cap"] = _num(node.deduction_cap)
    if node.deduction_step is not None:
        out["deduction_step"] = _num(node.deduction_step)
    if node.lookback_months is not None:
        out["lookback_months"] = node.lookback_months
    if node.is_leaf:
        if node.scoring_mode == ScoringMode.GRADE:
            out["scoring"] = "grade"
            out["grades"] = [{"label": label, "points": _num(p)} for label, p in node.grades]
        elif node.scoring_mode == ScoringMode.DEDUCT:
            out["scoring"] = "deduct"
    if node.children:
        out["children"] = [_node(c) for c in node.children]
    return out

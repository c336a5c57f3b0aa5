"""The conventions of the Excel layout, shared by the layout reader and the writer.

Header names and their synonyms, the wording of sections, points, deductions and scoring
modes, and the codes the reader gives nodes that have none (docs/frameworks-excel.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from wenming.frameworks.io.spec import (
    NodeSpec,
    fmt_points,
    grades_from_preset,
    parse_points,
)
from wenming.frameworks.models import GRADE_PRESETS, ScoringMode, Section

ITEM, CONTENT, STANDARD = "item", "content", "standard"
HIERARCHY = (ITEM, CONTENT, STANDARD)
# Header names by role, in order of preference. Matching ignores spaces and a bracketed
# suffix such as “分值（分）”.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    ITEM: ("测评项目", "一级指标", "考评项目", "考核项目", "测评类别", "测评指标", "项目", "指标"),
    CONTENT: ("测评内容", "二级指标", "考评内容", "考核内容", "测评指标", "内容"),
    STANDARD: (
        "测评标准",
        "三级指标",
        "考评标准",
        "考核标准",
        "测评要求",
        "具体标准",
        "测评内容及标准",
        "测评标准及要求",
        "标准",
    ),
    "code": ("编号", "序号", "代码", "指标编号"),
    "points": ("分值", "分数", "标准分", "标准分值", "分值分", "满分", "基本分值"),
    "method": ("测评方法", "考评方法", "测评方式", "考核方法", "考核方式", "检查方法"),
    "scoring": ("评分方式", "计分方式", "打分方式"),
    "rule": ("评分细则", "评分办法", "扣分标准", "扣分细则", "评分标准", "计分办法", "评分说明"),
    "evidence": (
        "佐证材料",
        "印证材料",
        "台账资料",
        "佐证资料",
        "台账材料",
        "申报材料",
        "佐证要求",
    ),
    "window": ("材料时限", "时限要求", "时限", "材料时间"),
    "note": ("备注",),
    "description": ("说明", "指标说明"),
}
SCORING_STANDARD = "评分标准"  # the standard text only when nothing else can be
AUX_FIELDS = {
    "rule": "scoring_rule",
    "evidence": "evidence",
    "window": "material_window",
    "note": "note",
    "description": "description",
}

DASHES = {"—", "——", "-", "--", "/", "／", "－", "无"}
TOTAL_WORDS = {"合计", "总计", "总分", "合计分值", "基本分合计", "共计", "分值合计"}
SUBTOTAL_WORDS = {"小计"}
ENUM = (
    r"(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．]"
    r"|(?:[A-Z]{1,2}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4})\d*[\s、.．]|第[一二三四五六七八九十]+部分)?\s*"
)
SECTION_RES: list[tuple[str, re.Pattern[str]]] = [
    (Section.VETO, re.compile(ENUM + r"(一票否决|否决项|否决指标|否决事项)")),
    (Section.DEDUCTION, re.compile(ENUM + r"(负面清单|扣分|减分)")),
    (
        Section.BONUS,
        re.compile(ENUM + r"(特色指标|特色加分|特色项目|特色工作|特色创建|加分|附加|奖励)"),
    ),
    (Section.BASIC, re.compile(ENUM + r"(基本指标|基础指标|基本项目)")),
]
FOOTNOTE_RE = re.compile(r"^\s*(注|说明|备注|填表说明)\s*[:：0-9１-９一、.]")
CAP_RE = re.compile(r"(?:最高|最多|上限|不超过|封顶)[^\d\n]{0,4}?(\d+(?:\.\d+)?)\s*分")
MULTIPLIER_RE = re.compile(r"(\d+(?:\.\d+)?)\s*倍")
POINTS_SUFFIX_RE = re.compile(
    r"^(?P<title>.*?)\s*[（(【\[]\s*(?:满分|共计|共|计|合计|分值|本项|计分|权重)?\s*[:：]?\s*"
    r"(?P<points>\d+(?:\.\d+)?)\s*分\s*[）)】\]]\s*[。；;]?\s*$",
    re.S,
)
# A code before a title: 【any】, a code proper (“A”, “A1-2”, “I-1”, “Ⅱ-3”, “1.1”), or an
# ordinal that numbers a node among its siblings (“一、”, “（一）”, “1.”, “(1)”, “①”).
ORDINAL_GROUP = "o"
CODE_PREFIX_RE = re.compile(
    r"^(?:【(?P<b>[^】\s]{1,40})】"
    r"|(?P<p>(?:[A-Z]{1,2}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,4})\d*(?:[-－]\d+)*|\d{1,2}(?:[.．]\d{1,2}){1,3})"
    r"(?:[ \u3000\n、]|(?<=[A-ZⅠ-Ⅻ])[.．](?!\d)|(?<=\d)(?=[\u4e00-\u9fff])(?!分))"
    r"|(?P<o>第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[、.．](?!\d)"
    r"|[（(]\d{1,3}[）)]|\d{1,3}[）)]|[①-⑳]))\s*(?=\S)"
)
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
META_KEYS = {
    "发布机关": "issuer",
    "发布单位": "issuer",
    "印发单位": "issuer",
    "体系编码": "lineage",
    "级别": "level",
    "类别": "kind",
    "版本年度": "edition_year",
    "基本分": "basic_points",
    "达标分数线": "pass_threshold",
    "标兵分数线": "excellent_threshold",
    "加分上限": "bonus_cap",
    "扣分上限": "deduction_cap",
    "未主动报告扣分倍数": "concealment_multiplier",
}
META_RE = re.compile(r"(" + "|".join(sorted(META_KEYS, key=len, reverse=True)) + r")\s*[:：]")
LONG_KEYS = {"材料时限": "material_window", "说明": "description"}
LONG_RE = re.compile(r"^(材料时限|说明)\s*[:：]\s*", re.S)
LOOKBACK_LINE_RE = re.compile(r"^追溯期\s*[:：]\s*")
LOOKBACK_MONTHS_RE = re.compile(r"[（(]追溯(\d+)个月[）)]\s*$")
MONTHS_RE = re.compile(r"(\d+)\s*个月")
STEP_RE = re.compile(r"每处扣\s*(\d+(?:\.\d+)?)\s*分")
METHOD_SPLIT_RE = re.compile(r"[、，,；;/／\s]+")
GRADE_PART_RE = re.compile(r"^(.+?)[\s:：=]*([+-]?\d+(?:\.\d+)?)\s*分?$")
PER_UNIT_RE = re.compile(r"^每\s*(\S{1,6}?)\s*扣\s*(\d+(?:\.\d+)?)\s*分$")
UNIT_AFTER_RE = re.compile(r"^-?扣?(\d+(?:\.\d+)?)分?[/／]每?(\S{1,6})$")
PLAIN_DEDUCT_RE = re.compile(r"^[-−－]?\s*扣?\s*(\d+(?:\.\d+)?)\s*分?$")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 9))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def split_points(text: str) -> tuple[str, str | None]:
    """“组织领导（10分）” → ("组织领导", "10")."""
    match = POINTS_SUFFIX_RE.match(text)
    if not match or not match.group("title").strip():
        return text, None
    return match.group("title").strip(), match.group("points")


def section_of(text: str) -> str | None:
    for section, pattern in SECTION_RES:
        if pattern.match(text):
            return section
    return None


def derive_months(lookback: str) -> int | None:
    match = MONTHS_RE.search(lookback)
    return int(match.group(1)) if match else None


ROOT_PREFIX: dict[str, str] = {Section.BONUS: "X", Section.DEDUCTION: "Y", Section.VETO: "V"}


def positional_code(section: str, parent_code: str | None, depth: int, index: int) -> str:
    """The code the importer gives a node that has none: A, A1, A1-1; X1, Y1, V1 outside basic."""
    if parent_code is None:
        if section == Section.BASIC:
            letters = ""
            n = index
            while n:
                n, rest = divmod(n - 1, 26)
                letters = chr(65 + rest) + letters
            return letters
        return ROOT_PREFIX[section] + str(index)
    if section == Section.BASIC and depth == 1 and not parent_code[-1:].isdigit():
        return f"{parent_code}{index}"
    return f"{parent_code}-{index}"  # under “I-1” the first content is I-1-1, not I-11


# -- cells the reader parses and the writer formats, kept side by side --------------------------


def excel_number(value: Decimal) -> int | float:
    text = fmt_points(value)
    return int(text) if "." not in text else float(text)


def parse_deduction(raw: Any) -> tuple[Decimal, str, Decimal | None]:
    """A deduction's 分值 cell: -2, “2分”, “每起扣2分”, “扣2分/次”, “…，最多扣6分”.

    Returns (per incident, unit, cap); raises ValueError with a Chinese message.
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return parse_points(abs(round(raw, 9))), "", None
    text = compact(cell_text(raw)).replace("－", "-").replace("−", "-")
    cap = None
    found = CAP_RE.search(text)
    if found:
        cap = parse_points(found.group(1))
        text = (text[: found.start()] + text[found.end() :]).strip("，,；;。")
    if match := PER_UNIT_RE.match(text):
        return parse_points(match.group(2)), match.group(1), cap
    if match := UNIT_AFTER_RE.match(text):
        return parse_points(match.group(1)), match.group(2), cap
    if match := PLAIN_DEDUCT_RE.match(text):
        return parse_points(match.group(1)), "", cap
    raise ValueError(f"扣分项的分值“{cell_text(raw)}”无法识别，应写成 -2、2分 或 每起扣2分")


def format_deduction(node: NodeSpec) -> Any:
    if node.per_incident is None:
        return None
    per = fmt_points(node.per_incident)
    if node.incident_unit:
        text = f"每{node.incident_unit}扣{per}分"
    elif node.deduction_cap is None:
        return -excel_number(node.per_incident)
    else:
        text = f"扣{per}分"
    if node.deduction_cap is not None:
        text += f"，最多扣{fmt_points(node.deduction_cap)}分"
    return text


def parse_veto_window(window: str) -> tuple[str, str, int | None]:
    """A veto row's 材料时限 cell → (material window, lookback, lookback months).

    The cell is the lookback (“申报前24个月内”), or lines with one “追溯期：…” line. Months
    come from “（追溯24个月）” at the end, else from the first “N个月” in the lookback.
    """
    lines = window.splitlines()
    marked = next((i for i, line in enumerate(lines) if LOOKBACK_LINE_RE.match(line)), None)
    material = ""
    lookback = window
    if marked is not None:
        lookback = LOOKBACK_LINE_RE.sub("", lines[marked]).strip()
        material = "\n".join(line for i, line in enumerate(lines) if i != marked).strip()
    explicit = LOOKBACK_MONTHS_RE.search(lookback)
    if explicit:
        return material, lookback[: explicit.start()].rstrip(), int(explicit.group(1))
    return material, lookback, derive_months(lookback)


def format_veto_window(node: NodeSpec) -> str:
    lookback = node.lookback
    months = node.lookback_months
    if months is not None and (
        derive_months(lookback) != months or LOOKBACK_MONTHS_RE.search(lookback)
    ):
        lookback += f"（追溯{months}个月）"
    if node.material_window or LOOKBACK_LINE_RE.match(lookback):
        return f"{node.material_window}\n追溯期：{lookback}".strip("\n")
    return lookback


@dataclass
class Scoring:
    mode: str = ScoringMode.FREE
    grades: list[tuple[str, Decimal]] = field(default_factory=list)
    step: Decimal | None = None
    cap: Decimal | None = None


def parse_scoring(text: str, points: Decimal | None, *, with_cap: bool = True) -> Scoring:
    """A 评分方式 cell: “自由打分”, “按缺项扣分”, “等级：A 2 / B 1.32 / C 0.66 / C# 0” or a
    preset's labels (“等级：A/B/C/C#”), then optionally “每处扣0.5分”, “最多扣2分”.
    Raises ValueError with a Chinese message."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = lines[0] if lines else ""
    result = Scoring()
    if step := STEP_RE.search(text):
        result.step = parse_points(step.group(1))
    if with_cap and (cap := CAP_RE.search(text)):
        result.cap = parse_points(cap.group(1))
    if "等级" in head:
        result.mode = ScoringMode.GRADE
        result.grades = _parse_grades(head, points)
    elif "自由" in head:
        result.mode = ScoringMode.FREE
    elif "扣" in head:
        result.mode = ScoringMode.DEDUCT
    else:
        raise ValueError(f"评分方式“{head}”无法识别，应写 自由打分、按缺项扣分 或 {GRADE_EXAMPLE}")
    return result


GRADE_EXAMPLE = "等级：A 2 / B 1.32 / C 0.66 / C# 0"


def _parse_grades(head: str, points: Decimal | None) -> list[tuple[str, Decimal]]:
    rest = re.split(r"[:：]", head, maxsplit=1)
    body = rest[1] if len(rest) > 1 else re.sub(r"^.*?等级(评分|评定)?", "", head)
    parts = [
        p.strip() for p in re.split(r"[/／|｜;；,，]", body.strip().strip("（()）")) if p.strip()
    ]
    matches = [GRADE_PART_RE.match(p) for p in parts]
    if parts and all(m is None for m in matches) and points is not None:
        for name, preset in GRADE_PRESETS.items():
            if [label for label, _ in preset] == parts:
                return grades_from_preset(name, points)
    grades = []
    for part, match in zip(parts, matches, strict=True):
        try:
            if match is None:
                raise ValueError(part)
            grades.append((match.group(1).strip(), parse_points(match.group(2))))
        except ValueError as exc:
            raise ValueError(f"等级“{part}”写法无法识别，应写成 {GRADE_EXAMPLE}") from exc
    return grades


def format_scoring(node: NodeSpec) -> str:
    cap = node.deduction_cap if node.section != Section.DEDUCTION else None
    if node.scoring_mode == ScoringMode.GRADE:
        head = "等级：" + " / ".join(f"{label} {fmt_points(p)}" for label, p in node.grades)
    elif node.scoring_mode == ScoringMode.DEDUCT:
        head = "按缺项扣分"
    elif (
        node.section in (Section.BASIC, Section.BONUS)
        or node.deduction_step is not None
        or cap is not None
    ):
        head = "自由打分"
    else:
        return ""  # deduction and veto rows are free-scored unless they say otherwise
    extras = []
    if node.deduction_step is not None:
        extras.append(f"每处扣{fmt_points(node.deduction_step)}分")
    if cap is not None:
        extras.append(f"最多扣{fmt_points(cap)}分")
    return "\n".join([head, "；".join(extras)] if extras else [head])

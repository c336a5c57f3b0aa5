"""What the words in an evaluation system's cells say: codes, points, caps, rules.

Pure functions over text, shared by the layout reader. Every pattern here reads a wording
that real editions use; none depends on where the text stands in the table (that is the
reader's business).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from wenming.frameworks.io.excel_format import (
    CAP_RE,
    CODE_PREFIX_RE,
    FOOTNOTE_RE,
    ORDINAL_GROUP,
    Scoring,
    compact,
    section_of,
    split_points,
)
from wenming.frameworks.io.spec import parse_points
from wenming.frameworks.models import ScoringMode, Section

NUM = r"(\d+(?:\.\d+)?)"
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百 → 100; None when it is not a Chinese numeral."""
    if not text or any(ch not in CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + CN_DIGITS[ch]
    return total + current


TEXT_POINTS_RE = re.compile(r"^([零〇一二两三四五六七八九十百]+)(?:分半|点五分|分)?$|^半分$")


def text_points(raw: str) -> Decimal | None:
    """“两分” → 2, “三分半” → 3.5, “半分” → 0.5: points written in words (read only when the
    user says so). None for words that are no number (“若干”)."""
    text = compact(raw)
    match = TEXT_POINTS_RE.match(text)
    if not match:
        return None
    if text == "半分":
        return Decimal("0.5")
    value = cn_number(match.group(1))
    if value is None:
        return None
    return Decimal(value) + (Decimal("0.5") if text.endswith(("分半", "点五分")) else 0)


# -- codes --------------------------------------------------------------------------------


@dataclass
class Code:
    """A code written before a title: a code proper (“I-1”, “A1-2”, “1.1”) kept as it is, or
    an ordinal (“一、”, “（一）”, “1.”, “①”) that only numbers the node among its siblings."""

    text: str = ""
    ordinal: int | None = None


def split_code(text: str) -> tuple[Code, str]:
    """“I-1 组织管理” → (Code("I-1"), "组织管理"); “（一）组织领导” → (Code(ordinal=1), ...)."""
    match = CODE_PREFIX_RE.match(text)
    if not match:
        return Code(), text
    rest = text[match.end() :].strip()
    if match.group("b") or match.group("p"):
        return Code(text=match.group("b") or match.group("p")), rest
    raw = match.group(ORDINAL_GROUP)
    return Code(ordinal=ordinal_value(raw)), rest


def ordinal_value(raw: str) -> int | None:
    digits = re.sub(r"[第（()）、.．\s]", "", raw)
    if digits in CIRCLED:
        return CIRCLED.index(digits) + 1
    if digits.isdigit():
        return int(digits)
    return cn_number(digits)


BARE_NUMBER_RE = re.compile(r"^\d{1,4}[.．]?$")


def title_points(text: str) -> tuple[str, Decimal | None]:
    """“组织领导（10分）” → ("组织领导", 10); points that are no valid number stay in the title."""
    title, stated = split_points(text)
    if stated is None:
        return text, None
    try:
        return title, parse_points(stated)
    except ValueError:
        return text, None


# -- section headings ---------------------------------------------------------------------

KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    (Section.VETO, re.compile(r"一票否决|否决项|否决指标|否决事项|否决情形|否决条件")),
    (Section.DEDUCTION, re.compile(r"负面清单|扣分项|扣分指标|扣分事项|减分项|减分指标|扣分")),
    (Section.BONUS, re.compile(r"加分项|加分指标|特色创建|特色指标|附加分|奖励分|奖励项|加分")),
]
TITLE_WORDS_RE = re.compile(r"体系|细则|办法|测评表|考核表|评分表|标准（|标准\(")


def heading_section(text: str) -> str | None:
    """The section a heading row names: at its start (“二、加分项目”), or anywhere in a short
    heading (“特色创建（加分项，最高加10分）”)."""
    section = section_of(text)
    if section is not None:
        return section
    flat = compact(text)
    if len(flat) > 30 or FOOTNOTE_RE.match(text) or TITLE_WORDS_RE.search(flat):
        return None
    if re.search(r"[。；;]", flat.rstrip("。")):
        return None  # a sentence, not a heading
    found = [(m.start(), s) for s, pattern in KEYWORDS if (m := pattern.search(flat))]
    return min(found)[1] if found else None


def section_from_name(name: str) -> str | None:
    """A sheet named “加分项” or “一票否决” holds that section; “Sheet1” says nothing."""
    flat = compact(name)
    section = section_of(flat)
    if section is not None or TITLE_WORDS_RE.search(flat) or len(flat) > 20:
        return section
    found = [(m.start(), s) for s, pattern in KEYWORDS if (m := pattern.search(flat))]
    if found:
        return min(found)[1]
    return Section.BASIC if re.search(r"基本指标|基础指标|基本项目", flat) else None


BASIC_STATED_RE = re.compile(
    r"(?:基本指标|基础指标|基本项目|基本分)\s*(?:共|为|计)?\s*" + NUM + r"\s*分"
)


def heading_cap(section: str, text: str) -> Decimal | None:
    """The cap a bonus or deduction heading states (“最高加10分”, “加分项（10分）”), or the
    basic total a basic heading states (“一、基本指标（100分）”)."""
    if section == Section.VETO:
        return None
    match = CAP_RE.search(text)
    stated = match.group(1) if match else split_points(text.strip())[1]
    if stated is None and section == Section.BASIC and (found := BASIC_STATED_RE.search(text)):
        stated = found.group(1)
    if stated is None:
        return None
    try:
        return parse_points(stated)
    except ValueError:
        return None


# -- notes: totals, caps and lines stated in words ----------------------------------------

NOTE_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "basic_points": [
        re.compile(
            r"基本(?:指标|分|分值|项目|测评)?(?:总分|满分|分值|共|为|计|占)*[:：]?" + NUM + "分"
        ),
        re.compile(NUM + r"\s*分?\s*[+＋]\s*\d+(?:\.\d+)?\s*分"),
    ],
    "bonus_cap": [
        re.compile(
            r"(?:加分|特色|附加|奖励)[^。；;\n]{0,16}?(?:最高|最多|上限|不超过|封顶|不得超过)"
            r"[^\d。；;]{0,6}" + NUM + r"\s*分"
        ),
        re.compile(
            r"(?:特色指标|特色创建|加分项?|附加分|奖励分)(?:总分|满分|分值|共|为|计)*[:：]?"
            + NUM
            + "分"
        ),
        re.compile(r"\d+(?:\.\d+)?\s*分?\s*[+＋]\s*" + NUM + r"\s*分"),
    ],
    "deduction_cap": [
        re.compile(
            r"(?:扣分|减分|负面清单)[^。；;\n]{0,16}?(?:最高|最多|上限|不超过|封顶|累计)"
            r"[^\d。；;]{0,6}" + NUM + r"\s*分"
        ),
    ],
    "pass_threshold": [
        re.compile(r"(?:达标|合格)(?:分数)?线\s*(?:为|是|[:：])?\s*" + NUM),
        re.compile(NUM + r"\s*分(?:及|或)?以上[^，,。；;\d]{0,12}?(?:达标|合格)"),
    ],
    "excellent_threshold": [
        re.compile(r"(?:标兵|优秀)(?:分数)?线\s*(?:为|是|[:：])?\s*" + NUM),
        re.compile(NUM + r"\s*分(?:及|或)?以上[^，,。；;\d]{0,12}?(?:优秀|标兵)"),
    ],
    "stated_max": [re.compile(r"(?:总分|满分)\s*(?:为|共|是|[:：])?\s*" + NUM + r"\s*分(?![+＋])")],
}


def numbers_in_note(text: str) -> dict[str, Decimal]:
    """Caps, totals and lines a 说明 states: “总分为100+10分”, “加分项最高不超过10分”,
    “85分以上为达标”. Only what is clearly stated; nothing is guessed."""
    flat = compact(text)
    found: dict[str, Decimal] = {}
    for key, patterns in NOTE_PATTERNS.items():
        for pattern in patterns:
            match = pattern.search(flat)
            if match:
                try:
                    found[key] = parse_points(match.group(1))
                except ValueError:
                    continue
                break
    return found


# -- deductions and scoring rules written in words ---------------------------------------

UNITS = r"(次|起|例|人次|项|处|人|件|个|篇|条|期|家)"
PER_RE = re.compile(
    r"每(?:发现|出现|发生|有|缺|少)?\s*(?:一|1)?\s*"
    + UNITS
    + r"[^，,。；;\d]{0,8}?扣\s*"
    + NUM
    + r"\s*分"
)
ONCE_RE = re.compile(r"(?:发现|出现|发生)\s*(?:一|1)\s*" + UNITS + r"\s*扣\s*" + NUM + r"\s*分")
AFTER_RE = re.compile(r"扣\s*" + NUM + r"\s*分\s*[/／]\s*" + UNITS)
RANGE_RE = re.compile(r"扣\s*\d+(?:\.\d+)?\s*[-—~～至到]\s*" + NUM + r"\s*分")
PLAIN_RE = re.compile(r"扣(?:除)?\s*" + NUM + r"\s*分")
DEDUCT_CAP_RE = re.compile(
    r"(?:最多|最高|累计|上限|不超过|封顶)[^\d，。；]{0,4}?扣?\s*" + NUM + r"\s*分(?:为止)?"
)


def deduction_from_text(text: str) -> tuple[Decimal, str, Decimal | None] | None:
    """“每次扣2分，最多扣10分” → (2, "次", 10); “扣5分” → (5, "", None); None when the text
    states no amount."""
    flat = compact(text)
    cap = None
    if found := DEDUCT_CAP_RE.search(flat):
        cap = parse_points(found.group(1))
        flat = flat[: found.start()] + flat[found.end() :]
    for pattern, unit_first in ((PER_RE, True), (ONCE_RE, True), (AFTER_RE, False)):
        if match := pattern.search(flat):
            unit, amount = match.groups() if unit_first else match.groups()[::-1]
            return parse_points(amount), unit, cap
    if match := RANGE_RE.search(flat) or PLAIN_RE.search(flat):
        return parse_points(match.group(1)), "", cap
    return None


GRADE_PAIR_RE = re.compile(
    r"(?P<label>[A-Za-z][#＃+]?|[\u4e00-\u9fa5]{1,5}?)\s*(?:级|等)?\s*[:：=（(]?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*分?\s*[)）]?"
)
NOT_A_GRADE = re.compile(r"[每扣缺少低加次个项处得按满]")
GRADE_NOISE_RE = re.compile(r"等级评分|等级|评分|评定|[\s,，;；、/／|｜。.]")
STEP_RULE_RE = re.compile(
    r"每(?:缺|少|低|差|下降|超|超过|发现|出现|有|迟报|漏报)?\s*(?:\d+(?:\.\d+)?|一)\s*"
    r"[^扣\d，,。；;]{0,6}?扣\s*" + NUM + r"\s*分"
)


def scoring_from_rule(text: str, points: Decimal | None) -> Scoring | None:
    """A 评分标准 cell's rule as a scoring mode: “A:3 B:2 C:1 C#:0” or “好2 较好1.5 一般1 差0”
    are grades; “每缺1次扣0.5分” or “每低1个百分点扣1分，直至本项分值扣完” deduct per step
    (to zero unless a cap is stated). None when the rule is prose to keep as it is."""
    flat = compact(text)
    if not flat:
        return None
    pairs = list(GRADE_PAIR_RE.finditer(flat))
    if len(pairs) >= 2 and not any(NOT_A_GRADE.search(m.group("label")) for m in pairs):
        residue = GRADE_PAIR_RE.sub("", flat)
        if not GRADE_NOISE_RE.sub("", residue):
            grades = [
                (m.group("label").replace("＃", "#"), parse_points(m.group("num"))) for m in pairs
            ]
            return Scoring(mode=ScoringMode.GRADE, grades=grades)
    if match := STEP_RULE_RE.search(flat):
        scoring = Scoring(mode=ScoringMode.DEDUCT, step=parse_points(match.group(1)))
        if cap := DEDUCT_CAP_RE.search(flat[match.end() :]):
            scoring.cap = parse_points(cap.group(1))
        return scoring
    return None


BONUS_AMOUNT_RE = re.compile(r"加\s*" + NUM + r"\s*分")


def bonus_from_text(text: str) -> Decimal | None:
    """The most a bonus standard written as prose gives (“省级加3分，市级加1分” → 3)."""
    amounts = [parse_points(m.group(1)) for m in BONUS_AMOUNT_RE.finditer(compact(text))]
    return max(amounts) if amounts else None


# -- text around the tables: titles, issuers, numbered lists -------------------------------

ATTACHMENT_RE = re.compile(r"^附\s*[件表录]\s*[\d一二三四五六七八九十]*\s*[:：]?$")
ISSUER_RE = re.compile(
    r"^[\u4e00-\u9fa5（）()·]{2,40}(?:文明办|文明委|办公室|委员会|文明建设指导委员会|宣传部)$"
)
DATE_RE = re.compile(r"^\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?$")
ITEM_START_RE = re.compile(
    r"(?:^|(?<=[。；;：:\s]))(?:\d{1,2}[.．、）)]|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]+[）)]|[①-⑳])(?!\d)"
)


def numbered_items(text: str) -> tuple[str, list[str]]:
    """“一票否决：1.发生…；2.出现…” → ("一票否决：", ["发生…", "出现…"])."""
    starts = [m for m in ITEM_START_RE.finditer(text)]
    if not starts:
        return text, []
    head = text[: starts[0].start()].strip()
    items = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        item = text[match.end() : end].strip().rstrip("；;。，,").strip()
        if item:
            items.append(item)
    return head, items

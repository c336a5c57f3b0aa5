"""Which row is the header and what each column means: by the names, else by the content.

A header is one row, or two when a row of group headings (“测评指标” merged over three
columns) stands above the column names. Names are matched against the synonyms of
`excel_format.HEADER_NAMES`, then by the words they contain (“项目分值” is a points column,
“得分” is the evaluator's column and ignored). Columns no name explains, and tables with no
header at all, are read from their content: a column of short numbers is the points, the
longest text is the standard, short codes are the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wenming.frameworks.io.excel_format import (
    HEADER_NAMES,
    SCORING_STANDARD,
    cell_text,
    compact,
)
from wenming.frameworks.io.layout.text import CODE_PREFIX_RE
from wenming.frameworks.io.spec import parse_points
from wenming.frameworks.io.tables import Table

HEADER_SCAN_ROWS = 20
HIERARCHY = ("item", "content", "standard")
SINGLE = ("code", "method", "scoring", "rule", "evidence", "window", "note", "description")

FUZZY: list[tuple[str, re.Pattern[str]]] = [
    ("ignore", re.compile(r"得分|自评|实得|评分结果|测评结果|考核结果|签字|扣分情况|扣分原因")),
    ("code", re.compile(r"序号|编号|代码|编码")),
    ("points", re.compile(r"分值|分数|满分|标准分|权重|赋分|赋值")),
    ("scoring", re.compile(r"评分方式|计分方式|打分方式|评分方法|计分方法")),
    ("rule", re.compile(r"评分|扣分标准|扣分办法|计分|细则|奖励标准|加分标准|得分标准")),
    ("method", re.compile(r"方法|方式|途径")),
    ("evidence", re.compile(r"材料|资料|台账|佐证|印证")),
    ("window", re.compile(r"时限|时间|追溯")),
    ("note", re.compile(r"备注")),
    ("description", re.compile(r"说明")),
    ("item", re.compile(r"(类别|项目|指标|名称|类型|领域)$")),
    ("standard", re.compile(r"标准|要求|内容|要点|情形|事项|条件|清单|扣分项")),
]
METHOD_WORDS = re.compile(r"材料审核|实地考察|问卷调查|网络调查|听取汇报|征求|查阅|座谈|暗访")
CODE_VALUE = re.compile(
    r"^(?:[A-Za-zⅠ-Ⅻ]{0,2}\d{0,3}(?:[-－.．]\d{1,3})*|[一二三四五六七八九十]{1,3})[、.．]?$"
)


@dataclass
class Header:
    rows: list[int] = field(default_factory=list)  # indexes into table.rows
    columns: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    inferred: list[int] = field(default_factory=list)
    found: bool = True  # False: no header row; the columns are a guess to be confirmed
    first_body: int | None = None  # where the rows start when there is no header row

    @property
    def body_start(self) -> int:
        if self.rows:
            return self.rows[-1] + 1
        return self.first_body or 0

    def hierarchy(self) -> list[int]:
        return sorted(c for c, m in self.columns.items() if m in HIERARCHY)


def normalized(text: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", compact(text))


def row_names(table: Table, index: int) -> dict[int, str]:
    return {c: cell_text(table.filled(index, c)) for c in range(table.width)}


def meanings_from_names(names: dict[int, str]) -> tuple[dict[int, str], list[int]]:
    """Column meanings by name; returns (meanings, columns the names did not explain)."""
    # “考核时间：” is a field of a score sheet to fill in, not a column name.
    flat = {
        c: normalized(n) for c, n in names.items() if n and not n.rstrip().endswith(("：", ":"))
    }
    columns: dict[int, str] = {}
    for col, name in flat.items():
        exact = [m for m, cands in HEADER_NAMES.items() if name in cands]
        if "points" in exact:
            columns[col] = "points"
        elif exact and (exact[0] not in SINGLE or exact[0] not in columns.values()):
            columns[col] = exact[0]
    for col, name in flat.items():
        if col in columns or len(name) > 12:
            continue  # a header name is short; long text is a data row
        for meaning, pattern in FUZZY:
            if pattern.search(name) and (meaning not in SINGLE or meaning not in columns.values()):
                columns[col] = meaning
                break
    _resolve_hierarchy(columns, flat)
    unknown = [c for c in flat if c not in columns]
    return columns, unknown


def _resolve_hierarchy(columns: dict[int, str], flat: dict[int, str]) -> None:
    """Several columns named like levels (测评类别, 测评项目, 测评内容) are levels in order,
    at most four; “评分标准” is the standard only when no other column can be."""
    values = set(columns.values())
    if "standard" not in values and not {"item", "content"} <= values:
        scoring = next((c for c, n in flat.items() if n == SCORING_STANDARD), None)
        if scoring is not None:
            columns[scoring] = "standard"
    levels = sorted(c for c, m in columns.items() if m in HIERARCHY)
    for extra in levels[:-4]:
        columns[extra] = "ignore"
    levels = levels[-4:]
    ranks = [HIERARCHY.index(columns[c]) for c in levels]
    if len(set(ranks)) != len(ranks) or ranks != sorted(ranks):
        wanted = {
            1: ["standard"],
            2: ["item", "standard"],
            3: list(HIERARCHY),
            4: ["item", "content", "content", "standard"],
        }[len(levels)]
        for col, role in zip(levels, wanted, strict=True):
            columns[col] = role


def is_header(columns: dict[int, str]) -> bool:
    meanings = list(columns.values())
    if not any(m in HIERARCHY for m in meanings):
        return False
    known = [m for m in meanings if m not in HIERARCHY and m != "ignore"]
    return "points" in meanings or len(known) >= 2


def _numeric_cells(table: Table, index: int) -> int:
    row = table.rows[index] if index < len(table.rows) else []
    return sum(1 for v in row if isinstance(v, int | float | Decimal) and not isinstance(v, bool))


def find_header(table: Table) -> Header | None:
    """The header row (or two rows) within the first rows, by the names in it."""
    for index in range(min(len(table.rows), HEADER_SCAN_ROWS)):
        names = row_names(table, index)
        if len({n for n in names.values() if n}) < 2:
            continue  # a title or a heading merged across the table
        single, _ = meanings_from_names(names)
        two = _two_rows(table, index, names, single)
        if two is not None:
            return two
        if is_header(single):
            return Header(rows=[index], columns=single, names=names)
    return _partial_header(table)


def _partial_header(table: Table) -> Header | None:
    """A row shaped like a header (short names, no numbers, data rows below) with at least
    one name that says a level (“否决事项”, “测评标准”): the header, its other columns read
    from their content, and a missing points column asked for by name."""
    for index in range(min(len(table.rows) - 1, HEADER_SCAN_ROWS)):
        names = row_names(table, index)
        texts = [n for n in names.values() if n]
        if len(set(texts)) < 2 or any(len(compact(t)) > 12 for t in texts):
            continue
        if _numeric_cells(table, index):
            continue
        columns, _ = meanings_from_names(names)
        below = [cell_text(v) for v in table.rows[index + 1] if cell_text(v)]
        if any(m in HIERARCHY for m in columns.values()) and below:
            return Header(rows=[index], columns=columns, names=names)
    return None


def _spans(table: Table, index: int) -> bool:
    return any(
        m.first_row <= index <= m.last_row and m.last_col > m.first_col for m in table.merges
    )


def _two_rows(
    table: Table, index: int, upper: dict[int, str], single: dict[int, str]
) -> Header | None:
    """Group headings above the column names: read each column by its lower name."""
    below = index + 1
    if below >= len(table.rows) or _numeric_cells(table, below):
        return None
    lower = row_names(table, below)
    own = {c: n for c, n in lower.items() if n and n != upper.get(c)}
    if not own or any(len(compact(n)) > 12 for n in lower.values()):
        return None
    exact = any(normalized(n) in cands for n in own.values() for cands in HEADER_NAMES.values())
    named = {c: m for c, m in single.items() if m != "ignore"}
    if not exact or not (named or _spans(table, index)):
        return None  # the row above is no group heading (a form line “被考核单位：”)
    combined = {c: lower[c] or upper.get(c, "") for c in range(table.width)}
    columns, _ = meanings_from_names(combined)
    for col, meaning in list(columns.items()):
        group = upper.get(col, "")
        if meaning in HIERARCHY and group != combined[col] and re.search(r"方法|方式", group):
            columns[col] = "description"  # “测评内容” under “测评方法及内容” describes the method
    _resolve_hierarchy(columns, {c: normalized(n) for c, n in combined.items() if n})
    if not is_header(columns) or (is_header(single) and len(columns) < len(single)):
        return None
    return Header(rows=[index, below], columns=columns, names=combined)


# -- by content ---------------------------------------------------------------------------


def is_points_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return -1000 < value < 1000
    text = compact(cell_text(value)).lstrip("-－−")
    if not text or len(text) > 8:
        return False
    try:
        parse_points(text)
        return True
    except ValueError:
        return bool(re.fullmatch(r"扣?\d+(?:\.\d+)?分?(?:/\S{1,2})?", text))


@dataclass
class _Stats:
    filled: int = 0
    numbers: int = 0
    codes: int = 0
    methods: int = 0
    length: int = 0
    rules: int = 0

    @property
    def average(self) -> float:
        return self.length / self.filled if self.filled else 0.0


def _column_stats(table: Table, start: int, width: int) -> dict[int, _Stats]:
    stats = {c: _Stats() for c in range(width)}
    for row in table.rows[start : start + 300]:
        for c, value in enumerate(row[:width]):
            text = cell_text(value)
            if not text:
                continue
            s = stats[c]
            s.filled += 1
            s.length += len(text)
            s.numbers += is_points_value(value)
            s.codes += bool(CODE_VALUE.match(compact(text)) or CODE_PREFIX_RE.fullmatch(text))
            s.methods += bool(METHOD_WORDS.search(text))
            s.rules += "扣" in text and "分" in text
    return stats


def infer_columns(
    table: Table, start: int, known: dict[int, str], free: list[int]
) -> dict[int, str]:
    """Meanings for the `free` columns from the rows from `start`, given the known ones."""
    stats = _column_stats(table, start, table.width)
    have = set(known.values())
    out: dict[int, str] = {}

    def share(c: int, attr: str) -> float:
        return getattr(stats[c], attr) / stats[c].filled if stats[c].filled else 0.0

    candidates = sorted(c for c in free if stats[c].filled)
    numeric = [c for c in candidates if share(c, "numbers") >= 0.6]
    if "code" not in have and candidates:
        first = candidates[0]
        if (
            share(first, "codes") >= 0.7
            and stats[first].average <= 8
            and (first not in numeric or len(numeric) > 1 or _counts_up(table, start, first))
        ):
            out[first] = "code"
    numeric = [c for c in numeric if c not in out]
    if "points" not in have and numeric:
        out[max(numeric, key=lambda c: (stats[c].filled, -c))] = "points"
    texts = [c for c in candidates if c not in out and c not in numeric and stats[c].average >= 2]
    for c in texts:
        if share(c, "methods") >= 0.4 and stats[c].average < 30:
            out[c] = "method"
    texts = [c for c in texts if c not in out]
    if any(m in HIERARCHY for m in have) or not texts:
        return out
    # The standard: the text column filled on the most rows (groups are merged or left
    # blank below their first row), then the longest.
    leaf = max(texts, key=lambda c: (stats[c].filled, stats[c].average, -c))
    out[leaf] = "standard"
    groups = [c for c in texts if c < leaf][-2:]
    for c, role in zip(groups, ["item", "content"][: len(groups)], strict=True):
        out[c] = role
    for c in texts:
        if c > leaf:
            out[c] = "rule" if share(c, "rules") >= 0.3 else "note"
    return out


def _counts_up(table: Table, start: int, col: int) -> bool:
    values = [cell_text(r[col]) for r in table.rows[start:] if col < len(r) and cell_text(r[col])]
    return (
        len(values) >= 2 and all(v.isdigit() for v in values) and int(values[-1]) > int(values[0])
    )


def guess_header(table: Table) -> Header | None:
    """A table with no recognisable header: find where its rows start and guess the columns."""
    start = _data_start(table)
    if start is None:
        return None
    rows: list[int] = []
    names: dict[int, str] = {}
    if start + 1 < len(table.rows) and not _numeric_cells(table, start):
        following = _numeric_cells(table, start + 1)
        texts = [cell_text(v) for v in table.rows[start] if cell_text(v)]
        if following and all(len(t) <= 12 for t in texts):
            rows, names = [start], row_names(table, start)
            start += 1
    columns = infer_columns(table, start, {}, list(range(table.width)))
    if not any(m in HIERARCHY for m in columns.values()):
        return None
    return Header(
        rows=rows,
        columns=columns,
        names=names,
        inferred=sorted(columns),
        found=False,
        first_body=start,
    )


def _data_start(table: Table) -> int | None:
    """The first of two rows in a row that each have two or more different texts."""
    multi = [len({cell_text(v) for v in r if cell_text(v)}) >= 2 for r in table.rows]
    for i in range(len(multi) - 1):
        if multi[i] and multi[i + 1]:
            return i
    return None


def is_data_like(table: Table) -> bool:
    return _data_start(table) is not None

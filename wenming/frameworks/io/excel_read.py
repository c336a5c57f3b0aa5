"""Read an evaluation system from the .xlsx sheets offices circulate.

The accepted layout is described in docs/frameworks-excel.md. Only the first worksheet is
read (or the active one when the first has no recognisable header). Every problem found is
collected and raised together as ImportFailed, each placed at its Excel row and column.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from wenming.frameworks.io.excel_format import (
    AUX_FIELDS,
    CAP_RE,
    DASHES,
    FOOTNOTE_RE,
    HIERARCHY,
    LONG_KEYS,
    LONG_RE,
    META_KEYS,
    META_RE,
    METHOD_SPLIT_RE,
    MULTIPLIER_RE,
    SUBTOTAL_WORDS,
    TEXT_ROLES,
    TOTAL_WORDS,
    YEAR_RE,
    cell_text,
    compact,
    find_header,
    missing_header,
    parse_deduction,
    parse_scoring,
    parse_veto_window,
    positional_code,
    section_of,
    split_code,
    split_points,
)
from wenming.frameworks.io.spec import (
    LEVEL_BY_LABEL,
    FrameworkSpec,
    ImportFailed,
    NodeSpec,
    Origin,
    Problem,
    fmt_points,
    parse_points,
    validate,
)
from wenming.frameworks.models import Framework, Node, Section

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # declared size of all ZIP members together
MAX_ZIP_ENTRIES = 10_000
MAX_PART = 10 * 1024 * 1024  # any one part other than a worksheet (shared strings, styles)
MAX_COLUMNS = 40
MAX_ROWS = 20_000  # non-empty rows
MAX_BLANK_RUN = 2_000  # stop reading after this many empty rows in a row (styled blank rows)

CORRUPT = "文件已损坏或不是 Excel 文件，请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入"


@dataclass
class _Open:
    """A parent node open at one hierarchy level, with the text that opened it."""

    node: NodeSpec
    raw: str


class _Reader:
    def __init__(self, rows: list[tuple[Any, ...]], header_row: int, columns: dict[str, int]):
        self.rows = rows
        self.header_row = header_row
        self.columns = columns
        self.headers = {i: cell_text(v) for i, v in enumerate(rows[header_row - 1]) if cell_text(v)}
        self.levels = [role for role in HIERARCHY if role in columns]
        self.leaf_role = self.levels[-1]
        self.spec = FrameworkSpec(name="")
        self.problems: list[Problem] = []
        self.section: str = Section.BASIC
        self.section_raw = ""
        self.open: list[_Open | None] = [None] * (len(self.levels) - 1)
        self.last_leaf: NodeSpec | None = None
        self.bad_points = False

    # -- helpers -------------------------------------------------------------------------
    def col_name(self, role: str) -> str:
        index = self.columns[role]
        return self.headers.get(index) or get_column_letter(index + 1)

    def problem(self, message: str, row: int | None, role: str | None = None) -> None:
        self.problems.append(
            Problem(message, row=row, column=self.col_name(role) if role else None)
        )

    def value(self, cells: tuple[Any, ...], role: str) -> Any:
        index = self.columns.get(role)
        return None if index is None or index >= len(cells) else cells[index]

    def points(self, raw: Any, row: int, role: str = "points") -> Decimal | None:
        if raw is None or (isinstance(raw, str) and (not raw.strip() or raw.strip() in DASHES)):
            return None
        if isinstance(raw, float):
            raw = round(raw, 9)
        if isinstance(raw, int | float) and not isinstance(raw, bool) and raw < 0:
            self.bad_points = True
            self.problem(
                f"分值不能为负数（{cell_text(raw)}）；扣分项请列在“负面清单（扣分项）”标题行之下",
                row,
                role,
            )
            return None
        try:
            return parse_points(raw)
        except ValueError as exc:
            self.bad_points = True
            self.problem(str(exc), row, role)
            return None

    # -- head: title and notes rows above the header ---------------------------------------
    def read_head(self, sheet_title: str) -> None:
        spec = self.spec
        explicit_year = False
        for number in range(1, self.header_row):
            texts = [cell_text(v) for v in self.rows[number - 1]]
            texts = [t for t in texts if t]
            if not texts:
                continue
            joined = "；".join(dict.fromkeys(texts))
            if re.fullmatch(r"附\s*[件表]\s*\d*", joined):
                continue
            long = LONG_RE.match(joined)
            meta = META_RE.match(joined)
            if not spec.name and len(set(texts)) == 1 and not long and not meta:
                spec.name = texts[0]
            elif long:
                key = LONG_KEYS[long.group(1)]
                rest = joined[long.end() :].strip()
                setattr(spec, key, f"{getattr(spec, key)}\n{rest}".strip())
            elif meta:
                explicit_year |= self.read_meta(joined, number)
            else:
                spec.description = f"{spec.description}\n{joined}".strip()
        if not spec.name and not re.fullmatch(r"(Sheet|工作表)\d*", sheet_title):
            spec.name = sheet_title  # no title row: the sheet's own name, unless a default one
        if spec.edition_year is None and not explicit_year and spec.name:
            match = YEAR_RE.search(spec.name)
            spec.edition_year = int(match.group(1)) if match else None

    def read_meta(self, text: str, row: int) -> bool:
        """Read “发布机关：…；级别：市级；…”. True when 版本年度 was stated."""
        spec = self.spec
        matches = list(META_RE.finditer(text))
        stated_year = False
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            value = text[match.end() : end].strip()
            if i + 1 < len(matches) and value[-1:] in ("；", ";", "，", ",", "、"):
                value = value[:-1].rstrip()  # the separator before the next key
            key, label = META_KEYS[match.group(1)], match.group(1)
            if key in ("issuer", "lineage", "kind"):
                setattr(spec, key, value)
            elif key == "level":
                if value in LEVEL_BY_LABEL:
                    spec.level = LEVEL_BY_LABEL[value]
                elif value:
                    self.problems.append(
                        Problem(
                            f"级别“{value}”无法识别，应为 县级、市级、省级、全国 或 其他", row=row
                        )
                    )
            elif key == "edition_year":
                stated_year = True
                if re.fullmatch(r"\d{4}", value):
                    spec.edition_year = int(value)
                elif value not in ("", "未标明", "无", *DASHES):
                    self.problems.append(
                        Problem(f"版本年度“{value}”应为四位年份，如 2025", row=row)
                    )
            elif value:
                try:
                    setattr(spec, key, parse_points(value.removesuffix("倍")))
                except ValueError as exc:
                    self.problems.append(Problem(f"“{label}”{exc}", row=row))
                if key == "basic_points":
                    spec.basic_points_origin = Origin(row=row)
        return stated_year

    # -- body ----------------------------------------------------------------------------
    def read_body(self) -> None:
        for number in range(self.header_row + 1, len(self.rows) + 1):
            self.read_row(number, self.rows[number - 1])

    def read_row(self, row: int, cells: tuple[Any, ...]) -> None:
        filled = [(i, cell_text(v)) for i, v in enumerate(cells) if cell_text(v)]
        if not filled:
            return
        first = compact(filled[0][1])
        if first in TOTAL_WORDS or re.fullmatch(r"(合计|总计)[（(].*[）)]", first):
            self.read_total(row, cells, filled)
            return
        if first in SUBTOTAL_WORDS:
            return
        leaf_col = self.columns[self.leaf_role]
        if len({t for _, t in filled}) == 1 and all(i != leaf_col for i, _ in filled):
            text = filled[0][1]
            if FOOTNOTE_RE.match(text):
                self.spec.description = f"{self.spec.description}\n{text}".strip()
                return
            section = section_of(text)
            if section is not None:
                self.switch(section, text, row)
                return
        self.read_entry(row, cells)

    def read_total(self, row: int, cells: tuple[Any, ...], filled: list[tuple[int, str]]) -> None:
        raw = self.value(cells, "points")
        if raw is None or not cell_text(raw):
            match = re.search(r"(\d+(?:\.\d+)?)\s*分", " ".join(t for _, t in filled))
            raw = match.group(1) if match else None
        total = self.points(raw, row)
        if total is not None:
            if self.spec.stated_total is not None and self.spec.stated_total != total:
                self.problem("表格中有两个合计行且数值不同，请只保留一个", row, "points")
            self.spec.stated_total = total
            self.spec.stated_total_origin = Origin(row=row, column=self.col_name("points"))
        self.reset()

    def switch(self, section: str, text: str, row: int) -> None:
        self.section, self.section_raw = section, text
        self.reset()
        cap = CAP_RE.search(text)
        try:
            if section == Section.BONUS and cap:
                self.spec.bonus_cap = parse_points(cap.group(1))
            elif section == Section.DEDUCTION:
                if cap:
                    self.spec.deduction_cap = parse_points(cap.group(1))
                multiplier = MULTIPLIER_RE.search(text)
                if multiplier:
                    self.spec.concealment_multiplier = parse_points(multiplier.group(1))
            elif section == Section.BASIC:
                stated = re.search(r"(\d+(?:\.\d+)?)\s*分", text)
                if stated and self.spec.basic_points is None:
                    self.spec.basic_points = parse_points(stated.group(1))
                    self.spec.basic_points_origin = Origin(row=row)
        except ValueError as exc:
            self.problems.append(Problem(str(exc), row=row))

    def reset(self) -> None:
        self.open = [None] * len(self.open)
        self.last_leaf = None

    def attach(self, node: NodeSpec, level: int) -> None:
        parent = next((o.node for o in reversed(self.open[:level]) if o is not None), None)
        (parent.children if parent is not None else self.spec.roots).append(node)

    def read_entry(self, row: int, cells: tuple[Any, ...]) -> None:
        texts = {role: cell_text(self.value(cells, role)) for role in TEXT_ROLES}
        opened: NodeSpec | None = None
        changed = False
        for level, role in enumerate(self.levels[:-1]):
            raw = texts[role]
            current = self.open[level]
            if not raw:
                if changed:
                    self.open[level] = None
                continue
            if raw in DASHES:
                self.open[level:] = [None] * (len(self.open) - level)
                changed = True
                continue
            if current is not None and not changed and current.raw == raw:
                continue
            if level == 0 and raw == self.section_raw:
                continue
            section = section_of(raw) if level == 0 else None
            if section is not None:
                # “加分项目”, “一票否决” ... written in the item column over the section's rows.
                self.switch(section, raw, row)
                changed = True
                continue
            code, title = split_code(raw)
            title, stated = split_points(title)
            node = NodeSpec(
                code=code,
                title=title,
                section=self.section,
                origin=Origin(row=row, column=self.col_name(role)),
            )
            if stated is not None:
                node.points = self.points(stated, row, role)
            self.attach(node, level)
            self.open[level:] = [_Open(node, raw)] + [None] * (len(self.open) - level - 1)
            opened, changed = node, True
        leaf_text = texts[self.leaf_role]
        if leaf_text and leaf_text not in DASHES:
            node = NodeSpec(code=texts["code"], title=leaf_text, section=self.section)
            column = self.col_name("code") if node.code else self.col_name(self.leaf_role)
            node.origin = Origin(row=row, column=column)
            self.fill_leaf(node, row, cells, texts)
            self.attach(node, len(self.open))
            self.last_leaf = node
        elif opened is not None:
            if texts["code"] and not opened.code:
                opened.code = texts["code"]
            if opened.points is None and self.section in (Section.BASIC, Section.BONUS):
                opened.points = self.points(self.value(cells, "points"), row)
            self.fill_aux(opened, texts, append=False)
        elif cell_text(self.value(cells, "points")):
            self.problem(
                f"这一行有分值，但“{self.col_name(self.leaf_role)}”列是空的，请填写测评标准内容",
                row,
                self.leaf_role,
            )
        elif self.last_leaf is not None:
            # A standard spanning several rows: further evidence, notes... belong to it.
            self.fill_aux(self.last_leaf, texts, append=True)
            if texts["methods"]:
                self.last_leaf.methods += [m for m in METHOD_SPLIT_RE.split(texts["methods"]) if m]

    def fill_aux(self, node: NodeSpec, texts: dict[str, str], *, append: bool) -> None:
        for role, attr in AUX_FIELDS.items():
            if texts.get(role) and role in self.columns:
                old = getattr(node, attr)
                setattr(node, attr, f"{old}\n{texts[role]}".strip() if append else texts[role])

    def fill_leaf(
        self, node: NodeSpec, row: int, cells: tuple[Any, ...], texts: dict[str, str]
    ) -> None:
        self.fill_aux(node, texts, append=False)
        node.methods = [m for m in METHOD_SPLIT_RE.split(texts["methods"]) if m]
        raw = self.value(cells, "points")
        if self.section == Section.VETO:
            self.veto_leaf(node, row, raw, texts)
        elif self.section == Section.DEDUCTION:
            self.deduction_leaf(node, row, raw)
        else:
            node.points = self.points(raw, row)
            node.points_invalid = (
                node.points is None and bool(cell_text(raw)) and cell_text(raw) not in DASHES
            )
            if node.points is None and not node.points_invalid:
                self.bad_points = True
                kind = "加分项" if self.section == Section.BONUS else "测评标准"
                self.problem(
                    f"{kind}缺少分值，请在“{self.col_name('points')}”列填写，例如 3 或 3分",
                    row,
                    "points",
                )
        if texts["scoring"]:
            self.scoring(node, texts["scoring"], row)

    def veto_leaf(self, node: NodeSpec, row: int, raw: Any, texts: dict[str, str]) -> None:
        text = cell_text(raw)
        if text and text not in DASHES and "否决" not in text:
            if re.fullmatch(r"0+(\.0+)?\s*分?", text):
                node.points = Decimal("0")
            else:
                self.problem(f"一票否决项不设分值，请删除“{text}”", row, "points")
        node.material_window, node.lookback, node.lookback_months = parse_veto_window(
            texts["window"]
        )

    def deduction_leaf(self, node: NodeSpec, row: int, raw: Any) -> None:
        if not cell_text(raw) or cell_text(raw) in DASHES:
            column = self.col_name("points")
            self.problem(
                f"扣分项缺少每次扣分分值，请在“{column}”列填写，例如 -2 或 每起扣2分", row, "points"
            )
            return
        try:
            node.per_incident, node.incident_unit, node.deduction_cap = parse_deduction(raw)
        except ValueError as exc:
            self.bad_points = True
            self.problem(str(exc), row, "points")

    def scoring(self, node: NodeSpec, text: str, row: int) -> None:
        try:
            scoring = parse_scoring(text, node.points, with_cap=node.section != Section.DEDUCTION)
        except ValueError as exc:
            self.problem(str(exc), row, "scoring")
            return
        node.scoring_mode, node.grades = scoring.mode, scoring.grades
        node.deduction_step = scoring.step
        if scoring.cap is not None:
            node.deduction_cap = scoring.cap

    # -- codes and final checks ------------------------------------------------------------
    def check_sizes(self) -> None:
        """What the database columns cannot hold (PostgreSQL refuses it; SQLite would not)."""
        spec = self.spec
        for attr, label in (
            ("name", "体系名称"),
            ("issuer", "发布机关"),
            ("lineage", "体系编码"),
            ("kind", "类别"),
        ):
            limit = _max_length(Framework, attr)
            if len(getattr(spec, attr)) > limit:
                self.problems.append(
                    Problem(f"{label}过长（{len(getattr(spec, attr))}字），最多{limit}字")
                )
        if spec.concealment_multiplier >= _number_limit(Framework, "concealment_multiplier"):
            self.problems.append(Problem("未主动报告扣分倍数过大"))
        for node, _ in spec.walk():
            for attr, (label, role) in NODE_SIZES.items():
                value = getattr(node, attr)
                if attr == "deduction_cap" and node.section != Section.DEDUCTION:
                    role = "scoring"
                column = self.col_name(role) if role in self.columns else node.origin.column
                if isinstance(value, str):
                    limit = _max_length(Node, attr)
                    if len(value) > limit:
                        message = f"{label}过长（{len(value)}字），最多{limit}字"
                        self.problems.append(Problem(message, row=node.origin.row, column=column))
                elif value is not None and value >= _number_limit(Node, attr):
                    message = f"{label}{fmt_points(value)}分过大，请核对"
                    self.problems.append(Problem(message, row=node.origin.row, column=column))

    def assign_codes(self) -> None:
        used = {node.code for node, _ in self.spec.walk() if node.code}
        counters: dict[str, int] = {}

        def give(node: NodeSpec, parent: NodeSpec | None, depth: int, index: int) -> None:
            if not node.code:
                n = index
                code = positional_code(node.section, parent.code if parent else None, depth, n)
                while code in used:
                    n += 1
                    code = positional_code(node.section, parent.code if parent else None, depth, n)
                node.code = code
                used.add(code)
            for i, child in enumerate(node.children, start=1):
                give(child, node, depth + 1, i)

        for root in self.spec.roots:
            counters[root.section] = counters.get(root.section, 0) + 1
            give(root, None, 0, counters[root.section])


NODE_SIZES = {
    "code": ("编号", "code"),
    "material_window": ("材料时限", "window"),
    "incident_unit": ("计扣单位", "points"),
    "lookback": ("追溯期", "window"),
    "per_incident": ("每次扣分", "points"),
    "deduction_cap": ("扣分上限", "points"),
    "deduction_step": ("每处扣分", "scoring"),
}


def _max_length(model: Any, attr: str) -> int:
    return int(getattr(model._meta.get_field(attr), "max_length", 0) or 0)


def _number_limit(model: Any, attr: str) -> Decimal:
    field = model._meta.get_field(attr)
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def _open_zip(content: bytes) -> None:
    """Refuse what is not an .xlsx, and ZIPs that would expand beyond MAX_UNCOMPRESSED."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFailed([Problem(CORRUPT)]) from exc
    names = {info.filename for info in infos}
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFailed(
            [Problem(f"文件包含的部件过多（{len(infos)}个），不是正常的测评体系表格")]
        )
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED:
        raise ImportFailed(
            [
                Problem(
                    f"文件解压后约 {declared // (1024 * 1024)}MB，超过{MAX_UNCOMPRESSED // (1024 * 1024)}MB 的上限；"
                    "请删去与测评体系无关的工作表和图片后另存为 .xlsx 再导入"
                )
            ]
        )
    # openpyxl streams worksheets in read-only mode but loads shared strings and styles whole.
    bulky = max(
        (
            i.file_size
            for i in infos
            if i.filename.endswith((".xml", ".rels"))
            and not i.filename.startswith("xl/worksheets/")
        ),
        default=0,
    )
    if bulky > MAX_PART:
        raise ImportFailed(
            [
                Problem(
                    f"文件中的共享文字或样式部分解压后约 {bulky // (1024 * 1024)}MB，不像正常的测评体系表格；"
                    "请把测评体系复制到新的工作簿中，另存为 .xlsx 后再导入"
                )
            ]
        )
    if "xl/workbook.bin" in names:
        raise ImportFailed([Problem("这是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后再导入")])
    if "word/document.xml" in names:
        raise ImportFailed(
            [Problem("这是 Word 文档，不是 Excel 表格；请把测评体系整理到 Excel 中后导入")]
        )
    if "[Content_Types].xml" not in names or not any(
        n.startswith("xl/") and n.endswith("workbook.xml") for n in names
    ):
        raise ImportFailed([Problem(CORRUPT)])


def _sheet_rows(sheet: Any) -> list[tuple[Any, ...]]:
    sheet.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
    rows: list[tuple[Any, ...]] = []
    filled = blank_run = 0
    for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        if any(v is not None and v != "" for v in values):
            blank_run = 0
            filled += 1
            if filled > MAX_ROWS:
                raise ImportFailed(
                    [Problem(f"工作表超过{MAX_ROWS}行，不像是测评体系；请只保留测评体系本身")]
                )
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        rows.append(tuple(values))
    while rows and not any(v is not None and v != "" for v in rows[-1]):
        rows.pop()
    return rows


def load(content: bytes) -> FrameworkSpec:
    """Parse an .xlsx evaluation system. Raises ImportFailed listing every problem found."""
    _open_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportFailed([Problem(CORRUPT)]) from exc
    try:
        sheets = list(book.worksheets)
        if not sheets:
            raise ImportFailed([Problem("工作簿中没有工作表")])
        candidates = [sheets[0]]
        active = book.active
        if active is not None and active is not sheets[0] and active in sheets:
            candidates.append(active)
        found = None
        first_rows: list[tuple[Any, ...]] = []
        for sheet in candidates:
            try:
                rows = _sheet_rows(sheet)
            except ImportFailed:
                raise
            except Exception as exc:
                raise ImportFailed([Problem(CORRUPT)]) from exc
            if sheet is sheets[0]:
                first_rows = rows
            header = find_header(rows)
            if header is not None:
                found = (sheet, rows, header)
                break
    finally:
        book.close()
    if found is None:
        title = sheets[0].title
        if not first_rows:
            raise ImportFailed([Problem(f"工作表“{title}”是空的，请把测评体系放在第一个工作表中")])
        others = [s.title for s in sheets[1:]]
        raise ImportFailed([missing_header(first_rows, title, others)])
    sheet, rows, (header_row, columns) = found
    reader = _Reader(rows, header_row, columns)
    reader.read_head(sheet.title)
    reader.read_body()
    spec = reader.spec
    if not spec.roots and not reader.problems:
        raise ImportFailed(
            [Problem(f"表头（第{header_row}行）下面没有读到任何测评标准", row=header_row)]
        )
    reader.assign_codes()
    reader.check_sizes()
    if reader.problems:
        raise ImportFailed(_with_checks(reader))
    return spec


def _with_checks(reader: _Reader) -> list[Problem]:
    """Add the tree checks to the reading problems, leaving out their echoes."""
    flagged = {p.row for p in reader.problems}
    derived = {(n.origin.row, n.origin.column) for n, _ in reader.spec.walk() if n.children}
    derived.add((reader.spec.stated_total_origin.row, reader.spec.stated_total_origin.column))
    derived.add((reader.spec.basic_points_origin.row, reader.spec.basic_points_origin.column))
    spec = reader.spec
    name, spec.name = spec.name, spec.name or "-"  # a name can still come with the upload form
    checks = validate(spec)
    spec.name = name
    extra = [
        p
        for p in checks
        if p.row not in flagged and not (reader.bad_points and (p.row, p.column) in derived)
    ]
    return sorted([*reader.problems, *extra], key=lambda p: p.row or 0)

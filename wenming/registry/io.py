"""The registry as an Excel workbook, both ways: `registry_workbook` writes what the list's
filters select (one row per honour, a unit without honours on a row of its own, and a second
sheet with every status change); `read_rows` + `import_plan` + `import_run` read an office's
existing list back, all or nothing.

The import reads the same columns as the export (the header row is found by its names, in
any order, extra columns ignored) through the framework import's reader, so .xlsx and .xls
(also WPS .et) are read alike and a file that is not a spreadsheet, or lies about its type,
is refused with a sentence saying what it is. Every row is checked before anything is
saved, each problem named by its row and column; the plan is shown to the user, who
confirms it; `import_run` then creates the entries and honours through the services in one
transaction, and any refusal there undoes the whole import.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from wenming.core.xlsx import print_setup
from wenming.frameworks.io.documents import read_document
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.io.tables import Table
from wenming.ledger.files import FileKind, UploadRefused, inspect_upload
from wenming.orgs.models import Organization, OrgKind
from wenming.orgs.services import PHONE_ERROR, phone_is_valid
from wenming.registry import services
from wenming.registry.filters import Filters
from wenming.registry.models import (
    TERM_CHOICES,
    Honour,
    HonourEvent,
    HonourStatus,
    Level,
    RegistryEntry,
)

COLUMNS = ["单位名称", "系统/行业", "区域", "职工人数", "信息管理员", "联系电话", "称号", "级别",
           "命名机关", "批次", "命名年度", "有效期（年）", "届满年度", "状态", "状态变更日期"]  # fmt: skip
WIDTHS = [28, 12, 10, 8, 10, 14, 18, 6, 18, 10, 8, 8, 8, 10, 12]
HISTORY = ["单位名称", "称号", "级别", "命名年度", "原状态", "新状态", "决定日期",
           "决定文件", "原因", "整改期限", "操作人", "记录时间"]  # fmt: skip
HISTORY_WIDTHS = [28, 18, 6, 8, 10, 10, 12, 30, 36, 12, 10, 17]
FONT = "宋体"
# The fields each column fills, for the length limits and for naming a service's refusal.
ENTRY_FIELDS = {
    "系统/行业": "sector",
    "区域": "area",
    "信息管理员": "info_admin_name",
    "联系电话": "info_admin_phone",
}
HONOUR_FIELDS = {"称号": "title", "命名机关": "issuer_name", "批次": "batch"}
COLUMN_OF_FIELD = {
    "unit": "单位名称",
    "unit_name": "单位名称",
    "staff_count": "职工人数",
    "level": "级别",
    "issuer": "命名机关",
    "year_named": "命名年度",
    "term_years": "有效期（年）",
    "status": "状态",
    "status_on": "状态变更日期",
    **{f: c for c, f in ENTRY_FIELDS.items()},
    **{f: c for c, f in HONOUR_FIELDS.items()},
}
HEADER_SEARCH_ROWS = 20
EARLIEST_YEAR = 1980
FILTER_NAMES = ("level", "status", "sector", "area", "year", "q")


# --- export -------------------------------------------------------------------------------------


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(ws: Worksheet, values: list[Any]) -> None:
    cells = []
    for value in values:
        cell = Cell(ws, value=_cell_text(value))
        # What people typed goes in as text, never as a formula (“=HYPERLINK(...)”).
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    ws.append(cells)


def _heading(ws: Worksheet, title: str, header: list[str], widths: list[int]) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([f"导出日期：{timezone.localdate():%Y年%m月%d日}"])
    ws.append(header)
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(3, col)
        ws.column_dimensions[cell.column_letter].width = width
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")


def _entry_cells(entry: RegistryEntry) -> list[Any]:
    return [
        entry.unit.name,
        entry.sector,
        entry.area,
        entry.staff_count,
        entry.info_admin_name,
        entry.info_admin_phone,
    ]


def _honour_cells(h: Honour) -> list[Any]:
    issuer = h.issuer.name if h.issuer_id and h.issuer else h.issuer_name
    return [
        h.title,
        h.get_level_display(),
        issuer,
        h.batch,
        h.year_named,
        h.term_years,
        h.last_year,
        h.get_status_display(),
        h.status_on,
    ]


def registry_workbook(entries: QuerySet[RegistryEntry], filters: Filters, title: str) -> bytes:
    """The entries (already scoped and filtered) with their honours, and the history sheet.
    Three queries whatever the size: entries, honours, status changes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "文明单位名录"
    _heading(ws, title, COLUMNS, WIDTHS)
    rows = list(entries.select_related("unit").order_by("office__path", "unit__name", "id"))
    honours_qs = filters.honours(
        Honour.objects.live().filter(entry__in=entries.values("pk")).select_related("issuer")
    ).order_by("entry_id", "-year_named", "id")
    by_entry: dict[int, list[Honour]] = {}
    for h in honours_qs:
        by_entry.setdefault(h.entry_id, []).append(h)
    for entry in rows:
        honours = by_entry.get(entry.pk, [])
        if not honours and not filters.on_honours:
            _append(ws, _entry_cells(entry))
        for h in honours:
            _append(ws, [*_entry_cells(entry), *_honour_cells(h)])
    history = wb.create_sheet("状态变更记录")
    _heading(history, f"{title} 状态变更记录", HISTORY, HISTORY_WIDTHS)
    events = (
        HonourEvent.objects.filter(honour__in=honours_qs.values("pk"))
        .select_related("honour__entry__unit", "actor")
        .order_by("honour__entry__unit__name", "honour_id", "at", "id")
    )
    for e in events.iterator(chunk_size=2000):
        _append(history, _event_cells(e))
    for sheet in (ws, history):  # after the rows: it touches the first row under the header
        print_setup(sheet, 3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _event_cells(e: HonourEvent) -> list[Any]:
    h = e.honour
    actor = (e.actor.get_full_name() or e.actor.username) if e.actor else "系统"
    return [
        h.entry.unit.name,
        h.title,
        h.get_level_display(),
        h.year_named,
        e.get_from_status_display() if e.from_status else "（新）",
        e.get_to_status_display(),
        e.decided_on,
        e.document_title,
        e.comment,
        e.deadline,
        actor,
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
    ]


# --- import: reading ----------------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else ""
        if self.column:
            where += f"“{self.column}”"
        return f"{where}：{self.message}" if where else self.message


class ImportRefused(Exception):
    """The file cannot be read, or its rows have problems: nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("；".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class SheetRow:
    row: int
    values: dict[str, str]


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _document_message(message: str) -> str:
    """The framework reader speaks of evaluation systems; here the file is a registry."""
    return (
        message.replace("测评体系的 Excel 或 Word 文件", "名录的 Excel 文件")
        .replace("测评体系表格", "文明单位名录表格")
        .replace("测评体系", "文明单位名录")
    )


def _unknown_file(message: str, content: bytes, filename: str) -> str:
    """The upload check lists every type the platform stores; for a file it does not know,
    the framework reader says better what it is (a CSV, a web page) and what to do."""
    if "无法识别" not in message:
        return message
    try:
        read_document(content, filename)
    except ImportFailed as exc:
        said = exc.problems[0].message
        if "纯文本" in said:
            return "这是纯文本文件（如 CSV 或 TXT），请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
        return _document_message(said)
    return message


def read_tables(content: bytes, filename: str) -> list[Table]:
    """The file's worksheets, or ImportRefused saying what the file is and what to upload."""
    limit = settings.WENMING_IMPORT_MAX_BYTES
    if len(content) > limit:
        message = f"文件超过{limit // (1024 * 1024)}MB，请删去与名录无关的工作表或图片后再导入。"
        raise ImportRefused([Problem(None, None, message)])
    try:
        facts = inspect_upload(io.BytesIO(content), filename)
    except UploadRefused as exc:
        raise ImportRefused(
            [Problem(None, None, _unknown_file(exc.message, content, filename))]
        ) from exc
    if facts.kind != FileKind.SPREADSHEET:
        kind = FileKind(facts.kind).label
        message = f"上传的文件是{kind}，不是 Excel 表格；请上传名录的 Excel 文件（.xlsx 或 .xls）。"
        raise ImportRefused([Problem(None, None, message)])
    try:
        document = read_document(content, filename)
    except ImportFailed as exc:
        problems = [Problem(p.row, p.column, _document_message(p.message)) for p in exc.problems]
        raise ImportRefused(problems) from exc
    return [t for t in document.tables if t.kind == "sheet" and not t.hidden]


def read_rows(content: bytes, filename: str) -> list[SheetRow]:
    """The rows under the header of the first sheet that has one (单位名称 and 称号 or
    级别 in one row among the first rows), each as column name → text."""
    for table in read_tables(content, filename):
        for index, cells in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            names = [re.sub(r"\s", "", _plain(c)) for c in cells]
            if "单位名称" not in names:
                continue
            columns = {name: i for i, name in reversed(list(enumerate(names))) if name in COLUMNS}
            rows = []
            for values, number in zip(
                table.rows[index + 1 :], table.row_numbers[index + 1 :], strict=True
            ):
                read = {
                    name: _plain(values[i]) if i < len(values) else ""
                    for name, i in columns.items()
                }
                if any(read.values()):
                    rows.append(SheetRow(number, read))
            return rows
    message = (
        f"前{HEADER_SEARCH_ROWS}行中没有找到表头：表头应包含“单位名称”列（及“称号”“级别”“命名年度”等），"
        "请使用导出的名录格式。"
    )
    raise ImportRefused([Problem(None, None, message)])


# --- import: checking ---------------------------------------------------------------------------


@dataclass
class PlannedHonour:
    row: int
    title: str
    level: str
    issuer_id: int | None
    issuer_name: str
    batch: str
    year_named: int
    term_years: int
    status: str
    status_on: datetime.date | None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def status_label(self) -> str:
        return str(HonourStatus(self.status).label)

    @property
    def label(self) -> str:
        return f"{self.year_named}年 {self.title}（{self.level_label}）"


@dataclass
class PlannedEntry:
    row: int
    name: str
    unit_id: int | None = None  # None with no entry: a unit created by that name
    entry_id: int | None = None  # already in the registry: only honours are added
    fields: dict[str, Any] = field(default_factory=dict)
    honours: list[PlannedHonour] = field(default_factory=list)


@dataclass
class ImportPlan:
    entries: list[PlannedEntry] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_entries(self) -> list[PlannedEntry]:
        return [e for e in self.entries if e.entry_id is None]

    @property
    def new_units(self) -> list[PlannedEntry]:
        return [e for e in self.entries if e.entry_id is None and e.unit_id is None]

    @property
    def new_honours(self) -> list[tuple[PlannedEntry, PlannedHonour]]:
        return [(e, h) for e in self.entries for h in e.honours]


@dataclass
class ImportResult:
    entries: int
    units: int
    honours: int
    skipped: int


def _choices_text(labels: Iterable[str]) -> str:
    return "、".join(labels)


def _year(text: str) -> int | None:
    found = re.fullmatch(r"(\d{4})(?:\.0+)?\s*年?(?:度)?", text)
    return int(found.group(1)) if found else None


def _date(text: str) -> datetime.date | None:
    found = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not found:
        return None
    try:
        return datetime.date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


class _Checker:
    """Reads each row against the office's organizations and registry (a few queries for the
    whole sheet) and notes every problem with its row and column."""

    def __init__(self, office: Organization, rows: list[SheetRow], create_units: bool) -> None:
        self.office = office
        self.create_units = create_units
        self.today = timezone.localdate()
        self.problems: list[Problem] = []
        names = {r.values.get("单位名称", "") for r in rows} - {""}
        units = Organization.objects.filter(
            kind=OrgKind.UNIT, path__startswith=office.path, name__in=names
        ).only("id", "name", "is_active")
        self.units: dict[str, list[Organization]] = {}
        for unit in units:
            self.units.setdefault(unit.name, []).append(unit)
        self.entries = {
            e.unit_id: e
            for e in RegistryEntry.objects.filter(unit__in=units).select_related("office")
        }
        self.existing = {
            (h["entry_id"], h["title"], h["level"], h["year_named"])
            for h in Honour.objects.live()
            .filter(entry_id__in=[e.pk for e in self.entries.values()])
            .values("entry_id", "title", "level", "year_named")
        }
        offices = Organization.objects.filter(
            Q(path__startswith=office.path) | Q(pk__in=office.ancestor_ids),
            kind=OrgKind.OFFICE,
        )
        self.issuers = {o.name: o for o in offices} | {
            o.short_name: o for o in offices if o.short_name
        }

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    def unit(self, row: SheetRow) -> tuple[Organization | None, RegistryEntry | None] | None:
        """The unit the row names and its entry; None (with a problem) when unusable; (None,
        None) for a unit to create by name."""
        name = row.values.get("单位名称", "")
        found = self.units.get(name, [])
        active = [u for u in found if u.is_active]
        if len(active) > 1:
            self.problem(row.row, "单位名称", f"本文明办下有{len(active)}个名为“{name}”的单位，"
                         "无法确定是哪一个；请先在“组织机构”中改名区分后再导入。")  # fmt: skip
            return None
        if not active:
            if found:
                self.problem(
                    row.row, "单位名称", f"“{name}”已停用，请先在“组织机构”中启用后再导入。"
                )
                return None
            if self.create_units:
                return None, None
            self.problem(row.row, "单位名称", f"组织机构中没有名为“{name}”的在用单位。请先在“组织机构”中"
                         "新建该单位，或勾选“名录中没有的单位按名称新建”后重新上传。")  # fmt: skip
            return None
        entry = self.entries.get(active[0].pk)
        if entry is not None and entry.removed_at is not None:
            self.problem(row.row, "单位名称", f"“{name}”已从名录中移除，不能通过导入重新登记。")
            return None
        if entry is not None and entry.office_id != self.office.pk:
            self.problem(row.row, "单位名称", f"“{name}”已在{entry.office.name}的名录中，"
                         f"不能再登记到{self.office.name}的名录。")  # fmt: skip
            return None
        return active[0], entry

    def entry_fields(self, row: SheetRow) -> dict[str, Any]:
        v = row.values
        out: dict[str, Any] = {}
        for column, name in ENTRY_FIELDS.items():
            out[name] = self.text(row, column, RegistryEntry, name)
        if out["info_admin_phone"] and not phone_is_valid(out["info_admin_phone"]):
            self.problem(row.row, "联系电话", PHONE_ERROR)
        staff = v.get("职工人数", "").removesuffix("人").strip()
        out["staff_count"] = None
        if staff:
            if re.fullmatch(r"\d+(\.0+)?", staff):
                out["staff_count"] = int(float(staff))
            else:
                self.problem(row.row, "职工人数", f"“{staff}”不是人数，请填写整数（如 120）。")
        return out

    def text(self, row: SheetRow, column: str, model: Any, name: str) -> str:
        value = row.values.get(column, "")
        limit = model._meta.get_field(name).max_length
        if len(value) > limit:
            self.problem(row.row, column, f"不能超过{limit}个字（现有{len(value)}个字）。")
        return value

    def honour(self, row: SheetRow) -> PlannedHonour | None:
        """The honour on the row; None when the row has none or it has problems."""
        v = row.values
        honour_columns = ("称号", "级别", "命名机关", "批次", "命名年度", "有效期（年）",
                          "届满年度", "状态", "状态变更日期")  # fmt: skip
        if not any(v.get(c) for c in honour_columns):
            return None
        before = len(self.problems)
        title = self.text(row, "称号", Honour, "title")
        if not title:
            self.problem(row.row, "称号", "请填写称号（如 市级文明单位）。")
        level = self._choice(row, "级别", Level, required=True)
        year = self._year_named(row)
        term_text = v.get("有效期（年）", "").removesuffix("年").strip()
        terms = [t for t, _ in TERM_CHOICES]
        term = int(float(term_text)) if re.fullmatch(r"\d+(\.0+)?", term_text) else None
        if term_text and term not in terms:
            self.problem(row.row, "有效期（年）", f"“{v['有效期（年）']}”不是可选的有效期"
                         f"（{_choices_text(f'{t}年' for t in terms)}）。")  # fmt: skip
        term = term or 3
        last = v.get("届满年度", "")
        if last and year and _year(last) != year + term - 1:
            self.problem(row.row, "届满年度", f"“{last}”与命名年度{year}年、有效期{term}年不符"
                         f"（应为{year + term - 1}年）；届满年度可以不填。")  # fmt: skip
        status = self._choice(row, "状态", HonourStatus, required=False) or HonourStatus.NAMED
        if status == HonourStatus.REVOKED:
            self.problem(row.row, "状态", "已撤销的称号不能直接导入：请按撤销前的状态导入，"
                         "再在名录中为该称号办理摘牌（记录摘牌原因和决定文件）。")  # fmt: skip
        status_on = self._status_on(row, year)
        issuer_text = self.text(row, "命名机关", Honour, "issuer_name")
        issuer = self.issuers.get(issuer_text)
        batch = self.text(row, "批次", Honour, "batch")
        if len(self.problems) > before or not (title and level and year):
            return None
        return PlannedHonour(row.row, title, level, issuer.pk if issuer else None,
                             "" if issuer else issuer_text, batch, year, term, status,
                             status_on)  # fmt: skip

    def _choice(self, row: SheetRow, column: str, choices: Any, *, required: bool) -> str:
        text = row.values.get(column, "")
        if not text:
            if required:
                self.problem(
                    row.row, column, f"请填写{column}（{_choices_text(choices.labels)}）。"
                )
            return ""
        for value, label in choices.choices:
            if text in (value, label):
                return str(value)
        self.problem(
            row.row, column, f"“{text}”不是可选的{column}（{_choices_text(choices.labels)}）。"
        )
        return ""

    def _year_named(self, row: SheetRow) -> int | None:
        text = row.values.get("命名年度", "")
        if not text:
            self.problem(row.row, "命名年度", "请填写命名年度（如 2024）。")
            return None
        year = _year(text)
        if year is None or not EARLIEST_YEAR <= year <= self.today.year:
            self.problem(row.row, "命名年度", f"“{text}”不是有效的年度，请填写{EARLIEST_YEAR}年至"
                         f"{self.today.year}年之间的四位年份（如 2024）。")  # fmt: skip
            return None
        return year

    def _status_on(self, row: SheetRow, year: int | None) -> datetime.date | None:
        text = row.values.get("状态变更日期", "")
        if not text:
            return None
        day = _date(text)
        if day is None:
            self.problem(
                row.row, "状态变更日期", f"“{text}”不是有效的日期，请写成 2024-05-20 这样的格式。"
            )
        elif day > self.today:
            self.problem(
                row.row, "状态变更日期", f"{day:%Y-%m-%d}还没有到，状态变更日期不能晚于今天。"
            )
        elif year and day.year < year:
            self.problem(row.row, "状态变更日期", f"{day:%Y-%m-%d}早于命名年度{year}年。")
        return day


def import_plan(
    *, office: Organization, rows: list[SheetRow], create_units: bool, skip_existing: bool
) -> ImportPlan:
    """Check every row; the plan lists what would be created and every problem. Nothing is
    saved here."""
    check = _Checker(office, rows, create_units)
    plan = ImportPlan()
    planned: dict[str, PlannedEntry] = {}
    seen: dict[tuple[str, str, str, int], int] = {}
    for row in rows:
        name = check.text(row, "单位名称", Organization, "name")
        if not name:
            check.problem(row.row, "单位名称", "请填写单位名称。")
            continue
        fields = check.entry_fields(row)
        honour = check.honour(row)
        resolved = check.unit(row)
        if resolved is None:
            continue
        unit, entry = resolved
        target = planned.get(name)
        if target is None:
            target = PlannedEntry(row.row, name, unit.pk if unit else None,
                                  entry.pk if entry else None, fields)  # fmt: skip
            planned[name] = target
        elif target.entry_id is None:
            _same_entry_fields(check, row, target, fields)
        if honour is None:
            if entry is not None and not any(
                row.values.get(c) for c in ("称号", "级别", "命名年度")
            ):
                _existing(check, plan, row, f"“{name}”已在名录中", skip_existing)
            continue
        key = (name, honour.title, honour.level, honour.year_named)
        if key in seen:
            check.problem(row.row, None, f"与第{seen[key]}行重复（同一单位、称号、级别和命名年度），"
                          "请删去其中一行。")  # fmt: skip
            continue
        seen[key] = row.row
        if entry is not None and (entry.pk, *key[1:]) in check.existing:
            _existing(check, plan, row, f"“{name}”的{honour.label}已在名录中", skip_existing)
            continue
        target.honours.append(honour)
    plan.problems = check.problems
    plan.entries = [e for e in planned.values() if e.entry_id is None or e.honours]
    return plan


def _existing(check: _Checker, plan: ImportPlan, row: SheetRow, what: str, skip: bool) -> None:
    if skip:
        plan.skipped.append(Problem(row.row, None, f"{what}，跳过。"))
    else:
        check.problem(
            row.row, None, f"{what}。如只导入表中新增的记录，请勾选“跳过已有记录”后重新上传。"
        )


def _same_entry_fields(
    check: _Checker, row: SheetRow, target: PlannedEntry, fields: dict[str, Any]
) -> None:
    """Rows of one new unit must not disagree about its facts; a blank cell agrees."""
    for column, name in [*ENTRY_FIELDS.items(), ("职工人数", "staff_count")]:
        mine, first = fields.get(name), target.fields.get(name)
        if mine in ("", None):
            continue
        if first in ("", None):
            target.fields[name] = mine
        elif mine != first:
            check.problem(row.row, column, f"与第{target.row}行同一单位的{column}不一致"
                          f"（“{mine}”和“{first}”），请改为一致。")  # fmt: skip


# --- import: saving -------------------------------------------------------------------------------


def import_run(*, office: Organization, user: User, plan: ImportPlan) -> ImportResult:
    """Create the plan's entries and honours through the services, all or nothing: a refusal
    of any row undoes the whole import and is raised as ImportRefused with its row."""
    if not plan.ok:
        raise ImportRefused(plan.problems)
    problems: list[Problem] = []
    units = Organization.objects.in_bulk([e.unit_id for e in plan.entries if e.unit_id])
    entries = RegistryEntry.objects.in_bulk([e.entry_id for e in plan.entries if e.entry_id])
    issuers = Organization.objects.in_bulk(
        [h.issuer_id for _, h in plan.new_honours if h.issuer_id]
    )
    with transaction.atomic():
        for planned in plan.entries:
            entry = _register(office, user, planned, units, entries, problems)
            if entry is None:
                continue
            for h in planned.honours:
                try:
                    services.honour_add(
                        entry=entry, user=user, title=h.title, level=h.level,
                        year_named=h.year_named, term_years=h.term_years,
                        issuer=issuers.get(h.issuer_id) if h.issuer_id else None,
                        issuer_name=h.issuer_name, batch=h.batch, status=h.status,
                        status_on=h.status_on, reason="由名录表格导入",
                    )  # fmt: skip
                except ValidationError as exc:
                    problems.extend(_refusals(h.row, exc))
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(problems)
    return ImportResult(
        entries=len(plan.new_entries),
        units=len(plan.new_units),
        honours=len(plan.new_honours),
        skipped=len(plan.skipped),
    )


def _register(
    office: Organization,
    user: User,
    planned: PlannedEntry,
    units: dict[int, Organization],
    entries: dict[int, RegistryEntry],
    problems: list[Problem],
) -> RegistryEntry | None:
    if planned.entry_id:
        return entries[planned.entry_id]
    unit = units.get(planned.unit_id) if planned.unit_id else None
    try:
        return services.entry_register(
            office=office,
            user=user,
            unit=unit,
            unit_name="" if unit else planned.name,
            **planned.fields,
        )
    except ValidationError as exc:
        problems.extend(_refusals(planned.row, exc))
        return None


def _refusals(row: int, exc: ValidationError) -> list[Problem]:
    if not hasattr(exc, "error_dict"):
        return [Problem(row, None, m) for m in exc.messages]
    return [
        Problem(row, COLUMN_OF_FIELD.get(name), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def plan_payload(rows: list[SheetRow]) -> list[Any]:
    """The rows as plain data, to carry (signed) from the preview to the confirmation."""
    return [[r.row, r.values] for r in rows]


def rows_from_payload(data: list[Any]) -> list[SheetRow]:
    return [SheetRow(int(row), {str(k): str(v) for k, v in values.items()}) for row, values in data]

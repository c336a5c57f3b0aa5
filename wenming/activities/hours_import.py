"""Importing volunteer hours ("谁组织谁记录"): a volunteer platform's Excel export of the hours
certified by whoever organized the service, read whole and kept whole — or not at all.

`hours_import(unit=, user=, content=, file_name=)` reads the sheet (`read_sheet`), checks
every row (`check_rows`) and, only when no row has a problem, writes the `HoursImport` and
its `ServiceHours` in one transaction. A refusal (`HoursRefused`, a `ValidationError` under
"file") names every bad row, so the sheet can be fixed in one go.

The sheet: the first visible worksheet with a header row among its first rows holding 姓名,
服务时长 (or 时长, 时长（小时）) and 服务日期; an ID column (志愿者编号, 身份证号, 证件号码),
组织单位 and 服务项目 are read when present, other columns ignored. A row's person is found by
the ID (a registered volunteer's 志愿者编号 in the unit) and otherwise by the full name, unique
among the unit's people (`orgs.services.unit_people`). A row is refused when its person is
not found or ambiguous, its hours are not a number from 0 to 24 (two decimals at most), its
date is missing, unreadable or after today, it repeats another row of the sheet or a row
already imported (same person, date, hours and project), or a person's day passes 24 hours.

Cost: the workbook is read by python-calamine (after the container and the used range are
checked, so a crafted file cannot make it allocate without bound; openpyxl's streaming reader
otherwise), people and registered IDs in two queries, what is already imported in one, and
the rows written with `bulk_create` in batches: 50,000 rows in a few seconds on SQLite.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming.activities.models import MAX_HOURS_A_DAY, HoursImport, ServiceHours, Volunteer
from wenming.core.uploads import display_name
from wenming.frameworks.io.formats import ole, packages
from wenming.frameworks.io.spec import ImportFailed
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

MAX_ROWS = 100_000  # filled rows of a sheet
MAX_COLUMNS = 40
MAX_CELLS = 4_000_000  # rows × columns python-calamine may allocate for one sheet
MAX_BLANK_RUN = 2_000
HEADER_ROWS = 20
BATCH = 2_000
CENT = Decimal("0.01")
TOTAL_WORDS = {"合计", "总计", "小计"}

# Header names, compared without spaces, "*" marks and with half-width brackets.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "志愿者姓名", "真实姓名"),
    "volunteer_id": ("志愿者编号", "志愿者id", "志愿者号"),
    "card_id": ("身份证号", "身份证号码", "证件号码", "证件号"),
    "hours": (
        "服务时长",
        "时长",
        "时长(小时)",
        "服务时长(小时)",
        "志愿服务时长",
        "志愿服务时长(小时)",
        "服务时长(h)",
        "时长(h)",
        # 志愿汇 and university templates speak of 时数 (荣誉时数) and 工时.
        "服务时数",
        "时数",
        "志愿时长",
        "志愿服务时数",
        "荣誉时数",
        "工时",
        "服务时数(小时)",
    ),
    "date": ("服务日期", "日期", "服务时间", "活动日期", "服务开始日期"),
    "organizer": ("组织单位", "组织方", "组织机构", "发布组织", "组织者"),
    "project": ("服务项目", "项目名称", "活动名称", "志愿服务项目", "项目"),
}
REQUIRED = {"name": "姓名", "hours": "服务时长", "date": "服务日期"}
LABELS = {**REQUIRED, "organizer": "组织单位", "project": "服务项目"}
LIMITS: dict[str, int] = {
    key: int(getattr(ServiceHours._meta.get_field(key), "max_length", 0) or 0)
    for key in ("organizer", "project")
}

NOT_EXCEL = "请上传志愿服务平台导出的 Excel 文件（.xlsx 或 .xls）。"
CORRUPT = (
    "文件已损坏或格式异常，无法作为 Excel 表格读取；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
)
PASSWORD = "该文件设置了打开密码，请取消密码后另存再导入。"
NO_HEADER = (
    f"前{HEADER_ROWS}行中没有找到表头：表头应包含“姓名”“服务时长”“服务日期”列"
    "（可有“志愿者编号”或“身份证号”“组织单位”“服务项目”），请使用平台导出的时长表。"
)
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
CELL_REF_RE = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3})(\d{1,7})[\"']")
CELL_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
ROW_REF_RE = re.compile(rb"<(?:[\w.-]+:)?row\s[^>]*?\br\s*=\s*[\"'](\d{1,7})[\"']")
ROW_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
SST_RE = re.compile(rb"uniqueCount\s*=\s*[\"'](\d+)[\"']")


@dataclass(frozen=True)
class Problem:
    row: int | None  # the Excel row number, None for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}" if self.row else self.message


class HoursRefused(ValidationError):
    """The sheet is refused whole, every problem named by its row; nothing was kept."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__({"file": [str(p) for p in self.problems]})


def _refuse(message: str) -> HoursRefused:
    return HoursRefused([Problem(None, message)])


@dataclass
class SheetRow:
    """One filled row under the header, as read (values not yet checked)."""

    row: int
    name: str
    ids: list[str]
    hours: Any
    served_on: Any
    organizer: str
    project: str


@dataclass
class ImportResult:
    record: HoursImport
    people: int


# --- reading the workbook ------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID typed as a number
    return str(value).strip()


def _header_key(value: Any) -> str:
    text = re.sub(r"[\s*＊]", "", _text(value)).replace("（", "(").replace("）", ")")
    return text.lower()


def _sheets(content: bytes) -> list[tuple[str, list[list[Any]]]]:
    """The visible worksheets' rows (from row 1), or HoursRefused saying what the file is."""
    limit = settings.WENMING_IMPORT_MAX_BYTES
    if not content:
        raise _refuse("上传的文件是空的，" + NOT_EXCEL)
    if len(content) > limit:
        raise _refuse(f"文件超过{limit // (1024 * 1024)}MB，请分成几个表格分批导入。")
    if content.startswith(ole.MAGIC):
        return _xls(content)
    if content.startswith(b"PK"):
        archive = packages.open_zip(content)
        if archive is None:
            raise _refuse(CORRUPT)
        with archive:
            return _xlsx(content, archive)
    if content.startswith(b"%PDF-"):
        raise _refuse("这是 PDF 文件，平台无法从中读取时长；" + NOT_EXCEL)
    head = content[:4096]
    try:
        head.decode("utf-8")
        plain = True
    except UnicodeDecodeError:
        plain = b"\x00" not in head
    if plain and (b"," in head or b"\t" in head):
        raise _refuse("这是纯文本文件（如 CSV），请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。")
    raise _refuse("无法识别文件的格式；" + NOT_EXCEL)


def _xls(content: bytes) -> list[tuple[str, list[list[Any]]]]:
    try:
        compound = ole.CompoundFile(content)
        streams = compound.top_level()
        if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
            raise _refuse(PASSWORD)
        workbook = streams.get("Workbook") or streams.get("Book")
        if workbook is None:
            raise _refuse("这个文件不是 Excel 表格；" + NOT_EXCEL)
        stream = compound.read(workbook)
    except ole.NotCompound as exc:
        raise _refuse(CORRUPT) from exc
    scan = ole.biff_scan(stream)
    if scan.encrypted:
        raise _refuse(PASSWORD)
    # python-calamine reserves what the DIMENSIONS and SST records claim: refuse a claim a
    # real sheet of this size cannot make (the parser would abort the process).
    too_big = any(rows * cols > MAX_CELLS for rows, cols in scan.extents)
    if too_big or scan.claimed_cells > MAX_CELLS or scan.claimed_strings * 3 > len(stream):
        raise _refuse(CORRUPT)
    return _calamine(content)


def _xlsx(content: bytes, archive: zipfile.ZipFile) -> list[tuple[str, list[list[Any]]]]:
    try:
        kind = packages.package_kind(archive)
        if kind != "xlsx":
            raise _refuse("这个文件不是 Excel 表格；" + NOT_EXCEL)
        packages.check_limits(archive)
        safe = all(_bounded(archive, n) for n in archive.namelist() if _is_sheet_part(n))
        safe = safe and _strings_bounded(archive)
    except ImportFailed as exc:
        message = exc.problems[0].message.replace("测评体系", "时长表")
        raise _refuse(message) from exc
    except packages.ZIP_ERRORS as exc:
        raise _refuse(CORRUPT) from exc
    return _calamine(content) if safe else _openpyxl(content)


def _is_sheet_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + (char - 64)
    return number


def _bounded(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether the cells python-calamine would allocate for this worksheet stay under
    MAX_CELLS: a streamed byte scan of every cell and row reference. Cells without a
    reference (allowed, rarely written) make the sheet go to openpyxl's streaming reader."""
    max_row = max_col = rows = cells = refs = 0
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            buffer = tail + chunk
            cut = buffer.rfind(b">") + 1
            part, tail = buffer[:cut], buffer[cut:]
            found = CELL_REF_RE.findall(part)
            refs += len(found)
            letters = {letter for letter, _ in found}
            numbers = [*(n for _, n in found), *ROW_REF_RE.findall(part)]
            max_col = max([max_col, *map(_column_number, letters)])
            max_row = max([max_row, *map(int, numbers)])
            rows += len(ROW_TAG_RE.findall(part))
            cells += len(CELL_TAG_RE.findall(part))
    if cells > refs:
        return False
    return max(max_row, rows) * max(max_col, 1) <= MAX_CELLS


def _strings_bounded(archive: zipfile.ZipFile) -> bool:
    """The shared strings' claimed count is one the part's size can hold."""
    try:
        info = archive.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return True
    with archive.open(info) as stream:
        head = stream.read(2048)
    found = SST_RE.search(head)
    return found is None or int(found.group(1)) * 8 <= info.file_size + 64


def _calamine(content: bytes) -> list[tuple[str, list[list[Any]]]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    sheets = []
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
            for meta in book.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                    continue
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                sheets.append((meta.name, _cut(rows, meta.name)))
    except HoursRefused:
        raise
    except BaseException as exc:  # a damaged file: calamine raises, or panics
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise _refuse(CORRUPT) from exc
    return sheets


def _openpyxl(content: bytes) -> list[tuple[str, list[list[Any]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise _refuse(CORRUPT) from exc
    try:
        return [
            (sheet.title, _cut(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), sheet.title))
            for sheet in book.worksheets
            if sheet.sheet_state == "visible"
        ]
    except HoursRefused:
        raise
    except Exception as exc:
        raise _refuse(CORRUPT) from exc
    finally:
        book.close()


def _cut(rows: Iterable[Iterable[Any]], name: str) -> list[list[Any]]:
    """At most MAX_COLUMNS columns; stop after MAX_BLANK_RUN empty rows; refuse past
    MAX_ROWS filled rows."""
    kept: list[list[Any]] = []
    filled = blank = 0
    for cells in rows:
        row = list(cells)[:MAX_COLUMNS]
        if any(v is not None and v != "" for v in row):
            filled += 1
            blank = 0
            if filled > MAX_ROWS:
                raise _refuse(f"工作表“{name}”超过{MAX_ROWS}行，请分成几个表格分批导入。")
        else:
            blank += 1
            if blank > MAX_BLANK_RUN:
                break
        kept.append(row)
    return kept


def _columns(cells: list[Any]) -> dict[str, int]:
    keys = [_header_key(c) for c in cells]
    found: dict[str, int] = {}
    for column, names in COLUMNS.items():
        for i, key in enumerate(keys):
            if key in names:
                found[column] = i
                break
    return found


def read_sheet(content: bytes, file_name: str = "") -> list[SheetRow]:
    """The filled rows under the header of the first visible sheet that has one."""
    missing_note = ""
    for _name, rows in _sheets(content):
        for index, cells in enumerate(rows[:HEADER_ROWS]):
            columns = _columns(cells)
            if "name" not in columns:
                continue
            keys = [_header_key(c) for c in cells]
            if "hours" not in columns and any("时长" in k and "分钟" in k for k in keys):
                raise _refuse(
                    f"第{index + 1}行的时长列按分钟计，请换算为小时（如 90 分钟填 1.5）后再导入。"
                )
            lacking = [label for key, label in REQUIRED.items() if key not in columns]
            if lacking:
                names = "”“".join(lacking)
                missing_note = f"第{index + 1}行有“姓名”列，但缺少“{names}”列。"
                continue
            return _rows(rows, index, columns)
    raise _refuse(f"{missing_note}{NO_HEADER}" if missing_note else NO_HEADER)


def _rows(rows: list[list[Any]], header: int, columns: dict[str, int]) -> list[SheetRow]:
    def cell(values: list[Any], key: str) -> Any:
        i = columns.get(key)
        return values[i] if i is not None and i < len(values) else None

    found = []
    for offset, values in enumerate(rows[header + 1 :]):
        name = _text(cell(values, "name"))
        ids = [
            t for t in (_text(cell(values, "volunteer_id")), _text(cell(values, "card_id"))) if t
        ]
        hours, served_on = cell(values, "hours"), cell(values, "date")
        if not name and not ids and _text(hours) == "" and _text(served_on) == "":
            continue
        if re.sub(r"\s", "", name) in TOTAL_WORDS:
            continue
        found.append(
            SheetRow(
                row=header + offset + 2,
                name=name,
                ids=ids,
                hours=hours,
                served_on=served_on,
                organizer=_text(cell(values, "organizer")),
                project=_text(cell(values, "project")),
            )
        )
    return found


# --- checking the rows ------------------------------------------------------------------------


def _hours(value: Any) -> tuple[Decimal | None, str]:
    """The hours, or why not."""
    if value is None or _text(value) == "":
        return None, "缺少服务时长，请填写小时数，如 2.5。"
    if isinstance(value, bool):
        return None, f"服务时长“{value}”不是数字，请填写小时数，如 2.5。"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "服务时长不是有效的数字。"
        hours = Decimal(repr(value))
        # A value computed in Excel (minutes / 60) may carry binary noise past the cents.
        if abs(hours - hours.quantize(CENT)) < Decimal("0.000001"):
            hours = hours.quantize(CENT)
    else:
        try:
            hours = Decimal(_text(value))
        except (InvalidOperation, ValueError):
            return None, f"服务时长“{_text(value)}”不是数字，请只填写小时数，如 2.5。"
        if not hours.is_finite():
            return None, f"服务时长“{_text(value)}”不是数字，请只填写小时数，如 2.5。"
    shown = f"{hours.normalize():f}"
    if hours < 0:
        return None, f"服务时长{shown}小时是负数。"
    if hours > MAX_HOURS_A_DAY:
        return None, f"服务时长{shown}小时超过了一天24小时，请按天分行填写。"
    if hours != hours.quantize(CENT):
        return None, f"服务时长{shown}小时最多保留两位小数。"
    return hours.quantize(CENT), ""


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))
        elif 36526 <= value < 73051:  # an Excel serial number: 2000-01-01 to 2099-12-31
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        else:
            return None
    text = _text(value)
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if match is None:
        return None
    try:
        day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day if day.year >= 2000 else None


def _masked(value: str) -> str:
    """An ID as refusals show it: an ID-card number is not echoed whole."""
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}" if len(value) >= 15 else value


def _key(name: str) -> str:
    return re.sub(r"\s", "", name)


@dataclass
class _People:
    """The unit's people by normalized full name and by registered 志愿者编号 (two queries)."""

    names: dict[int, str] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, unit: Organization) -> _People:
        people = cls()
        rows = unit_people(unit).values_list("pk", "first_name", "last_name", "username")
        for pk, first, last, username in rows:
            name = f"{first} {last}".strip() or username
            people.names[pk] = name
            people.by_name.setdefault(_key(name), []).append(pk)
        registered = Volunteer.objects.filter(unit=unit, removed_at__isnull=True).exclude(
            national_id=""
        )
        for national_id, pk in registered.values_list("national_id", "person_id"):
            if pk in people.names:
                people.by_id[national_id.strip().upper()] = pk
        return people

    def find(self, row: SheetRow) -> tuple[int | None, str]:
        for value in row.ids:
            pk = self.by_id.get(value.upper())
            if pk is None:
                continue
            if row.name and _key(row.name) != _key(self.names[pk]):
                return None, (
                    f"志愿者编号“{_masked(value)}”登记的是{self.names[pk]}，"
                    f"与表中姓名“{row.name}”不一致，请核对。"
                )
            return pk, ""
        shown = f"（{'、'.join(_masked(v) for v in row.ids)}）" if row.ids else ""
        if not row.name:
            return None, f"缺少姓名{shown}，请填写本单位人员的姓名。"
        found = self.by_name.get(_key(row.name), [])
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, (
                f"“{row.name}”{shown}不是本单位人员：请核对姓名，"
                "或请创建办先在组织机构中添加该人员。"
            )
        return None, (
            f"本单位有{len(found)}人名为“{row.name}”，无法确定是谁：请在表中填写志愿者编号，"
            "并在“志愿者”中为他们登记编号。"
        )


@dataclass
class _Checked:
    entries: list[ServiceHours]
    people: set[int]
    problems: list[Problem]


def check_rows(
    unit: Organization, rows: list[SheetRow], today: datetime.date | None = None
) -> _Checked:
    """Every row checked against the unit's people and what it already imported (three
    queries); the entries to write when `problems` is empty."""
    today = today or timezone.localdate()
    people = _People.of(unit)
    problems: list[Problem] = []
    good: list[tuple[SheetRow, int, Decimal, datetime.date]] = []
    if not rows:
        return _Checked([], set(), [Problem(None, "表头下没有时长记录，请填写后再导入。")])
    for row in rows:
        before = len(problems)
        pk, why = people.find(row)
        if pk is None:
            problems.append(Problem(row.row, why))
        hours, why = _hours(row.hours)
        if hours is None:
            problems.append(Problem(row.row, why))
        served_on = _date(row.served_on)
        if _text(row.served_on) == "":
            problems.append(Problem(row.row, "缺少服务日期。"))
        elif served_on is None:
            problems.append(
                Problem(row.row, f"服务日期“{_text(row.served_on)}”无法识别，请写成 2026-03-20。")
            )
        elif served_on > today:
            problems.append(Problem(row.row, f"服务日期{served_on}晚于今天，请核对。"))
        for key, limit in LIMITS.items():
            text = getattr(row, key)
            if len(text) > limit:
                problems.append(Problem(row.row, f"{LABELS[key]}超过{limit}字，请精简。"))
        if len(problems) == before:
            assert pk is not None and hours is not None and served_on is not None
            good.append((row, pk, hours, served_on))
    problems += _repeats(unit, good, people)
    if problems:
        return _Checked([], set(), problems)
    entries = [
        ServiceHours(
            unit_id=unit.pk,
            person_id=pk,
            served_on=served_on,
            hours=hours,
            organizer=row.organizer,
            project=row.project,
        )
        for row, pk, hours, served_on in good
    ]
    return _Checked(entries, {pk for _, pk, _, _ in good}, [])


def _repeats(
    unit: Organization,
    good: list[tuple[SheetRow, int, Decimal, datetime.date]],
    people: _People,
) -> list[Problem]:
    """Rows repeating another row of the sheet or one already kept (same person, date,
    hours and project), and days a person would pass 24 hours (one query)."""
    if not good:
        return []
    problems: list[Problem] = []
    days = [d for _, _, _, d in good]
    kept = ServiceHours.objects.filter(
        unit=unit,
        removed_at__isnull=True,
        person_id__in={pk for _, pk, _, _ in good},
        served_on__range=(min(days), max(days)),
    ).values_list("person_id", "served_on", "hours", "project", "source__file_name")
    earlier: dict[tuple[int, datetime.date, Decimal, str], str] = {}
    day_hours: dict[tuple[int, datetime.date], Decimal] = {}
    for pk, served_on, hours, project, source in kept:
        earlier.setdefault((pk, served_on, hours, project), source or "")
        day_hours[(pk, served_on)] = day_hours.get((pk, served_on), Decimal(0)) + hours
    seen: dict[tuple[int, datetime.date, Decimal, str], int] = {}
    day_rows: dict[tuple[int, datetime.date], list[int]] = {}
    for row, pk, hours, served_on in good:
        key = (pk, served_on, hours, row.project)
        what = f"{people.names[pk]} {served_on} {hours}小时" + (
            f"“{row.project}”" if row.project else ""
        )
        if key in seen:
            problems.append(Problem(row.row, f"与第{seen[key]}行重复（{what}），请删去其中一行。"))
            continue
        seen[key] = row.row
        if key in earlier:
            source = f"“{earlier[key]}”中" if earlier[key] else ""
            problems.append(Problem(row.row, f"已在此前导入的{source}登记过（{what}），请删去。"))
            continue
        day = (pk, served_on)
        day_hours[day] = day_hours.get(day, Decimal(0)) + hours
        day_rows.setdefault(day, []).append(row.row)
    for (pk, served_on), rows in day_rows.items():
        total = day_hours[(pk, served_on)]
        if total > MAX_HOURS_A_DAY:
            listed = "、".join(f"第{r}行" for r in rows)
            problems.append(
                Problem(
                    rows[0],
                    f"{people.names[pk]}{served_on}的时长合计{total}小时（{listed}，含此前导入的），"
                    "超过了一天24小时，请核对。",
                )
            )
    return problems


# --- importing ------------------------------------------------------------------------------


def hours_import(
    *, unit: Organization, user: User | None, content: bytes, file_name: str
) -> ImportResult:
    """Import a sheet of hours whole, or refuse it whole (`HoursRefused`, every bad row
    named). Access is checked by the callers (`service_access.require_hours_writer`)."""
    name = display_name(file_name)
    rows = read_sheet(content, name)
    with transaction.atomic():
        # One import of the unit at a time, so two uploads of one sheet cannot both pass.
        Organization.objects.select_for_update().filter(pk=unit.pk).first()
        checked = check_rows(unit, rows)
        if checked.problems:
            raise HoursRefused(checked.problems)
        record = HoursImport.objects.create(
            unit=unit,
            file_name=name[: HoursImport._meta.get_field("file_name").max_length],
            rows=len(checked.entries),
            hours=sum((e.hours for e in checked.entries), Decimal(0)),
            created_by=user,
        )
        by = user.pk if user is not None else None
        for entry in checked.entries:  # ids, not objects: 50,000 descriptor calls saved
            entry.source_id = record.pk
            entry.created_by_id = by
        ServiceHours.objects.bulk_create(checked.entries, batch_size=BATCH)
    return ImportResult(record, len(checked.people))

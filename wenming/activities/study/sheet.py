"""Reading a study platform's monthly points export (学习强国 and the like): `read_sheet`.

The file goes the way every spreadsheet upload of the project goes (as the registry's import
does): `ledger.files.inspect_upload` decides from the content what the file is — a file that
is not a spreadsheet, or whose name lies about its type, is refused with a sentence saying
what it is — and `frameworks.io.documents.read_document` reads .xlsx and .xls (also WPS .et
and .ods) into tables, after checking the container, so a crafted file cannot exhaust it.

The sheet: the first visible worksheet with a header row among its first rows holding 姓名
and a points column. Where a header names several points columns, the month's own is read
first (本月积分, 月积分, 当月积分, 月度积分), then 学习积分, 积分, 总积分, 累计积分 — a monthly
import wants the month's points. An optional 部门 / 单位 column tells same-named people apart.
Title rows above the header, other columns, blank rows and 合计 rows are ignored. Values are
returned as read; `wenming.activities.study` checks them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from wenming.frameworks.io.documents import read_document
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.io.tables import Table
from wenming.ledger.files import FileKind, UploadRefused, inspect_upload

HEADER_ROWS = 20
TOTAL_WORDS = {"合计", "总计", "小计"}
NAME_HEADERS = ("姓名", "真实姓名", "学员姓名", "用户姓名", "人员姓名")
# In the order they are preferred when a header holds several.
POINTS_HEADERS = (
    "本月积分",
    "月积分",
    "当月积分",
    "月度积分",
    "本月学习积分",
    "月度学习积分",
    "学习积分",
    "积分",
    "总积分",
    "学习总积分",
    "累计积分",
)
DEPARTMENT_HEADERS = (
    "部门",
    "所在部门",
    "所属部门",
    "单位",
    "所在单位",
    "所属单位",
    "组织",
    "所在组织",
    "所属组织",
    "支部",
    "所在支部",
)
WANTED = "请上传学习平台导出的积分表（Excel：.xlsx 或 .xls）。"
NO_HEADER = (
    f"前{HEADER_ROWS}行中没有找到表头：表头应包含“姓名”列和积分列"
    "（“本月积分”“积分”“学习积分”或“总积分”），可有“部门”或“单位”列；请使用学习平台导出的积分表。"
)


@dataclass(frozen=True)
class Problem:
    row: int | None  # the Excel row number; None for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}" if self.row else self.message


class PointsRefused(ValidationError):
    """The sheet is refused whole, every problem named by its row; nothing was kept."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__({"file": [str(p) for p in self.problems]})


def refuse(message: str) -> PointsRefused:
    return PointsRefused([Problem(None, message)])


@dataclass(frozen=True)
class SheetRow:
    """One filled row under the header, as read."""

    row: int
    name: str
    department: str
    points: Any


@dataclass(frozen=True)
class Sheet:
    rows: list[SheetRow]
    points_header: str  # the header of the column read, as written in the sheet


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_key(value: Any) -> str:
    """A header compared without spaces, "*" marks, and a unit in brackets ("积分（分）")."""
    key = re.sub(r"[\s*＊]", "", text(value)).replace("（", "(").replace("）", ")")
    return re.sub(r"\((分|个|人)\)$", "", key)


def _reader_message(message: str) -> str:
    """The framework reader speaks of evaluation systems; here the file is a points sheet."""
    return (
        message.replace("测评体系的 Excel 或 Word 文件", "学习平台导出的积分表")
        .replace("测评体系表格", "学习积分表")
        .replace("测评体系", "学习积分表")
    )


def _unknown(message: str, content: bytes, file_name: str) -> str:
    """For a file the upload check does not know, the reader says better what it is."""
    if "无法识别" not in message:
        return message
    try:
        read_document(content, file_name)
    except ImportFailed as exc:
        said = exc.problems[0].message
        if "纯文本" in said:
            return "这是纯文本文件（如 CSV 或 TXT），请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
        return _reader_message(said)
    return message


def read_tables(content: bytes, file_name: str) -> list[Table]:
    """The visible worksheets, or PointsRefused saying what the file is and what to upload."""
    limit = int(settings.WENMING_IMPORT_MAX_BYTES)
    if not content:
        raise refuse("上传的文件是空的，" + WANTED)
    if len(content) > limit:
        raise refuse(
            f"文件超过{limit // (1024 * 1024)}MB，请删去与积分无关的工作表或图片后再导入。"
        )
    try:
        facts = inspect_upload(io.BytesIO(content), file_name or "积分表")
    except UploadRefused as exc:
        raise refuse(_unknown(exc.message, content, file_name)) from exc
    if facts.kind != FileKind.SPREADSHEET:
        kind = FileKind(facts.kind).label
        raise refuse(f"上传的文件是{kind}，不是 Excel 表格；" + WANTED)
    try:
        document = read_document(content, file_name)
    except ImportFailed as exc:
        raise PointsRefused(
            [Problem(p.row, _reader_message(p.message)) for p in exc.problems]
        ) from exc
    return [t for t in document.tables if t.kind == "sheet" and not t.hidden]


def _column(keys: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def read_sheet(content: bytes, file_name: str) -> Sheet:
    """The filled rows under the header of the first visible sheet that has one."""
    note = ""
    for table in read_tables(content, file_name):
        for index, cells in enumerate(table.rows[:HEADER_ROWS]):
            keys = [header_key(c) for c in cells]
            name_at = _column(keys, NAME_HEADERS)
            if name_at is None:
                continue
            points_at = _column(keys, POINTS_HEADERS)
            if points_at is None:
                note = f"第{table.row_numbers[index]}行有“姓名”列，但没有积分列。"
                continue
            department_at = _column(keys, DEPARTMENT_HEADERS)
            rows = _rows(table, index, name_at, points_at, department_at)
            return Sheet(rows, text(cells[points_at]))
    raise refuse(note + NO_HEADER if note else NO_HEADER)


def _rows(
    table: Table, header: int, name_at: int, points_at: int, department_at: int | None
) -> list[SheetRow]:
    def cell(values: list[Any], at: int | None) -> Any:
        return values[at] if at is not None and at < len(values) else None

    found = []
    for values, number in zip(
        table.rows[header + 1 :], table.row_numbers[header + 1 :], strict=True
    ):
        name = text(cell(values, name_at))
        points = cell(values, points_at)
        if not name and text(points) == "":
            continue
        if re.sub(r"\s", "", name) in TOTAL_WORDS:
            continue
        found.append(SheetRow(number, name, text(cell(values, department_at)), points))
    return found

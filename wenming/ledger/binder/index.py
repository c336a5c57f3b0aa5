"""台账目录.xlsx: the index at the root of a ZIP binder, one row per file it holds.

An inspector with the ZIP opens this first: where each file sits, which standard it proves,
who filed it and whether it was approved, and its SHA-256 so a copy can be checked against
the platform's record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from wenming.core.xlsx import print_setup

HEADERS = [
    ("测评项目", 22),
    ("测评内容", 22),
    ("测评标准", 36),
    ("台账名称", 28),
    ("活动日期", 12),
    ("上传部门", 16),
    ("审核状态", 10),
    ("文件名", 30),
    ("文件类型", 10),
    ("大小", 10),
    ("ZIP内路径", 60),
    ("SHA-256", 66),
]


@dataclass(frozen=True)
class IndexRow:
    item_node: str
    content_node: str
    standard: str
    title: str
    activity_date: datetime.date | None
    department: str
    status: str
    file_name: str
    kind: str
    size: int
    path: str
    sha256: str


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024**3:.2f} GB"


def write_index(rows: list[IndexRow], path: Path, *, title: str) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账目录"
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    header_row = 2
    fill = PatternFill("solid", fgColor="DDE5F0")
    for col, (name, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(header_row, col, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    for r, row in enumerate(rows, start=header_row + 1):
        values = [
            row.item_node,
            row.content_node,
            row.standard,
            row.title,
            row.activity_date,
            row.department,
            row.status,
            row.file_name,
            row.kind,
            human_size(row.size),
            row.path,
            row.sha256,
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    ws.auto_filter.ref = f"A{header_row}:{ws.cell(header_row, len(HEADERS)).column_letter}{max(header_row, header_row + len(rows))}"
    print_setup(ws, header_row)
    wb.save(path)

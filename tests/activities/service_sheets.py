"""Hours sheets for the import tests, shaped like volunteer platforms' exports: a title row
above the header, 序号 and 志愿者编号 columns, a 合计 row at the foot."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook

HEADER = ["序号", "姓名", "志愿者编号", "服务项目", "组织单位", "服务日期", "服务时长（小时）"]


def row(
    name: str,
    hours: Any = 2,
    day: Any = datetime.date(2026, 5, 10),
    project: str = "文明交通劝导",
    national_id: str = "",
    organizer: str = "临州市志愿服务联合会",
) -> list[Any]:
    return [None, name, national_id, project, organizer, day, hours]


def sheet(rows: list[list[Any]], header: list[str] | None = None, title: bool = True) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "志愿服务时长"
    if title:
        ws.append(["临州志愿服务平台 志愿服务时长导出"])
    ws.append(header or HEADER)
    for n, values in enumerate(rows, start=1):
        ws.append([n, *values[1:]] if values and values[0] is None else values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

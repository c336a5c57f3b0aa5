"""The 挂账销号 ledger as an Excel sheet offices print and pass on."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from wenming.campaigns.models import Campaign
from wenming.core.xlsx import CONTENT_TYPE, print_setup
from wenming.oversight.models import Problem

FONT = "宋体"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
RED = Font(name=FONT, size=10, color="C00000", bold=True)
BODY = Font(name=FONT, size=10)
HEADER = ["序号", "问题编号", "发现来源", "问题描述", "问题位置", "对应测评标准", "责任部门",
          "严重程度", "整改时限", "状态", "逾期天数", "挂账天数", "整改情况", "销号日期"]  # fmt: skip
WIDTHS = [6, 14, 20, 40, 16, 12, 16, 8, 12, 8, 8, 8, 36, 12]
MAX_ROWS = 5000


def _text(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))


def problems_workbook(
    campaign: Campaign, problems: Iterable[Problem], today: datetime.date
) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "问题整改台账"
    ws.append([f"{campaign.unit.name} 督查问题整改台账（挂账销号）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = CENTER
    ws.append([f"导出日期：{today:%Y年%m月%d日}"])
    ws.append(HEADER)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(3, col).column_letter].width = width
        cell = ws.cell(3, col)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
    for n, p in enumerate(problems, start=1):
        if n > MAX_ROWS:
            break
        source = (
            f"{p.inspection.get_kind_display()}：{p.inspection.title}"
            if p.inspection
            else "单独记录"
        )
        late = p.days_overdue(today)
        ws.append(
            [
                n,
                p.number,
                _text(source),
                _text(p.description),
                _text(p.place),
                p.standard.code if p.standard else "",
                p.department.name,
                p.get_severity_display(),
                p.deadline,
                p.get_status_display(),
                late or "",
                p.age_days(today),
                _text(p.rectification_note),
                p.closed_at.date() if p.closed_at else "",
            ]
        )
        row = 3 + n  # the row just appended (`ws.max_row` rescans every cell: quadratic)
        for col in range(1, len(HEADER) + 1):
            cell = ws.cell(row, col)
            cell.font = RED if (late and col in (9, 11)) else BODY
            cell.alignment = WRAP if col in (3, 4, 13) else CENTER
            cell.border = BORDER
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    print_setup(ws, 3)
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=CONTENT_TYPE)
    name = f"问题整改台账-{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response

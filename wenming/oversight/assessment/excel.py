"""The department assessment's ranking as an Excel sheet, as offices print and pass it on."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from wenming.campaigns.models import Campaign
from wenming.core.xlsx import print_setup
from wenming.oversight.assessment.ranking import NOTHING_TO_COUNT, DepartmentScore
from wenming.oversight.assessment.services import rule_total
from wenming.oversight.models import AssessmentRule

FONT = "宋体"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def ranking_workbook(
    campaign: Campaign, year: int, rule: AssessmentRule, scores: list[DepartmentScore]
) -> bytes:
    """名次, 部门, per measure its rate, points and the counts behind them, total, eligibility."""
    labels = [m.label for m in scores[0].measures] if scores else []
    header = ["名次", "部门"]
    for label in labels:
        header += [f"{label}（完成率）", f"{label}（得分）", f"{label}（依据）"]
    header += ["总分", "评优资格", "说明"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{year}年部门考核"
    ws.append([f"{campaign.unit.name} {year}年度部门考核排名"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = CENTER
    ws.append([f"导出日期：{timezone.localdate():%Y年%m月%d日}　满分{rule_total(rule)}分"])
    ws.append(header)
    for col in range(1, len(header) + 1):
        cell = ws.cell(3, col)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        width = 24 if header[col - 1].endswith("（依据）") or col == len(header) else 10
        ws.column_dimensions[cell.column_letter].width = 16 if col == 2 else width
    for s in scores:
        row: list[Any] = [s.rank, s.department.name]
        for m in s.measures:
            rate = NOTHING_TO_COUNT if m.rate is None else f"{m.rate}%"
            row += [rate, m.points, m.detail]
        row += [s.total, "可评优" if s.eligible else "取消评优资格", "；".join(s.reasons)]
        ws.append(row)
        for col in range(1, len(row) + 1):
            cell = ws.cell(ws.max_row, col)
            cell.font = Font(name=FONT, size=10)
            cell.border = BORDER
            cell.alignment = WRAP
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    print_setup(ws, 3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

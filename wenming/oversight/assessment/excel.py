"""The assessment as an Excel workbook, as offices print and pass it on: the departments'
ranking, the people (个人) and the commendations (表彰奖励)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from wenming.campaigns.models import Campaign
from wenming.core.xlsx import print_setup
from wenming.oversight.assessment.people import PersonScore, person_name, recipient
from wenming.oversight.assessment.ranking import NOT_RANKED, NOTHING_TO_COUNT, DepartmentScore
from wenming.oversight.assessment.services import rule_total
from wenming.oversight.models import AssessmentRule

FONT = "宋体"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _title(ws: Worksheet, title: str, subtitle: str, header: list[str]) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = CENTER
    ws.append([subtitle])
    ws.append(header)
    for col in range(1, len(header) + 1):
        cell = ws.cell(3, col)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = PatternFill("solid", fgColor="F2DCDB")


def _row(ws: Worksheet, row: list[Any]) -> None:
    # Names and reasons people typed go in as text, never as formulas.
    ws.append([f"'{v}" if isinstance(v, str) and v.startswith("=") else v for v in row])
    for col in range(1, len(row) + 1):
        cell = ws.cell(ws.max_row, col)
        cell.font = Font(name=FONT, size=10)
        cell.border = BORDER
        cell.alignment = WRAP
        if isinstance(cell.value, Decimal):
            cell.number_format = "0.00"


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(3, col).column_letter].width = width


def ranking_workbook(
    campaign: Campaign,
    year: int,
    rule: AssessmentRule,
    scores: list[DepartmentScore],
    people: list[PersonScore] | None = None,
) -> bytes:
    """Sheet 1: 名次, 部门, per measure its rate, points and the counts behind them, total,
    eligibility, commendations. Sheet 个人: each person's figures and eligibility with the
    reason. Sheet 表彰奖励: the year's commendations."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _departments_sheet(ws, campaign, year, rule, scores)
    _people_sheet(wb.create_sheet("个人"), campaign, year, rule, people or [])
    _commendations_sheet(wb.create_sheet("表彰奖励"), campaign, year, scores, people or [])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _departments_sheet(
    ws: Worksheet,
    campaign: Campaign,
    year: int,
    rule: AssessmentRule,
    scores: list[DepartmentScore],
) -> None:
    labels = [m.label for m in scores[0].measures] if scores else []
    header = ["名次", "部门"]
    for label in labels:
        header += [f"{label}（完成率）", f"{label}（得分）", f"{label}（依据）"]
    header += ["总分", "评优资格", "说明", "表彰奖励"]
    ws.title = f"{year}年部门考核"
    _title(
        ws,
        f"{campaign.unit.name} {year}年度部门考核排名",
        f"导出日期：{timezone.localdate():%Y年%m月%d日}　满分{rule_total(rule)}分"
        f"　没有可考核事项的部门{NOT_RANKED}，列在最后",
        header,
    )
    _widths(
        ws,
        [
            16 if col == 2 else 24 if h.endswith("（依据）") or col >= len(header) - 1 else 10
            for col, h in enumerate(header, start=1)
        ],
    )
    for s in scores:
        row: list[Any] = [s.rank if s.rank else NOT_RANKED, s.department.name]
        for m in s.measures:
            rate = NOTHING_TO_COUNT if m.rate is None else f"{m.rate}%"
            row += [rate, "不计入" if m.empty else m.points, m.detail]
        row += [
            s.total if s.rank else "",
            "可评优" if s.eligible else "取消评优资格",
            "；".join(s.reasons),
            "；".join(f"{c.decided_on:%Y-%m-%d} {c.title}" for c in s.commendations),
        ]
        _row(ws, row)
    print_setup(ws, 3)


def _people_sheet(
    ws: Worksheet, campaign: Campaign, year: int, rule: AssessmentRule, people: list[PersonScore]
) -> None:
    header = [
        "人员",
        "部门",
        "职务/角色",
        "任务（到期或完成）",
        "按时完成",
        "按时完成率",
        "台账被退回（次）",
        "逾期未整改问题（个）",
        "个人评优资格",
        "说明",
        "表彰奖励",
    ]
    _title(
        ws,
        f"{campaign.unit.name} {year}年度个人评优资格",
        f"导出日期：{timezone.localdate():%Y年%m月%d日}　上限{rule.max_overdue_problems}："
        "未按时完成任务、台账退回、逾期未整改问题任一项超过上限，或有追责记录，取消个人评优资格",
        header,
    )
    _widths(ws, [10, 16, 10, 10, 10, 10, 10, 12, 14, 36, 24])
    for p in people:
        rate = p.on_time_rate
        _row(
            ws,
            [
                person_name(p.user),
                p.department.name,
                p.role,
                p.tasks.counted,
                p.tasks.good,
                NOTHING_TO_COUNT if rate is None else f"{rate}%",
                p.returns,
                p.overdue_problems,
                "可评优" if p.eligible else "取消评优资格",
                "；".join(p.reasons),
                "；".join(f"{c.decided_on:%Y-%m-%d} {c.title}" for c in p.commendations),
            ],
        )
    print_setup(ws, 3)


def _commendations_sheet(
    ws: Worksheet,
    campaign: Campaign,
    year: int,
    scores: list[DepartmentScore],
    people: list[PersonScore],
) -> None:
    header = ["表彰日期", "受表彰部门/人员", "类别", "表彰名称", "事迹/理由"]
    _title(ws, f"{campaign.unit.name} {year}年度表彰奖励", "", header)
    _widths(ws, [12, 24, 8, 24, 48])
    records = [c for s in scores for c in s.commendations]
    records += [c for p in people for c in p.commendations]
    for c in sorted(records, key=lambda c: (c.decided_on, c.pk)):
        kind = "个人" if c.person_id else "部门"
        _row(ws, [c.decided_on.isoformat(), recipient(c), kind, c.title, c.reason])
    print_setup(ws, 3)

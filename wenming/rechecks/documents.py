"""The 复查's documents: the 复查结果通报 (a 公文 .docx with the decisions grouped 保留 / 限期整改
/ 黄牌警告 / 撤销 / 逾期未报) and the list of holders (.xlsx) with scores and decisions.

Both read the reports in one query (with their units and honours) whatever their number.
Before the 复查 is closed the 通报 is a draft: units still without a decision are listed in
a last section, so the office sees what is missing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from wenming.core.docx import (
    DOCX_TYPE,
    add_signature,
    add_title,
    body,
    chinese_ordinal,
    cn_date,
    heading,
    new_document,
    to_bytes,
)
from wenming.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from wenming.core.xlsx import print_setup
from wenming.rechecks import services
from wenming.rechecks.models import Decision, Recheck, RecheckReport, ReportStatus
from wenming.rechecks.scores import average_in_term, scores_by_honour

__all__ = ["DOCX_TYPE", "XLSX_TYPE", "list_xlsx", "result_docx"]

FONT = "宋体"
# The 通报's sections, in order: (key, heading).
GROUPS = (
    (Decision.KEPT, "保留称号的单位"),
    (Decision.RECTIFY, "限期整改的单位"),
    (Decision.WARNED, "给予黄牌警告的单位"),
    (Decision.REVOKED, "撤销称号的单位"),
    ("missed", "逾期未报送复查材料的单位"),
)


def _reports(recheck: Recheck) -> list[RecheckReport]:
    rows = list(
        recheck.reports.select_related("honour", "entry__unit").order_by(
            "entry__unit__name", "honour__title", "id"
        )
    )
    for r in rows:
        r.recheck = recheck
    return rows


def _group_of(report: RecheckReport, today: datetime.date) -> str:
    """The 通报's section of a report ("" while it has no decision)."""
    if report.status == ReportStatus.DECIDED:
        return "missed" if report.decision == Decision.ENDED else report.decision
    if services.is_missed(report, today):
        return "missed"
    return ""


def _line(report: RecheckReport, key: str) -> str:
    honour = report.honour
    text = f"{report.entry.unit.name}（{honour.year_named}年命名{honour.title}）"
    if key == Decision.RECTIFY and report.rectify_deadline:
        text += f"，整改期限至{cn_date(report.rectify_deadline)}"
        if report.follow_up_passed:
            text += f"，已于{cn_date(report.followed_up_on)}整改复核通过"
    if key == "missed":
        text += "，称号终止" if report.decision == Decision.ENDED else "，待确认"
    return text


def _intro(recheck: Recheck, count: int) -> str:
    return (
        f"根据文明单位动态管理的有关规定，{recheck.office.name}于{cn_date(recheck.opens_on)}"
        f"组织开展了{recheck.year}年度文明单位复查工作，共有{count}家单位参加复查。"
        "经单位自查、文明办审核评议，现将复查结果通报如下。"
    )


def result_docx(recheck: Recheck) -> bytes:
    """复查结果通报: the decisions grouped by kind, with the office and the date at the end."""
    today = timezone.localdate()
    rows = _reports(recheck)
    groups: dict[str, list[str]] = {key: [] for key, _ in GROUPS}
    undecided: list[str] = []
    for r in rows:
        key = _group_of(r, today)
        if key:
            groups[key].append(_line(r, key))
        else:
            undecided.append(f"{r.entry.unit.name}（{r.honour.title}）")
    doc = new_document()
    if recheck.result_title:
        body(doc, recheck.result_title, indent=False).alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_title(doc, f"关于{recheck.year}年度文明单位复查结果的通报")
    body(doc, "各有关单位：", indent=False)
    body(doc, _intro(recheck, len(rows)))
    index = 0
    for key, title in GROUPS:
        if not groups[key]:
            continue
        index += 1
        heading(doc, f"{chinese_ordinal(index)}、{title}（{len(groups[key])}家）", 1)
        for n, text in enumerate(groups[key], start=1):
            body(doc, f"{n}. {text}")
    if undecided:
        index += 1
        heading(doc, f"{chinese_ordinal(index)}、尚未作出复查结论的单位（{len(undecided)}家）", 1)
        body(doc, "、".join(undecided) + "。")
    body(
        doc,
        "希望保留称号的单位珍惜荣誉、巩固提升；限期整改和受到黄牌警告的单位认真查找问题，"
        "按期整改到位；各单位要以此为鉴，持续深化文明单位创建工作。",
    )
    add_signature(doc, recheck.office.name, recheck.closed_on or today)
    return to_bytes(doc)


# --- the list (.xlsx) -------------------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(ws: Worksheet, values: Iterable[Any]) -> None:
    cells = []
    for value in values:
        cell = Cell(ws, value=_text(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # what people typed goes in as text, never as a formula
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    ws.append(cells)


def _heading(ws: Worksheet, recheck: Recheck, header: list[str], widths: list[int]) -> None:
    ws.append([f"{recheck.title}名单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(
        [
            f"{recheck.office.name} · 自查报告截止日期：{recheck.due_on:%Y年%m月%d日} · "
            f"导出日期：{timezone.localdate():%Y年%m月%d日}"
        ]
    )
    ws.append(header)
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(3, col)
        ws.column_dimensions[cell.column_letter].width = width
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")


COLUMNS = [
    ("序号", 6),
    ("单位", 30),
    ("系统/行业", 12),
    ("区域", 10),
    ("称号", 16),
    ("级别", 8),
    ("命名年度", 9),
    ("状态", 12),
    ("逾期未报", 9),
    ("自评得分", 10),
    ("复查得分", 10),
    ("复查结论", 14),
    ("整改期限", 12),
    ("整改复核", 14),
    ("提交时间", 17),
    ("复查意见", 40),
]


def _row(n: int, r: RecheckReport, today: datetime.date) -> list[Any]:
    follow = ""
    if r.follow_up_passed is not None:
        follow = "通过" if r.follow_up_passed else "未通过"
    submitted = (
        timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else ""
    )
    return [
        n,
        r.entry.unit.name,
        r.entry.sector,
        r.entry.area,
        r.honour.title,
        r.honour.get_level_display(),
        r.honour.year_named,
        services.status_label(r, today),
        "是" if services.is_missed(r, today) else "",
        r.self_score,
        r.office_score,
        r.get_decision_display() if r.decision else "",
        r.rectify_deadline,
        follow,
        submitted,
        r.review_comment,
    ]


def list_xlsx(recheck: Recheck, reports: QuerySet[RecheckReport]) -> bytes:
    """The holders (already filtered) with their states, scores and decisions: one query for
    the reports, one more for the term averages when they count."""
    today = timezone.localdate()
    columns = list(COLUMNS)
    if recheck.average_counts:
        columns.insert(11, ("届期平均分", 11))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{recheck.year}年度复查"
    _heading(ws, recheck, [c for c, _ in columns], [w for _, w in columns])
    rows = list(reports.select_related("honour", "entry__unit"))
    scores = scores_by_honour(r.honour_id for r in rows) if recheck.average_counts else {}
    for n, r in enumerate(rows, start=1):
        r.recheck = recheck
        values = _row(n, r, today)
        if recheck.average_counts:
            values.insert(11, average_in_term(r.honour, scores.get(r.honour_id, [])))
        _append(ws, values)
    print_setup(ws, 3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

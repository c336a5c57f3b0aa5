"""The 《任务分解及工作推进表》 and the roll-up sheets as office-style .xlsx files.

`tasks_export` writes one row per counted task (no drafts) in the evaluation system's order, with the item,
content and standard cells merged over consecutive rows; `tasks_read` reads the same layout
back (merged or blank cells mean "same as above") into plain rows for `tasks_import`.
"""

from __future__ import annotations

import datetime
import io
import re
from copy import copy
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from wenming.campaigns.models import Campaign
from wenming.core.xlsx import print_setup
from wenming.frameworks.models import FrameworkLevel, Node
from wenming.orgs.models import Organization
from wenming.tasks.models import Task
from wenming.tasks.reports.services import Monthly, Rollup, counted_tasks

FONT = "宋体"
OTHER = "其他"
_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
BODY = Font(name=FONT, size=10)
HEADER_FONT = Font(name=FONT, size=11, bold=True)
TITLE_FONT = Font(name=FONT, size=16, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E7EEF7")
WARN_FILL = PatternFill("solid", fgColor="FDECEA")

# (header, width); the reader finds columns by these names.
TASK_COLUMNS = [
    ("序号", 6),
    ("测评项目", 14),
    ("测评内容", 16),
    ("测评标准", 30),
    ("工作任务", 34),
    ("牵头部门", 14),
    ("配合部门", 16),
    ("责任人", 9),
    ("完成时限", 12),
    ("进展情况", 30),
    ("状态", 12),
]
MERGED = ("测评项目", "测评内容", "测评标准")
PROGRESS_RE = re.compile(r"^(?P<note>.*?)[（(]\s*(?P<pct>\d{1,3})\s*%\s*[)）]\s*$", re.S)


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def unit_title(campaign: Campaign) -> str:
    level = dict(FrameworkLevel.choices).get(campaign.target_level, "")
    return f"{campaign.unit.name}创建{level}{campaign.target_kind}任务分解及工作推进表"


def progress_text(task: Task) -> str:
    note = task.progress_note.strip()
    return f"{note}（{task.progress}%）" if note else f"（{task.progress}%）"


def status_text(task: Task, today: datetime.date) -> str:
    """The task's status as the screens say it: 待佐证 at 100 % until its proof is in,
    with 已逾期 after it when past the deadline (e.g. “待佐证（已逾期）”)."""
    label = task.get_status_display()
    return f"{label}（已逾期）" if task.is_overdue(today) else label


def standard_label(node: Node) -> str:
    return f"{node.code} {node.title}"


@dataclass
class TaskRow:
    item: str
    content: str
    standard: str
    task: Task
    co_departments: str = ""


def task_rows(campaign: Campaign) -> list[TaskRow]:
    """Counted tasks in the evaluation system's order; tasks without a standard last."""
    nodes = {n.pk: n for n in Node.objects.filter(framework_id=campaign.framework_id)}
    tasks = list(
        counted_tasks(campaign)
        .select_related("lead_department", "responsible")
        .order_by("deadline", "id")
    )
    # Plain id pairs: model instances for 5,000 tasks' standards would cost a second.
    standards_of: dict[int, list[int]] = {}
    for task_id, node_id in Task.standards.through.objects.filter(
        task__in=counted_tasks(campaign), node__framework_id=campaign.framework_id
    ).values_list("task_id", "node_id"):
        standards_of.setdefault(task_id, []).append(node_id)
    names = dict(Organization.objects.departments_of(campaign.unit).values_list("pk", "name"))
    co_of: dict[int, list[int]] = {}
    for task_id, org_id in (
        Task.co_departments.through.objects.filter(task__in=counted_tasks(campaign))
        .order_by("organization_id")
        .values_list("task_id", "organization_id")
    ):
        co_of.setdefault(task_id, []).append(org_id)

    def ancestor_at(node: Node, depth: int) -> Node | None:
        chain = [node]
        while chain[-1].parent_id is not None and chain[-1].parent_id in nodes:
            chain.append(nodes[chain[-1].parent_id])
        for n in chain:
            if n.depth == depth and n is not node:
                return n
        return None

    keyed: list[tuple[tuple[int, int], TaskRow]] = []
    for task in tasks:
        co = "、".join(names.get(pk, "") for pk in co_of.get(task.pk, []))
        standards = sorted(
            (nodes[pk] for pk in standards_of.get(task.pk, []) if pk in nodes),
            key=lambda s: s.position,
        )
        if not standards:
            keyed.append(((1, 0), TaskRow(OTHER, "", "", task, co)))
            continue
        first = standards[0]
        item = ancestor_at(first, 0)
        content = ancestor_at(first, 1)
        keyed.append(
            (
                (0, first.position),
                TaskRow(
                    item.title if item else "",
                    content.title if content else "",
                    standard_label(first),
                    task,
                    co,
                ),
            )
        )
    keyed.sort(key=lambda pair: pair[0])  # stable: deadline order within a standard
    return [row for _, row in keyed]


def _sheet_setup(ws: Worksheet, header_row: int, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    print_setup(ws, header_row)


def _title(ws: Worksheet, text: str, width: int, row: int = 1, font: Font = TITLE_FONT) -> None:
    ws.cell(row, 1, _clean(text)).font = font
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 30 if font is TITLE_FONT else 18


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row, col, name)
        cell.font = HEADER_FONT
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = HEADER_FILL


def _put(ws: Worksheet, row: int, col: int, value: Any, align: Alignment = WRAP) -> None:
    cell = ws.cell(row, col, _clean(value) if isinstance(value, str) else value)
    cell.font = BODY
    cell.alignment = align
    cell.border = BORDER


class _Styles:
    """Body styles registered once; cells then copy the style array (openpyxl's slow path
    hashes every style object on every assignment, seconds for 50,000 cells)."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.arrays: dict[tuple[bool, bool], Any] = {}
        probe_row = ws.max_row + 50
        for center in (False, True):
            for dated in (False, True):
                cell = ws.cell(probe_row, 1)
                cell.number_format = "General"
                cell.font = BODY
                cell.alignment = CENTER if center else WRAP
                cell.border = BORDER
                if dated:
                    cell.number_format = "yyyy-mm-dd"
                self.arrays[(center, dated)] = copy(cell._style)
        del ws._cells[(probe_row, 1)]

    def put(self, row: int, col: int, value: Any, *, center: bool, dated: bool = False) -> None:
        cell = self.ws.cell(row, col, _clean(value) if isinstance(value, str) else value)
        cell._style = copy(self.arrays[(center, dated)])


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def tasks_export(campaign: Campaign) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "任务分解及工作推进表"
    width = len(TASK_COLUMNS)
    _title(ws, unit_title(campaign), width)
    _header(ws, 2, [name for name, _ in TASK_COLUMNS])
    rows = task_rows(campaign)
    today = timezone.localdate()
    styles = _Styles(ws)
    first = 3
    for index, row in enumerate(rows):
        r = first + index
        task = row.task
        values: list[Any] = [
            index + 1,
            row.item,
            row.content,
            row.standard,
            task.title,
            task.lead_department.name if task.lead_department else "",
            row.co_departments,
            (task.responsible.get_full_name() or task.responsible.username)
            if task.responsible
            else "",
            task.deadline,
            progress_text(task),
            status_text(task, today),
        ]
        for col, value in enumerate(values, start=1):
            if (
                2 <= col <= 4
                and index
                and _merge_key(rows, index, TASK_COLUMNS[col - 1][0])
                == _merge_key(rows, index - 1, TASK_COLUMNS[col - 1][0])
            ):
                value = None  # inside a merged run: only the first row carries the text
            styles.put(r, col, value, center=col in (1, 6, 8, 9, 11), dated=col == 9)
        ws.row_dimensions[r].height = _height(values, skip_merged=True)
    # Merge runs of equal item / content / standard over consecutive rows. The ranges are
    # registered directly: every cell already has its border, and openpyxl's merge_cells
    # would re-format each range cell by cell (seconds for long runs).
    for col_name in MERGED:
        col = [name for name, _ in TASK_COLUMNS].index(col_name) + 1
        start = 0
        for i in range(1, len(rows) + 1):
            key = _merge_key(rows, i, col_name)
            if i == len(rows) or key != _merge_key(rows, start, col_name):
                _fit_run(ws, first + start, i - start, getattr(rows[start], _ATTR[col_name]), col)
                if i - start > 1:
                    ws.merged_cells.add(
                        MergedCellRange(
                            ws,
                            f"{get_column_letter(col)}{first + start}:"
                            f"{get_column_letter(col)}{first + i - 1}",
                        )
                    )
                start = i
    _sheet_setup(ws, 2, [w for _, w in TASK_COLUMNS])
    return _save(wb)


_ATTR = {"测评项目": "item", "测评内容": "content", "测评标准": "standard"}


def _fit_run(ws: Worksheet, top: int, count: int, text: str, col: int) -> None:
    """Grow the rows of a merged run evenly until its text fits."""
    need = 14.0 * _lines(text, TASK_COLUMNS[col - 1][1]) + 4
    heights = [ws.row_dimensions[top + k].height or 18.0 for k in range(count)]
    if sum(heights) < need:
        extra = (need - sum(heights)) / count
        for k in range(count):
            ws.row_dimensions[top + k].height = heights[k] + extra


def _lines(text: str, width: int) -> int:
    """Printed lines of `text` in a wrapped column `width` characters wide (CJK count 2)."""
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return max(1, -(-units // max(1, width - 1)))


def _height(values: list[Any], *, skip_merged: bool) -> float:
    """Row height for wrapped text: spreadsheet programs do not grow rows that hold
    merged cells, so the text would overlap. Merged runs are fitted after (`_fit_run`)."""
    lines = 1
    for (name, width), value in zip(TASK_COLUMNS, values, strict=False):
        if skip_merged and name in MERGED:
            continue
        if isinstance(value, str) and value:
            lines = max(lines, _lines(value, width))
    return 14.0 * lines + 4


def _merge_key(rows: list[TaskRow], i: int, col_name: str) -> tuple[str, ...] | None:
    if i >= len(rows):
        return None
    row = rows[i]
    # A content cell only merges within its item, a standard within its content.
    full = (row.item, row.content, row.standard)
    return full[: MERGED.index(col_name) + 1]


# --- reading the table back --------------------------------------------------------------


@dataclass
class ReadProblem:
    row: int | None
    column: str | None
    message: str


@dataclass
class ReadRow:
    row: int
    values: dict[str, str]
    deadline: datetime.date | None
    deadline_error: bool


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> tuple[datetime.date | None, bool]:
    if value is None or _text(value) == "":
        return None, False
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    text = _text(value).replace(" ", "")
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date(), False  # noqa: DTZ007
        except ValueError:
            continue
    return None, True


def tasks_read(content: bytes) -> tuple[list[ReadRow], list[ReadProblem]]:
    """Rows of the table with merged and blank item/content/standard cells filled down."""
    try:
        wb = load_workbook(io.BytesIO(content), data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not .xlsx
        return [], [ReadProblem(None, None, "无法读取该文件，请上传 Excel（.xlsx）格式的推进表。")]
    ws = wb.worksheets[0]
    header_row, columns = 0, {}
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        names = {_text(v).replace(" ", "").replace("\n", ""): i for i, v in enumerate(cells)}
        if "工作任务" in names:
            header_row, columns = r, names
            break
    if not header_row:
        return [], [
            ReadProblem(
                None, None, "前10行中没有找到表头：表头应包含“工作任务”列，请使用导出的推进表格式。"
            )
        ]
    rows: list[ReadRow] = []
    above = dict.fromkeys(MERGED, "")
    for r, cells in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
    ):
        values = {
            name: _text(cells[i]) if i < len(cells) else "" for name, i in columns.items() if name
        }
        if not any(values.get(name) for name, _ in TASK_COLUMNS if name != "序号"):
            continue
        for name in MERGED:
            if values.get(name):
                above[name] = values[name]
                # A new item starts a new content and standard; a new content a new standard.
                for lower in MERGED[MERGED.index(name) + 1 :]:
                    if not values.get(lower):
                        above[lower] = ""
            values[name] = above[name]
        deadline, bad = (
            _date(cells[columns["完成时限"]]) if "完成时限" in columns else (None, False)
        )
        rows.append(ReadRow(row=r, values=values, deadline=deadline, deadline_error=bad))
    return rows, []


def parse_progress(text: str) -> tuple[str, int | None]:
    """“已完成方案（60%）” → ("已完成方案", 60); text without a percentage → (text, None)."""
    match = PROGRESS_RE.match(text)
    if not match:
        return text.strip(), None
    return match.group("note").strip(), int(match.group("pct"))


# --- roll-up and monthly sheets ----------------------------------------------------------


def _simple_sheet(
    title: str, subtitle: str, header: list[str], widths: list[int]
) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _title(ws, title, len(header))
    _title(ws, subtitle, len(header), row=2, font=BODY)
    _header(ws, 3, header)
    _sheet_setup(ws, 3, widths)
    return wb, ws


def rollup_export(rollup: Rollup) -> bytes:
    header = [
        "部门",
        "牵头任务",
        "本周到期",
        "本周完成",
        "待佐证",
        "当前逾期",
        "周报",
        "报送时间",
        "部门负责人及电话",
    ]
    wb, ws = _simple_sheet(
        f"{rollup.campaign.unit.name}创建工作每周汇总",
        f"{rollup.week_start:%Y-%m-%d} 至 {rollup.week_end:%Y-%m-%d}",
        header,
        [18, 10, 10, 10, 10, 10, 10, 18, 30],
    )
    ws.title = "每周汇总"
    r = 4
    for row in [*rollup.rows, rollup.total]:
        is_total = row is rollup.total
        values = [
            row.department.name,
            row.led,
            row.due_this_week,
            row.done_this_week,
            row.unproven,
            row.overdue,
            "" if is_total else ("已报送" if row.submitted else "未报送"),
            timezone.localtime(row.report.submitted_at).strftime("%Y-%m-%d %H:%M")
            if not is_total and row.submitted and row.report and row.report.submitted_at
            else "",
            "" if is_total else "；".join(f"{h.name} {h.phone}".strip() for h in row.heads),
        ]
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value, CENTER if 1 < col < 9 else WRAP)
            if not is_total and not row.submitted:
                ws.cell(r, col).fill = WARN_FILL
        r += 1
    return _save(wb)


def monthly_export(monthly: Monthly) -> bytes:
    month = f"{monthly.month.year}年{monthly.month.month}月"
    header = ["序号", "工作任务", "牵头部门", "责任人", "完成时限", "逾期天数", "进展情况", "状态"]
    wb, ws = _simple_sheet(
        f"{monthly.campaign.unit.name}创建工作{month}例会材料",
        f"统计截至 {monthly.as_of:%Y-%m-%d}",
        header,
        [6, 36, 16, 10, 12, 10, 30, 12],
    )
    ws.title = "月例会"
    r = 4

    def section(text: str) -> None:
        nonlocal r
        _title(ws, text, len(header), row=r, font=HEADER_FONT)
        r += 1

    def line(values: list[Any]) -> None:
        nonlocal r
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value, CENTER if col in (1, 3, 4, 5, 6, 8) else WRAP)
        if isinstance(values[4], datetime.date):
            ws.cell(r, 5).number_format = "yyyy-mm-dd"
        r += 1

    def person(task: Task) -> str:
        return (
            (task.responsible.get_full_name() or task.responsible.username)
            if task.responsible
            else ""
        )

    section(f"一、逾期未完成任务（{len(monthly.overdue)}项）")
    for i, o in enumerate(monthly.overdue, start=1):
        t = o.task
        dept = t.lead_department.name if t.lead_department else ""
        line(
            [
                i,
                t.title,
                dept,
                person(t),
                t.deadline,
                o.days_overdue,
                progress_text(t),
                status_text(t, monthly.as_of),
            ]
        )
    nxt = monthly.next_month
    section(f"二、{nxt.year}年{nxt.month}月到期任务（{len(monthly.due_next_month)}项）")
    for i, t in enumerate(monthly.due_next_month, start=1):
        dept = t.lead_department.name if t.lead_department else ""
        line(
            [
                i,
                t.title,
                dept,
                person(t),
                t.deadline,
                "",
                progress_text(t),
                status_text(t, monthly.as_of),
            ]
        )
    section("三、进度滞后部门（按逾期任务数、未报周报次数排序）")
    _header(ws, r, ["名次", "部门", "逾期任务", "未报周报", "应报周数", "完成率", ""])
    r += 1
    for i, d in enumerate(monthly.laggards, start=1):
        rate = "—" if d.completion_rate is None else f"{d.completion_rate}%"
        line([i, d.department.name, d.overdue, d.missing_reports, d.weeks, rate, ""])
    section("四、各部门任务完成率")
    _header(ws, r, ["序号", "部门", "牵头任务", "已完成", "逾期", "完成率", ""])
    r += 1
    for i, d in enumerate(monthly.departments, start=1):
        rate = "—" if d.completion_rate is None else f"{d.completion_rate}%"
        line([i, d.department.name, d.led, d.done, d.overdue, rate, ""])
    return _save(wb)

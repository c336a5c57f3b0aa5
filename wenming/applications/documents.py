"""The documents of applications (申报): the unit's 申报表 and 创建工作总结, the office's
命名决定 and 公示 (laid out as 公文 by `wenming.core.docx`), and the batch's list (.xlsx).

Each document is built from what the database holds in a fixed number of queries. Before a
batch is named, 命名决定 lists the units in 公示 (a draft for the office to check); 公示
lists the units of the latest notice period.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from wenming.applications.models import Application, ApplicationStatus, Batch
from wenming.core.docx import (
    BODY_FONT,
    HEADING1_FONT,
    add_signature,
    add_title,
    body,
    cn_date,
    heading,
    new_document,
    set_fonts,
    to_bytes,
)
from wenming.core.xlsx import print_setup
from wenming.registry.models import Honour

S = ApplicationStatus
SIZE_XIAOSI = Pt(12)  # 小四: the size of a filled-in form
FONT = "宋体"
UNSAFE_NAME = '\\/:*?"<>|'


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _safe(name: str) -> str:
    return "".join(c for c in name if c not in UNSAFE_NAME).strip() or "文件"


def filename(application: Application, kind: str, ext: str) -> str:
    return f"{_safe(application.unit.name)}_{kind}.{ext}"


def batch_filename(batch: Batch, kind: str, ext: str = "docx") -> str:
    return f"{_safe(batch.title)}_{kind}.{ext}"


def _issued_on(application: Application) -> datetime.date:
    if application.submitted_at is not None:
        return timezone.localtime(application.submitted_at).date()
    return timezone.localdate()


# --- 申报表 ----------------------------------------------------------------------------------


def _cell(cell: Any, text: str, *, label: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if label else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(20)
    lines = text.split("\n") if text else [""]
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        set_fonts(run, HEADING1_FONT if label else BODY_FONT, SIZE_XIAOSI)
        if n < len(lines) - 1:
            run.add_break()


def _honours_text(application: Application) -> str:
    honours = (
        Honour.objects.live()
        .filter(entry_id=application.entry_id)
        .select_related("issuer")
        .order_by("-year_named", "-id")
    )
    lines = []
    for h in honours:
        issuer = h.issuer.name if h.issuer else h.issuer_name
        by = f"，{issuer}命名" if issuer else ""
        lines.append(
            f"{h.year_named}年 {h.title}（{h.get_level_display()}{by}，{h.get_status_display()}）"
        )
    return "\n".join(lines) or "无"


def eligibility_text(application: Application) -> str:
    lines = []
    for r in application.eligibility or []:
        mark = "✓" if r.get("ok") else "✗"
        reason = f"：{r['reason']}" if r.get("reason") else ""
        lines.append(f"{mark} {r.get('label', '')}{reason}")
    return "\n".join(lines) or "该批次未设申报条件"


def _count(value: int | None) -> str:
    return "" if value is None else f"{value}人"


def _form_rows(application: Application) -> list[tuple[str, ...]]:
    """(label, value) pairs as rows of four cells, or (label, value) for a full-width row."""
    a = application
    self_total = f"{a.self_total}分" if a.self_total is not None else "未提供自评"
    return [
        ("单位名称", a.unit.name),
        ("单位主要负责人", a.principal_name, "联系人", a.contact_name),
        ("联系电话", a.contact_phone, "职工人数", _count(a.staff_count)),
        ("党员人数", _count(a.party_member_count), "注册志愿者人数", _count(a.volunteer_count)),
        ("单位地址", a.address),
        ("单位基本情况", a.basic_facts or ""),
        ("已获荣誉", _honours_text(a)),
        ("自评得分", self_total),
        ("申报条件核验", eligibility_text(a)),
    ]


def _form_table(doc: DocumentObject, rows: list[tuple[str, ...]]) -> None:
    widths = (Mm(32), Mm(46), Mm(32), Mm(46))
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 2:
            merged = cells[1].merge(cells[3])
            _cell(cells[0], row[0], label=True)
            _cell(merged, row[1])
        else:
            for i, text in enumerate(row):
                _cell(cells[i], text, label=i % 2 == 0)
    for row_obj in table.rows:
        row_obj._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for i, width in enumerate(widths):
            row_obj.cells[i].width = width


def application_form_docx(application: Application) -> bytes:
    """The 申报表: the unit's facts, honours, self-assessment and eligibility in a table."""
    batch = application.batch
    doc = new_document()
    add_title(doc, f"{batch.year}年度{batch.honour_title}申报表")
    _form_table(doc, _form_rows(application))
    body(doc, "", indent=False)
    body(doc, "本单位承诺以上内容及所附材料真实、准确。", indent=False)
    body(doc, "", indent=False)
    seal = body(doc, "单位（盖章）：", indent=False)
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal.paragraph_format.right_indent = Pt(96)
    day = body(doc, f"填表日期：{cn_date(_issued_on(application))}", indent=False)
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    day.paragraph_format.right_indent = Pt(32)
    return to_bytes(doc)


# --- 创建工作总结 --------------------------------------------------------------------------------


def summary_docx(application: Application) -> bytes:
    """The 创建工作总结: title, the summary in paragraphs, the unit and the date."""
    batch = application.batch
    doc = new_document()
    add_title(doc, f"{application.unit.name}\n创建{batch.honour_title}工作总结")
    for text in paragraphs(application.summary) or ["（未填写）"]:
        body(doc, text)
    add_signature(doc, application.unit.name, _issued_on(application))
    return to_bytes(doc)


# --- 命名决定 and 公示 -------------------------------------------------------------------------


def _ordered(qs: QuerySet[Application]) -> list[Application]:
    return list(qs.select_related("unit").order_by("unit__name", "id"))


def named_units(batch: Batch) -> list[Application]:
    """The units the decision names: those named, or (before 命名) those in 公示."""
    status = S.NAMED if batch.named_on else S.PUBLICIZED
    return _ordered(Application.objects.filter(batch=batch, status=status))


def _names_title(apps: list[Application]) -> str:
    if not apps:
        return "××"
    if len(apps) == 1:
        return apps[0].unit.name
    return f"{apps[0].unit.name}等{len(apps)}家单位"


def _unit_list(doc: DocumentObject, apps: list[Application], caption: str) -> None:
    heading(doc, caption, 1)
    if not apps:
        body(doc, "（暂无）")
    for n, a in enumerate(apps, 1):
        body(doc, f"{n}．{a.unit.name}")


def decision_docx(batch: Batch) -> bytes:
    """关于命名××等N家单位为××的决定: body, the list of named units, issuer and date."""
    apps = named_units(batch)
    honour = f"{batch.year}年度{batch.honour_title}"
    label = f"（{batch.batch_label}）" if batch.batch_label else ""
    doc = new_document()
    add_title(doc, f"关于命名{_names_title(apps)}为{honour}的决定")
    body(
        doc,
        f"根据《{batch.title}》工作安排，按照文明单位测评体系和申报条件，经单位申报、"
        f"{batch.office.name}初审、实地测评、征求有关部门意见和社会公示，"
        f"决定命名{_names_title(apps)}为{honour}{label}，有效期{batch.term_years}年。",
    )
    body(
        doc,
        "希望受到命名的单位珍惜荣誉，巩固创建成果，发挥示范带动作用，不断提高精神文明建设水平。"
        "对命名后工作出现滑坡、发生一票否决事项的单位，将按规定予以警告直至撤销称号（摘牌）。",
    )
    _unit_list(doc, apps, f"{honour}名单")
    add_signature(doc, batch.office.name, batch.named_on or timezone.localdate())
    return to_bytes(doc)


def publicized_units(batch: Batch) -> list[Application]:
    """The units of the latest notice period (all periods share a notice when they match)."""
    latest = (
        Application.objects.filter(batch=batch, publicity_starts_on__isnull=False)
        .order_by("-publicity_starts_on")
        .values_list("publicity_starts_on", flat=True)
        .first()
    )
    if latest is None:
        return []
    return _ordered(Application.objects.filter(batch=batch, publicity_starts_on=latest))


def publicity_docx(batch: Batch) -> bytes:
    """The 公示: the units, the period from start to end dates, how to object."""
    apps = publicized_units(batch)
    honour = f"{batch.year}年度{batch.honour_title}"
    starts = apps[0].publicity_starts_on if apps else None
    ends = apps[0].publicity_ends_on if apps else None
    doc = new_document()
    add_title(doc, f"关于{honour}拟命名单位的公示")
    body(
        doc,
        f"根据《{batch.title}》工作安排，经单位申报、初审、实地测评和征求有关部门意见，"
        f"{batch.office.name}确定{_names_title(apps)}为{honour}拟命名单位，现予以公示。",
    )
    period = (
        f"{cn_date(starts)}至{cn_date(ends)}（{batch.publicity_days}个工作日）"
        if starts and ends
        else f"××年××月××日至××年××月××日（{batch.publicity_days}个工作日）"
    )
    body(doc, f"公示时间：{period}。")
    body(
        doc,
        f"公示期间，如对拟命名单位有异议，请以书面形式向{batch.office.name}反映，"
        "也可来电来访反映。反映情况应实事求是、客观公正，并署真实姓名和联系方式；"
        "以单位名义反映的，须加盖单位公章。对反映的问题，我们将认真核查，并为反映人保密。",
    )
    _unit_list(doc, apps, f"{honour}拟命名单位名单")
    add_signature(doc, batch.office.name, starts or timezone.localdate())
    return to_bytes(doc)


# --- the batch list (.xlsx) ------------------------------------------------------------------

COLUMNS = [
    "序号",
    "单位名称",
    "状态",
    "提交时间",
    "单位主要负责人",
    "联系人",
    "联系电话",
    "职工人数",
    "自评得分",
    "实地测评得分",
    "群众满意率（%）",
    "征求意见（条）",
    "公示开始",
    "公示结束",
    "申报条件",
    "不符合的条件",
]
WIDTHS = [6, 30, 10, 17, 12, 10, 14, 9, 9, 11, 11, 10, 11, 11, 9, 40]


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(ws: Worksheet, values: list[Any]) -> None:
    cells = []
    for value in values:
        cell = Cell(ws, value=_text(value))
        # What people typed goes in as text, never as a formula.
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    ws.append(cells)


def _heading(ws: Worksheet, title: str) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([f"导出日期：{timezone.localdate():%Y年%m月%d日}"])
    ws.append(COLUMNS)
    for col, width in enumerate(WIDTHS, start=1):
        cell = ws.cell(3, col)
        ws.column_dimensions[cell.column_letter].width = width
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")


def _row(n: int, a: Application) -> list[Any]:
    failed = [
        f"{r.get('label', '')}：{r.get('reason', '')}"
        for r in a.eligibility or []
        if not r.get("ok")
    ]
    submitted = (
        timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""
    )
    return [
        n,
        a.unit.name,
        a.get_status_display(),
        submitted,
        a.principal_name,
        a.contact_name,
        a.contact_phone,
        a.staff_count,
        a.self_total,
        a.field_score,
        a.survey_rate,
        a.opinion_count,  # type: ignore[attr-defined]
        a.publicity_starts_on,
        a.publicity_ends_on,
        "不符合" if failed else "符合",
        "；".join(failed),
    ]


def batch_workbook(batch: Batch) -> bytes:
    """Every application of the batch with its status, scores, survey rate and eligibility.
    One query for the rows whatever their number."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "申报名单"
    _heading(ws, f"{batch.title} 申报名单")
    apps = (
        Application.objects.filter(batch=batch)
        .select_related("unit")
        .annotate(opinion_count=Count("opinions"))
        .order_by("unit__name", "id")
    )
    for n, a in enumerate(apps, 1):
        _append(ws, _row(n, a))
    print_setup(ws, 3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""Bulletins (通报, R7): the month's praise and criticism, generated from the data.

`bulletin_facts` counts, per department of the unit, what fell due in the period and what was
done on time: tasks (a task is on time when completed no later than its deadline), weekly
reports (one per Monday of the period), problems (found, due, closed on time, overdue). The
figures are worked out "as of" the period's end, or today while the period is still running.

`bulletin_draft` writes a draft from them in the wording of a 通报; the office edits the text,
then issues it (`bulletin_issue`), after which it is read-only. `bulletin_docx` prints it as
a 公文 in the layout the 实施方案 uses (`wenming.campaigns.documents`).
"""

from __future__ import annotations

import calendar
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from wenming.campaigns.documents import (
    BODY_FONT,
    LINE_PITCH,
    SIZE_ER,
    TITLE_FONT,
    _body,
    _chinese_ordinal,
    _cn_date,
    _heading,
    _set_fonts,
    _style_document,
)
from wenming.campaigns.models import Campaign
from wenming.oversight.models import Bulletin, BulletinStatus, Problem, ProblemStatus
from wenming.oversight.services import overdue_q
from wenming.tasks.models import ReportStatus, TaskStatus, WeeklyReport
from wenming.tasks.reports.services import ONE_WEEK, live_tasks, week_monday

ISSUED_READ_ONLY = "通报已印发，不能修改。如需更正，请另发更正通报。"
SECTIONS = ("表扬情况", "存在问题", "下一步要求")
RED = RGBColor(0xE6, 0x00, 0x12)
SIZE_WU = Pt(10.5)  # 五号, the size of tables in 公文
REPLY_DAYS = 7


# --- periods -------------------------------------------------------------------------------


def last_month(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month before `today`: the usual bulletin period."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def month_last_day(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _whole_month(start: datetime.date, end: datetime.date) -> bool:
    return (
        start.day == 1
        and start.year == end.year
        and start.month == end.month
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "2026年10月", or "2026年10月8日至11月7日"."""
    if _whole_month(start, end):
        return f"{start.year}年{start.month}月"
    tail = f"{end.month}月{end.day}日" if end.year == start.year else _cn_date(end)
    return f"{_cn_date(start)}至{tail}"


def _md(value: datetime.date) -> str:
    return f"{value.month}月{value.day}日"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _local_day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value is not None else None


# --- the figures ----------------------------------------------------------------------------


def _mondays(campaign: Campaign, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Weeks a report was due: Mondays in the period, inside the cycle; while the period
    runs, only weeks that are over."""
    today = timezone.localdate()
    day = week_monday(start)
    if day < start:
        day += ONE_WEEK
    found = []
    while day <= end and (end < today or day + datetime.timedelta(days=6) < today):
        if campaign.cycle_start <= day + datetime.timedelta(days=6) and day <= campaign.cycle_end:
            found.append(day)
        day += ONE_WEEK
    return found


def _found_on(problem: Problem) -> datetime.date:
    if problem.inspection is not None:
        return problem.inspection.inspected_on
    return timezone.localdate(problem.created_at)


def bulletin_facts(campaign: Campaign, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The figures of a bulletin, JSON-ready, in five queries whatever the unit's size."""
    today = timezone.localdate()
    as_of = min(today, end)
    after = _day_start(as_of + datetime.timedelta(days=1))
    # While the period runs, what falls due after today is not due yet.
    due_by = end if end < today else today - datetime.timedelta(days=1)
    departments = list(campaign.unit.active_departments())
    rows: dict[int, dict[str, Any]] = {
        d.pk: {
            "id": d.pk,
            "name": d.name,
            "tasks_due": 0,
            "tasks_on_time": 0,
            "tasks_late": [],
            "tasks_overdue": [],
            "reports_expected": 0,
            "reports_submitted": 0,
            "reports_missing": [],
            "problems_found": 0,
            "problems_due": 0,
            "problems_closed_on_time": 0,
            "problems_overdue": [],
        }
        for d in departments
    }

    # Tasks: due in the period, or due earlier and still not done at `as_of`. A task is
    # overdue when its deadline has passed (`due_by`) and it was not done by `as_of`.
    not_done_then = ~Q(status=TaskStatus.DONE) | Q(completed_at__gte=after)
    tasks = (
        live_tasks(campaign)
        .filter(lead_department_id__in=rows)
        .filter(deadline__lte=due_by)
        .filter(Q(deadline__gte=start) | not_done_then)
        .only("id", "title", "deadline", "status", "completed_at", "lead_department_id")
        .order_by("deadline", "id")
    )
    for task in tasks:
        row = rows[task.lead_department_id]  # type: ignore[index]
        deadline = task.deadline
        assert deadline is not None
        done_on = None
        if task.status == TaskStatus.DONE:
            # Done without a recorded time (older data): taken as done on time.
            done_on = _local_day(task.completed_at) or deadline
        if done_on is not None and done_on > as_of:
            done_on = None
        brief = {"id": task.pk, "title": task.title, "deadline": deadline.isoformat()}
        if deadline >= start:
            row["tasks_due"] += 1
            if done_on is not None and done_on <= deadline:
                row["tasks_on_time"] += 1
            elif done_on is not None:
                row["tasks_late"].append({**brief, "done_on": done_on.isoformat()})
        if done_on is None:
            row["tasks_overdue"].append({**brief, "days": max(1, (as_of - deadline).days)})

    # Weekly reports: one per Monday of the period.
    weeks = _mondays(campaign, start, end)
    submitted: dict[int, set[datetime.date]] = {}
    for dept_id, week in WeeklyReport.objects.filter(
        campaign=campaign,
        department_id__in=rows,
        week_start__in=weeks,
        status=ReportStatus.SUBMITTED,
    ).values_list("department_id", "week_start"):
        submitted.setdefault(dept_id, set()).add(week)
    for pk, row in rows.items():
        done = submitted.get(pk, set())
        row["reports_expected"] = len(weeks)
        row["reports_submitted"] = len(done)
        row["reports_missing"] = [w.isoformat() for w in weeks if w not in done]

    # Problems: found or due in the period, or overdue at `as_of` (also if closed later).
    found_q = Q(inspection__isnull=False, inspection__inspected_on__range=(start, end)) | Q(
        inspection__isnull=True, created_at__gte=_day_start(start), created_at__lt=after
    )
    rectified_in_time = Q(rectified_at__isnull=False, rectified_at__date__lte=F("deadline"))
    overdue_then = overdue_q(due_by + datetime.timedelta(days=1)) | (
        Q(status=ProblemStatus.CLOSED, deadline__lte=due_by, closed_at__gte=after)
        & ~rectified_in_time
    )
    problems = (
        Problem.objects.filter(campaign=campaign, removed_at__isnull=True)
        .filter(found_q | Q(deadline__range=(start, due_by)) | overdue_then)
        .annotate(
            overdue_then=Case(
                When(overdue_then, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("department", "inspection")
        .order_by("year", "sequence")
    )
    listed: list[dict[str, Any]] = []
    for p in problems:
        dept_row = rows.get(p.department_id)
        found_on = _found_on(p)
        closed_on = _local_day(p.closed_at)
        if start <= found_on <= end:
            listed.append(
                {
                    "id": p.pk,
                    "number": p.number,
                    "description": p.description,
                    "department": p.department.name,
                    "found_on": found_on.isoformat(),
                    "deadline": p.deadline.isoformat(),
                    "status": p.status,
                    "status_label": p.get_status_display(),
                    "overdue": bool(p.overdue_then),  # type: ignore[attr-defined]
                }
            )
        if dept_row is None:
            continue
        if start <= found_on <= end:
            dept_row["problems_found"] += 1
        if start <= p.deadline <= due_by:
            dept_row["problems_due"] += 1
            rectified = _local_day(p.rectified_at)
            if (
                closed_on is not None
                and closed_on <= as_of
                and (closed_on <= p.deadline or (rectified and rectified <= p.deadline))
            ):
                dept_row["problems_closed_on_time"] += 1
        if p.overdue_then:  # type: ignore[attr-defined]
            dept_row["problems_overdue"].append(
                {
                    "number": p.number,
                    "description": p.description,
                    "deadline": p.deadline.isoformat(),
                    "days": (as_of - p.deadline).days,
                }
            )

    praise: list[str] = []
    criticism: list[dict[str, str]] = []
    for row in rows.values():
        faults = _faults(row)
        row["criticism"] = faults
        row["praise"] = (
            not faults
            and row["tasks_on_time"] == row["tasks_due"]
            and row["tasks_due"] + row["problems_due"] > 0
        )
        if row["praise"]:
            praise.append(row["name"])
        if faults:
            criticism.append({"department": row["name"], "text": faults})
    dept_rows = list(rows.values())
    due = sum(r["tasks_due"] for r in dept_rows)
    on_time = sum(r["tasks_on_time"] for r in dept_rows)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "as_of": as_of.isoformat()},
        "weeks": [w.isoformat() for w in weeks],
        "departments": dept_rows,
        "praise": praise,
        "criticism": criticism,
        "problems": listed,
        "totals": {
            "tasks_due": due,
            "tasks_on_time": on_time,
            "tasks_overdue": sum(len(r["tasks_overdue"]) for r in dept_rows),
            "reports_expected": len(weeks) * len(dept_rows),
            "reports_submitted": sum(r["reports_submitted"] for r in dept_rows),
            "problems_found": len(listed),
            "problems_closed": sum(1 for p in listed if p["status"] == ProblemStatus.CLOSED),
            "problems_overdue": sum(len(r["problems_overdue"]) for r in dept_rows),
        },
    }


def _titles(items: Iterable[dict[str, Any]], limit: int = 3) -> str:
    names = [f"“{i['title']}”" for i in items]
    more = "等" if len(names) > limit else ""
    return "、".join(names[:limit]) + more


def _faults(row: dict[str, Any]) -> str:
    """ "逾期未完成任务2项（“…”、“…”）、未报送周报1次（10月12日当周）、逾期未整改问题1个（DC-2026-003）"."""
    parts = []
    if row["tasks_overdue"]:
        parts.append(
            f"逾期未完成任务{len(row['tasks_overdue'])}项（{_titles(row['tasks_overdue'])}）"
        )
    if row["tasks_late"]:
        parts.append(f"逾期完成任务{len(row['tasks_late'])}项（{_titles(row['tasks_late'])}）")
    missing = row["reports_missing"]
    if missing and len(missing) == row["reports_expected"] and len(missing) > 1:
        parts.append(f"未报送周报{len(missing)}次（本期均未报送）")
    elif missing:
        weeks = "、".join(_md(datetime.date.fromisoformat(w)) for w in missing)
        parts.append(f"未报送周报{len(missing)}次（{weeks}当周）")
    if row["problems_overdue"]:
        numbers = "、".join(p["number"] for p in row["problems_overdue"])
        parts.append(f"逾期未整改问题{len(row['problems_overdue'])}个（{numbers}）")
    return "、".join(parts)


# --- the draft ------------------------------------------------------------------------------


def bulletin_title(campaign: Campaign, start: datetime.date, end: datetime.date) -> str:
    return (
        f"关于{period_label(start, end)}{campaign.target_kind or '文明单位'}创建工作推进情况的通报"
    )


def issuer_name(campaign: Campaign) -> str:
    return f"{campaign.unit.name}创建工作领导小组办公室"


def suggested_number(campaign: Campaign, year: int) -> str:
    unit = campaign.unit
    count = Bulletin.objects.filter(
        unit=unit, removed_at__isnull=True, created_at__gte=_day_start(datetime.date(year, 1, 1))
    ).count()
    return f"{unit.short_name or unit.name}创〔{year}〕{count + 1}号"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 1):g}%" if whole else "—"


def draft_texts(
    campaign: Campaign, facts: dict[str, Any], *, reply_by: datetime.date
) -> dict[str, str]:
    """The five text parts of a bulletin, written from the facts."""
    start = datetime.date.fromisoformat(facts["period"]["start"])
    end = datetime.date.fromisoformat(facts["period"]["end"])
    label = period_label(start, end)
    t = facts["totals"]
    goal = f"{campaign.target_kind or '文明单位'}创建"
    opening = (
        f"为推动{goal}各项工作落地落实，创建办对{label}各部门任务完成、周报报送和督查问题整改"
        "情况进行了汇总梳理。现将有关情况通报如下："
    )
    summary = (
        f"{label}，全单位到期任务{t['tasks_due']}项，按时完成{t['tasks_on_time']}项，"
        f"按时完成率{_percent(t['tasks_on_time'], t['tasks_due'])}；"
        f"应报送周报{t['reports_expected']}次，实际报送{t['reports_submitted']}次；"
        f"督查发现问题{t['problems_found']}个，已整改销号{t['problems_closed']}个，"
        f"逾期未整改问题{t['problems_overdue']}个。"
    )
    if facts["praise"]:
        names = "、".join(facts["praise"])
        praise = (
            f"{names}{'等' + str(len(facts['praise'])) + '个部门' if len(facts['praise']) > 1 else ''}"
            "高度重视创建工作，责任落实到位，到期任务全部按时完成，每周按时报送工作进展，"
            "督查发现的问题按期整改到位。对以上部门提出表扬。"
        )
    else:
        praise = "本期没有各项工作均按时完成的部门，暂不提出表扬。"
    if facts["criticism"]:
        lines = [
            f"{i}.{c['department']}：{c['text']}。" for i, c in enumerate(facts["criticism"], 1)
        ]
        criticism = "\n".join(
            ["以下部门工作推进不力，存在任务逾期、周报未按时报送或问题整改不及时等情况：", *lines]
            + ["对以上部门予以通报批评。"]
        )
    else:
        criticism = "本期各部门均按时完成到期任务、按时报送周报，未发现逾期未整改的问题。"
    if facts["problems"]:
        problems = f"{label}督查共发现问题{t['problems_found']}个，问题清单如下。"
    else:
        problems = f"{label}督查未发现新的问题。"
    requirements = "\n".join(
        [
            "（一）认真整改落实。请被通报部门认真分析原因，明确责任人和完成时限，"
            f"于{_md(reply_by)}前将整改情况书面报创建办。",
            "（二）严格落实周报制度。各部门要于每周一前报送上周工作进展，"
            "如实反映任务推进情况和存在问题，不得迟报、漏报。",
            "（三）加快问题整改。各责任部门要对照问题清单逐条整改，整改完成后及时上传整改佐证，"
            "做到整改一个、销号一个；逾期未整改的问题，创建办将跟踪督办。",
            "（四）持续对标推进。各部门要对照测评体系和任务分工，倒排工期、压实责任，"
            "确保各项任务按时保质完成。创建办将继续加强督促检查，定期通报工作进展。",
        ]
    )
    return {
        "opening": f"{opening}\n{summary}",
        "praise": praise,
        "criticism": criticism,
        "problems": problems,
        "requirements": requirements,
    }


def bulletin_draft(
    *, campaign: Campaign, user: User, start: datetime.date | None, end: datetime.date | None
) -> Bulletin:
    """Generate a draft bulletin on the period from the data."""
    errors: dict[str, str] = {}
    if start is None:
        errors["period_start"] = "请填写通报期间的开始日期。"
    if end is None:
        errors["period_end"] = "请填写通报期间的结束日期。"
    if start and end and end < start:
        errors["period_end"] = "通报期间的结束日期不能早于开始日期，请重新选择。"
    if start and start > timezone.localdate():
        errors["period_start"] = "通报期间还没有开始，请选择已经过去的期间。"
    if errors or start is None or end is None:
        raise ValidationError(errors)
    today = timezone.localdate()
    facts = bulletin_facts(campaign, start, end)
    texts = draft_texts(campaign, facts, reply_by=today + datetime.timedelta(days=REPLY_DAYS))
    with transaction.atomic():
        return Bulletin.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            number=suggested_number(campaign, today.year),
            title=bulletin_title(campaign, start, end),
            period_start=start,
            period_end=end,
            issuer=issuer_name(campaign),
            facts=facts,
            created_by=user,
            **texts,
        )


# --- writes ---------------------------------------------------------------------------------

EDITABLE = ("number", "title", "opening", "praise", "criticism", "problems", "requirements")


def _check_draft(bulletin: Bulletin) -> None:
    if bulletin.removed_at is not None:
        raise ValidationError("该通报已删除，请刷新页面。")
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(ISSUED_READ_ONLY)


def _locked_draft(bulletin: Bulletin) -> Bulletin:
    locked = Bulletin.objects.select_for_update().filter(pk=bulletin.pk).first()
    if locked is None:
        raise ValidationError("该通报已删除，请刷新页面。")
    _check_draft(locked)
    return locked


def bulletin_update(
    *,
    bulletin: Bulletin,
    user: User,
    title: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    number: str = "",
    issuer: str = "",
    opening: str = "",
    praise: str = "",
    criticism: str = "",
    problems: str = "",
    requirements: str = "",
) -> Bulletin:
    """Save the office's edits of a draft; an issued bulletin is never changed."""
    _check_draft(bulletin)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写通报标题，例如“关于2026年10月文明单位创建工作推进情况的通报”。"
    if not issuer.strip():
        errors["issuer"] = "请填写发文机关，例如“××局创建工作领导小组办公室”。"
    if period_start is None:
        errors["period_start"] = "请填写通报期间的开始日期。"
    if period_end is None:
        errors["period_end"] = "请填写通报期间的结束日期。"
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = "通报期间的结束日期不能早于开始日期，请重新选择。"
    if errors:
        raise ValidationError(errors)
    values = {
        "title": title.strip(),
        "number": number.strip(),
        "issuer": issuer.strip(),
        "period_start": period_start,
        "period_end": period_end,
        "opening": opening.strip(),
        "praise": praise.strip(),
        "criticism": criticism.strip(),
        "problems": problems.strip(),
        "requirements": requirements.strip(),
    }
    with transaction.atomic():
        locked = _locked_draft(bulletin)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*values, "updated_at"])
    bulletin.refresh_from_db()
    return bulletin


def bulletin_issue(
    *, bulletin: Bulletin, user: User, issued_on: datetime.date | None = None
) -> Bulletin:
    """印发: the bulletin gets its date and becomes read-only and visible to the unit."""
    _check_draft(bulletin)
    errors: dict[str, str] = {}
    if not bulletin.number.strip():
        errors["number"] = "请先填写文号（如“市市场监管局创〔2026〕5号”）再印发。"
    if not bulletin.title.strip():
        errors["title"] = "请先填写通报标题再印发。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_draft(bulletin)
        locked.status = BulletinStatus.ISSUED
        locked.issued_on = issued_on or timezone.localdate()
        locked.issued_by = user
        locked.issued_at = timezone.now()
        locked.save(update_fields=["status", "issued_on", "issued_by", "issued_at", "updated_at"])
    bulletin.refresh_from_db()
    return bulletin


def bulletin_remove(*, bulletin: Bulletin, user: User) -> None:
    """Take a draft out of the list (kept in the database); issued bulletins stay."""
    with transaction.atomic():
        locked = _locked_draft(bulletin)
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at", "updated_at"])


# --- the Word document ------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def bulletin_filename(bulletin: Bulletin) -> str:
    name = "".join(c for c in bulletin.title if c not in '\\/:*?"<>|').strip() or "通报"
    return f"{name}.docx"


def _border(paragraph: Paragraph, edge: str, *, size: int = 12, color: str = "E60012") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "12")
    line.set(qn("w:color"), color)
    borders.append(line)


def _masthead(doc: DocumentObject, bulletin: Bulletin) -> None:
    """发文机关标志 in red, 文号 under it, and the red separator line."""
    # A long office name keeps a large size and is narrowed to fit the 156 mm text block on
    # one line, as 红头 are set (character scaling, w:w).
    width_pt = 430
    size = 30
    scale = max(50, min(100, int(100 * width_pt / (size * max(1, len(bulletin.issuer))))))
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = head.paragraph_format
    fmt.space_before = Pt(12)
    fmt.space_after = Pt(18)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size + 12)
    run = head.add_run(bulletin.issuer)
    _set_fonts(run, TITLE_FONT, Pt(size))
    run.font.color.rgb = RED
    run.font.bold = True
    if scale < 100:
        narrow = OxmlElement("w:w")
        narrow.set(qn("w:val"), str(scale))
        run._r.get_or_add_rPr().append(narrow)

    number = _body(doc, bulletin.number or " ", indent=False)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_after = Pt(30)
    _border(number, "bottom", size=18)


def _title(doc: DocumentObject, text: str) -> None:
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = title.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = LINE_PITCH
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(36)
    _set_fonts(title.add_run(text), TITLE_FONT, SIZE_ER)


def _cell(cell: Any, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(15)
    run = paragraph.add_run(text)
    _set_fonts(run, "黑体" if bold else BODY_FONT, SIZE_WU)


def _problem_table(doc: DocumentObject, problems: list[dict[str, Any]]) -> None:
    headers = ("序号", "问题编号", "问题描述", "责任部门", "整改时限", "状态")
    widths = (Mm(10), Mm(25), Mm(59), Mm(24), Mm(22), Mm(16))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        _cell(table.rows[0].cells[i], text, bold=True, center=True)
    for n, p in enumerate(problems, 1):
        deadline = datetime.date.fromisoformat(p["deadline"])
        status = p["status_label"] + ("（逾期）" if p.get("overdue") else "")
        values = (str(n), p["number"], p["description"], p["department"], _md(deadline), status)
        cells = table.add_row().cells
        for i, text in enumerate(values):
            _cell(cells[i], text, center=i in (0, 1, 4, 5))
    # Word reads the cell widths, LibreOffice the grid: set both, and keep them fixed.
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = width
    for row in table.rows:
        keep_whole = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(keep_whole)
        for i, width in enumerate(widths):
            row.cells[i].width = width
    # Repeat the header row on each page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a 公文 (.docx bytes): red masthead, 文号, title, body, table, signature."""
    doc = Document()
    _style_document(doc)
    _masthead(doc, bulletin)
    _title(doc, bulletin.title)
    for text in paragraphs(bulletin.opening):
        _body(doc, text)
    parts = (bulletin.praise, None, bulletin.requirements)
    for index, name in enumerate(SECTIONS, start=1):
        _heading(doc, f"{_chinese_ordinal(index)}、{name}", 1)
        if index == 2:
            for text in paragraphs(bulletin.criticism):
                _body(doc, text)
            for text in paragraphs(bulletin.problems):
                _body(doc, text)
            problems = list((bulletin.facts or {}).get("problems") or [])
            if problems:
                _problem_table(doc, problems)
        else:
            for text in paragraphs(parts[index - 1] or ""):
                _body(doc, text)

    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(2):
        _body(doc, "", indent=False).paragraph_format.keep_with_next = True
    issued_on = bulletin.issued_on or timezone.localdate()
    for text in (bulletin.issuer, _cn_date(issued_on)):
        paragraph = _body(doc, text, indent=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(64)
        paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_with_next = False
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

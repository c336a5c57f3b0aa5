"""API routes for weekly reports, the office's roll-up, and the spreadsheets the screens
hand out: the 《任务分解及工作推进表》 (推进表, also read back by import), the weekly roll-up
and the monthly meeting sheet (月例会). The spreadsheets are the screens' own
(`wenming.tasks.reports.excel`), with the same access.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from wenming.campaigns import access as campaign_access
from wenming.core import xlsx
from wenming.core.api_input import (
    ErrorOut,
    FormFields,
    Input,
    Refused,
    check_uploads,
    form_list,
    limited_uploads,
    refused,
    user_of,
)
from wenming.tasks import access
from wenming.tasks.models import WeeklyReport
from wenming.tasks.reports import excel, services
from wenming.tasks.reports.imports import tasks_import

router = Router(tags=["进度报送"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class LineOut(Schema):
    task_id: int
    task_title: str
    progress: int
    note: str


class WeeklyOut(Schema):
    id: int
    campaign_id: int
    department_id: int
    department_name: str
    week_start: datetime.date
    status: str
    done_this_week: str
    problems: str
    next_week: str
    submitted_at: datetime.datetime | None
    lines: list[LineOut]


class LineIn(Schema):
    task_id: int
    progress: int = Field(description="0到100")
    note: str = ""


class WeeklyIn(Input):
    """A department's week: JSON, or a form whose task lines are parallel `task_id` /
    `progress` / `note` fields."""

    campaign: int
    department: int
    week: datetime.date = Field(description="该周的任意一天，按所在周的周一保存")
    done_this_week: str = ""
    problems: str = ""
    next_week: str = ""
    lines: list[LineIn] = []
    submit: bool = Field(False, description="true 报送；false 保存草稿")

    @classmethod
    def form_values(cls, data: Any) -> Any:
        if isinstance(data, FormFields) and "lines" not in data and "task_id" in data:
            tasks = form_list(data["task_id"])
            progress = form_list(data.get("progress", []))
            notes = form_list(data.get("note", []))
            lines = [
                {
                    "task_id": task,
                    "progress": progress[i] if i < len(progress) else "",
                    "note": notes[i] if i < len(notes) else "",
                }
                for i, task in enumerate(tasks)
            ]
            parallel = ("task_id", "progress", "note")
            data = FormFields({k: v for k, v in data.items() if k not in parallel}, lines=lines)
        return super().form_values(data)


class RollupRowOut(Schema):
    department_id: int | None
    department_name: str
    led: int
    due_this_week: int
    done_this_week: int
    overdue: int
    submitted: bool
    submitted_at: datetime.datetime | None


class RollupOut(Schema):
    campaign_id: int
    week_start: datetime.date
    rows: list[RollupRowOut]
    total: RollupRowOut
    missing: list[str]


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


def _weekly_out(report: WeeklyReport) -> WeeklyOut:
    return WeeklyOut(
        id=report.pk,
        campaign_id=report.campaign_id,
        department_id=report.department_id,
        department_name=report.department.name,
        week_start=report.week_start,
        status=report.status,
        done_this_week=report.done_this_week,
        problems=report.problems,
        next_week=report.next_week,
        submitted_at=report.submitted_at,
        lines=[
            LineOut(
                task_id=li.task_id, task_title=li.task.title, progress=li.progress, note=li.note
            )
            for li in report.lines.all()
        ],
    )


@router.get("/weekly", response=list[WeeklyOut], summary="某周各部门周报")
def reports_weekly(
    request: HttpRequest, campaign: int, week: datetime.date | None = None
) -> list[WeeklyOut]:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    week_start = services.week_monday(week) if week else services.current_week()
    reports = (
        WeeklyReport.objects.filter(campaign=found, week_start=week_start)
        .select_related("department")
        .prefetch_related("lines__task")
        .order_by("department__sort_order", "department__name")
    )
    return [_weekly_out(r) for r in reports]


@router.post("/weekly", response={200: WeeklyOut, **ERRORS}, summary="填写或报送部门周报")
def reports_weekly_save(request: HttpRequest, payload: WeeklyIn) -> WeeklyOut:
    campaign = campaign_access.get_campaign_for_user(request.user, payload.campaign)
    department = access.get_report_department_for_user(
        request.user, campaign, payload.department, write=True
    )
    service = services.report_submit if payload.submit else services.report_save_draft
    report = service(
        campaign=campaign,
        department=department,
        week_start=payload.week,
        data=services.ReportInput(
            done_this_week=payload.done_this_week,
            problems=payload.problems,
            next_week=payload.next_week,
            lines=[services.LineInput(li.task_id, li.progress, li.note) for li in payload.lines],
        ),
        user=user_of(request),
    )
    return _weekly_out(_report(report.pk))


def _report(pk: int) -> WeeklyReport:
    return (
        WeeklyReport.objects.select_related("department").prefetch_related("lines__task").get(pk=pk)
    )


@router.post(
    "/weekly/{int:report_id}/reopen",
    response={200: WeeklyOut, **ERRORS},
    summary="退回已报送的周报，由部门修改后重新报送（创建办）",
)
def reports_weekly_reopen(request: HttpRequest, report_id: int) -> WeeklyOut:
    report = get_object_or_404(WeeklyReport, pk=report_id)
    campaign_access.get_campaign_for_user(request.user, report.campaign_id, write=True)
    services.report_reopen(report=report, user=user_of(request))
    return _weekly_out(_report(report.pk))


def _row_out(row: services.RollupRow) -> RollupRowOut:
    report = row.report
    return RollupRowOut(
        department_id=row.department.pk,
        department_name=row.department.name,
        led=row.led,
        due_this_week=row.due_this_week,
        done_this_week=row.done_this_week,
        overdue=row.overdue,
        submitted=row.submitted,
        submitted_at=report.submitted_at if report and row.submitted else None,
    )


@router.get("/rollup", response=RollupOut, summary="每周汇总")
def reports_rollup(
    request: HttpRequest, campaign: int, week: datetime.date | None = None
) -> RollupOut:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    week_start = services.week_monday(week) if week else services.current_week()
    data = services.rollup_build(campaign=found, week_start=week_start)
    return RollupOut(
        campaign_id=found.pk,
        week_start=week_start,
        rows=[_row_out(r) for r in data.rows],
        total=_row_out(data.total),
        missing=[r.department.name for r in data.missing],
    )


# --- spreadsheets --------------------------------------------------------------------------


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@router.get("/tasks.xlsx", summary="下载《任务分解及工作推进表》（.xlsx）")
def reports_tasks_xlsx(request: HttpRequest, campaign: int) -> HttpResponse:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    return _xlsx(excel.tasks_export(found), f"{excel.unit_title(found)}.xlsx")


@router.get("/rollup.xlsx", summary="下载每周汇总（.xlsx）")
def reports_rollup_xlsx(
    request: HttpRequest, campaign: int, week: datetime.date | None = None
) -> HttpResponse:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    week_start = services.week_monday(week) if week else services.current_week()
    data = services.rollup_build(campaign=found, week_start=week_start)
    return _xlsx(excel.rollup_export(data), f"每周汇总_{week_start:%Y-%m-%d}.xlsx")


@router.get("/monthly.xlsx", summary="下载月例会材料（.xlsx；month 写作 2026-03，默认本月）")
def reports_monthly_xlsx(
    request: HttpRequest,
    campaign: int,
    month: str = Query("", pattern=r"^(\d{4}-\d{1,2})?$"),
) -> HttpResponse:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    first = services.parse_month(month or None)
    data = services.monthly_build(campaign=found, month=first)
    return _xlsx(excel.monthly_export(data), f"月例会材料_{first:%Y-%m}.xlsx")


@router.post(
    "/tasks/import",
    response={200: ImportOut, **ERRORS, 413: ErrorOut},
    summary="导入填好的推进表（multipart：file）：新建或更新任务",
)
@decorate_view(limited_uploads)
def reports_tasks_import(request: HttpRequest, campaign: int, file: File[UploadedFile]) -> Any:
    check_uploads(request, "file")
    found = campaign_access.get_campaign_for_user(request.user, campaign, write=True)
    content = file.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    if len(content) > settings.WENMING_IMPORT_MAX_BYTES:
        raise refused("file", "文件太大，请拆分后分批导入。", status=413)
    result = tasks_import(campaign=found, content=content, user=user_of(request))
    if not result.ok:
        problems = [_problem(p) for p in result.problems]
        raise Refused(
            f"推进表有{len(problems)}处问题，没有导入任何内容：{problems[0]}", {"file": problems}
        )
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def _problem(problem: excel.ReadProblem) -> str:
    where = []
    if problem.row is not None:
        where.append(f"第{problem.row}行")
    if problem.column:
        where.append(f"“{problem.column}”列")
    return f"{'，'.join(where)}：{problem.message}" if where else problem.message

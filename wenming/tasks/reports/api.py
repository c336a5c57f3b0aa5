"""API routes for weekly reports and the office's roll-up."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ValidationError as PydanticValidationError

from wenming.campaigns import access as campaign_access
from wenming.tasks import access
from wenming.tasks.models import WeeklyReport
from wenming.tasks.reports import services

router = Router(tags=["进度报送"])


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
    progress: int
    note: str = ""


class WeeklyIn(Schema):
    campaign: int
    department: int
    week: datetime.date
    done_this_week: str = ""
    problems: str = ""
    next_week: str = ""
    lines: list[LineIn] = []
    submit: bool = False


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


WEEKLY_IN_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": WeeklyIn.model_json_schema()},
        },
        "description": "JSON；也接受表单提交（任务行写作并列的 task_id、progress、note 字段）。",
        "required": True,
    }
}


def _weekly_in(request: HttpRequest) -> WeeklyIn:
    """The payload as JSON, or as a form with parallel task_id / progress / note lists."""
    try:
        if (request.content_type or "").endswith("json"):
            return WeeklyIn.model_validate_json(request.body)
        form = request.POST
        return WeeklyIn(
            campaign=form.get("campaign", ""),  # type: ignore[arg-type]
            department=form.get("department", ""),  # type: ignore[arg-type]
            week=form.get("week", ""),  # type: ignore[arg-type]
            done_this_week=form.get("done_this_week", ""),
            problems=form.get("problems", ""),
            next_week=form.get("next_week", ""),
            submit=form.get("submit", "") in ("1", "true", "on"),
            lines=[
                LineIn(task_id=t, progress=p, note=n)  # type: ignore[arg-type]
                for t, p, n in zip(
                    form.getlist("task_id"),
                    form.getlist("progress"),
                    form.getlist("note") or [""] * len(form.getlist("task_id")),
                    strict=False,
                )
            ],
        )
    except PydanticValidationError as exc:
        fields = "、".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise HttpError(
            422,
            f"提交的内容格式不对（{fields}）：campaign、department 应为编号，week 应为 2026-03-02 格式的日期，progress 应为0到100的整数。",
        ) from exc


@router.post(
    "/weekly", response=WeeklyOut, summary="填写或报送部门周报", openapi_extra=WEEKLY_IN_DOC
)
def reports_weekly_save(request: HttpRequest) -> WeeklyOut:
    payload = _weekly_in(request)
    campaign = campaign_access.get_campaign_for_user(request.user, payload.campaign)
    department = access.get_report_department_for_user(
        request.user, campaign, payload.department, write=True
    )
    service = services.report_submit if payload.submit else services.report_save_draft
    try:
        report = service(
            campaign=campaign,
            department=department,
            week_start=payload.week,
            data=services.ReportInput(
                done_this_week=payload.done_this_week,
                problems=payload.problems,
                next_week=payload.next_week,
                lines=[
                    services.LineInput(li.task_id, li.progress, li.note) for li in payload.lines
                ],
            ),
            user=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from exc
    report = (
        WeeklyReport.objects.select_related("department")
        .prefetch_related("lines__task")
        .get(pk=report.pk)
    )
    return _weekly_out(report)


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

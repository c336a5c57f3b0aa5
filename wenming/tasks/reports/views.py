"""Screens of progress reporting: the weekly report, the roll-up, the monthly sheet, the table."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core import registry, xlsx
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.tasks import access
from wenming.tasks.models import ReportStatus, WeeklyReport
from wenming.tasks.reports import excel, services
from wenming.tasks.reports.forms import TasksImportForm, WeeklyReportForm
from wenming.tasks.reports.imports import tasks_import

# The monthly page lists at most this many tasks per table; the Excel sheet has them all.
PAGE_ROWS = 100


def _crumbs(campaign: Campaign, *extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (campaign.title, None),
        ("每周汇总", reverse("reports:rollup", args=[campaign.pk])),
        *extra,
    ]


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _week_url(campaign: Campaign, department: Organization, week: datetime.date) -> str:
    return reverse("reports:week", args=[campaign.pk, department.pk, week.isoformat()])


@login_required
def my_week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The weekly report of the user's department; the office goes to its roll-up."""
    campaigns = list(campaign_access.visible_campaigns(request.user).filter(is_active=True))
    for department in access.reporting_departments(request.user).order_by("path"):
        for campaign in campaigns:
            if department.path.startswith(campaign.unit.path):
                return redirect(_week_url(campaign, department, services.current_week()))
    if campaigns:
        return redirect("reports:rollup", pk=campaigns[0].pk)
    return render(request, "reports/none.html", {"crumbs": [("本周周报", None)]})


def _parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("日期格式不对，应为 2026-03-02 这样的格式。") from None


@login_required
def week(request: AuthenticatedHttpRequest, pk: int, dept_pk: int, day: str) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    department = access.get_report_department_for_user(request.user, campaign, dept_pk)
    week_start = _parse_day(day)
    if week_start.weekday() != 0:
        return redirect(_week_url(campaign, department, services.week_monday(week_start)))
    this_week = services.current_week()
    if week_start > this_week:
        messages.warning(request, "这一周还没有到，不能提前填报；已为您打开本周的周报。")
        return redirect(_week_url(campaign, department, this_week))
    report = (
        WeeklyReport.objects.filter(campaign=campaign, department=department, week_start=week_start)
        .select_related("submitted_by", "reopened_by")
        .prefetch_related("lines__task")
        .first()
    )
    can_write = access.can_report_for_department(request.user, department)
    submitted = report is not None and report.status == ReportStatus.SUBMITTED
    form = None
    if can_write and not submitted:
        tasks = list(services.department_open_tasks(campaign=campaign, department=department))
        form = WeeklyReportForm(request.POST or None, tasks=tasks, report=report)
        if request.method == "POST":
            saved = _save(request, campaign, department, week_start, form)
            if saved is not None:
                return saved
    elif request.method == "POST":
        if not can_write:
            access.get_report_department_for_user(request.user, campaign, dept_pk, write=True)
        messages.error(request, "这份周报已经报送，不能再修改；如需更正，请联系创建办退回。")
        return redirect(_week_url(campaign, department, week_start))
    return render(
        request,
        "reports/week.html",
        {
            "campaign": campaign,
            "department": department,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=6),
            "prev_week": week_start - services.ONE_WEEK,
            "next_week": week_start + services.ONE_WEEK if week_start < this_week else None,
            "report": report,
            "submitted": submitted,
            "form": form,
            "can_write": can_write,
            "can_manage": campaign_access.can_manage_campaign(request.user, campaign),
            "crumbs": _crumbs(campaign, (f"{department.name}周报", None)),
        },
        status=422 if form is not None and form.errors else 200,
    )


def _save(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    department: Organization,
    week_start: datetime.date,
    form: WeeklyReportForm,
) -> HttpResponse | None:
    """Save or submit; a redirect when done, None when the form shows errors."""
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        service = services.report_submit if submit else services.report_save_draft
        try:
            service(
                campaign=campaign,
                department=department,
                week_start=week_start,
                data=form.to_input(),
                user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            later = WeeklyReport.objects.filter(
                campaign=campaign,
                department=department,
                week_start__gt=week_start,
                status=ReportStatus.SUBMITTED,
            ).exists()
            if submit and later:
                messages.success(
                    request,
                    "周报已报送。之后的周报已经报送过，任务进度以较新的周报为准，未作改动。",
                )
            elif submit:
                messages.success(request, "周报已报送，各任务的进度已同步更新。")
            else:
                messages.success(request, "已保存草稿，报送前可以继续修改。")
            return redirect(_week_url(campaign, department, week_start))
    return None


@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, report_pk: int) -> HttpResponse:
    report = get_object_or_404(WeeklyReport.objects.select_related("department"), pk=report_pk)
    campaign = campaign_access.get_campaign_for_user(request.user, report.campaign_id, write=True)
    try:
        services.report_reopen(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"已退回{report.department.name}的周报，该部门可以修改后重新报送。"
        )
    return redirect(_week_url(campaign, report.department, report.week_start))


@login_required
def rollup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    week_start = services.parse_week(request.GET.get("week"))
    data = services.rollup_build(campaign=campaign, week_start=week_start)
    this_week = services.current_week()
    return render(
        request,
        "reports/rollup.html",
        {
            "campaign": campaign,
            "rollup": data,
            "prev_week": week_start - services.ONE_WEEK,
            "next_week": week_start + services.ONE_WEEK if week_start < this_week else None,
            "remind_text": "\n".join(
                f"{r.department.name}："
                + (
                    "、".join(f"{h.name} {h.phone}".strip() for h in r.heads)
                    or "（未设部门负责人）"
                )
                for r in data.missing
            ),
            "remind_emails": ",".join(h.email for r in data.missing for h in r.heads if h.email),
            "crumbs": _crumbs(campaign)[:-1] + [("每周汇总", None)],
            # Shown when oversight is installed: it registers the count (core.registry).
            "overdue_problems": sum(
                count(request.user, campaign)
                for count in registry.extensions("reports.rollup.overdue_problems")
            ),
        },
    )


@login_required
def rollup_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    week_start = services.parse_week(request.GET.get("week"))
    data = services.rollup_build(campaign=campaign, week_start=week_start)
    return _download(excel.rollup_export(data), f"每周汇总_{week_start:%Y-%m-%d}.xlsx")


@login_required
def monthly(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    month = services.parse_month(request.GET.get("month"))
    data = services.monthly_build(campaign=campaign, month=month, limit=PAGE_ROWS)
    this_month = services.parse_month(None)
    return render(
        request,
        "reports/monthly.html",
        {
            "campaign": campaign,
            "monthly": data,
            "page_rows": PAGE_ROWS,
            "prev_month": services.add_months(month, -1),
            "next_month": services.add_months(month, 1) if month < this_month else None,
            "crumbs": _crumbs(campaign, ("月例会材料", None)),
        },
    )


@login_required
def monthly_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    month = services.parse_month(request.GET.get("month"))
    data = services.monthly_build(campaign=campaign, month=month)
    return _download(excel.monthly_export(data), f"月例会材料_{month:%Y-%m}.xlsx")


@login_required
def tasks_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    return _download(excel.tasks_export(campaign), f"{excel.unit_title(campaign)}.xlsx")


@login_required
def tasks_import_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk, write=True)
    form = TasksImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
        if len(content) > settings.WENMING_IMPORT_MAX_BYTES:
            form.add_error("file", "文件太大，请拆分后分批导入。")
        else:
            result = tasks_import(campaign=campaign, content=content, user=request.user)
            if result.ok:
                messages.success(
                    request,
                    f"导入成功：新建{result.created}项任务，更新{result.updated}项，"
                    f"{result.unchanged}项没有变化。",
                )
                return redirect("reports:tasks_import", pk=campaign.pk)
    return render(
        request,
        "reports/tasks_import.html",
        {
            "campaign": campaign,
            "form": form,
            "result": result,
            "crumbs": _crumbs(campaign, ("导入推进表", None)),
        },
        status=422 if result is not None else 200,
    )

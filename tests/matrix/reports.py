"""Routes of progress reporting: weekly reports, roll-up, monthly sheet, the task table."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.matrix.base import Route, expect, no_args, unit_read, unit_work

# Who writes the food department's weekly report: its people and the unit's 创建办.
WRITERS = ["staff", "dept_head", "coordinator"]


def _week(t: dict[str, Any]) -> list[Any]:
    return [t["report_campaign"].pk, t["food"].pk, t["report_week"].isoformat()]


ROUTES: dict[str, Route] = {
    # Department people land on their week; unit-wide people and the office on the roll-up;
    # someone with no campaign in sight gets a page saying so.
    "reports:my_week": Route("GET", no_args, expect(302, outsider_admin=200)),
    "reports:week": Route("GET", _week, unit_read()),
    "reports:reopen": Route("POST", lambda t: [t["submitted_report"].pk], unit_work(302)),
    "reports:rollup": Route("GET", lambda t: [t["report_campaign"].pk], unit_read()),
    "reports:rollup_xlsx": Route("GET", lambda t: [t["report_campaign"].pk], unit_read()),
    "reports:monthly": Route("GET", lambda t: [t["report_campaign"].pk], unit_read()),
    "reports:monthly_xlsx": Route("GET", lambda t: [t["report_campaign"].pk], unit_read()),
    "reports:tasks_xlsx": Route("GET", lambda t: [t["report_campaign"].pk], unit_read()),
    "reports:tasks_import": Route("GET", lambda t: [t["report_campaign"].pk], unit_work(200)),
    "api:reports_weekly": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={report_campaign}"
    ),
    "api:reports_weekly_save": Route(
        "POST",
        no_args,
        expect(403, anonymous=401, outsider_admin=404, **dict.fromkeys(WRITERS, 200)),
        data=lambda t: {
            "campaign": t["report_campaign"].pk,
            "department": t["food"].pk,
            "week": t["report_week"].isoformat(),
            "task_id": t["report_task"].pk,
            "progress": 40,
            "note": "已完成方案初稿",
            "submit": "1",
        },
    ),
    "api:reports_rollup": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={report_campaign}"
    ),
    "api:reports_weekly_reopen": Route(
        "POST", lambda t: [t["submitted_report"].pk], unit_work(200, anonymous=401)
    ),
    "api:reports_tasks_xlsx": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={report_campaign}"
    ),
    "api:reports_rollup_xlsx": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={report_campaign}"
    ),
    "api:reports_monthly_xlsx": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={report_campaign}"
    ),
    # The campaign's own 推进表 read back: nothing to change, nothing refused.
    "api:reports_tasks_import": Route(
        "POST",
        no_args,
        unit_work(200, anonymous=401),
        data=lambda t: {"file": _tasks_sheet(t["report_campaign"])},
        query="?campaign={report_campaign}",
    ),
}


def _tasks_sheet(campaign: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wenming.tasks.reports.excel import tasks_export

    return SimpleUploadedFile("推进表.xlsx", tasks_export(campaign))


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Framework
    from wenming.tasks.models import ReportStatus, Task, WeeklyReport

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            unit=base["unit"],
            title="2026—2028年创建省级文明单位",
            target_level="province",
            framework=Framework.objects.get(owner=base["office"], lineage="SAMPLE-WMDW"),
            cycle_start=datetime.date(2020, 1, 1),
            cycle_end=datetime.date(2040, 12, 31),
        )
    task = Task.objects.create(
        campaign=campaign, title="开展道德讲堂活动", lead_department=base["food"]
    )
    today = timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    submitted = WeeklyReport.objects.create(
        campaign=campaign,
        department=base["registry"],
        week_start=week,
        status=ReportStatus.SUBMITTED,
        submitted_by=User.objects.get(username="keshi2"),
        submitted_at=timezone.now(),
    )
    return {
        "report_campaign": campaign,
        "report_task": task,
        "report_week": week,
        "submitted_report": submitted,
    }

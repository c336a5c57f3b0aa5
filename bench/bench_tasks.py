"""Benchmark: progress reporting pages and the 推进表 export over 5,000 tasks.

Run with `.venv/bin/python bench/bench_tasks.py`. It uses its own temporary SQLite database
and data directory. It builds a campaign with 20 departments, 5,000 tasks with standards
and a few weeks of weekly reports, then times ~20 requests per page through the Django test
client. Targets: p95 < 100 ms per page, 推进表 export < 3 s. Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import shutil
import statistics
import sys
import time
from collections.abc import Callable

from benchenv import page_passes, prepare, timed

PAGE_P95_MS = 100.0
EXPORT_SECONDS = 3.0
TASKS = 5000
DEPARTMENTS = 20

DATA_DIR = prepare("wenming-bench-tasks-")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wenming.campaigns.models import Campaign  # noqa: E402
from wenming.frameworks.models import Framework, Node  # noqa: E402
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Membership, Organization, OrgKind, Role  # noqa: E402
from wenming.tasks.models import (  # noqa: E402
    ReportStatus,
    Task,
    TaskStatus,
    WeeklyReport,
    WeeklyReportLine,
)


def build() -> tuple[Campaign, Organization]:
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    office = Organization.objects.get(code="LZ-WMB")
    framework = Framework.objects.get(owner=office, lineage="SAMPLE-WMDW")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        unit=unit,
        title="基准测试创建工作",
        target_level="province",
        framework=framework,
        cycle_start=today - datetime.timedelta(days=400),
        cycle_end=today + datetime.timedelta(days=700),
    )
    departments = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent=unit))
    for i in range(len(departments), DEPARTMENTS):
        departments.append(
            Organization.objects.create(
                kind=OrgKind.DEPARTMENT, parent=unit, name=f"基准部门{i + 1}", sort_order=100 + i
            )
        )
    for i, d in enumerate(departments):
        if not Membership.objects.filter(organization=d, role=Role.DEPT_HEAD).exists():
            head = User.objects.create_user(f"bench_head_{i}", first_name=f"科长{i}")
            Membership.objects.create(
                user=head, organization=d, role=Role.DEPT_HEAD, phone=f"1380000{i:04d}"
            )
    standards = list(Node.objects.filter(framework=framework, is_leaf=True))
    users = list(User.objects.all())
    tasks = Task.objects.bulk_create(
        [
            Task(
                campaign=campaign,
                title=f"工作任务{i:05d}：落实测评标准要求",
                lead_department=departments[i % len(departments)],
                responsible=users[i % len(users)],
                deadline=today + datetime.timedelta(days=(i % 500) - 150),
                status=TaskStatus.DONE if i % 5 == 0 else TaskStatus.IN_PROGRESS,
                progress=100 if i % 5 == 0 else (i * 7) % 100,
                progress_note="按计划推进，已完成阶段性工作",
                completed_at=timezone.now() if i % 5 == 0 else None,
            )
            for i in range(TASKS)
        ],
        batch_size=500,
    )
    through = Task.standards.through
    through.objects.bulk_create(
        [
            through(task_id=t.pk, node_id=standards[(i * 13) % len(standards)].pk)
            for i, t in enumerate(tasks)
            if i % 20
        ],
        batch_size=1000,
    )
    co = Task.co_departments.through
    co.objects.bulk_create(
        [
            co(task_id=t.pk, organization_id=departments[(i + 3) % len(departments)].pk)
            for i, t in enumerate(tasks)
        ],
        batch_size=1000,
    )
    monday = today - datetime.timedelta(days=today.weekday())
    by_dept: dict[int, list[Task]] = {}
    for t in tasks:
        by_dept.setdefault(t.lead_department_id or 0, []).append(t)
    for weeks_back in range(1, 9):
        for i, d in enumerate(departments):
            if (i + weeks_back) % 4 == 0:
                continue  # some departments miss some weeks
            report = WeeklyReport.objects.create(
                campaign=campaign,
                department=d,
                week_start=monday - datetime.timedelta(days=7 * weeks_back),
                status=ReportStatus.SUBMITTED,
                submitted_at=timezone.now(),
                done_this_week="本周按计划推进",
            )
            WeeklyReportLine.objects.bulk_create(
                [WeeklyReportLine(report=report, task=t, progress=50) for t in by_dept[d.pk]],
                batch_size=500,
            )
    food = Organization.objects.get(name="食品安全监管科")
    return campaign, food


def main() -> int:
    started = time.perf_counter()
    campaign, food = build()
    # A live database has planner statistics (autovacuum keeps them); a freshly loaded one
    # does not, and PostgreSQL would plan every join for one row.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"数据准备：{TASKS} 项任务、{DEPARTMENTS} 个部门，用时 {time.perf_counter() - started:.1f} 秒"
    )
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="cjb"))
    dept_head = Client()
    dept_head.force_login(User.objects.get(username="keshi"))
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    pages: list[tuple[str, Client, Callable[[], str]]] = [
        ("每周汇总 rollup", coordinator, lambda: reverse("reports:rollup", args=[campaign.pk])),
        ("月例会 monthly", coordinator, lambda: reverse("reports:monthly", args=[campaign.pk])),
        (
            "周报表单 week",
            dept_head,
            lambda: reverse("reports:week", args=[campaign.pk, food.pk, monday.isoformat()]),
        ),
        ("任务总表 tasks:table", coordinator, lambda: reverse("tasks:table", args=[campaign.pk])),
    ]
    failed = False
    for label, client, url_of in pages:
        try:
            url = url_of()
        except NoReverseMatch:
            print(f"{label}: 跳过（URL 名称 tasks:table 尚不存在）")
            continue
        failed |= not page_passes(label, client, url, PAGE_P95_MS)
    export_times = timed(coordinator, reverse("reports:tasks_xlsx", args=[campaign.pk]), runs=3)
    export_med = statistics.median(export_times) / 1000
    ok = export_med < EXPORT_SECONDS
    failed |= not ok
    print(
        f"推进表导出 {TASKS} 项: 中位数 {export_med:.2f} 秒（目标 < {EXPORT_SECONDS:.0f} 秒）"
        f" {'PASS' if ok else 'FAIL'}"
    )
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

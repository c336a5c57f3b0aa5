"""Benchmark: the civilization office's supervision of a city at full size (R12, part 5).

Run with `.venv/bin/python bench/bench_supervision.py` (own temporary SQLite database and data
directory; BENCH_DATABASE_URL=postgres://…/NAME measures on PostgreSQL). On the registry of
`bench_registry.py` (3,000 units), it records 600 inspections with 1,200 dispatched problems
in every state, a month's 信息报送 that 2,000 units answered, and a published 季度重点工作
that 1,500 acknowledged, then times ~20 requests of the office admin's home page, the hub,
the problem list (all and 逾期未整改), a month's table, a priority's table and a bulletin
draft's live ranking of every unit. Targets: p95 < 100 ms for the home page, the hub and the
problem lists; the tables of every unit (3,000 rows on one page) are reported against 500 ms;
the home page, the hub and the three tables issue as many queries with 300 units in play as
with 3,000. Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import random
import shutil
import sys
import time

import bench_registry as registry  # prepares the environment and sets Django up
from benchenv import page_passes

DATA_DIR = registry.DATA_DIR

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Organization  # noqa: E402
from wenming.supervision import bulletins, directives  # noqa: E402
from wenming.supervision.models import (  # noqa: E402
    CityInspection,
    CityProblem,
    CityProblemStatus,
    InfoSubmission,
    InspectionKind,
    PriorityAck,
)

PAGE_P95_MS = 100.0
TABLE_P95_MS = 500.0
FIRST = 300  # units in play when query counts are first taken
INSPECTIONS = 600
SUBMITTED = 2000
ACKNOWLEDGED = 1500
DAY = datetime.timedelta(days=1)


def add_problems(
    office: Organization, units: list[Organization], admin: User, rng: random.Random
) -> None:
    """Inspections of the first units with two problems each, in every state."""
    today = timezone.localdate()
    inspections = CityInspection.objects.bulk_create(
        [
            CityInspection(
                office=office,
                unit=unit,
                kind=rng.choice(InspectionKind.values),
                inspected_on=today - rng.randint(1, 90) * DAY,
                inspectors="督查组",
                recorded_by=admin,
            )
            for unit in units
        ],
        batch_size=1000,
    )
    start = CityProblem.objects.filter(office=office, year=today.year).count()
    problems = []
    for n, inspection in enumerate(inspections):
        for k in range(2):
            status = rng.choice(CityProblemStatus.values)
            closed = status == CityProblemStatus.CLOSED
            problems.append(
                CityProblem(
                    inspection=inspection,
                    office=office,
                    unit_id=inspection.unit_id,
                    year=today.year,
                    sequence=start + 2 * n + k + 1,
                    description="基准问题",
                    deadline=inspection.inspected_on + rng.randint(5, 60) * DAY,
                    status=status,
                    rectified_at=timezone.now() if status in ("awaiting", "closed") else None,
                    closed_at=timezone.now() if closed else None,
                    created_by=admin,
                )
            )
    CityProblem.objects.bulk_create(problems, batch_size=2000)


def main() -> int:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    rng = random.Random(2026)
    office = Organization.objects.get(code="LZ-WMB")
    admin = User.objects.get(username="wmb_admin")
    today = timezone.localdate()
    client = Client()
    client.force_login(admin)
    registry.add_units(office, 1, FIRST, admin, rng)
    month = directives.info_round_open(
        office=office, user=admin, year=today.year, month=today.month, due_on=today - DAY
    )
    priority = directives.priority_create(
        office=office,
        user=admin,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        title="基准重点工作",
        body="基准",
        acknowledge_by=today + 5 * DAY,
    )
    directives.priority_publish(priority=priority, user=admin)
    draft = bulletins.bulletin_create(
        office=office,
        user=admin,
        title="基准通报",
        period_start=today - 90 * DAY,
        period_end=today,
    )
    counted = [
        ("文明办工作台", reverse("home")),
        ("督查与报送", reverse("supervision:index")),
        ("月度报送情况表", reverse("supervision:info_round", args=[month.pk])),
        ("重点工作签收表", reverse("supervision:priority", args=[priority.pk])),
        ("通报草稿排名", reverse("supervision:bulletin", args=[draft.pk])),
    ]
    small = {label: registry.query_count(client, url) for label, url in counted}
    registry.add_units(office, FIRST + 1, registry.UNITS - FIRST, admin, rng)
    units = list(directives.access.office_units(office))
    add_problems(office, rng.sample(units, INSPECTIONS), admin, rng)
    InfoSubmission.objects.bulk_create(
        [
            InfoSubmission(
                round=month, unit=unit, title="月度信息", content="内容", submitted_by=admin
            )
            for unit in rng.sample(units, SUBMITTED)
        ],
        batch_size=2000,
    )
    PriorityAck.objects.bulk_create(
        [
            PriorityAck(priority=priority, unit=unit, acknowledged_by=admin)
            for unit in rng.sample(units, ACKNOWLEDGED)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"数据准备（{connection.vendor}）：{len(units)}个名录单位，督查{INSPECTIONS}次、交办问题"
        f"{CityProblem.objects.count()}个，月度报送{SUBMITTED}份，重点工作签收{ACKNOWLEDGED}份，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    failed = False
    for label, url in counted:
        large = registry.query_count(client, url)
        ok = large == small[label]
        failed |= not ok
        print(
            f"{label}查询次数：{FIRST}个单位 {small[label]} 次，{len(units)}个单位 {large} 次"
            f"（目标：相同） {'PASS' if ok else 'FAIL'}"
        )
    pages = [
        ("文明办工作台 home（含督查与报送待办）", reverse("home"), PAGE_P95_MS),
        ("督查与报送 supervision:index", reverse("supervision:index"), PAGE_P95_MS),
        ("交办问题 supervision:problems", reverse("supervision:problems"), PAGE_P95_MS),
        (
            "逾期未整改 supervision:problems?status=overdue",
            reverse("supervision:problems") + "?status=overdue",
            PAGE_P95_MS,
        ),
        (f"月度报送情况表（{len(units)}个单位）", counted[2][1], TABLE_P95_MS),
        (f"重点工作签收表（{len(units)}个单位）", counted[3][1], TABLE_P95_MS),
        (f"通报草稿实时排名（{len(units)}个单位）", counted[4][1], TABLE_P95_MS),
    ]
    for label, url, target in pages:
        failed |= not page_passes(label, client, url, target)
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

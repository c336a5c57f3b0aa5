"""Benchmark: the civilization office's yearly cycle at full size (申报 and 复查, R12).

Run with `.venv/bin/python bench/bench_applications.py` (own temporary SQLite database and
data directory; BENCH_DATABASE_URL=postgres://…/NAME measures on PostgreSQL). On the registry
of `bench_registry.py` (3,000 units, ten years of history) it opens a batch with 300
applications spread over every step and this year's 复查 of every held 市级 honour, then
times ~20 requests of the office admin's home page, the registry list, the batch list, one
batch's page with its 300 applications, the 复查 list and the 复查 page. It also freezes a
submission of 3,000 ledger items with a file each (the snapshot refers to the stored files;
nothing is copied). Targets: p95 < 100 ms per page; the batch page, the 复查 page and the home
page issue as many queries with 30 applications as with 300; freezing < 10 s. Exits 1 when a
target is missed.
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

from tests.factories import make_campaign  # noqa: E402
from wenming.applications import services as application_services  # noqa: E402
from wenming.applications.models import Application, ApplicationStatus, Batch  # noqa: E402
from wenming.frameworks.models import Node  # noqa: E402
from wenming.ledger.models import EvidenceFile, EvidenceItem  # noqa: E402
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Organization, OrgKind  # noqa: E402
from wenming.rechecks import services as recheck_services  # noqa: E402
from wenming.rechecks.models import RecheckReport, ReportStatus  # noqa: E402
from wenming.registry.models import Level, RegistryEntry  # noqa: E402

PAGE_P95_MS = 100.0
APPLICATIONS = 300
FIRST = 30  # query counts are compared at this size and at APPLICATIONS
FREEZE_ITEMS = 3000
FREEZE_SECONDS = 10.0
STEPS = [s for s in ApplicationStatus.values if s != ApplicationStatus.NAMED]


def open_batch(office: Organization, admin: User, today: datetime.date) -> Batch:
    return application_services.batch_create(
        office=office,
        user=admin,
        rules=[{"kind": "min_staff", "number": 10}, {"kind": "no_veto", "years": 2}],
        year=today.year,
        title=f"{today.year}年度市级文明单位申报（基准）",
        honour_title="市级文明单位",
        level=Level.CITY,
        term_years=3,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
        quota=100,
    )


def add_applications(batch: Batch, entries: list[RegistryEntry], admin: User) -> None:
    """Applications over every step but 命名, written directly (the services are not timed)."""
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                batch=batch,
                entry=entry,
                unit_id=entry.unit_id,
                status=STEPS[n % len(STEPS)],
                principal_name="负责人",
                contact_name="联系人",
                contact_phone="0571-88001234",
                staff_count=entry.staff_count or 100,
                summary="创建工作总结" * 100,
                eligibility=[{"kind": "min_staff", "label": "职工人数", "ok": True, "reason": ""}],
                created_by=admin,
                submitted_at=now,
            )
            for n, entry in enumerate(entries)
        ],
        batch_size=500,
    )


def freeze_timing(office: Organization, batch: Batch, admin: User) -> tuple[bool, float]:
    """Freeze a submission of FREEZE_ITEMS items, one file each, of a unit with a campaign."""
    entry = RegistryEntry.objects.filter(office=office, applications__isnull=True).first()
    assert entry is not None
    campaign = make_campaign(unit=entry.unit, office=office, created_by=admin)
    department = Organization.objects.create(
        kind=OrgKind.DEPARTMENT, parent=entry.unit, name="办公室"
    )
    standards = list(Node.objects.filter(framework=campaign.framework, is_leaf=True)[:50])
    items = EvidenceItem.objects.bulk_create(
        [
            EvidenceItem(
                campaign=campaign,
                unit=entry.unit,
                department=department,
                year=campaign.cycle_start.year,
                title=f"基准台账{n}",
                summary="活动情况" * 20,
                status="approved",
            )
            for n in range(FREEZE_ITEMS)
        ],
        batch_size=1000,
    )
    link = EvidenceItem.standards.through
    link.objects.bulk_create(
        [
            link(evidenceitem=item, node=standards[n % len(standards)])
            for n, item in enumerate(items)
        ],
        batch_size=2000,
    )
    EvidenceFile.objects.bulk_create(
        [
            EvidenceFile(
                item=item,
                unit=entry.unit,
                year=item.year,
                original_name=f"照片{item.pk}.jpg",
                kind="photo",
                content_type="image/jpeg",
                extension="jpg",
                size=1_500_000,
                sha256=f"{item.pk:064d}",
                file=f"evidence/bench/{item.pk}.jpg",
            )
            for item in items
        ],
        batch_size=1000,
    )
    application = Application.objects.create(
        batch=batch,
        entry=entry,
        unit=entry.unit,
        principal_name="负责人",
        contact_name="联系人",
        contact_phone="0571-88001234",
        staff_count=100,
        summary="总结",
    )
    began = time.perf_counter()
    count = application_services.freeze_snapshot(application)
    elapsed = time.perf_counter() - began
    ok = count == FREEZE_ITEMS and elapsed < FREEZE_SECONDS
    print(
        f"冻结申报材料 freeze_snapshot（{count}条台账、{count}个文件）：用时 {elapsed:.2f} 秒"
        f"（目标 < {FREEZE_SECONDS:.0f} 秒） {'PASS' if ok else 'FAIL'}"
    )
    return ok, elapsed


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
    registry.add_units(office, 1, registry.UNITS, admin, rng)
    batch = open_batch(office, admin, today)
    entries = list(RegistryEntry.objects.filter(office=office).order_by("id"))
    recheck = recheck_services.recheck_open(
        office=office,
        user=admin,
        year=today.year,
        title=f"{today.year}年度文明单位复查（基准）",
        opens_on=today - datetime.timedelta(days=20),
        due_on=today + datetime.timedelta(days=10),
    )
    counted = [
        ("文明办工作台", reverse("home")),
        ("申报批次页", reverse("applications:batch", args=[batch.pk])),
        ("复查页", reverse("rechecks:detail", args=[recheck.pk])),
    ]
    add_applications(batch, entries[:FIRST], admin)
    small = {label: registry.query_count(client, url) for label, url in counted}
    add_applications(batch, entries[FIRST:APPLICATIONS], admin)
    reports = RecheckReport.objects.filter(recheck=recheck)
    reports.filter(id__in=reports.values("id")[: reports.count() // 2]).update(
        status=ReportStatus.SUBMITTED, report="年度自查报告", submitted_at=timezone.now()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"数据准备（{connection.vendor}）：{RegistryEntry.objects.count()}个名录单位，"
        f"申报批次1个（{Application.objects.filter(batch=batch).count()}份申报），"
        f"复查1次（{reports.count()}个持有单位），用时 {time.perf_counter() - started:.1f} 秒"
    )
    failed = False
    for label, url in counted:
        large = registry.query_count(client, url)
        ok = large == small[label]
        failed |= not ok
        print(
            f"{label}查询次数：{FIRST}份申报 {small[label]} 次，{APPLICATIONS}份申报 {large} 次"
            f"（目标：相同） {'PASS' if ok else 'FAIL'}"
        )
    pages = [
        ("文明办工作台 home（申报、复查、名录待办）", reverse("home")),
        ("文明单位名录 registry:index", reverse("registry:index")),
        ("申报批次列表 applications:index", reverse("applications:index")),
        (
            "待初审申报 applications:index?status=submitted",
            reverse("applications:index") + "?status=submitted",
        ),
        (f"申报批次页（{APPLICATIONS}份申报） applications:batch", counted[1][1]),
        ("复查列表 rechecks:index", reverse("rechecks:index")),
        (f"复查页（{reports.count()}个持有单位） rechecks:detail", counted[2][1]),
    ]
    for label, url in pages:
        failed |= not page_passes(label, client, url, PAGE_P95_MS)
    ok, _ = freeze_timing(office, batch, admin)
    failed |= not ok
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

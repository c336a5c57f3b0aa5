"""Benchmark: the registry (文明单位名录, R12) of a city office at full size.

Run with `.venv/bin/python bench/bench_registry.py` (own temporary SQLite database and data
directory; BENCH_DATABASE_URL=postgres://…/NAME measures on PostgreSQL, dropping and creating
NAME). It registers 3,000 units under 临州市文明办 with ten years of history: about three
honours and eight status changes per unit, some negative events and revocations. Then it
times ~20 requests of the registry list (first page and a filtered page), one unit's page and
GET /api/v1/registry through the Django test client. Targets: p95 < 100 ms per page, and the
list and the API issue as many queries with 300 units as with 3,000. Exits 1 when a target
is missed.
"""

from __future__ import annotations

import datetime
import random
import shutil
import sys
import time

from benchenv import page_passes, prepare

PAGE_P95_MS = 100.0
UNITS = 3000
FIRST = 300  # the query counts are compared at this size and at UNITS
YEARS = 10
SECTORS = ["机关", "事业单位", "国有企业", "学校", "医院", "窗口单位"]
AREAS = ["城东区", "城西区", "城南区", "城北区", "开发区", "临江县"]
TITLES = [("县级文明单位", "county"), ("市级文明单位", "city"), ("省级文明单位", "province")]

DATA_DIR = prepare("wenming-bench-registry-")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Organization, OrgKind  # noqa: E402
from wenming.registry.models import (  # noqa: E402
    Honour,
    HonourEvent,
    HonourStatus,
    NegativeEvent,
    NegativeSource,
    RegistryEntry,
    Revocation,
)

# Ten years of a holder's life: named, kept each year, now and then 限期整改 and back.
LIFE = [
    HonourStatus.KEPT,
    HonourStatus.RECTIFY,
    HonourStatus.KEPT,
    HonourStatus.WARNED,
    HonourStatus.KEPT,
]


def add_units(
    office: Organization, start: int, count: int, admin: User, rng: random.Random
) -> None:
    """`count` units registered under the office, with their honours and history."""
    today = timezone.localdate()
    units = Organization.objects.bulk_create(
        [
            Organization(kind=OrgKind.UNIT, parent=office, name=f"基准单位{n:04d}", code=f"BR-{n}")
            for n in range(start, start + count)
        ],
        batch_size=1000,
    )
    for unit in units:  # bulk_create skips save(), which fills the materialized path
        unit.path, unit.depth = f"{office.path}{unit.pk}/", office.depth + 1
    Organization.objects.bulk_update(units, ["path", "depth"], batch_size=1000)
    entries = RegistryEntry.objects.bulk_create(
        [
            RegistryEntry(
                office=office,
                unit=unit,
                sector=rng.choice(SECTORS),
                area=rng.choice(AREAS),
                staff_count=rng.randint(20, 800),
                info_admin_name="信息员",
                info_admin_phone="0571-88001234",
                created_by=admin,
            )
            for unit in units
        ],
        batch_size=1000,
    )
    honours: list[Honour] = []
    for entry in entries:
        for k, (title, level) in enumerate(TITLES):
            year = today.year - YEARS + 1 + 3 * k + rng.randint(0, 1)
            status = HonourStatus.EXPIRED if k == 0 else rng.choice(list(HonourStatus.values))
            honours.append(
                Honour(
                    entry=entry,
                    title=title,
                    level=level,
                    issuer=office if level != "province" else None,
                    issuer_name="省文明委" if level == "province" else "",
                    batch=f"第{k + 5}批",
                    year_named=year,
                    term_years=3,
                    status=status,
                    status_on=datetime.date(min(year + 2, today.year), 6, 30),
                    created_by=admin,
                )
            )
    honours = Honour.objects.bulk_create(honours, batch_size=2000)
    HonourEvent.objects.bulk_create(
        [e for h in honours for e in history(h, admin, today)], batch_size=5000
    )
    add_dynamics(entries, honours, admin, rng, today)


def history(h: Honour, admin: User, today: datetime.date) -> list[HonourEvent]:
    """About eight status events per unit over its three honours."""
    steps = [HonourStatus.NAMED, *LIFE[: h.pk % 2], h.status]
    steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
    events, before = [], ""
    for i, status in enumerate(steps):
        day = min(datetime.date(h.year_named + i, 3, 1), today)
        events.append(
            HonourEvent(
                honour=h,
                actor=admin,
                from_status=before,
                to_status=status,
                decided_on=day,
                document_title=f"临文明办〔{day.year}〕{i + 1}号",
                comment="年度复查",
                deadline=day + datetime.timedelta(days=90)
                if status == HonourStatus.RECTIFY
                else None,
            )
        )
        before = status
    return events


def add_dynamics(
    entries: list[RegistryEntry],
    honours: list[Honour],
    admin: User,
    rng: random.Random,
    today: datetime.date,
) -> None:
    NegativeEvent.objects.bulk_create(
        [
            NegativeEvent(
                entry=e,
                what="基准负面事项",
                is_veto=rng.random() < 0.2,
                occurred_on=today - datetime.timedelta(days=rng.randint(0, 3000)),
                source=rng.choice(list(NegativeSource.values)),
                recorded_by=admin,
            )
            for e in entries
            if rng.random() < 0.3
        ],
        batch_size=2000,
    )
    Revocation.objects.bulk_create(
        [
            Revocation(
                entry_id=h.entry_id,
                honour=h,
                decided_on=h.status_on,
                reason="基准摘牌",
                document_title="临文明办〔2024〕9号",
                banned_until=datetime.date(h.status_on.year + 1, 12, 31),
                recorded_by=admin,
            )
            for h in honours
            if h.status == HonourStatus.REVOKED
        ],
        batch_size=2000,
    )


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def main() -> int:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    rng = random.Random(2026)
    office = Organization.objects.get(code="LZ-WMB")
    admin = User.objects.get(username="wmb_admin")
    client = Client()
    client.force_login(admin)
    index = reverse("registry:index")
    filtered = f"{index}?level=city&status=kept&area=城东区"
    api = "/api/v1/registry"
    counted = [("名录列表", index), ("名录列表（筛选）", filtered), ("名录接口", api)]

    add_units(office, 1, FIRST, admin, rng)
    small = {label: query_count(client, url) for label, url in counted}
    add_units(office, FIRST + 1, UNITS - FIRST, admin, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"数据准备（{connection.vendor}）：文明办下{RegistryEntry.objects.count()}个名录单位、"
        f"{Honour.objects.count()}项称号、{HonourEvent.objects.count()}条状态变更、"
        f"{NegativeEvent.objects.count()}条负面事项、{Revocation.objects.count()}条摘牌记录，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    failed = False
    for label, url in counted:
        large = query_count(client, url)
        ok = large == small[label]
        failed |= not ok
        print(
            f"{label}查询次数：{FIRST}个单位 {small[label]} 次，{UNITS}个单位 {large} 次"
            f"（目标：相同） {'PASS' if ok else 'FAIL'}"
        )
    entry = RegistryEntry.objects.filter(office=office).order_by("-id").first()
    assert entry is not None
    pages = [
        (f"名录列表第一页 registry:index（{UNITS}个单位）", index),
        ("名录列表（级别、状态、区域筛选）", filtered),
        ("单位名录页 registry:entry", reverse("registry:entry", args=[entry.pk])),
        ("名录接口 GET /api/v1/registry", api),
        ("名录接口（筛选）", f"{api}?level=province&year={timezone.localdate().year - 3}"),
    ]
    for label, url in pages:
        failed |= not page_passes(label, client, url, PAGE_P95_MS)
    began = time.perf_counter()
    exported = client.get(reverse("registry:export"))
    assert exported.status_code == 200
    print(
        f"导出名录 registry:export（{UNITS}个单位，含状态变更记录）：{len(exported.content) // 1024} KB，"
        f"用时 {time.perf_counter() - began:.1f} 秒（仅供参考）"
    )
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

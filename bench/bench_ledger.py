"""Benchmark: file 2,000 full-size photos into the evidence ledger, then the overview.

Run with `.venv/bin/python bench/bench_ledger.py` (or `make bench`). It uses its own
temporary data directory and SQLite database (PostgreSQL with BENCH_DATABASE_URL, as in
bench_tasks.py). Before timing, it generates the photos once: random-noise JPEGs of about
2000×1500 at quality 90 (1–3 MB each, the size of a phone photo, and the worst case for
hashing and thumbnails). It then files ITEMS items of PHOTOS_PER_ITEM photos each through
`services.item_create` (inspection, SHA-256, perceptual hash, duplicate and similarity
checks against every earlier photo of the unit, storage, records), and times
`completeness.standard_rows` on the result.

Targets (noise is the worst case for JPEG decoding): ≥ 10 photos/s, p95 per 10-photo
item < 2 s, peak RSS < 400 MB, overview < 0.5 s.
Exits with status 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import io
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from benchenv import prepare

ITEMS = int(os.environ.get("BENCH_LEDGER_ITEMS", "200"))
PHOTOS_PER_ITEM = 10
TARGET_FILES_PER_S = 10.0
TARGET_ITEM_P95_S = 2.0
TARGET_RSS_MB = 400
TARGET_OVERVIEW_S = 0.5

DATA_DIR = prepare("wenming-bench-ledger-")
SOURCE_DIR = Path(DATA_DIR) / "source"


def make_photo(index: int) -> tuple[str, int]:
    """One noise photo with an EXIF date; returns its path and size."""
    from PIL import Image

    rng = random.Random(index)
    w = rng.randint(1800, 2000)
    h = w * 3 // 4
    im = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))
    exif = Image.Exif()
    # Taken on the activity date of the item it goes into (see main).
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=index // PHOTOS_PER_ITEM)
    exif.get_ifd(0x8769)[36867] = f"{day:%Y:%m:%d} 09:30:00"
    path = SOURCE_DIR / f"IMG_{index:05d}.jpg"
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, exif=exif)
    path.write_bytes(buf.getvalue())
    return str(path), len(buf.getvalue())


def generate(count: int) -> list[tuple[str, int]]:
    SOURCE_DIR.mkdir(parents=True, exist_ok=True)
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        return pool.map(make_photo, range(count), chunksize=16)


def main() -> int:
    started = time.perf_counter()
    total = ITEMS * PHOTOS_PER_ITEM
    t0 = time.perf_counter()
    photos = generate(total)
    sizes = [s for _, s in photos]
    print(
        f"生成 {total} 张测试照片：{time.perf_counter() - t0:.1f} 秒，"
        f"每张 {min(sizes) / 1e6:.1f}–{max(sizes) / 1e6:.1f} MB，合计 {sum(sizes) / 1e9:.2f} GB"
    )

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile
    from django.core.management import call_command
    from django.db import connection

    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Framework, Node
    from wenming.ledger import completeness, services
    from wenming.orgs.demo import load_demo
    from wenming.orgs.models import Organization
    from wenming.tasks.coverage import COVERED_SECTIONS
    from wenming.tasks.models import Task

    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    office = Organization.objects.get(code="LZ-WMB")
    framework = Framework.objects.get(owner=office, lineage="SAMPLE-WMDW")
    campaign = Campaign.objects.create(
        unit=unit,
        title="基准测试创建工作",
        target_level="province",
        framework=framework,
        cycle_start=datetime.date(2026, 1, 1),
        cycle_end=datetime.date(2028, 12, 31),
    )
    departments = list(unit.active_departments())
    standards = list(
        Node.objects.filter(framework=framework, is_leaf=True, section__in=COVERED_SECTIONS)
    )
    tasks = []
    for i, node in enumerate(standards):
        task = Task.objects.create(
            campaign=campaign,
            title=f"落实{node.code}",
            lead_department=departments[i % len(departments)],
            deadline=datetime.date(2026, 12, 31),
        )
        task.standards.add(node)
        tasks.append(task)
    user = User.objects.get(username="cjb")

    per_item: list[float] = []
    t0 = time.perf_counter()
    for n in range(ITEMS):
        task = tasks[n % len(tasks)]
        batch = photos[n * PHOTOS_PER_ITEM : (n + 1) * PHOTOS_PER_ITEM]
        handles = [open(path, "rb") for path, _ in batch]  # noqa: SIM115 - closed below
        uploads = [
            UploadedFile(h, name=f"现场照片{k + 1}.jpg", content_type="image/jpeg", size=size)
            for k, (h, (_, size)) in enumerate(zip(handles, batch, strict=True))
        ]
        t = time.perf_counter()
        services.item_create(
            campaign=campaign,
            task=task,
            department=task.lead_department,  # type: ignore[arg-type]
            user=user,
            fields={
                "title": f"第{n + 1}次活动",
                "activity_date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                "summary": "开展活动，干部职工参加。",
                "result": "取得良好效果。",
            },
            uploads=uploads,
        )
        per_item.append(time.perf_counter() - t)
        for h in handles:
            h.close()
    ingest = time.perf_counter() - t0
    files_per_s = total / ingest
    mb_per_s = sum(sizes) / 1e6 / ingest
    p50 = statistics.median(per_item)
    p95 = statistics.quantiles(per_item, n=20)[18]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    runs = []
    for _ in range(5):
        t = time.perf_counter()
        rows = completeness.standard_rows(campaign)
        runs.append(time.perf_counter() - t)
    overview = statistics.median(runs)
    dept = departments[0]
    t = time.perf_counter()
    completeness.standard_rows(campaign, department=dept)
    dept_overview = time.perf_counter() - t

    db = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"数据库：{db}；{ITEMS} 份台账 × {PHOTOS_PER_ITEM} 张照片")
    print(
        f"入库：{total} 个文件 {ingest:.1f} 秒，{files_per_s:.1f} 个/秒，{mb_per_s:.1f} MB/秒"
        f"（目标 ≥ {TARGET_FILES_PER_S:.0f} 个/秒）"
    )
    print(
        f"每份台账（{PHOTOS_PER_ITEM} 张）：p50 {p50:.2f} 秒，p95 {p95:.2f} 秒"
        f"（目标 p95 < {TARGET_ITEM_P95_S} 秒）；首份 {per_item[0]:.2f} 秒，末份 {per_item[-1]:.2f} 秒"
    )
    print(f"峰值内存（RSS）：{rss_mb:.0f} MB（目标 < {TARGET_RSS_MB} MB）")
    print(
        f"台账总览 standard_rows（{len(rows)} 条测评标准）：中位数 {overview * 1000:.0f} 毫秒，"
        f"单部门 {dept_overview * 1000:.0f} 毫秒（目标 < {TARGET_OVERVIEW_S * 1000:.0f} 毫秒）"
    )
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    ok = (
        files_per_s >= TARGET_FILES_PER_S
        and p95 < TARGET_ITEM_P95_S
        and rss_mb < TARGET_RSS_MB
        and overview < TARGET_OVERVIEW_S
    )
    if not ok:
        print("未达到目标。")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

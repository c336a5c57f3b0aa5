"""Benchmark: import a volunteer platform's sheet of 50,000 hour rows (谁组织谁记录).

Run with `.venv/bin/python bench/bench_hours_import.py` (or `make bench`). It uses its own
temporary SQLite database and data directory (BENCH_DATABASE_URL=postgres://…/NAME measures
on PostgreSQL, dropping and creating NAME). The market bureau gets 400 more people, half of
them registered volunteers with a 志愿者编号; the sheet is an .xlsx built in memory the way
platforms export it (title row, header, 序号, 志愿者编号 for half the rows, 合计 row): 50,000
rows over the past year. Each run imports it whole through `hours_import.hours_import`
(reading, matching people, every check, writing) into an empty table; the median of 3 runs
must stay under 10 s, and the queries must not grow with the rows beyond the insert batches.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import io
import shutil
import statistics
import sys
import time

from benchenv import prepare

ROWS = 50_000
PEOPLE = 400
RUNS = 3
TARGET_SECONDS = 10.0

DATA_DIR = prepare("wenming-bench-hours-")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from wenming.activities.hours_import import hours_import, read_sheet  # noqa: E402
from wenming.activities.models import HoursImport, ServiceHours, Volunteer  # noqa: E402
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Membership, Organization, Role  # noqa: E402

PROJECTS = ["文明交通劝导", "敬老院陪护", "图书馆志愿服务", "垃圾分类宣传引导", "无偿献血服务"]


def people(unit: Organization) -> list[tuple[str, str]]:
    """PEOPLE staff of the unit's first department, every other one a registered volunteer:
    (name, 志愿者编号 or "")."""
    department = Organization.objects.departments_of(unit, active_only=True).first()
    assert department is not None
    made = []
    users = User.objects.bulk_create(
        User(username=f"bench{n}", first_name=f"志愿者{n:03d}") for n in range(PEOPLE)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organization=department, role=Role.STAFF) for u in users
    )
    today = timezone.localdate()
    volunteers = []
    for n, user in enumerate(users):
        national_id = f"NV{n:06d}" if n % 2 == 0 else ""
        if national_id:
            volunteers.append(
                Volunteer(unit=unit, person=user, registered_on=today, national_id=national_id)
            )
        made.append((user.first_name, national_id))
    Volunteer.objects.bulk_create(volunteers)
    return made


def build_sheet(who: list[tuple[str, str]], today: datetime.date) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("志愿服务时长")
    sheet.append(["临州志愿服务平台 志愿服务时长导出"])
    sheet.append(
        ["序号", "姓名", "志愿者编号", "服务项目", "组织单位", "服务日期", "服务时长（小时）"]
    )
    for n in range(ROWS):
        name, national_id = who[n % len(who)]
        served_on = today - datetime.timedelta(days=1 + n // len(who))  # each person once a day
        hours = (1 + n % 7) / 2
        project = PROJECTS[n % len(PROJECTS)]
        sheet.append([n + 1, name, national_id, project, "本单位志愿服务队", served_on, hours])
    sheet.append([None, "合计"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    importer = User.objects.get(username="cjb")
    content = build_sheet(people(unit), timezone.localdate())
    print(
        f"时长表：{ROWS}行，{len(content) / 2**20:.1f} MB（准备用时 {time.perf_counter() - started:.1f} s）"
    )

    start = time.perf_counter()
    assert len(read_sheet(content, "时长.xlsx")) == ROWS
    print(f"其中读取表格：{time.perf_counter() - start:.2f} s")

    times, queries = [], []
    for _ in range(RUNS):
        ServiceHours.objects.all().delete()
        HoursImport.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = hours_import(unit=unit, user=importer, content=content, file_name="时长.xlsx")
            times.append(time.perf_counter() - start)
        queries.append(len(ctx.captured_queries))
        assert result.record.rows == ROWS, result.record.rows
    median = statistics.median(times)
    ok = median < TARGET_SECONDS
    print(
        f"导入{ROWS}行（读取、匹配人员、逐行检查、写入）：中位数 {median:.2f} s"
        f"（{', '.join(f'{t:.2f}' for t in times)}；目标 < {TARGET_SECONDS:.0f} s）"
        f" {'PASS' if ok else 'FAIL'}"
    )
    batches = connection.ops.bulk_batch_size(
        [f for f in ServiceHours._meta.concrete_fields if not f.primary_key], []
    )
    expected = ROWS // min(batches, 2000) + 20
    bounded = max(queries) <= expected
    print(
        f"查询次数：{max(queries)}（批量写入每批{min(batches, 2000)}行；上限 {expected}）"
        f" {'PASS' if bounded else 'FAIL'}"
    )
    return 0 if ok and bounded else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

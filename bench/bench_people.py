"""Benchmark: the people side of a large unit (活动、志愿服务、学习, R9/R19).

Run with `.venv/bin/python bench/bench_people.py` (own temporary SQLite database and data
directory; BENCH_DATABASE_URL=postgres://…/NAME measures on PostgreSQL). It gives the demo's
market bureau 2,000 people across its departments, 3 years of activities (20,000, of every
kind) with 200,000 participations, 600 registered volunteers, 20,000 imported service-hour
rows and a year of study points; sets a measure on five standards; then times ~20 requests of
a person's record, the department figures (部门指标), the standards' computed figures (达标测算),
the volunteers list and the activities list, and compares each page's query count with the
same pages on a tenth of the data. Targets: p95 < 100 ms per page; the same number of
queries at both sizes. Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import random
import shutil
import sys
import time
from decimal import Decimal

from benchenv import page_passes, prepare

PAGE_P95_MS = 100.0
PEOPLE = 2000
ACTIVITIES = 20000
PER_ACTIVITY = 10  # 200,000 participations
YEARS = 3

DATA_DIR = prepare("wenming-bench-people-")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wenming.activities.models import (  # noqa: E402
    Activity,
    ActivityKind,
    Attendance,
    Figure,
    HoursImport,
    PointsImport,
    ServiceHours,
    StandardMeasure,
    StudyPoints,
    Volunteer,
)
from wenming.campaigns.models import Campaign  # noqa: E402
from wenming.frameworks.models import Framework, Node  # noqa: E402
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Membership, Organization, OrgKind, Role  # noqa: E402

KINDS = [k for k in ActivityKind.values if k != ActivityKind.FESTIVAL]


def grow(unit: Organization, campaign: Campaign, people: int, activities: int, seed: int) -> User:
    """Add `people` staff and `activities` activities (with PER_ACTIVITY participants each)."""
    rng = random.Random(seed)
    departments = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent=unit))
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(username=f"p{seed}_{n}", first_name=f"职工{seed}-{n}")
            for n in range(start, start + people)
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=departments[i % len(departments)], role=Role.STAFF)
            for i, u in enumerate(users)
        ],
        batch_size=1000,
    )
    today = timezone.localdate()
    now = timezone.now()
    made = Activity.objects.bulk_create(
        [
            Activity(
                campaign=campaign,
                unit=unit,
                department=departments[i % len(departments)],
                kind=KINDS[i % len(KINDS)],
                title=f"活动{seed}-{i}",
                starts_at=now - datetime.timedelta(days=rng.randrange(YEARS * 365), hours=1),
            )
            for i in range(activities)
        ],
        batch_size=1000,
    )
    rows = []
    for a in made:
        for u in rng.sample(users, PER_ACTIVITY):
            rows.append(Attendance(activity=a, person=u, hours=Decimal(rng.choice([1, 2, 3]))))
        if len(rows) >= 20000:
            Attendance.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Attendance.objects.bulk_create(rows, batch_size=5000)
    Volunteer.objects.bulk_create(
        [
            Volunteer(unit=unit, person=u, registered_on=today - datetime.timedelta(days=400))
            for u in users[: len(users) * 3 // 10]
        ],
        batch_size=1000,
    )
    batch = HoursImport.objects.create(unit=unit, file_name=f"时长{seed}.xlsx")
    ServiceHours.objects.bulk_create(
        [
            ServiceHours(
                unit=unit,
                person=users[i % len(users)],
                served_on=today - datetime.timedelta(days=rng.randrange(700)),
                hours=Decimal(2),
                source=batch,
            )
            for i in range(activities)
        ],
        batch_size=5000,
    )
    month = today.replace(day=1)
    points = PointsImport.objects.create(unit=unit, month=month, file_name=f"积分{seed}.xlsx")
    StudyPoints.objects.bulk_create(
        [
            StudyPoints(unit=unit, person=u, month=month, points=Decimal(800), source=points)
            for u in users
        ],
        batch_size=5000,
    )
    return users[0]


def build() -> tuple[Campaign, User]:
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
        cycle_start=today - datetime.timedelta(days=YEARS * 365),
        cycle_end=today + datetime.timedelta(days=365),
    )
    leaves = list(Node.objects.filter(framework=framework, is_leaf=True).order_by("position"))
    figures = [
        (Figure.VOLUNTEER_RATE, "", 30),
        (Figure.HOURS_PER_PERSON, "", 20),
        (Figure.MONTHLY, ActivityKind.MORAL_LECTURE, 12),
        (Figure.STUDY_SESSIONS, "", 12),
        (Figure.STUDY_POINTS, "", 10000),
    ]
    StandardMeasure.objects.bulk_create(
        [
            StandardMeasure(campaign=campaign, standard=n, figure=f, kind=k, target=t)
            for n, (f, k, t) in zip(leaves, figures, strict=False)
        ]
    )
    return campaign, unit


def pages(campaign: Campaign, person: User) -> list[tuple[str, str]]:
    year = timezone.localdate().year
    q = f"?campaign={campaign.pk}&year={year}"
    return [
        ("个人记录 activities:person", reverse("activities:person", args=[person.pk])),
        ("部门指标 activities:departments", reverse("activities:departments") + q),
        ("达标测算 activities:measures", reverse("activities:measures") + q),
        ("志愿者 activities:volunteers", reverse("activities:volunteers") + q),
        ("活动列表 activities:index", reverse("activities:index") + q),
    ]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def main() -> int:
    started = time.perf_counter()
    campaign, unit = build()
    client = Client()
    client.force_login(User.objects.get(username="cjb"))
    person = grow(unit, campaign, PEOPLE // 10, ACTIVITIES // 10, 1)
    small = {label: queries(client, url) for label, url in pages(campaign, person)}
    grow(unit, campaign, PEOPLE - PEOPLE // 10, ACTIVITIES - ACTIVITIES // 10, 2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"数据准备：{User.objects.count()}人、{Activity.objects.count()}次活动、"
        f"{Attendance.objects.count()}人次参加、{ServiceHours.objects.count()}条导入时长，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    failed = False
    for label, url in pages(campaign, person):
        failed |= not page_passes(label, client, url, PAGE_P95_MS)
        big = queries(client, url)
        same = big == small[label]
        failed |= not same
        print(f"  查询数：十分之一数据 {small[label]}，全量 {big} {'PASS' if same else 'FAIL'}")
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

"""Benchmark: the dashboards (领导驾驶舱, R14) at the scale of the earlier benchmarks.

Run with `.venv/bin/python bench/bench_dashboards.py` (own temporary SQLite database and data
directory; BENCH_DATABASE_URL=postgres://…/NAME measures on PostgreSQL, dropping and creating
NAME). It builds a unit with 20 departments, 800 tasks with standards, 5,000 evidence items,
2,000 problems and 10 scored rounds; and under the office 300 more units, each with its
active campaign, 40 tasks, 10 problems and a scored round. Then it times ~20 requests of the
unit cockpit (and its item drill-down), a department's view and the office view through the
Django test client. Target: p95 < 150 ms per page. Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import random
import shutil
import sys
import time
from decimal import Decimal

from benchenv import page_passes, prepare

PAGE_P95_MS = 150.0
DEPARTMENTS = 20
TASKS = 800
EVIDENCE = 5000
PROBLEMS = 2000
ROUNDS = 10
UNITS = 300
UNIT_TASKS = 40
UNIT_PROBLEMS = 10

DATA_DIR = prepare("wenming-bench-dashboards-")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wenming.campaigns.models import Campaign, Phase, PhaseKind  # noqa: E402
from wenming.frameworks.models import Framework, Node  # noqa: E402
from wenming.ledger.models import EvidenceItem, ItemStatus  # noqa: E402
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Organization, OrgKind  # noqa: E402
from wenming.oversight.models import Problem, ProblemStatus  # noqa: E402
from wenming.scoring.models import RoundKind, RoundStatus, Score, ScoringRound  # noqa: E402
from wenming.tasks.models import Task, TaskStatus  # noqa: E402


def add_phases(campaign: Campaign, today: datetime.date) -> list[Phase]:
    spans = [
        (PhaseKind.MOBILIZE, -400, -300),
        (PhaseKind.IMPLEMENT, -299, 400),
        (PhaseKind.IMPROVE, 401, 600),
        (PhaseKind.APPLY, 601, 700),
    ]
    return [
        Phase.objects.create(
            campaign=campaign,
            kind=kind,
            name=PhaseKind(kind).label,
            start=today + datetime.timedelta(days=a),
            end=today + datetime.timedelta(days=b),
            position=i,
        )
        for i, (kind, a, b) in enumerate(spans)
    ]


def tasks_for(
    campaign: Campaign,
    n: int,
    departments: list[Organization],
    phases: list[Phase],
    today: datetime.date,
    rng: random.Random,
) -> list[Task]:
    now = timezone.now()
    rows = []
    for i in range(n):
        status = rng.choice(list(TaskStatus.values))
        progress = {"done": 100, "not_started": 0}.get(status, rng.randint(10, 90))
        rows.append(
            Task(
                campaign=campaign,
                title=f"基准任务{i + 1}",
                lead_department=departments[i % len(departments)] if departments else None,
                phase=phases[min(i % 5, 3)] if phases else None,
                deadline=today + datetime.timedelta(days=rng.randint(-90, 120)),
                status=status,
                progress=progress,
                completed_at=(
                    now - datetime.timedelta(days=rng.randint(0, 120)) if status == "done" else None
                ),
            )
        )
    return rows


def scores_for(round_: ScoringRound, standards: list[Node], rng: random.Random) -> list[Score]:
    return [
        Score(
            round=round_,
            standard=node,
            points=max(Decimal("0"), (node.points or Decimal("0")) - rng.choice([0, 0, 1])),
        )
        for node in standards
    ]


def problems_for(
    campaign: Campaign,
    n: int,
    departments: list[Organization],
    today: datetime.date,
    rng: random.Random,
) -> list[Problem]:
    statuses = list(ProblemStatus.values)
    rows = []
    for i in range(n):
        status = statuses[i % len(statuses)]
        rows.append(
            Problem(
                campaign=campaign,
                unit=campaign.unit,
                year=today.year,
                sequence=i + 1,
                description=f"基准问题{i + 1}",
                department=departments[i % len(departments)],
                deadline=today + datetime.timedelta(days=rng.randint(-60, 30)),
                status=status,
                closed_at=timezone.now() if status == "closed" else None,
                rectified_at=timezone.now() if status in ("awaiting", "closed") else None,
            )
        )
    return rows


def build() -> tuple[Campaign, Organization, Organization]:
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    rng = random.Random(2026)
    unit = Organization.objects.get(code="LZ-SCJG")
    office = Organization.objects.get(code="LZ-WMB")
    framework = Framework.objects.get(owner=office, lineage="SAMPLE-WMDW")
    standards = list(Node.objects.filter(framework=framework, is_leaf=True, section="basic"))
    today = timezone.localdate()
    for i in range(DEPARTMENTS - unit.active_departments().count()):
        Organization.objects.create(kind=OrgKind.DEPARTMENT, parent=unit, name=f"基准科室{i + 1}")
    departments = list(unit.active_departments())
    campaign = Campaign.objects.create(
        unit=unit,
        title="基准测试创建工作",
        target_level="province",
        framework=framework,
        cycle_start=today - datetime.timedelta(days=400),
        cycle_end=today + datetime.timedelta(days=700),
    )
    phases = add_phases(campaign, today)
    tasks = Task.objects.bulk_create(tasks_for(campaign, TASKS, departments, phases, today, rng))
    links = Task.standards.through
    links.objects.bulk_create(
        [links(task_id=t.pk, node_id=standards[i % len(standards)].pk) for i, t in enumerate(tasks)]
    )
    items = EvidenceItem.objects.bulk_create(
        [
            EvidenceItem(
                campaign=campaign,
                unit=unit,
                department=departments[i % len(departments)],
                task=tasks[i % len(tasks)],
                year=today.year,
                title=f"基准台账{i + 1}",
                status=rng.choice(list(ItemStatus.values)),
            )
            for i in range(EVIDENCE)
        ],
        batch_size=1000,
    )
    ev_links = EvidenceItem.standards.through
    ev_links.objects.bulk_create(
        [
            ev_links(evidenceitem_id=item.pk, node_id=standards[(i + k) % len(standards)].pk)
            for i, item in enumerate(items)
            for k in range(1 + i % 2)
        ],
        batch_size=2000,
    )
    Problem.objects.bulk_create(
        problems_for(campaign, PROBLEMS, departments, today, rng), batch_size=1000
    )
    rounds = ScoringRound.objects.bulk_create(
        [
            ScoringRound(
                campaign=campaign,
                framework=framework,
                kind=RoundKind.MOCK,
                title=f"第{r + 1}次模拟测评",
                scored_on=today - datetime.timedelta(days=30 * (ROUNDS - r)),
                status=RoundStatus.FINISHED,
            )
            for r in range(ROUNDS)
        ]
    )
    Score.objects.bulk_create(
        [s for r in rounds for s in scores_for(r, standards, rng)], batch_size=2000
    )

    all_tasks: list[Task] = []
    all_problems: list[Problem] = []
    unit_rounds: list[ScoringRound] = []
    for u in range(UNITS):
        other = Organization.objects.create(
            kind=OrgKind.UNIT, parent=office, name=f"基准单位{u + 1}", code=f"BENCH-{u + 1}"
        )
        dept = Organization.objects.create(kind=OrgKind.DEPARTMENT, parent=other, name="办公室")
        c = Campaign.objects.create(
            unit=other,
            title="创建工作",
            target_level="city",
            framework=framework,
            cycle_start=campaign.cycle_start,
            cycle_end=campaign.cycle_end,
        )
        all_tasks.extend(tasks_for(c, UNIT_TASKS, [dept], phases=[], today=today, rng=rng))
        all_problems.extend(problems_for(c, UNIT_PROBLEMS, [dept], today, rng))
        unit_rounds.append(
            ScoringRound(
                campaign=c,
                framework=framework,
                kind=RoundKind.SELF,
                title="年度自评",
                scored_on=today,
                status=RoundStatus.FINISHED,
            )
        )
    Task.objects.bulk_create(all_tasks, batch_size=2000)
    Problem.objects.bulk_create(all_problems, batch_size=2000)
    unit_rounds = ScoringRound.objects.bulk_create(unit_rounds)
    Score.objects.bulk_create(
        [s for r in unit_rounds for s in scores_for(r, standards, rng)], batch_size=5000
    )
    return campaign, departments[0], office


def main() -> int:
    started = time.perf_counter()
    campaign, department, office = build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    engine = connection.vendor
    print(
        f"数据准备（{engine}）：本单位{DEPARTMENTS}个部门、{TASKS}项任务、{EVIDENCE}份台账、"
        f"{PROBLEMS}个问题、{ROUNDS}轮测评；文明办下另有{UNITS}个单位，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    leader = Client()
    leader.force_login(User.objects.get(username="lingdao"))
    office_admin = Client()
    office_admin.force_login(User.objects.get(username="wmb_admin"))
    item = Node.objects.filter(framework=campaign.framework, depth=0).order_by("position").first()
    assert item is not None
    cockpit = reverse("dashboards:campaign", args=[campaign.pk])
    pages = [
        ("单位驾驶舱 dashboards:campaign", leader, cockpit),
        ("单位驾驶舱（热力图下钻到测评项目）", leader, f"{cockpit}?item={item.pk}"),
        (
            "部门驾驶舱 dashboards:department",
            leader,
            reverse("dashboards:department", args=[campaign.pk, department.pk]),
        ),
        (
            f"文明办驾驶舱 dashboards:office（{UNITS + 2}个单位）",
            office_admin,
            reverse("dashboards:office", args=[office.pk]),
        ),
        (
            "文明办逾期问题清单 dashboards:office_overdue",
            office_admin,
            reverse("dashboards:office_overdue", args=[office.pk, "problems"]),
        ),
    ]
    failed = False
    for label, client, url in pages:
        failed |= not page_passes(label, client, url, PAGE_P95_MS)
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

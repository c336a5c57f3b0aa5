"""Benchmark: scoring and supervision at scale (issue: self-assessment and rectification).

Run with `.venv/bin/python bench/bench_oversight.py` (own temporary SQLite database and data
directory; BENCH_DATABASE_URL=postgres://…/NAME measures on PostgreSQL, dropping and creating
NAME). It builds a unit whose system has 120 scored standards, 10 scoring rounds with every
standard scored, and 2,000 problems in every state; then times ~20 requests of the gap
analysis and the problem ledger through the Django test client (and the scoring sheet, for
reference), and the totals of 300 units' rounds computed at once as the office above does.
Targets: p95 < 100 ms for the gap analysis and the problem ledger; 300 units' totals < 1 s.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import random
import shutil
import statistics
import sys
import time
from decimal import Decimal

from benchenv import p95, page_passes, prepare, timed

PAGE_P95_MS = 100.0
TOTALS_SECONDS = 1.0
STANDARDS = 120
ROUNDS = 10
PROBLEMS = 2000
UNITS = 300

DATA_DIR = prepare("wenming-bench-oversight-")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wenming.campaigns.models import Campaign  # noqa: E402
from wenming.frameworks.models import Framework, Node  # noqa: E402
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Organization, OrgKind  # noqa: E402
from wenming.oversight.models import Problem, ProblemStatus, Severity  # noqa: E402
from wenming.scoring import services as scoring  # noqa: E402
from wenming.scoring.models import RoundKind, RoundStatus, Score, ScoringRound  # noqa: E402


def widen(framework: Framework) -> list[Node]:
    """Add standards to the sample system until it has STANDARDS scored ones."""
    basic = list(Node.objects.filter(framework=framework, is_leaf=True, section="basic"))
    parents = [n for n in Node.objects.filter(framework=framework, is_leaf=False, depth=1)]
    position = Node.objects.filter(framework=framework).order_by("-position").first().position
    extra = []
    for i in range(STANDARDS - len(basic)):
        parent = parents[i % len(parents)]
        position += 1
        extra.append(
            Node(
                framework=framework,
                parent=parent,
                section="basic",
                depth=2,
                is_leaf=True,
                code=f"Z{i + 1}",
                title=f"基准测试附加标准{i + 1}",
                points=Decimal("1"),
                position=position,
            )
        )
    Node.objects.bulk_create(extra)
    return list(Node.objects.filter(framework=framework, is_leaf=True, section="basic"))


def scores_for(round_: ScoringRound, standards: list[Node], rng: random.Random) -> list[Score]:
    rows = []
    for node in standards:
        top = node.points or Decimal("0")
        lost = Decimal(rng.choice([0, 0, 0, 0.5, 1])).quantize(Decimal("0.01"))
        rows.append(
            Score(
                round=round_,
                standard=node,
                points=max(Decimal("0"), top - lost),
                comment="材料不全，扣分" if lost else "",
            )
        )
    return rows


def build() -> tuple[Campaign, ScoringRound, list[ScoringRound]]:
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    rng = random.Random(2026)
    unit = Organization.objects.get(code="LZ-SCJG")
    office = Organization.objects.get(code="LZ-WMB")
    framework = Framework.objects.get(owner=office, lineage="SAMPLE-WMDW")
    standards = widen(framework)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        unit=unit,
        title="基准测试创建工作",
        target_level="province",
        framework=framework,
        cycle_start=today - datetime.timedelta(days=400),
        cycle_end=today + datetime.timedelta(days=700),
    )
    user = User.objects.get(username="cjb")
    rounds = []
    for r in range(ROUNDS):
        rounds.append(
            ScoringRound.objects.create(
                campaign=campaign,
                framework=framework,
                kind=RoundKind.MOCK,
                title=f"第{r + 1}次模拟测评",
                scored_on=today - datetime.timedelta(days=30 * (ROUNDS - r)),
                status=RoundStatus.FINISHED if r < ROUNDS - 1 else RoundStatus.OPEN,
                created_by=user,
            )
        )
    Score.objects.bulk_create(
        [s for rnd in rounds for s in scores_for(rnd, standards, rng)], batch_size=1000
    )
    departments = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent=unit))
    statuses = list(ProblemStatus.values)
    Problem.objects.bulk_create(
        [
            Problem(
                campaign=campaign,
                unit=unit,
                year=today.year,
                sequence=i + 1,
                description=f"基准问题{i + 1}：公共区域环境卫生不达标",
                department=departments[i % len(departments)],
                deadline=today + datetime.timedelta(days=rng.randint(-60, 30)),
                severity=rng.choice(list(Severity.values)),
                status=statuses[i % len(statuses)],
                standard=standards[i % len(standards)],
                closed_at=timezone.now() if statuses[i % len(statuses)] == "closed" else None,
                rectified_at=(
                    timezone.now()
                    if statuses[i % len(statuses)] in ("awaiting", "closed")
                    else None
                ),
                created_by=user,
            )
            for i in range(PROBLEMS)
        ],
        batch_size=1000,
    )
    # The office above: one finished round for each of UNITS units.
    office_rounds = []
    for u in range(UNITS):
        other = Organization.objects.create(
            kind=OrgKind.UNIT, parent=office, name=f"基准单位{u + 1}", code=f"BENCH-{u + 1}"
        )
        c = Campaign.objects.create(
            unit=other,
            title="创建工作",
            target_level="city",
            framework=framework,
            cycle_start=campaign.cycle_start,
            cycle_end=campaign.cycle_end,
        )
        office_rounds.append(
            ScoringRound(
                campaign=c,
                framework=framework,
                kind=RoundKind.FORMAL,
                title="年度测评",
                scored_on=today,
                status=RoundStatus.FINISHED,
            )
        )
    ScoringRound.objects.bulk_create(office_rounds)
    office_rounds = list(ScoringRound.objects.filter(kind=RoundKind.FORMAL))
    Score.objects.bulk_create(
        [s for rnd in office_rounds for s in scores_for(rnd, standards, rng)], batch_size=2000
    )
    return campaign, rounds[-1], office_rounds


def main() -> int:
    started = time.perf_counter()
    campaign, latest, office_rounds = build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"数据准备：{STANDARDS}条标准、{ROUNDS}轮测评、{PROBLEMS}个问题、{UNITS}个单位的测评，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    client = Client()
    client.force_login(User.objects.get(username="cjb"))
    failed = False
    # The targets are the issue's: the gap analysis and the problem ledger. The scoring sheet
    # (120 input forms on one page) is measured for reference; see the closing note.
    sheet = timed(client, reverse("scoring:sheet", args=[latest.pk]))
    print(
        f"打分表 scoring:sheet（参考，未设目标）: 中位数 {statistics.median(sheet):.1f} ms，"
        f"p95 {p95(sheet):.1f} ms"
    )
    pages = [
        ("失分分析 scoring:gaps", reverse("scoring:gaps", args=[latest.pk])),
        ("问题台账 oversight:problems", reverse("oversight:problems", args=[campaign.pk])),
        (
            "问题台账（只看逾期）",
            reverse("oversight:problems", args=[campaign.pk]) + "?overdue=on",
        ),
    ]
    for label, url in pages:
        failed |= not page_passes(label, client, url, PAGE_P95_MS)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        totals = scoring.totals_for_rounds(office_rounds)
        runs.append(time.perf_counter() - start)
    assert len(totals) == UNITS
    med = statistics.median(runs)
    ok = med < TOTALS_SECONDS
    failed |= not ok
    print(
        f"{UNITS}个单位测评合计（含读库）：中位数 {med:.3f} 秒（目标 < {TOTALS_SECONDS:.0f} 秒）"
        f" {'PASS' if ok else 'FAIL'}"
    )
    print(f"总用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)

"""Demo 复查 of 临州市文明办: this year's re-check, in progress.

Every 市级 honour the office named before this year and still held is re-checked. About half
the holders filed their 年度自查报告 on time; the office scored some and decided a few (保留,
one 限期整改); the deadline passed two days ago, so the holders that never filed show as
逾期未报 and wait for the office to confirm the end of their title. Everything goes through
the services, as the holders and the office would. Only the full demo loads it; idempotent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from wenming.core.demo import DemoContext
from wenming.orgs.demo import DEMO_PASSWORD
from wenming.orgs.models import Membership, Role
from wenming.rechecks import services
from wenming.rechecks.models import Decision, Recheck, RecheckReport
from wenming.registry.models import HonourStatus
from wenming.trace.context import acting_as

REPORT = (
    "{unit}{year}年度精神文明建设自查报告\n"
    "一、创建工作组织领导情况：领导小组调整充实，全年召开专题会议4次，创建办实体化运转。\n"
    "二、测评体系对照落实情况：对照测评体系逐项自查，各项指标基本达标，台账资料齐全。\n"
    "三、存在的不足：志愿服务常态化机制有待完善，宣传阵地内容更新不够及时。\n"
    "四、下一步打算：对照复查反馈问题逐项整改，巩固提升创建成果。"
)
# Of the holders (in the registry's order): who filed, and what the office did with it.
FILED_EVERY = 2  # every second holder filed on time
DECIDE_KEPT = 4
SCORES = [Decimal(s) for s in ("91.5", "88.0", "93.0", "86.5", "89.5", "95.0", "84.0", "90.0")]


def _decide(report: RecheckReport, admin: object, today: datetime.date, rectify: bool) -> None:
    year = report.recheck.year
    services.report_decide(
        report=report,
        user=admin,  # type: ignore[arg-type]
        decision=Decision.RECTIFY if rectify else Decision.KEPT,
        comment="复查得分低于85分，志愿服务台账缺失，限期三个月整改。"
        if rectify
        else "年度复查合格，保留称号。",
        decided_on=today,
        document_title=f"临文明办〔{year}〕21号 关于{year}年度市级文明单位复查情况的通报",
        rectify_deadline=today + datetime.timedelta(days=90) if rectify else None,
    )


def _holder(report: RecheckReport, number: int) -> User:
    """The holder's 创建办 account (`fc01`…): the unit files its own report."""
    unit = report.entry.unit
    existing = User.objects.filter(
        memberships__organization=unit, memberships__role=Role.COORDINATOR
    ).first()
    if existing is not None:
        return existing
    user = User.objects.create_user(
        username=f"fc{number:02d}",
        password=DEMO_PASSWORD,
        first_name=report.entry.info_admin_name or "创建办",
    )
    Membership.objects.create(
        user=user, organization=unit, role=Role.COORDINATOR, title="创建办主任"
    )
    return user


def load_demo_rechecks(context: DemoContext) -> None:
    """The `demo.load` step: this year's 复查 (only in the full demo)."""
    if not context.with_campaign:
        return
    office = context.office
    if Recheck.objects.filter(office=office).exists():
        return
    admin = context.users["wmb_admin"]
    today = timezone.localdate()
    with acting_as(admin):
        recheck = services.recheck_open(
            office=office,
            user=admin,
            year=today.year,
            title=f"{today.year}年度市级文明单位复查",
            opens_on=today - datetime.timedelta(days=30),
            due_on=today + datetime.timedelta(days=1),
            average_counts=True,
            note="各单位对照测评体系开展自查，形成年度自查报告并自评打分，逾期未报的视为自动放弃称号。",
        )
        reports = list(
            recheck.reports.select_related("honour", "entry__unit").order_by("entry_id", "id")
        )
        filed = [r for i, r in enumerate(reports) if i % FILED_EVERY == 0]
        decided = 0
        for i, report in enumerate(filed):
            holder = _holder(report, i + 1)
            with acting_as(holder):
                services.report_submit(
                    report=report,
                    user=holder,
                    report_text=REPORT.format(unit=report.entry.unit.name, year=today.year),
                    self_score=SCORES[i % len(SCORES)] + 3,
                )
            if i % 3 == 2:
                continue  # filed, waiting for the office's review
            score = SCORES[i % len(SCORES)]
            services.report_score(
                report=report, user=admin, office_score=score, comment="材料审核与实地抽查相结合。"
            )
            if report.honour.status != HonourStatus.NAMED or decided > DECIDE_KEPT:
                continue
            _decide(report, admin, today, rectify=score < 85)
            decided += 1
        # The deadline has since passed: the holders that never filed are 逾期未报.
        services.recheck_update(
            recheck=recheck, user=admin, due_on=today - datetime.timedelta(days=2)
        )

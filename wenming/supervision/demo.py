"""Demo supervision of 临州市文明办: its own work over the units it keeps, under way.

- Three 明查暗访 of this season: the market bureau's two problems wait for its 创建办 to
  answer; another unit reported its rectification and waits for the office's 验收, a third
  problem there is closed; a third unit let its problem's deadline pass (逾期未整改).
- Last month's 信息报送 is closed with most units in (a few late, a few missing); this month's
  is open with the first submissions in.
- This quarter's 重点工作 is published; about half the units have acknowledged it, the market
  bureau not yet.
- Last quarter's 通报 is issued, ranking the units and naming one for praise and one for
  criticism.

Everything goes through the services, as the office and the units would; only the times of
last month's submissions are set back to when they were made. Only the full demo loads it;
idempotent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from wenming.core.demo import DemoContext
from wenming.orgs.models import Membership, Organization, Role
from wenming.supervision import access, bulletins, directives, problems
from wenming.supervision.models import (
    CityInspection,
    InfoSubmission,
    InspectionKind,
    Verdict,
)
from wenming.trace.context import acting_as

DAY = datetime.timedelta(days=1)
INFO = (
    "{unit}{month}月创建工作信息",
    "本月{unit}召开创建工作例会1次，开展志愿服务活动2次、道德讲堂1期，"
    "完成办事窗口文明标识更新；下月将围绕测评体系薄弱项开展自查。",
)


def _coordinators(units: list[Organization]) -> dict[int, User]:
    """Each unit's 创建办 account, when it has one (one query)."""
    found: dict[int, User] = {}
    for m in (
        Membership.objects.filter(
            organization__in=units, role=Role.COORDINATOR, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("id")
    ):
        found.setdefault(m.organization_id, m.user)
    return found


def _inspections(
    office: Organization, admin: User, units: list[Any], people: dict[int, User]
) -> list[Any]:
    today = timezone.localdate()
    market, answered, late = units[0], units[1], units[2]
    found: list[Any] = []
    visit = problems.inspection_create(
        office=office,
        user=admin,
        unit=market,
        kind=InspectionKind.COVERT,
        inspected_on=today - 6 * DAY,
        inspectors="市文明办督查组 王敏、李强",
        place="办事大厅、机关院落",
        summary="暗访办事大厅窗口服务和公共区域环境，发现问题2个，当场反馈。",
    )
    for text, place in (
        ("办事大厅志愿服务站上午无人值守，群众咨询无人应答", "一楼办事大厅"),
        ("机关院落公益广告牌破损、内容过期", "机关大院东侧"),
    ):
        found.append(
            problems.problem_dispatch(
                inspection=visit,
                user=admin,
                description=text,
                place=place,
                deadline=today + 12 * DAY,
            )
        )
    visit = problems.inspection_create(
        office=office,
        user=admin,
        unit=answered,
        kind=InspectionKind.OPEN,
        inspected_on=today - 30 * DAY,
        inspectors="市文明办督查组 赵红",
        summary="对照测评体系检查阵地建设和台账，发现问题2个。",
    )
    closed = problems.problem_dispatch(
        inspection=visit,
        user=admin,
        description="道德讲堂缺少“五个一”流程展板",
        deadline=today - 10 * DAY,
    )
    waiting = problems.problem_dispatch(
        inspection=visit,
        user=admin,
        description="职工书屋图书登记借阅台账不全",
        deadline=today + 5 * DAY,
    )
    holder = people.get(answered.pk)
    if holder is not None:
        with acting_as(holder):
            problems.problem_submit(
                problem=closed, user=holder, note="已制作“五个一”流程展板并上墙，照片见附件。"
            )
            problems.problem_submit(
                problem=waiting, user=holder, note="已补齐近一年借阅登记，建立月度检查制度。"
            )
        problems.problem_verify(problem=closed, user=admin, comment="现场复核，已整改到位。")
    visit = problems.inspection_create(
        office=office,
        user=admin,
        unit=late,
        kind=InspectionKind.OPEN,
        inspected_on=today - 40 * DAY,
        inspectors="市文明办督查组 王敏",
        summary="检查创建氛围营造情况。",
    )
    found.append(
        problems.problem_dispatch(
            inspection=visit,
            user=admin,
            description="单位门口未设置社会主义核心价值观宣传栏",
            deadline=today - 9 * DAY,
            severity="serious",
        )
    )
    return found


def _months(office: Organization, admin: User, units: list[Any], people: dict[int, User]) -> None:
    today = timezone.localdate()
    last_month = today.replace(day=1) - DAY
    past = directives.info_round_open(
        office=office,
        user=admin,
        year=last_month.year,
        month=last_month.month,
        due_on=today - 3 * DAY,
        note="请于截止日期前报送本月创建工作信息，附活动照片。",
    )
    current = directives.info_round_open(
        office=office,
        user=admin,
        year=today.year,
        month=today.month,
        due_on=today + 10 * DAY,
        note="请于截止日期前报送本月创建工作信息，附活动照片。",
    )
    with_people = [u for u in units if u.pk in people]
    for number, unit in enumerate(with_people):
        if number % 5 == 4:
            continue  # about one unit in five never submitted last month
        holder = people[unit.pk]
        with acting_as(holder):
            title, text = (s.format(unit=unit.name, month=last_month.month) for s in INFO)
            done = directives.info_submit(
                info_round=past, user=holder, unit=unit, title=title, content=text
            )
        # Made in the past: on time for most, two days late for every sixth.
        late = number % 6 == 5
        InfoSubmission.objects.filter(pk=done.pk).update(
            submitted_at=timezone.now() - (1 if late else 6) * DAY
        )
    for unit in with_people[1:4]:
        holder = people[unit.pk]
        with acting_as(holder):
            title, text = (s.format(unit=unit.name, month=today.month) for s in INFO)
            directives.info_submit(
                info_round=current, user=holder, unit=unit, title=title, content=text
            )


def _priorities(
    office: Organization, admin: User, units: list[Any], people: dict[int, User]
) -> None:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    priority = directives.priority_create(
        office=office,
        user=admin,
        year=today.year,
        quarter=quarter,
        title="深化文明单位创建“提质增效”行动",
        body=(
            "一、对照测评体系开展一次全面自查，形成问题清单。\n"
            "二、每月至少开展一次志愿服务活动，注册志愿者占职工总数30%以上。\n"
            "三、结合“我们的节日”开展主题活动，及时报送信息。"
        ),
        acknowledge_by=today + 5 * DAY,
    )
    directives.priority_publish(priority=priority, user=admin)
    for number, unit in enumerate(u for u in units[1:] if u.pk in people):
        if number % 2:
            continue
        holder = people[unit.pk]
        with acting_as(holder):
            directives.priority_acknowledge(
                priority=priority, user=holder, unit=unit, note="已传达部署，纳入本季度创建计划。"
            )


def _bulletins(office: Organization, admin: User, units: list[Any]) -> None:
    today = timezone.localdate()
    bulletin = bulletins.bulletin_create(
        office=office,
        user=admin,
        title="关于近期全市文明单位创建工作督查情况的通报",
        period_start=today - 60 * DAY,
        period_end=today,
        intro=(
            "按照年度工作安排，市文明办近期对各文明单位开展了明查暗访，并对信息报送和重点工作"
            "落实情况进行了统计。现将有关情况通报如下。"
        ),
    )
    bulletins.bulletin_set_verdict(
        bulletin=bulletin,
        user=admin,
        unit=units[1],
        verdict=Verdict.PRAISE,
        reason="督查发现的问题及时整改销号，信息报送及时。",
    )
    bulletins.bulletin_set_verdict(
        bulletin=bulletin,
        user=admin,
        unit=units[2],
        verdict=Verdict.CRITICIZE,
        reason="督查发现问题逾期未整改。",
    )
    bulletins.bulletin_issue(bulletin=bulletin, user=admin, issued_on=today)


def load_demo_supervision(context: DemoContext) -> None:
    """The `demo.load` step: the office's inspections, months, priorities and bulletin."""
    if not context.with_campaign:
        return
    office = context.office
    if CityInspection.objects.filter(office=office).exists():
        return
    admin = context.users["wmb_admin"]
    others = [u for u in access.office_units(office) if u.pk != context.unit.pk]
    people = _coordinators([context.unit, *others])
    # The market bureau first, then the units whose 创建办 can answer.
    units = [context.unit, *sorted(others, key=lambda u: (u.pk not in people, u.path))]
    if len(units) < 3:
        return
    with acting_as(admin):
        _inspections(office, admin, units, people)
        _months(office, admin, units, people)
        _priorities(office, admin, units, people)
        _bulletins(office, admin, units)

"""Writes to a unit's campaign plan (R3): the campaign, its four phases, its milestones.

Every function takes keyword-only arguments, runs in one transaction and raises
`ValidationError` with a Chinese sentence (a dict of them keyed by form field when the
input names one) when the input cannot be used; nothing is changed then. Who may call them
is decided by the views and API routes through `wenming.campaigns.access`. Nothing is deleted:
a replaced campaign becomes inactive, a removed milestone is deactivated.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import (
    PHASE_ORDER,
    Campaign,
    CampaignStatus,
    Milestone,
    Phase,
    PhaseKind,
)
from wenming.core import registry
from wenming.frameworks import access as framework_access
from wenming.frameworks.models import Framework, FrameworkLevel, FrameworkStatus
from wenming.orgs.models import Organization, OrgKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Where the default phases end, as fractions of the cycle: 宣传发动 the first tenth,
# 组织实施 to three quarters, 总结提高 to nine tenths, 集中申报 the rest.
DEFAULT_PHASE_CUTS = (0.10, 0.75, 0.90)
# How many standards the "not covered yet" message names.

PhaseInput = tuple[str, datetime.date | None, datetime.date | None, str]


def fmt_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def phase_label(kind: str) -> str:
    return PhaseKind(kind).label if kind in PhaseKind.values else kind


# --- default phases ----------------------------------------------------------------------


def _nearest_month_start(value: datetime.date) -> datetime.date:
    this_month = value.replace(day=1)
    next_month = (this_month + datetime.timedelta(days=32)).replace(day=1)
    return this_month if (value - this_month) <= (next_month - value) else next_month


def default_phase_spans(
    cycle_start: datetime.date, cycle_end: datetime.date
) -> list[tuple[str, datetime.date, datetime.date]]:
    """The four phases spanning the cycle, consecutive, without gaps or overlaps.

    Boundaries fall on the first of a month when the cycle is long enough, because plans
    say "九月底前…", not "9月13日前…".
    """
    days = (cycle_end - cycle_start).days + 1
    if days < len(PHASE_ORDER):
        raise ValidationError({"cycle_end": "创建周期太短，至少需要4天才能安排四个阶段。"})
    offsets: list[int] = []
    for cut in DEFAULT_PHASE_CUTS:
        offsets.append(max(round(days * cut), (offsets[-1] + 1) if offsets else 1))
    if days >= 180:
        snapped = [
            (_nearest_month_start(cycle_start + datetime.timedelta(days=o)) - cycle_start).days
            for o in offsets
        ]
        if all(a < b for a, b in zip([0, *snapped], [*snapped, days], strict=True)):
            offsets = snapped
    offsets = [min(o, days - len(offsets) + i) for i, o in enumerate(offsets)]
    bounds = [0, *offsets, days]
    return [
        (
            kind,
            cycle_start + datetime.timedelta(days=bounds[i]),
            cycle_start + datetime.timedelta(days=bounds[i + 1] - 1),
        )
        for i, kind in enumerate(PHASE_ORDER)
    ]


# --- validation helpers ------------------------------------------------------------------


def _clean_campaign_fields(
    *,
    unit: Organization,
    user: User,
    title: str,
    target_level: str,
    target_kind: str,
    framework: Framework | None,
    cycle_start: datetime.date | None,
    cycle_end: datetime.date | None,
    application_date: datetime.date | None,
    check_framework: bool = True,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if unit.kind != OrgKind.UNIT:
        errors["unit"] = "只有单位才能开展文明单位创建工作，请选择一个单位。"
    elif not unit.is_active:
        errors["unit"] = f"“{unit.name}”已停用，不能为它新建创建工作。"
    if not (title or "").strip():
        errors["title"] = "请填写创建工作名称，如：2026—2028年创建省级文明单位。"
    elif len(title.strip()) > 120:
        errors["title"] = "创建工作名称不能超过120个字。"
    if target_level not in FrameworkLevel.values:
        errors["target_level"] = "请从列表中选择目标级别（县级、市级、省级或全国）。"
    if not (target_kind or "").strip():
        errors["target_kind"] = "请填写目标称号，如：文明单位。"
    elif len(target_kind.strip()) > 40:
        errors["target_kind"] = "目标称号不能超过40个字。"
    if check_framework:
        if framework is None:
            errors["framework"] = "请选择本次创建依据的测评体系。"
        elif not framework_access.visible_frameworks(user).filter(pk=framework.pk).exists():
            errors["framework"] = "没有找到所选测评体系，或您无权使用它。请重新选择。"
        elif framework.status != FrameworkStatus.PUBLISHED:
            errors["framework"] = (
                f"测评体系“{framework.name}”（第{framework.version}版）"
                f"{'尚未发布' if framework.status == FrameworkStatus.DRAFT else '已停用'}，"
                "不能用于创建工作。请选择已发布的测评体系。"
            )
    if cycle_start is None:
        errors["cycle_start"] = "请填写创建周期的开始日期。"
    if cycle_end is None:
        errors["cycle_end"] = "请填写创建周期的结束日期。"
    if cycle_start is not None and cycle_end is not None:
        if cycle_end < cycle_start:
            errors["cycle_end"] = (
                f"创建周期的结束日期（{fmt_date(cycle_end)}）早于开始日期"
                f"（{fmt_date(cycle_start)}），请修改。"
            )
        elif (cycle_end - cycle_start).days + 1 < len(PHASE_ORDER):
            errors["cycle_end"] = "创建周期太短，至少需要4天才能安排四个阶段。"
        elif application_date is not None and not (cycle_start <= application_date <= cycle_end):
            errors["application_date"] = (
                f"申报日期（{fmt_date(application_date)}）不在创建周期"
                f"（{fmt_date(cycle_start)}至{fmt_date(cycle_end)}）之内，请修改。"
            )
    return errors


def _phase_errors(
    *, cycle_start: datetime.date, cycle_end: datetime.date, phases: Sequence[PhaseInput]
) -> dict[str, list[str]]:
    """Every problem with a set of phases, keyed `<kind>_start` / `<kind>_end`."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    kinds = [p[0] for p in phases]
    if sorted(kinds) != sorted(PHASE_ORDER):
        add(
            "__all__",
            "请为宣传发动、组织实施、总结提高、集中申报四个阶段各填写一次起止日期。",
        )
        return errors
    by_kind = {p[0]: p for p in phases}
    cycle = f"{fmt_date(cycle_start)}至{fmt_date(cycle_end)}"
    complete: list[tuple[str, datetime.date, datetime.date]] = []
    kind: str
    for kind in PHASE_ORDER:
        _, start, end, _ = by_kind[kind]
        label = phase_label(kind)
        if start is None:
            add(f"{kind}_start", f"请填写“{label}”阶段的开始日期。")
        if end is None:
            add(f"{kind}_end", f"请填写“{label}”阶段的结束日期。")
        if start is None or end is None:
            continue
        if end < start:
            add(
                f"{kind}_end",
                f"“{label}”阶段的结束日期（{fmt_date(end)}）早于开始日期（{fmt_date(start)}），请修改。",
            )
            continue
        if start < cycle_start or end > cycle_end:
            key = f"{kind}_start" if start < cycle_start else f"{kind}_end"
            add(
                key,
                f"“{label}”阶段（{fmt_date(start)}至{fmt_date(end)}）超出了创建周期（{cycle}），"
                "请调整到周期之内。",
            )
        complete.append((kind, start, end))
    for (prev_kind, prev_start, prev_end), (next_kind, next_start, _end) in zip(
        complete, complete[1:], strict=False
    ):
        kind, start = next_kind, next_start
        if start < prev_start:
            add(
                f"{kind}_start",
                f"“{phase_label(kind)}”阶段应在“{phase_label(prev_kind)}”阶段之后开始，"
                "四个阶段须按宣传发动、组织实施、总结提高、集中申报的顺序排列。",
            )
        elif start <= prev_end:
            add(
                f"{kind}_start",
                f"“{phase_label(kind)}”阶段（从{fmt_date(start)}开始）与“{phase_label(prev_kind)}”"
                f"阶段（到{fmt_date(prev_end)}结束）时间重叠，请让它在{fmt_date(prev_end)}之后开始。",
            )
    return errors


def _phase_for(campaign: Campaign, due: datetime.date) -> Phase | None:
    return campaign.phases.filter(start__lte=due, end__gte=due).order_by("position").first()


def _check_department(unit: Organization, department: Organization | None) -> str | None:
    if department is None:
        return None
    if (
        department.kind != OrgKind.DEPARTMENT
        or not department.path.startswith(unit.path)
        or department.pk == unit.pk
    ):
        return f"“{department.name}”不是{unit.name}的部门，请选择本单位的部门作为责任部门。"
    if not department.is_active:
        return f"“{department.name}”已停用，请选择本单位在用的部门作为责任部门。"
    return None


def _check_owner(unit: Organization, owner: User | None) -> str | None:
    if owner is None:
        return None
    from wenming.orgs.services import unit_people

    if not unit_people(unit).filter(pk=owner.pk).exists():
        name = owner.get_full_name() or owner.username
        return f"“{name}”不是{unit.name}的在职人员，请从本单位人员中选择责任人。"
    return None


# --- campaigns ---------------------------------------------------------------------------


# The basics of a plan a person edits; the form shows them, `campaign_update` saves them.
CAMPAIGN_FIELDS = (
    "title",
    "target_level",
    "target_kind",
    "framework",
    "cycle_start",
    "cycle_end",
    "application_date",
    "guiding_ideas",
    "goals",
    "requirements",
)


@transaction.atomic
def campaign_create(
    *,
    unit: Organization,
    user: User,
    title: str,
    target_level: str,
    target_kind: str,
    framework: Framework | None,
    cycle_start: datetime.date | None,
    cycle_end: datetime.date | None,
    application_date: datetime.date | None = None,
    guiding_ideas: str = "",
    goals: str = "",
    requirements: str = "",
) -> Campaign:
    """Create the unit's campaign with the four default phases and make it the active one.

    The campaign that was active before stays, inactive.
    """
    errors = _clean_campaign_fields(
        unit=unit,
        user=user,
        title=title,
        target_level=target_level,
        target_kind=target_kind,
        framework=framework,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        application_date=application_date,
    )
    if errors:
        raise ValidationError(errors)
    assert cycle_start is not None and cycle_end is not None and framework is not None
    spans = default_phase_spans(cycle_start, cycle_end)
    # Lock the unit's campaigns so two people creating at once do not both end up active.
    previous = list(Campaign.objects.select_for_update().filter(unit=unit, is_active=True))
    Campaign.objects.filter(unit=unit, is_active=True).update(is_active=False)
    for old in previous:
        trace.record_update(old, is_active=False)
    campaign = Campaign.objects.create(
        unit=unit,
        title=title.strip(),
        target_level=target_level,
        target_kind=target_kind.strip(),
        framework=framework,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        application_date=application_date,
        guiding_ideas=(guiding_ideas or "").strip(),
        goals=(goals or "").strip(),
        requirements=(requirements or "").strip(),
        is_active=True,
        created_by=user,
    )
    phases = Phase.objects.bulk_create(
        Phase(
            campaign=campaign,
            kind=kind,
            name=PhaseKind(kind).label,
            start=start,
            end=end,
            position=position,
        )
        for position, (kind, start, end) in enumerate(spans)
    )
    trace.record_created(phases)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    user: User,
    title: str,
    target_level: str,
    target_kind: str,
    framework: Framework | None,
    cycle_start: datetime.date | None,
    cycle_end: datetime.date | None,
    application_date: datetime.date | None = None,
    guiding_ideas: str = "",
    goals: str = "",
    requirements: str = "",
) -> Campaign:
    """Change the plan's basics. The phases and milestones must still fit the cycle."""
    framework_changed = framework is None or framework.pk != campaign.framework_id
    errors = _clean_campaign_fields(
        unit=campaign.unit,
        user=user,
        title=title,
        target_level=target_level,
        target_kind=target_kind,
        framework=framework,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        application_date=application_date,
        check_framework=framework_changed,
    )
    if framework_changed and "framework" not in errors and campaign.tasks.live().exists():
        errors["framework"] = (
            "本次创建已有工作任务对应原测评体系的标准，不能更换测评体系。"
            "如需按新体系创建，请新建一项创建工作。"
        )
    if not errors:
        assert cycle_start is not None and cycle_end is not None
        errors.update(_cycle_change_errors(campaign, cycle_start, cycle_end))
    if errors:
        raise ValidationError(errors)
    assert framework is not None
    campaign.title = title.strip()
    campaign.target_level = target_level
    campaign.target_kind = target_kind.strip()
    campaign.framework = framework
    campaign.cycle_start = cycle_start  # type: ignore[assignment]
    campaign.cycle_end = cycle_end  # type: ignore[assignment]
    campaign.application_date = application_date
    campaign.guiding_ideas = (guiding_ideas or "").strip()
    campaign.goals = (goals or "").strip()
    campaign.requirements = (requirements or "").strip()
    campaign.save(
        update_fields=[
            *CAMPAIGN_FIELDS,
            "updated_at",
        ]
    )
    return campaign


def _cycle_change_errors(
    campaign: Campaign, cycle_start: datetime.date, cycle_end: datetime.date
) -> dict[str, str]:
    """The phases and live milestones must still fit a changed cycle: say which does not."""
    outside = [
        p
        for p in campaign.phases.order_by("position")
        if p.start < cycle_start or p.end > cycle_end
    ]
    if outside:
        names = "、".join(f"“{p.name}”" for p in outside)
        return {
            "cycle_start" if outside[0].start < cycle_start else "cycle_end": (
                f"{names}阶段不在新的创建周期（{fmt_date(cycle_start)}至{fmt_date(cycle_end)}）"
                "之内。请先在“阶段安排”中调整阶段日期，再修改周期。"
            )
        }
    late = (
        campaign.milestones.filter(is_active=True)
        .exclude(due__gte=cycle_start, due__lte=cycle_end)
        .first()
    )
    if late is not None:
        return {
            "cycle_end" if late.due > cycle_end else "cycle_start": (
                f"时间节点“{late.title}”（{fmt_date(late.due)}）不在新的创建周期之内，"
                "请先修改或撤销该节点。"
            )
        }
    return {}


@transaction.atomic
def phases_update(*, campaign: Campaign, phases: Sequence[PhaseInput]) -> list[Phase]:
    """Set all four phases at once: `(kind, start, end, description)` each.

    Each phase ends on or after its start, they follow PHASE_ORDER without overlapping, and
    all lie within the cycle. Milestones are re-attached to the phase their date falls in.
    """
    errors = _phase_errors(
        cycle_start=campaign.cycle_start, cycle_end=campaign.cycle_end, phases=phases
    )
    if errors:
        raise ValidationError(errors)
    existing = {p.kind: p for p in Phase.objects.select_for_update().filter(campaign=campaign)}
    saved: list[Phase] = []
    for position, kind in enumerate(PHASE_ORDER):
        _, start, end, description = next(p for p in phases if p[0] == kind)
        assert start is not None and end is not None
        phase = existing.get(kind) or Phase(campaign=campaign, kind=kind, name=phase_label(kind))
        phase.start, phase.end = start, end
        phase.position = position
        phase.description = (description or "").strip()
        phase.save()
        saved.append(phase)
    for milestone in campaign.milestones.filter(is_active=True):
        phase_id = next((p.pk for p in saved if p.start <= milestone.due <= p.end), None)
        if milestone.phase_id != phase_id:
            milestone.phase_id = phase_id
            milestone.save(update_fields=["phase"])
    return saved


@transaction.atomic
def campaign_set_active(*, campaign: Campaign) -> Campaign:
    """Make this the unit's current campaign; the one before stays, inactive."""
    if campaign.is_active:
        return campaign
    active = Campaign.objects.filter(unit_id=campaign.unit_id, is_active=True)
    previous = list(active)
    active.update(is_active=False)
    for old in previous:
        trace.record_update(old, is_active=False)
    campaign.is_active = True
    campaign.save(update_fields=["is_active", "updated_at"])
    return campaign


@dataclass(frozen=True)
class CoverageSummary:
    """How many of the campaign's scored standards have tasks (the tasks app computes it)."""

    total: int
    covered: int
    excluded: int
    uncovered: int

    @property
    def percent(self) -> int:
        needed = self.total - self.excluded
        return 100 if needed == 0 else round(self.covered * 100 / needed)


NO_COVERAGE = CoverageSummary(total=0, covered=0, excluded=0, uncovered=0)


def campaign_coverage(campaign: Campaign) -> CoverageSummary:
    """The coverage registered by the tasks app (`campaigns.coverage`), or none at all."""
    for provide in registry.extensions("campaigns.coverage"):
        summary: CoverageSummary = provide(campaign)
        return summary
    return NO_COVERAGE


@transaction.atomic
def campaign_mark_organized(*, campaign: Campaign) -> Campaign:
    """Mark the campaign 已部署: only once every check registered for it passes (the tasks app
    registers one: every scored standard has a task or is marked not applicable)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.PLANNING:
        raise ValidationError(
            f"该创建工作当前状态为“{campaign.get_status_display()}”，不需要再标记为已部署。"
        )
    for check in registry.extensions("campaigns.organize_checks"):
        check(campaign)
    campaign.status = CampaignStatus.ORGANIZED
    campaign.organized_at = timezone.now()
    campaign.save(update_fields=["status", "organized_at", "updated_at"])
    return campaign


# --- milestones --------------------------------------------------------------------------


def _milestone_errors(
    *,
    campaign: Campaign,
    title: str,
    due: datetime.date | None,
    owner_department: Organization | None,
    owner: User | None,
    done_at: datetime.date | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = "请填写时间节点，如：九月底前全面部署到位。"
    elif len(title.strip()) > 200:
        errors["title"] = "时间节点不能超过200个字。"
    if due is None:
        errors["due"] = "请填写时间节点的日期。"
    elif not (campaign.cycle_start <= due <= campaign.cycle_end):
        errors["due"] = (
            f"时间节点的日期（{fmt_date(due)}）不在创建周期（{fmt_date(campaign.cycle_start)}"
            f"至{fmt_date(campaign.cycle_end)}）之内，请修改。"
        )
    problem = _check_department(campaign.unit, owner_department)
    if problem:
        errors["owner_department"] = problem
    problem = _check_owner(campaign.unit, owner)
    if problem:
        errors["owner"] = problem
    if done_at is not None and done_at > timezone.localdate():
        errors["done_at"] = "完成日期不能晚于今天。"
    return errors


@transaction.atomic
def milestone_create(
    *,
    campaign: Campaign,
    title: str,
    due: datetime.date | None,
    owner_department: Organization | None = None,
    owner: User | None = None,
) -> Milestone:
    errors = _milestone_errors(
        campaign=campaign, title=title, due=due, owner_department=owner_department, owner=owner
    )
    if errors:
        raise ValidationError(errors)
    assert due is not None
    return Milestone.objects.create(
        campaign=campaign,
        phase=_phase_for(campaign, due),
        title=title.strip(),
        due=due,
        owner_department=owner_department,
        owner=owner,
    )


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    title: str,
    due: datetime.date | None,
    owner_department: Organization | None = None,
    owner: User | None = None,
    done_at: datetime.date | None = None,
) -> Milestone:
    campaign = milestone.campaign
    if not milestone.is_active:
        raise ValidationError("该时间节点已撤销，不能再修改。")
    errors = _milestone_errors(
        campaign=campaign,
        title=title,
        due=due,
        owner_department=owner_department,
        owner=owner,
        done_at=done_at,
    )
    if errors:
        raise ValidationError(errors)
    assert due is not None
    milestone.title = title.strip()
    milestone.due = due
    milestone.phase = _phase_for(campaign, due)
    milestone.owner_department = owner_department
    milestone.owner = owner
    milestone.done_at = done_at
    milestone.save(update_fields=["title", "due", "phase", "owner_department", "owner", "done_at"])
    return milestone


@transaction.atomic
def milestone_deactivate(*, milestone: Milestone) -> Milestone:
    """Withdraw a milestone from the plan; the record stays."""
    if milestone.is_active:
        milestone.is_active = False
        milestone.save(update_fields=["is_active"])
    return milestone


# --- reading helpers used by views, the API and the plan document -------------------------


def unit_departments(unit: Organization) -> list[Organization]:
    """The unit's active departments, in the order the organization screens show them."""
    return list(unit.active_departments())

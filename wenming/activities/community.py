"""双报到 and 帮扶共建: their writes and the readings every surface shows.

- 双报到: a party member of the unit reports to the community where they live
  (`community_report`, once per person while the registration is live; `community_report_remove`
  keeps the row with `removed_at`). The community gives quarterly feedback on each member
  (`community_feedback_record`: a rating, the hours served in the community and a note, one
  per quarter; recording the same quarter again updates it; never for a quarter not yet
  begun, nor one that ended before the member reported).
- 帮扶共建: a partner (a community, village or school) with the lead department, the plan
  and the visits planned each year (`pairing_create`, `pairing_remove`). Its visits are the
  campaign's live activities naming it (`pairing_visits`), recorded like any activity.

Conventions as in `activities.services`: keyword-only, `user` is the actor, refusals are
`ValidationError`s in Chinese keyed by field, checked before anything is written. Access is
checked by the callers (`service_access`). The readings (`report_rows`, `community_figures`,
`pairing_rows`) issue a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from wenming.activities.models import (
    Activity,
    CommunityFeedback,
    CommunityReport,
    FeedbackRating,
    Pairing,
)
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

CENT = Decimal("0.01")
# A quarter has at most 92 days: more hours than that in a community cannot be right.
MAX_QUARTER_HOURS = Decimal(92 * 24)
MAX_VISITS = 100
PLAN_CHARS = 5000


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _length(model: Any, field: str) -> int:
    return int(model._meta.get_field(field).max_length)


# --- quarters ---------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return quarter_start(year, quarter + 1) - datetime.timedelta(days=1)


def shown_quarter(year: int, today: datetime.date | None = None) -> int | None:
    """The quarter whose feedback a year's page asks for: this quarter in this year, the
    fourth in a past year, none in a year to come."""
    today = today or timezone.localdate()
    if year == today.year:
        return quarter_of(today)
    return 4 if year < today.year else None


def last_complete_quarter(today: datetime.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    quarter = quarter_of(today) - 1
    return (today.year, quarter) if quarter else (today.year - 1, 4)


# --- 双报到 -----------------------------------------------------------------------------------


def community_report(
    *,
    unit: Organization,
    person: User,
    user: User | None,
    community: str,
    reported_on: datetime.date | None,
) -> CommunityReport:
    """Register a party member of the unit with the community where they live."""
    who = _name(person)
    errors: dict[str, str] = {}
    if not unit_people(unit).filter(pk=person.pk).exists():
        errors["person"] = f"{who}不是本单位人员。"
    community = _text(community)
    limit = _length(CommunityReport, "community")
    if not community:
        errors["community"] = "请填写居住地社区，例如“城东街道幸福里社区”。"
    elif len(community) > limit:
        errors["community"] = f"居住地社区最多{limit}字。"
    if reported_on is None:
        errors["reported_on"] = "请填写报到日期。"
    elif reported_on > timezone.localdate():
        errors["reported_on"] = "报到日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    assert reported_on is not None
    with transaction.atomic():
        current = (
            CommunityReport.objects.select_for_update()
            .filter(unit=unit, person=person, removed_at__isnull=True)
            .first()
        )
        if current is not None:
            raise ValidationError(
                {
                    "person": f"{who}已于{current.reported_on}向“{current.community}”报到；"
                    "如需更换社区，请先移除原来的登记。"
                }
            )
        return CommunityReport.objects.create(
            unit=unit,
            person=person,
            community=community,
            reported_on=reported_on,
            created_by=user,
        )


def community_report_remove(*, report: CommunityReport, user: User | None) -> None:
    """Take a registration out (kept with its feedback): the member no longer counts."""
    with transaction.atomic():
        locked = CommunityReport.objects.select_for_update().get(pk=report.pk)
        if locked.removed_at is not None:
            raise ValidationError("该双报到登记已移除，请刷新页面。")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])


def _feedback_hours(value: Any) -> tuple[Decimal | None, str]:
    if value is None or _text(value) == "":
        return Decimal(0), ""
    try:
        hours = Decimal(_text(value))
    except (InvalidOperation, ValueError):
        return None, "社区服务时长请填写小时数，例如 6.5。"
    if not hours.is_finite():
        return None, "社区服务时长请填写小时数，例如 6.5。"
    if hours < 0:
        return None, "社区服务时长不能是负数。"
    if hours != hours.quantize(CENT):
        return None, "社区服务时长最多保留两位小数。"
    if hours > MAX_QUARTER_HOURS:
        return None, f"社区服务时长超过了一个季度的时间（最多{MAX_QUARTER_HOURS}小时），请核对。"
    return hours, ""


def community_feedback_record(
    *,
    report: CommunityReport,
    user: User | None,
    year: int | None,
    quarter: int | None,
    rating: str,
    hours: Any = None,
    note: str = "",
) -> CommunityFeedback:
    """The community's feedback on the member for a quarter; the same quarter again updates
    it."""
    if report.removed_at is not None:
        raise ValidationError("该党员的双报到登记已移除，不能再登记社区反馈。")
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = "请选择年度。"
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "请选择季度。"
    elif year is not None and "year" not in errors:
        if (year, quarter) > (today.year, quarter_of(today)):
            errors["quarter"] = f"{year}年第{quarter}季度还没有到，不能登记社区反馈。"
        elif quarter_end(year, quarter) < report.reported_on:
            errors["quarter"] = (
                f"该党员于{report.reported_on}报到，不能登记报到以前季度的社区反馈。"
            )
    if rating not in FeedbackRating.values:
        labels = "、".join(FeedbackRating.labels)
        errors["rating"] = f"请选择社区评价（{labels}）。"
    value, why = _feedback_hours(hours)
    if why:
        errors["hours"] = why
    note = _text(note)
    limit = _length(CommunityFeedback, "note")
    if len(note) > limit:
        errors["note"] = f"社区意见最多{limit}字。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback, _ = CommunityFeedback.objects.update_or_create(
            report=report,
            year=year,
            quarter=quarter,
            defaults={"rating": rating, "hours": value, "note": note, "recorded_by": user},
        )
    return feedback


# --- 双报到: readings ---------------------------------------------------------------------------


def live_reports(unit: Organization, by: datetime.date | None = None) -> QuerySet[CommunityReport]:
    """The unit's live registrations (reported by `by`, when given)."""
    qs = CommunityReport.objects.filter(unit=unit, removed_at__isnull=True)
    return qs if by is None else qs.filter(reported_on__lte=by)


@dataclass(frozen=True)
class QuarterCell:
    quarter: int
    state: str  # done | missing | future | before (the member had not reported yet)
    feedback: CommunityFeedback | None = None


@dataclass(frozen=True)
class ReportRow:
    report: CommunityReport
    name: str
    cells: list[QuarterCell]
    hours: Decimal  # the year's hours served in the community
    missing_now: bool  # no feedback for the quarter the page asks for (`shown_quarter`)


def _cells(report: CommunityReport, year: int, today: datetime.date) -> list[QuarterCell]:
    found = {f.quarter: f for f in report.feedback.all() if f.year == year}
    cells = []
    for quarter in (1, 2, 3, 4):
        if quarter in found:
            cells.append(QuarterCell(quarter, "done", found[quarter]))
        elif (year, quarter) > (today.year, quarter_of(today)):
            cells.append(QuarterCell(quarter, "future"))
        elif quarter_end(year, quarter) < report.reported_on:
            cells.append(QuarterCell(quarter, "before"))
        else:
            cells.append(QuarterCell(quarter, "missing"))
    return cells


def report_rows(unit: Organization, year: int, reports: Any = None) -> list[ReportRow]:
    """The members reported by the end of `year` with their feedback of the year by quarter
    (two queries); `reports`, a slice of `live_reports` to show (a page), else all."""
    today = timezone.localdate()
    if reports is None:
        reports = report_queryset(unit, year)
    shown = shown_quarter(year, today)
    rows = []
    for report in reports:
        cells = _cells(report, year, today)
        hours = sum((c.feedback.hours for c in cells if c.feedback), Decimal(0))
        missing = any(c.quarter == shown and c.state == "missing" for c in cells)
        rows.append(ReportRow(report, _name(report.person), cells, hours, missing))
    return rows


def report_queryset(unit: Organization, year: int) -> QuerySet[CommunityReport]:
    """The members reported by the end of `year`, their person and the year's feedback
    prefetched, in order of community and name."""
    feedback = CommunityFeedback.objects.filter(year=year).order_by("quarter")
    return (
        live_reports(unit, datetime.date(year, 12, 31))
        .select_related("person")
        .prefetch_related(Prefetch("feedback", queryset=feedback))
        .order_by("community", "person__first_name", "person__username", "id")
    )


def community_figures(unit: Organization, year: int) -> dict[str, Any]:
    """双报到 at a glance (three queries): `reported` members (by the end of the year, or
    today), the `quarter` asked for (`shown_quarter`), `received` and `missing` feedback for
    it among those reported by its end, and the year's community `hours`."""
    today = timezone.localdate()
    end = min(datetime.date(year, 12, 31), today)
    quarter = shown_quarter(year, today)
    reports = live_reports(unit, end)
    figures: dict[str, Any] = {"reported": reports.count(), "due": 0, "received": 0}
    if quarter is not None:
        by_end = Q(reported_on__lte=quarter_end(year, quarter))
        given = by_end & Q(feedback__year=year, feedback__quarter=quarter)
        figures.update(
            reports.aggregate(
                due=Count("id", filter=by_end, distinct=True),
                received=Count("feedback", filter=given, distinct=True),
            )
        )
    hours = CommunityFeedback.objects.filter(
        report__unit=unit, report__removed_at__isnull=True, year=year
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    due, received = figures["due"] or 0, figures["received"] or 0
    return {
        "reported": figures["reported"],
        "quarter": quarter,
        "received": received,
        "missing": max(due - received, 0),
        "hours": hours.quantize(CENT),
    }


# --- 帮扶共建 -----------------------------------------------------------------------------------


def pairing_create(
    *,
    campaign: Campaign,
    user: User | None,
    department: Organization | None,
    partner: str,
    plan: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
    visits_planned: int | None = 4,
) -> Pairing:
    """A 帮扶共建 partner of the campaign's unit with its plan."""
    errors: dict[str, str] = {}
    departments = Organization.objects.departments_of(campaign.unit, active_only=True)
    if department is None or not departments.filter(pk=department.pk).exists():
        errors["department"] = "请选择本单位的牵头部门。"
    partner = _text(partner)
    limit = _length(Pairing, "partner")
    if not partner:
        errors["partner"] = "请填写共建对象，例如“城东街道幸福里社区”。"
    elif len(partner) > limit:
        errors["partner"] = f"共建对象最多{limit}字。"
    elif Pairing.objects.filter(
        campaign=campaign, partner=partner, removed_at__isnull=True
    ).exists():
        errors["partner"] = f"已有共建对象“{partner}”，请勿重复登记。"
    plan = _text(plan)
    if not plan:
        errors["plan"] = "请填写共建计划：帮扶什么、怎样走访、要达到什么效果。"
    elif len(plan) > PLAN_CHARS:
        errors["plan"] = f"共建计划最多{PLAN_CHARS}字。"
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期。"
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if visits_planned is None or not 1 <= visits_planned <= MAX_VISITS:
        errors["visits_planned"] = f"每年计划走访次数请填写1到{MAX_VISITS}之间的整数。"
    if errors:
        raise ValidationError(errors)
    assert visits_planned is not None and department is not None and starts_on is not None
    return Pairing.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=department,
        partner=partner,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        visits_planned=visits_planned,
        created_by=user,
    )


def pairing_remove(*, pairing: Pairing, user: User | None) -> None:
    """Take a pairing out (kept, and its visits stay activities)."""
    with transaction.atomic():
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.removed_at is not None:
            raise ValidationError("该帮扶共建对象已移除，请刷新页面。")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])


# --- 帮扶共建: readings -------------------------------------------------------------------------


def pairing_visits(pairing: Pairing) -> QuerySet[Activity]:
    """A pairing's visits: the live activities naming it, newest first."""
    return (
        Activity.objects.live()
        .filter(pairing=pairing)
        .select_related("department")
        .order_by("-starts_at", "-id")
    )


def progress_text(year: int, visits: int, planned: int, today: datetime.date | None = None) -> str:
    """ "今年已走访2次，计划4次，还差2次"; a past year in the past tense; a year to come, the plan."""
    today = today or timezone.localdate()
    short = max(planned - visits, 0)
    if year > today.year:
        return f"{year}年计划走访{planned}次"
    if year == today.year:
        if short:
            return f"今年已走访{visits}次，计划{planned}次，还差{short}次"
        return f"今年已走访{visits}次，已完成计划{planned}次"
    if short:
        return f"{year}年走访{visits}次，计划{planned}次，差{short}次"
    return f"{year}年走访{visits}次，完成计划{planned}次"


@dataclass(frozen=True)
class PairingRow:
    pairing: Pairing
    visits: int  # in the year
    planned: int
    short: int
    text: str


def pairings_in(campaign: Campaign, year: int) -> QuerySet[Pairing]:
    """The campaign's live pairings running in `year`, each with `visits_year` (one query)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    in_year = Q(visits__removed_at__isnull=True, visits__starts_at__year=year)
    return (
        Pairing.objects.filter(campaign=campaign, removed_at__isnull=True, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .select_related("department")
        .annotate(visits_year=Count("visits", filter=in_year))
        .order_by("starts_on", "id")
    )


def pairing_row(pairing: Pairing, year: int, visits: int) -> PairingRow:
    planned = pairing.visits_planned
    return PairingRow(
        pairing, visits, planned, max(planned - visits, 0), progress_text(year, visits, planned)
    )


def pairing_rows(campaign: Campaign, year: int) -> list[PairingRow]:
    """Each pairing running in `year` with its visits that year against the plan (one
    query)."""
    return [pairing_row(p, year, p.visits_year) for p in pairings_in(campaign, year)]  # type: ignore[attr-defined]

"""What a standard about people asks, computed: each `StandardMeasure` of a campaign is read
against the unit's activities, attendance and volunteers of a year, with the exact shortfall
("还差6人注册", "人均差4.5小时", "3月、5月未开展").

Every figure is defined once here (`Figure`), in a fixed number of queries whatever the
number of activities or people; the screens and the API read these rows. The denominator of
the volunteer rate is the unit's people on the platform (`orgs.services.unit_people`), and
each row says so in its `basis`.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone

from wenming.activities import festivals, hours, nominations, study
from wenming.activities.figures import festival_rows
from wenming.activities.models import (
    STAR_HOURS,
    Activity,
    ActivityKind,
    Figure,
    StandardMeasure,
    Volunteer,
)
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

CENT = Decimal("0.01")
KIND_WORDS: list[tuple[str, str]] = [
    ("道德讲堂", ActivityKind.MORAL_LECTURE),
    ("双报到", ActivityKind.DOUBLE_REPORT),
    ("主题党日", ActivityKind.PARTY_DAY),
    ("读书", ActivityKind.READING),
    ("帮扶", ActivityKind.PAIRING),
    ("共建", ActivityKind.PAIRING),
    ("捐", ActivityKind.DONATION),
    ("文体", ActivityKind.CULTURE_SPORTS),
    ("中心组", ActivityKind.STUDY_CENTER),
    ("集体学习", ActivityKind.STUDY_GROUP),
    ("志愿", ActivityKind.VOLUNTEER),
]


def star_of(total: Decimal) -> int:
    """星级志愿者 by the service hours in all: 0 below the first star."""
    return max((star for star, needed in STAR_HOURS if total >= needed), default=0)


def _number(text: str) -> Decimal:
    return Decimal(text)


@dataclass(frozen=True)
class Suggestion:
    figure: str
    kind: str
    target: Decimal


def _kind_in(text: str) -> str:
    return next((kind for word, kind in KIND_WORDS if word in text), "")


def suggest(standard: Node) -> Suggestion | None:
    """The figure and target a standard's own words state, if they state one: "注册志愿者占职工
    总数的30%以上", "人均每年不少于20小时", "每月举办道德讲堂", "在春节、中秋…开展主题活动",
    "每年至少开展4次"."""
    text = " ".join(filter(None, [standard.title, standard.scoring_rule or ""]))
    rate = re.search(r"(\d+(?:\.\d+)?)\s*[%％]", text)
    if rate and "志愿" in text and "注册" in text:
        return Suggestion(Figure.VOLUNTEER_RATE, "", _number(rate.group(1)))
    stated = re.search(r"(?:不少于|不低于|达到)\s*(\d+(?:\.\d+)?)\s*(?:个)?小时", text)
    if stated:
        return Suggestion(Figure.HOURS_PER_PERSON, "", _number(stated.group(1)))
    if any(f.name in text for f in festivals.FESTIVALS.values() if f.key in festivals.TRADITIONAL):
        named = sum(1 for key in festivals.TRADITIONAL if festivals.FESTIVALS[key].name in text)
        return Suggestion(Figure.FESTIVALS, "", Decimal(max(named, 1)))
    kind = _kind_in(text)
    if not kind and "活动" not in text:
        return None  # a count of meetings, reports or documents is not an activity's
    if "每月" in text:
        return Suggestion(Figure.MONTHLY, kind, Decimal(12))
    times = re.search(
        r"每(?:年|季度)?\S{0,12}?(?:至少|不少于)?\s*(?:开展|举办|组织)?\s*(\d+)\s*[次期场]", text
    )
    if times:
        count = _number(times.group(1))
        if "季度" in text[: times.end()]:
            count *= 4
        return Suggestion(Figure.ACTIVITIES, kind, count)
    return None


# How each figure's value reads.
FIGURE_UNITS = {
    Figure.VOLUNTEER_RATE: "%",
    Figure.HOURS_PER_PERSON: "小时",
    Figure.ACTIVITIES: "次",
    Figure.MONTHLY: "个月",
    Figure.FESTIVALS: "个",
    Figure.STUDY_SESSIONS: "次",
    Figure.STUDY_POINTS: "分",
    Figure.PAIRING_VISITS: "次",
    Figure.MODELS: "个",
}


@dataclass
class MeasureRow:
    """A measured standard: the figure as computed, against its target, and what is missing."""

    measure: StandardMeasure
    value: Decimal
    basis: str
    shortfall: str = ""
    activity_ids: list[int] = field(default_factory=list)
    # The 达标测算 page of the campaign and year (set by `by_standard`).
    url: str = ""

    @property
    def met(self) -> bool:
        return self.value >= self.measure.target

    @property
    def label(self) -> str:
        return "达标" if self.met else "未达标"

    @property
    def unit(self) -> str:
        return FIGURE_UNITS.get(Figure(self.measure.figure), "")

    @property
    def figure_label(self) -> str:
        return self.measure.get_figure_display()


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class _Year:
    """What a unit's year holds, read once for all its measures (eight queries).

    Study figures count the unit's people as they are now: sessions are their attendances
    at live study activities (中心组学习, 集体学习, 主题党日) of the year, points the platform
    points imported for the year's months; 先进典型 are the year's nominations awarded
    (and those referred upward after their award)."""

    unit: Organization
    year: int
    today: datetime.date
    people: int = 0
    volunteers: set[int] = field(default_factory=set)
    volunteer_hours: Decimal = Decimal(0)
    by_kind_month: dict[tuple[str, int], int] = field(default_factory=dict)
    study_attendances: int = 0
    study_points: Decimal = Decimal(0)
    models: int = 0

    @classmethod
    def read(cls, unit: Organization, year: int, today: datetime.date) -> _Year:
        found = cls(unit=unit, year=year, today=today)
        found.people = unit_people(unit).count()
        found.volunteers = set(
            Volunteer.objects.filter(
                unit=unit, removed_at__isnull=True, registered_on__lte=datetime.date(year, 12, 31)
            ).values_list("person_id", flat=True)
        )
        found.volunteer_hours = hours.total(unit, year, found.volunteers)
        rows = (
            _activities(unit, year)
            .annotate(month=ExtractMonth("starts_at"))
            .values("kind", "month")
            .annotate(n=Count("id"))
            .order_by()
        )
        found.by_kind_month = {(r["kind"], r["month"]): r["n"] for r in rows}
        people = unit_people(unit).values("pk")
        # What a study session and a year's points are: defined once, in `study.readings`.
        found.study_attendances = (
            study.session_attendances(unit, year).filter(person__in=people).count()
        )
        found.study_points = study.year_points(unit, year).filter(person__in=people).aggregate(
            t=Sum("points")
        )["t"] or Decimal(0)
        found.models = nominations.models_count(unit, year)
        return found

    def count(self, kind: str) -> int:
        return sum(n for (k, _), n in self.by_kind_month.items() if not kind or k == kind)

    def months(self, kind: str) -> set[int]:
        return {m for (k, m), n in self.by_kind_month.items() if n and (not kind or k == kind)}

    def months_due(self) -> list[int]:
        """The months of the year that have begun (all twelve for a past year)."""
        if self.year < self.today.year:
            return list(range(1, 13))
        if self.year > self.today.year:
            return []
        return list(range(1, self.today.month + 1))


def _activities(unit: Organization, year: int) -> QuerySet[Activity]:
    return Activity.objects.live().filter(unit=unit, starts_at__year=year)


def _kind_label(kind: str) -> str:
    return ActivityKind(kind).label if kind else "各类"


def _row(
    measure: StandardMeasure, year: _Year, festival_state: list[festivals.Occurrence]
) -> MeasureRow:
    target = measure.target
    figure = measure.figure
    if figure == Figure.VOLUNTEER_RATE:
        registered = len(year.volunteers)
        value = _round(Decimal(registered * 100) / year.people) if year.people else Decimal(0)
        need = math.ceil(target * year.people / 100) - registered
        return MeasureRow(
            measure,
            value,
            f"注册志愿者{registered}人，职工{year.people}人（按平台登记的本单位人员计）",
            f"还差{need}人注册" if need > 0 else "",
        )
    if figure == Figure.HOURS_PER_PERSON:
        registered = len(year.volunteers)
        value = _round(year.volunteer_hours / registered) if registered else Decimal(0)
        gap = _round(target - value)
        total_gap = _round(target * registered - year.volunteer_hours)
        return MeasureRow(
            measure,
            value,
            f"{year.year}年注册志愿者{registered}人共服务{_round(year.volunteer_hours)}小时",
            f"人均差{gap}小时（共差{total_gap}小时）" if gap > 0 else "",
        )
    if figure == Figure.ACTIVITIES:
        count = year.count(measure.kind)
        need = int(target) - count
        return MeasureRow(
            measure,
            Decimal(count),
            f"{year.year}年开展{_kind_label(measure.kind)}活动{count}次",
            f"还差{need}次" if need > 0 else "",
        )
    if figure == Figure.MONTHLY:
        held = year.months(measure.kind)
        due = year.months_due()
        missing = [m for m in due if m not in held]
        return MeasureRow(
            measure,
            Decimal(len([m for m in due if m in held])),
            f"{year.year}年已过{len(due)}个月，{len(due) - len(missing)}个月开展了{_kind_label(measure.kind)}活动",
            f"{'、'.join(f'{m}月' for m in missing)}未开展" if missing else "",
        )
    if figure in (Figure.STUDY_SESSIONS, Figure.STUDY_POINTS):
        return _per_person(measure, year)
    if figure == Figure.PAIRING_VISITS:
        count = year.count(ActivityKind.PAIRING)
        need = int(target) - count
        return MeasureRow(
            measure,
            Decimal(count),
            f"{year.year}年帮扶共建走访{count}次",
            f"还差{need}次" if need > 0 else "",
        )
    if figure == Figure.MODELS:
        need = int(target) - year.models
        return MeasureRow(
            measure,
            Decimal(year.models),
            f"{year.year}年评选先进典型{year.models}个（含向上推荐）",
            f"还差{need}个" if need > 0 else "",
        )
    held_names = [o.festival.name for o in festival_state]
    missed = [
        festivals.FESTIVALS[k].name
        for k in festivals.TRADITIONAL
        if festivals.FESTIVALS[k].name not in held_names
    ]
    return MeasureRow(
        measure,
        Decimal(len(held_names)),
        f"{year.year}年传统节日开展主题活动{len(held_names)}个",
        f"{'、'.join(missed)}尚未开展" if len(held_names) < target else "",
    )


def _per_person(measure: StandardMeasure, year: _Year) -> MeasureRow:
    sessions = measure.figure == Figure.STUDY_SESSIONS
    total = Decimal(year.study_attendances) if sessions else year.study_points
    value = _round(total / year.people) if year.people else Decimal(0)
    gap = _round(measure.target - value)
    word, unit = ("参加学习", "次") if sessions else ("学习平台积分", "分")
    return MeasureRow(
        measure,
        value,
        f"{year.year}年职工{year.people}人共{word}{_round(total)}{unit}（按平台登记的本单位人员计）",
        f"人均差{gap}{unit}" if gap > 0 else "",
    )


def by_standard(campaign: Campaign, today: datetime.date) -> dict[int, MeasureRow]:
    """Each measured standard's row for this year, with the link to its 达标测算 (the
    extension "scoring.measured_by_standard": the scoring sheet and the gap analysis show
    it under the standard)."""
    url = f"{reverse('activities:measures')}?campaign={campaign.pk}&year={today.year}"
    found = {}
    for row in measure_rows(campaign, today.year, today):
        row.url = url
        found[row.measure.standard_id] = row
    return found


def measure_rows(
    campaign: Campaign, year: int, today: datetime.date | None = None
) -> list[MeasureRow]:
    """Every measured standard of the campaign for `year`, in the system's order (about ten
    queries whatever the data)."""
    today = today or timezone.localdate()
    measures = list(
        StandardMeasure.objects.filter(campaign=campaign)
        .select_related("standard")
        .order_by("standard__position")
    )
    if not measures:
        return []
    year_data = _Year.read(campaign.unit, year, today)
    held = [
        r.occurrence
        for r in festival_rows(campaign.unit, year, today)
        if r.state == "held" and r.occurrence.festival.key in festivals.TRADITIONAL
    ]
    return [_row(m, year_data, held) for m in measures]

"""What a unit's activities add up to: the festivals held, a person's record. Each figure is
defined once here and read by the screens, the API and (later) the standards' measures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from wenming.activities import festivals
from wenming.activities.models import Activity, ActivityKind, Attendance
from wenming.orgs.models import Organization


@dataclass
class FestivalRow:
    """A festival of the year and the unit's themed activities in its window."""

    occurrence: festivals.Occurrence
    activities: list[Activity]
    today: datetime.date

    @property
    def state(self) -> str:
        if self.activities:
            return "held"
        start, end = self.occurrence.window
        if self.today < start:
            return "upcoming"
        return "open" if self.today <= end else "missed"

    @property
    def label(self) -> str:
        return {"held": "已开展", "upcoming": "未到", "open": "进行中", "missed": "未开展"}[
            self.state
        ]


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def festival_rows(
    unit: Organization, year: int, today: datetime.date | None = None
) -> list[FestivalRow]:
    """Every festival of `year` with the unit's live 我们的节日 activities for it held inside
    its window (one query)."""
    today = today or timezone.localdate()
    held = Activity.objects.live().filter(
        unit=unit,
        kind=ActivityKind.FESTIVAL,
        # Bounds as moments, not dates of the column: the index on starts_at serves them.
        starts_at__gte=_start_of(datetime.date(year - 1, 12, 1)),
        starts_at__lt=_start_of(datetime.date(year + 1, 2, 1)),
    )
    rows = [FestivalRow(o, [], today) for o in festivals.of_year(year)]
    by_key = {r.occurrence.festival.key: r for r in rows}
    for activity in held.order_by("starts_at"):
        row = by_key.get(activity.festival)
        if row is None:
            continue
        start, end = row.occurrence.window
        if start <= timezone.localtime(activity.starts_at).date() <= end:
            row.activities.append(activity)
    return rows


def person_attendances(person: User, unit: Organization) -> QuerySet[Attendance]:
    """The person's live attendances in the unit's activities, newest first."""
    return (
        Attendance.objects.filter(
            person=person, activity__unit=unit, activity__removed_at__isnull=True
        )
        .select_related("activity__department")
        .order_by("-activity__starts_at", "-id")
    )


def hours_by_year(person: User, unit: Organization) -> list[tuple[int, Decimal, int]]:
    """(year, hours, activities) of the person in the unit, newest year first (one query)."""
    rows = (
        person_attendances(person, unit)
        .values("activity__starts_at__year")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("-activity__starts_at__year")
    )
    return [(r["activity__starts_at__year"], r["hours"], r["n"]) for r in rows]

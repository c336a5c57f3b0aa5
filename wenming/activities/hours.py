"""Volunteer service hours (志愿服务时长): one definition for every total, star and rate.

A person's service hours in a unit are
- the hours they gave in the unit's live activities of the service kinds (志愿服务, 双报到,
  帮扶共建, 爱心捐助), certified by the department that organized and recorded them, and
- the hours imported from a volunteer platform's export (`ServiceHours`, "谁组织谁记录"),
  not removed.
Hours in other activities (a 道德讲堂, a study session, a festival gathering) are attendance,
not service, and count in neither. A year is the activity's start or the service date.

Every reader here issues a fixed number of queries, whatever the number of people or rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wenming.activities.models import Activity, ActivityKind, Attendance, ServiceHours
from wenming.orgs.models import Organization

SERVICE_KINDS = (
    ActivityKind.VOLUNTEER,
    ActivityKind.DOUBLE_REPORT,
    ActivityKind.PAIRING,
    ActivityKind.DONATION,
)
ZERO = Decimal(0)


def service_activities(unit: Organization) -> QuerySet[Activity]:
    return Activity.objects.live().filter(unit=unit, kind__in=SERVICE_KINDS)


def _attended(unit: Organization, year: int | None) -> QuerySet[Attendance]:
    qs = Attendance.objects.filter(
        person__isnull=False,
        activity__unit=unit,
        activity__removed_at__isnull=True,
        activity__kind__in=SERVICE_KINDS,
    )
    return qs if year is None else qs.filter(activity__starts_at__year=year)


def _imported(unit: Organization, year: int | None) -> QuerySet[ServiceHours]:
    qs = ServiceHours.objects.filter(unit=unit, removed_at__isnull=True)
    return qs if year is None else qs.filter(served_on__year=year)


def by_person(
    unit: Organization, year: int | None = None, person_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """Each person's service hours in the unit (in `year`, or in all): two queries."""
    attended = _attended(unit, year)
    imported = _imported(unit, year)
    if person_ids is not None:
        attended = attended.filter(person_id__in=person_ids)
        imported = imported.filter(person_id__in=person_ids)
    found: dict[int, Decimal] = {}
    for qs in (attended, imported):
        for pk, total in qs.values_list("person_id").annotate(t=Sum("hours")).order_by():
            found[pk] = found.get(pk, ZERO) + (total or ZERO)
    return found


def total(unit: Organization, year: int, person_ids: set[int] | list[int]) -> Decimal:
    """The service hours of these people in the unit in `year`: two queries (the unit's
    totals per person, summed here: no list of ids in the query)."""
    found = by_person(unit, year)
    return sum((found.get(pk, ZERO) for pk in set(person_ids)), ZERO)


def of_person(person: User, unit: Organization, year: int | None = None) -> Decimal:
    return by_person(unit, year, [person.pk]).get(person.pk, ZERO)


def by_year(person: User, unit: Organization) -> list[tuple[int, Decimal, int]]:
    """(year, service hours, times served) of the person in the unit, newest year first:
    two queries. A time served is a service activity attended or an imported row."""
    rows: dict[int, tuple[Decimal, int]] = {}
    attended = (
        _attended(unit, None)
        .filter(person=person)
        .values_list("activity__starts_at__year")
        .annotate(t=Sum("hours"), n=Sum(Value(1)))
        .order_by()
    )
    imported = (
        _imported(unit, None)
        .filter(person=person)
        .values_list("served_on__year")
        .annotate(t=Sum("hours"), n=Sum(Value(1)))
        .order_by()
    )
    for qs in (attended, imported):
        for year, hours, n in qs:
            before = rows.get(year, (ZERO, 0))
            rows[year] = (before[0] + (hours or ZERO), before[1] + n)
    return [(y, h, n) for y, (h, n) in sorted(rows.items(), reverse=True)]


def _sum_of(qs: QuerySet[Any]) -> Subquery:
    return Subquery(
        qs.filter(person_id=OuterRef("person_id"))
        .values("person_id")
        .annotate(t=Sum("hours"))
        .values("t")[:1],
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def annotate(qs: QuerySet[Any], unit: Organization, year: int) -> QuerySet[Any]:
    """`qs` (rows with a `person_id`) with `hours_year` and `hours_total`, each person's
    service hours in `year` and in all, as subqueries (no row multiplication; one query)."""
    zero = Value(ZERO, output_field=DecimalField(max_digits=12, decimal_places=2))
    return qs.annotate(
        hours_year=Coalesce(_sum_of(_attended(unit, year)), zero)
        + Coalesce(_sum_of(_imported(unit, year)), zero),
        hours_total=Coalesce(_sum_of(_attended(unit, None)), zero)
        + Coalesce(_sum_of(_imported(unit, None)), zero),
    )

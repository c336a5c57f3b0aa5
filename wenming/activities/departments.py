"""The people side per department (部门人员指标): for a year, each department's people, its
registered volunteers and their rate, its people's service hours (`wenming.activities.hours`),
the activities it organized, its people's study sessions and platform points, and the
先进典型 it won (`nominations.department_counts`: a 文明科室 for the department honoured, any
other award for the department that recommended it).

A person counts in each department where they hold an active post. `department_rows` issues
nine queries whatever the number of departments, people or records; the department
assessment shows the same figures (the extension "assessment.people").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from wenming.activities import hours, nominations, study
from wenming.activities.models import (
    Activity,
    NominationStatus,
    Volunteer,
)
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Membership, Organization

CENT = Decimal("0.01")
AWARDED = (NominationStatus.AWARDED, NominationStatus.REFERRED)


def _avg(total: Decimal, n: int) -> Decimal:
    return (total / n).quantize(CENT, rounding=ROUND_HALF_UP) if n else Decimal(0)


@dataclass
class DepartmentRow:
    department: Organization
    people: set[int] = field(default_factory=set)
    volunteers: int = 0
    hours: Decimal = Decimal(0)
    activities: int = 0
    study_sessions: int = 0
    study_points: Decimal = Decimal(0)
    awards: int = 0

    @property
    def headcount(self) -> int:
        return len(self.people)

    @property
    def volunteer_rate(self) -> Decimal:
        return _avg(Decimal(self.volunteers * 100), self.headcount)

    @property
    def hours_per_person(self) -> Decimal:
        return _avg(self.hours, self.headcount)

    @property
    def sessions_per_person(self) -> Decimal:
        return _avg(Decimal(self.study_sessions), self.headcount)

    @property
    def points_per_person(self) -> Decimal:
        return _avg(self.study_points, self.headcount)

    def facts(self) -> list[str]:
        """The figures as the department assessment lists them."""
        return [
            f"组织活动{self.activities}次",
            f"注册志愿者{self.volunteers}/{self.headcount}人",
            f"人均志愿服务{self.hours_per_person}小时",
            f"人均参加学习{self.sessions_per_person}次",
            *([f"先进典型{self.awards}个"] if self.awards else []),
        ]


def department_rows(campaign: Campaign, year: int) -> list[DepartmentRow]:
    unit = campaign.unit
    departments = list(Organization.objects.departments_of(unit, active_only=True))
    rows = {d.pk: DepartmentRow(d) for d in departments}
    # Every figure is read for the whole unit and spread over the departments here (no
    # list of thousands of ids in a query); someone without a post counts in none.
    posts = Membership.objects.filter(
        organization_id__in=rows, is_active=True, user__is_active=True
    ).values_list("organization_id", "user_id")
    by_person: dict[int, list[int]] = defaultdict(list)
    for dept_id, user_id in posts:
        rows[dept_id].people.add(user_id)
        by_person[user_id].append(dept_id)
    end = datetime.date(year, 12, 31)
    for pk in Volunteer.objects.filter(
        unit=unit, removed_at__isnull=True, registered_on__lte=end
    ).values_list("person_id", flat=True):
        for dept_id in by_person.get(pk, ()):
            rows[dept_id].volunteers += 1
    for pk, total in hours.by_person(unit, year).items():
        for dept_id in by_person.get(pk, ()):
            rows[dept_id].hours += total
    activities = Activity.objects.live().filter(unit=unit, starts_at__year=year)
    for dept_id, n in (
        activities.filter(department_id__in=rows)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[dept_id].activities = n
    for pk, n in (
        study.session_attendances(unit, year)
        .values_list("person_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        for dept_id in by_person.get(pk, ()):
            rows[dept_id].study_sessions += n
    for pk, total in (
        study.year_points(unit, year).values_list("person_id").annotate(t=Sum("points")).order_by()
    ):
        for dept_id in by_person.get(pk, ()):
            rows[dept_id].study_points += total or Decimal(0)
    for dept_id, n in nominations.department_counts(campaign, year).items():
        if dept_id in rows:
            rows[dept_id].awards = n
    return [rows[d.pk] for d in departments]


def assessment_facts(campaign: Campaign, ids: list[int], year: int) -> dict[int, list[str]]:
    """The extension "assessment.people": each department's people-side figures, shown
    beside its assessment (they carry no weight of their own)."""
    return {
        row.department.pk: row.facts()
        for row in department_rows(campaign, year)
        if row.department.pk in ids
    }

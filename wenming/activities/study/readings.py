"""Study records' readings: what counts, defined once, and the figures every surface shows
(the screens, the API, the person record page and the standards' measures)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db.models import Avg, Count, F, Max, Q, QuerySet, Sum

from wenming.activities.models import (
    STUDY_KINDS,
    Attendance,
    Exam,
    ExamScore,
    PointsImport,
    StudyPoints,
    StudyTarget,
)
from wenming.activities.study.services import (
    TENTH,
    departments_of_people,
    person_name,
    target_of,
)
from wenming.core.points import fmt_points
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

# --- what counts ---------------------------------------------------------------------------


def session_attendances(unit: Organization, year: int) -> QuerySet[Attendance]:
    """The attendances that count as study sessions: people at the unit's live activities of
    the study kinds starting in `year`."""
    return Attendance.objects.filter(
        person__isnull=False,
        activity__unit=unit,
        activity__removed_at__isnull=True,
        activity__kind__in=STUDY_KINDS,
        activity__starts_at__year=year,
    )


def year_points(unit: Organization, year: int) -> QuerySet[StudyPoints]:
    return StudyPoints.objects.filter(unit=unit, month__year=year)


def year_scores(unit: Organization, year: int) -> QuerySet[ExamScore]:
    return ExamScore.objects.filter(
        exam__unit=unit, exam__removed_at__isnull=True, exam__held_on__year=year
    )


def passed_q() -> Q:
    return Q(score__gte=F("exam__pass_mark"))


def exam_results(exams: QuerySet[Exam]) -> QuerySet[Exam]:
    """Each exam with `taken`, `passed` (at its own pass mark) and `average` (in one query)."""
    return exams.annotate(
        taken=Count("scores"),
        passed=Count("scores", filter=Q(scores__score__gte=F("pass_mark"))),
        average=Avg("scores__score"),
    )


def current_imports(unit: Organization) -> set[int]:
    """The imports whose points count: the latest of each month (one query)."""
    return set(
        PointsImport.objects.filter(unit=unit)
        .values("month")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )


def short_sessions(target: int, done: int) -> str:
    return f"还差{target - done}次" if done < target else ""


def short_points(target: int, done: Decimal) -> str:
    return f"还差{fmt_points(Decimal(target) - done)}分" if done < target else ""


def average(scores: list[Decimal]) -> Decimal | None:
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TENTH, rounding=ROUND_HALF_UP)


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- readings ----------------------------------------------------------------------------------

OWN_PLACE = "本单位"  # people holding a role on the unit itself, in no department


@dataclass
class PersonRow:
    """One person's study year against the unit's targets (None: no target set)."""

    person_id: int
    name: str
    departments: list[str]
    sessions: int = 0
    points: Decimal = Decimal(0)
    exams_taken: int = 0
    exams_passed: int = 0
    exam_total: Decimal = Decimal(0)
    sessions_met: bool | None = None
    sessions_short: str = ""
    points_met: bool | None = None
    points_short: str = ""

    @property
    def place(self) -> str:
        return "、".join(self.departments) or OWN_PLACE

    @property
    def exam_average(self) -> Decimal | None:
        if not self.exams_taken:
            return None
        return (self.exam_total / self.exams_taken).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool | None:
        """Every target set is met (None when no target is set)."""
        marks = [m for m in (self.sessions_met, self.points_met) if m is not None]
        return all(marks) if marks else None


@dataclass
class DepartmentRow:
    """A department's people and how many meet each target; `rate` is the share meeting
    every target set (%)."""

    name: str
    department_id: int | None = None
    people: int = 0
    sessions: int = 0
    points: Decimal = Decimal(0)
    sessions_met: int = 0
    points_met: int = 0
    met: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rate(self.met, self.people)

    @property
    def sessions_per_person(self) -> Decimal | None:
        return _per(Decimal(self.sessions), self.people)

    @property
    def points_per_person(self) -> Decimal | None:
        return _per(self.points, self.people)

    def add(self, row: PersonRow) -> None:
        self.people += 1
        self.sessions += row.sessions
        self.points += row.points
        self.sessions_met += 1 if row.sessions_met else 0
        self.points_met += 1 if row.points_met else 0
        self.met += 1 if row.met else 0


def _per(total: Decimal, people: int) -> Decimal | None:
    if not people:
        return None
    return (total / people).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class StudyReading:
    year: int
    target: StudyTarget | None
    people: list[PersonRow]
    departments: list[DepartmentRow]
    total: DepartmentRow  # the unit (or the department chosen) as a whole, each person once


def _judge(row: PersonRow, target: StudyTarget | None) -> None:
    if target is None:
        return
    if target.sessions:
        row.sessions_met = row.sessions >= target.sessions
        row.sessions_short = short_sessions(target.sessions, row.sessions)
    if target.points:
        row.points_met = row.points >= target.points
        row.points_short = short_points(target.points, row.points)


def _department_list(unit: Organization) -> list[tuple[int, str]]:
    return list(
        Organization.objects.departments_of(unit, active_only=True)
        .order_by("sort_order", "name")
        .values_list("pk", "name")
    )


def study_rows(
    unit: Organization, year: int, department: Organization | None = None
) -> StudyReading:
    """The unit's people (those of `department` only, when given) with their study year,
    and per department how many meet the targets (seven queries whatever the data)."""
    target = target_of(unit, year)
    people = unit_people(unit)
    if department is not None:
        people = people.filter(
            memberships__is_active=True, memberships__organization__path__startswith=department.path
        )
    places = departments_of_people(unit)
    rows = {
        p.pk: PersonRow(p.pk, person_name(p), places.get(p.pk, []))
        for p in people.only("pk", "first_name", "last_name", "username")
    }
    for pk, n in (
        session_attendances(unit, year)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    ):
        if pk in rows:
            rows[pk].sessions = n
    for pk, total in (
        year_points(unit, year)
        .values("person_id")
        .annotate(total=Sum("points"))
        .values_list("person_id", "total")
    ):
        if pk in rows:
            rows[pk].points = total or Decimal(0)
    scores = (
        year_scores(unit, year)
        .values("person_id")
        .annotate(taken=Count("id"), passed=Count("id", filter=passed_q()), total=Sum("score"))
        .values_list("person_id", "taken", "passed", "total")
    )
    for pk, taken, passed, total in scores:
        if pk in rows:
            row = rows[pk]
            row.exams_taken, row.exams_passed, row.exam_total = taken, passed, total or Decimal(0)
    for row in rows.values():
        _judge(row, target)
    found = list(rows.values())
    return StudyReading(year, target, found, _departments(unit, found, department), _total(found))


def _departments(
    unit: Organization, rows: list[PersonRow], chosen: Organization | None
) -> list[DepartmentRow]:
    groups = {pk: DepartmentRow(name, pk) for pk, name in _department_list(unit)}
    by_name = {g.name: g for g in groups.values()}
    own = DepartmentRow(OWN_PLACE)
    for row in rows:
        for name in row.departments or [OWN_PLACE]:
            group = own if name == OWN_PLACE else by_name.get(name)
            if group is not None:
                group.add(row)
    found = [g for g in groups.values() if g.people]
    if chosen is not None:
        return [g for g in found if g.department_id == chosen.pk]
    return found + ([own] if own.people else [])


def _total(rows: list[PersonRow]) -> DepartmentRow:
    total = DepartmentRow("合计")
    for row in rows:
        total.add(row)
    return total


@dataclass
class PersonStudy:
    """One person's study year in a unit, for their record page."""

    year: int
    target: StudyTarget | None
    row: PersonRow
    sessions: list[Attendance]
    months: list[tuple[datetime.date, Decimal]]
    scores: list[ExamScore]


def person_study(person: User, unit: Organization, year: int) -> PersonStudy:
    """The person's study sessions, monthly points and exam scores of `year` in the unit,
    with the targets (four queries)."""
    target = target_of(unit, year)
    sessions = list(
        session_attendances(unit, year)
        .filter(person=person)
        .select_related("activity")
        .order_by("activity__starts_at", "id")
    )
    months = list(
        year_points(unit, year)
        .filter(person=person)
        .order_by("month")
        .values_list("month", "points")
    )
    scores = list(
        year_scores(unit, year)
        .filter(person=person)
        .select_related("exam")
        .order_by("exam__held_on", "exam_id")
    )
    row = PersonRow(person.pk, person_name(person), [])
    row.sessions = len(sessions)
    row.points = sum((p for _, p in months), Decimal(0))
    row.exams_taken = len(scores)
    row.exams_passed = sum(1 for s in scores if s.score >= s.exam.pass_mark)
    row.exam_total = sum((s.score for s in scores), Decimal(0))
    _judge(row, target)
    return PersonStudy(year, target, row, sessions, months, scores)


@dataclass(frozen=True)
class StudyFigures:
    """The unit's study year per person, for the standards' measures (人均参加学习, 人均学习
    平台积分): over the unit's people on the platform (`orgs.services.unit_people`)."""

    people: int
    sessions: int
    points: Decimal
    sessions_per_person: Decimal | None
    points_per_person: Decimal | None


def unit_study_figures(unit: Organization, year: int) -> StudyFigures:
    """Sessions and points per person of `year` (three queries)."""
    people = unit_people(unit)
    count = people.count()
    ids = people.values("pk")
    sessions = session_attendances(unit, year).filter(person_id__in=ids).count()
    points = year_points(unit, year).filter(person_id__in=ids).aggregate(t=Sum("points"))["t"]
    points = points or Decimal(0)
    return StudyFigures(
        count, sessions, points, _per(Decimal(sessions), count), _per(points, count)
    )

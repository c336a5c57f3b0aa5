"""Study records' writes: the targets, the platform points import and 考学 (the rules are in
the package's docstring). Access is checked by the callers (`study_access`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming.activities.models import (
    Exam,
    ExamScore,
    PointsImport,
    StudyPoints,
    StudyTarget,
)
from wenming.activities.study.sheet import PointsRefused, Problem, SheetRow, read_sheet, text
from wenming.core.uploads import display_name
from wenming.orgs.models import Membership, Organization, OrgKind
from wenming.orgs.services import unit_people

PLATFORM = "学习强国"
TENTH = Decimal("0.1")
MAX_POINTS = Decimal("9999999.9")
MAX_SESSIONS = 365
MAX_TARGET_POINTS = 1_000_000
MAX_MARKS = Decimal("1000")
NOT_A_NUMBER = "不是数字"


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


def _key(name: str) -> str:
    return re.sub(r"\s", "", name)


def _shown(value: Decimal) -> str:
    return f"{value.normalize():f}"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(value: str) -> datetime.date | None:
    """ "2026-11" (as a month input sends it; also "2026年11月") as the month's first day."""
    found = MONTH_RE.match(value or "")
    if found is None or not 1 <= int(found[2]) <= 12:
        return None
    return datetime.date(int(found[1]), int(found[2]), 1)


# --- targets -----------------------------------------------------------------------------------


def _whole(value: Any, label: str, limit: int, unit: str) -> tuple[int | None, str]:
    raw = text(value)
    if raw == "":
        return 0, ""
    if not re.fullmatch(r"\d+", raw):
        return None, f"{label}请填写0或正整数，例如 12。"
    number = int(raw)
    if number > limit:
        return None, f"{label}不能超过{limit}{unit}。"
    return number, ""


def study_target_set(
    *,
    unit: Organization,
    year: int,
    user: User,
    sessions: Any,
    points: Any,
    platform: str = PLATFORM,
) -> StudyTarget:
    """Set the unit's study targets for `year` (changed when set already)."""
    errors: dict[str, str] = {}
    if not 2000 <= int(year) <= 2100:
        errors["year"] = "年度须在2000年到2100年之间。"
    session_count, why = _whole(sessions, "每人参加学习次数", MAX_SESSIONS, "次")
    if why:
        errors["sessions"] = why
    point_count, why = _whole(points, "每人学习平台积分", MAX_TARGET_POINTS, "分")
    if why:
        errors["points"] = why
    platform = text(platform) or PLATFORM
    limit = StudyTarget._meta.get_field("platform").max_length or 40
    if len(platform) > limit:
        errors["platform"] = f"学习平台名称最多{limit}个字。"
    if errors:
        raise ValidationError(errors)
    assert session_count is not None and point_count is not None
    with transaction.atomic():
        target, _ = StudyTarget.objects.update_or_create(
            unit=unit,
            year=int(year),
            defaults={
                "sessions": session_count,
                "points": point_count,
                "platform": platform,
                "updated_by": user,
            },
        )
    return target


def target_of(unit: Organization, year: int) -> StudyTarget | None:
    return StudyTarget.objects.filter(unit=unit, year=year).first()


# --- the unit's people, found by name --------------------------------------------------------


@dataclass
class People:
    """The unit's people by name without spaces (full name, else user name), with their
    departments' names (two queries)."""

    names: dict[int, str] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    departments: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, unit: Organization) -> People:
        people = cls()
        rows = unit_people(unit).values_list("pk", "first_name", "last_name", "username")
        for pk, first, last, username in rows:
            name = f"{first} {last}".strip() or username
            people.names[pk] = name
            people.by_name.setdefault(_key(name), []).append(pk)
        people.departments = departments_of_people(unit)
        return people

    def find(self, name: str, department: str = "") -> tuple[int | None, int]:
        """The person named (None when nobody or several match), and how many match. A
        department tells same-named people apart."""
        found = self.by_name.get(_key(name), [])
        if len(found) > 1 and department:
            place = _key(department)
            found = [
                pk
                for pk in found
                if any(place and (place in d or d in place) for d in self.departments.get(pk, []))
            ] or found
        return (found[0] if len(found) == 1 else None), len(found)


def departments_of_people(unit: Organization) -> dict[int, list[str]]:
    """Each person's departments in the unit, in the unit's order (one query)."""
    rows = (
        Membership.objects.filter(
            is_active=True,
            organization__is_active=True,
            organization__kind=OrgKind.DEPARTMENT,
            organization__path__startswith=unit.path,
        )
        .order_by("organization__sort_order", "organization__name")
        .values_list("user_id", "organization__name")
    )
    found: dict[int, list[str]] = {}
    for user_id, name in rows:
        names = found.setdefault(user_id, [])
        if name not in names:
            names.append(name)
    return found


# --- platform points ---------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    """A number as read from a cell or typed, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        number = Decimal(repr(value))
        # A value computed in Excel may carry binary noise past the tenths.
        if abs(number - number.quantize(TENTH)) < Decimal("0.000001"):
            number = number.quantize(TENTH)
        return number
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        try:
            number = Decimal(text(value).replace(",", ""))
        except (InvalidOperation, ValueError):
            return None
    return number if number.is_finite() else None


def parse_points(value: Any) -> tuple[Decimal | None, str]:
    """A month's points, or why not."""
    if text(value) == "":
        return None, "积分为空，请填写（没有积分的填0）。"
    number = _decimal(value)
    if number is None:
        return None, f"积分“{text(value)}”{NOT_A_NUMBER}，请只填写数字。"
    if number < 0:
        return None, f"积分{_shown(number)}是负数，积分不能为负。"
    if number != number.quantize(TENTH):
        return None, f"积分{_shown(number)}最多保留一位小数。"
    if number > MAX_POINTS:
        return None, f"积分{_shown(number)}超出了合理范围，请核对。"
    return number.quantize(TENTH), ""


@dataclass
class CheckedPoints:
    entries: list[tuple[int, Decimal]]  # person, points
    unmatched: list[str]
    problems: list[Problem]


def check_points(unit: Organization, rows: list[SheetRow], month: datetime.date) -> CheckedPoints:
    """Every row checked (three queries): the entries to keep and the names matching nobody
    when `problems` is empty."""
    if not rows:
        return CheckedPoints([], [], [Problem(None, "表头下没有积分记录，请核对后再导入。")])
    people = People.of(unit)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    entries: list[tuple[int, Decimal, int]] = []
    unmatched: list[str] = []
    for row in rows:
        if not row.name:
            problems.append(Problem(row.row, "缺少姓名，请填写或删去该行。"))
            continue
        key = _key(row.name)
        if key in seen:
            problems.append(
                Problem(
                    row.row,
                    f"“{row.name}”与第{seen[key]}行重复：同一人只能有一行积分，请删去其中一行。",
                )
            )
            continue
        seen[key] = row.row
        points, why = parse_points(row.points)
        if points is None:
            problems.append(Problem(row.row, why))
            continue
        pk, count = people.find(row.name, row.department)
        if pk is not None:
            entries.append((pk, points, row.row))
        elif count > 1:
            unmatched.append(f"{row.name}（本单位有{count}人同名，请在表中填写部门）")
        else:
            unmatched.append(row.name)
    if not problems and rows and not entries:
        problems.append(
            Problem(
                None,
                f"表中{len(unmatched)}人都未能匹配到本单位人员，请确认上传的是本单位的积分表。",
            )
        )
    problems += _elsewhere(unit, month, entries, people)
    if problems:
        return CheckedPoints([], [], problems)
    return CheckedPoints([(pk, points) for pk, points, _ in entries], unmatched, [])


def _elsewhere(
    unit: Organization,
    month: datetime.date,
    entries: list[tuple[int, Decimal, int]],
    people: People,
) -> list[Problem]:
    """Rows of people whose month another unit has imported already (one query)."""
    if not entries:
        return []
    taken = set(
        StudyPoints.objects.filter(month=month, person_id__in=[pk for pk, _, _ in entries])
        .exclude(unit=unit)
        .values_list("person_id", flat=True)
    )
    return [
        Problem(row, f"{people.names[pk]}{month:%Y年%m月}的积分已由其他单位导入，请核对。")
        for pk, _, row in entries
        if pk in taken
    ]


@dataclass(frozen=True)
class PointsResult:
    record: PointsImport
    replaced: int  # the month's points kept before, now replaced


def _month_error(month: datetime.date | None, today: datetime.date) -> str:
    if month is None:
        return "请选择积分所属的月份。"
    if month_start(month) > month_start(today):
        return "月份不能晚于本月。"
    if month.year < 2000:
        return "月份须在2000年以后。"
    return ""


def points_import(
    *,
    unit: Organization,
    user: User | None,
    month: datetime.date | None,
    content: bytes,
    file_name: str,
) -> PointsResult:
    """Import a month of the platform's points whole, or refuse the sheet whole
    (`PointsRefused`, every bad row named). A month imported again is replaced."""
    why = _month_error(month, timezone.localdate())
    if why:
        raise ValidationError({"month": why})
    assert month is not None
    month = month_start(month)
    name = display_name(file_name) or "积分表.xlsx"
    sheet = read_sheet(content, name)
    with transaction.atomic():
        # One import of the unit at a time, so two uploads of one month cannot interleave.
        Organization.objects.select_for_update().filter(pk=unit.pk).first()
        checked = check_points(unit, sheet.rows, month)
        if checked.problems:
            raise PointsRefused(checked.problems)
        replaced, _ = StudyPoints.objects.filter(unit=unit, month=month).delete()
        record = PointsImport.objects.create(
            unit=unit,
            month=month,
            file_name=name[: PointsImport._meta.get_field("file_name").max_length or 200],
            rows=len(checked.entries),
            unmatched=checked.unmatched,
            created_by=user,
        )
        StudyPoints.objects.bulk_create(
            [
                StudyPoints(unit=unit, person_id=pk, month=month, points=points, source=record)
                for pk, points in checked.entries
            ],
            batch_size=1000,
        )
    return PointsResult(record, replaced)


def unmatched_sentence(names: list[str]) -> str:
    """How the names that matched nobody are shown."""
    return f"以下{len(names)}人未能匹配到本单位人员，请核对姓名后重新导入：{'、'.join(names)}"


# --- 考学 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    """One score as entered on a row of the form: the person chosen and the score typed."""

    person_id: int | None
    score: Any


def _marks(value: Any, label: str) -> tuple[Decimal | None, str]:
    number = _decimal(value) if text(value) != "" else None
    if text(value) == "":
        return None, f"请填写{label}。"
    if number is None:
        return None, f"{label}“{text(value)}”{NOT_A_NUMBER}，请填写分数，例如 100。"
    if number != number.quantize(TENTH):
        return None, f"{label}最多保留一位小数。"
    return number.quantize(TENTH), ""


def _score(value: Any, who: str, full: Decimal | None) -> tuple[Decimal | None, str]:
    if text(value) == "":
        return None, f"请填写{who}的成绩。"
    number = _decimal(value)
    if number is None:
        return None, f"{who}的成绩“{text(value)}”{NOT_A_NUMBER}，请填写分数，例如 86.5。"
    if number < 0 or (full is not None and number > full):
        limit = f"满分{_shown(full)}分" if full is not None else "满分"
        return None, f"{who}的成绩{_shown(number)}分超出了0到{limit}的范围。"
    if number != number.quantize(TENTH):
        return None, f"{who}的成绩最多保留一位小数。"
    return number.quantize(TENTH), ""


def split_line(line: str) -> tuple[str, str] | None:
    """ "张明 86" (also with a tab, comma or colon) as (name, score); None when not so."""
    parts = [p for p in re.split(r"[\s,，:：;；、]+", line.strip()) if p]
    if len(parts) < 2:
        return None
    return "".join(parts[:-1]), parts[-1]


def check_scores(
    unit: Organization,
    full: Decimal | None,
    scores: Sequence[ScoreInput],
    lines: str,
) -> tuple[dict[int, Decimal], dict[str, list[str]]]:
    """The scores by person, and every problem by field ("scores" for the rows, "lines" for
    the pasted text); two queries."""
    people = People.of(unit)
    found: dict[int, Decimal] = {}
    where_of: dict[int, str] = {}
    errors: dict[str, list[str]] = {"scores": [], "lines": []}

    def take(pk: int, value: Any, where: str, key: str) -> None:
        who = people.names[pk]
        if pk in where_of:
            errors[key].append(f"{where}：{who}的成绩已在{where_of[pk]}填写，同一人只能填写一次。")
            return
        score, why = _score(value, who, full)
        where_of[pk] = where
        if score is None:
            errors[key].append(f"{where}：{why}")
        else:
            found[pk] = score

    for n, entry in enumerate(scores, start=1):
        where = f"第{n}行"
        if entry.person_id is None:
            errors["scores"].append(f"{where}：请选择人员。")
        elif entry.person_id not in people.names:
            errors["scores"].append(f"{where}：所选人员不是本单位人员，请重新选择。")
        else:
            take(entry.person_id, entry.score, where, "scores")
    for n, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"粘贴的第{n}行"
        split = split_line(line)
        if split is None:
            errors["lines"].append(
                f"{where}“{line.strip()}”：请按“姓名 分数”填写，中间用空格隔开。"
            )
            continue
        name, value = split
        pk, count = people.find(name)
        if pk is None:
            errors["lines"].append(
                f"{where}：本单位有{count}人名为“{name}”，请在上方逐行选择人员填写其成绩。"
                if count
                else f"{where}：“{name}”不是本单位人员，请核对姓名。"
            )
            continue
        take(pk, value, where, "lines")
    return found, {k: v for k, v in errors.items() if v}


def _exam_fields(
    title: str, held_on: datetime.date | None, full_marks: Any, pass_mark: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    title = text(title)
    limit = Exam._meta.get_field("title").max_length or 200
    if not title:
        errors["title"] = ["请填写考试名称，例如“党的二十届三中全会精神应知应会测试”。"]
    elif len(title) > limit:
        errors["title"] = [f"考试名称最多{limit}个字。"]
    if held_on is None:
        errors["held_on"] = ["请填写考试日期。"]
    elif held_on > timezone.localdate():
        errors["held_on"] = ["考试日期不能晚于今天：考试结束后再登记成绩。"]
    full, why = _marks(full_marks, "满分")
    if full is not None and not Decimal(0) < full <= MAX_MARKS:
        full, why = None, f"满分须大于0且不超过{_shown(MAX_MARKS)}分。"
    if why:
        errors["full_marks"] = [why]
    passing, why = _marks(pass_mark, "及格分")
    if passing is not None and (passing < 0 or (full is not None and passing > full)):
        passing, why = None, "及格分须在0到满分之间。"
    if why:
        errors["pass_mark"] = [why]
    return {"title": title, "held_on": held_on, "full_marks": full, "pass_mark": passing}, errors


def exam_create(
    *,
    unit: Organization,
    user: User | None,
    title: str,
    held_on: datetime.date | None,
    full_marks: Any = 100,
    pass_mark: Any = 60,
    scores: Sequence[ScoreInput] = (),
    lines: str = "",
) -> Exam:
    """Record a 考学 with the scores entered (none yet is allowed)."""
    values, errors = _exam_fields(title, held_on, full_marks, pass_mark)
    found, score_errors = check_scores(unit, values["full_marks"], scores, lines or "")
    errors.update(score_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        exam = Exam.objects.create(unit=unit, created_by=user, **values)
        ExamScore.objects.bulk_create(
            ExamScore(exam=exam, person_id=pk, score=score) for pk, score in found.items()
        )
    return exam


def exam_scores_set(
    *, exam: Exam, user: User | None, scores: Sequence[ScoreInput] = (), lines: str = ""
) -> int:
    """Add scores to an exam, or correct them (a person's score given again replaces it);
    returns how many were given."""
    if exam.removed_at is not None:
        raise ValidationError("该考学已删除，不能再登记成绩。")
    found, errors = check_scores(exam.unit, exam.full_marks, scores, lines or "")
    if not errors and not found:
        errors = {"scores": ["请至少填写一人的成绩。"]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Exam.objects.select_for_update().get(pk=exam.pk)
        if locked.removed_at is not None:
            raise ValidationError("该考学已删除，不能再登记成绩。")
        kept = {s.person_id: s for s in ExamScore.objects.filter(exam=locked, person_id__in=found)}
        changed = []
        for pk, score in found.items():
            if pk in kept:
                kept[pk].score = score
                changed.append(kept[pk])
        ExamScore.objects.bulk_update(changed, ["score"])
        ExamScore.objects.bulk_create(
            ExamScore(exam=locked, person_id=pk, score=s)
            for pk, s in found.items()
            if pk not in kept
        )
    return len(found)


def exam_remove(*, exam: Exam, user: User | None) -> Exam:
    """Take an exam out of every list and figure; it and its scores are kept."""
    with transaction.atomic():
        locked = Exam.objects.select_for_update().get(pk=exam.pk)
        if locked.removed_at is not None:
            raise ValidationError("该考学已删除，请刷新页面。")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])
    return locked

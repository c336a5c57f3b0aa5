"""The office's calendar of working days: Monday to Friday, except the days its
`CalendarDay` rows say otherwise (a public holiday on a weekday, 放假; a weekend day worked in
exchange, 调休上班).

An office keeps one calendar; a unit and its departments use the calendar of the nearest
office above them (`office_of`). Everything that counts working days (公示 periods, deadlines
given in working days) goes through `add_working_days` and `working_days_between`, so a day
added or removed here changes every such count at once.

The writes (`calendar_day_add`, `calendar_day_remove`, `load_official_holidays`) refuse with a
`ValidationError` keyed by form field; access is checked by the callers through
`wenming.orgs.access.can_manage_calendar`. The State Council's schedules for the years we
know are data in this module (`OFFICIAL_HOLIDAYS`), as the notices publish them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenming.orgs.models import CalendarDay, Organization, OrgKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Day = datetime.date
ONE_DAY = datetime.timedelta(days=1)
FIRST_YEAR = 2000
# How far ahead an office may plan its calendar, in years after the current one.
YEARS_AHEAD = 5
NAME_LIMIT = 40
# No real calendar has this many non-working days in a row; stops a runaway count.
MAX_SPAN_DAYS = 366 * 20
WEEKDAYS = "一二三四五六日"


def _span(first: Day, last: Day, name: str) -> list[tuple[Day, str]]:
    days = []
    while first <= last:
        days.append((first, name))
        first += ONE_DAY
    return days


def _d(year: int, month: int, day: int) -> Day:
    return datetime.date(year, month, day)


# 国务院办公厅关于部分节假日安排的通知: every day off as the notice lists it (weekend days
# included, so the calendar reads like the notice), and the weekend days worked in exchange.
OFFICIAL_HOLIDAYS: dict[int, dict[str, list[tuple[Day, str]]]] = {
    2025: {
        "off": [
            (_d(2025, 1, 1), "元旦"),
            *_span(_d(2025, 1, 28), _d(2025, 2, 4), "春节"),
            *_span(_d(2025, 4, 4), _d(2025, 4, 6), "清明节"),
            *_span(_d(2025, 5, 1), _d(2025, 5, 5), "劳动节"),
            *_span(_d(2025, 5, 31), _d(2025, 6, 2), "端午节"),
            *_span(_d(2025, 10, 1), _d(2025, 10, 8), "国庆节、中秋节"),
        ],
        "worked": [
            (_d(2025, 1, 26), "春节调休上班"),
            (_d(2025, 2, 8), "春节调休上班"),
            (_d(2025, 4, 27), "劳动节调休上班"),
            (_d(2025, 9, 28), "国庆节、中秋节调休上班"),
            (_d(2025, 10, 11), "国庆节、中秋节调休上班"),
        ],
    },
    # Published 2025年11月4日.
    2026: {
        "off": [
            *_span(_d(2026, 1, 1), _d(2026, 1, 3), "元旦"),
            *_span(_d(2026, 2, 15), _d(2026, 2, 23), "春节"),
            *_span(_d(2026, 4, 4), _d(2026, 4, 6), "清明节"),
            *_span(_d(2026, 5, 1), _d(2026, 5, 5), "劳动节"),
            *_span(_d(2026, 6, 19), _d(2026, 6, 21), "端午节"),
            *_span(_d(2026, 9, 25), _d(2026, 9, 27), "中秋节"),
            *_span(_d(2026, 10, 1), _d(2026, 10, 7), "国庆节"),
        ],
        "worked": [
            (_d(2026, 1, 4), "元旦调休上班"),
            (_d(2026, 2, 14), "春节调休上班"),
            (_d(2026, 2, 28), "春节调休上班"),
            (_d(2026, 5, 9), "劳动节调休上班"),
            (_d(2026, 9, 20), "国庆节调休上班"),
            (_d(2026, 10, 10), "国庆节调休上班"),
        ],
    },
}


def official_years() -> list[int]:
    return sorted(OFFICIAL_HOLIDAYS)


def weekday_label(day: Day) -> str:
    return f"周{WEEKDAYS[day.weekday()]}"


# --- reading the calendar --------------------------------------------------------------------


def office_of(org: Organization) -> Organization | None:
    """The nearest civilization office at or above `org` (one query below an office)."""
    if org.kind == OrgKind.OFFICE:
        return org
    ancestors = org.ancestor_ids
    if not ancestors:
        return None
    return (
        Organization.objects.filter(pk__in=ancestors, kind=OrgKind.OFFICE)
        .order_by("-depth")
        .first()
    )


def _exceptions(office: Organization | None, first: Day, last: Day) -> dict[Day, bool]:
    """The office's live calendar days between `first` and `last`: day → worked."""
    if office is None:
        return {}
    return dict(
        CalendarDay.objects.live()
        .filter(office=office, day__gte=first, day__lte=last)
        .values_list("day", "working")
    )


def _works(day: Day, exceptions: dict[Day, bool]) -> bool:
    found = exceptions.get(day)
    return found if found is not None else day.weekday() < 5


def is_working_day(office: Organization | None, day: Day) -> bool:
    return _works(day, _exceptions(office, day, day))


def add_working_days(office: Organization | None, start: Day, n: int) -> Day:
    """The last day of a period of `n` working days that begins on `start`.

    `start` counts when it is a working day; otherwise the period begins on the next one.
    Reads the calendar in windows (one query for any ordinary period).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    counted = 0
    window_first = start
    while (window_first - start).days < MAX_SPAN_DAYS:
        # Generous: n working days rarely take more than 1.5 n + a long holiday.
        window_last = window_first + datetime.timedelta(days=2 * (n - counted) + 30)
        exceptions = _exceptions(office, window_first, window_last)
        day = window_first
        while day <= window_last:
            if _works(day, exceptions):
                counted += 1
                if counted == n:
                    return day
            day += ONE_DAY
        window_first = window_last + ONE_DAY
    raise ValueError("calendar has no working days in range")


def working_days_between(office: Organization | None, start: Day, end: Day) -> int:
    """Working days from `start` to `end`, both included (0 when `end` is before `start`)."""
    if end < start:
        return 0
    exceptions = _exceptions(office, start, end)
    count = 0
    day = start
    while day <= end:
        count += _works(day, exceptions)
        day += ONE_DAY
    return count


def calendar_days(office: Organization, year: int) -> list[CalendarDay]:
    """The office's live calendar days of `year`, in date order (one query)."""
    return list(
        CalendarDay.objects.live()
        .filter(office=office, day__year=year)
        .select_related("created_by")
        .order_by("day")
    )


# --- changing the calendar -------------------------------------------------------------------


def year_range() -> tuple[int, int]:
    """The years an office may keep in its calendar."""
    return FIRST_YEAR, timezone.localdate().year + YEARS_AHEAD


def _check_office(office: Organization) -> None:
    if office.kind != OrgKind.OFFICE:
        raise ValidationError({"office": "节假日与调休只能由文明办维护，请选择一个文明办。"})
    if not office.is_active:
        raise ValidationError({"office": f"“{office.name}”已停用，不能修改其节假日安排。"})


def _day_text(day: Day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_day(office: Organization, day: Day, working: bool, name: str) -> None:
    errors: dict[str, str] = {}
    first, last = year_range()
    if not first <= day.year <= last:
        errors["day"] = f"日期须在{first}年至{last}年之间，请检查年份是否填错。"
    elif working and day.weekday() < 5:
        errors["working"] = (
            f"{_day_text(day)}是{weekday_label(day)}，本来就上班。"
            "调休上班只能设在周六或周日；若这天放假，请取消勾选“调休上班”。"
        )
    if not name:
        errors["name"] = "请填写名称，例如“国庆节”或“国庆节调休上班”。"
    elif len(name) > NAME_LIMIT:
        errors["name"] = f"名称不能超过{NAME_LIMIT}个字，请精简后再保存。"
    if "day" not in errors:
        existing = CalendarDay.objects.live().filter(office=office, day=day).first()
        if existing is not None:
            errors["day"] = (
                f"{_day_text(day)}已在日历中（{existing.name}）。如需修改，请先移除原记录再添加。"
            )
    if errors:
        raise ValidationError(errors)


def calendar_day_add(
    *, office: Organization, user: User | None, day: Day, working: bool, name: str
) -> CalendarDay:
    """Add a holiday (working=False) or a make-up working day (working=True)."""
    name = (name or "").strip()
    _check_office(office)
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=office.pk).first()
        _check_day(office, day, working, name)
        try:
            with transaction.atomic():
                return CalendarDay.objects.create(
                    office=office, day=day, working=working, name=name, created_by=user
                )
        except IntegrityError as exc:
            raise ValidationError(
                {"day": f"{_day_text(day)}刚被其他人加入日历，请刷新页面后查看。"}
            ) from exc


def calendar_day_remove(*, calendar_day: CalendarDay, user: User | None) -> None:
    """Take a day out of the calendar; the row is kept with its removal time."""
    with transaction.atomic():
        locked = CalendarDay.objects.select_for_update().get(pk=calendar_day.pk)
        if locked.removed_at is not None:
            raise ValidationError(f"{_day_text(locked.day)}已经从日历中移除。")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])
        calendar_day.removed_at = locked.removed_at


def load_official_holidays(*, office: Organization, user: User | None, year: int) -> int:
    """Add the State Council's schedule for `year` to the office's calendar.

    Days the calendar already has (whatever the office recorded for them) are left as they
    are; returns how many days were added.
    """
    schedule = OFFICIAL_HOLIDAYS.get(year)
    if schedule is None:
        known = "、".join(f"{y}年" for y in official_years())
        raise ValidationError(
            {"year": f"系统内置了{known}的国务院节假日安排，{year}年的请逐日添加。"}
        )
    _check_office(office)
    rows = [(day, False, name) for day, name in schedule["off"]]
    rows += [(day, True, name) for day, name in schedule["worked"]]
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=office.pk).first()
        taken = set(
            CalendarDay.objects.live()
            .filter(office=office, day__year=year)
            .values_list("day", flat=True)
        )
        added = 0
        for day, working, name in sorted(rows):
            if day in taken:
                continue
            # One by one (about 40 rows) so that each day is captured by the change log.
            CalendarDay.objects.create(
                office=office, day=day, working=working, name=name, created_by=user
            )
            added += 1
    return added

"""The office's calendar of working days: holidays, 调休, and the counts built on it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from wenming.orgs import calendar
from wenming.orgs.models import CalendarDay

D = datetime.date


@pytest.fixture
def office(demo):  # type: ignore[no-untyped-def]
    return demo["office"]


@pytest.fixture
def loaded(office, office_admin):  # type: ignore[no-untyped-def]
    calendar.load_official_holidays(office=office, user=office_admin, year=2025)
    calendar.load_official_holidays(office=office, user=office_admin, year=2026)
    return office


def test_plain_week_without_an_office():
    # Thursday 2026-03-05 + 3 working days: Thu, Fri, Mon.
    assert calendar.add_working_days(None, D(2026, 3, 5), 3) == D(2026, 3, 9)
    assert calendar.is_working_day(None, D(2026, 3, 7)) is False


def test_across_a_weekend(office):
    assert calendar.add_working_days(office, D(2026, 3, 6), 2) == D(2026, 3, 9)


def test_n_one_is_the_start_when_it_is_a_working_day(office):
    assert calendar.add_working_days(office, D(2026, 3, 4), 1) == D(2026, 3, 4)


def test_start_on_a_weekend_begins_on_monday(office):
    assert calendar.add_working_days(office, D(2026, 3, 7), 1) == D(2026, 3, 9)


def test_start_on_a_holiday_begins_after_it(loaded):
    # 2025-10-01 to 08 off; Thursday 10-09 is the first working day.
    assert calendar.add_working_days(loaded, D(2025, 10, 1), 1) == D(2025, 10, 9)
    assert calendar.add_working_days(loaded, D(2025, 10, 1), 2) == D(2025, 10, 10)


def test_across_national_day_with_make_up_days(loaded):
    # From Friday 2025-09-26: 26, Sun 28 (调休), 29, 30, then 10-09, 10-10, Sat 10-11 (调休).
    assert calendar.add_working_days(loaded, D(2025, 9, 26), 5) == D(2025, 10, 9)
    assert calendar.add_working_days(loaded, D(2025, 9, 26), 7) == D(2025, 10, 11)
    assert calendar.is_working_day(loaded, D(2025, 9, 28)) is True
    assert calendar.is_working_day(loaded, D(2025, 10, 6)) is False


def test_spring_festival_2026(loaded):
    # Saturday 2026-02-14 is worked; 15 to 23 off; Tuesday 24 resumes.
    assert calendar.add_working_days(loaded, D(2026, 2, 13), 2) == D(2026, 2, 14)
    assert calendar.add_working_days(loaded, D(2026, 2, 13), 3) == D(2026, 2, 24)


def test_a_long_period_reads_more_than_one_window(loaded):
    end = calendar.add_working_days(loaded, D(2025, 1, 2), 240)
    assert calendar.working_days_between(loaded, D(2025, 1, 2), end) == 240


def test_working_days_between(loaded):
    # 9-29, 9-30, 10-09, 10-10 and Saturday 10-11 (调休).
    assert calendar.working_days_between(loaded, D(2025, 9, 29), D(2025, 10, 12)) == 5
    assert calendar.working_days_between(loaded, D(2025, 10, 9), D(2025, 10, 9)) == 1
    assert calendar.working_days_between(loaded, D(2025, 10, 9), D(2025, 10, 1)) == 0
    assert calendar.working_days_between(None, D(2025, 9, 29), D(2025, 10, 12)) == 10


def test_units_and_departments_use_their_office(demo, loaded):
    assert calendar.office_of(demo["unit"]) == loaded
    assert calendar.office_of(demo["food"]) == loaded
    assert calendar.office_of(loaded) == loaded
    # Another city keeps its own calendar.
    assert calendar.is_working_day(demo["other_office"], D(2025, 10, 6)) is True


def test_removed_day_no_longer_counts(loaded, office_admin):
    day = CalendarDay.objects.live().get(office=loaded, day=D(2025, 10, 8))
    calendar.calendar_day_remove(calendar_day=day, user=office_admin)
    assert calendar.is_working_day(loaded, D(2025, 10, 8)) is True
    assert calendar.add_working_days(loaded, D(2025, 10, 1), 1) == D(2025, 10, 8)
    day.refresh_from_db()
    assert day.removed_at is not None
    with pytest.raises(ValidationError):
        calendar.calendar_day_remove(calendar_day=day, user=office_admin)
    # The day can be entered again once removed.
    calendar.calendar_day_add(
        office=loaded, user=office_admin, day=D(2025, 10, 8), working=False, name="国庆节"
    )


def test_load_counts_and_skips_days_already_there(office, office_admin):
    calendar.calendar_day_add(
        office=office, user=office_admin, day=D(2026, 1, 2), working=False, name="元旦"
    )
    added = calendar.load_official_holidays(office=office, user=office_admin, year=2026)
    assert added == 39 - 1
    assert calendar.load_official_holidays(office=office, user=office_admin, year=2026) == 0
    days = calendar.calendar_days(office, 2026)
    assert len(days) == 39
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert {d.day for d in days if d.working} == {
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    }


def test_load_refuses_an_unknown_year(office, office_admin):
    with pytest.raises(ValidationError) as caught:
        calendar.load_official_holidays(office=office, user=office_admin, year=2024)
    assert "2024年的请逐日添加" in caught.value.message_dict["year"][0]
    assert not CalendarDay.objects.filter(office=office).exists()


def _add(office, user, **kw):  # type: ignore[no-untyped-def]
    fields = {"day": D(2026, 3, 2), "working": False, "name": "本地节日"}
    fields.update(kw)
    return calendar.calendar_day_add(office=office, user=user, **fields)


def _refusal(office, user, **kw) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        _add(office, user, **kw)
    return caught.value.message_dict


def test_duplicate_day_is_refused(office, office_admin):
    _add(office, office_admin)
    errors = _refusal(office, office_admin, name="另一个")
    assert "已在日历中（本地节日）" in errors["day"][0]
    assert CalendarDay.objects.filter(office=office).count() == 1


def test_name_required_and_not_too_long(office, office_admin):
    assert "请填写名称" in _refusal(office, office_admin, name="  ")["name"][0]
    assert "不能超过40个字" in _refusal(office, office_admin, name="节" * 41)["name"][0]
    assert not CalendarDay.objects.exists()


def test_date_far_out_of_range_is_refused(office, office_admin):
    assert "之间" in _refusal(office, office_admin, day=D(1900, 1, 1))["day"][0]
    assert "之间" in _refusal(office, office_admin, day=D(2300, 1, 1))["day"][0]


def test_make_up_day_on_a_weekday_is_refused(office, office_admin):
    errors = _refusal(office, office_admin, day=D(2026, 3, 4), working=True)
    assert "本来就上班" in errors["working"][0]


def test_only_an_office_keeps_a_calendar(demo, office_admin):
    errors = _refusal(demo["unit"], office_admin)
    assert "只能由文明办维护" in errors["office"][0]

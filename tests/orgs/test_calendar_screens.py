"""The calendar screen: the office admin keeps it, the office's and units' people read it."""

from __future__ import annotations

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse

from wenming.orgs import calendar
from wenming.orgs.models import CalendarDay

D = datetime.date
URL = reverse("orgs:calendar")


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_office_admin_loads_the_year_and_sees_it_by_month(demo, office_admin, as_user):
    client = as_user(office_admin)
    office = demo["office"]
    response = client.post(reverse("orgs:calendar_load"), {"office": office.pk, "year": "2025"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?office={office.pk}&year=2025"
    assert "已载入2025年国务院节假日安排，新增33天。" in _messages(response)
    page = client.get(URL, {"office": office.pk, "year": 2025}).content.decode()
    assert "10月" in page and "国庆节、中秋节调休上班" in page
    assert "全年工作日 <strong>" in page
    assert "载入2025年国务院节假日安排" in page


def test_add_and_remove(demo, office_admin, as_user):
    client = as_user(office_admin)
    office = demo["office"]
    response = client.post(
        reverse("orgs:calendar_add"),
        {"office": office.pk, "day": "2026-03-02", "name": "本地节日"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.live().get(office=office, day=D(2026, 3, 2))
    assert day.created_by == office_admin and not day.working
    response = client.post(reverse("orgs:calendar_remove", args=[day.pk]))
    assert response.status_code == 302
    assert "已移除：2026-03-02 本地节日。" in _messages(response)
    assert not CalendarDay.objects.live().filter(office=office).exists()
    assert CalendarDay.objects.filter(pk=day.pk, removed_at__isnull=False).exists()


def test_refused_add_shows_the_reason_and_saves_nothing(demo, office_admin, as_user):
    response = as_user(office_admin).post(
        reverse("orgs:calendar_add"),
        {"office": demo["office"].pk, "day": "2026-03-04", "name": "", "working": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写名称" in page and "本来就上班" in page
    assert not CalendarDay.objects.exists()


def test_unknown_year_cannot_be_loaded(demo, office_admin, as_user):
    response = as_user(office_admin).post(
        reverse("orgs:calendar_load"), {"office": demo["office"].pk, "year": "2024"}
    )
    assert response.status_code == 400
    assert "2024年的请逐日添加" in response.content.decode()


def test_unit_people_read_their_office_calendar(demo, coordinator, office_admin, as_user):
    calendar.calendar_day_add(
        office=demo["office"], user=office_admin, day=D(2026, 3, 2), working=False, name="本地节日"
    )
    response = as_user(coordinator).get(URL, {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "本地节日" in page and "临州市文明办" in page
    assert "维护日历" not in page and "移除" not in page


def test_department_staff_and_other_cities_are_told_nothing(demo, staff, as_user):
    assert as_user(staff).get(URL).status_code == 404
    outsider = as_user(demo["other_office"].memberships.get().user)
    assert outsider.get(URL).status_code == 200
    assert outsider.get(URL, {"office": demo["office"].pk}).status_code == 404


def test_page_queries_do_not_grow_with_days(
    demo, office_admin, as_user, django_assert_max_num_queries
):
    client = as_user(office_admin)
    client.get(URL, {"year": 2026})
    calendar.load_official_holidays(office=demo["office"], user=office_admin, year=2026)
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"year": 2026})
    assert response.status_code == 200

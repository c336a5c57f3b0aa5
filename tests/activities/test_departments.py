"""The people side per department: each figure exact, the same on the assessment page, and a
fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from wenming.activities import services
from wenming.activities.departments import department_rows
from wenming.activities.models import HoursImport, ServiceHours


def _food(rows, demo):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.department == demo["food"])


def test_a_department_s_figures(record, campaign, demo, coordinator, dept_head, staff) -> None:  # type: ignore[no-untyped-def]
    record()  # 食品安全监管科: 2.5 + 2 hours of 志愿服务
    record(kind="study_group", title="集体学习")
    services.volunteer_register(
        unit=demo["unit"],
        person=dept_head,
        user=coordinator,
        registered_on=datetime.date(2026, 1, 5),
    )
    batch = HoursImport.objects.create(unit=demo["unit"], file_name="时长.xlsx")
    ServiceHours.objects.create(
        unit=demo["unit"], person=staff, served_on=datetime.date(2026, 4, 1), hours=3, source=batch
    )
    row = _food(department_rows(campaign, 2026), demo)
    n = row.headcount
    assert {dept_head.pk, staff.pk} <= row.people
    assert row.activities == 2 and row.volunteers == 1
    assert row.hours == Decimal("7.5")  # the study session's hours are not service
    assert row.study_sessions == 2
    assert row.hours_per_person == (Decimal("7.5") / n).quantize(Decimal("0.01"))
    assert "组织活动2次" in row.facts() and f"注册志愿者1/{n}人" in row.facts()


def test_the_assessment_shows_the_people_side(as_user, record, campaign, demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    record()
    page = as_user(coordinator).get(
        reverse("oversight:assessment", args=[campaign.pk]) + "?year=2026"
    )
    assert "组织活动1次" in page.content.decode()


def test_the_rows_cost_the_same_whatever_the_data(  # type: ignore[no-untyped-def]
    record, campaign, demo, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(9):
        department_rows(campaign, 2026)
    for n in range(3):
        record(title=f"活动{n}")
    with django_assert_max_num_queries(9):
        department_rows(campaign, 2026)


def test_the_departments_page(as_user, record, campaign, demo, staff, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    record()
    url = reverse("activities:departments") + f"?campaign={campaign.pk}&year=2026"
    page = as_user(staff).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "部门指标" in text and "食品安全监管科" in text
    assert as_user(outsider_admin).get(url).status_code == 404

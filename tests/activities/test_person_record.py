"""A person's record: activities, service hours and star, this year's study and awards — on
the page and in the API, from the same readings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from tests.activities.test_api import URL, bearer
from wenming.activities.models import (
    HoursImport,
    Nomination,
    NominationStatus,
    ServiceHours,
    StudyTarget,
)


def test_the_record_shows_service_star_study_and_awards(  # type: ignore[no-untyped-def]
    as_user, record, campaign, demo, dept_head, observer
) -> None:
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0), tick=False):
        record()  # 志愿服务, 2.5 hours for dept_head
        record(kind="study_group", title="集体学习")  # study, not service
        batch = HoursImport.objects.create(unit=demo["unit"], file_name="时长.xlsx")
        ServiceHours.objects.create(
            unit=demo["unit"],
            person=dept_head,
            served_on=datetime.date(2025, 5, 1),
            hours=Decimal("24"),
            source=batch,
        )
        for n in range(4):
            ServiceHours.objects.create(
                unit=demo["unit"],
                person=dept_head,
                served_on=datetime.date(2026, 5, 1 + n),
                hours=Decimal("20"),
                source=batch,
            )
        StudyTarget.objects.create(unit=demo["unit"], year=2026, sessions=4, points=1000)
        Nomination.objects.create(
            campaign=campaign,
            unit=demo["unit"],
            department=demo["food"],
            year=2026,
            category="dedicated",
            person=dept_head,
            name="张明",
            story="坚守一线",
            status=NominationStatus.AWARDED,
            award_title="身边好人",
        )
        page = as_user(observer).get(reverse("activities:person", args=[dept_head.pk]))
        text = page.content.decode()
        assert "1星志愿者" in text and "累计志愿服务 <strong>106.5</strong> 小时" in text
        assert "参加学习 <strong>1</strong> 次（目标 4 次）" in text and "还差3次" in text
        assert "身边好人" in text
        body = (
            bearer(observer).get(f"{URL}/people/{dept_head.pk}", {"unit": demo["unit"].pk}).json()
        )
    assert body["service_hours"] == "106.50" and body["star"] == 1
    assert body["service_years"] == [
        {"year": 2026, "hours": "82.50", "activities": 5},
        {"year": 2025, "hours": "24.00", "activities": 1},
    ]
    assert body["study"]["sessions"] == 1 and body["study"]["sessions_short"] == "还差3次"
    assert [a["award_title"] for a in body["awards"]] == ["身边好人"]

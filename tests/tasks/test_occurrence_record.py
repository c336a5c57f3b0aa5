"""Recording each occurrence of a recurring task; a new schedule never drops a record."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenming.tasks import services
from wenming.tasks.models import Occurrence, Task


@pytest.fixture
def lecture(campaign, demo):  # type: ignore[no-untyped-def]
    task = Task.objects.create(
        campaign=campaign,
        title="每季度举办道德讲堂",
        lead_department=demo["food"],
        start_date=datetime.date(2026, 4, 1),
        deadline=datetime.date(2027, 3, 31),
        recurrence="quarterly",
    )
    services.occurrences_rebuild(task=task)
    return task


@time_machine.travel(datetime.datetime(2026, 7, 10, 9, 0), tick=False)
def test_the_department_records_an_occurrence(lecture, as_user, staff):  # type: ignore[no-untyped-def]
    first = Occurrence.objects.filter(task=lecture).order_by("due").first()
    assert first is not None
    response = as_user(staff).post(
        reverse("tasks:occurrence_record", args=[first.pk]),
        {"done_at": "2026-06-26", "note": "第二期道德讲堂，60人参加"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.done_at == datetime.date(2026, 6, 26) and first.note == "第二期道德讲堂，60人参加"
    page = as_user(staff).get(reverse("tasks:detail", args=[lecture.pk])).content.decode()
    assert "第二期道德讲堂，60人参加" in page


@time_machine.travel(datetime.datetime(2026, 7, 10, 9, 0), tick=False)
def test_a_future_date_is_refused_and_nothing_changes(lecture, as_user, staff):  # type: ignore[no-untyped-def]
    first = Occurrence.objects.filter(task=lecture).order_by("due").first()
    assert first is not None
    response = as_user(staff).post(
        reverse("tasks:occurrence_record", args=[first.pk]), {"done_at": "2026-08-01"}, follow=True
    )
    assert "完成日期不能晚于今天" in response.content.decode()
    first.refresh_from_db()
    assert first.done_at is None


def test_another_department_cannot_record(lecture, as_user, other_dept_head):  # type: ignore[no-untyped-def]
    first = Occurrence.objects.filter(task=lecture).first()
    assert first is not None
    response = as_user(other_dept_head).post(
        reverse("tasks:occurrence_record", args=[first.pk]), {"done_at": "2026-06-26"}
    )
    assert response.status_code == 403


@time_machine.travel(datetime.datetime(2026, 7, 10, 9, 0), tick=False)
def test_changing_the_schedule_keeps_recorded_occurrences(lecture):  # type: ignore[no-untyped-def]
    first = Occurrence.objects.filter(task=lecture).order_by("due").first()
    assert first is not None
    services.occurrence_record(occurrence=first, done_at=datetime.date(2026, 6, 26), note="已办")
    before = list(Occurrence.objects.filter(task=lecture).values_list("due", "done_at", "note"))
    lecture.recurrence = "yearly"
    lecture.save(update_fields=["recurrence"])
    with pytest.raises(ValidationError) as error:
        services.occurrences_rebuild(task=lecture)
    assert "已有完成记录" in " ".join(error.value.messages)
    after = list(Occurrence.objects.filter(task=lecture).values_list("due", "done_at", "note"))
    assert after == before

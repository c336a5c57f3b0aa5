"""Occurrences of recurring tasks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.tasks import services
from wenming.tasks.models import Occurrence

pytestmark = pytest.mark.django_db
D = datetime.date


def _dues(task) -> list[datetime.date]:  # type: ignore[no-untyped-def]
    return list(Occurrence.objects.filter(task=task).values_list("due", flat=True))


def test_monthly_quarterly_yearly(campaign: Campaign, coordinator) -> None:
    task = make_task(campaign, start_date=D(2026, 4, 10), deadline=D(2026, 12, 20))
    services.task_update(task=task, user=coordinator, recurrence="monthly")
    dues = _dues(task)
    assert len(dues) == 9
    assert dues[0] == D(2026, 4, 30) and dues[-1] == D(2026, 12, 20)
    services.task_update(task=task, user=coordinator, recurrence="quarterly")
    assert _dues(task) == [D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 20)]
    services.task_update(task=task, user=coordinator, recurrence="yearly", deadline=D(2028, 6, 30))
    assert _dues(task) == [D(2026, 12, 31), D(2027, 12, 31), D(2028, 6, 30)]
    sequences = list(Occurrence.objects.filter(task=task).values_list("sequence", flat=True))
    assert sequences == [1, 2, 3]


def test_listed_dates_keep_what_was_recorded(campaign: Campaign, coordinator) -> None:
    task = make_task(campaign)
    services.task_update(
        task=task,
        user=coordinator,
        recurrence="dates",
        recurrence_dates=["2026-05-04", "2026-10-01"],
    )
    Occurrence.objects.filter(task=task, due=D(2026, 5, 4)).update(
        done_at=D(2026, 5, 4), note="已办"
    )
    services.task_update(
        task=task,
        user=coordinator,
        recurrence_dates=["2026-05-04", "2026-07-01", "2026-10-01"],
    )
    kept = Occurrence.objects.get(task=task, due=D(2026, 5, 4))
    assert kept.done_at == D(2026, 5, 4) and kept.note == "已办"
    assert len(_dues(task)) == 3
    # Switching the recurrence off would drop the recorded one: refused, nothing changes.
    with pytest.raises(ValidationError) as exc:
        services.task_update(task=task, user=coordinator, recurrence="")
    assert "已有完成记录" in " ".join(exc.value.messages)
    assert len(_dues(task)) == 3
    task.refresh_from_db()
    assert task.recurrence == "dates"


def test_recurrence_needs_both_dates(campaign: Campaign, coordinator) -> None:
    task = make_task(campaign, start_date=None)
    with pytest.raises(ValidationError) as exc:
        services.task_update(task=task, user=coordinator, recurrence="monthly")
    assert "设置重复前请先填写开始日期和完成时限" in " ".join(exc.value.messages)
    assert not Occurrence.objects.exists()

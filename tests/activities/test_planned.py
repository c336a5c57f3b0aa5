"""Activities planned by recurring tasks: each batch about an activity is listed until an
activity carrying it out is recorded, and the recording form starts from it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from tests.tasks import make_task
from wenming.activities.models import Activity, Pairing
from wenming.activities.planned import planned_initial, planned_rows
from wenming.tasks.models import Occurrence

TODAY = datetime.date(2026, 3, 25)


@pytest.fixture
def monthly(campaign, demo):  # type: ignore[no-untyped-def]
    task = make_task(campaign, title="每月举办一次道德讲堂", lead_department=demo["food"])
    for n, (month, day) in enumerate(((2, 28), (3, 28), (4, 20), (6, 28)), start=1):
        Occurrence.objects.create(task=task, sequence=n, due=datetime.date(2026, month, day))
    return task


def test_the_batches_around_today_without_an_activity_are_listed(monthly, campaign, record) -> None:  # type: ignore[no-untyped-def]
    rows = planned_rows(campaign, TODAY)
    assert [(r.title, r.kind, r.overdue) for r in rows] == [
        ("2026年2月道德讲堂", "moral_lecture", True),
        ("2026年3月道德讲堂", "moral_lecture", False),
        ("2026年4月道德讲堂", "moral_lecture", False),
    ]
    march = rows[1].occurrence
    record(
        task=monthly,
        occurrence=march,
        kind="moral_lecture",
        moral_steps=dict.fromkeys(("sing", "model", "classic", "reflect", "bless"), "有"),
    )
    assert [r.occurrence for r in planned_rows(campaign, TODAY)] == [
        rows[0].occurrence,
        rows[2].occurrence,
    ]


def test_a_batch_of_another_task_is_refused(monthly, campaign, record) -> None:  # type: ignore[no-untyped-def]
    other = make_task(campaign, title="学雷锋志愿服务")
    with pytest.raises(ValidationError, match="任务批次不属于该任务"):
        record(task=other, occurrence=monthly.occurrences.first())
    assert not Activity.objects.exists()


def test_the_form_starts_from_the_batch(monthly, campaign, demo) -> None:  # type: ignore[no-untyped-def]
    march = monthly.occurrences.get(sequence=2)
    initial = planned_initial(campaign, QueryDict(f"occurrence={march.pk}"))
    assert initial == {
        "occurrence": march.pk,
        "task": monthly.pk,
        "title": "2026年3月道德讲堂",
        "kind": "moral_lecture",
        "department": demo["food"].pk,
    }
    assert planned_initial(campaign, QueryDict("occurrence=999999&pairing=abc")) == {}


def test_a_pairing_visit_must_be_a_pairing_activity_of_the_unit(
    campaign, demo, coordinator, record
) -> None:  # type: ignore[no-untyped-def]
    pairing = Pairing.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        partner="城东社区",
        plan="每季度走访一次",
        starts_on=datetime.date(2026, 1, 1),
        created_by=coordinator,
    )
    with pytest.raises(ValidationError, match="只有“帮扶共建”类活动"):
        record(pairing=pairing)
    visit = record(pairing=pairing, kind="pairing", title="城东社区共建走访")
    assert list(pairing.visits.all()) == [visit]
    assert planned_initial(campaign, QueryDict(f"pairing={pairing.pk}"))["kind"] == "pairing"

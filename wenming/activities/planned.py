"""Activities planned by the campaign's recurring tasks (活动计划): every dated batch of a
recurring task about an activity (每月道德讲堂, 每季度帮扶走访…) is an activity to hold, due by
the batch's date; it is done when an activity carrying out that batch is recorded.

`planned_rows` lists the batches due from a month back to a month ahead without one, for the
activities page; `planned_initial` prefills the recording form from a batch (or a pairing).
Both issue a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from wenming.activities import festivals
from wenming.activities.measures import KIND_WORDS
from wenming.activities.models import Activity, ActivityKind, Pairing
from wenming.campaigns.models import Campaign
from wenming.tasks.models import Occurrence, Task

# The words that make a recurring task an activity to hold, with the kind they mean.
PLAN_WORDS: list[tuple[str, str]] = [
    *KIND_WORDS,
    ("学雷锋", ActivityKind.VOLUNTEER),
    ("节日", ActivityKind.FESTIVAL),
    ("我们的节日", ActivityKind.FESTIVAL),
    ("学习", ActivityKind.STUDY_GROUP),
    ("活动", ActivityKind.OTHER),
]
WINDOW = datetime.timedelta(days=31)


def kind_of(task: Task) -> str:
    """The activity kind a task's words name ("" when it names none)."""
    return next((kind for word, kind in PLAN_WORDS if word in task.title), "")


@dataclass(frozen=True)
class PlannedRow:
    occurrence: Occurrence
    kind: str
    overdue: bool
    url: str

    @property
    def kind_label(self) -> str:
        return ActivityKind(self.kind).label

    @property
    def title(self) -> str:
        return title_for(self.occurrence, self.kind)


def title_for(occurrence: Occurrence, kind: str) -> str:
    due = occurrence.due
    label = ActivityKind(kind).label if kind and kind != ActivityKind.OTHER else "活动"
    return f"{due.year}年{due.month}月{label}"


def _batches(campaign: Campaign, today: datetime.date) -> QuerySet[Occurrence]:
    held = Activity.objects.live().filter(occurrence=OuterRef("pk"))
    return (
        Occurrence.objects.filter(
            task__in=Task.objects.counted().filter(campaign=campaign),
            due__gte=today - WINDOW,
            due__lte=today + WINDOW,
            done_at__isnull=True,
        )
        .exclude(Exists(held))
        .select_related("task")
        .order_by("due", "task_id")
    )


def planned_rows(campaign: Campaign, today: datetime.date) -> list[PlannedRow]:
    """The recurring batches about an activity due around today with no activity yet (one
    query)."""
    rows = []
    base = reverse("activities:new")
    for occurrence in _batches(campaign, today):
        kind = kind_of(occurrence.task)
        if not kind:
            continue
        url = f"{base}?campaign={campaign.pk}&occurrence={occurrence.pk}"
        rows.append(PlannedRow(occurrence, kind, occurrence.due < today, url))
    return rows


def planned_initial(campaign: Campaign, query: QueryDict) -> dict[str, Any]:
    """The recording form's starting values from the page that sent the user: a recurring
    task's batch (?occurrence=), a task (?task=), a festival (?festival=), a pairing
    (?pairing=) or a kind (?kind=). Anything that does
    not belong to the campaign is ignored."""
    initial: dict[str, Any] = {}
    kind = query.get("kind", "")
    if kind in ActivityKind.values:
        initial["kind"] = kind
    occurrence_id = query.get("occurrence", "")
    if occurrence_id.isdigit():
        found = (
            Occurrence.objects.filter(pk=occurrence_id, task__campaign=campaign)
            .select_related("task")
            .first()
        )
        if found is not None:
            task_kind = kind_of(found.task) or initial.get("kind", "")
            initial.update(
                occurrence=found.pk,
                task=found.task_id,
                title=title_for(found, task_kind),
            )
            if task_kind:
                initial["kind"] = task_kind
            if found.task.lead_department_id:
                initial["department"] = found.task.lead_department_id
    task_id = query.get("task", "")
    if task_id.isdigit() and "task" not in initial:
        task = Task.objects.counted().filter(pk=task_id, campaign=campaign).first()
        if task is not None:
            initial["task"] = task.pk
            if task.lead_department_id:
                initial["department"] = task.lead_department_id
    festival = query.get("festival", "")
    if festival in festivals.FESTIVALS:
        day = festivals.day_of(festival, timezone.localdate().year)
        initial.update(
            kind=ActivityKind.FESTIVAL,
            festival=festival,
            title=f"{day.year}年{festivals.FESTIVALS[festival].name}主题活动",
        )
    pairing_id = query.get("pairing", "")
    if pairing_id.isdigit():
        pairing = Pairing.objects.filter(
            pk=pairing_id, unit=campaign.unit, removed_at__isnull=True
        ).first()
        if pairing is not None:
            initial.update(
                pairing=pairing.pk,
                kind=ActivityKind.PAIRING,
                title=f"{pairing.partner}共建走访",
                department=pairing.department_id,
            )
    return initial

"""The rule of 消息提醒 for 我们的节日 (R9): a week before each festival, the owners of the
campaign's tasks about it hear that it is coming, unless the festival's activity is already
recorded.

A task is about a festival when its title names it (“清明节”“中秋”…) or speaks of 节日 in
general. Its owner is its responsible person, or without one the heads of its lead
department. The reminder fires once per task, festival and year, on any day of the week
before it (a scan that missed a day still tells). `festival_events(today)` issues no query on
a day with no festival within a week, and two otherwise.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from wenming.activities import festivals
from wenming.activities.models import Activity, ActivityKind
from wenming.notifications.models import Kind
from wenming.notifications.rules import _d, _Event, _live_campaign_q
from wenming.tasks.models import Task, TaskStatus

AHEAD = 7


def upcoming(today: datetime.date) -> list[festivals.Occurrence]:
    """The festivals within a week after today (this year's and next year's)."""
    found = festivals.of_year(today.year) + festivals.of_year(today.year + 1)
    return [o for o in found if 0 < (o.day - today).days <= AHEAD]


def _names(festival: festivals.Festival) -> tuple[str, ...]:
    """The words a task names the festival by: 中秋节 and 中秋 alike."""
    name = festival.name
    return (name, name.removesuffix("节")) if name.endswith("节") and len(name) > 2 else (name,)


def festival_events(today: datetime.date) -> list[_Event]:
    soon = upcoming(today)
    if not soon:
        return []
    words = Q(title__contains="节日")
    for o in soon:
        for word in _names(o.festival):
            words |= Q(title__contains=word)
    tasks = list(
        Task.objects.counted()
        .filter(_live_campaign_q(), words)
        .exclude(status=TaskStatus.DONE)
        .filter(Q(responsible__isnull=False) | Q(lead_department__isnull=False))
        .only("pk", "title", "campaign_id", "lead_department_id", "responsible_id")
    )
    if not tasks:
        return []
    first = min(o.window[0] for o in soon)
    held = {
        (campaign_id, key)
        for campaign_id, key in Activity.objects.live()
        .filter(
            kind=ActivityKind.FESTIVAL,
            campaign_id__in={t.campaign_id for t in tasks},
            festival__in=[o.festival.key for o in soon],
            starts_at__date__gte=first,
        )
        .values_list("campaign_id", "festival")
    }
    events = []
    new = reverse("activities:new")
    for task in tasks:
        for o in soon:
            named = "节日" in task.title or any(w in task.title for w in _names(o.festival))
            if not named or (task.campaign_id, o.festival.key) in held:
                continue
            days = (o.day - today).days
            events.append(
                _Event(
                    kind=Kind.FESTIVAL_DUE,
                    key=f"{Kind.FESTIVAL_DUE}:{task.pk}:{o.festival.key}:{o.day.year}",
                    title=f"{o.festival.name}还有{days}天（{_d(o.day)}）：{task.title}",
                    body=(
                        f"{o.festival.name}是{_d(o.day)}。请组织“我们的节日”主题活动，"
                        f"在节日前后7天内开展并登记（参加人员、时长和现场照片），才计入该节日。"
                    ),
                    url=f"{new}?campaign={task.campaign_id}&kind=festival"
                    f"&festival={o.festival.key}&task={task.pk}",
                    people=(task.responsible_id,) if task.responsible_id else (),
                    heads_of=task.lead_department_id,
                )
            )
    return events

"""我们的节日 a week ahead: the owners of the tasks about a festival hear of it once, on any
day of the week before it, unless its activity is already recorded."""

from __future__ import annotations

import datetime

from django.utils import timezone

from wenming.activities import festivals
from wenming.activities.models import Activity, ActivityKind
from wenming.notifications.models import Kind, Notification
from wenming.notifications.rules import notify

DRAGON_BOAT = festivals.day_of("dragon_boat", 2026)  # 2026-06-19


def _festival_notes(user):  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=user, kind=Kind.FESTIVAL_DUE).values_list(
            "title", "url"
        )
    )


def test_the_owner_hears_a_week_ahead_once(make_task, staff, dept_head):  # type: ignore[no-untyped-def]
    task = make_task("端午节“我们的节日”主题活动", days=40, responsible=staff)
    make_task("开展道德讲堂", days=40, responsible=staff)

    notify(DRAGON_BOAT - datetime.timedelta(days=8))
    assert _festival_notes(staff) == []

    notify(DRAGON_BOAT - datetime.timedelta(days=5))
    notify(DRAGON_BOAT - datetime.timedelta(days=4))
    [(title, url)] = _festival_notes(staff)
    assert title == f"端午还有5天（2026年6月19日）：{task.title}"
    assert f"festival=dragon_boat&task={task.pk}" in url and "kind=festival" in url
    assert _festival_notes(dept_head) == []


def test_without_a_responsible_person_the_department_heads_hear(make_task, dept_head):  # type: ignore[no-untyped-def]
    make_task("传统节日主题活动", days=40)
    notify(DRAGON_BOAT - datetime.timedelta(days=2))
    assert [t for t, _ in _festival_notes(dept_head)] == [
        "端午还有2天（2026年6月19日）：传统节日主题活动"
    ]


def test_nothing_when_the_festival_s_activity_is_recorded(make_task, campaign, demo, staff):  # type: ignore[no-untyped-def]
    make_task("端午节主题活动", days=40, responsible=staff)
    Activity.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        kind=ActivityKind.FESTIVAL,
        festival="dragon_boat",
        title="包粽子",
        starts_at=timezone.make_aware(datetime.datetime(2026, 6, 13, 9, 0)),
    )
    notify(DRAGON_BOAT - datetime.timedelta(days=3))
    assert _festival_notes(staff) == []


def test_a_task_about_another_festival_is_not_told(make_task, staff):  # type: ignore[no-untyped-def]
    make_task("中秋节主题活动", days=40, responsible=staff)
    notify(DRAGON_BOAT - datetime.timedelta(days=3))
    assert _festival_notes(staff) == []


def test_the_rule_costs_two_queries_whatever_the_tasks(
    make_task, staff, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    from wenming.notifications.people_rules import festival_events

    for n in range(12):
        make_task(f"端午节活动{n}", days=40, responsible=staff)
    with django_assert_max_num_queries(2):
        assert len(festival_events(DRAGON_BOAT - datetime.timedelta(days=3))) == 12
    with django_assert_max_num_queries(0):
        assert festival_events(datetime.date(2026, 5, 20)) == []

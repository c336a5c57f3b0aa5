"""Every event is told once per person, however often and however concurrently scans run."""

from __future__ import annotations

from django.utils import timezone

from wenming.notifications import rules
from wenming.notifications.models import Notification


def _busy_day(make_task, make_problem, make_item, staff, count: int) -> None:  # type: ignore[no-untyped-def]
    from wenming.ledger.models import ItemStatus

    for i in range(count):
        make_task(f"任务{i}", days=i % 9 - 1, responsible=staff if i % 2 else None)
        make_problem(days=i % 5 - 2)
        make_item(status=ItemStatus.RETURNED, return_count=1)


def test_scanning_twice_creates_nothing_new(make_task, make_problem, make_item, staff):  # type: ignore[no-untyped-def]
    _busy_day(make_task, make_problem, make_item, staff, 6)
    first = rules.notify()
    assert first > 0
    assert rules.notify() == 0
    assert Notification.objects.count() == first


def test_a_racing_scan_that_missed_the_first_writes_nothing(make_task, staff, monkeypatch):  # type: ignore[no-untyped-def]
    make_task(days=1, responsible=staff)
    due = rules.scan(timezone.localdate())
    rules.write(due)
    # The second scan read "nothing written yet" before the first committed.
    monkeypatch.setattr(rules, "_existing", lambda keys: set())
    rules.write(due)
    assert Notification.objects.count() == len(due)


def test_scan_query_count_does_not_grow_with_the_data(
    make_task, make_problem, make_item, staff, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    _busy_day(make_task, make_problem, make_item, staff, 3)
    with django_assert_max_num_queries(16):
        rules.notify()
    _busy_day(make_task, make_problem, make_item, staff, 30)
    with django_assert_max_num_queries(16):
        rules.notify()

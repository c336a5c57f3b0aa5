"""Overdue work reaches the responsible person, their department's head, and the leading-group
member in charge of that department (分管领导); each once, however often the scan runs.

Personas (tests/conftest.py): `staff` and `dept_head` are 食品安全监管科; the demo's deputy
何志远 (`fujuzhang`) is in charge of 食品安全监管科 and 登记注册科.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from tests.notifications.conftest import TODAY, kinds_for
from wenming.notifications.models import Notification
from wenming.notifications.rules import notify
from wenming.orgs.models import LeadingGroupMember
from wenming.tasks.models import SubTask, TaskStatus


@pytest.fixture
def deputy(demo) -> User:  # type: ignore[no-untyped-def]
    return User.objects.get(username="fujuzhang")


def test_an_overdue_task_reaches_the_three_kinds_of_people_once(
    make_task, staff, dept_head, other_dept_head, deputy, leader, _today
) -> None:  # type: ignore[no-untyped-def]
    task = make_task(days=-2, responsible=staff)
    notify()
    key = f"task_overdue:{task.pk}:{(TODAY - datetime.timedelta(days=2)).isoformat()}"
    for person in (staff, dept_head, deputy):
        assert kinds_for(person) == [("task_overdue", key)], person
    # Nobody else: another department's head, the unit's head who is in charge of nothing.
    assert kinds_for(other_dept_head) == kinds_for(leader) == []
    # Scanning again, the next day too, tells nobody twice.
    assert notify() == 0
    _today.shift(datetime.timedelta(days=1))
    notify()
    assert Notification.objects.filter(kind="task_overdue").count() == 3


def test_due_soon_is_still_for_the_responsible_person_only(
    make_task, staff, dept_head, deputy
) -> None:  # type: ignore[no-untyped-def]
    make_task(days=1, responsible=staff)
    notify()
    assert [k for k, _ in kinds_for(staff)] == ["task_due_1"]
    assert kinds_for(dept_head) == kinds_for(deputy) == []


def test_one_person_in_two_roles_hears_once(make_task, dept_head, deputy, demo) -> None:  # type: ignore[no-untyped-def]
    # The head is also the responsible person and a member in charge of his own department.
    LeadingGroupMember.objects.get(unit=demo["unit"], user=dept_head).departments.add(demo["food"])
    make_task(days=-1, responsible=dept_head)
    notify()
    assert [k for k, _ in kinds_for(dept_head)] == ["task_overdue"]
    assert [k for k, _ in kinds_for(deputy)] == ["task_overdue"]


def test_members_who_left_or_are_not_in_charge_hear_nothing(make_task, staff, deputy, demo) -> None:  # type: ignore[no-untyped-def]
    member = LeadingGroupMember.objects.get(unit=demo["unit"], user=deputy)
    member.is_active = False
    member.save(update_fields=["is_active"])
    make_task(days=-1, responsible=staff)
    make_task("登记窗口", days=-1, lead_department=demo["registry"])
    make_task(
        "质量月活动",
        days=-1,
        lead_department=demo["unit"].active_departments().get(name="质量发展科"),
    )
    notify()
    assert kinds_for(deputy) == []


def test_done_and_draft_tasks_reach_no_leader(make_task, staff, deputy) -> None:  # type: ignore[no-untyped-def]
    make_task(days=-3, responsible=staff, status=TaskStatus.DONE, progress=100)
    make_task(days=-3, responsible=staff, is_draft=True)
    notify()
    assert kinds_for(deputy) == []


def test_an_overdue_sub_task_reaches_its_assignee_and_their_head(
    make_task, staff, dept_head, deputy, other_dept_head, demo
) -> None:  # type: ignore[no-untyped-def]
    task = make_task(days=30)
    sub = SubTask.objects.create(
        task=task,
        department=demo["food"],
        assignee=staff,
        title="撰写心得体会 2 篇",
        deadline=TODAY - datetime.timedelta(days=3),
        progress=50,
        status=TaskStatus.IN_PROGRESS,
    )
    SubTask.objects.create(
        task=task,
        department=demo["food"],
        assignee=staff,
        title="已完成的子任务",
        deadline=TODAY - datetime.timedelta(days=3),
        progress=100,
        status=TaskStatus.DONE,
    )
    notify()
    key = f"task_overdue:sub{sub.pk}:{sub.deadline.isoformat()}"
    assert kinds_for(staff) == kinds_for(dept_head) == [("task_overdue", key)]
    assert kinds_for(deputy) == kinds_for(other_dept_head) == []
    n = Notification.objects.filter(recipient=staff).get()
    assert n.title == "子任务已逾期：撰写心得体会 2 篇" and "已逾期3天" in n.body
    assert notify() == 0
    # A sub-task of a task in the bin is quiet.
    task.deleted_at = task.updated_at
    task.save(update_fields=["deleted_at"])
    Notification.objects.all().delete()
    notify()
    assert kinds_for(staff) == []


def test_the_scan_stays_at_a_fixed_number_of_queries(
    make_task, staff, demo, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        make_task(f"任务{i}", days=-1 - i, responsible=staff)
    with django_assert_max_num_queries(17):
        notify()
    for i in range(30):
        task = make_task(f"更多任务{i}", days=-1 - i % 5, responsible=staff if i % 2 else None)
        SubTask.objects.create(
            task=task,
            department=demo["food"],
            assignee=staff,
            title=f"子任务{i}",
            deadline=TODAY - datetime.timedelta(days=1),
        )
    with django_assert_max_num_queries(17):
        notify()

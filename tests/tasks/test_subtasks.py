"""Sub-tasks (子任务): a department head splits a task for the department's people, each with a
target, a deadline and progress rolling up to the task; the person records and completes it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.tasks import make_task
from wenming.orgs.models import Membership, Role
from wenming.tasks import subtasks
from wenming.tasks.models import SubTask, Task, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(campaign, demo) -> Task:  # type: ignore[no-untyped-def]
    task = make_task(
        campaign,
        lead_department=demo["food"],
        target_quantity=Decimal(4),
        target_unit="篇",
    )
    task.co_departments.set([demo["registry"]])
    return task


def _split(task: Task, user: User, assignee: User, **fields) -> SubTask:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "department": task.lead_department,
        "title": "撰写心得体会",
        "target_quantity": Decimal(2),
        "target_unit": "篇",
        "deadline": datetime.date(2026, 6, 30),
    }
    values.update(fields)
    return subtasks.subtask_create(task=task, assignee=assignee, user=user, **values)


def _registry_staff(demo) -> User:  # type: ignore[no-untyped-def]
    person = User.objects.create_user("dengji", first_name="登记", last_name="王")
    Membership.objects.create(user=person, organization=demo["registry"], role=Role.STAFF)
    return person


# --- rules -----------------------------------------------------------------------------------


def test_head_splits_for_own_people_and_progress_rolls_up(task, dept_head, staff) -> None:
    first = _split(task, dept_head, staff)
    second = _split(task, dept_head, dept_head, title="组织学习讨论", target_quantity=None)
    assert first.status == TaskStatus.NOT_STARTED and first.department == task.lead_department
    subtasks.subtask_report(subtask=first, user=staff, achieved_quantity=Decimal(1), note="一篇")
    first.refresh_from_db()
    assert first.progress == 50 and first.status == TaskStatus.IN_PROGRESS
    subtasks.subtask_report(subtask=second, user=dept_head, progress=25)
    task.refresh_from_db()
    assert task.progress == 37  # (50 + 25) // 2
    # Achieving more than the target caps at 100 %.
    subtasks.subtask_report(subtask=first, user=staff, achieved_quantity=Decimal(3))
    first.refresh_from_db()
    assert first.progress == 100 and first.status == TaskStatus.IN_PROGRESS
    subtasks.subtask_complete(subtask=first, user=staff)
    first.refresh_from_db()
    assert first.status == TaskStatus.DONE and first.completed_by == staff
    task.refresh_from_db()
    assert task.progress == 62  # (100 + 25) // 2


def test_without_lead_subtasks_the_task_progress_stays(task, dept_head, demo) -> None:
    task.progress = 30
    task.save(update_fields=["progress"])
    head = User.objects.get(username="keshi2")
    _split(task, head, _registry_staff(demo), department=demo["registry"])
    task.refresh_from_db()
    assert task.progress == 30
    # Deleting the lead's only sub-task leaves the last rolled-up figure.
    one = _split(task, dept_head, dept_head, target_quantity=None)
    task.refresh_from_db()
    assert task.progress == 0
    subtasks.subtask_report(subtask=one, user=dept_head, progress=80)
    subtasks.subtask_delete(subtask=one, user=dept_head)
    task.refresh_from_db()
    assert task.progress == 80
    assert SubTask.objects.live().filter(task=task, department=task.lead_department).count() == 0


def test_sub_tasks_are_not_tasks(task, dept_head, staff, campaign) -> None:
    before = Task.objects.counted().filter(campaign=campaign).count()
    _split(task, dept_head, staff)
    assert Task.objects.counted().filter(campaign=campaign).count() == before


# --- bad input -------------------------------------------------------------------------------


def test_assignee_outside_the_department_is_refused(task, dept_head, other_dept_head) -> None:
    with pytest.raises(ValidationError) as exc:
        _split(task, dept_head, other_dept_head)
    message = exc.value.message_dict["assignee"][0]
    assert message.startswith("孙伟不是本部门人员，不能分派子任务。")
    assert not SubTask.objects.exists()


def test_targets_may_not_exceed_the_task(task, dept_head, staff) -> None:
    _split(task, dept_head, staff, target_quantity=Decimal(3))
    with pytest.raises(ValidationError) as exc:
        _split(task, dept_head, dept_head, target_quantity=Decimal(2))
    assert exc.value.message_dict["target_quantity"] == [
        "子任务目标合计 5 篇，超过任务目标 4 篇。请调低目标数量。"
    ]
    # Another unit is not added up; a target that fits is accepted.
    _split(task, dept_head, dept_head, target_quantity=Decimal(5), target_unit="次")
    _split(task, dept_head, dept_head, target_quantity=Decimal(1))
    assert SubTask.objects.count() == 3


def test_deadline_after_the_task_or_outside_the_campaign(task, dept_head, staff) -> None:
    with pytest.raises(ValidationError) as exc:
        _split(task, dept_head, staff, deadline=datetime.date(2027, 1, 5))
    assert "不能晚于任务的完成时限（2026-12-31）" in exc.value.message_dict["deadline"][0]
    with pytest.raises(ValidationError) as exc:
        _split(task, dept_head, staff, deadline=datetime.date(2025, 12, 1))
    assert "创建周期" in exc.value.message_dict["deadline"][0]
    assert not SubTask.objects.exists()


def test_co_department_head_splits_only_its_own_part(task, dept_head, demo, as_user) -> None:
    head = User.objects.get(username="keshi2")
    person = _registry_staff(demo)
    own = _split(task, head, person, department=demo["registry"], target_quantity=Decimal(9))
    # A co-operating department's targets are its own, not the lead's total.
    assert own.department == demo["registry"]
    with pytest.raises(PermissionDenied):
        _split(task, head, person)
    lead_part = _split(task, dept_head, User.objects.get(username="jingban"))
    client = as_user(head)
    # The lead's sub-tasks are out of the co-operating department's reach.
    assert client.get(reverse("tasks:subtask_edit", args=[lead_part.pk])).status_code == 404
    response = client.post(
        reverse("tasks:subtask_edit", args=[lead_part.pk]), {"title": "改掉", "assignee": head.pk}
    )
    assert response.status_code == 404
    response = client.patch(
        f"/api/v1/subtasks/{lead_part.pk}", {"title": "改掉"}, content_type="application/json"
    )
    assert response.status_code == 404
    lead_part.refresh_from_db()
    assert lead_part.title == "撰写心得体会"
    # The task's own fields stay the 创建办's.
    assert client.get(reverse("tasks:edit", args=[task.pk])).status_code == 403
    response = client.patch(
        f"/api/v1/tasks/{task.pk}", {"title": "改掉"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_staff_never_reach_another_departments_subtasks(task, staff, demo, as_user) -> None:
    head = User.objects.get(username="keshi2")
    theirs = _split(task, head, _registry_staff(demo), department=demo["registry"])
    client = as_user(staff)
    assert client.get(reverse("tasks:subtask", args=[theirs.pk])).status_code == 404
    assert client.get(f"/api/v1/subtasks/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/tasks/{task.pk}/subtasks").json() == []
    assert theirs.title not in client.get(reverse("tasks:detail", args=[task.pk])).content.decode()


def test_two_completions_at_once(task, dept_head, staff) -> None:
    subtask = _split(task, dept_head, staff, target_quantity=None)
    stale = SubTask.objects.get(pk=subtask.pk)  # the second person's page, loaded before
    subtasks.subtask_complete(subtask=subtask, user=staff)
    done = SubTask.objects.get(pk=subtask.pk)
    with pytest.raises(ValidationError) as exc:
        subtasks.subtask_complete(subtask=stale, user=dept_head)
    when = subtasks.timezone.localtime(done.completed_at)
    assert exc.value.messages == [f"该子任务已由陈晓燕于{when:%H:%M}完成，不能再修改进展。"]
    again = SubTask.objects.get(pk=subtask.pk)
    assert again.completed_by == staff and again.completed_at == done.completed_at


def test_complete_needs_the_target_reached(task, dept_head, staff) -> None:
    subtask = _split(task, dept_head, staff)
    subtasks.subtask_report(subtask=subtask, user=staff, achieved_quantity=Decimal(1))
    with pytest.raises(ValidationError) as exc:
        subtasks.subtask_complete(subtask=subtask, user=staff)
    assert "还没有达到目标（2篇）" in exc.value.messages[0]
    subtask.refresh_from_db()
    assert subtask.status == TaskStatus.IN_PROGRESS


def test_bad_report_values_save_nothing(task, dept_head, staff) -> None:
    subtask = _split(task, dept_head, staff, target_quantity=None)
    with pytest.raises(ValidationError) as exc:
        subtasks.subtask_report(subtask=subtask, user=staff, progress=120, note="x")
    assert exc.value.message_dict["progress"] == ["进度必须在0到100之间，请修改。"]
    with pytest.raises(ValidationError):
        subtasks.subtask_report(subtask=subtask, user=staff, achieved_quantity="-1")
    subtask.refresh_from_db()
    assert subtask.progress == 0 and subtask.note == ""


def test_delete_and_restore_rechecks_the_targets(task, dept_head, staff) -> None:
    first = _split(task, dept_head, staff, target_quantity=Decimal(3))
    subtasks.subtask_delete(subtask=first, user=dept_head)
    _split(task, dept_head, dept_head, target_quantity=Decimal(2))
    with pytest.raises(ValidationError):
        subtasks.subtask_restore(subtask=first, user=dept_head)
    first.refresh_from_db()
    assert first.deleted_at is not None


def test_a_draft_is_not_split(campaign, demo, coordinator, staff) -> None:
    draft = make_task(campaign, lead_department=demo["food"], is_draft=True)
    with pytest.raises(ValidationError):
        _split(draft, coordinator, staff)


# --- screens ---------------------------------------------------------------------------------


def test_head_splits_on_the_task_page_and_staff_completes(task, dept_head, staff, as_user) -> None:
    head = as_user(dept_head)
    page = head.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "分解子任务" in page
    response = head.post(
        reverse("tasks:subtask_create", args=[task.pk]),
        {
            "department": task.lead_department_id,
            "assignee": staff.pk,
            "title": "撰写心得体会",
            "target_quantity": "2",
            "target_unit": "篇",
            "deadline": "2026-06-30",
        },
        follow=True,
    )
    assert "已把“撰写心得体会”分派给陈晓燕" in response.content.decode()
    subtask = SubTask.objects.get()
    page = head.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "由子任务汇总" in page and "已完成 0 / 目标 2篇" in page
    person = as_user(staff)
    assert "分解子任务" not in person.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    report = reverse("tasks:subtask_report", args=[subtask.pk])
    response = person.post(report, {"achieved_quantity": "2", "note": "两篇已交"}, follow=True)
    assert "已保存进展：100%" in response.content.decode()
    response = person.post(reverse("tasks:subtask_complete", args=[subtask.pk]), follow=True)
    assert "已标记完成" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 100


def test_split_form_errors_show_on_the_form(
    task, dept_head, staff, other_dept_head, as_user
) -> None:
    url = reverse("tasks:subtask_create", args=[task.pk])
    data = {"department": task.lead_department_id, "title": "撰写心得体会"}
    client = as_user(dept_head)
    response = client.post(url, {**data, "assignee": other_dept_head.pk})
    assert response.status_code == 200
    assert "所选人员不是本部门人员" in response.content.decode()
    response = client.post(
        url, {**data, "assignee": staff.pk, "deadline": "2027-03-01", "target_quantity": "9"}
    )
    body = response.content.decode()
    assert "不能晚于任务的完成时限" in body and "超过任务目标 4 篇" in body
    assert not SubTask.objects.exists()


def test_my_tasks_lists_own_subtasks_overdue_first(task, dept_head, staff, as_user) -> None:
    later = _split(task, dept_head, staff, title="后面的", deadline=datetime.date(2026, 12, 1))
    late = _split(
        task,
        dept_head,
        staff,
        title="逾期的",
        target_quantity=1,
        deadline=datetime.date(2026, 2, 1),
    )
    _split(task, dept_head, dept_head, title="别人的", target_quantity=None)
    body = as_user(staff).get(reverse("tasks:mine")).content.decode()
    assert "我的子任务" in body and "别人的" not in body
    assert body.index("逾期的") < body.index("后面的")
    assert reverse("tasks:subtask", args=[later.pk]) in body
    assert reverse("tasks:subtask", args=[late.pk]) in body


def _many(task: Task, dept_head: User, staff: User, count: int) -> None:
    SubTask.objects.bulk_create(
        SubTask(
            task=task,
            department=task.lead_department,
            assignee=staff if i % 2 else dept_head,
            title=f"子任务{i}",
            deadline=datetime.date(2026, 6, 30),
            created_by=dept_head,
        )
        for i in range(count)
    )


def test_pages_stay_bounded_with_many_subtasks(
    task, dept_head, staff, as_user, django_assert_max_num_queries
) -> None:
    head, person = as_user(dept_head), as_user(staff)
    _many(task, dept_head, staff, 5)
    counts = []
    for client, url in (
        (head, reverse("tasks:detail", args=[task.pk])),
        (person, reverse("tasks:mine")),
    ):
        with django_assert_max_num_queries(60) as small:
            client.get(url)
        counts.append(len(small.captured_queries))
    _many(task, dept_head, staff, 120)
    for (client, url), before in zip(
        (
            (head, reverse("tasks:detail", args=[task.pk])),
            (person, reverse("tasks:mine")),
        ),
        counts,
        strict=True,
    ):
        with django_assert_max_num_queries(before) as big:
            response = client.get(url)
        assert response.status_code == 200
        assert len(big.captured_queries) == before


# --- API -------------------------------------------------------------------------------------


def test_api_list_create_patch_complete(task, dept_head, staff, other_dept_head, as_user) -> None:
    head = as_user(dept_head)
    url = f"/api/v1/tasks/{task.pk}/subtasks"
    body = {
        "department_id": task.lead_department_id,
        "assignee_id": staff.pk,
        "title": "撰写心得体会",
        "target_quantity": "2",
        "target_unit": "篇",
        "deadline": "2026-06-30",
    }
    response = head.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["assignee_name"] == "陈晓燕" and created["status"] == "not_started"
    wrong = head.post(
        url, {**body, "assignee_id": other_dept_head.pk}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"]["assignee_id"][0].startswith("孙伟不是本部门人员")
    too_much = head.post(url, {**body, "target_quantity": "3"}, content_type="application/json")
    assert too_much.status_code == 422
    assert "超过任务目标 4 篇" in too_much.json()["errors"]["target_quantity"][0]
    assert [s["id"] for s in head.get(url).json()] == [created["id"]]

    person = as_user(staff)
    one = f"/api/v1/subtasks/{created['id']}"
    response = person.patch(one, {"achieved_quantity": "1"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["progress"] == 50
    # The assignee reports; changing the sub-task itself is the head's.
    response = person.patch(one, {"title": "改掉"}, content_type="application/json")
    assert response.status_code == 403
    response = head.patch(one, {"deadline": "2026-07-15"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["deadline"] == "2026-07-15"
    early = person.post(f"{one}/complete")
    assert early.status_code == 422 and "achieved_quantity" in early.json()["errors"]
    person.patch(one, {"achieved_quantity": "2"}, content_type="application/json")
    done = person.post(f"{one}/complete")
    assert done.status_code == 200 and done.json()["status"] == "done"
    second = head.post(f"{one}/complete")
    assert second.status_code == 422 and "该子任务已由陈晓燕于" in second.json()["detail"]
    task.refresh_from_db()
    assert task.progress == 100


def test_api_refuses_outsiders(task, dept_head, staff, other_dept_head, as_user) -> None:
    subtask = _split(task, dept_head, staff)
    response = as_user(other_dept_head).post(f"/api/v1/subtasks/{subtask.pk}/complete")
    assert response.status_code == 404
    response = as_user(staff).post(
        f"/api/v1/tasks/{task.pk}/subtasks",
        {"department_id": task.lead_department_id, "assignee_id": staff.pk, "title": "自己派"},
        content_type="application/json",
    )
    assert response.status_code == 403


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_demo_staff_sees_their_subtasks(db, settings, tmp_path, as_user) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.demo import load_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo()
    staff = User.objects.get(username="jingban")
    mine = SubTask.objects.live().filter(assignee=staff)
    assert mine.filter(title="撰写心得体会", achieved_quantity=1, target_unit="篇").exists()
    body = as_user(staff).get(reverse("tasks:mine")).content.decode()
    assert "我的子任务" in body and "撰写心得体会" in body
    assert body.index("整理窗口服务台账照片") < body.index("撰写心得体会")  # overdue first
    # 登记注册科 co-operates on the split task and has reported its part; its head sees it.
    from wenming.tasks.models import TaskPart

    part = TaskPart.objects.select_related("task", "department").get()
    assert (part.department.name, part.progress) == ("登记注册科", 60)
    assert part.task == mine.first().task  # type: ignore[union-attr]
    partner = User.objects.get(username="keshi2")
    page = as_user(partner).get(reverse("tasks:detail", args=[part.task.pk])).content.decode()
    assert "配合部门进展" in page and "60%" in page

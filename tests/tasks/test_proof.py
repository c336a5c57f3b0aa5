"""Proven, not just reported: a task at 100 % is 已完成 only when its proof is in.

Its proof is in when every standard it serves that the ledger checks is 已完备, or when the
创建办 waived it with a reason; a task serving no checked standard is proven by an approved
evidence item filed against it. Until then it is 待佐证 (`unproven`), and overdue once past
its deadline (`docs/tasks.md`, "Proven, not just reported").
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse

from tests.ledger.conftest import ITEM_FIELDS, docx, jpeg, upload
from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger import services as ledger
from wenming.tasks import services
from wenming.tasks.models import Task, TaskStatus
from wenming.trace.models import Change

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2028, 6, 30)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _standards(campaign: Campaign, n: int = 2) -> list[Node]:
    return list(
        Node.objects.filter(framework=campaign.framework, is_leaf=True, section="basic").order_by(
            "position"
        )[:n]
    )


@pytest.fixture
def standard(campaign: Campaign) -> Node:
    return _standards(campaign, 1)[0]


@pytest.fixture
def task(campaign: Campaign, demo, standard: Node) -> Task:  # type: ignore[no-untyped-def]
    return make_task(
        campaign, lead_department=demo["food"], deadline=DEADLINE, standards=[standard]
    )


def _file(campaign: Campaign, task: Task, user: Any, **kwargs: Any) -> Any:
    """A complete item (words, a photo, a result) for `task`, waiting for review."""
    return ledger.item_create(
        campaign=campaign,
        task=task,
        department=task.lead_department,
        user=user,
        fields=dict(ITEM_FIELDS),
        uploads=[
            upload("讲堂现场.jpg", jpeg(taken=datetime.datetime(2026, 3, 20, 15, 0))),
            upload("活动方案.docx", docx()),
        ],
        **kwargs,
    )


def _status(task: Task) -> str:
    task.refresh_from_db()
    return task.status


def test_reported_done_without_evidence_is_unproven_and_overdue(task: Task) -> None:
    services.task_set_progress(task=task, progress=100, note="已全部完成")
    task.refresh_from_db()
    assert task.status == TaskStatus.UNPROVEN and task.completed_at is None
    assert task.get_status_display() == "待佐证"
    after = DEADLINE + datetime.timedelta(days=1)
    assert task.is_overdue(after) and task.status_label(after) == "已逾期"
    assert Task.objects.overdue(after).filter(pk=task.pk).exists()
    assert not Task.objects.done().filter(pk=task.pk).exists()


def test_approving_the_evidence_proves_it_and_taking_it_away_does_not(
    campaign: Campaign, task: Task, staff, coordinator
) -> None:
    services.task_set_progress(task=task, progress=100)
    item = _file(campaign, task, staff)
    assert _status(task) == TaskStatus.UNPROVEN  # waiting for review proves nothing yet
    ledger.item_approve(item=item, user=coordinator)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None
    # The change is in the task's log, like any other.
    logged = Change.objects.filter(kind="task", object_id=task.pk).values_list("changes", flat=True)
    assert any(c.get("状态") == ["待佐证", "已完成"] for c in logged)

    # The result wiped out: the item no longer proves the standard.
    ledger.item_update(item=item, user=coordinator, fields={"result": ""})
    assert _status(task) == TaskStatus.UNPROVEN
    ledger.item_update(item=item, user=coordinator, fields={"result": "撰写心得体会32篇。"})
    assert _status(task) == TaskStatus.DONE

    # Into the recycle bin and back.
    ledger.item_remove(item=item, user=coordinator, reason="重复上传")
    task.refresh_from_db()
    assert task.status == TaskStatus.UNPROVEN and task.completed_at is None
    ledger.item_restore(item=item, user=coordinator)
    assert _status(task) == TaskStatus.DONE


def test_a_returned_item_does_not_prove_it(
    campaign: Campaign, task: Task, staff, coordinator
) -> None:
    services.task_set_progress(task=task, progress=100)
    item = _file(campaign, task, staff)
    ledger.item_return(item=item, user=coordinator, comment="请补充签到表。")
    assert _status(task) == TaskStatus.UNPROVEN
    ledger.item_resubmit(item=item, user=staff)
    ledger.item_approve(item=item, user=coordinator)
    assert _status(task) == TaskStatus.DONE


def test_every_standard_it_serves_must_be_complete(
    campaign: Campaign, demo, staff, coordinator
) -> None:
    first, second = _standards(campaign)
    task = make_task(campaign, lead_department=demo["food"], standards=[first, second])
    ledger.item_approve(item=_file(campaign, task, staff, standards=[first]), user=coordinator)
    services.task_set_progress(task=task, progress=100)
    assert task.status == TaskStatus.UNPROVEN
    # Marking the missing standard not applicable leaves only the proven one to check.
    services.standard_exclude(campaign=campaign, standard=second, reason="不涉及", user=None)
    assert _status(task) == TaskStatus.DONE
    services.standard_include(campaign=campaign, standard=second)
    assert _status(task) == TaskStatus.UNPROVEN


def test_a_task_without_standards_is_proven_by_its_own_approved_evidence(
    campaign: Campaign, demo, standard: Node, staff, coordinator
) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    services.task_set_progress(task=task, progress=100)
    assert task.status == TaskStatus.UNPROVEN
    item = _file(campaign, task, staff, standards=[standard])
    assert _status(task) == TaskStatus.UNPROVEN
    ledger.item_approve(item=item, user=coordinator)
    assert _status(task) == TaskStatus.DONE
    ledger.item_remove(item=item, user=coordinator)
    assert _status(task) == TaskStatus.UNPROVEN


def test_the_weekly_report_at_100_percent_leaves_it_unproven(
    campaign: Campaign, task: Task, dept_head
) -> None:
    from wenming.tasks.reports import services as reports

    reports.report_submit(
        campaign=campaign,
        department=task.lead_department,  # type: ignore[arg-type]
        week_start=datetime.date(2026, 6, 1),
        user=dept_head,
        data=reports.ReportInput(lines=[reports.LineInput(task_id=task.pk, progress=100)]),
    )
    task.refresh_from_db()
    assert (task.progress, task.status, task.completed_at) == (100, TaskStatus.UNPROVEN, None)
    # Still in the department's list to report on: the proof is what is left.
    open_tasks = reports.department_open_tasks(campaign=campaign, department=task.lead_department)
    assert task in open_tasks


# --- waiver ----------------------------------------------------------------------------------


def test_a_waiver_needs_a_reason_and_nothing_is_saved_without_one(task: Task, coordinator) -> None:
    services.task_set_progress(task=task, progress=100)
    for reason in ("", "   ", "理" * 301):
        with pytest.raises(Exception) as refused:
            services.task_waive(task=task, user=coordinator, reason=reason)
        assert "理由" in str(refused.value)
        task.refresh_from_db()
        assert (task.waived, task.waiver_reason, task.waived_by, task.status) == (
            False,
            "",
            None,
            TaskStatus.UNPROVEN,
        )


def test_a_waiver_makes_it_done_and_undoing_it_reverts(task: Task, coordinator) -> None:
    services.task_set_progress(task=task, progress=100)
    services.task_waive(task=task, user=coordinator, reason="由市文明办统一组织测评")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None
    assert (task.waived, task.waiver_reason, task.waived_by) == (
        True,
        "由市文明办统一组织测评",
        coordinator,
    )
    assert task.waived_at is not None
    with pytest.raises(Exception, match="已经免予佐证"):
        services.task_waive(task=task, user=coordinator, reason="再一次")
    services.task_unwaive(task=task, user=coordinator)
    task.refresh_from_db()
    assert (task.waived, task.waiver_reason, task.status) == (False, "", TaskStatus.UNPROVEN)
    assert task.completed_at is None
    # Who waived and why stays in the change log.
    logged = Change.objects.filter(kind="task", object_id=task.pk).values_list("changes", flat=True)
    assert any("由市文明办统一组织测评" in json.dumps(c, ensure_ascii=False) for c in logged)


def test_a_waiver_before_100_percent_makes_it_done_when_it_gets_there(
    task: Task, coordinator
) -> None:
    services.task_waive(task=task, user=coordinator, reason="上级统一组织")
    assert _status(task) == TaskStatus.NOT_STARTED
    services.task_set_progress(task=task, progress=100)
    assert task.status == TaskStatus.DONE


def test_drafts_and_binned_tasks_cannot_be_waived(campaign: Campaign, coordinator) -> None:
    draft = make_task(campaign, is_draft=True)
    with pytest.raises(Exception, match="草稿"):
        services.task_waive(task=draft, user=coordinator, reason="统一测评")
    services.task_delete(task=draft)
    with pytest.raises(Exception, match="回收站"):
        services.task_waive(task=draft, user=coordinator, reason="统一测评")


# --- screens ---------------------------------------------------------------------------------


def test_screens_show_unproven_and_the_missing_standards(
    campaign: Campaign, task: Task, standard: Node, as_user, coordinator, staff
) -> None:
    services.task_set_progress(task=task, progress=100)
    table = as_user(coordinator).get(reverse("tasks:table", args=[campaign.pk]))
    assert "wm-status-unproven" in table.content.decode() and "待佐证" in table.content.decode()
    listed = as_user(coordinator).get(
        reverse("tasks:table", args=[campaign.pk]), {"status": "unproven"}
    )
    assert [t.pk for t in listed.context["tasks"]] == [task.pk]
    assert ("unproven", "待佐证") in listed.context["form"].fields["status"].choices
    board = as_user(coordinator).get(reverse("tasks:board", args=[task.lead_department_id]))
    assert "待佐证" in board.content.decode() and board.context["counts"]["done"] == 0

    page = as_user(coordinator).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert standard.code in page and "无台账" in page
    assert f"{reverse('ledger:items', args=[campaign.pk])}?standard={standard.pk}" in page
    assert reverse("tasks:waive", args=[task.pk]) in page
    # The lead department sees what is missing, not the waiver form.
    page = as_user(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert standard.code in page and reverse("tasks:waive", args=[task.pk]) not in page


def test_waiver_on_the_task_page(task: Task, as_user, coordinator, staff) -> None:
    services.task_set_progress(task=task, progress=100)
    url = reverse("tasks:waive", args=[task.pk])
    assert as_user(staff).post(url, {"reason": "我说不用"}).status_code == 403
    response = as_user(coordinator).post(url, {"reason": ""}, follow=True)
    assert "请填写免予佐证的理由" in response.content.decode()
    assert _status(task) == TaskStatus.UNPROVEN
    response = as_user(coordinator).post(url, {"reason": "由市文明办统一组织测评"}, follow=True)
    page = response.content.decode()
    assert _status(task) == TaskStatus.DONE
    assert "已免予佐证" in page and "由市文明办统一组织测评" in page
    assert reverse("tasks:unwaive", args=[task.pk]) in page
    as_user(coordinator).post(reverse("tasks:unwaive", args=[task.pk]))
    assert _status(task) == TaskStatus.UNPROVEN


def test_the_task_table_stays_bounded_with_unproven_tasks(
    campaign: Campaign, demo, standard: Node, as_user, coordinator, django_assert_max_num_queries
) -> None:
    client = as_user(coordinator)
    url = reverse("tasks:table", args=[campaign.pk])
    client.get(url)
    counts = []
    for n in (2, 30):
        for i in range(n - Task.objects.count()):
            make_task(
                campaign,
                title=f"任务{i}",
                lead_department=demo["food"],
                standards=[standard],
                progress=100,
                status=TaskStatus.UNPROVEN,
            )
        with django_assert_max_num_queries(30) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_excel_sheets_say_unproven(campaign: Campaign, task: Task) -> None:
    import io

    from openpyxl import load_workbook

    from wenming.tasks.reports import excel

    services.task_set_progress(task=task, progress=100)
    sheet = load_workbook(io.BytesIO(excel.tasks_export(campaign))).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and "状态" in r)
    body = [r for r in rows if r and r[4] == task.title]
    assert body and body[0][header.index("状态")] in ("待佐证", "待佐证（已逾期）")


# --- API -------------------------------------------------------------------------------------


def test_api_status_waiver_and_its_errors(task: Task, as_user, coordinator, staff) -> None:
    services.task_set_progress(task=task, progress=100)
    data = as_user(staff).get(f"/api/v1/tasks/{task.pk}").json()
    assert (data["status"], data["status_label"], data["waived"], data["waiver_reason"]) == (
        "unproven",
        "待佐证",
        False,
        "",
    )
    url = f"/api/v1/tasks/{task.pk}/waiver"
    listed = as_user(staff).get("/api/v1/tasks", {"status": "unproven"}).json()
    assert [t["id"] for t in listed["items"]] == [task.pk]

    def post(user: Any, body: dict[str, Any]) -> Any:
        return as_user(user).post(url, json.dumps(body), content_type="application/json")

    assert post(staff, {"reason": "我说不用"}).status_code == 403
    refused = post(coordinator, {"reason": "  "})
    assert refused.status_code == 422 and "请填写免予佐证的理由" in refused.json()["detail"]
    assert post(coordinator, {}).status_code == 422
    assert _status(task) == TaskStatus.UNPROVEN
    done = post(coordinator, {"reason": "由市文明办统一组织测评"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["waived"]) == ("done", True)
    assert done.json()["waiver_reason"] == "由市文明办统一组织测评"
    assert as_user(staff).delete(url).status_code == 403
    undone = as_user(coordinator).delete(url)
    assert undone.status_code == 200
    assert (undone.json()["status"], undone.json()["waived"]) == ("unproven", False)
    again = as_user(coordinator).delete(url)
    assert again.status_code == 422 and "没有免予佐证" in again.json()["detail"]

"""Claiming an offered task: a department head claims, the 创建办 decides, the trace stays."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.tasks import make_task
from wenming.campaigns.models import Campaign
from wenming.tasks import services
from wenming.tasks.models import ClaimStatus, OwnerChange, TaskClaim

pytestmark = pytest.mark.django_db


def test_claim_approve_sets_the_lead_and_rejects_the_others(
    campaign: Campaign, dept_head, other_dept_head, coordinator, demo, as_user
) -> None:
    task = make_task(campaign)
    response = as_user(dept_head).post(
        reverse("tasks:claim", args=[task.pk]),
        {"department": demo["food"].pk, "note": "我科负责"},
        follow=True,
    )
    assert "已以“食品安全监管科”名义认领" in response.content.decode()
    mine = TaskClaim.objects.get(department=demo["food"])
    other = services.task_claim(task=task, department=demo["registry"], user=other_dept_head)
    with pytest.raises(ValidationError) as exc:
        services.task_claim(task=task, department=demo["food"], user=dept_head)
    assert "正在等待创建办审核" in " ".join(exc.value.messages)

    inbox = as_user(coordinator).get(reverse("tasks:claims"))
    assert inbox.status_code == 200
    assert "我科负责" in inbox.content.decode()

    response = as_user(coordinator).post(
        reverse("tasks:claim_approve", args=[mine.pk]), follow=True
    )
    assert "已同意“食品安全监管科”认领" in response.content.decode()
    task.refresh_from_db()
    assert task.lead_department == demo["food"]
    other.refresh_from_db()
    assert other.status == ClaimStatus.REJECTED
    assert "已由“食品安全监管科”认领" in other.decision_note
    change = OwnerChange.objects.get(task=task)
    assert change.from_department is None and change.to_department == demo["food"]
    assert change.actor == coordinator
    # The detail shows both the claim history and the trace.
    page = as_user(dept_head).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "认领获同意" in page and "未同意" in page


def test_reject_and_decide_only_once(campaign: Campaign, dept_head, coordinator, demo) -> None:
    task = make_task(campaign)
    claim = services.task_claim(task=task, department=demo["food"], user=dept_head)
    services.claim_reject(claim=claim, user=coordinator, note="请配合即可")
    assert claim.status == ClaimStatus.REJECTED
    with pytest.raises(ValidationError) as exc:
        services.claim_approve(claim=claim, user=coordinator)
    assert "该认领已经审核过了" in " ".join(exc.value.messages)
    task.refresh_from_db()
    assert task.lead_department is None


def test_reassign_is_traced_and_needs_a_reason(
    campaign: Campaign, coordinator, demo, as_user
) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    client = as_user(coordinator)
    response = client.post(
        reverse("tasks:reassign", args=[task.pk]), {"department": demo["registry"].pk}, follow=True
    )
    assert "请填写调整牵头部门的原因" in response.content.decode()
    task.refresh_from_db()
    assert task.lead_department == demo["food"]
    client.post(
        reverse("tasks:reassign", args=[task.pk]),
        {"department": demo["registry"].pk, "reason": "职责调整"},
    )
    task.refresh_from_db()
    assert task.lead_department == demo["registry"]
    change = OwnerChange.objects.get(task=task)
    assert (change.from_department, change.to_department, change.comment) == (
        demo["food"],
        demo["registry"],
        "职责调整",
    )


def test_offered_page_shows_the_claim_form_to_heads_only(
    campaign: Campaign, dept_head, staff, as_user
) -> None:
    make_task(campaign, title="志愿服务常态化")
    page = as_user(dept_head).get(reverse("tasks:offered")).content.decode()
    assert "志愿服务常态化" in page and "认领部门" in page
    page = as_user(staff).get(reverse("tasks:offered")).content.decode()
    assert "志愿服务常态化" in page and "认领部门" not in page
    assert User.objects.filter(username="keshi").exists()


def test_decision_never_redirects_off_site(
    campaign: Campaign, dept_head, coordinator, demo, as_user
) -> None:
    task = make_task(campaign)
    claim = services.task_claim(task=task, department=demo["food"], user=dept_head)
    response = as_user(coordinator).post(
        reverse("tasks:claim_reject", args=[claim.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("tasks:claims")


def test_an_approved_claim_turns_an_offered_draft_into_counted_work(
    campaign: Campaign, dept_head, coordinator, demo, as_user
) -> None:
    """Generated bonus tasks are offered as drafts; once the 创建办 approves a department's
    claim, the task is that department's work: counted, on its board and in 我的任务."""
    from wenming.tasks.models import Task

    task = make_task(campaign, is_draft=True)
    assert not Task.objects.counted().filter(pk=task.pk).exists()
    claim = services.task_claim(task=task, department=demo["food"], user=dept_head)
    services.claim_approve(claim=claim, user=coordinator)
    task.refresh_from_db()
    assert not task.is_draft
    assert Task.objects.counted().filter(pk=task.pk, lead_department=demo["food"]).exists()
    board = as_user(dept_head).get(reverse("tasks:mine")).content.decode()
    assert task.title in board

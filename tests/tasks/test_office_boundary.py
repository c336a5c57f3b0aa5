"""The office above reads a unit's tasks and claims but changes none of them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.tasks.models import ClaimStatus, Task, TaskClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(campaign, demo):  # type: ignore[no-untyped-def]
    return Task.objects.create(
        campaign=campaign,
        title="开展道德讲堂活动",
        lead_department=demo["food"],
        deadline=datetime.date(2026, 12, 31),
    )


def test_office_reads_the_table_and_the_task_without_edit_buttons(
    campaign, task, office_admin, coordinator, as_user
):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    table = client.get(reverse("tasks:table", args=[campaign.pk])).content.decode()
    assert task.title in table
    assert reverse("tasks:create", args=[campaign.pk]) not in table
    detail = client.get(reverse("tasks:detail", args=[task.pk]))
    assert detail.status_code == 200
    assert reverse("tasks:edit", args=[task.pk]) not in detail.content.decode()
    own = as_user(coordinator).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert reverse("tasks:edit", args=[task.pk]) in own
    api = client.get(reverse("api:task_detail", args=[task.pk]))
    assert api.status_code == 200 and api.json()["title"] == task.title


def test_office_is_refused_task_changes_and_progress(campaign, task, office_admin, as_user):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    edit = client.get(reverse("tasks:edit", args=[task.pk]))
    assert edit.status_code == 403 and OFFICE_READS_ONLY in edit.content.decode()
    progress = client.post(reverse("tasks:progress", args=[task.pk]), {"progress": 50})
    assert progress.status_code == 403 and OFFICE_READS_ONLY in progress.content.decode()
    update = client.patch(
        reverse("api:task_update", args=[task.pk]),
        {"requirement": "每月一期"},
        content_type="application/json",
    )
    assert update.status_code == 403 and update.json()["detail"] == OFFICE_READS_ONLY
    create = client.post(
        reverse("api:task_create"),
        {"campaign_id": campaign.pk, "title": "新建的任务"},
        content_type="application/json",
    )
    assert create.status_code == 403
    task.refresh_from_db()
    assert (task.progress, task.requirement) == (0, "")
    assert list(Task.objects.filter(campaign=campaign)) == [task]


def test_office_does_not_decide_claims(campaign, demo, office_admin, dept_head, as_user):  # type: ignore[no-untyped-def]
    offered = Task.objects.create(
        campaign=campaign, title="志愿服务常态化", deadline=datetime.date(2026, 12, 31)
    )
    claim = TaskClaim.objects.create(task=offered, department=demo["food"], claimed_by=dept_head)
    client = as_user(office_admin)
    response = client.post(reverse("tasks:claim_approve", args=[claim.pk]))
    assert response.status_code == 403 and OFFICE_READS_ONLY in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    # The office's inbox holds no claims of the unit: they are the 创建办's to decide.
    inbox = client.get(reverse("api:claim_list"))
    assert inbox.status_code == 200 and inbox.json() == []

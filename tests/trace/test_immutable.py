"""Trace rows are never changed or deleted."""

from __future__ import annotations

import pytest

from tests.tasks import make_task
from tests.trace.conftest import last_change
from wenming import trace
from wenming.trace.models import Action, Change, ImmutableError

pytestmark = pytest.mark.django_db


def test_rows_refuse_update_and_delete(campaign) -> None:
    make_task(campaign)
    change = Change.objects.filter(kind="task").first()
    assert change is not None
    change.object_repr = "改过"
    with pytest.raises(ImmutableError):
        change.save()
    with pytest.raises(ImmutableError):
        change.delete()
    with pytest.raises(ImmutableError):
        Change.objects.filter(pk=change.pk).update(object_repr="改过")
    with pytest.raises(ImmutableError):
        Change.objects.all().delete()
    change.refresh_from_db()
    assert change.object_repr == "开展道德讲堂活动"


def test_not_in_the_backoffice() -> None:
    from django.contrib import admin

    assert Change not in admin.site._registry


def test_record_api_and_suspended(campaign, coordinator) -> None:
    with trace.suspended():
        task = make_task(campaign)
    assert not Change.objects.filter(kind="task").exists()
    entry = trace.record(task, "修改", {"进度（%）": [0, 30]}, actor=coordinator)
    assert entry.pk and entry.action == Action.UPDATE and entry.actor_name == "李文静"
    assert entry.unit_path == campaign.unit.path
    summary = trace.record(
        task.__class__, Action.CREATE, summary="导入任务 3 项", parent=campaign, actor=None
    )
    assert summary.kind == "task" and summary.object_id is None
    assert summary.parent_kind == "campaign" and summary.unit_path == campaign.unit.path
    assert summary.object_repr == "导入任务 3 项"


def test_snapshot_costs_one_query_and_create_none(campaign, django_assert_num_queries) -> None:
    from wenming.tasks.models import Task

    make_task(campaign)
    task = Task.objects.select_related("campaign__unit").get()
    task.title = "改名"
    # The snapshot SELECT, the UPDATE, the trace INSERT.
    with django_assert_num_queries(3):
        task.save(update_fields=["title"])
    assert last_change(task).changes == {"工作任务": ["开展道德讲堂活动", "改名"]}

    new = Task(campaign=campaign, title="新任务")
    # The INSERT and the trace INSERT: no snapshot, the unit comes from loaded objects.
    with django_assert_num_queries(2):
        new.save()
    # Saving again what this process just wrote needs no snapshot either.
    new.progress = 20
    with django_assert_num_queries(2):
        new.save()
    assert last_change(new).changes == {"进度（%）": [0, 20]}


def test_unit_resolved_inside_the_insert(campaign, demo, django_assert_num_queries) -> None:
    from wenming.campaigns.models import Phase
    from wenming.orgs.models import Organization, OrgKind

    phase = Phase.objects.get(campaign=campaign, kind="implement")
    phase.description = "全面推进"
    # The campaign is not loaded: its unit is found by a subquery in the trace INSERT.
    with django_assert_num_queries(3):
        phase.save()
    change = last_change(phase)
    assert change.unit_id == campaign.unit_id and change.unit_path == campaign.unit.path
    assert change.changes == {"主要工作": ["", "全面推进"]}

    unit = Organization.objects.get(pk=demo["unit"].pk)
    dept = Organization(kind=OrgKind.DEPARTMENT, parent_id=unit.pk, name="新设科室")
    dept.save()
    created = last_change(dept)
    assert created.unit_path == f"{unit.path}{dept.pk}/" == dept.path

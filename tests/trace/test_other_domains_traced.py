"""Campaigns, scoring, oversight and organizations: traced through their screens and the API."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.oversight.conftest import photo
from tests.tasks import make_task
from tests.trace.conftest import changes_of, last_change
from wenming.orgs.models import ApiToken
from wenming.trace.models import Action, Change

pytestmark = pytest.mark.django_db


def test_campaign_edit_records_the_changed_fields(campaign, coordinator, as_user) -> None:
    data = {
        "title": "2026—2028年创建省级文明单位（修订）",
        "target_level": "province",
        "target_kind": "文明单位",
        "framework": campaign.framework_id,
        "cycle_start": "2026-01-01",
        "cycle_end": "2028-12-31",
        "application_date": "2028-10-15",
        "goals": "力争一次通过。",
    }
    assert (
        as_user(coordinator).post(reverse("campaigns:edit", args=[campaign.pk]), data).status_code
        == 302
    )
    change = last_change(campaign, action=Action.UPDATE)
    assert change.actor == coordinator
    assert change.changes == {
        "名称": ["2026—2028年创建省级文明单位", "2026—2028年创建省级文明单位（修订）"],
        "申报日期": ["2028-10-10", "2028-10-15"],
        "目标任务": ["", "力争一次通过。"],
    }


def test_campaign_creation_records_its_phases(demo, coordinator, as_user) -> None:
    from wenming.campaigns import services
    from wenming.frameworks.models import Framework
    from wenming.trace import acting_as

    with acting_as(coordinator):
        campaign = services.campaign_create(
            unit=demo["unit"],
            user=coordinator,
            title="2026—2028年创建省级文明单位",
            target_level="province",
            target_kind="文明单位",
            framework=Framework.objects.get(owner=demo["office"], lineage="SAMPLE-WMDW"),
            cycle_start=datetime.date(2026, 1, 1),
            cycle_end=datetime.date(2028, 12, 31),
        )
    assert last_change(campaign, action=Action.CREATE).actor == coordinator
    phases = Change.objects.filter(kind="phase", parent_kind="campaign", parent_id=campaign.pk)
    assert phases.count() == 4
    assert {p.object_repr for p in phases} == {"宣传发动", "组织实施", "总结提高", "集中申报"}
    assert all(p.actor == coordinator for p in phases)


def test_score_records_points_and_grade(campaign, coordinator, as_user) -> None:
    from wenming.frameworks.models import Node
    from wenming.scoring import services
    from wenming.scoring.models import RoundKind, Score

    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )
    standard = Node.objects.get(framework=campaign.framework, code="A1-1")
    client = as_user(coordinator)
    client.post(reverse("scoring:score", args=[round_.pk, standard.pk]), {"grade": "达到"})
    score = Score.objects.get(round=round_, standard=standard)
    created = last_change(score, action=Action.CREATE)
    assert created.actor == coordinator
    assert created.parent_kind == "round" and created.parent_id == round_.pk
    assert created.object_repr == "A1-1 得分"
    assert created.changes["等级"] == ["", "达到"]
    client.post(
        reverse("scoring:score", args=[round_.pk, standard.pk]),
        {"grade": "未达到", "comment": "未召开专题会议"},
    )
    updated = last_change(score, action=Action.UPDATE)
    assert updated.changes["等级"] == ["达到", "未达到"]
    assert updated.changes["得分"] == ["2.00", "0.00"]
    assert updated.changes["扣分理由/说明"] == ["", "未召开专题会议"]


def test_problem_flow_and_removal(make_problem, dept_head, inspector, coordinator, as_user) -> None:
    problem = make_problem()
    created = last_change(problem, action=Action.CREATE)
    assert created.changes["责任部门"] == ["", "食品安全监管科"]
    head = as_user(dept_head)
    head.post(reverse("oversight:start", args=[problem.pk]))
    started = last_change(problem, action=Action.UPDATE)
    assert started.actor == dept_head
    assert started.changes["状态"] == ["待整改", "整改中"]
    head.post(
        reverse("oversight:submit", args=[problem.pk]),
        {"note": "已整改", "files": [photo("after.jpg", 4)]},
    )
    as_user(inspector).post(reverse("oversight:verify", args=[problem.pk]))
    verified = last_change(problem, action=Action.UPDATE)
    assert verified.actor == inspector
    assert verified.changes["状态"][1] == "已销号"

    other = problem.__class__.objects.exclude(pk=problem.pk).first()
    assert other is None
    client = as_user(coordinator)
    fresh = make_problem_for(problem, inspector)
    client.post(
        reverse("oversight:reassign", args=[fresh.pk]), {"deadline": "2026-06-30", "reason": "延期"}
    )
    reassigned = last_change(fresh, action=Action.UPDATE)
    assert reassigned.actor == coordinator
    assert reassigned.changes["整改时限"] == ["2026-05-30", "2026-06-30"]
    client.post(reverse("oversight:remove", args=[fresh.pk]), {"reason": "重复"})
    removed = last_change(fresh, action=Action.UPDATE)
    assert removed.changes["删除人"] == ["", "李文静"]


def make_problem_for(problem, inspector):  # type: ignore[no-untyped-def]
    from wenming.oversight import services

    return services.problem_create(
        campaign=problem.campaign,
        user=inspector,
        inspection=problem.inspection,
        description="窗口人员玩手机",
        place="一楼大厅",
        department=problem.department,
        deadline=datetime.date(2026, 5, 30),
        severity="general",
        uploads=[photo("现场2.jpg", 2)],
    )


def test_org_edit_and_deactivate(demo, coordinator, as_user) -> None:
    registry = demo["registry"]
    client = as_user(coordinator)
    response = client.post(
        reverse("orgs:edit", args=[registry.pk]),
        {"name": "登记注册科（行政审批科）", "department_type": "科室", "sort_order": 3},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    change = last_change(registry, action=Action.UPDATE)
    assert change.actor == coordinator
    assert change.changes["名称"] == ["登记注册科", "登记注册科（行政审批科）"]
    assert change.unit_path == registry.path
    client.post(reverse("orgs:deactivate", args=[registry.pk]))
    registry.refresh_from_db()
    if not registry.is_active:
        assert last_change(registry, action=Action.UPDATE).changes["启用"] == ["是", "否"]


def test_api_token_user_is_the_actor(campaign, staff, demo) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    _, raw = ApiToken.issue(staff)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.post(
        f"/api/v1/tasks/{task.pk}/progress",
        json.dumps({"progress": 50, "note": "过半"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    change = last_change(task, action=Action.UPDATE)
    assert change.actor == staff
    assert change.changes["进度（%）"] == [0, 50]


def test_framework_import_is_one_entry(demo, office_admin) -> None:
    from wenming.frameworks import services
    from wenming.frameworks.models import Framework, Node
    from wenming.trace import acting_as

    before = Change.objects.count()
    with acting_as(office_admin):
        result = services.framework_import(
            content=(
                b"framework: {code: T, name: test}\nitems:\n"
                b"  - {code: A, title: t, points: 2}\n  - {code: B, title: u, points: 3}\n"
            ),
            filename="t.yaml",
            owner=demo["office"],
            user=office_admin,
        )
    assert result.ok, result.problems
    framework = result.framework
    assert Node.objects.filter(framework=framework).count() >= 2
    assert Change.objects.count() == before + 1
    assert changes_of(framework)[0].actor == office_admin
    assert Framework.objects.filter(pk=framework.pk).exists()
    # Editing a node of the draft is a change of the framework.
    node = Node.objects.get(framework=framework, code="B")
    with acting_as(office_admin):
        services.node_update(node=node, user=office_admin, data={"title": "改后的标题"})
    edit = changes_of(framework)[-1]
    assert edit.actor == office_admin
    assert edit.changes == {"B 标题": ["u", "改后的标题"]}

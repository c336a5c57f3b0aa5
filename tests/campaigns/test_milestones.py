"""Milestones: dated inside the cycle, owned by a department of the unit, withdrawn not deleted."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.campaigns.conftest import snapshot
from wenming.campaigns import services
from wenming.campaigns.models import Milestone
from wenming.orgs.models import Organization

D = datetime.date


def test_milestone_lands_in_its_phase(campaign, demo, dept_head) -> None:  # type: ignore[no-untyped-def]
    milestone = services.milestone_create(
        campaign=campaign,
        title="九月底前全面部署到位",
        due=D(2026, 9, 30),
        owner_department=demo["food"],
        owner=dept_head,
    )
    assert milestone.phase is not None and milestone.phase.kind == "implement"


def test_milestone_outside_the_cycle_is_refused(campaign, demo) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        services.milestone_create(campaign=campaign, title="提前部署", due=D(2025, 12, 1))
    assert (
        "时间节点的日期（2025年12月1日）不在创建周期（2026年1月1日至2028年12月31日）之内"
        in " ".join(exc.value.messages)
    )
    assert snapshot(campaign) == before


def test_owner_department_from_another_unit_is_refused(campaign, demo) -> None:  # type: ignore[no-untyped-def]
    court_office = Organization.objects.get(parent=demo["court"], name="办公室")
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        services.milestone_create(
            campaign=campaign, title="报送材料", due=D(2026, 10, 10), owner_department=court_office
        )
    assert "“办公室”不是临州市市场监督管理局的部门" in " ".join(exc.value.messages)
    assert snapshot(campaign) == before


def test_inactive_department_is_refused(campaign, demo) -> None:  # type: ignore[no-untyped-def]
    demo["food"].is_active = False
    demo["food"].save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as exc:
        services.milestone_create(
            campaign=campaign, title="x", due=D(2026, 10, 10), owner_department=demo["food"]
        )
    assert "已停用" in " ".join(exc.value.messages)
    assert not Milestone.objects.exists()


def test_owner_from_another_unit_through_the_form(campaign, demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    court_office = Organization.objects.get(parent=demo["court"], name="办公室")
    response = as_user(coordinator).post(
        reverse("campaigns:milestone_create", args=[campaign.pk]),
        {"title": "报送材料", "due": "2026-10-10", "owner_department": court_office.pk},
    )
    assert response.status_code == 422
    assert "请从列表中选择本单位的部门" in response.content.decode()
    assert not Milestone.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC))
def test_edit_marks_done_and_deactivate_keeps_the_record(
    campaign, demo, coordinator, as_user
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    response = client.post(
        reverse("campaigns:milestone_create", args=[campaign.pk]),
        {"title": "九月底前全面部署到位", "due": "2026-09-30", "owner_department": demo["food"].pk},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "已逾期" in detail
    response = client.post(
        reverse("campaigns:milestone_edit", args=[milestone.pk]),
        {"title": "九月底前全面部署到位", "due": "2026-09-30", "done_at": "2026-09-28"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_at == D(2026, 9, 28) and milestone.owner_department is None
    response = client.post(
        reverse("campaigns:milestone_edit", args=[milestone.pk]),
        {"title": "九月底前全面部署到位", "due": "2026-09-30", "done_at": "2026-12-01"},
    )
    assert "完成日期不能晚于今天" in response.content.decode()
    client.post(reverse("campaigns:milestone_deactivate", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert not milestone.is_active
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:milestone_edit", args=[milestone.pk]) not in detail

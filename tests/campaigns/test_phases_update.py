"""Setting the four phases: order, no overlaps, inside the cycle; each refusal names the phase."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.campaigns.conftest import snapshot
from wenming.campaigns import services
from wenming.campaigns.models import Milestone

D = datetime.date

GOOD = [
    ("mobilize", D(2026, 1, 1), D(2026, 2, 28), "召开动员大会"),
    ("implement", D(2026, 3, 1), D(2028, 5, 31), ""),
    ("improve", D(2028, 6, 1), D(2028, 8, 31), ""),
    ("apply", D(2028, 9, 1), D(2028, 12, 31), ""),
]


def _with(kind: str, start: datetime.date, end: datetime.date) -> list:  # type: ignore[type-arg]
    return [(k, start, end, desc) if k == kind else (k, s, e, desc) for k, s, e, desc in GOOD]


def test_phases_are_saved_and_milestones_follow(campaign) -> None:  # type: ignore[no-untyped-def]
    milestone = Milestone.objects.create(
        campaign=campaign, title="三月底前完成动员", due=D(2026, 3, 15)
    )
    services.phases_update(campaign=campaign, phases=GOOD)
    phases = {p.kind: p for p in campaign.phases.all()}
    assert phases["mobilize"].end == D(2026, 2, 28)
    assert phases["mobilize"].description == "召开动员大会"
    milestone.refresh_from_db()
    assert milestone.phase == phases["implement"]


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        (
            _with("implement", D(2026, 6, 1), D(2026, 5, 1)),
            "“组织实施”阶段的结束日期（2026年5月1日）早于开始日期（2026年6月1日）",
        ),
        (
            _with("improve", D(2028, 5, 1), D(2028, 8, 31)),
            "“总结提高”阶段（从2028年5月1日开始）与“组织实施”阶段（到2028年5月31日结束）时间重叠",
        ),
        (
            _with("apply", D(2028, 9, 1), D(2029, 1, 31)),
            "“集中申报”阶段（2028年9月1日至2029年1月31日）超出了创建周期（2026年1月1日至2028年12月31日）",
        ),
        (
            _with("mobilize", D(2025, 12, 1), D(2026, 2, 28)),
            "“宣传发动”阶段（2025年12月1日至2026年2月28日）超出了创建周期",
        ),
        (
            _with("improve", D(2026, 1, 10), D(2026, 1, 20)),
            "“总结提高”阶段应在“组织实施”阶段之后开始",
        ),
        (GOOD[:3], "四个阶段各填写一次起止日期"),
    ],
)
def test_bad_phases_are_refused_and_nothing_changes(campaign, phases, message) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        services.phases_update(campaign=campaign, phases=phases)
    assert message in " ".join(exc.value.messages)
    assert snapshot(campaign) == before


def _post_data(phases: list) -> dict[str, str]:  # type: ignore[type-arg]
    data = {}
    for kind, start, end, desc in phases:
        data[f"{kind}_start"] = start.isoformat()
        data[f"{kind}_end"] = end.isoformat()
        data[f"{kind}_description"] = desc
    return data


def test_overlap_is_shown_on_the_form(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(campaign)
    url = reverse("campaigns:phases", args=[campaign.pk])
    response = as_user(coordinator).post(
        url, _post_data(_with("improve", D(2028, 5, 1), D(2028, 8, 31)))
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "与“组织实施”阶段（到2028年5月31日结束）时间重叠" in body
    assert snapshot(campaign) == before


def test_good_phases_through_the_form(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:phases", args=[campaign.pk])
    client = as_user(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, _post_data(GOOD))
    assert response.status_code == 302
    assert campaign.phases.get(kind="apply").start == D(2028, 9, 1)


def test_unreadable_date_is_a_chinese_message(campaign, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    data = _post_data(GOOD)
    data["apply_end"] = "明年"
    response = as_user(coordinator).post(reverse("campaigns:phases", args=[campaign.pk]), data)
    assert response.status_code == 422
    assert "格式不对，请按 2026-09-30 这样的格式填写" in response.content.decode()


def test_people_who_do_not_plan_cannot_change_phases(campaign, dept_head, leader, as_user) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(campaign)
    url = reverse("campaigns:phases", args=[campaign.pk])
    for user in (dept_head, leader):
        assert as_user(user).post(url, _post_data(GOOD)).status_code == 403
    assert snapshot(campaign) == before

"""Creating a campaign: default phases, the active one replaced (never deleted), bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenming.campaigns import services
from wenming.campaigns.models import PHASE_ORDER, Campaign, CampaignStatus
from wenming.frameworks import services as framework_services
from wenming.frameworks.models import Framework

D = datetime.date


def _sample(demo) -> Framework:  # type: ignore[no-untyped-def]
    return Framework.objects.get(owner=demo["office"], lineage="SAMPLE-WMDW", version=1)


def _create(demo, user, **overrides):  # type: ignore[no-untyped-def]
    kwargs = {
        "unit": demo["unit"],
        "user": user,
        "title": "2027—2029年创建省级文明单位",
        "target_level": "province",
        "target_kind": "文明单位",
        "framework": _sample(demo),
        "cycle_start": D(2027, 1, 1),
        "cycle_end": D(2029, 12, 31),
    }
    kwargs.update(overrides)
    return services.campaign_create(**kwargs)


def test_default_phases_span_the_cycle_without_gaps(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    campaign = _create(demo, coordinator)
    phases = list(campaign.phases.order_by("position"))
    assert [p.kind for p in phases] == PHASE_ORDER
    assert [p.name for p in phases] == ["宣传发动", "组织实施", "总结提高", "集中申报"]
    assert phases[0].start == campaign.cycle_start
    assert phases[-1].end == campaign.cycle_end
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)
    # Month boundaries at about 10 %, 75 % and 90 % of a three-year cycle.
    assert [p.start for p in phases] == [D(2027, 1, 1), D(2027, 5, 1), D(2029, 4, 1), D(2029, 9, 1)]
    assert campaign.status == CampaignStatus.PLANNING


@pytest.mark.parametrize("days", [4, 5, 17, 90, 365])
def test_default_phases_fit_short_cycles(days: int) -> None:
    start = D(2026, 3, 1)
    spans = services.default_phase_spans(start, start + datetime.timedelta(days=days - 1))
    assert spans[0][1] == start
    assert spans[-1][2] == start + datetime.timedelta(days=days - 1)
    for (_, s1, e1), (_, s2, _e2) in zip(spans, spans[1:], strict=False):
        assert s1 <= e1 and s2 == e1 + datetime.timedelta(days=1)


def test_new_campaign_replaces_the_active_one_which_stays(campaign, demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    new = _create(demo, coordinator)
    campaign.refresh_from_db()
    assert new.is_active and not campaign.is_active
    assert Campaign.objects.filter(unit=demo["unit"]).count() == 2
    services.campaign_set_active(campaign=campaign)
    new.refresh_from_db()
    campaign.refresh_from_db()
    assert campaign.is_active and not new.is_active


def test_coordinator_creates_through_the_screen(demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = reverse("campaigns:create") + f"?unit={demo['unit'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "新建创建工作" in page.content.decode()
    response = client.post(
        url,
        {
            "title": "2026—2028年创建省级文明单位",
            "target_level": "province",
            "target_kind": "文明单位",
            "framework": _sample(demo).pk,
            "cycle_start": "2026-01-01",
            "cycle_end": "2028-12-31",
        },
    )
    campaign = Campaign.objects.get(unit=demo["unit"])
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.phases.count() == 4 and campaign.created_by == coordinator


def test_cycle_end_before_start_is_refused(campaign, demo, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.campaigns.conftest import snapshot

    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        _create(demo, coordinator, cycle_start=D(2028, 1, 1), cycle_end=D(2027, 12, 31))
    assert "创建周期的结束日期（2027年12月31日）早于开始日期（2028年1月1日）" in str(exc.value)
    response = as_user(coordinator).post(
        reverse("campaigns:create") + f"?unit={demo['unit'].pk}",
        {
            "title": "x",
            "target_level": "city",
            "target_kind": "文明单位",
            "framework": _sample(demo).pk,
            "cycle_start": "2028-01-01",
            "cycle_end": "2027-12-31",
        },
    )
    assert response.status_code == 422
    assert "早于开始日期" in response.content.decode()
    assert snapshot(campaign) == before


def test_unpublished_framework_is_refused(campaign, demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    from tests.campaigns.conftest import snapshot

    draft = framework_services.framework_new_version(framework=_sample(demo), user=None)
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        # The office admin sees the office's draft, and still may not plan with it.
        _create(demo, office_admin, framework=draft)
    assert "尚未发布，不能用于创建工作" in str(exc.value)
    assert snapshot(campaign) == before


def test_invisible_framework_is_refused(campaign, demo, coordinator, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    from tests.campaigns.conftest import snapshot
    from tests.matrix.base import SMALL

    theirs = framework_services.framework_import(
        content=SMALL, filename="y.yaml", owner=demo["other_office"], user=outsider_admin
    ).framework
    assert theirs is not None
    framework_services.framework_publish(framework=theirs, user=outsider_admin)
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as exc:
        _create(demo, coordinator, framework=theirs)
    assert "没有找到所选测评体系，或您无权使用它" in str(exc.value)
    assert snapshot(campaign) == before


def test_unit_the_user_does_not_manage(demo, leader, outsider_admin, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    data = {
        "title": "x",
        "target_level": "city",
        "target_kind": "文明单位",
        "framework": _sample(demo).pk,
        "cycle_start": "2026-01-01",
        "cycle_end": "2026-12-31",
    }
    url = reverse("campaigns:create") + f"?unit={demo['unit'].pk}"
    assert as_user(leader).post(url, data).status_code == 403
    assert as_user(outsider_admin).post(url, data).status_code == 404
    # The court is a unit beside the coordinator's own: not theirs to plan.
    court_url = reverse("campaigns:create") + f"?unit={demo['court'].pk}"
    assert as_user(coordinator).post(court_url, data).status_code == 404
    assert not Campaign.objects.exists()


def test_office_admin_does_not_start_a_units_campaign(demo, office_admin, as_user) -> None:  # type: ignore[no-untyped-def]
    """A unit's campaign is its own work: the office above reads it but does not start it."""
    client = as_user(office_admin)
    for url in (
        reverse("campaigns:create"),
        reverse("campaigns:create") + f"?unit={demo['unit'].pk}",
    ):
        page = client.get(url)
        assert page.status_code == 403
        assert "文明办可以查看单位的创建工作，但不能修改" in page.content.decode()
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert "新建创建工作</a>" not in listing
    api = client.post(
        reverse("api:campaign_create"),
        {
            "unit_id": demo["unit"].pk,
            "title": "2027—2029年创建省级文明单位",
            "target_level": "province",
            "framework_id": _sample(demo).pk,
            "cycle_start": "2027-01-01",
            "cycle_end": "2029-12-31",
        },
        content_type="application/json",
    )
    assert api.status_code == 403
    assert "请由该单位创建办办理" in api.json()["detail"]
    assert not Campaign.objects.exists()

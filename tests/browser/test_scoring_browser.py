"""Scoring as the 创建办 meets it: open a mock round, score a standard, see the total move."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import make_campaign
from wenming.orgs.demo import load_demo
from wenming.orgs.models import Organization
from wenming.scoring import services
from wenming.scoring.models import RoundKind, Score

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_scores_a_standard_and_the_total_changes(page, shot, settings):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(with_campaign=False)
    coordinator = User.objects.get(username="cjb")
    campaign = make_campaign(
        unit=Organization.objects.get(code="LZ-SCJG"),
        office=Organization.objects.get(code="LZ-WMB"),
        created_by=coordinator,
    )
    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )
    login(page, "cjb")
    page.click("nav >> text=测评打分")
    page.wait_for_selector("text=第一次模拟测评")
    page.click("text=第一次模拟测评")
    assert page.inner_text("#round-total") == "0"

    # A grade standard: one click on the grade, save; only the row and the totals change.
    row = page.locator("#std-" + str(campaign.framework.nodes.get(code="A1-1").pk))
    row.locator("label:has-text('达到（2分）')").click()
    row.locator("button:has-text('保存')").click()
    page.wait_for_selector("#round-total:text-is('2')")
    assert "已保存" in row.inner_text()

    # Points lost without a reason: the sentence appears in the row and nothing is saved.
    a13 = page.locator("#std-" + str(campaign.framework.nodes.get(code="A1-3").pk))
    a13.locator("input[name=points]").fill("0.5")
    a13.locator("button:has-text('保存')").click()
    page.wait_for_selector("text=A1-3有失分，请写明扣分理由。")
    assert a13.locator("input[name=points]").input_value() == "0.5"
    assert page.inner_text("#round-total") == "2"
    shot(page, "scoring-01-sheet")
    assert Score.objects.filter(round=round_).count() == 1

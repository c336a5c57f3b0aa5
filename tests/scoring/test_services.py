"""Scoring a round through its services: refusals say what to fix and change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from wenming.frameworks.models import Node
from wenming.scoring import services
from wenming.scoring.models import RoundKind, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def mock_round(campaign, coordinator):  # type: ignore[no-untyped-def]
    return services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="2026年第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )


def leaf(campaign, code):  # type: ignore[no-untyped-def]
    return Node.objects.get(framework=campaign.framework, code=code)


def test_scores_outside_the_standard_are_refused(mock_round, campaign, coordinator):
    a13 = leaf(campaign, "A1-3")  # 1 point, deduct
    with pytest.raises(ValidationError, match="不能超过1分"):
        services.score_set(round_=mock_round, standard=a13, user=coordinator, points="1.5")
    with pytest.raises(ValidationError, match="不能小于0"):
        services.score_set(round_=mock_round, standard=a13, user=coordinator, points="-1")
    with pytest.raises(ValidationError, match="不是数字"):
        services.score_set(round_=mock_round, standard=a13, user=coordinator, points="满分")
    with pytest.raises(ValidationError, match="请写明扣分理由"):
        services.score_set(round_=mock_round, standard=a13, user=coordinator, points="0.5")
    assert not Score.objects.exists()


def test_grade_standards_take_only_their_grades(mock_round, campaign, coordinator):
    a11 = leaf(campaign, "A1-1")  # 达到 2 / 未达到 0
    with pytest.raises(ValidationError, match="按等级评分，只能选：达到（2分）、未达到（0分）"):
        services.score_set(round_=mock_round, standard=a11, user=coordinator, points="1")
    score = services.score_set(round_=mock_round, standard=a11, user=coordinator, grade="达到")
    assert score.points == D(2) and score.grade == "达到"


def test_standard_of_another_system_is_refused(mock_round, campaign, coordinator):
    group = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    with pytest.raises(ValidationError, match="不属于本轮测评所用的测评体系"):
        services.score_set(round_=mock_round, standard=group, user=coordinator, points="1")


def test_finished_round_is_read_only(mock_round, campaign, coordinator):
    a11 = leaf(campaign, "A1-1")
    services.score_set(round_=mock_round, standard=a11, user=coordinator, points="2")
    services.round_finish(round_=mock_round, user=coordinator)
    with pytest.raises(ValidationError, match="已完成打分，不能再修改"):
        services.score_set(
            round_=mock_round, standard=a11, user=coordinator, points="0", comment="无会议记录"
        )
    assert Score.objects.get().points == D(2)


def test_totals_apply_veto_and_deductions(mock_round, campaign, coordinator):
    services.score_set(
        round_=mock_round, standard=leaf(campaign, "A1-1"), user=coordinator, points="2"
    )
    services.score_set(
        round_=mock_round,
        standard=leaf(campaign, "Y1"),
        user=coordinator,
        incidents=1,
        concealed=True,
    )
    totals = services.round_totals(mock_round)
    assert totals.basic == D(2)
    assert totals.deduction == D(4)
    assert totals.total == D(0)
    with pytest.raises(ValidationError, match="须写明事实和依据"):
        services.score_set(
            round_=mock_round, standard=leaf(campaign, "V1"), user=coordinator, vetoed=True
        )
    services.score_set(
        round_=mock_round,
        standard=leaf(campaign, "V1"),
        user=coordinator,
        vetoed=True,
        comment="副局长因严重违纪被立案审查",
    )
    assert services.round_totals(mock_round).verdict == "一票否决，不予通过"


def test_suggestions_follow_the_ledger_and_are_not_saved(mock_round):
    suggestions = services.suggest(mock_round)
    assert suggestions and all(s.points == 0 and s.reason == "尚无台账" for s in suggestions)
    assert not Score.objects.exists()


def test_many_rounds_total_in_a_fixed_number_of_queries(
    mock_round, campaign, coordinator, django_assert_max_num_queries
):
    other = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="2026年自评",
        scored_on=datetime.date(2026, 6, 1),
    )
    services.score_set(
        round_=mock_round, standard=leaf(campaign, "A1-1"), user=coordinator, points="2"
    )
    services.score_set(round_=other, standard=leaf(campaign, "Y1"), user=coordinator, incidents=2)
    with django_assert_max_num_queries(3):
        totals = services.totals_for_rounds([mock_round, other])
    assert totals[mock_round.pk].total == D(2)
    assert totals[other.pk].deduction == D(4)
    assert totals[mock_round.pk].total == services.round_totals(mock_round).total

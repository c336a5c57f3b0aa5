"""Who may see, create and score scoring rounds (测评打分).

A formal round (正式测评) is the office's own: only the office admin above creates and scores
it (`manages_from_office_above`). Self and mock rounds (自评、模拟测评) are the unit's own
work: only its 创建办 runs them (`can_manage_work`); the office reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from wenming.campaigns.models import Campaign
from wenming.orgs.access import (
    can_manage_work,
    manages_from_office_above,
    path_q,
    scope_for,
    work_refusal,
)
from wenming.scoring.models import RoundKind, ScoringRound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def visible_rounds(user: User | AnonymousUser) -> QuerySet[ScoringRound]:
    """The campaigns' rounds the user sees. An office's round on a frozen submission has no
    campaign and is not here: the app that opened it decides who sees it."""
    scope = scope_for(user)
    qs = (
        ScoringRound.objects.live()
        .filter(campaign__isnull=False)
        .select_related("campaign__unit", "campaign__framework", "framework")
    )
    if scope.is_superuser:
        return qs
    return qs.filter(path_q(scope.view_paths, "campaign__unit__path"))


def can_create_round(user: User | AnonymousUser, campaign: Campaign, kind: str) -> bool:
    if kind == RoundKind.FORMAL:
        return manages_from_office_above(user, campaign.unit)
    return can_manage_work(user, campaign.unit)


def can_score_round(user: User | AnonymousUser, round_: ScoringRound) -> bool:
    """Score, finish and reopen the round (whether it is open is checked by the services)."""
    return can_create_round(user, round_.unit_campaign, round_.kind)


def get_round_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> ScoringRound:
    round_ = visible_rounds(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404("没有找到该测评轮次，或您无权查看。")
    if write and not can_score_round(user, round_):
        if round_.kind == RoundKind.FORMAL:
            raise PermissionDenied("正式测评由上级文明办打分，本单位只能查看结果。")
        raise work_refusal(
            user, round_.unit_campaign.unit, "只有本单位创建办可以为自评和模拟测评打分。"
        )
    return round_


def create_refusal(user: User | AnonymousUser, campaign: Campaign, kind: str) -> PermissionDenied:
    """Why the user may not create a round of `kind` on `campaign`."""
    if kind == RoundKind.FORMAL:
        return PermissionDenied("正式测评由上级文明办新建和打分，本单位只能进行自评和模拟测评。")
    return work_refusal(user, campaign.unit, "只有本单位创建办可以新建自评和模拟测评。")

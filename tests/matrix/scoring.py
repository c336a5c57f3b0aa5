"""Scoring routes (R6) in the permission matrix.

Rounds are read by whoever sees the campaign (the unit and the office above); self and mock
rounds are the unit's own work: scored, finished and reopened by its 创建办 only (the office
admin reads them, 403 on changes); another city is told nothing. Formal rounds (created and
scored only from the office) are in tests/scoring/test_screens.py.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, no_args, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Node
    from wenming.scoring import services
    from wenming.scoring.models import RoundKind

    # Another app's targets may already have given the unit its one active campaign.
    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    user = User.objects.get(username="cjb")
    standard = Node.objects.get(framework=campaign.framework, code="A1-1")
    open_round = services.round_create(
        campaign=campaign,
        user=user,
        kind=RoundKind.MOCK,
        title="第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )
    services.score_set(round_=open_round, standard=standard, user=user, grade="达到")
    finished = services.round_create(
        campaign=campaign,
        user=user,
        kind=RoundKind.SELF,
        title="年度自评",
        scored_on=datetime.date(2026, 6, 1),
    )
    services.score_set(round_=finished, standard=standard, user=user, grade="达到")
    services.round_finish(round_=finished, user=user)
    return {
        "scoring_campaign": campaign,
        "scoring_round": open_round,
        "scoring_finished": finished,
        "scoring_standard": standard,
    }


def _campaign(t: dict[str, Any]) -> list[Any]:
    return [t["scoring_campaign"].pk]


def _round(t: dict[str, Any]) -> list[Any]:
    return [t["scoring_round"].pk]


def _finished(t: dict[str, Any]) -> list[Any]:
    return [t["scoring_finished"].pk]


ROUTES: dict[str, Route] = {
    # Screens. The nav link goes straight to the one active campaign the user sees.
    "scoring:index": Route("GET", no_args, expect(302, outsider_admin=200)),
    "scoring:rounds": Route("GET", _campaign, unit_read()),
    "scoring:compare": Route("GET", _campaign, unit_read()),
    "scoring:sheet": Route("GET", _round, unit_read()),
    "scoring:gaps": Route("GET", _round, unit_read()),
    "scoring:score": Route(
        "POST",
        lambda t: [t["scoring_round"].pk, t["scoring_standard"].pk],
        unit_work(302),
        data=lambda t: {"grade": "达到"},
    ),
    "scoring:finish": Route("POST", _round, unit_work(302)),
    "scoring:reopen": Route("POST", _finished, unit_work(302)),
    "scoring:suggest": Route("GET", _round, unit_work(200)),
    # API
    "api:scoring_round_list": Route("GET", _campaign, unit_read(anonymous=401)),
    "api:scoring_round_create": Route(
        "POST",
        _campaign,
        unit_work(201, anonymous=401),
        data=lambda t: {"kind": "mock", "title": "第二次模拟测评", "scored_on": "2026-10-01"},
    ),
    "api:scoring_round_detail": Route("GET", _round, unit_read(anonymous=401)),
    "api:scoring_score_list": Route("GET", _round, unit_read(anonymous=401)),
    "api:scoring_score_set": Route(
        "POST",
        _round,
        unit_work(200, anonymous=401),
        data=lambda t: {"code": "A1-1", "grade": "达到"},
    ),
    "api:scoring_round_finish": Route("POST", _round, unit_work(200, anonymous=401)),
    "api:scoring_round_reopen": Route("POST", _finished, unit_work(200, anonymous=401)),
    "api:scoring_gaps": Route("GET", _round, unit_read(anonymous=401)),
    "api:scoring_compare": Route(
        "GET",
        no_args,
        unit_read(anonymous=401),
        query="?a={scoring_finished}&b={scoring_round}",
    ),
}

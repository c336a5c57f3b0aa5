"""The scoring models the trace captures, registered from `ScoringConfig.ready()`."""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _score(score: Any) -> str:
    standard = cached_relation(score, "standard")
    return f"{standard.code if standard else '标准'} 得分"


def register_with_trace() -> None:
    from wenming.scoring import access
    from wenming.scoring.models import Score, ScoringRound
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(ScoringRound, kind="round", unit="campaign.unit", ignore={"framework"})
    register(
        Score,
        kind="score",
        unit="round.campaign.unit",
        parent=("round", "round"),
        m2m={"evidence"},
        describe=_score,
        ignore={"scored_by"},
    )
    register_history("round", access.get_round_for_user)

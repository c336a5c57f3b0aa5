"""The supervision models the trace captures, registered from `SupervisionConfig.ready()`.

Owners (the organization whose people read the change in the log):

- what the office does on its own (a city bulletin, a quarterly priority, a month's round of
  信息报送) belongs to the office;
- what concerns one unit (an inspection of it, a problem dispatched to it, its monthly
  submission) belongs to that unit: the unit's people read it, and so does the office above.

A problem's changes also show in its inspection's history panel, a submission's in its
round's. A problem's own steps (`CityProblemEvent`) are its timeline, not traced again.
"""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _inspection(inspection: Any) -> str:
    unit = cached_relation(inspection, "unit")
    return f"{unit.name if unit is not None else '单位'} {inspection}"


def _problem(problem: Any) -> str:
    return f"交办问题 {problem.number}"


def _submission(submission: Any) -> str:
    unit = cached_relation(submission, "unit")
    return f"{unit.name if unit is not None else '单位'} {submission.title}"


def register_with_trace() -> None:
    from wenming.supervision import access
    from wenming.supervision.models import (
        CityBulletin,
        CityInspection,
        CityProblem,
        InfoRound,
        InfoSubmission,
        Priority,
    )
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(
        CityInspection, kind="city_inspection", unit="unit", ignore={"office"}, describe=_inspection
    )
    register(
        CityProblem,
        kind="city_problem",
        unit="unit",
        parent=("city_inspection", "inspection"),
        ignore={"inspection", "office", "unit", "year", "sequence"},
        describe=_problem,
    )
    register(CityBulletin, kind="city_bulletin", unit="office", ignore={"office"})
    register(Priority, kind="city_priority", unit="office", ignore={"office"})
    register(InfoRound, kind="info_round", unit="office", ignore={"office"})
    register(
        InfoSubmission,
        kind="info_submission",
        unit="unit",
        parent=("info_round", "round"),
        ignore={"round", "unit"},
        describe=_submission,
    )
    register_history("city_inspection", access.get_inspection_for_user)
    register_history("city_problem", access.get_problem_for_user)
    register_history("city_bulletin", access.get_bulletin_for_user)
    register_history("city_priority", access.get_priority_for_user)
    register_history("info_round", access.get_info_round_for_user)
    register_history("info_submission", access.get_submission_for_user)

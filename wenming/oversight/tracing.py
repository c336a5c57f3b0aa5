"""The oversight models the trace captures, registered from `OversightConfig.ready()`."""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _rule(rule: Any) -> str:
    return f"{rule.year}年部门考核规则"


def _accountability(record: Any) -> str:
    department = cached_relation(record, "department")
    return f"{department or '部门'} {record.decided_on} 追责"


def _commendation(record: Any) -> str:
    person = cached_relation(record, "person")
    who = (person.get_full_name() or person.username) if person else None
    who = who or cached_relation(record, "department") or "表彰"
    return f"{who} {record.decided_on} {record.title}"


def register_with_trace() -> None:
    from wenming.oversight import access
    from wenming.oversight.models import (
        Accountability,
        AssessmentRule,
        Bulletin,
        Commendation,
        Inspection,
        Problem,
    )
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(Inspection, kind="inspection", unit="unit")
    register(Problem, kind="problem", unit="unit")
    register(Bulletin, kind="bulletin", unit="unit", ignore={"facts"})
    register(AssessmentRule, kind="assessment_rule", unit="unit", describe=_rule)
    register(Accountability, kind="accountability", unit="unit", describe=_accountability)
    register(Commendation, kind="commendation", unit="unit", describe=_commendation)
    register_history("problem", access.get_problem_for_user)
    register_history("inspection", access.get_inspection_for_user)
    register_history("bulletin", access.get_bulletin_for_user)

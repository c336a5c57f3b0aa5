"""The models the trace captures (R16). Called once from `TraceConfig.ready()`."""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import register


def _cached(obj: Any, name: str) -> Any:
    f = obj._meta.get_field(name)
    return f.get_cached_value(obj) if f.is_cached(obj) else None


def _score(score: Any) -> str:
    standard = _cached(score, "standard")
    return f"{standard.code if standard else '标准'} 得分"


def _exclusion(exclusion: Any) -> str:
    standard = _cached(exclusion, "standard")
    return f"{standard.code if standard else '标准'} 不适用"


def _occurrence(occ: Any) -> str:
    return f"第{occ.sequence}次（{occ.due}）"


def _claim(claim: Any) -> str:
    department = _cached(claim, "department")
    return f"{department or '部门'} 认领"


def _report(report: Any) -> str:
    department = _cached(report, "department")
    return f"{department or '部门'} {report.week_start} 周报"


def _archive(archive: Any) -> str:
    return f"{archive.year}年台账"


def _rule(rule: Any) -> str:
    return f"{rule.year}年部门考核规则"


def _accountability(record: Any) -> str:
    department = _cached(record, "department")
    return f"{department or '部门'} {record.decided_on} 追责"


def _membership(m: Any) -> str:
    from wenming.trace.capture import person_name

    user = _cached(m, "user")
    return f"{person_name(user) or '人员'} · {m.get_role_display()}"


def _leading(m: Any) -> str:
    from wenming.trace.capture import person_name

    user = _cached(m, "user")
    return f"领导小组{m.get_position_display()} {person_name(user)}".strip()


def register_all() -> None:
    from wenming.campaigns.models import Campaign, Milestone, Phase
    from wenming.frameworks.models import Framework
    from wenming.ledger.models import EvidenceFile, EvidenceItem, YearArchive
    from wenming.orgs.models import LeadingGroupMember, Membership, Organization, WorkingGroup
    from wenming.oversight.models import (
        Accountability,
        AssessmentRule,
        Bulletin,
        Inspection,
        Problem,
    )
    from wenming.scoring.models import Score, ScoringRound
    from wenming.tasks.models import (
        Occurrence,
        StandardExclusion,
        Task,
        TaskClaim,
        WeeklyReport,
    )

    # Organizations and people.
    register(Organization, kind="org", unit="")
    register(
        Membership,
        kind="membership",
        unit="organization",
        parent=("org", "organization"),
        ignore={"ended_at"},
        describe=_membership,
    )
    register(
        LeadingGroupMember, kind="leading", unit="unit", parent=("org", "unit"), describe=_leading
    )
    register(
        WorkingGroup, kind="working_group", unit="unit", parent=("org", "unit"), m2m={"members"}
    )
    # Evaluation systems: the system only; an import is one entry, not one per node.
    register(Framework, kind="framework", unit="owner", ignore={"lineage", "source_name"})
    # Campaigns.
    register(Campaign, kind="campaign", unit="unit")
    register(Phase, kind="phase", unit="campaign.unit", parent=("campaign", "campaign"))
    register(Milestone, kind="milestone", unit="campaign.unit", parent=("campaign", "campaign"))
    register(
        StandardExclusion,
        kind="exclusion",
        unit="campaign.unit",
        parent=("campaign", "campaign"),
        describe=_exclusion,
    )
    # Tasks.
    register(
        Task,
        kind="task",
        unit="campaign.unit",
        m2m={"standards", "co_departments"},
        ignore={"recurrence_dates"},
    )
    register(
        TaskClaim, kind="claim", unit="task.campaign.unit", parent=("task", "task"), describe=_claim
    )
    register(
        Occurrence,
        kind="occurrence",
        unit="task.campaign.unit",
        parent=("task", "task"),
        describe=_occurrence,
    )
    register(WeeklyReport, kind="weekly_report", unit="department", describe=_report)
    # The ledger.
    register(EvidenceItem, kind="evidence", unit="unit", m2m={"standards"})
    register(
        EvidenceFile,
        kind="evidence_file",
        unit="unit",
        parent=("evidence", "item"),
        ignore={"unit", "year", "uploaded_by", "kind", "size", "taken_at"},
    )
    register(YearArchive, kind="archive", unit="unit", describe=_archive, label="台账年度归档")
    # Scoring.
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
    # Oversight.
    register(Inspection, kind="inspection", unit="unit")
    register(Problem, kind="problem", unit="unit")
    register(Bulletin, kind="bulletin", unit="unit", ignore={"facts"})
    register(AssessmentRule, kind="assessment_rule", unit="unit", describe=_rule)
    register(Accountability, kind="accountability", unit="unit", describe=_accountability)

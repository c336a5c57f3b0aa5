"""API routes for the dashboards (领导驾驶舱, R14), read-only: a campaign's cockpit, one
department's view, the office's view across its units.

The numbers are the screens' own: `wenming.dashboards.services.cockpit` and
`wenming.dashboards.office.office_units`, serialized here, with the same access
(`wenming.dashboards.access`: 404 for what the user cannot see, 403 for another department's view)
and the same bounded number of queries. Points are decimal strings with two places ("2.50"),
percentages and rates with one ("46.7").
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from wenming.campaigns import access as campaign_access
from wenming.dashboards import access, services
from wenming.dashboards.office import UnitRow, office_units, unit_summary
from wenming.orgs.models import Organization
from wenming.scoring.models import RoundKind, ScoringRound

router = Router(tags=["驾驶舱"])

CENT = Decimal("0.01")


def _pts(value: Decimal | None) -> str | None:
    """Points as a decimal string with two places, as the scoring API gives them."""
    return None if value is None else str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _pct(value: Decimal) -> str:
    """A percentage or rate with one decimal place ("100.0", "46.7")."""
    return str(Decimal(value).quantize(services.TENTH, rounding=ROUND_HALF_UP))


class Ref(Schema):
    id: int
    name: str


class CampaignRef(Schema):
    id: int
    title: str


class RoundRef(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    scored_on: datetime.date


class HeadlineOut(Schema):
    tasks: int
    done: int
    done_percent: str
    mean_progress: str
    overdue_tasks: int
    open_problems: int
    overdue_problems: int
    evidence: int
    evidence_approved: int


class PhaseOut(Schema):
    label: str
    total: int
    done: int
    done_percent: str
    overdue: int
    mean_progress: str


class ProjectionOut(Schema):
    round: RoundRef
    total: str
    threshold: str | None
    passes: bool
    gap: str | None
    verdict: str
    vetoed: list[str]


class UnbackedStandardOut(Schema):
    standard_id: int
    code: str
    title: str
    points: str
    ledger_state: str
    ledger_state_label: str


class DifferenceOut(Schema):
    """自评得分与有佐证得分之差：打了分但台账不完整（按0计）的标准。"""

    count: int
    points: str
    total: str = Field(description="自评总分减去有佐证总分（计入加分、扣分上限后）")
    sentence: str
    standards: list[UnbackedStandardOut]


class LostItemOut(Schema):
    code: str
    title: str
    possible: str
    scored: str
    lost: str


class RankMeasureOut(Schema):
    key: str
    label: str
    rate: str | None
    points: str
    weight: str


class RankOut(Schema):
    department: Ref
    rank: int | None
    ranked: bool
    year: int
    total: str
    possible: str
    measures: list[RankMeasureOut]
    eligible: bool
    tasks: int
    done: int
    overdue_tasks: int
    evidence: int
    evidence_approved: int
    problems: int
    open_problems: int
    overdue_problems: int


class WeekOut(Schema):
    start: datetime.date
    label: str
    tasks_done: int
    cumulative_done: int
    cumulative_percent: str
    problems_opened: int
    problems_closed: int


class HeatNodeOut(Schema):
    id: int
    code: str
    title: str


class HeatRowOut(Schema):
    node: HeatNodeOut
    counts: list[int]
    total: int


class HeatmapOut(Schema):
    level: str
    item: HeatNodeOut | None
    columns: list[Ref]
    rows: list[HeatRowOut]
    max: int
    empty_cells: int


class CockpitOut(Schema):
    campaign: CampaignRef
    department: Ref | None
    today: datetime.date
    headline: HeadlineOut
    phases: list[PhaseOut]
    projection: ProjectionOut | None = Field(
        description="有佐证得分：台账未完备的标准按0分计；是否达标以此为准"
    )
    claimed: ProjectionOut | None = Field(description="自评得分（按所打的分）")
    difference: DifferenceOut | None
    lost_items: list[LostItemOut]
    ranking: list[RankOut]
    weeks: list[WeekOut]
    heatmap: HeatmapOut


class OfficeSummaryOut(Schema):
    units: int
    campaigns: int
    scored: int
    passing: int
    overdue_tasks: int
    overdue_problems: int


class UnitOut(Schema):
    unit: Ref
    campaign: CampaignRef | None
    rank: int | None
    tasks: int
    done: int
    done_percent: str
    mean_progress: str
    overdue_tasks: int
    open_problems: int
    overdue_problems: int
    round: RoundRef | None
    total: str | None = Field(description="有佐证得分")
    threshold: str | None
    passes: bool | None = Field(description="按有佐证得分是否达标")
    verdict: str | None
    claimed_total: str | None = Field(description="自评得分")
    claimed_passes: bool | None
    unbacked_count: int | None = Field(description="打了分但台账不完整的标准数")
    unbacked_points: str | None


class OfficeOut(Schema):
    office: Ref
    today: datetime.date
    summary: OfficeSummaryOut
    units: list[UnitOut]


def _ref(org: Organization) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def _round(round_: ScoringRound) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "title": round_.title,
        "kind": round_.kind,
        "kind_label": RoundKind(round_.kind).label,
        "scored_on": round_.scored_on,
    }


def _node(node: Any) -> dict[str, Any]:
    return {"id": node.pk, "code": node.code, "title": node.title}


def _projection(p: services.Projection, claimed: bool = False) -> dict[str, Any] | None:
    """The backed figure, or with `claimed` the self-assessed one, in the same shape."""
    totals = p.claimed if claimed else p.totals
    if p.round is None or totals is None:
        return None
    gap = totals.total - totals.threshold if totals.threshold is not None else None
    return {
        "round": _round(p.round),
        "total": _pts(totals.total),
        "threshold": _pts(totals.threshold),
        "passes": totals.passed,
        "gap": _pts(gap),
        "verdict": totals.verdict,
        "vetoed": [v.code for v in totals.vetoed],
    }


def _difference(p: services.Projection) -> dict[str, Any] | None:
    b = p.backing
    if b is None:
        return None
    return {
        "count": b.count,
        "points": _pts(b.points),
        "total": _pts(b.difference),
        "sentence": b.sentence,
        "standards": [
            {
                "standard_id": u.node.id,
                "code": u.node.code,
                "title": u.node.title,
                "points": _pts(u.points),
                "ledger_state": u.state,
                "ledger_state_label": u.label,
            }
            for u in b.unbacked
        ],
    }


def _rank(r: services.DepartmentRank) -> dict[str, Any]:
    return {
        "department": _ref(r.department),
        "rank": r.rank or None,
        "ranked": r.ranked,
        "year": r.year,
        "total": str(r.total),
        "possible": str(r.score.possible),
        "measures": [
            {
                "key": m.key,
                "label": m.label,
                "rate": None if m.rate is None else str(m.rate),
                "points": str(m.points),
                "weight": str(m.weight),
            }
            for m in r.score.measures
        ],
        "eligible": r.score.eligible,
        "tasks": r.tasks,
        "done": r.done,
        "overdue_tasks": r.overdue_tasks,
        "evidence": r.evidence,
        "evidence_approved": r.evidence_approved,
        "problems": r.problems,
        "open_problems": r.open_problems,
        "overdue_problems": r.overdue_problems,
    }


def _heatmap(heat: services.Heatmap) -> dict[str, Any]:
    return {
        "level": heat.level,
        "item": _node(heat.item) if heat.item is not None else None,
        "columns": [_ref(d) for d in heat.columns],
        "rows": [
            {"node": _node(r.node), "counts": [c for c, _ in r.cells], "total": r.total}
            for r in heat.rows
        ],
        "max": heat.max,
        "empty_cells": heat.empty_cells,
    }


def _cockpit_out(c: services.Cockpit) -> dict[str, Any]:
    head = c.head
    return {
        "campaign": {"id": c.campaign.pk, "title": c.campaign.title},
        "department": _ref(c.department) if c.department is not None else None,
        "today": c.today,
        "headline": {
            "tasks": head.tasks,
            "done": head.done,
            "done_percent": _pct(head.done_percent),
            "mean_progress": _pct(head.mean_progress),
            "overdue_tasks": head.overdue_tasks,
            "open_problems": head.open_problems,
            "overdue_problems": head.overdue_problems,
            "evidence": head.evidence,
            "evidence_approved": head.evidence_approved,
        },
        "phases": [
            {
                "label": p.label,
                "total": p.total,
                "done": p.done,
                "done_percent": _pct(p.done_percent),
                "overdue": p.overdue,
                "mean_progress": _pct(p.mean_progress),
            }
            for p in c.phases
        ],
        "projection": _projection(c.projection),
        "claimed": _projection(c.projection, claimed=True),
        "difference": _difference(c.projection),
        "lost_items": [
            {
                "code": i.code,
                "title": i.title,
                "possible": _pts(i.possible),
                "scored": _pts(i.scored),
                "lost": _pts(i.lost),
            }
            for i in c.projection.lost_items
        ],
        "ranking": [_rank(r) for r in c.ranking],
        "weeks": [
            {
                "start": w.start,
                "label": w.label,
                "tasks_done": w.tasks_done,
                "cumulative_done": w.cumulative_done,
                "cumulative_percent": _pct(w.cumulative_percent),
                "problems_opened": w.problems_opened,
                "problems_closed": w.problems_closed,
            }
            for w in c.weeks
        ],
        "heatmap": _heatmap(c.heat),
    }


def _unit_out(r: UnitRow) -> dict[str, Any]:
    return {
        "unit": _ref(r.unit),
        "campaign": {"id": r.campaign.pk, "title": r.campaign.title} if r.campaign else None,
        "rank": r.rank,
        "tasks": r.tasks,
        "done": r.done,
        "done_percent": _pct(r.done_percent),
        "mean_progress": _pct(r.mean_progress),
        "overdue_tasks": r.overdue_tasks,
        "open_problems": r.open_problems,
        "overdue_problems": r.overdue_problems,
        "round": _round(r.round) if r.round is not None else None,
        "total": _pts(r.total),
        "threshold": _pts(r.threshold),
        "passes": r.passes,
        "verdict": r.totals.verdict if r.totals else None,
        "claimed_total": _pts(r.claimed.total) if r.claimed else None,
        "claimed_passes": r.claimed.passed if r.claimed else None,
        "unbacked_count": r.backing.count if r.backing else None,
        "unbacked_points": _pts(r.backing.points) if r.backing else None,
    }


@router.get(
    "/campaigns/{campaign_id}",
    response=CockpitOut,
    summary="单位驾驶舱",
    description="创建工作的各项数字：顶部指标、各阶段进度、预计得分与失分最多的测评项目、"
    "部门推进排名、近12周趋势、台账覆盖热力图。`item`（测评项目编号）把热力图展开到该项目的各条标准。",
    url_name="dashboard_campaign",
)
def campaign_cockpit(request: HttpRequest, campaign_id: int, item: int | None = None) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    return _cockpit_out(services.cockpit(campaign, timezone.localdate(), item_id=item))


@router.get(
    "/campaigns/{campaign_id}/departments/{department_id}",
    response=CockpitOut,
    summary="部门驾驶舱",
    description="与单位驾驶舱相同的各项数字，只统计本部门；部门排名仍为全单位。"
    "部门人员只能查看本部门的（其他部门 403）。",
    url_name="dashboard_department",
)
def department_cockpit(
    request: HttpRequest, campaign_id: int, department_id: int, item: int | None = None
) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    department = access.get_dashboard_department_for_user(request.user, campaign, department_id)
    blocks = services.cockpit(campaign, timezone.localdate(), department, item_id=item)
    return _cockpit_out(blocks)


@router.get(
    "/offices/{office_id}",
    response=OfficeOut,
    summary="文明办驾驶舱",
    description="所辖各单位的任务、逾期、预计得分和排名。只有本文明办及上级文明办的人员可以查看。",
    url_name="dashboard_office",
)
def office_view(request: HttpRequest, office_id: int) -> Any:
    office = access.get_office_for_dashboard(request.user, office_id)
    today = timezone.localdate()
    rows = office_units(office, today)
    return {
        "office": _ref(office),
        "today": today,
        "summary": unit_summary(rows),
        "units": [_unit_out(r) for r in rows],
    }

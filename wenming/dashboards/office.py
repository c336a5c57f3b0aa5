"""The office's view across its units (文明办驾驶舱, R14): progress, projected score, overdue
counts and ranking of every unit below the office, from a fixed number of grouped queries.

The projected score of hundreds of units is summed in the database (`round_headlines`): the
basic and bonus points, the vetoes and the few deduction scores per round; the caps and the
total come from `wenming.scoring.totals.settle`, as for one round. It gives the same total,
pass line and verdict as `wenming.scoring.services.totals_for_rounds`
(tests/dashboards/test_numbers.py checks it) without building a row per score; the per-item
breakdown, which the office table does not show, is left out.

Each unit is headlined, ranked and judged by its total backed by evidence
(`wenming.scoring.backed.backed_headlines`: points given to standards whose ledger is not
已完备 count at zero, the ledger of all units read in three queries); the self-assessed total
is shown beside it as the claim.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum

from wenming.campaigns.models import Campaign
from wenming.dashboards.services import ZERO, _path, _q1, _rate, _url
from wenming.frameworks.models import Framework, Section
from wenming.orgs.models import Organization, OrgKind
from wenming.oversight.models import Problem, problem_overdue_q
from wenming.scoring import backed
from wenming.scoring import services as scoring
from wenming.scoring.backed import Backing
from wenming.scoring.models import Score, ScoringRound
from wenming.scoring.totals import NodeRow, ScoreRow, Totals, deduction_for, settle
from wenming.tasks.models import Task, TaskStatus, overdue_q


def round_headlines(rounds: Iterable[ScoringRound]) -> dict[int, Totals]:
    """Total, pass line and vetoes of many rounds in two queries (items left empty)."""
    rounds = list(rounds)
    ids = [r.pk for r in rounds]
    sums = {
        r["round_id"]: r
        for r in Score.objects.filter(round_id__in=ids, standard__is_leaf=True)
        .order_by()
        .values("round_id")
        .annotate(
            basic=Sum("points", filter=Q(standard__section=Section.BASIC)),
            bonus=Sum("points", filter=Q(standard__section=Section.BONUS)),
        )
    }
    special: dict[int, list[tuple[NodeRow, ScoreRow]]] = {pk: [] for pk in ids}
    for found in Score.objects.filter(
        Q(standard__section=Section.DEDUCTION, incidents__gt=0)
        | Q(standard__section=Section.VETO, vetoed=True),
        round_id__in=ids,
        standard__is_leaf=True,
    ).select_related("standard"):
        special[found.round_id].append((scoring.node_row(found.standard), scoring.score_row(found)))
    result = {}
    for round_ in rounds:
        rules = scoring.rules_for(round_)
        row = sums.get(round_.pk, {})
        totals = Totals(
            threshold=rules.pass_threshold, excellent_threshold=rules.excellent_threshold
        )
        totals.basic = row.get("basic") or ZERO
        totals.bonus_raw = row.get("bonus") or ZERO
        for node, row_ in special[round_.pk]:
            if node.section == Section.VETO:
                totals.vetoed.append(node)
            else:
                totals.deduction_raw += deduction_for(node, row_, rules)
        result[round_.pk] = settle(totals, rules)
    return result


@dataclass
class UnitRow:
    unit: Organization
    campaign: Campaign | None = None
    tasks: int = 0
    done: int = 0
    overdue_tasks: int = 0
    mean_progress: Decimal = ZERO
    open_problems: int = 0
    overdue_problems: int = 0
    round: ScoringRound | None = None
    totals: Totals | None = None  # backed by evidence: the headline and the verdict
    claimed: Totals | None = None  # self-assessed
    backing: Backing | None = None
    rank: int | None = None
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def done_percent(self) -> Decimal:
        return _rate(self.done, self.tasks, ZERO)

    @property
    def total(self) -> Decimal | None:
        return self.totals.total if self.totals else None

    @property
    def threshold(self) -> Decimal | None:
        return self.totals.threshold if self.totals else None

    @property
    def passes(self) -> bool | None:
        return self.totals.passed if self.totals else None


def _add_task_counts(by_campaign: dict[int, UnitRow], today: datetime.date) -> None:
    """Counted tasks, done, overdue and the mean progress per campaign (1 query)."""
    for r in (
        Task.objects.counted()
        .filter(campaign_id__in=list(by_campaign))
        .order_by()
        .values("campaign_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
            mean=Avg("progress"),
        )
    ):
        row = by_campaign[r["campaign_id"]]
        row.tasks, row.done, row.overdue_tasks = r["total"], r["done"], r["overdue"]
        row.mean_progress = _q1(Decimal(str(r["mean"] or 0)))


def _add_problem_counts(by_campaign: dict[int, UnitRow], today: datetime.date) -> None:
    """Open and overdue problems per campaign (1 query); overdue ones are open ones."""
    for r in (
        Problem.objects.open()
        .filter(campaign_id__in=list(by_campaign))
        .order_by()
        .values("campaign_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=problem_overdue_q(today)))
    ):
        row = by_campaign[r["campaign_id"]]
        row.open_problems, row.overdue_problems = r["open"], r["overdue"]


def _add_latest_rounds(by_campaign: dict[int, UnitRow]) -> None:
    """Each campaign's latest round and its totals, backed and claimed (about 8 queries)."""
    latest: dict[int, ScoringRound] = {}
    for round_ in (
        ScoringRound.objects.live()
        .filter(campaign_id__in=list(by_campaign))
        .only("id", "campaign_id", "framework_id", "kind", "title", "scored_on", "pass_threshold")
        .order_by("campaign_id", "-scored_on", "-id")
    ):
        latest.setdefault(round_.unit_campaign_id, round_)
    # Most units share a handful of systems: read each once, not once per round.
    frameworks = Framework.objects.in_bulk({r.framework_id for r in latest.values()})
    for round_ in latest.values():
        round_.framework = frameworks[round_.framework_id]
    claimed = round_headlines(latest.values())
    campaigns = [c for pk in latest if (c := by_campaign[pk].campaign) is not None]
    backings = backed.backed_headlines(latest.values(), claimed, campaigns)
    for campaign_id, round_ in latest.items():
        row = by_campaign[campaign_id]
        row.round = round_
        row.backing = backings[round_.pk]
        row.claimed = row.backing.claimed
        row.totals = row.backing.backed


def _unit_urls(row: UnitRow, active: Campaign) -> dict[str, str]:
    urls = {
        "cockpit": _path("dashboards:campaign", active.pk),
        "tasks": _url("tasks:table", active.pk),
        "done": _url("tasks:table", active.pk, status="done"),
        "overdue_tasks": _url("tasks:table", active.pk, status="overdue"),
        "open_problems": _url("oversight:problems", active.pk, status="open"),
        "overdue_problems": _url("oversight:problems", active.pk, overdue="on"),
        "rounds": _path("scoring:rounds", active.pk),
    }
    if row.round is not None:
        urls["sheet"] = _path("scoring:sheet", row.round.pk)
    return urls


def _ranked(rows: Iterable[UnitRow], units: list[Organization]) -> list[UnitRow]:
    order = {u.pk: i for i, u in enumerate(units)}
    ranked = sorted(
        rows,
        key=lambda r: (
            r.campaign is None,
            r.totals is None,
            -(r.total or ZERO),
            -r.done_percent,
            order[r.unit.pk],
        ),
    )
    position = 0
    for row in ranked:
        if row.campaign is not None:
            position += 1
            row.rank = position
    return ranked


def office_units(office: Organization, today: datetime.date) -> list[UnitRow]:
    """Every active unit below the office with its active campaign (about 12 queries).

    Units are ranked by the projected score (the latest round's total backed by evidence),
    then by the share of
    tasks done; units without a round come after those with one, units without an active
    campaign last and unranked.
    """
    units = list(
        Organization.objects.filter(path__startswith=office.path, kind=OrgKind.UNIT, is_active=True)
        .only("id", "name", "short_name", "code", "path", "sort_order", "kind", "parent_id")
        .order_by("sort_order", "path")
    )
    rows = {u.pk: UnitRow(unit=u) for u in units}
    campaigns = list(
        Campaign.objects.filter(unit__in=units, is_active=True).only(
            "id", "unit_id", "title", "framework_id"
        )
    )
    by_campaign: dict[int, UnitRow] = {}
    for c in campaigns:
        row = rows[c.unit_id]
        row.campaign = c
        by_campaign[c.pk] = row
    _add_task_counts(by_campaign, today)
    _add_problem_counts(by_campaign, today)
    _add_latest_rounds(by_campaign)
    for row in by_campaign.values():
        assert row.campaign is not None
        row.urls = _unit_urls(row, row.campaign)
    return _ranked(rows.values(), units)


def unit_summary(rows: Iterable[UnitRow]) -> dict[str, int]:
    rows = list(rows)
    with_campaign = [r for r in rows if r.campaign is not None]
    return {
        "units": len(rows),
        "campaigns": len(with_campaign),
        "scored": sum(1 for r in with_campaign if r.totals is not None),
        "passing": sum(1 for r in with_campaign if r.totals is not None and r.totals.passed),
        "overdue_tasks": sum(r.overdue_tasks for r in with_campaign),
        "overdue_problems": sum(r.overdue_problems for r in with_campaign),
    }


OVERDUE_KINDS = {"tasks": "逾期任务", "problems": "逾期问题"}


def office_overdue(office: Organization, today: datetime.date, kind: str) -> Any:
    """The overdue tasks or problems of every unit below the office, oldest deadline first:
    the lists behind the office view's 逾期任务合计 and 逾期问题合计 (same filters as
    `office_units`, so the counts agree)."""
    live_units = Q(
        campaign__is_active=True,
        campaign__unit__path__startswith=office.path,
        campaign__unit__kind=OrgKind.UNIT,
        campaign__unit__is_active=True,
    )
    if kind == "tasks":
        return (
            Task.objects.overdue(today)
            .filter(live_units)
            .select_related("campaign__unit", "lead_department")
            .order_by("deadline", "pk")
        )
    return (
        Problem.objects.overdue(today)
        .filter(live_units)
        .select_related("campaign__unit", "department")
        .order_by("deadline", "pk")
    )

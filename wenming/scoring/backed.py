"""The score backed by evidence beside the self-assessed one (有佐证得分 / 自评得分).

A round's self-assessed total is what its scorers gave (`wenming.scoring.services.round_totals`).
Its evidence-backed total is the same computation (`wenming.scoring.totals.compute`, the same
caps, vetoes and pass line) except that a standard the ledger checks (basic and bonus
standards not marked not applicable, `wenming.ledger.completeness`) counts at zero unless its
ledger is 已完备. Standards the ledger does not check (deduction and veto standards, those
marked not applicable) keep what they were given. The difference is itemized: the standards
given points whose ledger is not complete, their count and the points involved.

A verdict of 达标 needs the backed total over the line: every screen and route reads the
verdict from `Backing.backed`.

Queries: the ledger's state is three queries (`standard_states`, `proof_sets` for the many
units of an office), whatever the ledger's size or the number of rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.completeness import (
    STATE_CLASSES,
    STATE_LABELS,
    StandardRow,
    StandardState,
    proof_sets,
    standard_states,
)
from wenming.scoring import services
from wenming.scoring.models import Score, ScoringRound
from wenming.scoring.totals import NodeRow, Rules, ScoreRow, Totals, compute, settle
from wenming.tasks.coverage import COVERED_SECTIONS

ZERO = Decimal("0")


def counts_at_zero(points: Decimal | None, ledger: StandardRow | None) -> bool:
    """Does a score of `points` count at zero in the backed total? Only points given to a
    standard the ledger checks (`ledger` is its row) and does not find 已完备."""
    return bool(points) and ledger is not None and ledger.state != StandardState.COMPLETE


@dataclass(frozen=True)
class Unbacked:
    """A standard given points whose ledger is not complete."""

    node: NodeRow
    points: Decimal
    state: str
    url: str | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def css(self) -> str:
        return STATE_CLASSES[self.state]


@dataclass
class Backing:
    """A round's two totals and what separates them (`unbacked` is empty when only the count
    and the points are known, as in the office's table of units)."""

    claimed: Totals
    backed: Totals
    count: int = 0
    points: Decimal = ZERO
    unbacked: list[Unbacked] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        """Self-assessed total minus backed total (after the caps)."""
        return self.claimed.total - self.backed.total

    @property
    def sentence(self) -> str:
        if not self.count:
            return "打了分的标准台账均已完备，有佐证得分与自评得分一致。"
        return f"{self.count}条标准打了分但台账不完整，涉及{_fmt(self.points)}分"


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def ledger_url(campaign: Campaign) -> str | None:
    """The ledger's item list, when that screen exists in this installation."""
    try:
        return reverse("ledger:items", args=[campaign.pk])
    except NoReverseMatch:
        return None


def backing(
    nodes: list[NodeRow],
    scores: Mapping[int, ScoreRow],
    rules: Rules,
    ledger: Mapping[int, StandardRow],
    url: str | None = None,
) -> Backing:
    """Both totals of one round from its rows, and the itemized difference (no queries).
    `url` is the ledger's item list; each standard links to it filtered on the standard."""
    backed_scores = dict(scores)
    unbacked = []
    for node in sorted(nodes, key=lambda n: n.position):
        score = scores.get(node.id)
        if score is None or not node.is_leaf:
            continue
        row = ledger.get(node.id)
        if counts_at_zero(score.points, row):
            assert row is not None and score.points is not None
            backed_scores[node.id] = replace(score, points=ZERO)
            link = f"{url}?standard={node.id}" if url else None
            unbacked.append(Unbacked(node=node, points=score.points, state=row.state, url=link))
    return Backing(
        claimed=compute(nodes, scores, rules),
        backed=compute(nodes, backed_scores, rules),
        count=len(unbacked),
        points=sum((u.points for u in unbacked), ZERO),
        unbacked=unbacked,
    )


def campaign_ledger(campaign: Campaign) -> dict[int, StandardRow]:
    """The ledger's row of each standard it checks in the campaign (three queries)."""
    return standard_states([campaign])[campaign.pk]


def round_backing(
    round_: ScoringRound,
    nodes: Iterable[Node] | None = None,
    *,
    scores: Iterable[Score] | None = None,
    ledger: Mapping[int, StandardRow] | None = None,
    url: str | None = None,
) -> Backing:
    """A round's two totals: `round_totals`' two queries (fewer when the caller holds the
    nodes or scores) and the ledger's three (none when the caller holds it, with the `url`
    of its list: an office's round on a frozen submission is backed by that submission)."""
    if nodes is None:
        nodes = Node.objects.filter(framework_id=round_.framework_id)
    if scores is None:
        scores = Score.objects.filter(round=round_)
    if ledger is None:
        ledger = campaign_ledger(round_.unit_campaign)
    if url is None and round_.campaign is not None:
        url = ledger_url(round_.campaign)
    return backing(
        [services.node_row(n) for n in nodes],
        {s.standard_id: services.score_row(s) for s in scores},
        services.rules_for(round_),
        ledger,
        url,
    )


def _campaigns(
    rounds: list[ScoringRound], campaigns: Iterable[Campaign] | None
) -> dict[int, Campaign]:
    if campaigns is None:
        return Campaign.objects.in_bulk({r.campaign_id for r in rounds})
    return {c.pk: c for c in campaigns}


def backing_for_rounds(
    rounds: Iterable[ScoringRound], campaigns: Iterable[Campaign] | None = None
) -> dict[int, Backing]:
    """Both totals of many rounds (a campaign's round list): the rows of
    `services.rows_for_rounds` (two queries) and the campaigns' ledger (three, and one for
    the campaigns when they are not given)."""
    rounds = list(rounds)
    nodes, scores = services.rows_for_rounds(rounds)
    by_id = _campaigns(rounds, campaigns)
    ledgers = standard_states(by_id[r.unit_campaign_id] for r in rounds)
    return {
        r.pk: backing(
            nodes[r.framework_id],
            scores[r.pk],
            services.rules_for(r),
            ledgers[r.unit_campaign_id],
            ledger_url(by_id[r.unit_campaign_id]),
        )
        for r in rounds
    }


def backed_headlines(
    rounds: Iterable[ScoringRound],
    claimed: Mapping[int, Totals],
    campaigns: Iterable[Campaign] | None = None,
) -> dict[int, Backing]:
    """Backed totals of hundreds of rounds (the office's units) from their self-assessed
    headline totals (`claimed`, by round id: basic, bonus and deduction sums without items):
    the points given to checked standards that are not 已完备 come off the basic and bonus
    sums, then `settle` applies the caps as for one round. Five queries (`proof_sets`, the
    points given per round and section, and those given to the standards that keep them:
    complete or not applicable); one more for the campaigns when they are not given. The
    list of standards is left out."""
    rounds = list(rounds)
    by_id = _campaigns(rounds, campaigns)
    proofs = proof_sets({by_id[r.unit_campaign_id] for r in rounds})
    # A round on another system than its campaign's is not checked by that ledger.
    checked = [r for r in rounds if r.framework_id == by_id[r.unit_campaign_id].framework_id]
    off: dict[int, dict[str, Decimal]] = {r.pk: {} for r in rounds}
    counts: dict[int, int] = {r.pk: 0 for r in rounds}
    given = Score.objects.filter(
        points__gt=0, standard__is_leaf=True, standard__section__in=COVERED_SECTIONS
    )

    def add(round_id: int, section: str, points: Decimal, n: int) -> None:
        off[round_id][section] = off[round_id].get(section, ZERO) + points
        counts[round_id] += n

    for round_id, section, n, points in (
        given.filter(round_id__in=[r.pk for r in checked])
        .order_by()
        .values_list("round_id", "standard__section")
        .annotate(n=Count("id"), points=Sum("points"))
    ):
        add(round_id, section, points, n)
    keep = {
        r.pk: proofs[r.unit_campaign_id].complete | proofs[r.unit_campaign_id].excluded
        for r in checked
    }
    kept = given.filter(
        round_id__in=[pk for pk, ids in keep.items() if ids],
        standard_id__in=set().union(*keep.values()),
    ).values_list("round_id", "standard_id", "standard__section", "points")
    for round_id, standard_id, section, points in kept.iterator(5000):
        if standard_id in keep[round_id]:
            add(round_id, section, -(points or ZERO), -1)
    out = {}
    for r in rounds:
        base = claimed[r.pk]
        backed = replace(
            base,
            basic=base.basic - off[r.pk].get("basic", ZERO),
            bonus_raw=base.bonus_raw - off[r.pk].get("bonus", ZERO),
            vetoed=list(base.vetoed),
            items=[],
            lost={},
            deducted={},
        )
        out[r.pk] = Backing(
            claimed=base,
            backed=settle(backed, services.rules_for(r)),
            count=counts[r.pk],
            points=sum(off[r.pk].values(), ZERO),
        )
    return out

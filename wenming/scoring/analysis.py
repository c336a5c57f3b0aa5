"""What a scoring round tells (R6): the scoring sheet's rows, the gap analysis, two rounds
compared. Read-only; the screens (`views.py`) and the API (`api.py`) both call these
functions, so a page and a route cannot disagree about a round.

Every total comes from `wenming.scoring.services.round_totals` (or `totals_for_rounds` for
many rounds), which is the arithmetic of `wenming.scoring.totals`; nothing here adds points
up by itself. The total backed by evidence beside it comes from `wenming.scoring.backed`. Tasks are the campaign's counted tasks (`Task.objects.counted()`: drafts and
the recycle bin are in no analysis); problems per standard come from whichever app
registered `scoring.gaps.problems_by_standard` (oversight), because scoring does not import
its peer. Each function issues a bounded number of queries whatever the size of the system.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.core import registry
from wenming.frameworks.models import Node, ScoringMode, Section
from wenming.ledger.completeness import StandardRow
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.scoring import backed, services
from wenming.scoring.backed import Backing
from wenming.scoring.models import Score, ScoringRound
from wenming.scoring.totals import Change, Totals, compare
from wenming.tasks.models import Task

ZERO = Decimal("0")
SECTION_ORDER = [Section.BASIC, Section.BONUS, Section.DEDUCTION, Section.VETO]


@dataclass
class ScoredRound:
    """A round with its system's nodes (in order), its scores by standard and its totals."""

    round: ScoringRound
    nodes: list[Node]
    scores: dict[int, Score]
    totals: Totals


def framework_nodes(framework_id: int) -> list[Node]:
    """The system's nodes in the system's order (one query)."""
    return list(Node.objects.filter(framework_id=framework_id).order_by("position"))


def scored_round(round_: ScoringRound) -> ScoredRound:
    """Two queries: the system's nodes and the round's scores, totalled by `round_totals`."""
    nodes = framework_nodes(round_.framework_id)
    scores = {
        s.standard_id: s for s in Score.objects.filter(round=round_).select_related("scored_by")
    }
    return _scored(round_, nodes, scores)


def _scored(round_: ScoringRound, nodes: list[Node], scores: dict[int, Score]) -> ScoredRound:
    totals = services.round_totals(round_, nodes, scores=scores.values())
    return ScoredRound(round=round_, nodes=nodes, scores=scores, totals=totals)


def ledger_states(campaign: Campaign) -> dict[int, StandardRow]:
    """The ledger's completeness of each standard to prove, by standard id (three queries)."""
    return backed.campaign_ledger(campaign)


# --- the scoring sheet -------------------------------------------------------------------


@dataclass
class EvidenceChoices:
    """The ledger items that may back each standard's score, and those a score cites."""

    options: dict[int, list[tuple[int, str, str]]]
    linked: dict[int, set[int]]


def evidence_choices(round_: ScoringRound) -> EvidenceChoices:
    """Two queries: the campaign's live items per standard, and the round's citations."""
    labels = dict(ItemStatus.choices)
    options: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    links = (
        EvidenceItem.standards.through.objects.filter(
            evidenceitem__in=EvidenceItem.objects.live().filter(campaign=round_.unit_campaign)
        )
        .order_by("evidenceitem__activity_date", "evidenceitem_id")
        .values_list("node_id", "evidenceitem_id", "evidenceitem__title", "evidenceitem__status")
    )
    for node_id, item_id, title, status in links:
        options[node_id].append((item_id, title, labels.get(status, "")))
    linked: dict[int, set[int]] = defaultdict(set)
    cited = Score.evidence.through.objects.filter(score__round=round_).values_list(
        "score__standard_id", "evidenceitem_id"
    )
    for standard_id, item_id in cited:
        linked[standard_id].add(item_id)
    return EvidenceChoices(options=options, linked=linked)


def citable_evidence(round_: ScoringRound, standard: Node, ids: list[int]) -> list[EvidenceItem]:
    """Of the given items, those a score of this standard may cite: live items of the round's
    campaign that prove this standard."""
    return list(
        EvidenceItem.objects.live().filter(
            pk__in=ids, campaign=round_.unit_campaign, standards=standard
        )
    )


@dataclass
class SheetRow:
    """One standard on the scoring sheet: its score, the form's values and what backs it."""

    node: Node
    score: Score | None
    ledger: StandardRow | None = None
    ledger_url: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lost: Decimal | None = None
    deducted: Decimal | None = None
    saved: bool = False
    evidence_options: list[tuple[int, str, str]] = field(default_factory=list)
    linked: set[int] = field(default_factory=set)
    action: str = ""
    # What a standard about people computes (达标测算), when a measure is set on it.
    measured: Any = None

    @property
    def cited(self) -> list[tuple[int, str, str]]:
        return [o for o in self.evidence_options if o[0] in self.linked]

    @property
    def unbacked(self) -> Decimal | None:
        """The points given that the backed total counts at zero (ledger not complete)."""
        points = self.score.points if self.score is not None else None
        return points if backed.counts_at_zero(points, self.ledger) else None

    @property
    def kind(self) -> str:
        if self.node.section in (Section.DEDUCTION, Section.VETO):
            return str(self.node.section)
        if self.node.scoring_mode == ScoringMode.GRADE and self.node.grades:
            return "grade"
        return "number"

    @property
    def step(self) -> str:
        step = self.node.deduction_step
        return format(step.normalize(), "f") if step else "0.01"

    @property
    def grades(self) -> list[dict[str, str]]:
        return [{"label": g["label"], "points": str(g["points"])} for g in self.node.grades]


def score_values(score: Score | None) -> dict[str, Any]:
    """A score as the sheet's form shows it (empty for a standard not scored yet)."""
    if score is None:
        return {
            "points": "",
            "grade": "",
            "incidents": "",
            "concealed": False,
            "vetoed": False,
            "method": "",
            "comment": "",
        }
    return {
        "points": "" if score.points is None else format(score.points.normalize(), "f"),
        "grade": score.grade,
        "incidents": "" if score.incidents is None else str(score.incidents),
        "concealed": score.concealed,
        "vetoed": score.vetoed,
        "method": score.method,
        "comment": score.comment,
    }


@dataclass
class SheetContext:
    """What every row of one sheet shares: the ledger's state and the evidence to cite."""

    ledger: dict[int, StandardRow]
    ledger_url: str | None
    evidence: EvidenceChoices
    # Where a standard's score is posted: a route taking the round's and the standard's ids.
    # An office's round on a frozen submission is served by the app that opened it, which
    # builds this context from the submission (`ledger`, `evidence`) and names its route.
    route: str = "scoring:score"
    measured: dict[int, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, round_: ScoringRound) -> SheetContext:
        campaign = round_.unit_campaign
        return cls(
            ledger=ledger_states(campaign),
            ledger_url=_ledger_items_url(campaign),
            evidence=evidence_choices(round_),
            measured=measured_by_standard(campaign, timezone.localdate()),
        )

    def row(self, node: Node, scored: ScoredRound) -> SheetRow:
        score = scored.scores.get(node.pk)
        return SheetRow(
            node=node,
            action=reverse(self.route, args=[scored.round.pk, node.pk]),
            evidence_options=self.evidence.options.get(node.pk, []),
            linked=self.evidence.linked.get(node.pk, set()),
            score=score,
            ledger=self.ledger.get(node.pk),
            ledger_url=f"{self.ledger_url}?standard={node.pk}" if self.ledger_url else None,
            values=score_values(score),
            lost=scored.totals.lost.get(node.pk) if score is not None else None,
            deducted=scored.totals.deducted.get(node.pk),
            measured=self.measured.get(node.pk),
        )


def measured_by_standard(campaign: Campaign | None, today: datetime.date) -> dict[int, Any]:
    """Per standard: what its measure computes this year (达标测算: the figure, its target, its
    basis and the exact shortfall), from whichever app registered it (activities, through
    `core.registry`: "scoring.measured_by_standard"); empty without a campaign."""
    found: dict[int, Any] = {}
    if campaign is None:
        return found
    for provide in registry.extensions("scoring.measured_by_standard"):
        found.update(provide(campaign, today))
    return found


def _ledger_items_url(campaign: Campaign) -> str | None:
    """The ledger's item list, when that screen exists in this installation."""
    try:
        return reverse("ledger:items", args=[campaign.pk])
    except NoReverseMatch:
        return None


@dataclass
class Sheet:
    """The scoring sheet: the tree in order, a heading per section, per item and content, a
    row per standard (`entries`), and the round's totals."""

    scored: ScoredRound
    entries: list[dict[str, Any]]
    backing: Backing

    @property
    def totals(self) -> Totals:
        return self.scored.totals

    def row_for(self, standard_id: int) -> SheetRow | None:
        for entry in self.entries:
            row = entry.get("row")
            if row is not None and row.node.pk == standard_id:
                return row
        return None


def _backing(
    scored: ScoredRound, ledger: dict[int, StandardRow], url: str | None = None
) -> Backing:
    return backed.round_backing(
        scored.round, scored.nodes, scores=scored.scores.values(), ledger=ledger, url=url
    )


def sheet(round_: ScoringRound, context: SheetContext | None = None) -> Sheet:
    """The whole sheet of a round, in a bounded number of queries; `context` is the
    campaign's ledger unless the caller gives another (a frozen submission's)."""
    scored = scored_round(round_)
    context = context or SheetContext.of(round_)
    items = {t.node.id: t for t in scored.totals.items}
    by_section: dict[str, list[Node]] = defaultdict(list)
    for node in scored.nodes:
        by_section[node.section].append(node)
    entries: list[dict[str, Any]] = []
    for section in SECTION_ORDER:
        if not by_section[section]:
            continue
        entries.append({"section": Section(section).label, "key": section})
        for node in by_section[section]:
            if node.is_leaf:
                entries.append({"row": context.row(node, scored)})
            else:
                entries.append({"heading": node, "item": items.get(node.pk)})
    return Sheet(
        scored=scored, entries=entries, backing=_backing(scored, context.ledger, context.ledger_url)
    )


def sheet_row(
    round_: ScoringRound, standard: Node, context: SheetContext | None = None
) -> tuple[SheetRow, Backing]:
    """One standard's row and the round's new totals (both), after a score was saved or
    refused."""
    scored = scored_round(round_)
    context = context or SheetContext.of(round_)
    return context.row(standard, scored), _backing(scored, context.ledger, context.ledger_url)


# --- gap analysis ------------------------------------------------------------------------


@dataclass
class GapRow:
    """A standard where points were lost, or may still be won.

    `kind` is "veto", "deduction", "lost", "unscored" or "bonus"."""

    node: Node
    kind: str
    lost: Decimal
    score: Score | None
    ledger: StandardRow | None = None
    tasks: list[Task] = field(default_factory=list)
    open_problems: int = 0
    overdue_problems: int = 0
    measured: Any = None


def gap_rows(nodes: list[Node], scores: dict[int, Score], totals: Totals) -> list[GapRow]:
    """Vetoes first, then every standard by points lost (deductions counted as lost), then
    the bonus points not (yet) won: those are chances, not losses, so they come last."""
    by_id = {n.pk: n for n in nodes}
    rows: list[GapRow] = []
    for veto in totals.vetoed:
        rows.append(GapRow(node=by_id[veto.id], kind="veto", lost=ZERO, score=scores.get(veto.id)))
    ranked: list[GapRow] = []
    bonus: list[GapRow] = []
    for node_id, lost in totals.lost.items():
        if lost <= 0:
            continue
        node = by_id[node_id]
        score = scores.get(node_id)
        if node.section == Section.BONUS:
            bonus.append(GapRow(node=node, kind="bonus", lost=lost, score=score))
            continue
        unscored = score is None or score.points is None
        ranked.append(
            GapRow(node=node, kind="unscored" if unscored else "lost", lost=lost, score=score)
        )
    for node_id, amount in totals.deducted.items():
        ranked.append(
            GapRow(node=by_id[node_id], kind="deduction", lost=amount, score=scores.get(node_id))
        )
    ranked.sort(key=lambda r: (-r.lost, r.node.position))
    bonus.sort(key=lambda r: (-r.lost, r.node.position))
    return rows + ranked + bonus


def tasks_by_standard(campaign: Campaign) -> dict[int, list[Task]]:
    """The campaign's counted tasks per standard, soonest deadline first (one query)."""
    links = (
        Task.standards.through.objects.filter(
            task__in=Task.objects.counted().filter(campaign=campaign)
        )
        .select_related("task__lead_department", "task__responsible")
        .order_by("task__deadline", "task_id")
    )
    out: dict[int, list[Task]] = defaultdict(list)
    for link in links:
        out[link.node_id].append(link.task)
    return out


def problems_by_standard(campaign: Campaign, today: datetime.date) -> dict[int, tuple[int, int]]:
    """Per standard: problems still on the books (挂账) and how many of them are overdue, from
    whichever app registered them (oversight, through `core.registry`)."""
    found: dict[int, tuple[int, int]] = {}
    for provide in registry.extensions("scoring.gaps.problems_by_standard"):
        found.update(provide(campaign, today))
    return found


@dataclass
class Gaps:
    """The gap analysis of one round: its totals and the ranked rows."""

    totals: Totals
    rows: list[GapRow]
    backing: Backing

    @property
    def lost_total(self) -> Decimal:
        """Points lost on scored standards, deductions included."""
        return sum((r.lost for r in self.rows if r.kind in ("lost", "deduction")), ZERO)

    @property
    def unscored_total(self) -> Decimal:
        """Points of the standards not scored yet."""
        return sum((r.lost for r in self.rows if r.kind == "unscored"), ZERO)


def gaps(round_: ScoringRound, today: datetime.date) -> Gaps:
    """The ranked gap rows, each with its ledger state, its tasks and its open problems."""
    scored = scored_round(round_)
    rows = gap_rows(scored.nodes, scored.scores, scored.totals)
    ledger = ledger_states(round_.unit_campaign)
    tasks = tasks_by_standard(round_.unit_campaign)
    problems = problems_by_standard(round_.unit_campaign, today)
    measured = measured_by_standard(round_.unit_campaign, today)
    for row in rows:
        row.measured = measured.get(row.node.pk)
        row.ledger = ledger.get(row.node.pk)
        row.tasks = tasks.get(row.node.pk, [])
        row.open_problems, row.overdue_problems = problems.get(row.node.pk, (0, 0))
    return Gaps(totals=scored.totals, rows=rows, backing=_backing(scored, ledger))


# --- two rounds compared -----------------------------------------------------------------


@dataclass
class ItemCompare:
    """One evaluation item (测评项目) in both rounds; `a` is None when the earlier round's
    system has no item of that code."""

    node: Any
    a: Decimal | None
    b: Decimal | None
    possible: Decimal

    @property
    def delta(self) -> Decimal:
        return (self.b or ZERO) - (self.a or ZERO)


@dataclass
class Comparison:
    """Round `a` (before) against round `b` (after)."""

    a: ScoredRound
    b: ScoredRound
    items: list[ItemCompare]
    changes: list[Change]
    backing_a: Backing
    backing_b: Backing

    @property
    def total_delta(self) -> Decimal:
        return self.b.totals.total - self.a.totals.total

    def comment_after(self, change: Change) -> str:
        """The reason written in round `b` for a changed standard."""
        score = self.b.scores.get(change.node.id)
        return score.comment if score is not None else ""


def compare_rounds(a: ScoringRound, b: ScoringRound) -> Comparison:
    """Totals of both rounds, their items side by side, and the standards whose points
    changed, biggest moves first. Standards are matched by id within one system and by code
    across two versions of it. Three queries, and the ledger's three for the totals backed by
    evidence."""
    all_nodes = framework_nodes_of({a.framework_id, b.framework_id})
    nodes_a = [n for n in all_nodes if n.framework_id == a.framework_id]
    nodes_b = [n for n in all_nodes if n.framework_id == b.framework_id]
    scores_a: dict[int, Score] = {}
    scores_b: dict[int, Score] = {}
    for s in Score.objects.filter(round__in=[a, b]):
        (scores_a if s.round_id == a.pk else scores_b)[s.standard_id] = s
    before_a, after_b = _scored(a, nodes_a, scores_a), _scored(b, nodes_b, scores_b)
    if a.framework_id == b.framework_id:
        before = {k: services.score_row(s) for k, s in scores_a.items()}
    else:
        ids_by_code = {n.code: n.pk for n in nodes_b}
        codes = {n.pk: n.code for n in nodes_a}
        before = {
            ids_by_code[codes[k]]: services.score_row(s)
            for k, s in scores_a.items()
            if codes.get(k) in ids_by_code
        }
    changes = compare(
        [services.node_row(n) for n in nodes_b],
        before,
        {k: services.score_row(s) for k, s in scores_b.items()},
    )
    items_a = {t.node.code: t for t in before_a.totals.items}
    items = [
        ItemCompare(
            node=t.node,
            a=items_a[t.node.code].scored if t.node.code in items_a else None,
            b=t.scored,
            possible=t.possible,
        )
        for t in after_b.totals.items
    ]
    ledgers = {a.unit_campaign_id: ledger_states(a.unit_campaign)}
    if b.unit_campaign_id not in ledgers:
        ledgers[b.unit_campaign_id] = ledger_states(b.unit_campaign)
    return Comparison(
        a=before_a,
        b=after_b,
        items=items,
        changes=changes,
        backing_a=_backing(before_a, ledgers[a.unit_campaign_id]),
        backing_b=_backing(after_b, ledgers[b.unit_campaign_id]),
    )


def framework_nodes_of(framework_ids: set[int]) -> list[Node]:
    """The nodes of several systems in order (one query)."""
    return list(Node.objects.filter(framework_id__in=framework_ids).order_by("position"))

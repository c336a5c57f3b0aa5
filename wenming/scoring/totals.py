"""Totals of a scoring round: pure arithmetic on Decimals, no database.

The rules, as real systems state them:
- basic standards add their points; an unscored standard counts 0 and is listed as unscored;
- bonus standards add theirs, the bonus section together at most the system's cap;
- deduction standards (负面清单) take off incidents × points per incident, doubled (the
  system's multiplier) when the unit did not report the incident itself, each standard at
  most its own cap, the section at most the system's cap;
- any triggered veto standard (一票否决) fails the round whatever the total;
- the round passes when not vetoed and the total reaches the pass line.

`compute` takes plain rows so the office above can total hundreds of units at once from two
queries (`wenming.scoring.services.totals_for_rounds`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class NodeRow:
    id: int
    parent_id: int | None
    section: str
    is_leaf: bool
    code: str
    title: str
    points: Decimal | None
    position: int
    depth: int = 0
    per_incident: Decimal | None = None
    deduction_cap: Decimal | None = None


@dataclass(frozen=True)
class ScoreRow:
    standard_id: int
    points: Decimal | None = None
    incidents: int | None = None
    concealed: bool = False
    vetoed: bool = False


@dataclass(frozen=True)
class Rules:
    bonus_cap: Decimal | None = None
    deduction_cap: Decimal | None = None
    concealment_multiplier: Decimal = Decimal("2")
    pass_threshold: Decimal | None = None
    excellent_threshold: Decimal | None = None


@dataclass
class ItemTotal:
    node: NodeRow
    possible: Decimal = ZERO
    scored: Decimal = ZERO
    unscored: int = 0

    @property
    def lost(self) -> Decimal:
        return self.possible - self.scored

    @property
    def percent(self) -> int:
        return 0 if not self.possible else round(self.scored * 100 / self.possible)


@dataclass
class Totals:
    basic: Decimal = ZERO
    basic_possible: Decimal = ZERO
    bonus_raw: Decimal = ZERO
    bonus: Decimal = ZERO
    deduction_raw: Decimal = ZERO
    deduction: Decimal = ZERO
    total: Decimal = ZERO
    vetoed: list[NodeRow] = field(default_factory=list)
    items: list[ItemTotal] = field(default_factory=list)
    unscored: int = 0
    scored: int = 0
    threshold: Decimal | None = None
    excellent_threshold: Decimal | None = None
    # Points lost per standard, for the gap analysis (basic and bonus standards).
    lost: dict[int, Decimal] = field(default_factory=dict)
    deducted: dict[int, Decimal] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        if self.vetoed:
            return False
        return self.threshold is None or self.total >= self.threshold

    @property
    def excellent(self) -> bool:
        return (
            self.passed
            and self.excellent_threshold is not None
            and self.total >= self.excellent_threshold
        )

    @property
    def verdict(self) -> str:
        if self.vetoed:
            return "一票否决，不予通过"
        if self.threshold is None:
            return "未设达标分数线"
        if self.excellent:
            return "达到标兵分数线"
        return "达标" if self.passed else f"未达标（差{self.threshold - self.total}分）"


def deduction_for(node: NodeRow, score: ScoreRow, rules: Rules) -> Decimal:
    if not score.incidents or node.per_incident is None:
        return ZERO
    amount = node.per_incident * score.incidents
    if score.concealed:
        amount *= rules.concealment_multiplier
    if node.deduction_cap is not None:
        amount = min(amount, node.deduction_cap)
    return amount


def compute(nodes: Iterable[NodeRow], scores: Mapping[int, ScoreRow], rules: Rules) -> Totals:
    nodes = sorted(nodes, key=lambda n: n.position)
    by_id = {n.id: n for n in nodes}
    result = Totals(threshold=rules.pass_threshold, excellent_threshold=rules.excellent_threshold)
    items: dict[int, ItemTotal] = {}

    def root_of(node: NodeRow) -> NodeRow:
        while node.parent_id is not None and node.parent_id in by_id:
            node = by_id[node.parent_id]
        return node

    for node in nodes:
        if not node.is_leaf:
            continue
        score = scores.get(node.id)
        if node.section == "veto":
            if score is not None and score.vetoed:
                result.vetoed.append(node)
            continue
        if node.section == "deduction":
            if score is not None:
                amount = deduction_for(node, score, rules)
                if amount:
                    result.deducted[node.id] = amount
                    result.deduction_raw += amount
            continue
        possible = node.points or ZERO
        given = score.points if score is not None and score.points is not None else None
        if given is None:
            result.unscored += 1
        else:
            result.scored += 1
        value = given if given is not None else ZERO
        result.lost[node.id] = possible - value
        if node.section == "bonus":
            result.bonus_raw += value
            continue
        result.basic += value
        result.basic_possible += possible
        root = root_of(node)
        entry = items.setdefault(root.id, ItemTotal(node=root))
        entry.possible += possible
        entry.scored += value
        entry.unscored += given is None

    settle(result, rules)
    result.items = list(items.values())
    return result


def settle(result: Totals, rules: Rules) -> Totals:
    """Apply the bonus and deduction caps to the raw sums and work out the total."""
    result.bonus = result.bonus_raw
    if rules.bonus_cap is not None:
        result.bonus = min(result.bonus, rules.bonus_cap)
    result.deduction = result.deduction_raw
    if rules.deduction_cap is not None:
        result.deduction = min(result.deduction, rules.deduction_cap)
    result.total = max(ZERO, result.basic + result.bonus - result.deduction)
    return result


@dataclass(frozen=True)
class Change:
    node: NodeRow
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


def compare(
    nodes: Iterable[NodeRow], before: Mapping[int, ScoreRow], after: Mapping[int, ScoreRow]
) -> list[Change]:
    """Standards whose points changed between two rounds, biggest moves first."""
    changes = []
    for node in nodes:
        if not node.is_leaf or node.section not in ("basic", "bonus"):
            continue
        old = before.get(node.id)
        new = after.get(node.id)
        a = old.points if old else None
        b = new.points if new else None
        if a != b:
            changes.append(Change(node=node, before=a, after=b))
    return sorted(changes, key=lambda c: (-abs(c.delta), c.node.position))

"""Writes for scoring rounds (R6): open a round, score standards, finish it.

A score is checked against its standard: between 0 and the standard's points, on the
steps the system allows (a grade's points, a whole number of deductions, at most two
decimals); deduction standards take a count of incidents, veto standards a yes/no. A
finished round is read-only. Suggestions from the evidence ledger are offered, never
written silently: `suggest` returns them and the office accepts them explicitly.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Framework, Node, ScoringMode, Section
from wenming.orgs.models import Organization
from wenming.scoring.models import RoundKind, RoundStatus, Score, ScoringRound
from wenming.scoring.totals import NodeRow, Rules, ScoreRow, Totals, compute

ZERO = Decimal("0")


def node_row(node: Node) -> NodeRow:
    return NodeRow(
        id=node.pk,
        parent_id=node.parent_id,
        section=node.section,
        is_leaf=node.is_leaf,
        code=node.code,
        title=node.title,
        points=node.points,
        position=node.position,
        depth=node.depth,
        per_incident=node.per_incident,
        deduction_cap=node.deduction_cap,
    )


def score_row(score: Score) -> ScoreRow:
    return ScoreRow(
        standard_id=score.standard_id,
        points=score.points,
        incidents=score.incidents,
        concealed=score.concealed,
        vetoed=score.vetoed,
    )


def rules_for(round_: ScoringRound) -> Rules:
    fw = round_.framework
    return Rules(
        bonus_cap=fw.bonus_cap,
        deduction_cap=fw.deduction_cap,
        concealment_multiplier=fw.concealment_multiplier,
        pass_threshold=round_.pass_threshold
        if round_.pass_threshold is not None
        else fw.pass_threshold,
        excellent_threshold=fw.excellent_threshold,
    )


def round_totals(
    round_: ScoringRound,
    nodes: Iterable[Node] | None = None,
    *,
    scores: Iterable[Score] | None = None,
) -> Totals:
    """The round's totals, the one way every screen, API route and dashboard works them out.

    Two queries, fewer when the caller already holds the system's nodes or the round's
    scores (the scoring sheet shows both, so it passes them in)."""
    if nodes is None:
        nodes = Node.objects.filter(framework_id=round_.framework_id)
    if scores is None:
        scores = Score.objects.filter(round=round_)
    rows = {s.standard_id: score_row(s) for s in scores}
    return compute([node_row(n) for n in nodes], rows, rules_for(round_))


def rows_for_rounds(
    rounds: list[ScoringRound],
) -> tuple[dict[int, list[NodeRow]], dict[int, dict[int, ScoreRow]]]:
    """The rows `compute` takes for many rounds: each system's nodes (by framework id) and each
    round's scores (by round id), in two queries."""
    framework_ids = {r.framework_id for r in rounds}
    nodes: dict[int, list[NodeRow]] = {fid: [] for fid in framework_ids}
    for node in Node.objects.filter(framework_id__in=framework_ids):
        nodes[node.framework_id].append(node_row(node))
    scores: dict[int, dict[int, ScoreRow]] = {r.pk: {} for r in rounds}
    rows = Score.objects.filter(round__in=[r.pk for r in rounds]).values_list(
        "round_id", "standard_id", "points", "incidents", "concealed", "vetoed"
    )
    for round_id, standard_id, points, incidents, concealed, vetoed in rows.iterator(5000):
        scores[round_id][standard_id] = ScoreRow(standard_id, points, incidents, concealed, vetoed)
    return nodes, scores


def totals_for_rounds(rounds: Iterable[ScoringRound]) -> dict[int, Totals]:
    """Totals of many rounds at once (the office above totals all its units): one query for
    the nodes of each system involved and one for all the scores."""
    rounds = list(rounds)
    nodes, scores = rows_for_rounds(rounds)
    return {r.pk: compute(nodes[r.framework_id], scores[r.pk], rules_for(r)) for r in rounds}


# --- rounds ------------------------------------------------------------------------------


def round_create(
    *,
    campaign: Campaign,
    user: User,
    kind: str,
    title: str,
    scored_on: datetime.date,
    pass_threshold: Decimal | None = None,
    note: str = "",
) -> ScoringRound:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写测评轮次名称，例如“2026年第一次模拟测评”。"})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": "请选择测评类型：自评、模拟测评或正式测评。"})
    if pass_threshold is not None:
        _check_threshold(pass_threshold)
    return ScoringRound.objects.create(
        campaign=campaign,
        framework=campaign.framework,
        kind=kind,
        title=title,
        scored_on=scored_on,
        pass_threshold=pass_threshold,
        note=note.strip(),
        created_by=user,
    )


def office_round_create(
    *,
    office: Organization,
    unit: Organization,
    framework: Framework,
    user: User,
    title: str,
    scored_on: datetime.date,
) -> ScoringRound:
    """An office's formal round of a unit outside any campaign (申报 实地测评 on the unit's
    frozen submission): the app that opens it checks who may, and serves its screens."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写测评轮次名称。"})
    return ScoringRound.objects.create(
        office=office,
        unit=unit,
        framework=framework,
        kind=RoundKind.FORMAL,
        title=title[:100],
        scored_on=scored_on,
        created_by=user,
    )


def _check_threshold(value: Decimal) -> None:
    """The same limits as the column (8 digits, 2 of them decimals) and the round form."""
    if not value.is_finite():
        raise ValidationError({"pass_threshold": "达标分数线请填写数字，例如 85。"})
    if value < 0:
        raise ValidationError({"pass_threshold": "达标分数线不能是负数。"})
    if value >= Decimal("1000000"):
        raise ValidationError({"pass_threshold": "达标分数线数字过大。"})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({"pass_threshold": "达标分数线最多保留两位小数。"})


def _open(round_: ScoringRound) -> ScoringRound:
    locked = ScoringRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status != RoundStatus.OPEN or locked.removed_at is not None:
        raise ValidationError(f"“{locked.title}”已完成打分，不能再修改。")
    return locked


def round_finish(*, round_: ScoringRound, user: User) -> ScoringRound:
    with transaction.atomic():
        locked = _open(round_)
        locked.status = RoundStatus.FINISHED
        locked.finished_by = user
        locked.finished_at = timezone.now()
        locked.save()
    return locked


def round_reopen(*, round_: ScoringRound, user: User) -> ScoringRound:
    with transaction.atomic():
        locked = ScoringRound.objects.select_for_update().get(pk=round_.pk)
        if locked.status == RoundStatus.OPEN:
            raise ValidationError("该测评轮次仍在打分中。")
        locked.status = RoundStatus.OPEN
        locked.finished_at = None
        locked.save()
    return locked


# --- scores ------------------------------------------------------------------------------


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"“{value}”不是数字，请填写分数，例如 1.5。"}) from None
    if not number.is_finite():
        raise ValidationError({field: "请填写有效的分数。"})
    return number


def check_points(node: Node, points: Decimal) -> None:
    """Is `points` a score this standard can be given?"""
    top = node.points or ZERO
    label = f"{node.code}（满分{_fmt(top)}分）"
    if points < 0:
        raise ValidationError({"points": f"{label}的得分不能小于0。"})
    if points > top:
        raise ValidationError({"points": f"{label}的得分不能超过{_fmt(top)}分。"})
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError({"points": f"{label}的得分最多保留两位小数。"})
    if node.scoring_mode == ScoringMode.GRADE and node.grades:
        allowed = {Decimal(str(g["points"])) for g in node.grades}
        if points not in allowed:
            options = "、".join(
                f"{g['label']}（{_fmt(Decimal(str(g['points'])))}分）" for g in node.grades
            )
            raise ValidationError({"points": f"{label}按等级评分，只能选：{options}。"})
    if node.scoring_mode == ScoringMode.DEDUCT and node.deduction_step:
        lost = top - points
        if points > 0 and lost % node.deduction_step != 0:
            raise ValidationError(
                {
                    "points": f"{label}按每处扣{_fmt(node.deduction_step)}分计，得分须为满分减去整数次扣分。"
                }
            )


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def score_set(
    *,
    round_: ScoringRound,
    standard: Node,
    user: User,
    points: Any = None,
    grade: str = "",
    incidents: Any = None,
    concealed: bool = False,
    vetoed: bool = False,
    method: str = "",
    comment: str = "",
    evidence: Iterable[Any] | None = None,
    suggested: bool = False,
) -> Score:
    if standard.framework_id != round_.framework_id or not standard.is_leaf:
        raise ValidationError("该测评标准不属于本轮测评所用的测评体系。")
    values: dict[str, Any] = {
        "method": (method or "").strip()[:40],
        "comment": (comment or "").strip(),
        "scored_by": user,
        "suggested": suggested,
        "points": None,
        "grade": "",
        "incidents": None,
        "concealed": False,
        "vetoed": False,
    }
    if standard.section == Section.VETO:
        values["vetoed"] = bool(vetoed)
        if vetoed and not values["comment"]:
            raise ValidationError({"comment": "触发一票否决须写明事实和依据。"})
    elif standard.section == Section.DEDUCTION:
        count = _decimal(incidents, "incidents")
        if count is None:
            count = ZERO
        if count < 0 or count != count.to_integral_value():
            raise ValidationError({"incidents": "发生次数须为0或正整数。"})
        values["incidents"] = int(count)
        values["concealed"] = bool(concealed) and count > 0
    else:
        if grade and standard.grades and points in (None, ""):
            match = [g for g in standard.grades if g["label"] == grade]
            if not match:
                raise ValidationError({"points": f"“{grade}”不是{standard.code}的评分等级。"})
            points = match[0]["points"]
        number = _decimal(points, "points")
        if number is None:
            raise ValidationError({"points": f"请填写{standard.code}的得分。"})
        check_points(standard, number)
        values["points"] = number
        if standard.grades:
            values["grade"] = next(
                (g["label"] for g in standard.grades if Decimal(str(g["points"])) == number), ""
            )[:10]
        if number < (standard.points or ZERO) and not values["comment"] and not suggested:
            raise ValidationError({"comment": f"{standard.code}有失分，请写明扣分理由。"})
    with transaction.atomic():
        _open(round_)
        score, _ = Score.objects.update_or_create(round=round_, standard=standard, defaults=values)
        if evidence is not None:
            score.evidence.set(list(evidence))
    return score


@dataclass(frozen=True)
class Suggestion:
    standard: Node
    points: Decimal
    reason: str


def suggest(round_: ScoringRound) -> list[Suggestion]:
    """Scores the evidence ledger suggests for unscored basic standards (never saved here).

    A standard whose proof is complete and approved suggests full points; one with
    incomplete proof half; one with no proof zero. The office reviews each before saving.
    """
    from wenming.ledger.completeness import StandardState, standard_rows

    scored = set(Score.objects.filter(round=round_).values_list("standard_id", flat=True))
    out = []
    for row in standard_rows(round_.unit_campaign):
        node = row.node
        if node.pk in scored or node.section != Section.BASIC or not node.points:
            continue
        if row.state == StandardState.COMPLETE:
            points, reason = node.points, "台账完备且已审核通过"
        elif row.state == StandardState.MISSING:
            points, reason = ZERO, "尚无台账"
        else:
            points, reason = _nearest_allowed(node, node.points / 2), f"台账{row.label}"
        out.append(Suggestion(standard=node, points=points, reason=reason))
    return out


def _nearest_allowed(node: Node, target: Decimal) -> Decimal:
    if node.scoring_mode == ScoringMode.GRADE and node.grades:
        options = sorted(Decimal(str(g["points"])) for g in node.grades)
        return min(options, key=lambda p: (abs(p - target), p))
    if node.scoring_mode == ScoringMode.DEDUCT and node.deduction_step:
        top = node.points or ZERO
        steps = ((top - target) / node.deduction_step).to_integral_value()
        return max(ZERO, top - steps * node.deduction_step)
    return target.quantize(Decimal("0.01"))

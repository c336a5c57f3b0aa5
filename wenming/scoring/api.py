"""API routes for scoring rounds (R6): rounds, scores, totals, gaps, two rounds compared.

Access goes through `wenming.scoring.access` (404 for what the user cannot see, 403 for what
they see but may not score); writes through `wenming.scoring.services`; what a round tells
(totals, gaps, comparisons) through `wenming.scoring.analysis`, as the screens do. Input is
read by the schemas below; a refused score or round (a service's `ValidationError`, or a
`Refused` here) is answered by the handlers in `wenming/api.py`: 422 with the Chinese
sentence in `detail` and the field errors in `errors`. Points are decimal strings ("1.50").
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from wenming.campaigns import access as campaign_access
from wenming.core.api_input import ErrorOut, Input, Refused, column_length
from wenming.core.api_input import user_of as _user
from wenming.frameworks.models import Node
from wenming.scoring import access, analysis, backed, services
from wenming.scoring.backed import Backing
from wenming.scoring.models import RoundKind, Score, ScoringRound
from wenming.tasks.models import Task

router = Router(tags=["测评打分"])

# What a write may answer besides success, documented in the OpenAPI schema; the handlers in
# `wenming/api.py` build these responses.
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


CENT = Decimal("0.01")


def _s(value: Decimal) -> str:
    """Points as a decimal string with two places, the way the database stores them."""
    return str(Decimal(value).quantize(CENT))


def _d(value: Decimal | None) -> str | None:
    return None if value is None else _s(value)


class RoundOut(Schema):
    id: int
    campaign_id: int | None = Field(
        description="自评、模拟测评和单位创建工作上的正式测评所属的创建工作"
    )
    office_id: int | None = Field(description="申报实地测评（在冻结的申报材料上打分）所属的文明办")
    unit_id: int | None = Field(description="申报实地测评所评的单位")
    framework_id: int
    kind: str
    kind_label: str
    title: str
    scored_on: datetime.date
    pass_threshold: str | None
    status: str
    note: str
    finished_at: datetime.datetime | None


class ItemTotalOut(Schema):
    code: str
    title: str
    possible: str
    scored: str
    unscored: int


class UnbackedOut(Schema):
    standard_id: int
    code: str
    title: str
    points: str = Field(description="自评所打的分")
    ledger_state: str = Field(description="台账状态：pending、returned、incomplete、missing")
    ledger_state_label: str


class BackedOut(Schema):
    """有佐证得分：台账未完备的标准按0分计，其余与自评相同；是否达标以此为准。"""

    basic: str
    bonus: str
    total: str
    threshold: str | None
    passed: bool
    verdict: str
    difference: str = Field(description="自评得分减去有佐证得分")
    unbacked_count: int = Field(description="打了分但台账不完整的标准数")
    unbacked_points: str = Field(description="这些标准所打的分之和")
    sentence: str
    unbacked: list[UnbackedOut]


class TotalsOut(Schema):
    basic: str
    basic_possible: str
    bonus_raw: str
    bonus: str
    deduction_raw: str
    deduction: str
    total: str
    threshold: str | None
    passed: bool
    verdict: str
    vetoed: list[str]
    scored: int
    unscored: int
    items: list[ItemTotalOut]
    backed: BackedOut


class RoundDetailOut(RoundOut):
    totals: TotalsOut


class RoundIn(Input):
    kind: str = Field(
        max_length=column_length(ScoringRound, "kind"),
        description="self 自评、mock 模拟测评、formal 正式测评",
    )
    title: str = Field(max_length=column_length(ScoringRound, "title"))
    scored_on: datetime.date
    pass_threshold: Decimal | None = Field(None, description="不填按测评体系的达标分数线")
    note: str = ""


class ScoreOut(Schema):
    id: int
    standard_id: int
    code: str
    points: str | None
    grade: str
    incidents: int | None
    concealed: bool
    vetoed: bool
    method: str
    comment: str
    suggested: bool


class ScoreIn(Input):
    standard_id: int | None = Field(None, description="测评标准的 id；或用 code")
    code: str | None = Field(
        None, max_length=column_length(Node, "code"), description="测评标准编号，如 A1-2"
    )
    points: Decimal | None = None
    grade: str = Field(
        "",
        max_length=column_length(Score, "grade"),
        description="等级名称，按等级评分的标准可代替 points",
    )
    incidents: int | None = Field(None, description="负面清单：发生次数")
    concealed: bool = Field(False, description="负面清单：未主动报告（扣分加倍）")
    vetoed: bool = Field(False, description="一票否决：是否触发")
    method: str = Field("", max_length=column_length(Score, "method"))
    comment: str = ""

    def score_values(self) -> dict[str, Any]:
        """The score as `services.score_set` takes it."""
        return self.dict(exclude={"standard_id", "code"})


class CompareQuery(Schema):
    a: int = Field(description="之前的测评轮次 id")
    b: int = Field(description="之后的测评轮次 id")


class ChangeOut(Schema):
    code: str
    title: str
    before: str | None
    after: str | None
    delta: str


class CompareOut(Schema):
    a: RoundDetailOut
    b: RoundDetailOut
    changes: list[ChangeOut]


class GapTaskOut(Schema):
    id: int
    title: str
    lead_department: str | None
    responsible: str | None


class GapOut(Schema):
    code: str
    title: str
    section: str
    kind: str
    lost: str
    comment: str
    ledger_state: str | None
    tasks: list[GapTaskOut]


def round_out(round_: ScoringRound) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "campaign_id": round_.campaign_id,
        "office_id": round_.office_id,
        "unit_id": round_.unit_id,
        "framework_id": round_.framework_id,
        "kind": round_.kind,
        "kind_label": RoundKind(round_.kind).label,
        "title": round_.title,
        "scored_on": round_.scored_on,
        "pass_threshold": _d(round_.pass_threshold),
        "status": round_.status,
        "note": round_.note,
        "finished_at": round_.finished_at,
    }


def _backed_out(backing: Backing) -> dict[str, Any]:
    totals = backing.backed
    return {
        "basic": _s(totals.basic),
        "bonus": _s(totals.bonus),
        "total": _s(totals.total),
        "threshold": _d(totals.threshold),
        "passed": totals.passed,
        "verdict": totals.verdict,
        "difference": _s(backing.difference),
        "unbacked_count": backing.count,
        "unbacked_points": _s(backing.points),
        "sentence": backing.sentence,
        "unbacked": [
            {
                "standard_id": u.node.id,
                "code": u.node.code,
                "title": u.node.title,
                "points": _s(u.points),
                "ledger_state": u.state,
                "ledger_state_label": u.label,
            }
            for u in backing.unbacked
        ],
    }


def _totals_out(backing: Backing) -> dict[str, Any]:
    totals = backing.claimed
    return {
        "basic": _s(totals.basic),
        "basic_possible": _s(totals.basic_possible),
        "bonus_raw": _s(totals.bonus_raw),
        "bonus": _s(totals.bonus),
        "deduction_raw": _s(totals.deduction_raw),
        "deduction": _s(totals.deduction),
        "total": _s(totals.total),
        "threshold": _d(totals.threshold),
        "passed": totals.passed,
        "verdict": totals.verdict,
        "vetoed": [v.code for v in totals.vetoed],
        "scored": totals.scored,
        "unscored": totals.unscored,
        "items": [
            {
                "code": i.node.code,
                "title": i.node.title,
                "possible": _s(i.possible),
                "scored": _s(i.scored),
                "unscored": i.unscored,
            }
            for i in totals.items
        ],
        "backed": _backed_out(backing),
    }


def round_detail_out(round_: ScoringRound, backing: Backing | None = None) -> dict[str, Any]:
    """The round and its totals: as scored (自评), with the backed figure in `backed`."""
    if backing is None:
        backing = backed.round_backing(round_)
    return {**round_out(round_), "totals": _totals_out(backing)}


def score_out(score: Score, code: str) -> dict[str, Any]:
    return {
        "id": score.pk,
        "standard_id": score.standard_id,
        "code": code,
        "points": _d(score.points),
        "grade": score.grade,
        "incidents": score.incidents,
        "concealed": score.concealed,
        "vetoed": score.vetoed,
        "method": score.method,
        "comment": score.comment,
        "suggested": score.suggested,
    }


def _task_out(task: Task) -> dict[str, Any]:
    person = task.responsible
    return {
        "id": task.pk,
        "title": task.title,
        "lead_department": task.lead_department.name if task.lead_department else None,
        "responsible": (person.get_full_name() or person.username) if person else None,
    }


@router.get(
    "/campaigns/{campaign_id}/rounds",
    response=list[RoundDetailOut],
    summary="创建工作的测评轮次",
    url_name="scoring_round_list",
)
def round_list(request: HttpRequest, campaign_id: int) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    rounds = list(access.visible_rounds(request.user).filter(campaign=campaign))
    backings = backed.backing_for_rounds(rounds, [campaign])
    return [round_detail_out(r, backings[r.pk]) for r in rounds]


@router.post(
    "/campaigns/{campaign_id}/rounds",
    response={201: RoundOut, **ERRORS},
    summary="新建测评轮次",
    url_name="scoring_round_create",
)
def round_create(request: HttpRequest, campaign_id: int, payload: RoundIn) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    if not any(access.can_create_round(request.user, campaign, k) for k in RoundKind.values):
        raise PermissionDenied("只有本单位创建办或上级文明办可以新建测评轮次。")
    if payload.kind in RoundKind.values and not access.can_create_round(
        request.user, campaign, payload.kind
    ):
        raise access.create_refusal(request.user, campaign, payload.kind)
    round_ = services.round_create(
        campaign=campaign,
        user=_user(request),
        kind=payload.kind,
        title=payload.title,
        scored_on=payload.scored_on,
        pass_threshold=payload.pass_threshold,
        note=payload.note,
    )
    return Status(201, round_out(round_))


@router.get(
    "/rounds/{round_id}",
    response=RoundDetailOut,
    summary="测评轮次详情与得分汇总",
    url_name="scoring_round_detail",
)
def round_detail(request: HttpRequest, round_id: int) -> Any:
    return round_detail_out(access.get_round_for_user(request.user, round_id))


@router.get(
    "/rounds/{round_id}/scores",
    response=list[ScoreOut],
    summary="各标准得分",
    url_name="scoring_score_list",
)
def score_list(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id)
    scores = (
        Score.objects.filter(round=round_).select_related("standard").order_by("standard__position")
    )
    return [score_out(s, s.standard.code) for s in scores]


def standard_named(round_: ScoringRound, payload: ScoreIn) -> Node:
    """The standard the payload names, by id or by code, in the round's system."""
    nodes = Node.objects.filter(framework_id=round_.framework_id, is_leaf=True)
    if payload.standard_id is not None:
        field, standard = "standard_id", nodes.filter(pk=payload.standard_id).first()
    elif payload.code and payload.code.strip():
        field, standard = "code", nodes.filter(code=payload.code.strip()).first()
    else:
        message = "请用 standard_id 或 code 指明要打分的测评标准。"
        raise Refused(message, {"standard_id": [message]})
    if standard is None:
        message = "该测评标准不属于本轮测评所用的测评体系。"
        raise Refused(message, {field: [message]})
    return standard


@router.post(
    "/rounds/{round_id}/scores",
    response={200: ScoreOut, **ERRORS},
    summary="为一项标准打分",
    url_name="scoring_score_set",
)
def score_set(request: HttpRequest, round_id: int, payload: ScoreIn) -> Any:
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    standard = standard_named(round_, payload)
    score = services.score_set(
        round_=round_, standard=standard, user=_user(request), **payload.score_values()
    )
    return score_out(score, standard.code)


@router.post(
    "/rounds/{round_id}/finish",
    response={200: RoundDetailOut, **ERRORS},
    summary="完成打分（锁定得分）",
    url_name="scoring_round_finish",
)
def round_finish(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    services.round_finish(round_=round_, user=_user(request))
    return round_detail_out(access.get_round_for_user(request.user, round_id))


@router.post(
    "/rounds/{round_id}/reopen",
    response={200: RoundDetailOut, **ERRORS},
    summary="重新打开已完成的测评轮次",
    url_name="scoring_round_reopen",
)
def round_reopen(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    services.round_reopen(round_=round_, user=_user(request))
    return round_detail_out(access.get_round_for_user(request.user, round_id))


@router.get(
    "/rounds/{round_id}/gaps",
    response=list[GapOut],
    summary="失分分析（按失分从多到少）",
    url_name="scoring_gaps",
)
def gaps(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id)
    found = analysis.gaps(round_, timezone.localdate())
    return [
        {
            "code": r.node.code,
            "title": r.node.title,
            "section": r.node.section,
            "kind": r.kind,
            "lost": _s(r.lost),
            "comment": r.score.comment if r.score else "",
            "ledger_state": r.ledger.state if r.ledger else None,
            "tasks": [_task_out(t) for t in r.tasks],
        }
        for r in found.rows
    ]


@router.get(
    "/compare",
    response=CompareOut,
    summary="两个测评轮次对比",
    url_name="scoring_compare",
)
def compare_rounds(request: HttpRequest, query: Query[CompareQuery]) -> Any:
    round_a = access.get_round_for_user(request.user, query.a)
    round_b = access.get_round_for_user(request.user, query.b)
    found = analysis.compare_rounds(round_a, round_b)
    return {
        "a": round_detail_out(round_a, found.backing_a),
        "b": round_detail_out(round_b, found.backing_b),
        "changes": [
            {
                "code": c.node.code,
                "title": c.node.title,
                "before": _d(c.before),
                "after": _d(c.after),
                "delta": _s(c.delta),
            }
            for c in found.changes
        ],
    }

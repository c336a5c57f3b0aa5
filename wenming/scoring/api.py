"""API routes for scoring rounds (R6): rounds, scores, totals, gaps, two rounds compared.

Access goes through `wenming.scoring.access` (404 for what the user cannot see, 403 for what
they see but may not score); writes through `wenming.scoring.services`. A refused score
answers 400 with the Chinese sentence in `detail` and the field errors in `errors`.
Points are decimal strings ("1.50").
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from wenming.campaigns import access as campaign_access
from wenming.core.api_input import user_of as _user
from wenming.frameworks.models import Node
from wenming.scoring import access, services
from wenming.scoring.models import RoundKind, Score, ScoringRound
from wenming.scoring.totals import Totals, compare
from wenming.scoring.views import _framework_nodes, _scores, _totals, gap_rows

router = Router(tags=["测评打分"])


CENT = Decimal("0.01")


def _s(value: Decimal) -> str:
    """Points as a decimal string with two places, the way the database stores them."""
    return str(Decimal(value).quantize(CENT))


def _d(value: Decimal | None) -> str | None:
    return None if value is None else _s(value)


class RoundOut(Schema):
    id: int
    campaign_id: int
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


class RoundDetailOut(RoundOut):
    totals: TotalsOut


class RoundIn(Schema):
    kind: str
    title: str
    scored_on: datetime.date
    pass_threshold: Decimal | None = None
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


class ScoreIn(Schema):
    standard_id: int | None = None
    code: str | None = None
    points: Decimal | None = None
    grade: str = ""
    incidents: int | None = None
    concealed: bool = False
    vetoed: bool = False
    method: str = ""
    comment: str = ""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


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


class GapOut(Schema):
    code: str
    title: str
    section: str
    kind: str
    lost: str
    comment: str
    ledger_state: str | None
    tasks: list[dict[str, Any]]


def _round_out(round_: ScoringRound) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "campaign_id": round_.campaign_id,
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


def _totals_out(totals: Totals) -> dict[str, Any]:
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
    }


def _detail(round_: ScoringRound) -> dict[str, Any]:
    nodes = _framework_nodes(round_.framework_id)
    return {**_round_out(round_), "totals": _totals_out(_totals(round_, nodes, _scores(round_)))}


def _score_out(score: Score, code: str) -> dict[str, Any]:
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


def _error(exc: ValidationError) -> Status:
    errors: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        errors = {field: ValidationError(e).messages for field, e in exc.error_dict.items()}
    return Status(400, {"detail": "；".join(exc.messages), "errors": errors})


def _body(request: HttpRequest, schema: type[Schema]) -> Any:
    """Read the body after the access check, so nobody learns about what they cannot see."""
    try:
        data = (
            json.loads(request.body or b"{}")
            if request.content_type == "application/json"
            else request.POST.dict()
        )
        return schema.model_validate(data)
    except (ValueError, PydanticValidationError):
        fields = "、".join(schema.model_fields)
        return Status(400, {"detail": f"请求内容有误，请以 JSON 提交这些字段：{fields}。"})


@router.get(
    "/campaigns/{campaign_id}/rounds",
    response=list[RoundDetailOut],
    summary="创建工作的测评轮次",
    url_name="scoring_round_list",
)
def round_list(request: HttpRequest, campaign_id: int) -> Any:
    from wenming.scoring.views import _round_lines

    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    rounds = list(access.visible_rounds(request.user).filter(campaign=campaign))
    return [
        {**_round_out(line.round), "totals": _totals_out(line.totals)}
        for line in _round_lines(rounds)
    ]


@router.post(
    "/campaigns/{campaign_id}/rounds",
    response={201: RoundOut, 400: ErrorOut},
    summary="新建测评轮次",
    url_name="scoring_round_create",
)
def round_create(request: HttpRequest, campaign_id: int) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    if not any(access.can_create_round(request.user, campaign, k) for k in RoundKind.values):
        raise PermissionDenied("只有本单位创建办或上级文明办可以新建测评轮次。")
    payload = _body(request, RoundIn)
    if isinstance(payload, Status):
        return payload
    if payload.kind in RoundKind.values and not access.can_create_round(
        request.user, campaign, payload.kind
    ):
        raise PermissionDenied("正式测评由上级文明办新建和打分，本单位只能进行自评和模拟测评。")
    try:
        round_ = services.round_create(
            campaign=campaign,
            user=_user(request),
            kind=payload.kind,
            title=payload.title,
            scored_on=payload.scored_on,
            pass_threshold=payload.pass_threshold,
            note=payload.note,
        )
    except ValidationError as exc:
        return _error(exc)
    return Status(201, _round_out(round_))


@router.get(
    "/rounds/{round_id}",
    response=RoundDetailOut,
    summary="测评轮次详情与得分汇总",
    url_name="scoring_round_detail",
)
def round_detail(request: HttpRequest, round_id: int) -> Any:
    return _detail(access.get_round_for_user(request.user, round_id))


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
    return [_score_out(s, s.standard.code) for s in scores]


@router.post(
    "/rounds/{round_id}/scores",
    response={200: ScoreOut, 400: ErrorOut},
    summary="为一项标准打分",
    url_name="scoring_score_set",
)
def score_set(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    payload = _body(request, ScoreIn)
    if isinstance(payload, Status):
        return payload
    nodes = Node.objects.filter(framework_id=round_.framework_id, is_leaf=True)
    if payload.standard_id is not None:
        standard = nodes.filter(pk=payload.standard_id).first()
    elif payload.code:
        standard = nodes.filter(code=payload.code.strip()).first()
    else:
        return Status(400, {"detail": "请用 standard_id 或 code 指明要打分的测评标准。"})
    if standard is None:
        return Status(400, {"detail": "该测评标准不属于本轮测评所用的测评体系。"})
    try:
        score = services.score_set(
            round_=round_,
            standard=standard,
            user=_user(request),
            points=payload.points,
            grade=payload.grade,
            incidents=payload.incidents,
            concealed=payload.concealed,
            vetoed=payload.vetoed,
            method=payload.method,
            comment=payload.comment,
        )
    except ValidationError as exc:
        return _error(exc)
    return _score_out(score, standard.code)


@router.post(
    "/rounds/{round_id}/finish",
    response={200: RoundDetailOut, 400: ErrorOut},
    summary="完成打分（锁定得分）",
    url_name="scoring_round_finish",
)
def round_finish(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    try:
        services.round_finish(round_=round_, user=_user(request))
    except ValidationError as exc:
        return _error(exc)
    return _detail(access.get_round_for_user(request.user, round_id))


@router.post(
    "/rounds/{round_id}/reopen",
    response={200: RoundDetailOut, 400: ErrorOut},
    summary="重新打开已完成的测评轮次",
    url_name="scoring_round_reopen",
)
def round_reopen(request: HttpRequest, round_id: int) -> Any:
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    try:
        services.round_reopen(round_=round_, user=_user(request))
    except ValidationError as exc:
        return _error(exc)
    return _detail(access.get_round_for_user(request.user, round_id))


@router.get(
    "/rounds/{round_id}/gaps",
    response=list[GapOut],
    summary="失分分析（按失分从多到少）",
    url_name="scoring_gaps",
)
def gaps(request: HttpRequest, round_id: int) -> Any:
    from wenming.ledger.completeness import standard_rows
    from wenming.scoring.views import _tasks_by_standard

    round_ = access.get_round_for_user(request.user, round_id)
    nodes = _framework_nodes(round_.framework_id)
    scores = _scores(round_)
    rows = gap_rows(nodes, scores, _totals(round_, nodes, scores))
    ledger = {r.node.pk: r for r in standard_rows(round_.campaign)}
    tasks = _tasks_by_standard(round_.campaign)
    return [
        {
            "code": r.node.code,
            "title": r.node.title,
            "section": r.node.section,
            "kind": r.kind,
            "lost": _s(r.lost),
            "comment": r.score.comment if r.score else "",
            "ledger_state": ledger[r.node.pk].state if r.node.pk in ledger else None,
            "tasks": [
                {
                    "id": t.pk,
                    "title": t.title,
                    "lead_department": t.lead_department.name if t.lead_department else None,
                    "responsible": (t.responsible.get_full_name() or t.responsible.username)
                    if t.responsible
                    else None,
                }
                for t in tasks.get(r.node.pk, [])
            ],
        }
        for r in rows
    ]


@router.get(
    "/compare",
    response=CompareOut,
    summary="两个测评轮次对比",
    url_name="scoring_compare",
)
def compare_rounds(request: HttpRequest, a: int, b: int) -> Any:
    round_a = access.get_round_for_user(request.user, a)
    round_b = access.get_round_for_user(request.user, b)
    nodes_b = _framework_nodes(round_b.framework_id)
    scores_a = _scores(round_a)
    scores_b = _scores(round_b)
    by_code = {n.code: n.pk for n in nodes_b}
    codes_a = (
        {n.pk: n.code for n in _framework_nodes(round_a.framework_id)}
        if round_a.framework_id != round_b.framework_id
        else None
    )
    before = {
        (by_code.get(codes_a.get(k, "")) if codes_a is not None else k): services.score_row(s)
        for k, s in scores_a.items()
    }
    changes = compare(
        [services.node_row(n) for n in nodes_b],
        {k: v for k, v in before.items() if k is not None},
        {k: services.score_row(s) for k, s in scores_b.items()},
    )
    return {
        "a": _detail(round_a),
        "b": _detail(round_b),
        "changes": [
            {
                "code": c.node.code,
                "title": c.node.title,
                "before": _d(c.before),
                "after": _d(c.after),
                "delta": _s(c.delta),
            }
            for c in changes
        ],
    }

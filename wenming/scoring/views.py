"""Screens for scoring (R6): a campaign's rounds, the scoring sheet, suggestions from the
ledger, the gap analysis and two rounds compared.

Every round is fetched through `wenming.scoring.access`; every write goes through
`wenming.scoring.services`. A refused score (above the standard's points, no reason given,
a finished round) answers 400 with the Chinese sentence in the standard's row; the same
person may reopen a finished round, so that refusal is about its state, not a permission.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core import registry
from wenming.frameworks.models import Node, ScoringMode, Section
from wenming.http import AuthenticatedHttpRequest
from wenming.scoring import access, services
from wenming.scoring.forms import RoundForm, ScoreForm
from wenming.scoring.models import RoundKind, Score, ScoringRound
from wenming.scoring.totals import Change, Totals, compare, compute

ZERO = Decimal("0")
SECTION_ORDER = [Section.BASIC, Section.BONUS, Section.DEDUCTION, Section.VETO]


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
        ("测评打分", reverse("scoring:rounds", args=[campaign.pk]) if tail else None),
    ]
    crumbs.extend(tail)
    return crumbs


def _messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _ledger_items_url(campaign: Campaign) -> str | None:
    """The ledger's item list, when that screen exists in this installation."""
    try:
        return reverse("ledger:items", args=[campaign.pk])
    except NoReverseMatch:
        return None


def _ledger_states(campaign: Campaign) -> dict[int, Any]:
    from wenming.ledger.completeness import standard_rows

    return {row.node.pk: row for row in standard_rows(campaign)}


@dataclass
class EvidenceChoices:
    """The ledger items that may back each standard's score, and those a score cites."""

    options: dict[int, list[tuple[int, str, str]]]
    linked: dict[int, set[int]]


def _evidence(round_: ScoringRound) -> EvidenceChoices:
    """Two queries: the campaign's live items per standard, and the round's citations."""
    from wenming.ledger.models import EvidenceItem, ItemStatus

    labels = dict(ItemStatus.choices)
    options: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    links = (
        EvidenceItem.standards.through.objects.filter(
            evidenceitem__campaign=round_.campaign, evidenceitem__removed_at__isnull=True
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


def _cited_items(
    request: AuthenticatedHttpRequest, round_: ScoringRound, standard: Node
) -> list[Any] | None:
    """The ledger items the form cites for this standard; None when it offers none, so a
    save from elsewhere (the API, suggestions) leaves existing citations alone."""
    from wenming.ledger.models import EvidenceItem

    if "evidence_offered" not in request.POST:
        return None
    ids = [int(v) for v in request.POST.getlist("evidence") if v.isdigit()]
    return list(
        EvidenceItem.objects.live().filter(pk__in=ids, campaign=round_.campaign, standards=standard)
    )


def _framework_nodes(framework_id: int) -> list[Node]:
    return list(Node.objects.filter(framework_id=framework_id).order_by("position"))


def _scores(round_: ScoringRound) -> dict[int, Score]:
    return {
        s.standard_id: s for s in Score.objects.filter(round=round_).select_related("scored_by")
    }


def _totals(round_: ScoringRound, nodes: list[Node], scores: dict[int, Score]) -> Totals:
    return compute(
        [services.node_row(n) for n in nodes],
        {k: services.score_row(s) for k, s in scores.items()},
        services.rules_for(round_),
    )


def _verdict_class(totals: Totals) -> str:
    if totals.vetoed:
        return "dark"
    if totals.threshold is None:
        return "secondary"
    return "success" if totals.passed else "danger"


# --- a campaign's rounds -----------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The nav link: straight to the rounds when the user sees one active campaign."""
    campaigns = list(
        campaign_access.visible_campaigns(request.user)
        .annotate(round_count=Count("rounds", filter=Q(rounds__removed_at__isnull=True)))
        .order_by("-is_active", "unit__path", "-cycle_start", "-id")
    )
    active = [c for c in campaigns if c.is_active]
    if len(active) == 1:
        return redirect("scoring:rounds", campaign_pk=active[0].pk)
    return render(
        request,
        "scoring/index.html",
        {"campaigns": campaigns, "crumbs": [("测评打分", None)]},
    )


@dataclass
class RoundLine:
    round: ScoringRound
    totals: Totals

    @property
    def verdict_class(self) -> str:
        return _verdict_class(self.totals)

    @property
    def short_verdict(self) -> str:
        if self.totals.vetoed:
            return "一票否决"
        if self.totals.threshold is None:
            return "未设分数线"
        return "达标" if self.totals.passed else "未达标"


def _round_lines(rounds: list[ScoringRound]) -> list[RoundLine]:
    """Totals of many rounds from two queries: their systems' nodes and all their scores."""
    framework_ids = {r.framework_id for r in rounds}
    nodes: dict[int, list[Node]] = defaultdict(list)
    for node in Node.objects.filter(framework_id__in=framework_ids).order_by("position"):
        nodes[node.framework_id].append(node)
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(round__in=rounds):
        scores[score.round_id][score.standard_id] = score
    return [RoundLine(r, _totals(r, nodes[r.framework_id], scores[r.pk])) for r in rounds]


def _creatable_kinds(user: Any, campaign: Campaign) -> list[str]:
    return [k for k in RoundKind.values if access.can_create_round(user, campaign, k)]


@login_required
def round_list(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    kinds = _creatable_kinds(request.user, campaign)
    form = None
    if kinds:
        initial: dict[str, Any] = {
            "kind": RoundKind.MOCK if RoundKind.MOCK in kinds else kinds[0],
            "scored_on": timezone.localdate(),
        }
        form = RoundForm(
            request.POST if request.method == "POST" else None, kinds=kinds, initial=initial
        )
    elif request.method == "POST":
        raise PermissionDenied("只有本单位创建办或上级文明办可以新建测评轮次。")
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                campaign=campaign,
                user=request.user,
                kind=data["kind"],
                title=data["title"],
                scored_on=data["scored_on"],
                pass_threshold=data["pass_threshold"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已新建测评轮次“{round_.title}”，可以逐项打分了。")
            return redirect("scoring:sheet", pk=round_.pk)
    rounds = list(access.visible_rounds(request.user).filter(campaign=campaign))
    return render(
        request,
        "scoring/rounds.html",
        {
            "campaign": campaign,
            "lines": _round_lines(rounds),
            "form": form,
            "crumbs": _crumbs(campaign),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


# --- the scoring sheet -------------------------------------------------------------------


@dataclass
class SheetRow:
    node: Node
    score: Score | None
    ledger: Any = None
    ledger_url: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lost: Decimal | None = None
    deducted: Decimal | None = None
    saved: bool = False
    evidence_options: list[tuple[int, str, str]] = field(default_factory=list)
    linked: set[int] = field(default_factory=set)

    @property
    def cited(self) -> list[tuple[int, str, str]]:
        return [o for o in self.evidence_options if o[0] in self.linked]

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


def _values(score: Score | None) -> dict[str, Any]:
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


def _row(
    node: Node,
    score: Score | None,
    totals: Totals,
    ledger: dict[int, Any],
    ledger_url: str | None,
    evidence: EvidenceChoices,
) -> SheetRow:
    return SheetRow(
        node=node,
        evidence_options=evidence.options.get(node.pk, []),
        linked=evidence.linked.get(node.pk, set()),
        score=score,
        ledger=ledger.get(node.pk),
        ledger_url=f"{ledger_url}?standard={node.pk}" if ledger_url else None,
        values=_values(score),
        lost=totals.lost.get(node.pk) if score is not None else None,
        deducted=totals.deducted.get(node.pk),
    )


def _sheet_entries(
    round_: ScoringRound,
    nodes: list[Node],
    scores: dict[int, Score],
    totals: Totals,
) -> list[dict[str, Any]]:
    """The tree in order: a heading per section, per item and content, a row per standard."""
    ledger = _ledger_states(round_.campaign)
    ledger_url = _ledger_items_url(round_.campaign)
    evidence = _evidence(round_)
    items = {t.node.id: t for t in totals.items}
    by_section: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        by_section[node.section].append(node)
    entries: list[dict[str, Any]] = []
    for section in SECTION_ORDER:
        if not by_section[section]:
            continue
        entries.append({"section": Section(section).label, "key": section})
        for node in by_section[section]:
            if node.is_leaf:
                entries.append(
                    {"row": _row(node, scores.get(node.pk), totals, ledger, ledger_url, evidence)}
                )
            else:
                entries.append({"heading": node, "item": items.get(node.pk)})
    return entries


def _sheet_context(request: AuthenticatedHttpRequest, round_: ScoringRound) -> dict[str, Any]:
    nodes = _framework_nodes(round_.framework_id)
    scores = _scores(round_)
    totals = _totals(round_, nodes, scores)
    can_score = access.can_score_round(request.user, round_)
    return {
        "round": round_,
        "campaign": round_.campaign,
        "entries": _sheet_entries(round_, nodes, scores, totals),
        "totals": totals,
        "verdict_class": _verdict_class(totals),
        "can_score": can_score,
        "editable": can_score and round_.is_open,
        "crumbs": _crumbs(round_.campaign, (round_.title, None)),
    }


@login_required
def sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    return render(request, "scoring/sheet.html", _sheet_context(request, round_))


@login_required
@require_POST
def score(request: AuthenticatedHttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    standard = Node.objects.filter(
        pk=standard_pk, framework_id=round_.framework_id, is_leaf=True
    ).first()
    if standard is None:
        raise Http404("该测评标准不属于本轮测评所用的测评体系。")
    form = ScoreForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.score_set(
                round_=round_,
                standard=standard,
                user=request.user,
                evidence=_cited_items(request, round_, standard),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            errors = _messages(exc)
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]

    if not request.htmx:
        if errors:
            context = _sheet_context(request, round_)
            for entry in context["entries"]:
                row = entry.get("row")
                if row is not None and row.node.pk == standard.pk:
                    row.errors = errors
                    row.values = _posted_values(request)
            messages.error(request, f"{standard.code}未保存：{'；'.join(errors)}")
            return render(request, "scoring/sheet.html", context, status=400)
        messages.success(request, f"已保存{standard.code}的得分。")
        return redirect(f"{reverse('scoring:sheet', args=[round_.pk])}#std-{standard.pk}")

    nodes = _framework_nodes(round_.framework_id)
    scores = _scores(round_)
    totals = _totals(round_, nodes, scores)
    ledger = _ledger_states(round_.campaign)
    row = _row(
        standard,
        scores.get(standard.pk),
        totals,
        ledger,
        _ledger_items_url(round_.campaign),
        _evidence(round_),
    )
    if errors:
        row.errors = errors
        row.values = _posted_values(request)
    else:
        row.saved = True
    return render(
        request,
        "scoring/_score_response.html",
        {
            "row": row,
            "round": round_,
            "totals": totals,
            "verdict_class": _verdict_class(totals),
            "editable": True,
            "can_score": True,
        },
        status=400 if errors else 200,
    )


def _posted_values(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "points": post.get("points", ""),
        "grade": post.get("grade", ""),
        "incidents": post.get("incidents", ""),
        "concealed": bool(post.get("concealed")),
        "vetoed": bool(post.get("vetoed")),
        "method": post.get("method", ""),
        "comment": post.get("comment", ""),
    }


@login_required
@require_POST
def finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    try:
        services.round_finish(round_=round_, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"“{round_.title}”已完成打分，得分已锁定。")
    return redirect("scoring:sheet", pk=round_.pk)


@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    try:
        services.round_reopen(round_=round_, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重新打开“{round_.title}”，可以继续修改得分。")
    return redirect("scoring:sheet", pk=round_.pk)


# --- suggestions from the ledger ---------------------------------------------------------


@login_required
def suggest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    if not round_.is_open:
        messages.error(request, f"“{round_.title}”已完成打分，不能再预填。")
        return redirect("scoring:sheet", pk=round_.pk)
    suggestions = services.suggest(round_)
    if request.method == "POST":
        chosen = set(request.POST.getlist("accept"))
        picked = [s for s in suggestions if str(s.standard.pk) in chosen]
        if not picked:
            messages.error(request, "请至少勾选一项要采用的建议得分；未勾选的不会保存。")
        else:
            saved, failed = 0, []
            for s in picked:
                try:
                    services.score_set(
                        round_=round_,
                        standard=s.standard,
                        user=request.user,
                        points=s.points,
                        comment=f"按台账建议预填：{s.reason}",
                        suggested=True,
                    )
                    saved += 1
                except ValidationError as exc:
                    failed.append(f"{s.standard.code}：{'；'.join(exc.messages)}")
            if saved:
                messages.success(request, f"已采用{saved}项建议得分，请逐项核对。")
            for text in failed:
                messages.error(request, text)
            return redirect("scoring:sheet", pk=round_.pk)
    return render(
        request,
        "scoring/suggest.html",
        {
            "round": round_,
            "campaign": round_.campaign,
            "suggestions": suggestions,
            "crumbs": _crumbs(
                round_.campaign,
                (round_.title, reverse("scoring:sheet", args=[round_.pk])),
                ("按台账建议预填", None),
            ),
        },
    )


# --- gap analysis ------------------------------------------------------------------------


@dataclass
class GapRow:
    node: Node
    kind: str  # "veto", "deduction", "lost", "unscored", "bonus"
    lost: Decimal
    score: Score | None
    ledger: Any = None
    tasks: list[Any] = field(default_factory=list)
    open_problems: int = 0
    overdue_problems: int = 0


def _open_problems_by_standard(campaign: Campaign) -> dict[int, tuple[int, int]]:
    """Per standard: problems still on the books (挂账) and how many of them are overdue, from
    whichever app registered them (oversight, through `core.registry`)."""
    found: dict[int, tuple[int, int]] = {}
    for provide in registry.extensions("scoring.gaps.problems_by_standard"):
        found.update(provide(campaign, timezone.localdate()))
    return found


def _tasks_by_standard(campaign: Campaign) -> dict[int, list[Any]]:
    from wenming.tasks.models import Task

    through = Task.standards.through
    links = through.objects.filter(
        task__campaign=campaign, task__deleted_at__isnull=True
    ).select_related("task__lead_department", "task__responsible")
    out: dict[int, list[Any]] = defaultdict(list)
    for link in links.order_by("task__deadline", "task_id"):
        out[link.node_id].append(link.task)
    return out


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


@login_required
def gaps(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    nodes = _framework_nodes(round_.framework_id)
    scores = _scores(round_)
    totals = _totals(round_, nodes, scores)
    rows = gap_rows(nodes, scores, totals)
    ledger = _ledger_states(round_.campaign)
    tasks = _tasks_by_standard(round_.campaign)
    problems = _open_problems_by_standard(round_.campaign)
    for row in rows:
        row.ledger = ledger.get(row.node.pk)
        row.tasks = tasks.get(row.node.pk, [])
        row.open_problems, row.overdue_problems = problems.get(row.node.pk, (0, 0))
    return render(
        request,
        "scoring/gaps.html",
        {
            "round": round_,
            "campaign": round_.campaign,
            "rows": rows,
            "totals": totals,
            "verdict_class": _verdict_class(totals),
            "lost_total": sum((r.lost for r in rows if r.kind in ("lost", "deduction")), ZERO),
            "unscored_total": sum((r.lost for r in rows if r.kind == "unscored"), ZERO),
            "crumbs": _crumbs(
                round_.campaign,
                (round_.title, reverse("scoring:sheet", args=[round_.pk])),
                ("失分分析", None),
            ),
        },
    )


# --- two rounds compared -----------------------------------------------------------------


@dataclass
class ItemCompare:
    node: Any
    a: Decimal | None
    b: Decimal | None
    possible: Decimal

    @property
    def delta(self) -> Decimal:
        return (self.b or ZERO) - (self.a or ZERO)


def _pick(rounds: list[ScoringRound], value: str | None) -> ScoringRound | None:
    if value and value.isdigit():
        for r in rounds:
            if r.pk == int(value):
                return r
        raise Http404("没有找到该测评轮次，或您无权查看。")
    return None


@login_required
def compare_view(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    rounds: list[ScoringRound] = list(access.visible_rounds(request.user).filter(campaign=campaign))
    a = _pick(rounds, request.GET.get("a"))
    b = _pick(rounds, request.GET.get("b"))
    # By default the latest round against the one before it.
    if b is None and rounds:
        b = rounds[0] if rounds[0] != a else (rounds[1] if len(rounds) > 1 else None)
    if a is None and b is not None:
        a = next((r for r in rounds if r != b), None)
    context: dict[str, Any] = {
        "campaign": campaign,
        "rounds": rounds,
        "a": a,
        "b": b,
        "crumbs": _crumbs(campaign, ("两轮对比", None)),
    }
    if a is not None and b is not None:
        context.update(_comparison(a, b))
    return render(request, "scoring/compare.html", context)


def _comparison(a: ScoringRound, b: ScoringRound) -> dict[str, Any]:
    framework_ids = {a.framework_id, b.framework_id}
    all_nodes = list(Node.objects.filter(framework_id__in=framework_ids).order_by("position"))
    nodes_a = [n for n in all_nodes if n.framework_id == a.framework_id]
    nodes_b = [n for n in all_nodes if n.framework_id == b.framework_id]
    scores_a: dict[int, Score] = {}
    scores_b: dict[int, Score] = {}
    for s in Score.objects.filter(round__in=[a, b]):
        (scores_a if s.round_id == a.pk else scores_b)[s.standard_id] = s
    totals_a = _totals(a, nodes_a, scores_a)
    totals_b = _totals(b, nodes_b, scores_b)
    # Standards are matched by id within one system; across versions, by code.
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
    changes: list[Change] = compare(
        [services.node_row(n) for n in nodes_b],
        before,
        {k: services.score_row(s) for k, s in scores_b.items()},
    )
    items_a = {t.node.code: t for t in totals_a.items}
    item_rows = [
        ItemCompare(
            node=t.node,
            a=items_a[t.node.code].scored if t.node.code in items_a else None,
            b=t.scored,
            possible=t.possible,
        )
        for t in totals_b.items
    ]
    return {
        "totals_a": totals_a,
        "totals_b": totals_b,
        "class_a": _verdict_class(totals_a),
        "class_b": _verdict_class(totals_b),
        "item_rows": item_rows,
        "changes": [
            (c, scores_b[c.node.id].comment if c.node.id in scores_b else "") for c in changes
        ],
        "total_delta": totals_b.total - totals_a.total,
    }

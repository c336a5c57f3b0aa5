"""Screens for scoring (R6): a campaign's rounds, the scoring sheet, suggestions from the
ledger, the gap analysis and two rounds compared.

Every round is fetched through `wenming.scoring.access`; every write goes through
`wenming.scoring.services`; what a round tells (sheet rows, gaps, comparisons) comes from
`wenming.scoring.analysis`, which the API calls too. A refused score (above the standard's
points, no reason given, a finished round) answers 400 with the Chinese sentence in the
standard's row; the same person may reopen a finished round, so that refusal is about its
state, not a permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.http import AuthenticatedHttpRequest
from wenming.scoring import access, analysis, backed, services
from wenming.scoring.backed import Backing
from wenming.scoring.forms import RoundForm, ScoreForm
from wenming.scoring.models import RoundKind, ScoringRound, round_live_q
from wenming.scoring.totals import Totals


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
        ("测评打分", reverse("scoring:rounds", args=[campaign.pk]) if tail else None),
    ]
    crumbs.extend(tail)
    return crumbs


def _round_crumbs(round_: ScoringRound, label: str) -> list[tuple[str, str | None]]:
    sheet_url = reverse("scoring:sheet", args=[round_.pk])
    return _crumbs(round_.unit_campaign, (round_.title, sheet_url), (label, None))


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
        .annotate(round_count=Count("rounds", filter=round_live_q("rounds__")))
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
    """A round in the list: `totals` is the backed figure the verdict is read from."""

    round: ScoringRound
    backing: Backing

    @property
    def totals(self) -> Totals:
        return self.backing.backed

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


def _round_form(request: AuthenticatedHttpRequest, campaign: Campaign) -> RoundForm | None:
    """The new-round form with the kinds this user may open; None when they may open none."""
    kinds = [k for k in RoundKind.values if access.can_create_round(request.user, campaign, k)]
    if not kinds:
        if request.method == "POST":
            raise PermissionDenied("只有本单位创建办或上级文明办可以新建测评轮次。")
        return None
    initial: dict[str, Any] = {
        "kind": RoundKind.MOCK if RoundKind.MOCK in kinds else kinds[0],
        "scored_on": timezone.localdate(),
    }
    data = request.POST if request.method == "POST" else None
    return RoundForm(data, kinds=kinds, initial=initial)


@login_required
def round_list(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    form = _round_form(request, campaign)
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
    backings = backed.backing_for_rounds(rounds, [campaign])
    return render(
        request,
        "scoring/rounds.html",
        {
            "campaign": campaign,
            "lines": [RoundLine(r, backings[r.pk]) for r in rounds],
            "form": form,
            "crumbs": _crumbs(campaign),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


# --- the scoring sheet -------------------------------------------------------------------


def _sheet_context(
    request: AuthenticatedHttpRequest, round_: ScoringRound, sheet: analysis.Sheet
) -> dict[str, Any]:
    can_score = access.can_score_round(request.user, round_)
    return {
        "round": round_,
        "campaign": round_.campaign,
        "entries": sheet.entries,
        "totals": sheet.totals,
        "backing": sheet.backing,
        "verdict_class": _verdict_class(sheet.backing.backed),
        "can_score": can_score,
        "editable": can_score and round_.is_open,
        "crumbs": _crumbs(round_.unit_campaign, (round_.title, None)),
    }


@login_required
def sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    context = _sheet_context(request, round_, analysis.sheet(round_))
    return render(request, "scoring/sheet.html", context)


def _cited_items(
    request: AuthenticatedHttpRequest, round_: ScoringRound, standard: Node
) -> list[Any] | None:
    """The ledger items the form cites for this standard; None when it offers none, so a
    save from elsewhere (the API, suggestions) leaves existing citations alone."""
    if "evidence_offered" not in request.POST:
        return None
    ids = [int(v) for v in request.POST.getlist("evidence") if v.isdigit()]
    return analysis.citable_evidence(round_, standard, ids)


def _save_score(
    request: AuthenticatedHttpRequest, round_: ScoringRound, standard: Node
) -> list[str]:
    """Save the posted score; the Chinese sentences that refused it, if any."""
    form = ScoreForm(request.POST)
    if not form.is_valid():
        return [str(e) for errs in form.errors.values() for e in errs]
    try:
        services.score_set(
            round_=round_,
            standard=standard,
            user=request.user,
            evidence=_cited_items(request, round_, standard),
            **form.service_kwargs(),
        )
    except ValidationError as exc:
        return list(exc.messages)
    return []


@login_required
@require_POST
def score(request: AuthenticatedHttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    standard = Node.objects.filter(
        pk=standard_pk, framework_id=round_.framework_id, is_leaf=True
    ).first()
    if standard is None:
        raise Http404("该测评标准不属于本轮测评所用的测评体系。")
    errors = _save_score(request, round_, standard)
    if request.htmx:
        return _score_partial(request, round_, standard, errors)
    if not errors:
        messages.success(request, f"已保存{standard.code}的得分。")
        return redirect(f"{reverse('scoring:sheet', args=[round_.pk])}#std-{standard.pk}")
    sheet = analysis.sheet(round_)
    row = sheet.row_for(standard.pk)
    if row is not None:
        row.errors = errors
        row.values = ScoreForm.posted_values(request.POST)
    messages.error(request, f"{standard.code}未保存：{'；'.join(errors)}")
    context = _sheet_context(request, round_, sheet)
    return render(request, "scoring/sheet.html", context, status=400)


def _score_partial(
    request: AuthenticatedHttpRequest, round_: ScoringRound, standard: Node, errors: list[str]
) -> HttpResponse:
    """htmx: the standard's row, with the totals panels swapped out of band."""
    row, backing = analysis.sheet_row(round_, standard)
    if errors:
        row.errors = errors
        row.values = ScoreForm.posted_values(request.POST)
    else:
        row.saved = True
    return render(
        request,
        "scoring/_score_response.html",
        {
            "row": row,
            "round": round_,
            "totals": backing.claimed,
            "backing": backing,
            "verdict_class": _verdict_class(backing.backed),
            "editable": True,
            "can_score": True,
        },
        status=400 if errors else 200,
    )


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


def _accept_suggestions(
    request: AuthenticatedHttpRequest,
    round_: ScoringRound,
    picked: list[services.Suggestion],
) -> None:
    """Save each ticked suggestion as its own score; say which were refused and why."""
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
        if picked:
            _accept_suggestions(request, round_, picked)
            return redirect("scoring:sheet", pk=round_.pk)
        messages.error(request, "请至少勾选一项要采用的建议得分；未勾选的不会保存。")
    return render(
        request,
        "scoring/suggest.html",
        {
            "round": round_,
            "campaign": round_.campaign,
            "suggestions": suggestions,
            "crumbs": _round_crumbs(round_, "按台账建议预填"),
        },
    )


# --- gap analysis ------------------------------------------------------------------------


@login_required
def gaps(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    found = analysis.gaps(round_, timezone.localdate())
    return render(
        request,
        "scoring/gaps.html",
        {
            "round": round_,
            "campaign": round_.campaign,
            "rows": found.rows,
            "totals": found.totals,
            "backing": found.backing,
            "verdict_class": _verdict_class(found.backing.backed),
            "lost_total": found.lost_total,
            "unscored_total": found.unscored_total,
            "crumbs": _round_crumbs(round_, "失分分析"),
        },
    )


# --- two rounds compared -----------------------------------------------------------------


def _pick(rounds: list[ScoringRound], value: str | None) -> ScoringRound | None:
    if value and value.isdigit():
        for r in rounds:
            if r.pk == int(value):
                return r
        raise Http404("没有找到该测评轮次，或您无权查看。")
    return None


def _default_pair(
    rounds: list[ScoringRound], a: ScoringRound | None, b: ScoringRound | None
) -> tuple[ScoringRound | None, ScoringRound | None]:
    """By default the latest round against the one before it."""
    if b is None and rounds:
        b = rounds[0] if rounds[0] != a else (rounds[1] if len(rounds) > 1 else None)
    if a is None and b is not None:
        a = next((r for r in rounds if r != b), None)
    return a, b


def _comparison_context(found: analysis.Comparison) -> dict[str, Any]:
    totals_a, totals_b = found.a.totals, found.b.totals
    return {
        "totals_a": totals_a,
        "totals_b": totals_b,
        "backing_a": found.backing_a,
        "backing_b": found.backing_b,
        "class_a": _verdict_class(found.backing_a.backed),
        "class_b": _verdict_class(found.backing_b.backed),
        "item_rows": found.items,
        "changes": [(c, found.comment_after(c)) for c in found.changes],
        "total_delta": found.total_delta,
    }


@login_required
def compare_view(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    rounds: list[ScoringRound] = list(access.visible_rounds(request.user).filter(campaign=campaign))
    a, b = _default_pair(
        rounds, _pick(rounds, request.GET.get("a")), _pick(rounds, request.GET.get("b"))
    )
    context: dict[str, Any] = {
        "campaign": campaign,
        "rounds": rounds,
        "a": a,
        "b": b,
        "crumbs": _crumbs(campaign, ("两轮对比", None)),
    }
    if a is not None and b is not None:
        context.update(_comparison_context(analysis.compare_rounds(a, b)))
    return render(request, "scoring/compare.html", context)

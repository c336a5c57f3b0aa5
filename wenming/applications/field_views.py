"""The 实地测评 sheet of an application: the office's formal round on the frozen submission.

The sheet is the scoring sheet's (`wenming.scoring.analysis.sheet` and its row and totals
templates) with what backs each standard taken from the frozen submission
(`wenming.applications.field_round.frozen_context`). Who reads and who scores is decided by
`access.get_field_round_for_user`; every write goes through `field_round`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.applications import access, field_round
from wenming.applications.checks import S
from wenming.applications.models import Application
from wenming.frameworks.models import Node
from wenming.http import AuthenticatedHttpRequest
from wenming.scoring import analysis
from wenming.scoring.backed import Backing
from wenming.scoring.forms import ScoreForm
from wenming.scoring.models import ScoringRound

CLAIMED_LABEL = "测评打分"
LEDGER_WORD = "冻结台账"
FINISHED = "已完成实地测评打分，得分已锁定。请回到申报页录入群众满意率，完成实地测评。"
REOPENED = "已重新打开实地测评打分，可以继续修改得分。"


def _verdict_class(backing: Backing) -> str:
    totals = backing.backed
    if totals.vetoed:
        return "dark"
    if totals.threshold is None:
        return "secondary"
    return "success" if totals.passed else "danger"


def _round(application: Application) -> ScoringRound:
    round_ = application.field_round
    assert round_ is not None
    return round_


def _context(application: Application) -> analysis.SheetContext:
    nodes = list(Node.objects.filter(framework_id=_round(application).framework_id))
    return field_round.frozen_context(application, nodes)


def _crumbs(application: Application) -> list[tuple[str, str | None]]:
    batch = application.batch
    return [
        ("申报", reverse("applications:index")),
        (batch.title, reverse("applications:batch", args=[batch.pk])),
        (application.unit.name, reverse("applications:application", args=[application.pk])),
        ("实地测评打分", None),
    ]


def _page(
    request: AuthenticatedHttpRequest, application: Application, sheet: analysis.Sheet, status: int
) -> HttpResponse:
    round_ = _round(application)
    can_score = access.can_score_field(request.user, application)
    waiting = application.status == S.ACCEPTED
    return render(
        request,
        "applications/field_sheet.html",
        {
            "application": application,
            "round": round_,
            "entries": sheet.entries,
            "totals": sheet.totals,
            "backing": sheet.backing,
            "verdict_class": _verdict_class(sheet.backing),
            "can_score": can_score and waiting,
            "editable": can_score and waiting and round_.is_open,
            "waiting": waiting,
            "office_person": access.reads_as_office(request.user, application.batch),
            "assessors": list(application.assessors.all()),
            "claimed_label": CLAIMED_LABEL,
            "ledger_word": LEDGER_WORD,
            "crumbs": _crumbs(application),
        },
        status=status,
    )


@login_required
def field_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_field_round_for_user(request.user, pk)
    sheet = analysis.sheet(_round(application), _context(application))
    return _page(request, application, sheet, 200)


def _save(request: AuthenticatedHttpRequest, application: Application, standard: Node) -> list[str]:
    """Save the posted score; the Chinese sentences that refused it, if any."""
    form = ScoreForm(request.POST)
    if not form.is_valid():
        return [str(e) for errs in form.errors.values() for e in errs]
    cited = None
    if "evidence_offered" in request.POST:
        cited = [int(v) for v in request.POST.getlist("evidence") if v.isdigit()]
    try:
        field_round.field_score_set(
            application=application,
            standard=standard,
            user=request.user,
            evidence_ids=cited,
            **form.service_kwargs(),
        )
    except ValidationError as exc:
        return list(exc.messages)
    return []


@login_required
@require_POST
def field_score(request: AuthenticatedHttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    application = access.get_field_round_for_user(request.user, pk, write=True)
    round_ = _round(application)
    standard = Node.objects.filter(
        pk=standard_pk, framework_id=round_.framework_id, is_leaf=True
    ).first()
    if standard is None:
        raise Http404("该测评标准不属于本次实地测评所用的测评体系。")
    errors = _save(request, application, standard)
    round_.refresh_from_db()
    context = _context(application)
    if request.htmx:
        row, backing = analysis.sheet_row(round_, standard, context)
        if errors:
            row.errors, row.values = errors, ScoreForm.posted_values(request.POST)
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
                "verdict_class": _verdict_class(backing),
                "editable": True,
                "can_score": True,
                "claimed_label": CLAIMED_LABEL,
                "ledger_word": LEDGER_WORD,
            },
            status=400 if errors else 200,
        )
    if not errors:
        messages.success(request, f"已保存{standard.code}的得分。")
        return redirect(f"{reverse('applications:field_sheet', args=[pk])}#std-{standard.pk}")
    sheet = analysis.sheet(round_, context)
    found = sheet.row_for(standard.pk)
    if found is not None:
        found.errors, found.values = errors, ScoreForm.posted_values(request.POST)
    messages.error(request, f"{standard.code}未保存：{'；'.join(errors)}")
    return _page(request, application, sheet, 400)


def _step(request: AuthenticatedHttpRequest, pk: int, reopen: bool) -> HttpResponse:
    application = access.get_field_round_for_user(request.user, pk, write=True)
    act = field_round.field_round_reopen if reopen else field_round.field_round_finish
    try:
        act(application=application, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, REOPENED if reopen else FINISHED)
    return redirect("applications:field_sheet", pk=pk)


@login_required
@require_POST
def field_finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, reopen=False)


@login_required
@require_POST
def field_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, reopen=True)

"""A holder's 复查 report page: the 年度自查报告 form for the unit's 创建办 while the report
is pending or returned; for the office, the review (退回, 打分, 实地复查), the decision with
the fields each decision needs, the follow-up of a 限期整改 and the confirmation of a missed
report; for everyone who reads it, the timeline of every step with its comment.

Every object is fetched through `wenming.rechecks.access`; every write goes through
`wenming.rechecks.services`. The page issues a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger.downloads import stored_file_response
from wenming.rechecks import access, services
from wenming.rechecks.forms import (
    DecideForm,
    FollowUpForm,
    MissedForm,
    ReturnForm,
    RoundForm,
    ScoreForm,
    SubmitForm,
)
from wenming.rechecks.models import RecheckReport, ReportStatus
from wenming.rechecks.scores import average_in_term, yearly_scores
from wenming.rechecks.views import list_crumb
from wenming.scoring.models import RoundStatus
from wenming.scoring.services import totals_for_rounds


def _may_file(user: Any, report: RecheckReport) -> bool:
    """The holder's 创建办 may (re)file while the report is pending and the 复查 open: by the
    deadline, or after it when the office returned the report."""
    if not access.can_file_report(user, report) or report.recheck.closed_on is not None:
        return False
    if report.status != ReportStatus.PENDING:
        return False
    return services.is_returned(report) or not services.is_missed(report)


def _round_facts(report: RecheckReport) -> dict[str, Any] | None:
    round_ = report.field_round
    if round_ is None:
        return None
    finished = round_.status == RoundStatus.FINISHED and round_.removed_at is None
    total = totals_for_rounds([round_])[round_.pk].total if finished else None
    return {"round": round_, "finished": finished, "total": total}


def _office_forms(
    report: RecheckReport, bound: dict[str, Any], field_round: dict[str, Any] | None
) -> dict[str, Any]:
    today = {"decided_on": timezone.localdate()}
    forms: dict[str, Any] = {}
    if report.recheck.closed_on is None and report.status == ReportStatus.SUBMITTED:
        score = report.office_score
        if score is None and field_round and field_round["finished"]:
            score = field_round["total"]
        forms["return"] = bound.get("return") or ReturnForm()
        forms["score"] = bound.get("score") or ScoreForm(
            initial={"office_score": score, "comment": report.review_comment}
        )
        if report.field_round_id is None:
            forms["round"] = bound.get("round") or RoundForm(
                initial={"scored_on": timezone.localdate()}
            )
    if services.can_decide(report) and (
        report.recheck.closed_on is None or report.status == ReportStatus.DECIDED
    ):
        forms["decide"] = bound.get("decide") or DecideForm(initial=today)
    if services.awaits_follow_up(report):
        forms["follow_up"] = bound.get("follow_up") or FollowUpForm(
            initial={"followed_up_on": timezone.localdate()}
        )
    if services.is_missed(report) and report.recheck.closed_on is None:
        forms["missed"] = bound.get("missed") or MissedForm(initial=today)
    # A form refused by the rules is shown with its errors even when the report has moved on.
    forms.update({k: v for k, v in bound.items() if k != "submit"})
    return forms


def _report_page(
    request: AuthenticatedHttpRequest,
    report: RecheckReport,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    can_manage = access.can_manage_recheck(user, report.recheck)
    may_file = _may_file(user, report)
    field_round = _round_facts(report)
    scores = yearly_scores(report.honour)
    submit_form = bound.get("submit")
    if submit_form is None and may_file:
        submit_form = SubmitForm(
            initial={"report_text": report.report, "self_score": report.self_score}
        )
    office_person = access.is_office_person(user)
    recheck = report.recheck
    crumbs: list[tuple[str, str | None]] = [list_crumb()]
    if office_person:
        crumbs.append((recheck.title, reverse("rechecks:detail", args=[recheck.pk])))
    crumbs.append((report.entry.unit.name, None))
    return render(
        request,
        "rechecks/report.html",
        {
            "report": report,
            "recheck": recheck,
            "honour": report.honour,
            "state": services.status_label(report),
            "missed": services.is_missed(report),
            "returned": services.is_returned(report),
            "files": list(report.files.filter(removed_at__isnull=True)),
            "events": list(report.events.select_related("actor").order_by("at", "id")),
            "scores": scores,
            "average": average_in_term(report.honour, scores),
            "field_round": field_round,
            "can_manage": can_manage,
            "may_file": submit_form is not None,
            "submit_form": submit_form,
            "forms": _office_forms(report, bound, field_round) if can_manage else {},
            "max_bytes": settings.WENMING_UPLOAD_MAX_BYTES,
            "crumbs": crumbs,
        },
        status=status,
    )


@login_required
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, access.get_report_for_user(request.user, pk))


def _done(request: AuthenticatedHttpRequest, report: RecheckReport, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("rechecks:report", pk=report.pk)


def _act(
    request: AuthenticatedHttpRequest,
    report: RecheckReport,
    key: str,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    """Run a service on the form's data: back to the page with the message, or the page with
    the form and its errors."""
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error(
            next((f for f in ("document", "attachments") if f in form.fields), None), refusal
        )
    elif form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, report, message)
    return _report_page(request, report, {key: form}, status=400)


@limited_uploads
@login_required
@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_holder(request.user, pk)
    return _act(
        request,
        report,
        "submit",
        SubmitForm(request.POST, request.FILES),
        lambda d: services.report_submit(
            report=report,
            user=request.user,
            report_text=d["report_text"],
            self_score=d["self_score"],
            files=d["attachments"],
        ),
        "已提交年度自查报告，请等待文明办审核。",
    )


@login_required
@require_POST
def report_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        "return",
        ReturnForm(request.POST),
        lambda d: services.report_return(report=report, user=request.user, **d),
        "已退回该单位修改自查报告。",
    )


@login_required
@require_POST
def report_score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        "score",
        ScoreForm(request.POST),
        lambda d: services.report_score(report=report, user=request.user, **d),
        "已保存复查得分。",
    )


@login_required
@require_POST
def report_round(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        "round",
        RoundForm(request.POST),
        lambda d: services.report_round_open(report=report, user=request.user, **d),
        "已安排实地复查，请在测评轮次中打分，完成后填写复查得分。",
    )


@limited_uploads
@login_required
@require_POST
def report_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        "decide",
        DecideForm(request.POST, request.FILES),
        lambda d: services.report_decide(report=report, user=request.user, **d),
        "已作出复查结论，称号状态已同步更新。",
    )


@login_required
@require_POST
def report_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        "follow_up",
        FollowUpForm(request.POST),
        lambda d: services.report_follow_up(report=report, user=request.user, **d),
        "已记录整改复核结果。",
    )


@limited_uploads
@login_required
@require_POST
def report_confirm_missed(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        "missed",
        MissedForm(request.POST, request.FILES),
        lambda d: services.report_confirm_missed(report=report, user=request.user, **d),
        "已确认逾期未报，该单位的称号终止。",
    )


@login_required
def report_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_report_file_for_user(request.user, pk)
    return stored_file_response(f, f.file)

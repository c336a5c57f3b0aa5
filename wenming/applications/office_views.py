"""The office's decisions (申报): on an application — 初审, 实地测评, 征求意见, 公示异议,
不予通过 — and on a batch — 开始公示 and 命名.

One action, one URL, each a POST: the object comes through `access` with the office's write
right, the form's data goes to one `services` function, and a refusal re-renders the page the
form sits on (built in `views`) with the message under the field it concerns.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wenming.applications import access, services
from wenming.applications.forms import (
    AcceptForm,
    AnswerForm,
    AssessmentForm,
    FieldRoundForm,
    NameForm,
    ObjectionForm,
    OpinionForm,
    PublicityForm,
    RejectForm,
    ReturnForm,
)
from wenming.applications.models import Application, ApplicationStatus, Objection
from wenming.applications.views import application_page, batch_page, office_people
from wenming.core.docx import cn_date
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.calendar import add_working_days

S = ApplicationStatus


def _done(request: AuthenticatedHttpRequest, pk: int, message: str, anchor: str = "") -> Any:
    messages.success(request, message)
    url = reverse("applications:application", args=[pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _step(
    request: AuthenticatedHttpRequest,
    pk: int,
    key: str,
    form: Any,
    act: Any,
    message: str,
    anchor: str = "timeline",
) -> HttpResponse:
    """Run `act(application, cleaned_data)` when the form is valid; the page again if not."""
    application = access.get_application_for_user(request.user, pk, write=True)
    if form.is_valid():
        try:
            act(application, form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, application.pk, message, anchor)
    return application_page(request, application, {key: form}, status=400)


# --- 初审 ------------------------------------------------------------------------------------


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(a: Application, data: dict[str, Any]) -> None:
        services.application_accept(application=a, user=request.user, comment=data["comment"])

    return _step(request, pk, "accept", AcceptForm(request.POST), act, "初审通过。")


@login_required
@require_POST
def send_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(a: Application, data: dict[str, Any]) -> None:
        services.application_return(application=a, user=request.user, **data)

    form = ReturnForm(request.POST)
    return _step(request, pk, "return", form, act, "已退回补充，单位将看到需要补充的内容。")


@login_required
@require_POST
def reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(a: Application, data: dict[str, Any]) -> None:
        services.application_reject(application=a, user=request.user, comment=data["comment"])

    return _step(request, pk, "reject", RejectForm(request.POST), act, "已记录为不予通过。")


# --- 实地测评 ---------------------------------------------------------------------------------


@login_required
@require_POST
def field_round(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, write=True)
    form = FieldRoundForm(request.POST, people=office_people(application.batch))
    if form.is_valid():
        try:
            services.field_round_open(
                application=application,
                user=request.user,
                scored_on=form.cleaned_data["scored_on"],
                assessors=list(form.cleaned_data["assessors"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, application.pk, "已安排实地测评，测评人员可以开始打分。", "field")
    return application_page(request, application, {"round": form}, status=400)


@login_required
@require_POST
def assessment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, write=True)
    form = AssessmentForm(request.POST, has_round=application.field_round_id is not None)
    if form.is_valid():
        try:
            services.field_assessment_record(
                application=application, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, application.pk, "已录入实地测评结果。", "field")
    return application_page(request, application, {"assess": form}, status=400)


# --- 征求意见 ---------------------------------------------------------------------------------


@login_required
@require_POST
def opinion(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(a: Application, data: dict[str, Any]) -> None:
        services.opinion_record(application=a, user=request.user, **data)

    form = OpinionForm(request.POST)
    return _step(request, pk, "opinion", form, act, "已记录征求意见。", "opinions")


@login_required
@require_POST
def consulted(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, write=True)
    try:
        services.consultation_finish(application=application, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("applications:application", args=[pk]) + "#opinions")
    return _done(request, application.pk, "征求意见完成，可以在批次页面安排公示。", "opinions")


# --- 公示异议 ---------------------------------------------------------------------------------


@login_required
@require_POST
def objection_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(a: Application, data: dict[str, Any]) -> None:
        services.objection_record(application=a, user=request.user, **data)

    form = ObjectionForm(request.POST)
    return _step(
        request, pk, "objection", form, act, "已记录公示异议，请核查后答复。", "objections"
    )


@login_required
@require_POST
def objection_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found: Objection | None = Objection.objects.filter(pk=pk).first()
    application_pk = found.application_id if found is not None else 0
    application = access.get_application_for_user(request.user, application_pk, write=True)
    objection = application.objections.get(pk=pk)
    form = AnswerForm(request.POST, objection_pk=objection.pk)
    if form.is_valid():
        try:
            services.objection_answer(objection=objection, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, application.pk, "已答复公示异议。", "objections")
    return application_page(request, application, {f"answer{objection.pk}": form}, status=400)


# --- the batch: 公示 and 命名 ------------------------------------------------------------------


def _candidates(batch: Any, status: str) -> QuerySet[Application]:
    return Application.objects.filter(batch=batch, status=status).select_related("unit")


@login_required
@require_POST
def publicity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk, write=True)
    form = PublicityForm(request.POST, candidates=_candidates(batch, S.CONSULTED))
    if form.is_valid():
        try:
            started = services.publicity_start(
                batch=batch,
                user=request.user,
                starts_on=form.cleaned_data["starts_on"],
                applications=list(form.cleaned_data["applications"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            first = started[0] if started else None
            period = (
                f"，公示期{cn_date(first.publicity_starts_on)}至{cn_date(first.publicity_ends_on)}"
                if first is not None
                else ""
            )
            messages.success(request, f"已对{len(started)}家单位开始公示{period}。")
            return redirect("applications:batch", pk=batch.pk)
    return batch_page(request, batch, {"publicity": form}, status=400)


@require_GET
@login_required
def publicity_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The period a start date gives (htmx): the office sees the end date before starting."""
    batch = access.get_batch_for_user(request.user, pk, write=True)
    try:
        starts_on = datetime.date.fromisoformat(request.GET.get("starts_on", ""))
    except ValueError:
        starts_on = None
    ends_on = (
        add_working_days(batch.office, starts_on, batch.publicity_days)
        if starts_on and batch.publicity_days
        else None
    )
    return render(
        request,
        "applications/_publicity_end.html",
        {"batch": batch, "starts_on": starts_on, "ends_on": ends_on},
    )


@limited_uploads
@login_required
@require_POST
def name(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk, write=True)
    form = NameForm(request.POST, request.FILES, candidates=_candidates(batch, S.PUBLICIZED))
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("document", refusal)
    elif form.is_valid():
        data = form.cleaned_data
        try:
            honours = services.batch_name(
                batch=batch,
                user=request.user,
                named_on=data["named_on"],
                decision_title=data["decision_title"],
                document=data["document"],
                applications=list(data["applications"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已命名{len(honours)}家单位，文明单位名录已更新。")
            return redirect("applications:batch", pk=batch.pk)
    return batch_page(request, batch, {"name": form}, status=400)

"""Screens for inspections and problems (督查整改, 挂账销号).

Every object is fetched through `wenming.oversight.access`; every write goes through
`wenming.oversight.services`. One URL per action; the problem page shows the actions the
user may take.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access as ledger_access
from wenming.ledger.downloads import stored_file_response
from wenming.orgs import access as org_access
from wenming.orgs.tokens import token_or_login_required
from wenming.oversight import access, services
from wenming.oversight.cards import with_overdue_days
from wenming.oversight.forms import (
    InspectionForm,
    ProblemFilterForm,
    ProblemForm,
    ReassignForm,
    RemoveForm,
    ReturnForm,
    SubmitForm,
    VerifyForm,
)
from wenming.oversight.models import (
    Inspection,
    Problem,
    ProblemFile,
    ProblemFileKind,
    ProblemStatus,
    problem_live_q,
    problem_open_q,
    problem_overdue_q,
)

PAGE_SIZE = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _error_message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("tasks:table", args=[campaign.pk])),
        ("督查整改", reverse("oversight:problems", args=[campaign.pk]) if tail else None),
    ]
    crumbs.extend(tail)
    return crumbs


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.WENMING_UPLOAD_MAX_BYTES)


# --- entry -----------------------------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The nav link: straight to the problem ledger when the user has one campaign."""
    campaigns = list(
        campaign_access.visible_campaigns(request.user)
        .filter(is_active=True)
        .order_by("unit__path")[:50]
    )
    if len(campaigns) == 1:
        return redirect("oversight:problems", campaign_pk=campaigns[0].pk)
    return render(
        request,
        "oversight/index.html",
        {"campaigns": campaigns, "crumbs": [("督查整改", None)]},
    )


# --- inspections -----------------------------------------------------------------------------


@login_required
def inspection_list(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    counted = problem_live_q("problems__")
    if not access.sees_all_problems(request.user, campaign.unit):
        # Department people count only their departments' problems, as they see them.
        counted &= Q(problems__department_id__in=org_access.department_ids_for_write(request.user))
    qs = (
        access.visible_inspections(request.user)
        .filter(campaign=campaign)
        .annotate(
            problem_count=Count("problems", filter=counted),
            open_count=Count("problems", filter=counted & problem_open_q("problems__")),
        )
        .order_by("-inspected_on", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/inspections.html",
        {
            "campaign": campaign,
            "page": page,
            "can_record": access.can_record_problems(request.user, campaign.unit),
            "crumbs": _crumbs(campaign, ("督查记录", None)),
        },
    )


@login_required
def inspection_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    if not access.can_record_problems(request.user, campaign.unit):
        raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录督查。")
    user = request.user
    initial = {"inspected_on": _today(), "inspectors": user.get_full_name() or user.username}
    form = InspectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                campaign=campaign, user=user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已记录督查“{inspection.title}”，请逐条记录发现的问题。")
            return redirect("oversight:inspection", pk=inspection.pk)
    return render(
        request,
        "oversight/inspection_form.html",
        {
            "campaign": campaign,
            "form": form,
            "crumbs": _crumbs(
                campaign,
                ("督查记录", reverse("oversight:inspections", args=[campaign.pk])),
                ("记录督查", None),
            ),
        },
        status=400 if form.errors else 200,
    )


def _inspection_page(
    request: AuthenticatedHttpRequest,
    inspection: Inspection,
    form: ProblemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    campaign = inspection.campaign
    today = _today()
    problems = with_overdue_days(
        access.visible_problems(user).filter(inspection=inspection).order_by("sequence"), today
    )
    can_record = access.can_record_problems(user, inspection.unit)
    if form is None and can_record:
        form = ProblemForm(
            campaign=campaign,
            initial={"deadline": inspection.inspected_on + datetime.timedelta(days=7)},
        )
    return render(
        request,
        "oversight/inspection.html",
        {
            "inspection": inspection,
            "campaign": campaign,
            "problems": problems,
            "form": form if can_record else None,
            "action": reverse("oversight:record", args=[inspection.pk]),
            "max_bytes": _max_bytes(),
            "crumbs": _crumbs(
                campaign,
                ("督查记录", reverse("oversight:inspections", args=[campaign.pk])),
                (inspection.title, None),
            ),
        },
        status=status,
    )


@login_required
def inspection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    return _inspection_page(request, inspection)


def _record(
    request: AuthenticatedHttpRequest, campaign: Campaign, inspection: Inspection | None
) -> tuple[Problem | None, ProblemForm]:
    form = ProblemForm(request.POST, campaign=campaign)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.file_errors.append(refusal)
        return None, form
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    try:
        problem = services.problem_create(
            campaign=campaign,
            user=request.user,
            inspection=inspection,
            uploads=request.FILES.getlist("files"),
            **data,
        )
    except ValidationError as exc:
        form.apply_errors(exc)
        return None, form
    messages.success(
        request,
        f"已挂账问题 {problem.number}，交{problem.department.name}于"
        f"{problem.deadline:%Y年%m月%d日}前整改。",
    )
    return problem, form


@login_required
@limited_uploads
def problem_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a problem found in an inspection (the form on the inspection's page)."""
    inspection = access.get_inspection_for_user(request.user, pk, record=True)
    if request.method != "POST":
        return redirect("oversight:inspection", pk=inspection.pk)
    problem, form = _record(request, inspection.campaign, inspection)
    if problem is not None:
        return redirect(f"{reverse('oversight:inspection', args=[inspection.pk])}#record")
    return _inspection_page(request, inspection, form, status=400)


@login_required
@limited_uploads
def problem_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    """Record a problem on its own, outside any inspection."""
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    if not access.can_record_problems(request.user, campaign.unit):
        raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录问题。")
    status = 200
    if request.method == "POST":
        problem, form = _record(request, campaign, None)
        if problem is not None:
            return redirect("oversight:problem", pk=problem.pk)
        status = 400
    else:
        form = ProblemForm(
            campaign=campaign, initial={"deadline": _today() + datetime.timedelta(days=7)}
        )
    return render(
        request,
        "oversight/problem_new.html",
        {
            "campaign": campaign,
            "form": form,
            "action": reverse("oversight:new", args=[campaign.pk]),
            "max_bytes": _max_bytes(),
            "crumbs": _crumbs(campaign, ("记录问题", None)),
        },
        status=status,
    )


# --- the 挂账 ledger ---------------------------------------------------------------------------


def _filtered(
    request: AuthenticatedHttpRequest, campaign: Campaign
) -> tuple[ProblemFilterForm, QuerySet[Problem]]:
    today = _today()
    form = ProblemFilterForm(request.GET or None, campaign=campaign)
    qs = access.visible_problems(request.user).filter(campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == "open":
            qs = qs.filter(problem_open_q())
        elif data["status"]:
            qs = qs.filter(status=data["status"])
        if data["department"]:
            qs = qs.filter(department=data["department"])
        if data["severity"]:
            qs = qs.filter(severity=data["severity"])
        if data["kind"] == "alone":
            qs = qs.filter(inspection__isnull=True)
        elif data["kind"]:
            qs = qs.filter(inspection__kind=data["kind"])
        if data["overdue"]:
            qs = qs.filter(problem_overdue_q(today))
        if data["standard"]:
            qs = qs.filter(standard_id=data["standard"])
        text = (data["q"] or "").strip()
        if text:
            qs = qs.filter(
                Q(description__icontains=text)
                | Q(place__icontains=text)
                | Q(rectification_note__icontains=text)
                | Q(inspection__title__icontains=text)
            )
    return form, qs


def _open_first(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """Open problems by deadline (the overdue at the top), then the closed ones."""
    closed_last = Case(When(problem_open_q(), then=Value(0)), default=Value(1))
    return qs.order_by(closed_last, "deadline", "id")


@login_required
def problem_ledger(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    today = _today()
    form, qs = _filtered(request, campaign)
    base = access.visible_problems(request.user).filter(campaign=campaign)
    by_status = {
        r["status"]: r["n"] for r in base.order_by().values("status").annotate(n=Count("id"))
    }
    overdue_total = base.filter(problem_overdue_q(today)).count()
    by_department = list(
        base.order_by()
        .values("department_id", "department__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=problem_open_q()),
            overdue=Count("id", filter=problem_overdue_q(today)),
        )
        .order_by("-open", "department__name")[:30]
    )
    page = Paginator(_open_first(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    statuses = [
        {"value": value, "label": label, "count": by_status.get(value, 0)}
        for value, label in ProblemStatus.choices
    ]
    return render(
        request,
        "oversight/problems.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "problems": with_overdue_days(page.object_list, today),
            "query": query.urlencode(),
            "statuses": statuses,
            "total": sum(by_status.values()),
            "overdue_total": overdue_total,
            "by_department": by_department,
            "can_record": access.can_record_problems(request.user, campaign.unit),
            "crumbs": _crumbs(campaign),
        },
    )


@login_required
def problem_export(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    from wenming.oversight.excel import problems_workbook

    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    _, qs = _filtered(request, campaign)
    return problems_workbook(campaign, _open_first(qs), _today())


# --- one problem -----------------------------------------------------------------------------


def _problem_page(
    request: AuthenticatedHttpRequest,
    problem: Problem,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = _today()
    problem = (
        Problem.objects.select_related(
            "campaign__unit",
            "unit",
            "department",
            "inspection",
            "standard",
            "created_by",
            "rectified_by",
            "verified_by",
        )
        .prefetch_related("evidence_items")
        .get(pk=problem.pk)
    )
    files = list(ProblemFile.objects.live().filter(problem=problem))
    is_open = problem.is_open
    can_rectify = access.can_rectify_problem(user, problem) and problem.status in (
        ProblemStatus.PENDING,
        ProblemStatus.RECTIFYING,
    )
    can_verify = (
        access.can_verify_problem(user, problem) and problem.status == ProblemStatus.AWAITING
    )
    can_manage = access.can_manage_problems(user, problem.unit)
    forms = forms or {}
    if can_rectify and "submit" not in forms:
        forms["submit"] = SubmitForm(
            items=_linkable_items(user, problem), initial={"note": problem.rectification_note}
        )
    if can_verify:
        forms.setdefault("verify", VerifyForm())
        forms.setdefault("return", ReturnForm())
    if can_manage and is_open:
        forms.setdefault("reassign", ReassignForm(campaign=problem.campaign))
    if can_manage:
        forms.setdefault("remove", RemoveForm())
    problem.overdue_days = problem.days_overdue(today)  # type: ignore[attr-defined]
    problem.age = problem.age_days(today)  # type: ignore[attr-defined]
    # The linked ledger items are shown only to those who may read them.
    linked = list(problem.evidence_items.all())
    readable = set(
        ledger_access.visible_evidence(user)
        .filter(pk__in=[i.pk for i in linked])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "oversight/problem.html",
        {
            "problem": problem,
            "campaign": problem.campaign,
            "problem_photos": [f for f in files if f.purpose == ProblemFileKind.PROBLEM],
            "proof": [f for f in files if f.purpose == ProblemFileKind.RECTIFICATION],
            "linked": [(i, i.pk in readable) for i in linked],
            "events": list(problem.events.select_related("actor")),
            "can_rectify": can_rectify,
            "can_start": can_rectify and problem.status == ProblemStatus.PENDING,
            "can_verify": can_verify,
            "responsible_here": problem.status == ProblemStatus.AWAITING
            and access.is_responsible_for_problem(user, problem),
            "forms": forms,
            "max_bytes": _max_bytes(),
            "crumbs": _crumbs(problem.campaign, (problem.number, None)),
        },
        status=status,
    )


def _linkable_items(user: Any, problem: Problem) -> Any:
    """The campaign's latest ledger items the user may read, at most 200 (not sliced itself:
    the form filters it again when it validates)."""
    qs = ledger_access.visible_evidence(user).filter(campaign_id=problem.campaign_id)
    latest = list(qs.order_by("-activity_date", "-id").values_list("pk", flat=True)[:200])
    return (
        qs.filter(pk__in=latest)
        .only("id", "title", "activity_date")
        .order_by("-activity_date", "-id")
    )


@login_required
def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk)
    return _problem_page(request, problem)


def _done(request: AuthenticatedHttpRequest, problem: Problem, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("oversight:problem", pk=problem.pk)


@login_required
@require_POST
def problem_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, action="rectify")
    try:
        services.problem_start(problem=problem, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
        return redirect("oversight:problem", pk=problem.pk)
    return _done(request, problem, f"问题 {problem.number} 已开始整改。")


@login_required
@limited_uploads
def problem_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, action="rectify")
    if request.method != "POST":
        return redirect("oversight:problem", pk=problem.pk)
    form = SubmitForm(request.POST, items=_linkable_items(request.user, problem))
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.file_errors.append(refusal)
    elif form.is_valid():
        try:
            services.problem_submit(
                problem=problem,
                user=request.user,
                note=form.cleaned_data["note"],
                uploads=request.FILES.getlist("files"),
                evidence_items=list(form.cleaned_data["evidence_items"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, problem, f"问题 {problem.number} 的整改材料已提交，等待验收。")
    return _problem_page(request, problem, {"submit": form}, status=400)


@login_required
@require_POST
def problem_verify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, action="verify")
    form = VerifyForm(request.POST)
    form.is_valid()
    try:
        services.problem_verify(
            problem=problem, user=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
        return redirect("oversight:problem", pk=problem.pk)
    return _done(request, problem, f"问题 {problem.number} 验收通过，已销号。")


@login_required
@require_POST
def problem_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, action="verify")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.problem_return(
                problem=problem, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
            return redirect("oversight:problem", pk=problem.pk)
        return _done(request, problem, f"问题 {problem.number} 验收未通过，已退回责任部门整改。")
    return _problem_page(request, problem, {"return": form}, status=400)


@login_required
@require_POST
def problem_reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, action="manage")
    form = ReassignForm(request.POST, campaign=problem.campaign)
    if form.is_valid():
        try:
            services.problem_reassign(problem=problem, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, problem, f"已调整问题 {problem.number} 的责任部门或整改时限。")
    return _problem_page(request, problem, {"reassign": form}, status=400)


@login_required
@require_POST
def problem_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, action="manage")
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            services.problem_remove(
                problem=problem, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, f"已删除问题 {problem.number}（记录仍保留，可由系统管理员恢复）。"
            )
            return redirect("oversight:problems", campaign_pk=problem.campaign_id)
    return _problem_page(request, problem, {"remove": form}, status=400)


# --- files -----------------------------------------------------------------------------------


@token_or_login_required
def file_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_problem_file_for_user(request.user, pk)
    return stored_file_response(f, f.file)

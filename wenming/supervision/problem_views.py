"""Screens of the office's inspections of its units and the problems it dispatches:
the inspections (the office's, or a unit's own), recording one, an inspection's page with the
problems dispatched from it, the form to dispatch more and removing it (once no problem from
it is live); the problems (filters by status, overdue and unit), a problem's page with its
facts, photos, rectification files, timeline and the forms of whoever may act on it now;
file downloads.

Department roles are refused the lists and pages (`access.require_reader`). Every object is
fetched through `wenming.supervision.access`; every write goes through
`wenming.supervision.problems`. Each page issues a bounded number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger.downloads import stored_file_response
from wenming.orgs.models import Organization
from wenming.oversight.models import ProblemStatus
from wenming.supervision import access, problems
from wenming.supervision.models import (
    CityInspection,
    CityProblem,
    CityProblemFileKind,
    CityProblemStatus,
    overdue_q,
)
from wenming.supervision.problem_forms import (
    AssignForm,
    DispatchForm,
    InspectionFilterForm,
    InspectionForm,
    ProblemFilterForm,
    RemoveForm,
    ReturnForm,
    SubmitForm,
    VerifyForm,
)

PAGE_SIZE = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return list(tail)


def _filter_units(user: Any, rows: QuerySet[Any]) -> QuerySet[Organization] | None:
    """The units an office person may filter by, those among `rows` (inspections or
    problems); None for a unit's own people."""
    if not access.is_office_person(user):
        return None
    # Only units with problems on the list: a city's 3,000 units would not fit a drop-down.
    return (
        access.supervised_units(user)
        .filter(pk__in=rows.values("unit_id"))
        .select_related(None)
        .only("id", "name", "path")
    )


# --- inspections -------------------------------------------------------------------------------


@login_required
def inspection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require_reader(user)
    qs = (
        access.visible_inspections(user)
        .select_related("recorded_by")
        .order_by("-inspected_on", "-id")
    )
    units = _filter_units(user, qs)
    form = InspectionFilterForm(request.GET or None, units=units) if units is not None else None
    if form is not None and form.is_valid() and form.cleaned_data.get("unit"):
        qs = qs.filter(unit=form.cleaned_data["unit"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "app": "supervision",
            "page": page,
            "form": form,
            "office_person": units is not None,
            "can_record": access.manages_any(user),
            "crumbs": _crumbs(("督查记录", None)),
        },
    )


@login_required
def inspection_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.manages_any(user):
        raise PermissionDenied(access.OFFICE_ONLY)
    units = access.supervised_units(user)
    form = InspectionForm(
        request.POST or None,
        units=units,
        initial={"inspected_on": _today(), "unit": request.GET.get("unit")},
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            inspection = problems.inspection_create(
                office=unit.registry_entry.office, user=user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已记录对{unit.name}的{inspection.get_kind_display()}，请逐条交办发现的问题。",
            )
            return redirect("supervision:inspection", pk=inspection.pk)
    return render(
        request,
        "supervision/inspection_form.html",
        {
            "app": "supervision",
            "form": form,
            "has_units": units.exists(),
            "crumbs": _crumbs(("督查记录", reverse("supervision:inspections")), ("记录督查", None)),
        },
        status=400 if request.method == "POST" else 200,
    )


def _inspection_page(
    request: AuthenticatedHttpRequest,
    inspection: CityInspection,
    form: DispatchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = _today()
    can_manage = access.can_manage_office(user, inspection.office)
    found = list(inspection.problems.live().order_by("sequence"))
    for p in found:
        p.overdue_days = p.days_overdue(today)  # type: ignore[attr-defined]
    if can_manage and form is None:
        form = DispatchForm(initial={"deadline": today + datetime.timedelta(days=15)})
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "app": "supervision",
            "inspection": inspection,
            "problems": found,
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "max_bytes": settings.WENMING_UPLOAD_MAX_BYTES,
            "crumbs": _crumbs(
                ("督查记录", reverse("supervision:inspections")),
                (f"{inspection.unit.name} {inspection}", None),
            ),
        },
        status=status,
    )


@login_required
def inspection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require_reader(request.user)
    return _inspection_page(request, access.get_inspection_for_user(request.user, pk))


@login_required
@require_POST
def inspection_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """删除督查记录: only one without live problems (they are withdrawn first)."""
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    try:
        problems.inspection_remove(inspection=inspection, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:inspection", pk=inspection.pk)
    messages.success(
        request,
        f"已删除对{inspection.unit.name}的{inspection.get_kind_display()}记录"
        f"（{inspection.inspected_on:%Y年%m月%d日}，记录仍保留）。",
    )
    return redirect("supervision:inspections")


@limited_uploads
@login_required
@require_POST
def inspection_dispatch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    form = DispatchForm(request.POST)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.file_errors.append(refusal)
    elif form.is_valid():
        try:
            problem = problems.problem_dispatch(
                inspection=inspection,
                user=request.user,
                uploads=request.FILES.getlist("files"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已交办问题 {problem.number}，请{inspection.unit.name}于"
                f"{problem.deadline:%Y年%m月%d日}前整改。",
            )
            return redirect(f"{reverse('supervision:inspection', args=[inspection.pk])}#dispatch")
    return _inspection_page(request, inspection, form, status=400)


# --- problems ----------------------------------------------------------------------------------


def filtered_problems(user: Any, data: dict[str, Any]) -> QuerySet[CityProblem]:
    """The problems the user reads, with the list's filters (status incl. overdue, unit)."""
    qs = access.visible_problems(user)
    state = data.get("status") or ""
    if state == "overdue":
        qs = qs.filter(overdue_q(_today()))
    elif state == "open":
        qs = qs.exclude(status=CityProblemStatus.CLOSED)
    elif state in CityProblemStatus.values:
        qs = qs.filter(status=state)
    if data.get("unit"):
        qs = qs.filter(unit=data["unit"])
    return qs.order_by("deadline", "id")


@login_required
def problem_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require_reader(user)
    units = _filter_units(user, access.visible_problems(user))
    form = ProblemFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(filtered_problems(user, data), PAGE_SIZE).get_page(request.GET.get("page"))
    today = _today()
    for p in page:
        p.overdue_days = p.days_overdue(today)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "supervision/problem_list.html",
        {
            "app": "supervision",
            "page": page,
            "form": form,
            "query": params.urlencode(),
            "office_person": units is not None,
            "counts": problems.queue_counts(user),
            "crumbs": _crumbs(("交办问题", None)),
        },
    )


def _action_forms(user: Any, problem: CityProblem, bound: dict[str, Any]) -> dict[str, Any]:
    """The forms of whoever may act on the problem now (a bound form refused by the rules is
    shown with its errors)."""
    forms: dict[str, Any] = {}
    if access.can_answer_problem(user, problem):
        linked = problem.unit_problem
        # Assigned, but the unit removed its own problem since: it may be assigned again.
        relinkable = problem.status == CityProblemStatus.ASSIGNED and (
            linked is None or linked.removed_at is not None
        )
        if problem.status == CityProblemStatus.DISPATCHED or relinkable:
            forms["assign"] = AssignForm(
                departments=problem.unit.active_departments(),
                initial={"deadline": problem.deadline},
            )
        if problem.status in (CityProblemStatus.DISPATCHED, CityProblemStatus.ASSIGNED):
            forms["submit"] = SubmitForm(initial={"note": problem.rectification_note})
    if access.can_manage_office(user, problem.office):
        if problem.status == CityProblemStatus.AWAITING:
            forms["verify"] = VerifyForm()
            forms["return"] = ReturnForm()
        if problem.status != CityProblemStatus.CLOSED:
            forms["remove"] = RemoveForm()
    forms.update(bound)
    return forms


def _problem_page(
    request: AuthenticatedHttpRequest,
    problem: CityProblem,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    problem = (
        CityProblem.objects.select_related(
            "office",
            "unit",
            "inspection",
            "unit_problem",
            "created_by",
            "rectified_by",
            "verified_by",
        )
        .filter(pk=problem.pk)
        .get()
    )
    problem.overdue_days = problem.days_overdue(_today())  # type: ignore[attr-defined]
    files = list(problem.files.filter(removed_at__isnull=True))
    linked = problem.unit_problem
    forms = _action_forms(user, problem, bound or {})
    return render(
        request,
        "supervision/problem_detail.html",
        {
            "app": "supervision",
            "problem": problem,
            "photos": [f for f in files if f.purpose == CityProblemFileKind.PROBLEM],
            "proof": [f for f in files if f.purpose == CityProblemFileKind.RECTIFICATION],
            "events": list(problem.events.select_related("actor").order_by("at", "id")),
            "linked": linked if linked is not None and linked.removed_at is None else None,
            "linked_open": linked is not None
            and linked.removed_at is None
            and linked.status != ProblemStatus.CLOSED,
            "forms": forms,
            "max_bytes": settings.WENMING_UPLOAD_MAX_BYTES,
            "crumbs": _crumbs(
                ("交办问题", reverse("supervision:problems")), (problem.number, None)
            ),
        },
        status=status,
    )


@login_required
def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require_reader(request.user)
    return _problem_page(request, access.get_problem_for_user(request.user, pk))


def _act(
    request: AuthenticatedHttpRequest,
    problem: CityProblem,
    key: str,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    """Run a step on the form's data: back to the page with the message, or the page with
    the form and its errors."""
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.file_errors.append(refusal)
    elif form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, message)
            return redirect("supervision:problem", pk=problem.pk)
    return _problem_page(request, problem, {key: form}, status=400)


@login_required
@require_POST
def problem_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_to_answer(request.user, pk)
    form = AssignForm(request.POST, departments=problem.unit.active_departments())
    return _act(
        request,
        problem,
        "assign",
        form,
        lambda d: problems.problem_assign(problem=problem, user=request.user, **d),
        f"问题 {problem.number} 已转入本单位整改。整改完成并销号后，请向文明办报送整改情况。",
    )


@limited_uploads
@login_required
@require_POST
def problem_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_to_answer(request.user, pk)
    return _act(
        request,
        problem,
        "submit",
        SubmitForm(request.POST),
        lambda d: problems.problem_submit(
            problem=problem,
            user=request.user,
            note=d["note"],
            uploads=request.FILES.getlist("files"),
        ),
        f"问题 {problem.number} 的整改情况已报送，等待文明办验收。",
    )


@login_required
@require_POST
def problem_verify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, write=True)
    return _act(
        request,
        problem,
        "verify",
        VerifyForm(request.POST),
        lambda d: problems.problem_verify(problem=problem, user=request.user, **d),
        f"问题 {problem.number} 验收通过，已销号。",
    )


@login_required
@require_POST
def problem_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, write=True)
    return _act(
        request,
        problem,
        "return",
        ReturnForm(request.POST),
        lambda d: problems.problem_return(problem=problem, user=request.user, **d),
        f"问题 {problem.number} 验收未通过，已退回{problem.unit.name}整改。",
    )


@login_required
@require_POST
def problem_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for_user(request.user, pk, write=True)
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            problems.problem_remove(problem=problem, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已撤回问题 {problem.number}（记录仍保留）。")
            return redirect("supervision:inspection", pk=problem.inspection_id)
    return _problem_page(request, problem, {"remove": form}, status=400)


@login_required
def problem_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_problem_file_for_user(request.user, pk)
    return stored_file_response(f, f.file)

"""Screens of the yearly 复查: the list (the office's 复查, or a unit's own reports), opening
a 复查, its table of holders with the counts per status, changing and closing it, and its
documents (复查结果通报 .docx, the list .xlsx). A holder's report page is in `report_views`.

Every object is fetched through `wenming.rechecks.access`; every write goes through
`wenming.rechecks.services`. Each page issues a bounded number of queries whatever the number
of holders.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.frameworks.access import visible_frameworks
from wenming.frameworks.models import Framework, FrameworkStatus
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger.downloads import stored_file_response
from wenming.rechecks import access, documents, services
from wenming.rechecks.forms import CloseForm, FilterForm, RecheckForm
from wenming.rechecks.models import Recheck, RecheckReport, ReportStatus
from wenming.rechecks.scores import average_in_term, scores_by_honour
from wenming.rechecks.states import STATE_LABELS, state_counts, state_filters

PAGE_SIZE = 100
CHOICE_LIMIT = 300


def _today() -> datetime.date:
    return timezone.localdate()


def list_crumb() -> tuple[str, str]:
    return ("复查", reverse("rechecks:index"))


def _frameworks(user: Any) -> QuerySet[Framework]:
    return visible_frameworks(user).filter(status=FrameworkStatus.PUBLISHED).order_by("name")


# --- the list ---------------------------------------------------------------------------------


def _with_counts(rechecks: QuerySet[Recheck]) -> QuerySet[Recheck]:
    today = _today()
    pending = Q(reports__status=ReportStatus.PENDING)
    unfiled = Q(reports__submitted_at__isnull=True)
    return rechecks.annotate(
        n_reports=Count("reports"),
        n_submitted=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
        n_decided=Count("reports", filter=Q(reports__status=ReportStatus.DECIDED)),
        n_missed=Count("reports", filter=pending & unfiled & Q(due_on__lt=today)),
        n_pending=Count("reports", filter=pending),
    )


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's 复查; a unit's own people see their unit's reports."""
    user = request.user
    if not access.is_office_person(user):
        return _own_reports(request)
    state = request.GET.get("status", "")
    if state in STATE_LABELS:
        return _open_reports(request, state)
    rechecks = _with_counts(access.visible_rechecks(user)).order_by("-year", "office__path", "-id")
    page = Paginator(rechecks, 50).get_page(request.GET.get("page"))
    for r in page:
        r.can_manage = access.can_manage_recheck(user, r)  # type: ignore[attr-defined]
    return render(
        request,
        "rechecks/index.html",
        {
            "page": page,
            "today": _today(),
            "can_open": access.manages_any_recheck(user),
            "crumbs": [("复查", None)],
        },
    )


def _open_reports(request: AuthenticatedHttpRequest, state: str) -> HttpResponse:
    """The reports in one state across the open 复查 the user reads (the home's queues)."""
    rechecks = access.visible_rechecks(request.user).filter(closed_on__isnull=True)
    reports = (
        RecheckReport.objects.filter(recheck__in=rechecks)
        .filter(state_filters(_today())[state])
        .select_related("recheck", "honour", "entry__unit")
        .order_by("recheck__due_on", "entry__unit__name", "id")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rechecks/reports.html",
        {
            "page": page,
            "rows": mark_rows(None, list(page), averages=False),
            "state": state,
            "state_label": STATE_LABELS[state],
            "states": [(k, STATE_LABELS[k]) for k in ("pending", "missed", "submitted")],
            "query": f"status={state}",
            "crumbs": [list_crumb(), (STATE_LABELS[state], None)],
        },
    )


def _own_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    reports = access.visible_reports(request.user).order_by(
        "-recheck__year", "entry__unit__name", "id"
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    today = _today()
    for r in page:
        r.state = services.status_label(r, today)  # type: ignore[attr-defined]
        r.missed = services.is_missed(r, today)  # type: ignore[attr-defined]
    return render(
        request,
        "rechecks/mine.html",
        {"page": page, "today": today, "crumbs": [("复查", None)]},
    )


# --- opening a 复查 ---------------------------------------------------------------------------


def _open_initial() -> dict[str, Any]:
    today = _today()
    return {
        "year": today.year,
        "title": f"{today.year}年度文明单位复查",
        "opens_on": today,
        "due_on": today + datetime.timedelta(days=30),
    }


@login_required
def recheck_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.manages_any_recheck(user):
        raise PermissionDenied("只有文明办管理员可以开启年度复查。")
    offices = access.managed_offices(user)
    form = RecheckForm(
        request.POST or None,
        offices=offices,
        frameworks=_frameworks(user),
        initial=_open_initial(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            recheck = services.recheck_open(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            n = recheck.reports.count()
            messages.success(
                request, f"已开启{recheck.title}：{n}家单位需在截止日期前提交年度自查报告。"
            )
            return redirect("rechecks:detail", pk=recheck.pk)
    managed = list(offices[:2])
    return render(
        request,
        "rechecks/new.html",
        {
            "form": form,
            "only_office": managed[0] if len(managed) == 1 else None,
            "crumbs": [list_crumb(), ("开启年度复查", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- a 复查's table ----------------------------------------------------------------------------


def _areas(recheck: Recheck) -> list[str]:
    return list(
        recheck.reports.exclude(entry__area="")
        .order_by("entry__area")
        .values_list("entry__area", flat=True)
        .distinct()[:CHOICE_LIMIT]
    )


def filtered_reports(recheck: Recheck, data: dict[str, Any]) -> QuerySet[RecheckReport]:
    """The 复查's reports with the table's filters (status, level, area, unit name)."""
    reports = recheck.reports.select_related("honour", "entry__unit")
    state = data.get("status") or ""
    filters = state_filters(_today())
    if state in filters:
        reports = reports.filter(filters[state])
    if data.get("level"):
        reports = reports.filter(honour__level=data["level"])
    if data.get("area"):
        reports = reports.filter(entry__area=data["area"])
    if (data.get("q") or "").strip():
        reports = reports.filter(entry__unit__name__icontains=data["q"].strip())
    return reports.order_by("entry__unit__name", "honour__title", "id")


def mark_rows(
    recheck: Recheck | None, rows: list[RecheckReport], *, averages: bool
) -> list[RecheckReport]:
    """What each row shows beyond its fields (the 复查 is set on each, or was selected with
    it: no query per row)."""
    today = _today()
    scores = scores_by_honour(r.honour_id for r in rows) if averages else {}
    for r in rows:
        if recheck is not None:
            r.recheck = recheck
        r.state = services.status_label(r, today)  # type: ignore[attr-defined]
        r.missed = services.is_missed(r, today)  # type: ignore[attr-defined]
        r.returned = services.is_returned(r)  # type: ignore[attr-defined]
        if averages:
            r.average = average_in_term(r.honour, scores.get(r.honour_id, []))  # type: ignore[attr-defined]
    return rows


def _query_without(request: AuthenticatedHttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()


def _detail_page(
    request: AuthenticatedHttpRequest,
    recheck: Recheck,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    can_manage = access.can_manage_recheck(user, recheck)
    form = FilterForm(request.GET or None, areas=_areas(recheck))
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(filtered_reports(recheck, data), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = mark_rows(recheck, list(page), averages=recheck.average_counts)
    forms: dict[str, Any] = {}
    if can_manage and recheck.closed_on is None:
        fields = {name: getattr(recheck, name) for name in services.RECHECK_FIELDS}
        fields["framework"] = recheck.framework_id
        forms["edit"] = bound.get("edit") or RecheckForm(
            offices=None, frameworks=_frameworks(user), initial=fields, auto_id="edit_%s"
        )
        forms["close"] = bound.get("close") or CloseForm(initial={"closed_on": _today()})
    left, unfiled = services.undecided_counts(recheck) if forms else (0, 0)
    return render(
        request,
        "rechecks/detail.html",
        {
            "recheck": recheck,
            "page": page,
            "rows": rows,
            "averages": recheck.average_counts,
            "form": form,
            "counts": state_counts(recheck.reports.all()),
            "query": _query_without(request),
            "status_query": _query_without(request, "status"),
            "can_manage": can_manage,
            "forms": forms,
            "undecided": left,
            "unfiled": unfiled,
            "today": _today(),
            "crumbs": [list_crumb(), (recheck.title, None)],
        },
        status=status,
    )


@login_required
def recheck_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, access.get_recheck_for_user(request.user, pk))


@login_required
@require_POST
def recheck_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recheck = access.get_recheck_for_user(request.user, pk, write=True)
    form = RecheckForm(
        request.POST, offices=None, frameworks=_frameworks(request.user), auto_id="edit_%s"
    )
    if form.is_valid():
        try:
            services.recheck_update(recheck=recheck, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存复查设置。")
            return redirect("rechecks:detail", pk=recheck.pk)
    return _detail_page(request, recheck, {"edit": form}, status=400)


@limited_uploads
@login_required
@require_POST
def recheck_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recheck = access.get_recheck_for_user(request.user, pk, write=True)
    form = CloseForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("document", refusal)
    elif form.is_valid():
        try:
            services.recheck_close(recheck=recheck, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"{recheck.title}已结束。")
            return redirect("rechecks:detail", pk=recheck.pk)
    return _detail_page(request, recheck, {"close": form}, status=400)


# --- documents --------------------------------------------------------------------------------


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def result_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """复查结果通报 (公文 .docx): the decisions grouped by kind."""
    recheck = access.get_recheck_for_user(request.user, pk)
    content = documents.result_docx(recheck)
    return _attachment(content, documents.DOCX_TYPE, f"{recheck.title}结果通报.docx")


@login_required
def list_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The 复查's holders with their scores and decisions (.xlsx), with the table's filters."""
    recheck = access.get_recheck_for_user(request.user, pk)
    form = FilterForm(request.GET or None, areas=_areas(recheck))
    data = form.cleaned_data if form.is_valid() else {}
    content = documents.list_xlsx(recheck, filtered_reports(recheck, data))
    return _attachment(content, documents.XLSX_TYPE, f"{recheck.title}名单.xlsx")


@login_required
def result_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The 复查结果通报 the office uploaded when it closed the 复查."""
    recheck = access.get_recheck_for_user(request.user, pk)
    document = recheck.result_document
    if document is None or document.removed_at is not None:
        raise Http404("该复查没有上传结果通报文件。")
    return stored_file_response(document, document.file)

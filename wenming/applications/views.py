"""Screens of applications (申报): the batches, a batch's page, the unit's 申报表, an
application's page with its frozen ledger and timeline, and the documents.

Every object is fetched through `wenming.applications.access`; every write goes through
`wenming.applications.services`. The office's decisions on an application or a batch are in
`office_views`, which re-renders the pages built here when a form comes back with errors.
Each page issues a bounded number of queries whatever the number of applications or frozen
items.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from wenming.applications import access, documents, services
from wenming.applications.eligibility import rule_label
from wenming.applications.forms import (
    AcceptForm,
    AnswerForm,
    ApplyForm,
    AssessmentForm,
    BatchForm,
    FieldRoundForm,
    NameForm,
    ObjectionForm,
    OpinionForm,
    PublicityForm,
    RejectForm,
    ReturnForm,
    WithdrawForm,
)
from wenming.applications.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationStatus,
    Batch,
    RuleKind,
    SnapshotFile,
    SnapshotItem,
)
from wenming.core.docx import DOCX_TYPE
from wenming.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from wenming.frameworks.access import visible_frameworks
from wenming.frameworks.models import FrameworkStatus, Node
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger.downloads import stored_file_response
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import RegistryEntry

PAGE_SIZE = 50
TABLE_SIZE = 100
S = ApplicationStatus
# The office's step on an application in each status, and who acts next (for the unit).
NEXT_STEP: dict[str, str] = {
    S.SUBMITTED: "等待文明办初审",
    S.RETURNED: "请按要求补充材料后重新提交",
    S.ACCEPTED: "等待实地测评",
    S.ASSESSED: "文明办正在征求有关部门意见",
    S.CONSULTED: "等待公示",
    S.PUBLICIZED: "公示中",
}


def _today() -> datetime.date:
    return timezone.localdate()


def _list_crumb() -> tuple[str, str]:
    return ("申报", reverse("applications:index"))


def _batch_crumb(batch: Batch) -> tuple[str, str]:
    return (batch.title, reverse("applications:batch", args=[batch.pk]))


def window_state(batch: Batch, today: datetime.date) -> str:
    if today < batch.opens_on:
        return "未开始"
    if today > batch.closes_on:
        return "已截止"
    return "申报中"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the list --------------------------------------------------------------------------------


# The office home's queues (`?status=`), over every batch the user sees.
QUEUES = {
    "submitted": "待初审",
    "accepted": "待实地测评",
    "assessed": "待征求意见",
    "publicized": "公示中",
    "to_name": "待公示或命名",
}


def _queue(user: User, status: str, today: datetime.date) -> list[Application]:
    if status == "to_name":
        where = Q(status=S.CONSULTED) | Q(status=S.PUBLICIZED, publicity_ends_on__lt=today)
    elif status == "publicized":
        where = Q(status=S.PUBLICIZED, publicity_ends_on__gte=today)
    else:
        where = Q(status=status)
    return list(
        access.visible_applications(user)
        .filter(where, batch__removed_at__isnull=True)
        .order_by("submitted_at", "id")[:200]
    )


def _office_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")
    queue = _queue(user, status, _today()) if status in QUEUES else None
    live = ~Q(applications__status=S.WITHDRAWN)
    batches = (
        access.visible_batches(user)
        .annotate(
            filed=Count("applications", filter=live),
            to_check=Count("applications", filter=Q(applications__status=S.SUBMITTED)),
            named=Count("applications", filter=Q(applications__status=S.NAMED)),
        )
        .order_by("-year", "-opens_on", "-id")
    )
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    today = _today()
    for b in page:
        b.window = window_state(b, today)  # type: ignore[attr-defined]
    return render(
        request,
        "applications/index.html",
        {
            "office_view": True,
            "queue": queue,
            "queue_label": QUEUES.get(status, ""),
            "page": page,
            "can_open": access.manages_any_batch(user),
            "crumbs": [("申报", None)],
        },
    )


def _unit_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = _today()
    own = list(
        access.visible_applications(user).order_by("-batch__year", "-submitted_at", "-id")[:200]
    )
    filed = {a.batch_id for a in own if a.status != S.WITHDRAWN}
    batches = list(
        access.visible_batches(user).filter(closes_on__gte=today).order_by("opens_on", "id")[:100]
    )
    can_apply = bool(access.applicant_units(user))
    for a in own:
        a.next_step = NEXT_STEP.get(a.status, "")  # type: ignore[attr-defined]
    for b in batches:
        b.window = window_state(b, today)  # type: ignore[attr-defined]
        b.filed = b.pk in filed  # type: ignore[attr-defined]
    return render(
        request,
        "applications/index.html",
        {
            "office_view": False,
            "batches": batches,
            "applications": own,
            "can_apply": can_apply,
            "crumbs": [("申报", None)],
        },
    )


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's batches; a unit's people see the open batches and their applications."""
    if access.is_office_person(request.user):
        return _office_index(request)
    return _unit_index(request)


# --- opening and editing a batch -------------------------------------------------------------


def _frameworks(user: User) -> QuerySet[Any]:
    return (
        visible_frameworks(user)
        .filter(status=FrameworkStatus.PUBLISHED)
        .order_by("name", "-edition_year", "-id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.manages_any_batch(user):
        raise PermissionDenied("只有文明办管理员可以新建申报批次。")
    offices = access.managed_offices(user)
    today = _today()
    initial = {
        "year": today.year,
        "opens_on": today,
        "summary_limit": 3000,
        "publicity_days": 5,
        "term_years": 3,
        "rule_not_banned": True,
        "rule_no_veto": True,
        "no_veto_years": 3,
    }
    form = BatchForm(
        request.POST or None, offices=offices, frameworks=_frameworks(user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(
                office=form.cleaned_data["office"],
                user=user,
                rules=form.rules(),
                **form.batch_fields(),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已新建申报批次“{batch.title}”。")
            return redirect("applications:batch", pk=batch.pk)
    managed = list(offices[:2])
    return render(
        request,
        "applications/batch_form.html",
        {
            "form": form,
            "batch": None,
            "only_office": managed[0] if len(managed) == 1 else None,
            "crumbs": [_list_crumb(), ("新建申报批次", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    batch = access.get_batch_for_user(user, pk, write=True)
    form = BatchForm(
        request.POST or None,
        offices=None,
        frameworks=_frameworks(user),
        initial=BatchForm.initial_for(batch),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(batch=batch, user=user, rules=form.rules(), **form.batch_fields())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存申报批次。")
            return redirect("applications:batch", pk=batch.pk)
    return render(
        request,
        "applications/batch_form.html",
        {
            "form": form,
            "batch": batch,
            "crumbs": [_list_crumb(), _batch_crumb(batch), ("修改", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- a batch's page --------------------------------------------------------------------------


def _status_counts(batch: Batch) -> list[dict[str, Any]]:
    found = dict(
        Application.objects.filter(batch=batch)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [{"value": s.value, "label": s.label, "count": found.get(s.value, 0)} for s in S]


def _candidates(batch: Batch, status: str) -> QuerySet[Application]:
    return (
        Application.objects.filter(batch=batch, status=status)
        .select_related("unit")
        .order_by("unit__name", "id")
    )


def batch_forms(batch: Batch, bound: dict[str, Any]) -> dict[str, Any]:
    """The office's forms on the batch page; `bound` holds the one posted with errors."""
    return {
        "publicity": bound.get("publicity")
        or PublicityForm(
            candidates=_candidates(batch, S.CONSULTED), initial={"starts_on": _today()}
        ),
        "name": bound.get("name")
        or NameForm(candidates=_candidates(batch, S.PUBLICIZED), initial={"named_on": _today()}),
    }


def _table(request: AuthenticatedHttpRequest, batch: Batch) -> tuple[Any, str]:
    apps = (
        access.visible_applications(request.user)
        .filter(batch=batch)
        .annotate(
            opinion_count=Count("opinions", distinct=True),
            open_objections=Count(
                "objections", filter=Q(objections__answered_on__isnull=True), distinct=True
            ),
        )
        .order_by("unit__name", "id")
    )
    status = request.GET.get("status", "")
    if status in S.values:
        apps = apps.filter(status=status)
    else:
        status = ""
    page = Paginator(apps, TABLE_SIZE).get_page(request.GET.get("page"))
    for a in page:
        a.eligible = all(r.get("ok") for r in a.eligibility or [])  # type: ignore[attr-defined]
    return page, status


def batch_page(
    request: AuthenticatedHttpRequest,
    batch: Batch,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    office_person = access.is_office_person(user)
    can_manage = access.can_manage_batch(user, batch)
    counts = _status_counts(batch) if office_person else []
    named = next((c["count"] for c in counts if c["value"] == S.NAMED), 0)
    page, chosen = _table(request, batch)
    today = _today()
    own_open = [a for a in page if a.status not in CLOSED_STATUSES] if not office_person else []
    return render(
        request,
        "applications/batch.html",
        {
            "batch": batch,
            "rules": [rule_label(r) for r in batch.rules.all()],
            "materials": [m.strip() for m in batch.materials.splitlines() if m.strip()],
            "window": window_state(batch, today),
            "office_person": office_person,
            "can_manage": can_manage,
            "can_apply": not office_person
            and bool(access.applicant_units(user))
            and not own_open
            and window_state(batch, today) == "申报中",
            "counts": counts,
            "named": named,
            "left": max(batch.quota - named, 0),
            "page": page,
            "chosen": chosen,
            "query": f"status={chosen}" if chosen else "",
            "forms": batch_forms(batch, bound or {}) if can_manage and not batch.named_on else {},
            "crumbs": [_list_crumb(), (batch.title, None)],
        },
        status=status,
    )


@login_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return batch_page(request, access.get_batch_for_user(request.user, pk))


@login_required
@require_POST
def batch_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk, write=True)
    try:
        services.batch_remove(batch=batch, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("applications:batch", pk=batch.pk)
    messages.success(request, f"已删除申报批次“{batch.title}”（记录仍保留）。")
    return redirect("applications:index")


@login_required
def decision_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    batch = access.get_batch_for_user(request.user, pk)
    document = batch.decision_document
    if document is None or document.removed_at is not None:
        raise Http404("该批次没有上传命名决定文件。")
    return stored_file_response(document, document.file)


# --- applying --------------------------------------------------------------------------------


def _applicant_unit(request: AuthenticatedHttpRequest, batch: Batch) -> Organization:
    """The unit the 创建办 applies for: one under the batch's office (chosen when several)."""
    units = [
        u
        for u in access.applicant_units(request.user)
        if u.path.startswith(batch.office.path) and u.kind == OrgKind.UNIT
    ]
    if not units:
        raise PermissionDenied("只有本单位创建办可以申报，且单位须在该文明办下。")
    chosen = request.POST.get("unit") or request.GET.get("unit") or ""
    return next((u for u in units if str(u.pk) == chosen), units[0])


def _apply_initial(entry: RegistryEntry | None, unit: Organization) -> dict[str, Any]:
    """The last application of the unit fills the form; otherwise the registry's facts."""
    last = Application.objects.filter(unit=unit).order_by("-id").first()
    if last is not None:
        return ApplyForm.initial_for(last)
    if entry is None:
        return {}
    return {
        "staff_count": entry.staff_count,
        "contact_name": entry.info_admin_name,
        "contact_phone": entry.info_admin_phone,
    }


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The 申报表: eligibility first; an ineligible unit sees the reasons and no form."""
    user = request.user
    batch = access.get_batch_for_user(user, pk)
    unit = _applicant_unit(request, batch)
    existing = (
        Application.objects.filter(batch=batch, unit=unit).exclude(status=S.WITHDRAWN).first()
    )
    if existing is not None:
        messages.info(request, "本单位已申报该批次，以下是申报情况。")
        return redirect("applications:application", pk=existing.pk)
    entry = services.entry_for(batch, unit)
    today = _today()
    form = ApplyForm(
        request.POST or None, limit=batch.summary_limit, initial=_apply_initial(entry, unit)
    )
    valid = request.method == "POST" and form.is_valid()
    staff = form.cleaned_data.get("staff_count") if valid else None
    results = (
        services.check_eligibility(batch=batch, entry=entry, day=today, staff_count=staff)
        if entry is not None
        else []
    )
    # The staff count is the form's: a unit short of it sees the reason and may correct it.
    blocking = [r for r in results if not r.ok and r.kind != RuleKind.MIN_STAFF]
    eligible = entry is not None and not blocking
    open_now = window_state(batch, today) == "申报中"
    if valid and eligible and open_now:
        try:
            application = services.application_submit(
                batch=batch, unit=unit, user=user, day=today, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已提交申报，材料已冻结。请等待文明办初审。")
            return redirect("applications:application", pk=application.pk)
    return render(
        request,
        "applications/apply.html",
        {
            "batch": batch,
            "unit": unit,
            "entry": entry,
            "results": results,
            "eligible": eligible,
            "open_now": open_now,
            "form": form,
            "self_round": services.latest_self_round(unit),
            "materials": [m.strip() for m in batch.materials.splitlines() if m.strip()],
            "resubmit": None,
            "crumbs": [_list_crumb(), _batch_crumb(batch), ("我要申报", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resubmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = access.get_application_for_applicant(user, pk)
    if application.status != S.RETURNED:
        messages.info(request, "该申报不在“退回补充”状态，无需重新提交。")
        return redirect("applications:application", pk=application.pk)
    batch = application.batch
    form = ApplyForm(
        request.POST or None,
        limit=batch.summary_limit,
        initial=ApplyForm.initial_for(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_resubmit(application=application, user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已重新提交申报，材料已重新冻结。")
            return redirect("applications:application", pk=application.pk)
    return render(
        request,
        "applications/apply.html",
        {
            "batch": batch,
            "unit": application.unit,
            "form": form,
            "eligible": True,
            "open_now": True,
            "results": [],
            "resubmit": application,
            "returned": application.events.filter(kind="returned").order_by("-at").first(),
            "materials": [m.strip() for m in batch.materials.splitlines() if m.strip()],
            "crumbs": [
                _list_crumb(),
                _batch_crumb(batch),
                (application.unit.name, reverse("applications:application", args=[pk])),
                ("补充后重新提交", None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- an application's page -------------------------------------------------------------------


def ledger_by_standard(application: Application) -> list[dict[str, Any]]:
    """The frozen items grouped by the standard they prove: three queries."""
    files = SnapshotFile.objects.select_related("file").order_by("position", "id")
    items = list(
        SnapshotItem.objects.filter(application=application)
        .prefetch_related(Prefetch("files", queryset=files, to_attr="shown_files"))
        .order_by("activity_date", "id")
    )
    ids = {i for item in items for i in item.standard_ids}
    nodes = Node.objects.filter(pk__in=ids).only("pk", "code", "title", "position")
    groups: dict[int, dict[str, Any]] = {
        n.pk: {"standard": n, "items": []} for n in sorted(nodes, key=lambda n: n.position)
    }
    for item in items:
        for i in item.standard_ids:
            if i in groups:
                groups[i]["items"].append(item)
    return [g for g in groups.values() if g["items"]]


def office_people(batch: Batch) -> QuerySet[User]:
    """The people of the batch's office and the offices above and under it: the assessors
    offered."""
    office = batch.office
    offices = Organization.objects.filter(kind=OrgKind.OFFICE, is_active=True).filter(
        Q(path__startswith=office.path) | Q(pk__in=office.ancestor_ids)
    )
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__in=offices,
        )
        .distinct()
        .order_by("first_name", "username")
    )


def application_forms(
    application: Application, objections: list[Any], bound: dict[str, Any]
) -> dict[str, Any]:
    """The office's forms for the application's current step."""
    today = {"received_on": _today()}
    status = application.status
    forms: dict[str, Any] = {}
    if status == S.SUBMITTED:
        forms["accept"] = bound.get("accept") or AcceptForm()
        forms["return"] = bound.get("return") or ReturnForm()
    if status == S.ACCEPTED:
        if application.field_round_id is None:
            forms["round"] = bound.get("round") or FieldRoundForm(
                people=office_people(application.batch), initial={"scored_on": _today()}
            )
        forms["assess"] = bound.get("assess") or AssessmentForm(
            has_round=application.field_round_id is not None
        )
    if status == S.ASSESSED:
        forms["opinion"] = bound.get("opinion") or OpinionForm(initial=today)
    if status == S.PUBLICIZED:
        forms["objection"] = bound.get("objection") or ObjectionForm(initial=today)
        for o in objections:
            if o.answered_on is None:
                o.answer_form = bound.get(f"answer{o.pk}") or AnswerForm(
                    objection_pk=o.pk, initial={"answered_on": _today()}
                )
    if status not in CLOSED_STATUSES:
        forms["reject"] = bound.get("reject") or RejectForm()
    return forms


def _field_sheet_url(user: Any, application: Application) -> str | None:
    """Where the 实地测评 round is read, for those who may read it: the sheet on the frozen
    submission; an earlier round on the unit's campaign opens in 测评打分 for the office."""
    round_ = application.field_round
    if round_ is None or round_.removed_at is not None:
        return None
    office_side = access.reads_as_office(user, application.batch)
    if round_.campaign_id is not None:
        return reverse("scoring:sheet", args=[round_.pk]) if office_side else None
    if office_side or application.field_score is not None:
        return reverse("applications:field_sheet", args=[round_.pk])
    return None


def application_page(
    request: AuthenticatedHttpRequest,
    application: Application,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    batch = application.batch
    can_manage = access.can_manage_batch(user, batch)
    is_applicant = access.can_apply_for(user, application.unit)
    office_person = access.is_office_person(user)
    objections = list(application.objections.select_related("recorded_by"))
    events = list(application.events.select_related("actor").order_by("at", "id"))
    crumbs: list[tuple[str, str | None]] = [_list_crumb(), _batch_crumb(batch)]
    return render(
        request,
        "applications/application.html",
        {
            "application": application,
            "batch": batch,
            "eligibility": application.eligibility or [],
            "ledger": ledger_by_standard(application),
            "opinions": list(application.opinions.select_related("recorded_by")),
            "objections": objections,
            "events": events,
            "assessors": list(application.assessors.all()),
            "field_sheet_url": _field_sheet_url(user, application),
            "office_person": office_person,
            "can_manage": can_manage,
            "is_applicant": is_applicant,
            "next_step": NEXT_STEP.get(application.status, ""),
            "forms": application_forms(application, objections, bound) if can_manage else {},
            "withdraw_form": bound.get("withdraw") or WithdrawForm(),
            "can_withdraw": is_applicant and application.status in (S.SUBMITTED, S.RETURNED),
            "crumbs": [*crumbs, (application.unit.name, None)],
        },
        status=status,
    )


@login_required
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return application_page(request, access.get_application_for_user(request.user, pk))


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_applicant(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.application_withdraw(
                application=application, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已撤回申报。")
            return redirect("applications:application", pk=application.pk)
    return application_page(request, application, {"withdraw": form}, status=400)


@login_required
def snapshot_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    found = access.get_snapshot_file_for_user(request.user, pk)
    return stored_file_response(found.file, found.file.file)


# --- documents -------------------------------------------------------------------------------


@login_required
def form_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk)
    content = documents.application_form_docx(application)
    return _attachment(content, DOCX_TYPE, documents.filename(application, "申报表", "docx"))


@login_required
def summary_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk)
    content = documents.summary_docx(application)
    return _attachment(content, DOCX_TYPE, documents.filename(application, "创建工作总结", "docx"))


def _office_batch(request: AuthenticatedHttpRequest, pk: int) -> Batch:
    """A batch's documents are the office's: a unit's people are refused."""
    batch = access.get_batch_for_user(request.user, pk)
    if not access.is_office_person(request.user):
        raise PermissionDenied("批次的公文和名单由文明办下载。")
    return batch


@login_required
def decision_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _office_batch(request, pk)
    return _attachment(
        documents.decision_docx(batch), DOCX_TYPE, documents.batch_filename(batch, "命名决定")
    )


@login_required
def publicity_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _office_batch(request, pk)
    return _attachment(
        documents.publicity_docx(batch), DOCX_TYPE, documents.batch_filename(batch, "公示")
    )


@login_required
def list_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _office_batch(request, pk)
    return _attachment(
        documents.batch_workbook(batch),
        XLSX_TYPE,
        documents.batch_filename(batch, "申报名单", "xlsx"),
    )

"""Screens of the registry (文明单位名录): the office's list, registering a unit, a unit's
page with its honours, their history, negative events and revocations, and the forms the
office decides with.

Every object is fetched through `wenming.registry.access`; every write goes through
`wenming.registry.services`. Each page issues a bounded number of queries whatever the size
of the registry. The Excel import and export live in `io_views`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger.downloads import stored_file_response
from wenming.orgs.access import path_q
from wenming.orgs.models import Organization, OrgKind
from wenming.registry import access, services
from wenming.registry.filters import Filters
from wenming.registry.forms import (
    TITLE_SUGGESTIONS,
    EntryEditForm,
    EntryRegisterForm,
    FilterForm,
    HonourForm,
    NegativeForm,
    RevokeForm,
    StatusForm,
    WithdrawForm,
)
from wenming.registry.models import (
    Honour,
    HonourEvent,
    HonourStatus,
    RegistryEntry,
)

PAGE_SIZE = 50
CHOICE_LIMIT = 300


def _today() -> datetime.date:
    return timezone.localdate()


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.WENMING_UPLOAD_MAX_BYTES)


def _list_crumb() -> tuple[str, str]:
    return ("文明单位名录", reverse("registry:index"))


# --- the list --------------------------------------------------------------------------------


def _distinct(entries: QuerySet[RegistryEntry], field: str) -> list[str]:
    return list(
        entries.exclude(**{field: ""})
        .order_by(field)
        .values_list(field, flat=True)
        .distinct()[:CHOICE_LIMIT]
    )


def _filters(data: dict[str, Any], *, with_status: bool = True) -> Filters:
    """The list form's cleaned data as the registry's one filter definition."""
    return Filters(
        level=data.get("level") or "",
        status=(data.get("status") or "") if with_status else "",
        sector=data.get("sector") or "",
        area=data.get("area") or "",
        year=data.get("year") or None,
        q=(data.get("q") or "").strip(),
    )


def _filtered(
    entries: QuerySet[RegistryEntry], data: dict[str, Any], *, with_status: bool = True
) -> QuerySet[RegistryEntry]:
    if data.get("office"):
        entries = entries.filter(office=data["office"])
    return _filters(data, with_status=with_status).entries(entries)


def _status_counts(entries: QuerySet[RegistryEntry], data: dict[str, Any]) -> list[dict[str, Any]]:
    honours = _filters(data, with_status=False).honours(
        Honour.objects.live().filter(entry__in=entries.values("pk"))
    )
    found = dict(honours.order_by().values_list("status").annotate(n=Count("id")))
    return [
        {"value": s.value, "label": s.label, "count": found.get(s.value, 0)} for s in HonourStatus
    ]


def _query_without(request: AuthenticatedHttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's registry; a unit's own people are taken to their own entry."""
    user = request.user
    if not access.is_office_person(user):
        own = list(access.visible_entries(user)[:2])
        if len(own) == 1:
            return redirect("registry:entry", pk=own[0].pk)
        return render(request, "registry/not_listed.html", {"crumbs": [("本单位荣誉", None)]})
    base = access.visible_entries(user)
    offices = access.visible_offices(user)
    form = FilterForm(
        request.GET or None,
        offices=offices,
        sectors=_distinct(base, "sector"),
        areas=_distinct(base, "area"),
    )
    data = form.cleaned_data if form.is_valid() else {}
    entries = _filtered(base, data).order_by("office__path", "unit__name", "id")
    honours = Honour.objects.live().select_related("issuer").order_by("-year_named", "-id")
    entries = entries.prefetch_related(Prefetch("honours", queryset=honours, to_attr="shown"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/index.html",
        {
            "form": form,
            "page": page,
            "statuses": _status_counts(_filtered(base, data, with_status=False), data),
            "query": _query_without(request),
            "status_query": _query_without(request, "status"),
            "can_register": access.manages_any_registry(user),
            "show_office": offices.count() > 1,
            "crumbs": [("文明单位名录", None)],
        },
    )


# --- registering a unit ----------------------------------------------------------------------


def _unregistered_units(offices: QuerySet[Organization]) -> QuerySet[Organization]:
    paths = tuple(offices.values_list("path", flat=True))
    return (
        Organization.objects.filter(
            path_q(paths), kind=OrgKind.UNIT, is_active=True, registry_entry__isnull=True
        )
        .order_by("path")
        .only("pk", "name", "path")
    )


@login_required
def entry_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.manages_any_registry(user):
        raise PermissionDenied("只有文明办管理员可以登记名录单位。")
    offices = access.registry_offices(user)
    form = EntryRegisterForm(
        request.POST or None, offices=offices, units=_unregistered_units(offices)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_register(
                office=data["office"],
                user=user,
                unit=data["unit"],
                unit_name=data["unit_name"],
                sector=data["sector"],
                area=data["area"],
                staff_count=data["staff_count"],
                info_admin_name=data["info_admin_name"],
                info_admin_phone=data["info_admin_phone"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已将“{entry.unit.name}”列入名录，请登记其荣誉称号。")
            return redirect(reverse("registry:entry", args=[entry.pk]) + "#honour-new")
    managed = list(offices[:2])
    return render(
        request,
        "registry/entry_new.html",
        {
            "form": form,
            "only_office": managed[0] if len(managed) == 1 else None,
            "crumbs": [_list_crumb(), ("登记单位", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- a unit's page ---------------------------------------------------------------------------


def _honours(entry: RegistryEntry) -> list[Honour]:
    events = HonourEvent.objects.select_related("actor", "document").order_by("at", "id")
    return list(
        Honour.objects.live()
        .filter(entry=entry)
        .select_related("issuer")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("-year_named", "-id")
    )


def _page_forms(
    entry: RegistryEntry,
    honours: list[Honour],
    negatives: list[Any],
    bound: dict[str, Any],
) -> dict[str, Any]:
    """The office's forms; `bound` holds the one that was posted with errors."""
    live_events = [e for e in negatives if e.removed_at is None]
    issuers = Organization.objects.filter(
        pk__in=[*entry.office.ancestor_ids, entry.office_id], kind=OrgKind.OFFICE
    ).order_by("path")
    facts = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    forms: dict[str, Any] = {
        "edit": bound.get("edit") or EntryEditForm(initial=facts),
        "honour": bound.get("honour")
        or HonourForm(
            issuers=issuers, initial={"issuer": entry.office_id, "year_named": _today().year}
        ),
        "negative": bound.get("negative") or NegativeForm(initial={"occurred_on": _today()}),
    }
    for h in honours:
        if h.is_held:
            status = bound.get(f"status{h.pk}")
            revoke = bound.get(f"revoke{h.pk}")
            today = {"decided_on": _today()}
            h.status_form = status or StatusForm(honour_pk=h.pk, initial=today)  # type: ignore[attr-defined]
            h.revoke_form = revoke or RevokeForm(  # type: ignore[attr-defined]
                honour_pk=h.pk, events=live_events, initial=today
            )
    for e in live_events:
        withdraw = bound.get(f"withdraw{e.pk}") or WithdrawForm(event_pk=e.pk)
        e.withdraw_form = withdraw
    return forms


def _entry_page(
    request: AuthenticatedHttpRequest,
    entry: RegistryEntry,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = access.can_manage_registry(user, entry.office)
    honours = _honours(entry)
    negatives = list(
        entry.negative_events.select_related("recorded_by", "verified_by").order_by(
            "-occurred_on", "-id"
        )
    )
    revocations = list(
        entry.revocations.select_related("honour", "document", "negative_event", "recorded_by")
    )
    today = _today()
    ban = max(
        (r for r in revocations if r.decided_on <= today and r.bans_on(today)),
        key=lambda r: r.banned_until or datetime.date.min,
        default=None,
    )
    grounds = {r.negative_event_id for r in revocations}
    for e in negatives:
        e.late = not e.reported_in_time(services.SELF_REPORT_DAYS)  # type: ignore[attr-defined]
        e.grounds_revocation = e.pk in grounds  # type: ignore[attr-defined]
    office_person = access.is_office_person(user)
    crumbs = [_list_crumb(), (entry.unit.name, None)] if office_person else [("本单位荣誉", None)]
    return render(
        request,
        "registry/entry.html",
        {
            "entry": entry,
            "honours": honours,
            "negatives": negatives,
            "revocations": revocations,
            "ban": ban,
            "report_days": services.SELF_REPORT_DAYS,
            "can_manage": can_manage,
            "forms": _page_forms(entry, honours, negatives, bound or {}) if can_manage else {},
            "title_suggestions": TITLE_SUGGESTIONS,
            "max_bytes": _max_bytes(),
            "crumbs": crumbs,
        },
        status=status,
    )


@login_required
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, access.get_entry_for_user(request.user, pk))


def _done(
    request: AuthenticatedHttpRequest, entry_pk: int, message: str, anchor: str = ""
) -> HttpResponse:
    messages.success(request, message)
    url = reverse("registry:entry", args=[entry_pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def entry_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_for_user(request.user, pk, write=True)
    form = EntryEditForm(request.POST)
    if form.is_valid():
        try:
            services.entry_update(entry=entry, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, entry.pk, "已保存单位信息。")
    return _entry_page(request, entry, {"edit": form}, status=400)


def _refused_upload(request: AuthenticatedHttpRequest, form: Any) -> bool:
    """An upload stopped at the door: the message goes on the form's document field."""
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("document", refusal)
        return True
    return False


@limited_uploads
@login_required
@require_POST
def honour_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_for_user(request.user, pk, write=True)
    issuers = Organization.objects.filter(
        pk__in=[*entry.office.ancestor_ids, entry.office_id], kind=OrgKind.OFFICE
    )
    form = HonourForm(request.POST, request.FILES, issuers=issuers)
    if not _refused_upload(request, form) and form.is_valid():
        try:
            honour = services.honour_add(entry=entry, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, entry.pk, f"已登记称号：{honour}。", f"honour-{honour.pk}")
    return _entry_page(request, entry, {"honour": form}, status=400)


@limited_uploads
@login_required
@require_POST
def honour_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    honour = access.get_honour_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST, request.FILES, honour_pk=honour.pk)
    if not _refused_upload(request, form) and form.is_valid():
        try:
            event = services.honour_change_status(
                honour=honour, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(
                request,
                honour.entry_id,
                f"已将“{honour.title}”变更为{event.get_to_status_display()}。",
                f"honour-{honour.pk}",
            )
    return _entry_page(request, honour.entry, {f"status{honour.pk}": form}, status=400)


@limited_uploads
@login_required
@require_POST
def honour_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    honour = access.get_honour_for_user(request.user, pk, write=True)
    events = list(honour.entry.negative_events.live())
    form = RevokeForm(request.POST, request.FILES, honour_pk=honour.pk, events=events)
    if not _refused_upload(request, form) and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "negative_event"}
        try:
            revocation = services.revoke(
                honour=honour, user=request.user, negative_event=form.chosen_event(), **data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            until = revocation.banned_until
            ban = f"，禁止申报至{until.year}年{until.month}月{until.day}日" if until else ""
            return _done(request, honour.entry_id, f"已摘牌：{honour}{ban}。", "revocations")
    return _entry_page(request, honour.entry, {f"revoke{honour.pk}": form}, status=400)


@login_required
@require_POST
def negative_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_for_user(request.user, pk, write=True)
    form = NegativeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.negative_event_record(
                entry=entry,
                user=request.user,
                verified_by=request.user if data["verified_on"] else None,
                **data,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, entry.pk, "已记录负面事项。", "negatives")
    return _entry_page(request, entry, {"negative": form}, status=400)


@login_required
@require_POST
def negative_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.get_negative_event_for_user(request.user, pk, write=True)
    form = WithdrawForm(request.POST, event_pk=event.pk)
    if form.is_valid():
        try:
            services.negative_event_withdraw(
                event=event, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _done(request, event.entry_id, "已撤回该负面事项（记录仍保留）。", "negatives")
    return _entry_page(request, event.entry, {f"withdraw{event.pk}": form}, status=400)


# --- documents -------------------------------------------------------------------------------


@login_required
def document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_decision_file_for_user(request.user, pk)
    return stored_file_response(f, f.file)

"""The office's work on the ledger: review, the recycle bin, year archives, the workbench."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access, services
from wenming.ledger.forms import (
    CommentForm,
    YearForm,
)
from wenming.ledger.models import (
    ArchiveEvent,
    EvidenceItem,
    ItemStatus,
    YearArchive,
)
from wenming.ledger.views._common import (
    PAGE_SIZE,
    _crumbs,
    _decorate,
    _error_message,
    _list_items,
    _managed_campaign,
    _next_or,
)


@login_required
@require_POST
def item_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_evidence_for_user(request.user, pk, review=True)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.item_approve(item=item, user=request.user, comment=comment)
    except ValidationError as exc:
        return _decided(request, item, error=_error_message(exc))
    return _decided(request, item, done=f"已审核通过“{item.title}”。")


@login_required
@require_POST
def item_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_evidence_for_user(request.user, pk, review=True)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.item_return(item=item, user=request.user, comment=comment)
    except ValidationError as exc:
        return _decided(request, item, error=_error_message(exc))
    return _decided(request, item, done=f"已退回“{item.title}”，上传部门会在工作台看到退回意见。")


def _decided(
    request: AuthenticatedHttpRequest, item: EvidenceItem, *, done: str = "", error: str = ""
) -> HttpResponse:
    """The queue's htmx row swap gets the outcome in place; a plain form goes back."""
    if request.htmx:
        return render(
            request, "ledger/_review_done.html", {"item": item, "done": done, "error": error}
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_next_or(request, reverse("ledger:item", args=[item.pk])))


@login_required
def review_queue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request.user, pk)
    qs = access.visible_evidence(request.user).filter(
        campaign=campaign, status=ItemStatus.SUBMITTED
    )
    page = Paginator(_list_items(qs).order_by("submitted_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ledger/review.html",
        {
            "campaign": campaign,
            "page": page,
            "items": _decorate(page.object_list),
            "here": request.get_full_path(),
            "crumbs": _crumbs(campaign, ("审核台账", None)),
        },
    )


@login_required
def recycle_bin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request.user, pk)
    qs = services.bin_items(campaign.unit).filter(campaign=campaign)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    items = list(page.object_list)
    for item in items:
        due = services.purge_due(item)
        item.purge_due = due
        item.purgeable = due is not None and due <= now
    reasons = _removal_reasons(items)
    for item in items:
        item.removal_reason = reasons.get(item.pk, "")
    return render(
        request,
        "ledger/bin.html",
        {
            "campaign": campaign,
            "page": page,
            "items": items,
            "retention_days": services.settings.WENMING_RECYCLE_RETENTION_DAYS,
            "crumbs": _crumbs(campaign, ("回收站", None)),
        },
    )


def _removal_reasons(items: list[EvidenceItem]) -> dict[int, str]:
    from wenming.ledger.models import EventKind, EvidenceEvent

    reasons: dict[int, str] = {}
    events = EvidenceEvent.objects.filter(
        item__in=[i.pk for i in items], kind=EventKind.REMOVED
    ).order_by("at", "id")
    for event in events:
        reasons[event.item_id] = event.comment
    return reasons


@login_required
@require_POST
def item_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_binned_evidence_for_user(request.user, pk)
    try:
        services.item_restore(item=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
        return redirect("ledger:bin", pk=item.campaign_id)
    messages.success(request, f"已恢复台账“{item.title}”。")
    return redirect("ledger:item", pk=item.pk)


@login_required
@require_POST
def item_purge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_binned_evidence_for_user(request.user, pk)
    try:
        services.item_purge(item=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, f"已彻底删除台账“{item.title}”及其文件。")
    return redirect("ledger:bin", pk=item.campaign_id)


@login_required
def archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = campaign_access.get_campaign_for_user(user, pk)
    unit = campaign.unit
    counts = {
        row["year"]: row
        for row in access.visible_evidence(user)
        .filter(unit=unit)
        .values("year")
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(status=ItemStatus.SUBMITTED)),
            approved=Count("id", filter=Q(status=ItemStatus.APPROVED)),
            returned=Count("id", filter=Q(status=ItemStatus.RETURNED)),
        )
    }
    archives = {a.year: a for a in YearArchive.objects.filter(unit=unit)}
    years = sorted(set(counts) | set(archives), reverse=True)
    rows = [
        {
            "year": y,
            "counts": counts.get(y, {"total": 0, "pending": 0, "approved": 0, "returned": 0}),
            "archive": archives.get(y),
            "archived": bool(archives.get(y) and archives[y].archived),
        }
        for y in years
    ]
    history = list(
        ArchiveEvent.objects.filter(archive__unit=unit)
        .select_related("archive", "actor")
        .order_by("-at", "-id")[:100]
    )
    return render(
        request,
        "ledger/archive.html",
        {
            "campaign": campaign,
            "rows": rows,
            "history": history,
            "can_manage": access.can_manage_ledger(user, unit),
            "this_year": timezone.localdate().year,
            "crumbs": _crumbs(campaign, ("年度归档", None)),
        },
    )


def _year_from(request: HttpRequest) -> tuple[int | None, str]:
    form = YearForm(request.POST)
    if not form.is_valid():
        return None, ""
    return form.cleaned_data["year"], form.cleaned_data["reason"] or ""


@login_required
@require_POST
def archive_year(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request.user, pk)
    year, _ = _year_from(request)
    if year is None:
        messages.error(request, "请选择要归档的年度。")
    else:
        try:
            services.year_archive(unit=campaign.unit, year=year, user=request.user)
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, f"已归档{year}年的台账，归档后不能再修改。")
    return redirect("ledger:archive", pk=campaign.pk)


@login_required
@require_POST
def unarchive_year(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request.user, pk)
    year, reason = _year_from(request)
    if year is None:
        messages.error(request, "请选择要取消归档的年度。")
    else:
        try:
            services.year_unarchive(unit=campaign.unit, year=year, user=request.user, reason=reason)
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, f"已取消{year}年台账的归档，原因已留档。")
    return redirect("ledger:archive", pk=campaign.pk)

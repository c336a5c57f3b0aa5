"""The trace screens: the office's searchable log and each object's history panel."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wenming.http import AuthenticatedHttpRequest
from wenming.trace import access
from wenming.trace.forms import LogFilterForm
from wenming.trace.models import Change
from wenming.trace.registry import by_kind, kind_label

PAGE_SIZE = 50
HISTORY_LIMIT = 200
LOG_REFUSED = "只有创建办、文明办管理员和单位领导可以查看操作记录。"

# Where an object of each kind is shown: (url name, attribute of the change giving the pk).
OBJECT_URLS: dict[str, tuple[str, str]] = {
    "campaign": ("campaigns:detail", "object_id"),
    "phase": ("campaigns:detail", "parent_id"),
    "milestone": ("campaigns:detail", "parent_id"),
    "exclusion": ("campaigns:detail", "parent_id"),
    "task": ("tasks:detail", "object_id"),
    "claim": ("tasks:detail", "parent_id"),
    "occurrence": ("tasks:detail", "parent_id"),
    "evidence": ("ledger:item", "object_id"),
    "evidence_file": ("ledger:item", "parent_id"),
    "round": ("scoring:sheet", "object_id"),
    "score": ("scoring:sheet", "parent_id"),
    "inspection": ("oversight:inspection", "object_id"),
    "problem": ("oversight:problem", "object_id"),
    "org": ("orgs:detail", "object_id"),
    "membership": ("orgs:detail", "parent_id"),
    "leading": ("orgs:detail", "parent_id"),
    "working_group": ("orgs:detail", "parent_id"),
    "framework": ("frameworks:detail", "object_id"),
}


def object_url(change: Change) -> str:
    target = OBJECT_URLS.get(change.kind)
    if target is None or change.action == "delete" and target[1] == "object_id":
        return ""
    pk = getattr(change, target[1])
    if pk is None:
        return ""
    try:
        return reverse(target[0], args=[pk])
    except NoReverseMatch:
        return ""


def _decorate(changes: list[Change]) -> list[Change]:
    for change in changes:
        change.url = object_url(change)  # type: ignore[attr-defined]
        change.kind_label = kind_label(change.kind)  # type: ignore[attr-defined]
    return changes


def filter_changes(qs: QuerySet[Change], data: dict[str, Any]) -> QuerySet[Change]:
    """The log's filters, from `LogFilterForm.cleaned_data`: shared by the screen and the API."""
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("actor"):
        actor = data["actor"].strip()
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=tz)
        qs = qs.filter(at__gte=start)
    if data.get("date_to"):
        end = datetime.datetime.combine(
            data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        qs = qs.filter(at__lt=end)
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.annotate(changes_text=Cast("changes", TextField())).filter(
            Q(object_repr__icontains=q) | Q(summary__icontains=q) | Q(changes_text__icontains=q)
        )
    return qs


@login_required
@require_GET
def log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.can_view_trace_log(request.user):
        raise PermissionDenied(LOG_REFUSED)
    form = LogFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = filter_changes(access.visible_changes(request.user), data).order_by("-at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trace/log.html",
        {
            "form": form,
            "page": page,
            "changes": _decorate(list(page.object_list)),
            "query": query.urlencode(),
            "crumbs": [("操作记录", None)],
        },
    )


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = access.get_traced_object_for_user(request.user, kind, pk)
    changes = list(access.object_changes(kind, pk).order_by("-at", "-id")[: HISTORY_LIMIT + 1])
    context = {
        "object": obj,
        "kind": kind,
        "changes": _decorate(changes[:HISTORY_LIMIT]),
        "truncated": len(changes) > HISTORY_LIMIT,
        "can_view_log": access.can_view_trace_log(request.user),
    }
    if getattr(request, "htmx", False):
        return render(request, "trace/_history.html", context)
    spec = by_kind(kind)
    context["crumbs"] = [
        (f"{spec.label if spec else ''}：{obj}", _object_page(kind, pk)),
        ("修改记录", None),
    ]
    return render(request, "trace/history.html", context)


def _object_page(kind: str, pk: int) -> str | None:
    target = OBJECT_URLS.get(kind)
    if target is None:
        return None
    try:
        return reverse(target[0], args=[pk])
    except NoReverseMatch:
        return None

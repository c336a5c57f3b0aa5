"""Reading the ledger: the overview, the item list, a task's dossier, an item, its files."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from wenming.campaigns import access as campaign_access
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access, completeness
from wenming.ledger.downloads import open_stored, stored_file_response
from wenming.ledger.forms import (
    ItemFilterForm,
)
from wenming.ledger.models import (
    EvidenceItem,
    ItemStatus,
)
from wenming.ledger.views._common import (
    PAGE_SIZE,
    TABS,
    _binder_url,
    _crumbs,
    _decorate,
    _from_uploader,
    _item_context,
    _list_items,
    _my_departments,
    _tree,
    _unit_departments,
)
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization
from wenming.orgs.tokens import token_or_login_required
from wenming.tasks import access as task_access
from wenming.tasks.models import Occurrence


@login_required
def my_ledger(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The nav's 创建台账: the ledger of the user's active campaign."""
    campaigns = list(campaign_access.visible_campaigns(request.user).filter(is_active=True)[:20])
    departments = [
        d
        for d in Organization.objects.filter(
            pk__in=org_access.department_ids_for_write(request.user)
        )
    ]
    for campaign in campaigns:
        if any(d.path.startswith(campaign.unit.path) for d in departments):
            return redirect("ledger:campaign", pk=campaign.pk)
    if campaigns:
        return redirect("ledger:campaign", pk=campaigns[0].pk)
    messages.info(request, "暂无进行中的创建工作，台账要在创建工作开始后才能上传。")
    return redirect("campaigns:list")


@login_required
def campaign_ledger(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = campaign_access.get_campaign_for_user(user, pk)
    whole = access.sees_whole_ledger(user, campaign.unit)
    can_manage = access.can_manage_ledger(user, campaign.unit)
    departments = list(_unit_departments(campaign)) if whole else _my_departments(user, campaign)
    chosen = request.GET.get("department", "")
    department = next((d for d in departments if str(d.pk) == chosen), None)
    if not whole and department is None and departments:
        department = departments[0]
    rows = (
        completeness.standard_rows(campaign, department=department)
        if whole or department is not None
        else []
    )
    summary = completeness.summarize(rows)
    items = access.visible_evidence(user).filter(campaign=campaign)
    if department is not None:
        items = items.filter(Q(department=department) | Q(task__lead_department=department))
    counts = items.aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=ItemStatus.SUBMITTED)),
        returned=Count("id", filter=Q(status=ItemStatus.RETURNED)),
    )
    tab = request.GET.get("tab", "standards")
    if tab not in TABS:
        tab = "standards"
    state = request.GET.get("state", "")
    shown = [r for r in rows if r.state == state] if state else rows
    query = request.GET.copy()
    query.pop("tab", None)
    return render(
        request,
        "ledger/campaign.html",
        {
            "campaign": campaign,
            "summary": summary,
            "counts": counts,
            "tab": tab,
            "tabs": TABS,
            "tree": _tree(campaign, shown) if tab == "standards" else [],
            "gaps": completeness.gap_rows(rows) if tab == "gaps" else [],
            "by_department": completeness.department_gaps(rows) if tab == "departments" else [],
            "departments": departments,
            "department": department,
            "whole": whole,
            "state": state,
            "states": completeness.STATE_LABELS,
            "query": query.urlencode(),
            "can_manage": can_manage,
            "binder_url": _binder_url(campaign),
            "crumbs": _crumbs(campaign),
        },
    )


@login_required
def item_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = campaign_access.get_campaign_for_user(user, pk)
    base = access.visible_evidence(user).filter(campaign=campaign)
    years = sorted(set(base.values_list("year", flat=True)), reverse=True)
    whole = access.sees_whole_ledger(user, campaign.unit)
    departments = (
        _unit_departments(campaign)
        if whole
        else _unit_departments(campaign).filter(pk__in=org_access.department_ids_for_write(user))
    )
    form = ItemFilterForm(
        request.GET or None, campaign=campaign, departments=departments, years=years
    )
    qs = base
    standard = None
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(title__icontains=data["q"].strip())
        if data["standard"]:
            standard = data["standard"]
            links = EvidenceItem.standards.through.objects.filter(node_id=standard.pk)
            qs = qs.filter(pk__in=links.values("evidenceitem_id"))
        if data["department"]:
            qs = qs.filter(department=data["department"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["year"]:
            qs = qs.filter(year=data["year"])
    page = Paginator(_list_items(qs).order_by("-activity_date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/items.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "items": _decorate(page.object_list),
            "standard": standard,
            "query": query.urlencode(),
            "can_manage": access.can_manage_ledger(user, campaign.unit),
            "crumbs": _crumbs(campaign, ("台账列表", None)),
        },
    )


@login_required
def dossier(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    if _from_uploader(request):
        return HttpResponse(status=204)
    user = request.user
    task = task_access.get_task_for_user(user, task_id)
    campaign = task.campaign
    standards = list(task.standards.order_by("position"))
    occurrences = list(Occurrence.objects.filter(task=task))
    items = _decorate(
        _list_items(access.visible_evidence(user).filter(task=task)).order_by(
            "-activity_date", "-id"
        )
    )
    by_occurrence: dict[int | None, list[EvidenceItem]] = defaultdict(list)
    for item in items:
        by_occurrence[item.occurrence_id].append(item)
    groups: list[dict[str, Any]] = [
        {
            "label": f"第{o.sequence}次（时限{o.due:%Y-%m-%d}）",
            "occurrence": o,
            "items": by_occurrence.pop(o.pk, []),
        }
        for o in occurrences
    ]
    rest = [i for group in by_occurrence.values() for i in group]
    if rest or not groups:
        groups.append(
            {"label": "未标明第几次" if groups else "", "occurrence": None, "items": rest}
        )
    return render(
        request,
        "ledger/dossier.html",
        {
            "task": task,
            "campaign": campaign,
            "standards": standards,
            "groups": groups,
            "item_count": len(items),
            "can_upload": access.can_upload_evidence(user, task),
            "crumbs": _crumbs(campaign, (f"一事一档：{task.title}", None)),
        },
    )


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if _from_uploader(request):
        return HttpResponse(status=204)
    item = access.get_evidence_for_user(request.user, pk)
    return render(request, "ledger/item.html", _item_context(request, item))


@token_or_login_required
def file_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_evidence_file_for_user(request.user, pk)
    return stored_file_response(f, f.file)


@login_required
def file_thumb(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_evidence_file_for_user(request.user, pk)
    if not f.thumbnail:
        raise Http404("缩略图正在生成，请稍后刷新。")
    response = FileResponse(open_stored(f.thumbnail), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response

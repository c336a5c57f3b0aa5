"""Screens for the binder (装订): ask for one, watch it being built, download it.

Every export is fetched through `access.get_export_for_user`; requests go through
`binder.services.export_request`, which checks the scope again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access
from wenming.ledger.binder.forms import BinderForm
from wenming.ledger.binder.services import allowed_departments, export_request
from wenming.ledger.models import BinderExport, EvidenceItem, ExportStatus
from wenming.orgs.models import Organization, OrgKind
from wenming.orgs.tokens import token_or_login_required

RECENT_EXPORTS = 20


@dataclass
class StandardGroup:
    """A 测评项目 and its standards, for the collapsible checkbox list."""

    node: Node
    standards: list[Node] = field(default_factory=list)
    checked: int = 0


def _groups(campaign: Campaign, checked: set[int]) -> list[StandardGroup]:
    nodes = list(
        Node.objects.filter(framework_id=campaign.framework_id)
        .only("id", "parent_id", "code", "title", "points", "is_leaf", "position")
        .order_by("position", "id")
    )
    by_id = {n.pk: n for n in nodes}
    groups: dict[int, StandardGroup] = {}
    for n in nodes:
        top = n
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        if top.pk not in groups:
            groups[top.pk] = StandardGroup(node=top)
        if n.is_leaf:
            groups[top.pk].standards.append(n)
            groups[top.pk].checked += n.pk in checked
    return [g for g in groups.values() if g.standards]


def _years(campaign: Campaign) -> list[int]:
    return sorted(
        set(
            EvidenceItem.objects.live()
            .filter(campaign=campaign)
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def _exports(request: AuthenticatedHttpRequest, campaign: Campaign) -> QuerySet[BinderExport]:
    qs = BinderExport.objects.filter(campaign=campaign).select_related("requested_by", "department")
    if not access.can_manage_ledger(request.user, campaign.unit):
        qs = qs.filter(requested_by=request.user)
    return qs.order_by("-created_at", "-id")[:RECENT_EXPORTS]


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (campaign.title, reverse("tasks:table", args=[campaign.pk])),
        *tail,
    ]


@login_required
def binder_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    allowed = allowed_departments(request.user, campaign)
    whole_unit = allowed is None
    departments = (
        list(
            Organization.objects.filter(
                kind=OrgKind.DEPARTMENT, is_active=True, path__startswith=campaign.unit.path
            ).order_by("sort_order", "path")
        )
        if allowed is None
        else allowed
    )
    form = BinderForm(
        request.POST or None,
        campaign=campaign,
        departments=departments,
        whole_unit=whole_unit,
        years=_years(campaign),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = export_request(
                campaign=campaign,
                user=request.user,
                format=data["format"],
                department=data["department"],
                year=data["year"],
                standards=data["standards"],
                approved_only=data["approved_only"],
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, "已开始生成，完成后可在本页下载。")
            return redirect("binder:detail", export.pk)
    checked = {int(v) for v in form["standards"].value() or [] if str(v).isdigit()}
    return render(
        request,
        "binder/new.html",
        {
            "campaign": campaign,
            "form": form,
            "whole_unit": whole_unit,
            "groups": _groups(campaign, checked),
            "checked": checked,
            "exports": _exports(request, campaign),
            "crumbs": _crumbs(campaign, ("台账装订导出", None)),
        },
    )


@login_required
def binder_detail(request: AuthenticatedHttpRequest, export_pk: int) -> HttpResponse:
    export = access.get_export_for_user(request.user, export_pk)
    campaign = export.campaign
    return render(
        request,
        "binder/detail.html",
        {
            "export": export,
            "campaign": campaign,
            "standards": list(export.standards.only("id", "code").order_by("position")),
            "crumbs": _crumbs(
                campaign,
                ("台账装订导出", reverse("binder:new", args=[campaign.pk])),
                (f"导出 #{export.pk}", None),
            ),
        },
    )


@login_required
def binder_progress(request: AuthenticatedHttpRequest, export_pk: int) -> HttpResponse:
    export = access.get_export_for_user(request.user, export_pk)
    return render(request, "binder/_progress.html", {"export": export})


def download_name(export: BinderExport) -> str:
    when = timezone.localtime(export.finished_at or export.created_at)
    return f"{export.campaign.unit.name}台账汇编_{when:%Y%m%d}.{export.format}"


@token_or_login_required
def binder_download(request: AuthenticatedHttpRequest, export_pk: int) -> FileResponse:
    export = access.get_export_for_user(request.user, export_pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("该导出尚未完成或生成失败，没有可下载的文件。")
    try:
        fh = export.file.open("rb")
    except FileNotFoundError:
        raise Http404("导出文件已不存在，请重新导出。") from None
    return FileResponse(fh, as_attachment=True, filename=download_name(export))

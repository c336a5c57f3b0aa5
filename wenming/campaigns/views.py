"""Screens for a unit's campaign plan: list, create, detail, edit, phases, milestones,
the 已部署 action and the 《实施方案》 download.

Every campaign is fetched through `wenming.campaigns.access`; every write goes through
`wenming.campaigns.services`.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access, documents, services
from wenming.campaigns.forms import CampaignForm, MilestoneForm, PhasesForm
from wenming.campaigns.models import PHASE_ORDER, Campaign, CampaignStatus, Milestone
from wenming.frameworks import access as framework_access
from wenming.frameworks.models import FrameworkStatus
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization, OrgKind
from wenming.orgs.services import unit_people


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("创建工作", reverse("campaigns:list")), *extra]


def _campaign_crumbs(campaign: Campaign, *tail: str) -> list[tuple[str, str | None]]:
    url = reverse("campaigns:detail", args=[campaign.pk]) if tail else None
    return _crumbs((campaign.title, url), *((label, None) for label in tail))


def _usable_frameworks(user: Any) -> Any:
    return (
        framework_access.visible_frameworks(user)
        .filter(status=FrameworkStatus.PUBLISHED)
        .order_by("lineage", "-version")
    )


def _creatable_units(user: Any) -> list[Organization]:
    return list(access.creatable_units(user).order_by("path"))


def coverage_url(campaign: Campaign) -> str | None:
    """The tasks app's coverage page, when that app provides one."""
    try:
        return reverse("tasks:coverage", args=[campaign.pk])
    except NoReverseMatch:
        return None


def _phase_bar(campaign: Campaign, phases: list[Any], today: datetime.date) -> dict[str, Any]:
    """Widths (in %) of the four phases on the cycle, and where today falls."""
    total = (campaign.cycle_end - campaign.cycle_start).days + 1
    segments = []
    for phase in phases:
        offset = (phase.start - campaign.cycle_start).days
        length = (phase.end - phase.start).days + 1
        segments.append(
            {
                "phase": phase,
                "left": round(offset * 100 / total, 2),
                "width": round(length * 100 / total, 2),
                "current": phase.start <= today <= phase.end,
                "past": phase.end < today,
            }
        )
    today_pos = None
    if campaign.cycle_start <= today <= campaign.cycle_end:
        today_pos = round((today - campaign.cycle_start).days * 100 / total, 2)
    return {"segments": segments, "today": today_pos}


# --- list and detail ---------------------------------------------------------------------


@login_required
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = list(
        access.visible_campaigns(request.user)
        .annotate(milestone_count=Count("milestones", filter=Q(milestones__is_active=True)))
        .order_by("-is_active", "unit__path", "-cycle_start", "-id")
    )
    units = _creatable_units(request.user)
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns,
            "can_create": bool(units),
            "single_unit": units[0] if len(units) == 1 else None,
            "today": timezone.localdate(),
            "crumbs": _crumbs(),
        },
    )


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    today = timezone.localdate()
    phases = list(campaign.phases.order_by("position"))
    milestones = list(
        campaign.milestones.filter(is_active=True)
        .select_related("owner_department", "owner", "phase")
        .order_by("due", "id")
    )
    can_manage = access.can_manage_campaign(request.user, campaign)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "phases": phases,
            "bar": _phase_bar(campaign, phases, today),
            "milestones": milestones,
            "coverage": services.campaign_coverage(campaign),
            "coverage_url": coverage_url(campaign),
            "can_manage": can_manage,
            "today": today,
            "is_planning": campaign.status == CampaignStatus.PLANNING,
            "crumbs": _campaign_crumbs(campaign),
        },
    )


# --- create and edit ---------------------------------------------------------------------


@login_required
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _creatable_units(request.user)
    if not units and not request.GET.get("unit"):
        raise access.create_refusal(request.user)
    raw_unit = request.GET.get("unit") or (str(units[0].pk) if len(units) == 1 else "")
    if not raw_unit:
        return render(
            request,
            "campaigns/choose_unit.html",
            {"units": units, "crumbs": _crumbs(("新建创建工作", None))},
        )
    if not raw_unit.isdigit():
        messages.error(request, "所选单位不存在，请重新选择。")
        return redirect("campaigns:create")
    unit = org_access.get_org_for_user(request.user, raw_unit)
    if not access.can_create_campaign(request.user, unit):
        raise access.create_refusal(request.user, unit)
    frameworks = _usable_frameworks(request.user)
    today = timezone.localdate()
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        frameworks=frameworks,
        initial={
            "target_level": "city",
            "target_kind": "文明单位",
            "cycle_start": datetime.date(today.year, 1, 1),
            "cycle_end": datetime.date(today.year + 2, 12, 31),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                unit=unit, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已新建“{campaign.title}”，并按创建周期排好了四个阶段。请核对阶段日期，添加时间节点。",
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    previous = Campaign.objects.filter(unit=unit, is_active=True).first()
    return render(
        request,
        "campaigns/campaign_form.html",
        {
            "form": form,
            "unit": unit,
            "previous": previous,
            "title": f"为“{unit.name}”新建创建工作",
            "submit_label": "新建",
            "cancel_url": reverse("campaigns:list"),
            "crumbs": _crumbs(("新建创建工作", None)),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, write=True)
    frameworks = _usable_frameworks(request.user) | framework_access.visible_frameworks(
        request.user
    ).filter(pk=campaign.framework_id)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        frameworks=frameworks.distinct(),
        initial=CampaignForm.initial_for(campaign),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "创建规划已保存。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {
            "form": form,
            "unit": campaign.unit,
            "campaign": campaign,
            "title": "修改创建规划",
            "submit_label": "保存",
            "cancel_url": reverse("campaigns:detail", args=[campaign.pk]),
            "crumbs": _campaign_crumbs(campaign, "修改"),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def campaign_phases(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, write=True)
    form = PhasesForm(request.POST if request.method == "POST" else None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.phases_update(campaign=campaign, phases=form.phase_inputs())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "四个阶段的时间安排已保存。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/phases_form.html",
        {
            "form": form,
            "campaign": campaign,
            "phase_order": PHASE_ORDER,
            "cancel_url": reverse("campaigns:detail", args=[campaign.pk]),
            "crumbs": _campaign_crumbs(campaign, "阶段安排"),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


# --- milestones --------------------------------------------------------------------------


def _milestone_form(
    request: AuthenticatedHttpRequest, campaign: Campaign, **kwargs: Any
) -> MilestoneForm:
    unit = campaign.unit
    return MilestoneForm(
        request.POST if request.method == "POST" else None,
        departments=Organization.objects.filter(
            path__startswith=unit.path, kind=OrgKind.DEPARTMENT, is_active=True
        ).order_by("sort_order", "path"),
        people=unit_people(unit),
        **kwargs,
    )


@login_required
def milestone_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, write=True)
    form = _milestone_form(request, campaign)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(campaign=campaign, **form.service_kwargs())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已添加时间节点“{milestone.title}”。")
            return redirect(reverse("campaigns:detail", args=[campaign.pk]) + "#milestones")
    return render(
        request,
        "campaigns/milestone_form.html",
        {
            "form": form,
            "campaign": campaign,
            "title": "添加时间节点",
            "submit_label": "添加",
            "cancel_url": reverse("campaigns:detail", args=[campaign.pk]),
            "crumbs": _campaign_crumbs(campaign, "添加时间节点"),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def milestone_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    milestone = access.get_milestone_for_user(request.user, pk, write=True)
    campaign = milestone.campaign
    if not milestone.is_active:
        messages.error(request, "该时间节点已撤销，不能再修改。")
        return redirect("campaigns:detail", pk=campaign.pk)
    form = _milestone_form(
        request, campaign, with_done=True, initial=MilestoneForm.initial_for(milestone)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(milestone=milestone, **form.service_kwargs())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已保存时间节点“{milestone.title}”。")
            return redirect(reverse("campaigns:detail", args=[campaign.pk]) + "#milestones")
    return render(
        request,
        "campaigns/milestone_form.html",
        {
            "form": form,
            "campaign": campaign,
            "milestone": milestone,
            "title": "修改时间节点",
            "submit_label": "保存",
            "cancel_url": reverse("campaigns:detail", args=[campaign.pk]),
            "crumbs": _campaign_crumbs(campaign, "修改时间节点"),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def milestone_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    milestone: Milestone = access.get_milestone_for_user(request.user, pk, write=True)
    services.milestone_deactivate(milestone=milestone)
    messages.success(request, f"已撤销时间节点“{milestone.title}”。记录仍然保留。")
    return redirect(reverse("campaigns:detail", args=[milestone.campaign_id]) + "#milestones")


# --- actions -----------------------------------------------------------------------------


@login_required
@require_POST
def campaign_organize(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, write=True)
    try:
        services.campaign_mark_organized(campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "已标记为“已部署”：每条测评标准都有了对应的工作任务。")
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, write=True)
    services.campaign_set_active(campaign=campaign)
    messages.success(
        request,
        f"“{campaign.title}”已设为{campaign.unit.name}当前的创建工作。其他创建工作仍然保留。",
    )
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
def campaign_plan_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    content = documents.campaign_plan_docx(campaign)
    response = HttpResponse(content, content_type=documents.DOCX_TYPE)
    filename = quote(documents.plan_filename(campaign))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response

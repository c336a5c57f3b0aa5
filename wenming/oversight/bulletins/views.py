"""Screens for bulletins (通报, R7): list, generate, edit, preview, issue, download.

Issued bulletins are read by everyone who sees the campaign; drafts, and every change, belong
to the unit's 创建办 and the office admins above. Routed by `urls.py`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.docx import DOCX_TYPE
from wenming.http import AuthenticatedHttpRequest
from wenming.oversight import access
from wenming.oversight.bulletins import services
from wenming.oversight.bulletins.document import bulletin_docx, bulletin_filename, paragraphs
from wenming.oversight.bulletins.facts import last_month
from wenming.oversight.bulletins.forms import TEXT_PARTS, BulletinForm, IssueForm, PeriodForm
from wenming.oversight.models import Bulletin, BulletinStatus

# --- helpers ---------------------------------------------------------------------------------


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("tasks:table", args=[campaign.pk])),
        ("督查整改", reverse("oversight:problems", args=[campaign.pk])),
        ("通报", reverse("oversight:bulletins", args=[campaign.pk]) if tail else None),
    ]
    crumbs.extend(tail)
    return crumbs


def _error(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _document(bulletin: Bulletin) -> dict[str, Any]:
    """What the preview shows, laid out like the Word document."""
    return {
        "opening": paragraphs(bulletin.opening),
        "sections": [
            ("一、表扬情况", paragraphs(bulletin.praise), []),
            (
                "二、存在问题",
                paragraphs(bulletin.criticism) + paragraphs(bulletin.problems),
                list((bulletin.facts or {}).get("problems") or []),
            ),
            ("三、下一步要求", paragraphs(bulletin.requirements), []),
        ],
        "date": bulletin.issued_on or timezone.localdate(),
    }


# --- screens ---------------------------------------------------------------------------------


@login_required
def bulletin_list(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    items = list(access.visible_bulletins(request.user).filter(campaign=campaign)[:200])
    return render(
        request,
        "oversight/bulletins/list.html",
        {
            "campaign": campaign,
            "items": items,
            "can_manage": access.can_manage_bulletins(request.user, campaign.unit),
            "crumbs": _crumbs(campaign),
        },
    )


@login_required
def bulletin_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    if not access.can_manage_bulletins(request.user, campaign.unit):
        raise access.bulletin_refusal(request.user, campaign.unit)
    start, end = last_month()
    form = PeriodForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = services.bulletin_draft(
                campaign=campaign,
                user=request.user,
                start=form.cleaned_data["period_start"],
                end=form.cleaned_data["period_end"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "通报草稿已生成，请核对数据、修改文字后印发。")
            return redirect("oversight:bulletin_edit", pk=bulletin.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "oversight/bulletins/new.html",
        {"campaign": campaign, "form": form, "crumbs": _crumbs(campaign, ("生成通报", None))},
        status=status,
    )


@login_required
def bulletin_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The preview, laid out like the printed document."""
    bulletin = access.get_bulletin_for_user(request.user, pk)
    campaign = bulletin.campaign
    return render(
        request,
        "oversight/bulletins/detail.html",
        {
            "campaign": campaign,
            "bulletin": bulletin,
            "doc": _document(bulletin),
            "can_manage": access.can_manage_bulletins(request.user, bulletin.unit),
            "issue_form": IssueForm(initial={"issued_on": timezone.localdate()}),
            "crumbs": _crumbs(campaign, (bulletin.title, None)),
        },
    )


@login_required
def bulletin_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    if bulletin.status != BulletinStatus.DRAFT:
        messages.error(request, services.ISSUED_READ_ONLY)
        return redirect("oversight:bulletin", pk=bulletin.pk)
    form = BulletinForm(request.POST or None, instance=bulletin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bulletin_update(
                bulletin=bulletin,
                user=request.user,
                title=data["title"],
                number=data["number"],
                issuer=data["issuer"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                opening=data["opening"],
                praise=data["praise"],
                criticism=data["criticism"],
                problems=data["problems"],
                requirements=data["requirements"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "通报草稿已保存。")
            if "preview" in request.POST:
                return redirect("oversight:bulletin", pk=bulletin.pk)
            return redirect("oversight:bulletin_edit", pk=bulletin.pk)
    facts = bulletin.facts or {}
    return render(
        request,
        "oversight/bulletins/edit.html",
        {
            "campaign": bulletin.campaign,
            "bulletin": bulletin,
            "form": form,
            "text_fields": [form[name] for name in TEXT_PARTS],
            "facts": facts,
            "departments": facts.get("departments") or [],
            "crumbs": _crumbs(bulletin.campaign, (bulletin.title, None)),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def bulletin_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("oversight:bulletin", pk=bulletin.pk)
    try:
        services.bulletin_issue(
            bulletin=bulletin, user=request.user, issued_on=form.cleaned_data.get("issued_on")
        )
    except ValidationError as exc:
        messages.error(request, _error(exc))
        target = "oversight:bulletin_edit" if bulletin.status == BulletinStatus.DRAFT else None
        return redirect(target or "oversight:bulletin", pk=bulletin.pk)
    messages.success(request, "通报已印发，本单位各部门现在可以查看和下载。")
    return redirect("oversight:bulletin", pk=bulletin.pk)


@require_POST
@login_required
def bulletin_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    try:
        services.bulletin_remove(bulletin=bulletin, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error(exc))
        return redirect("oversight:bulletin", pk=bulletin.pk)
    messages.success(request, f"通报草稿“{bulletin.title}”已删除。")
    return redirect("oversight:bulletins", campaign_pk=bulletin.campaign_id)


@login_required
def bulletin_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk)
    response = HttpResponse(bulletin_docx(bulletin), content_type=DOCX_TYPE)
    name = quote(bulletin_filename(bulletin))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response

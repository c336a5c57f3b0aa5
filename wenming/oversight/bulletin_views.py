"""Screens for bulletins (通报, R7): list, generate, edit, preview, issue, download.

Issued bulletins are read by everyone who sees the campaign; drafts, and every change, belong
to the unit's 创建办 and the office admins above. Included from `wenming.oversight.urls`
(`urlpatterns` below).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.documents import DOCX_TYPE
from wenming.campaigns.models import Campaign
from wenming.core.forms import StyledFormMixin
from wenming.http import AuthenticatedHttpRequest
from wenming.oversight import access, bulletins
from wenming.oversight.forms import DATE
from wenming.oversight.models import Bulletin, BulletinStatus
from wenming.tasks.forms import ServiceErrorsMixin

# --- forms -----------------------------------------------------------------------------------


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不正确，请写成 2026-10-01 这样的格式。",
        },
    )


class PeriodForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    period_start = _date_field("通报期间开始日期")
    period_end = _date_field("通报期间结束日期")


def _text(label: str, rows: int) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class BulletinForm(ServiceErrorsMixin, StyledFormMixin, forms.ModelForm):
    opening = _text("开头", 5)
    praise = _text("一、表扬情况", 4)
    criticism = _text("二、存在问题（通报批评）", 8)
    problems = _text("二、存在问题（问题清单说明）", 2)
    requirements = _text("三、下一步要求", 8)

    class Meta:
        model = Bulletin
        fields = [
            "number",
            "title",
            "period_start",
            "period_end",
            "issuer",
            "opening",
            "praise",
            "criticism",
            "problems",
            "requirements",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}
        error_messages = {
            "title": {"required": "请填写通报标题。"},
            "issuer": {"required": "请填写发文机关。"},
            "period_start": {
                "required": "请填写通报期间的开始日期。",
                "invalid": "开始日期格式不正确，请写成 2026-10-01 这样的格式。",
            },
            "period_end": {
                "required": "请填写通报期间的结束日期。",
                "invalid": "结束日期格式不正确，请写成 2026-10-31 这样的格式。",
            },
        }
        help_texts = {"number": "如“市市场监管局创〔2026〕5号”；印发前必须填写。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].help_text = "印在文件抬头和落款，如“××局创建工作领导小组办公室”。"
        self.fields["criticism"].help_text = "每个部门一行；问题清单表格按生成时的数据附在后面。"
        self.fields["requirements"].help_text = "每条要求一行，如“（一）……”。"


class IssueForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    issued_on = forms.DateField(
        label="成文日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "成文日期格式不正确，请写成 2026-11-30 这样的格式。"},
    )


TEXT_PARTS = ("opening", "praise", "criticism", "problems", "requirements")


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
        "opening": bulletins.paragraphs(bulletin.opening),
        "sections": [
            ("一、表扬情况", bulletins.paragraphs(bulletin.praise), []),
            (
                "二、存在问题",
                bulletins.paragraphs(bulletin.criticism) + bulletins.paragraphs(bulletin.problems),
                list((bulletin.facts or {}).get("problems") or []),
            ),
            ("三、下一步要求", bulletins.paragraphs(bulletin.requirements), []),
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
        raise PermissionDenied("只有本单位创建办或上级文明办可以起草、修改和印发通报。")
    start, end = bulletins.last_month()
    form = PeriodForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletins.bulletin_draft(
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
        messages.error(request, bulletins.ISSUED_READ_ONLY)
        return redirect("oversight:bulletin", pk=bulletin.pk)
    form = BulletinForm(request.POST or None, instance=bulletin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletins.bulletin_update(
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
        bulletins.bulletin_issue(
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
        bulletins.bulletin_remove(bulletin=bulletin, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error(exc))
        return redirect("oversight:bulletin", pk=bulletin.pk)
    messages.success(request, f"通报草稿“{bulletin.title}”已删除。")
    return redirect("oversight:bulletins", campaign_pk=bulletin.campaign_id)


@login_required
def bulletin_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk)
    response = HttpResponse(bulletins.bulletin_docx(bulletin), content_type=DOCX_TYPE)
    name = quote(bulletins.bulletin_filename(bulletin))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


urlpatterns = [
    path("campaign/<int:campaign_pk>/bulletins/", bulletin_list, name="bulletins"),
    path("campaign/<int:campaign_pk>/bulletins/new/", bulletin_new, name="bulletin_new"),
    path("bulletin/<int:pk>/", bulletin_detail, name="bulletin"),
    path("bulletin/<int:pk>/edit/", bulletin_edit, name="bulletin_edit"),
    path("bulletin/<int:pk>/issue/", bulletin_issue, name="bulletin_issue"),
    path("bulletin/<int:pk>/remove/", bulletin_remove, name="bulletin_remove"),
    path("bulletin/<int:pk>/docx/", bulletin_download, name="bulletin_docx"),
]

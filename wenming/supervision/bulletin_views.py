"""Screens of the city bulletins (通报): the list, drafting one, its page (the ranked table,
the units named, changing or removing the draft, 印发) and its Word document.

Every bulletin is fetched through `wenming.supervision.access` (a draft is the office's
people's only); every write goes through `wenming.supervision.bulletins`. The bulletin page
issues a bounded number of queries whatever the number of units.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.access import own_unit_ids
from wenming.supervision import access, bulletin_docx, bulletins
from wenming.supervision.bulletin_forms import BulletinForm, IssueForm, VerdictForm
from wenming.supervision.models import CityBulletin, CityBulletinStatus, Verdict

# The table of every unit: a city keeps thousands.
TABLE_PAGE = 100
MANAGE_ONLY = "只有文明办管理员可以起草和印发通报。"


def list_crumb() -> tuple[str, str]:
    return ("通报", reverse("supervision:bulletins"))


@login_required
def bulletin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's bulletins (drafts too); a unit's people see the issued ones."""
    user = request.user
    qs = access.visible_bulletins(user).order_by("-year", "status", "-sequence", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/bulletin_list.html",
        {
            "app": "supervision",
            "page": page,
            "can_draft": access.managed_offices(user).exists(),
            "crumbs": [("通报", None)],
        },
    )


def _new_initial() -> dict[str, Any]:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return {
        "title": f"关于{today.year}年第{'一二三四'[quarter - 1]}季度全市文明单位创建工作督查情况的通报",
        "period_start": today.replace(month=3 * quarter - 2, day=1),
        "period_end": today,
    }


@login_required
def bulletin_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    offices = access.managed_offices(user)
    managed = list(offices[:2])
    if not managed:
        raise PermissionDenied(MANAGE_ONLY)
    form = BulletinForm(request.POST or None, offices=offices, initial=_new_initial())
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletins.bulletin_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, "已起草通报。核对各单位情况、确定表扬和批评的单位后即可印发。"
            )
            return redirect("supervision:bulletin", pk=bulletin.pk)
    return render(
        request,
        "supervision/bulletin_new.html",
        {
            "app": "supervision",
            "form": form,
            "only_office": managed[0] if len(managed) == 1 else None,
            "crumbs": [list_crumb(), ("起草通报", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


def _page(
    request: AuthenticatedHttpRequest,
    bulletin: CityBulletin,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    rows = bulletins.bulletin_rows(bulletin)
    draft = bulletin.status == CityBulletinStatus.DRAFT
    can_manage = draft and access.can_manage_office(user, bulletin.office)
    forms: dict[str, Any] = {}
    if can_manage:
        units = access.office_units(bulletin.office)
        fields = {n: getattr(bulletin, n) for n in ("title", "period_start", "period_end", "intro")}
        forms = {
            "edit": bound.get("edit")
            or BulletinForm(offices=None, initial=fields, auto_id="edit_%s"),
            "verdict": bound.get("verdict") or VerdictForm(units=units, auto_id="verdict_%s"),
            "issue": bound.get("issue")
            or IssueForm(initial={"issued_on": timezone.localdate()}, auto_id="issue_%s"),
        }
    own = own_unit_ids(user)
    page = Paginator(rows, TABLE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/bulletin_detail.html",
        {
            "app": "supervision",
            "bulletin": bulletin,
            "number": bulletins.number_label(bulletin),
            # A city keeps thousands of units: the table shows a page; a unit's own rows
            # are also named above it, whichever page they fall on.
            "rows": page,
            "page": page,
            "query": "",
            "mine": [r for r in rows if r.unit.pk in own],
            "praised": bulletins.named(rows, Verdict.PRAISE),
            "criticized": bulletins.named(rows, Verdict.CRITICIZE),
            "own_units": own,
            "draft": draft,
            "forms": forms,
            # A refused step on a bulletin that shows no forms (印发 meanwhile) still says why.
            "refusals": [] if forms else [e for f in bound.values() for e in f.non_field_errors()],
            "crumbs": [list_crumb(), (bulletin.title, None)],
        },
        status=status,
    )


@login_required
def bulletin_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, access.get_bulletin_for_user(request.user, pk))


@login_required
@require_POST
def bulletin_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    form = BulletinForm(request.POST, offices=None, auto_id="edit_%s")
    if form.is_valid():
        try:
            bulletins.bulletin_update(bulletin=bulletin, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存通报草稿。")
            return redirect("supervision:bulletin", pk=bulletin.pk)
    return _page(request, bulletin, {"edit": form}, status=400)


@login_required
@require_POST
def bulletin_verdict(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    form = VerdictForm(
        request.POST, units=access.office_units(bulletin.office), auto_id="verdict_%s"
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            bulletins.bulletin_set_verdict(bulletin=bulletin, user=request.user, **d)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            label = Verdict(d["verdict"]).label if d["verdict"] else "不通报"
            messages.success(request, f"{d['unit'].name}：{label}。")
            return redirect("supervision:bulletin", pk=bulletin.pk)
    return _page(request, bulletin, {"verdict": form}, status=400)


@login_required
@require_POST
def bulletin_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    form = IssueForm(request.POST, auto_id="issue_%s")
    if form.is_valid():
        try:
            issued = bulletins.bulletin_issue(
                bulletin=bulletin, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已印发{bulletins.number_label(issued)}通报，本办名录内各单位均可查看。",
            )
            return redirect("supervision:bulletin", pk=bulletin.pk)
    return _page(request, bulletin, {"issue": form}, status=400)


@login_required
@require_POST
def bulletin_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """删除 a draft (kept, no longer shown); an issued bulletin is refused."""
    bulletin = access.get_bulletin_for_user(request.user, pk, write=True)
    try:
        bulletins.bulletin_remove(bulletin=bulletin, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:bulletin", pk=bulletin.pk)
    messages.success(request, f"已删除通报草稿“{bulletin.title}”。")
    return redirect("supervision:bulletins")


@login_required
def bulletin_docx_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The bulletin as a 公文 (.docx); a draft's is marked （草稿）."""
    bulletin = access.get_bulletin_for_user(request.user, pk)
    return bulletin_docx.docx_response(bulletin, bulletins.bulletin_rows(bulletin))

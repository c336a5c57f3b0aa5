"""Filing and changing evidence: upload forms, edits, files, resubmission, removal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access, services
from wenming.ledger.forms import (
    CampaignItemForm,
    CommentForm,
    ItemEditForm,
    ReasonForm,
    TaskItemForm,
)
from wenming.ledger.views._common import (
    _crumbs,
    _default_occurrence,
    _error_message,
    _flat,
    _from_uploader,
    _item_context,
    _managed_campaign,
    _upload_response,
    _uploaded_message,
    _year_is_archived,
)
from wenming.orgs.models import Organization
from wenming.tasks import access as task_access
from wenming.tasks.models import Occurrence


@login_required
@limited_uploads
def item_new(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    user = request.user
    task = task_access.get_task_for_user(user, task_id)
    if not access.can_upload_evidence(user, task):
        raise PermissionDenied("只有该任务牵头部门、配合部门的人员和本单位创建办可以上传它的台账。")
    campaign = task.campaign
    standards = list(task.standards.order_by("position"))
    occurrences = list(Occurrence.objects.filter(task=task))
    chosen = request.GET.get("occurrence", "")
    occurrence = next((o for o in occurrences if str(o.pk) == chosen), None)
    occurrence = occurrence or _default_occurrence(occurrences)
    title = task.title if occurrence is None else f"{task.title}（第{occurrence.sequence}次）"
    form_kwargs: dict[str, Any] = {
        "task": task,
        "occurrences": occurrences,
        "standards": standards,
        "departments": access.task_evidence_departments(user, task),
        "initial": {
            "title": title[:200],
            "occurrence": occurrence.pk if occurrence else None,
            "standards": [s.pk for s in standards],
        },
    }
    status = 200
    if request.method == "POST":
        form = TaskItemForm(request.POST, **form_kwargs)
        refusal = upload_refusal(request)
        if refusal:
            form.is_valid()
            form.file_errors.append(refusal)
        elif form.is_valid():
            data = form.cleaned_data
            # A co-operating department files under its own name; otherwise the lead's.
            department: Organization | None = data.get("department") or task.lead_department
            try:
                if department is None:
                    raise ValidationError({"department": "请选择上传部门。"})
                item = services.item_create(
                    campaign=campaign,
                    department=department,
                    user=user,
                    fields=form.item_fields(),
                    uploads=request.FILES.getlist("files"),
                    task=task,
                    occurrence=data.get("occurrence"),
                    standards=list(data["standards"]),
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, _uploaded_message(item))
                return redirect("ledger:item", pk=item.pk)
        status = 400
    else:
        form = TaskItemForm(**form_kwargs)
    return _upload_response(
        request,
        "ledger/item_new.html",
        {
            "form": form,
            "task": task,
            "campaign": campaign,
            "standards": standards,
            "action": reverse("ledger:new", args=[task.pk]),
            "cancel_url": reverse("ledger:dossier", args=[task.pk]),
            "crumbs": _crumbs(
                campaign,
                (f"一事一档：{task.title}", reverse("ledger:dossier", args=[task.pk])),
                ("上传台账", None),
            ),
        },
        status,
    )


@login_required
@limited_uploads
def item_new_for_campaign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = _managed_campaign(user, pk)
    form_kwargs: dict[str, Any] = {
        "campaign": campaign,
        "departments": access.evidence_departments(user, campaign.unit).order_by("path"),
    }
    status = 200
    if request.method == "POST":
        form = CampaignItemForm(request.POST, **form_kwargs)
        refusal = upload_refusal(request)
        if refusal:
            form.is_valid()
            form.file_errors.append(refusal)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                item = services.item_create(
                    campaign=campaign,
                    department=data["department"],
                    user=user,
                    fields=form.item_fields(),
                    uploads=request.FILES.getlist("files"),
                    task=data["task"],
                    standards=form.chosen_standards(),
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, _uploaded_message(item))
                return redirect("ledger:item", pk=item.pk)
        status = 400
    else:
        form = CampaignItemForm(**form_kwargs)
    return _upload_response(
        request,
        "ledger/item_new.html",
        {
            "form": form,
            "task": None,
            "campaign": campaign,
            "action": reverse("ledger:new_for_campaign", args=[campaign.pk]),
            "cancel_url": reverse("ledger:campaign", args=[campaign.pk]),
            "crumbs": _crumbs(campaign, ("上传台账", None)),
        },
        status,
    )


@login_required
def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_evidence_for_user(request.user, pk, write=True)
    campaign = item.campaign
    initial = {
        **{k: getattr(item, k) for k in services.ITEM_FIELDS},
        "standards": list(item.standards.values_list("pk", flat=True)),
    }
    form = ItemEditForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item,
                user=request.user,
                fields=form.item_fields(),
                standards=form.chosen_standards(),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存台账的修改。")
            return redirect("ledger:item", pk=item.pk)
    return render(
        request,
        "ledger/item_edit.html",
        {
            "form": form,
            "item": item,
            "campaign": campaign,
            "archived": _year_is_archived(item),
            "crumbs": _crumbs(
                campaign,
                (item.title, reverse("ledger:item", args=[item.pk])),
                ("修改", None),
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@limited_uploads
@require_POST
def item_add_files(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_evidence_for_user(request.user, pk, write=True)
    errors: list[str] = []
    refusal = upload_refusal(request)
    if refusal:
        errors.append(refusal)
    else:
        try:
            added = services.item_add_files(
                item=item, user=request.user, uploads=request.FILES.getlist("files")
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors.extend(m for e in exc.error_dict.values() for m in _flat(e))
            else:
                errors.extend(exc.messages)
        else:
            messages.success(request, f"已补充{len(added)}个文件。")
            return redirect("ledger:item", pk=item.pk)
    context = _item_context(request, item)
    context["file_errors"] = errors
    if _from_uploader(request):
        return render(request, "ledger/_add_files.html", context, status=400)
    return render(request, "ledger/item.html", context, status=400)


@login_required
@require_POST
def file_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    f = access.get_evidence_file_for_user(request.user, pk)
    item = access.get_evidence_for_user(request.user, f.item_id, write=True)
    try:
        services.file_remove(file=f, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, f"已移除文件“{f.original_name}”。")
    return redirect("ledger:item", pk=item.pk)


@login_required
@require_POST
def item_resubmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_evidence_for_user(request.user, pk, write=True)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.item_resubmit(item=item, user=request.user, comment=comment)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, "已重新提交，等待创建办审核。")
    return redirect("ledger:item", pk=item.pk)


@login_required
@require_POST
def item_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_evidence_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.item_remove(item=item, user=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
        return redirect("ledger:item", pk=item.pk)
    messages.success(request, f"已将台账“{item.title}”移入回收站，创建办可以在回收站中恢复。")
    if item.task_id:
        return redirect("ledger:dossier", task_id=item.task_id)
    return redirect("ledger:items", pk=item.campaign_id)

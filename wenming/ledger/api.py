"""API routes for the evidence ledger (台账): list, detail, upload, review, recycle bin,
completeness per standard and the gap list.

Everything goes through `wenming.ledger.access` (404 for what the user cannot see, 403 for
what they see but may not change) and `wenming.ledger.services`, whose refusals come back
as 400 with `{"detail": "...", "errors": {field: [messages]}}`, in Chinese.

Uploads are read from `request.FILES` inside the route rather than declared as ninja `File`
parameters: the route installs the ledger's `LimitedUploadHandler` first (when the body has
not been read yet, as with bearer tokens), so an oversized upload is stopped while it
arrives, and a missing file is answered in Chinese like every other refusal.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import Router, Status
from ninja.errors import HttpError

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.api_input import Refused
from wenming.core.api_input import int_field as _int
from wenming.core.api_input import refusal as _refusal
from wenming.core.api_input import run as _run
from wenming.core.api_input import uploads as _uploads
from wenming.core.api_input import user_of as _user
from wenming.frameworks.models import Node
from wenming.ledger import access, completeness, services
from wenming.ledger.models import (
    BinderExport,
    EvidenceFile,
    EvidenceItem,
    ExportStatus,
    ItemStatus,
)
from wenming.ledger.schemas import (
    CREATE_FORM,
    ERRORS,
    FILES_FORM,
    ErrorOut,
    ExportOut,
    GapsOut,
    ItemDetailOut,
    ItemPage,
    StandardRowOut,
    text_body,
)
from wenming.orgs.models import Organization, OrgKind
from wenming.tasks import access as task_access
from wenming.tasks.models import Task

router = Router(tags=["台账"])

PAGE_SIZE = 50

T = TypeVar("T")


# --- helpers -------------------------------------------------------------------------------


def _text(request: HttpRequest, name: str) -> str:
    """One text field from a JSON body, a form body or the query string."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise Refused("请求内容不是有效的 JSON。") from exc
        value = data.get(name, "") if isinstance(data, dict) else ""
    else:
        value = request.POST.get(name) or request.GET.get(name, "")
    return str(value or "")


def _file_url(pk: int) -> str:
    try:
        return reverse("ledger:file", args=[pk])
    except NoReverseMatch:
        return f"/ledger/file/{pk}/"


def _file_out(f: EvidenceFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "name": f.original_name,
        "kind": f.kind,
        "kind_label": f.get_kind_display(),
        "size": f.size,
        "sha256": f.sha256,
        "width": f.width,
        "height": f.height,
        "page_count": f.page_count,
        "taken_at": f.taken_at,
        "flags": f.flags or [],
        "url": _file_url(f.pk),
    }


def _item_out(item: EvidenceItem) -> dict[str, Any]:
    """The item as JSON; `item` comes from `_items()` (annotated counts, prefetched files)."""
    check = completeness.check_item(
        item,
        photo_count=item.photo_count,  # type: ignore[attr-defined]
        text_count=item.text_count,  # type: ignore[attr-defined]
    )
    return {
        "id": item.pk,
        "campaign_id": item.campaign_id,
        "title": item.title,
        "year": item.year,
        "activity_date": item.activity_date,
        "place": item.place,
        "participant_count": item.participant_count,
        "participants": item.participants,
        "summary": item.summary,
        "result": item.result,
        "department_id": item.department_id,
        "department_name": item.department.name,
        "task_id": item.task_id,
        "task_title": item.task.title if item.task else None,
        "standard_codes": [s.code for s in item.standards.all()],
        "status": item.status,
        "status_label": item.get_status_display(),
        "return_count": item.return_count,
        "review_comment": item.review_comment,
        "submitted_at": item.submitted_at,
        "reviewed_at": item.reviewed_at,
        "created_at": item.created_at,
        "removed_at": item.removed_at,
        "files": [_file_out(f) for f in item.files.all()],
        "completeness": {
            "has_text": check.has_text,
            "has_photo": check.has_photo,
            "has_result": check.has_result,
            "complete": check.complete,
            "missing": check.missing,
        },
    }


def _items(qs: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    """What `_item_out` reads, in a fixed number of queries."""
    live_files = EvidenceFile.objects.filter(removed_at__isnull=True).order_by("position", "id")
    return completeness.with_file_counts(
        qs.select_related("department", "task").prefetch_related(
            Prefetch("files", queryset=live_files),
            Prefetch("standards", queryset=Node.objects.order_by("position")),
        )
    )


def _detail(pk: int) -> dict[str, Any]:
    """An item the caller has already been allowed to read (or has just changed)."""
    item = _items(EvidenceItem.objects.filter(pk=pk)).get()
    out = _item_out(item)
    out["events"] = [
        {
            "kind": e.kind,
            "label": e.get_kind_display(),
            "comment": e.comment,
            "actor": (e.actor.get_full_name() or e.actor.username) if e.actor else None,
            "at": e.at,
        }
        for e in item.events.select_related("actor")
    ]
    return out


def _item_fields(data: Any) -> dict[str, Any]:
    """The item's own fields from a form, with Chinese messages for what does not parse."""
    fields: dict[str, Any] = {
        key: data.get(key, "")
        for key in ("title", "place", "participants", "summary", "result")
        if key in data
    }
    fields.setdefault("title", "")
    raw_date = (data.get("activity_date") or "").strip()
    if raw_date:
        try:
            fields["activity_date"] = datetime.date.fromisoformat(raw_date)
        except ValueError as exc:
            message = "活动日期格式不正确，请写成 2026-03-20 这样的格式。"
            raise Refused(message, {"activity_date": [message]}) from exc
    count = _int(
        data.get("participant_count", ""), "participant_count", "参加人数请填写整数，例如 45。"
    )
    if count is not None:
        fields["participant_count"] = count
    return fields


def _campaign_department(
    user: User, campaign: Campaign, department_id: int | None
) -> Organization | None:
    """Whose part of the ledger the user asks about: None is the whole unit.

    Department people see only their departments' part, so without a department they get
    their own (the first, when they belong to several).
    """
    unit = campaign.unit
    if access.sees_whole_ledger(user, unit):
        if department_id is None:
            return None
        found = Organization.objects.filter(
            pk=department_id, kind=OrgKind.DEPARTMENT, path__startswith=unit.path
        ).first()
    else:
        mine = access.evidence_departments(user, unit).order_by("sort_order", "pk")
        found = mine.first() if department_id is None else mine.filter(pk=department_id).first()
    if found is None:
        raise Http404("没有找到该部门，或您无权查看其台账。")
    return found


def _row_out(row: completeness.StandardRow) -> dict[str, Any]:
    return {
        "standard_id": row.node.pk,
        "code": row.node.code,
        "title": row.node.title,
        "points": str(row.points),
        "state": row.state,
        "label": row.label,
        "items": row.items,
        "complete_items": row.complete_items,
        "approved_complete": row.approved_complete,
        "pending": row.pending,
        "returned": row.returned,
        "needs": row.needs,
        "departments": [{"id": d.pk, "name": d.name} for d in row.departments],
        "tasks": [{"id": t.pk, "name": t.title} for t in row.tasks],
    }


# --- reading -------------------------------------------------------------------------------


@router.get("", response=ItemPage, summary="台账列表")
def evidence_list(
    request: HttpRequest,
    campaign: int | None = None,
    task: int | None = None,
    standard: int | None = None,
    department: int | None = None,
    status: str | None = None,
    year: int | None = None,
    page: int = 1,
) -> Any:
    qs = access.visible_evidence(request.user)
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    if task is not None:
        qs = qs.filter(task_id=task)
    if standard is not None:
        # A subquery, not a join: the join would multiply the annotated file counts.
        through = EvidenceItem.standards.through.objects.filter(node_id=standard)
        qs = qs.filter(pk__in=through.values("evidenceitem_id"))
    if department is not None:
        qs = qs.filter(Q(department_id=department) | Q(task__lead_department_id=department))
    if status:
        if status not in ItemStatus.values:
            raise HttpError(
                400, "状态只能是 submitted（待审核）、approved（已通过）或 returned（已退回）。"
            )
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(year=year)
    # Paged like the other lists ({"items", "count"}, `?page=`), but by hand: each item is
    # turned into JSON here, and only the page's items should be.
    start = (max(page, 1) - 1) * PAGE_SIZE
    page_qs = _items(qs.order_by("-activity_date", "-id"))[start : start + PAGE_SIZE]
    return {"items": [_item_out(i) for i in page_qs], "count": qs.count()}


@router.get("/standards", response=list[StandardRowOut], summary="各测评标准的台账完备情况")
def evidence_standards(request: HttpRequest, campaign: int, department: int | None = None) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    scope = _campaign_department(_user(request), found, department)
    return [_row_out(r) for r in completeness.standard_rows(found, department=scope)]


@router.get("/gaps", response=GapsOut, summary="台账缺口（按分值排序）")
def evidence_gaps(request: HttpRequest, campaign: int, department: int | None = None) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    scope = _campaign_department(_user(request), found, department)
    rows = completeness.standard_rows(found, department=scope)
    summary = completeness.summarize(rows)
    return {
        "standards": summary.standards,
        "complete": summary.complete,
        "percent": summary.percent,
        "points_total": str(summary.points_total),
        "points_proven": str(summary.points_proven),
        "gaps": [_row_out(r) for r in completeness.gap_rows(rows)],
        "departments": [
            {
                "department_id": g.department.pk if g.department else None,
                "department_name": g.department.name if g.department else None,
                "standards": g.standards,
                "complete": g.complete,
                "percent": g.percent,
                "points_at_stake": str(g.points_at_stake),
            }
            for g in completeness.department_gaps(rows)
        ],
    }


# --- binders (导出台账) -------------------------------------------------------------------------
# Declared before the item routes: "/exports" must not be read as an item's address.


def _export_out(export: BinderExport) -> dict[str, Any]:
    url = None
    if export.status == ExportStatus.DONE and export.file:
        try:
            url = reverse("binder:download", args=[export.pk])
        except NoReverseMatch:
            url = None
    return {
        "id": export.pk,
        "campaign_id": export.campaign_id,
        "format": export.format,
        "format_label": export.get_format_display(),
        "department_id": export.department_id,
        "year": export.year,
        "approved_only": export.approved_only,
        "status": export.status,
        "status_label": export.get_status_display(),
        "progress": export.progress,
        "stage": export.stage,
        "error": export.error,
        "item_count": export.item_count,
        "file_count": export.file_count,
        "size": export.size,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "download_url": url,
    }


def _form_data(request: HttpRequest) -> dict[str, Any]:
    """A JSON object, or form fields (lists kept for `standards`)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise Refused("请求内容不是有效的 JSON。") from exc
        if not isinstance(data, dict):
            raise Refused("请求内容应为 JSON 对象。")
        return data
    out: dict[str, Any] = request.POST.dict()
    out["standards"] = request.POST.getlist("standards")
    return out


@router.post(
    "/exports",
    response={201: ExportOut, 400: ErrorOut},
    summary="导出台账（后台生成PDF汇编或ZIP）",
    openapi_extra=text_body(
        "campaign", "format", "department", "year", "standards", "approved_only"
    ),
)
def evidence_export_create(request: HttpRequest) -> Any:
    from wenming.ledger.binder.services import export_request

    user = _user(request)
    try:
        data = _form_data(request)
        campaign_id = _int(str(data.get("campaign") or ""), "campaign", "请指定创建工作。")
        if campaign_id is None:
            raise Refused("请指定创建工作。", {"campaign": ["请指定创建工作。"]})
        campaign = campaign_access.get_campaign_for_user(user, campaign_id)
        department = None
        department_id = _int(str(data.get("department") or ""), "department", "部门编号应为整数。")
        if department_id is not None:
            department = Organization.objects.filter(pk=department_id).first()
            if department is None:
                raise Refused("没有找到该部门。", {"department": ["没有找到该部门。"]})
        year = _int(str(data.get("year") or ""), "year", "年度应为整数，例如 2026。")
        message = "所选测评标准不属于本次创建所用的测评体系，请重新选择。"
        raw = data.get("standards") or []
        try:
            ids = {int(v) for v in (raw if isinstance(raw, list) else [raw]) if str(v).strip()}
        except ValueError as exc:
            raise Refused(message, {"standards": [message]}) from exc
        standards = list(Node.objects.filter(pk__in=ids))
        if len(standards) != len(ids):
            raise Refused(message, {"standards": [message]})
        approved = str(data.get("approved_only", "")).lower() in ("1", "true", "on", "yes")
        export = _run(
            lambda: export_request(
                campaign=campaign,
                user=user,
                format=str(data.get("format") or ""),
                department=department,
                year=year,
                standards=standards,
                approved_only=approved,
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return Status(201, _export_out(export))


@router.get("/exports/{int:export_id}", response=ExportOut, summary="导出进度")
def evidence_export_detail(request: HttpRequest, export_id: int) -> Any:
    return _export_out(access.get_export_for_user(request.user, export_id))


@router.get("/{int:item_id}", response=ItemDetailOut, summary="台账详情（含历史记录）")
def evidence_detail(request: HttpRequest, item_id: int) -> Any:
    item = access.get_evidence_for_user(request.user, item_id)
    return _detail(item.pk)


# --- filing --------------------------------------------------------------------------------


@router.post(
    "",
    response={201: ItemDetailOut, **ERRORS},
    summary="上传台账（multipart）",
    openapi_extra=CREATE_FORM,
)
def evidence_create(request: HttpRequest) -> Any:
    user = _user(request)
    try:
        # The limits go in before the body is read; an oversized upload is refused first.
        _uploads(request)
        campaign_id = _int(request.POST.get("campaign", ""), "campaign", "请指定创建工作。")
        if campaign_id is None:
            raise Refused("请指定创建工作。", {"campaign": ["请指定创建工作。"]})
        campaign = campaign_access.get_campaign_for_user(user, campaign_id)
        task_id = _int(request.POST.get("task", ""), "task", "任务编号应为整数。")
        task = None
        if task_id is not None:
            task = task_access.get_task_for_user(user, task_id)
            if task.campaign_id != campaign.pk:
                raise Refused(
                    "该任务不属于本次创建工作。", {"task": ["该任务不属于本次创建工作。"]}
                )
            if not access.can_upload_evidence(user, task):
                raise PermissionDenied("只有该任务牵头部门的人员和创建办可以上传它的台账。")
        elif not access.can_manage_ledger(user, campaign.unit):
            raise PermissionDenied("不对应任务的台账只有创建办可以上传；请从任务上传。")
        department = _upload_department(request, user, campaign, task)
        standards = _standards(request, campaign)
        fields = _item_fields(request.POST)
        uploads = _uploads(request)
        item = _run(
            lambda: services.item_create(
                campaign=campaign,
                department=department,
                user=user,
                fields=fields,
                uploads=uploads,
                task=task,
                standards=standards,
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return Status(201, _detail(item.pk))


def _upload_department(
    request: HttpRequest, user: User, campaign: Campaign, task: Task | None
) -> Organization:
    department_id = _int(request.POST.get("department", ""), "department", "部门编号应为整数。")
    if department_id is None:
        if task is not None and task.lead_department is not None:
            return task.lead_department
        message = "请选择上传部门。"
        raise Refused(message, {"department": [message]})
    found = access.evidence_departments(user, campaign.unit).filter(pk=department_id).first()
    if found is None:
        message = "只能以本人所在部门的名义上传台账，请重新选择部门。"
        raise Refused(message, {"department": [message]})
    return found


def _standards(request: HttpRequest, campaign: Campaign) -> list[Node] | None:
    raw = [v for v in request.POST.getlist("standards") if v.strip()]
    if not raw:
        return None
    message = "所选测评标准不属于本次创建所用的测评体系，请重新选择。"
    try:
        ids = {int(v) for v in raw}
    except ValueError as exc:
        raise Refused(message, {"standards": [message]}) from exc
    nodes = list(Node.objects.filter(pk__in=ids, framework_id=campaign.framework_id))
    if len(nodes) != len(ids):
        raise Refused(message, {"standards": [message]})
    return nodes


@router.post(
    "/{int:item_id}/files",
    response={200: ItemDetailOut, **ERRORS},
    summary="补充文件（multipart）",
    openapi_extra=FILES_FORM,
)
def evidence_add_files(request: HttpRequest, item_id: int) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    try:
        uploads = _uploads(request)
        _run(lambda: services.item_add_files(item=item, user=_user(request), uploads=uploads))
    except Refused as exc:
        return _refusal(exc)
    return _detail(item.pk)


# --- review and the recycle bin ---------------------------------------------------------------


def _act(call: Callable[[], Any], pk: int) -> Any:
    """Run a review or bin action; refusals (also of an unreadable body) become 400."""
    try:
        _run(call)
    except Refused as exc:
        return _refusal(exc)
    return _detail(pk)


@router.post(
    "/{int:item_id}/approve",
    response={200: ItemDetailOut, 400: ErrorOut},
    summary="审核通过",
    openapi_extra=text_body("comment"),
)
def evidence_approve(request: HttpRequest, item_id: int) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, review=True)
    return _act(
        lambda: services.item_approve(
            item=item, user=_user(request), comment=_text(request, "comment")
        ),
        item.pk,
    )


@router.post(
    "/{int:item_id}/return",
    response={200: ItemDetailOut, 400: ErrorOut},
    summary="退回修改（须写明意见）",
    openapi_extra=text_body("comment"),
)
def evidence_return(request: HttpRequest, item_id: int) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, review=True)
    return _act(
        lambda: services.item_return(
            item=item, user=_user(request), comment=_text(request, "comment")
        ),
        item.pk,
    )


@router.post(
    "/{int:item_id}/resubmit",
    response={200: ItemDetailOut, 400: ErrorOut},
    summary="修改后重新提交",
    openapi_extra=text_body("comment"),
)
def evidence_resubmit(request: HttpRequest, item_id: int) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    return _act(
        lambda: services.item_resubmit(
            item=item, user=_user(request), comment=_text(request, "comment")
        ),
        item.pk,
    )


@router.delete(
    "/{int:item_id}", response={200: ItemDetailOut, 400: ErrorOut}, summary="删除（移入回收站）"
)
def evidence_delete(request: HttpRequest, item_id: int, reason: str = "") -> Any:
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    return _act(
        lambda: services.item_remove(item=item, user=_user(request), reason=reason), item.pk
    )


@router.post(
    "/{int:item_id}/restore", response={200: ItemDetailOut, 400: ErrorOut}, summary="从回收站恢复"
)
def evidence_restore(request: HttpRequest, item_id: int) -> Any:
    item = access.get_binned_evidence_for_user(request.user, item_id)
    return _act(lambda: services.item_restore(item=item, user=_user(request)), item.pk)

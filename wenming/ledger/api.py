"""API routes for the evidence ledger (台账): list, detail, upload, change, review, recycle
bin, yearly archive, completeness per standard, the gap list and the binder export.

Everything goes through `wenming.ledger.access` (404 for what the user cannot see, 403 for
what they see but may not change) and `wenming.ledger.services`, whose refusals reach the
API's handler as 422 with `{"detail": "...", "errors": {field: [messages]}}`, in Chinese.

Uploads are multipart: the fields as `Form[EvidenceIn]`, the files as `File`. The upload
limits are installed before anything reads the body (`api_input.limited_uploads`), so an
oversized upload is stopped while it arrives and answered 413.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import File, Form, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.api_input import check_uploads, limited_uploads, refused, user_of
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
    ERRORS,
    UPLOAD_ERRORS,
    CommentIn,
    EvidenceIn,
    EvidencePatch,
    ExportIn,
    ExportOut,
    GapsOut,
    ItemDetailOut,
    ItemPage,
    StandardRowOut,
    YearIn,
    YearOut,
)
from wenming.orgs.models import Organization, OrgKind
from wenming.tasks import access as task_access
from wenming.tasks.models import Task

router = Router(tags=["台账"])

PAGE_SIZE = 50
STANDARDS_MESSAGE = "所选测评标准不属于本次创建所用的测评体系，请重新选择。"


# --- helpers -------------------------------------------------------------------------------


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
    page: int = Query(1, ge=1),
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
            raise refused(
                "status",
                "状态只能是 submitted（待审核）、approved（已通过）或 returned（已退回）。",
            )
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(year=year)
    # Paged like the other lists ({"items", "count"}, `?page=`), but by hand: each item is
    # turned into JSON here, and only the page's items should be.
    start = (page - 1) * PAGE_SIZE
    page_qs = _items(qs.order_by("-activity_date", "-id"))[start : start + PAGE_SIZE]
    return {"items": [_item_out(i) for i in page_qs], "count": qs.count()}


@router.get("/standards", response=list[StandardRowOut], summary="各测评标准的台账完备情况")
def evidence_standards(request: HttpRequest, campaign: int, department: int | None = None) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    scope = _campaign_department(user_of(request), found, department)
    return [_row_out(r) for r in completeness.standard_rows(found, department=scope)]


@router.get("/gaps", response=GapsOut, summary="台账缺口（按分值排序）")
def evidence_gaps(request: HttpRequest, campaign: int, department: int | None = None) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    scope = _campaign_department(user_of(request), found, department)
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


@router.post(
    "/exports",
    response={201: ExportOut, **ERRORS},
    summary="导出台账（后台生成PDF汇编或ZIP）",
)
def evidence_export_create(request: HttpRequest, payload: ExportIn) -> Any:
    from wenming.ledger.binder.services import export_request

    user = user_of(request)
    campaign = campaign_access.get_campaign_for_user(user, payload.campaign)
    department = None
    if payload.department is not None:
        department = Organization.objects.filter(pk=payload.department).first()
        if department is None:
            raise refused("department", "没有找到该部门。")
    standards = list(Node.objects.filter(pk__in=set(payload.standards)))
    if len(standards) != len(set(payload.standards)):
        raise refused("standards", STANDARDS_MESSAGE)
    export = export_request(
        campaign=campaign,
        user=user,
        format=payload.format,
        department=department,
        year=payload.year,
        standards=standards,
        approved_only=payload.approved_only,
    )
    return Status(201, _export_out(export))


@router.get("/exports/{int:export_id}", response=ExportOut, summary="导出进度")
def evidence_export_detail(request: HttpRequest, export_id: int) -> Any:
    return _export_out(access.get_export_for_user(request.user, export_id))


@router.get("/{int:item_id}", response=ItemDetailOut, summary="台账详情（含历史记录）")
def evidence_detail(request: HttpRequest, item_id: int) -> Any:
    item = access.get_evidence_for_user(request.user, item_id)
    return _detail(item.pk)


# --- filing --------------------------------------------------------------------------------


@router.post("", response={201: ItemDetailOut, **UPLOAD_ERRORS}, summary="上传台账（multipart）")
@decorate_view(limited_uploads)
def evidence_create(
    request: HttpRequest,
    payload: Form[EvidenceIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request)
    user = user_of(request)
    campaign = campaign_access.get_campaign_for_user(user, payload.campaign)
    task = None
    if payload.task is not None:
        task = task_access.get_task_for_user(user, payload.task)
        if task.campaign_id != campaign.pk:
            raise refused("task", "该任务不属于本次创建工作。")
        if not access.can_upload_evidence(user, task):
            raise PermissionDenied("只有该任务牵头部门、配合部门的人员和创建办可以上传它的台账。")
    elif not access.can_manage_ledger(user, campaign.unit):
        raise PermissionDenied("不对应任务的台账只有创建办可以上传；请从任务上传。")
    department = _upload_department(user, campaign, task, payload.department)
    fields = payload.dict(
        exclude_unset=True, exclude={"campaign", "task", "department", "standards"}
    )
    fields.setdefault("title", "")
    item = services.item_create(
        campaign=campaign,
        department=department,
        user=user,
        fields=fields,
        uploads=files or [],
        task=task,
        standards=_standards(campaign, payload.standards) if payload.standards else None,
    )
    return Status(201, _detail(item.pk))


def _upload_department(
    user: User, campaign: Campaign, task: Task | None, department_id: int | None
) -> Organization:
    if task is None:
        allowed = access.evidence_departments(user, campaign.unit)
    else:
        # A co-operating department files under its own name, never the lead's.
        allowed = access.task_evidence_departments(user, task)
        under_lead = task.lead_department is not None and task_access.can_report_task(user, task)
        if department_id is None and under_lead:
            return task.lead_department  # type: ignore[return-value]
        own = list(allowed[:2]) if department_id is None and not under_lead else []
        if len(own) == 1:
            return own[0]
    if department_id is None:
        raise refused("department", "请选择上传部门。")
    found = allowed.filter(pk=department_id).first()
    if found is None:
        raise refused(
            "department", "只能以本人所在部门（或本部门配合的任务）的名义上传台账，请重新选择部门。"
        )
    return found


def _standards(campaign: Campaign, ids: list[int]) -> list[Node]:
    nodes = list(Node.objects.filter(pk__in=set(ids), framework_id=campaign.framework_id))
    if len(nodes) != len(set(ids)):
        raise refused("standards", STANDARDS_MESSAGE)
    return nodes


@router.patch(
    "/{int:item_id}", response={200: ItemDetailOut, **ERRORS}, summary="修改台账的内容或测评标准"
)
def evidence_update(request: HttpRequest, item_id: int, payload: EvidencePatch) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    fields = payload.dict(exclude_unset=True, exclude={"standards"})
    for key in ("title", "place", "participants", "summary", "result"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    standards = None if payload.standards is None else _standards(item.campaign, payload.standards)
    services.item_update(item=item, user=user_of(request), fields=fields, standards=standards)
    return _detail(item.pk)


@router.post(
    "/{int:item_id}/files",
    response={200: ItemDetailOut, **UPLOAD_ERRORS},
    summary="补充文件（multipart）",
)
@decorate_view(limited_uploads)
def evidence_add_files(
    request: HttpRequest,
    item_id: int,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request)
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    services.item_add_files(item=item, user=user_of(request), uploads=files or [])
    return _detail(item.pk)


@router.post(
    "/files/{int:file_id}/remove",
    response={200: ItemDetailOut, **ERRORS},
    summary="从台账中移除一个文件（至少保留一个）",
)
def evidence_file_remove(request: HttpRequest, file_id: int) -> Any:
    f = access.get_evidence_file_for_user(request.user, file_id)
    item = access.get_evidence_for_user(request.user, f.item_id, write=True)
    services.file_remove(file=f, user=user_of(request))
    return _detail(item.pk)


# --- review and the recycle bin ---------------------------------------------------------------


@router.post("/{int:item_id}/approve", response={200: ItemDetailOut, **ERRORS}, summary="审核通过")
def evidence_approve(request: HttpRequest, item_id: int, payload: CommentIn | None = None) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, review=True)
    comment = payload.comment if payload else ""
    services.item_approve(item=item, user=user_of(request), comment=comment)
    return _detail(item.pk)


@router.post(
    "/{int:item_id}/return",
    response={200: ItemDetailOut, **ERRORS},
    summary="退回修改（须写明意见）",
)
def evidence_return(request: HttpRequest, item_id: int, payload: CommentIn | None = None) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, review=True)
    comment = payload.comment if payload else ""
    services.item_return(item=item, user=user_of(request), comment=comment)
    return _detail(item.pk)


@router.post(
    "/{int:item_id}/resubmit", response={200: ItemDetailOut, **ERRORS}, summary="修改后重新提交"
)
def evidence_resubmit(request: HttpRequest, item_id: int, payload: CommentIn | None = None) -> Any:
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    comment = payload.comment if payload else ""
    services.item_resubmit(item=item, user=user_of(request), comment=comment)
    return _detail(item.pk)


@router.delete(
    "/{int:item_id}", response={200: ItemDetailOut, **ERRORS}, summary="删除（移入回收站）"
)
def evidence_delete(request: HttpRequest, item_id: int, reason: str = "") -> Any:
    item = access.get_evidence_for_user(request.user, item_id, write=True)
    services.item_remove(item=item, user=user_of(request), reason=reason)
    return _detail(item.pk)


@router.post(
    "/{int:item_id}/restore", response={200: ItemDetailOut, **ERRORS}, summary="从回收站恢复"
)
def evidence_restore(request: HttpRequest, item_id: int) -> Any:
    item = access.get_binned_evidence_for_user(request.user, item_id)
    services.item_restore(item=item, user=user_of(request))
    return _detail(item.pk)


@router.post(
    "/{int:item_id}/purge",
    response={204: None, **ERRORS},
    summary="彻底删除回收站中保留期已满的台账及其文件",
)
def evidence_purge(request: HttpRequest, item_id: int) -> Any:
    item = access.get_binned_evidence_for_user(request.user, item_id)
    services.item_purge(item=item, user=user_of(request))
    return Status(204, None)


# --- yearly archive ----------------------------------------------------------------------------


def _managed_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return access.get_managed_campaign_for_user(request.user, campaign_id)


@router.post(
    "/archive",
    response={200: YearOut, **ERRORS},
    summary="归档一个年度的台账（归档后不能再修改）",
)
def evidence_archive_year(request: HttpRequest, payload: YearIn) -> Any:
    campaign = _managed_campaign(request, payload.campaign)
    archive = services.year_archive(unit=campaign.unit, year=payload.year, user=user_of(request))
    return {"year": archive.year, "archived": archive.archived}


@router.post(
    "/archive/reopen",
    response={200: YearOut, **ERRORS},
    summary="取消一个年度的归档（须写明原因）",
)
def evidence_unarchive_year(request: HttpRequest, payload: YearIn) -> Any:
    campaign = _managed_campaign(request, payload.campaign)
    archive = services.year_unarchive(
        unit=campaign.unit, year=payload.year, user=user_of(request), reason=payload.reason
    )
    return {"year": archive.year, "archived": archive.archived}

"""API routes for inspections and problems (督查整改, 挂账销号).

Everything goes through `wenming.oversight.access` (404 for what the user cannot see, 403 for what
they see but may not do) and `wenming.oversight.services`, whose refusals come back as 400
with `{"detail": "...", "errors": {field: [messages]}}`, in Chinese.

Problem photos and rectification files are read from `request.FILES` inside the route, after
the ledger's `LimitedUploadHandler` is installed, so an oversized upload is stopped while it
arrives (413) and answered in Chinese.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status

from wenming.campaigns import access as campaign_access
from wenming.core.api_input import ErrorOut, Refused
from wenming.core.api_input import date_field as _date
from wenming.core.api_input import int_field as _int
from wenming.core.api_input import refusal as _refusal
from wenming.core.api_input import request_data as _data
from wenming.core.api_input import run as _run
from wenming.core.api_input import uploads as _uploads
from wenming.core.api_input import user_of as _user
from wenming.frameworks.models import Node
from wenming.ledger import access as ledger_access
from wenming.orgs.models import Organization
from wenming.oversight import access, services
from wenming.oversight.assessment_api import router as assessment_router
from wenming.oversight.bulletin_api import router as bulletin_router
from wenming.oversight.models import (
    Inspection,
    InspectionKind,
    Problem,
    ProblemFile,
    ProblemStatus,
    Severity,
)

router = Router(tags=["督查整改"])

PAGE_SIZE = 50
T = TypeVar("T")


# --- schemas -------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    campaign_id: int
    kind: str
    kind_label: str
    title: str
    inspected_on: datetime.date
    place: str
    inspectors: str
    findings: str
    created_at: datetime.datetime


class InspectionPage(Schema):
    items: list[InspectionOut]
    count: int


class InspectionIn(Schema):
    campaign: int
    kind: str = InspectionKind.ROUTINE
    title: str = ""
    inspected_on: datetime.date | None = None
    place: str = ""
    inspectors: str = ""
    findings: str = ""


class FileOut(Schema):
    id: int
    purpose: str
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    taken_at: datetime.datetime | None
    url: str


class EventOut(Schema):
    action: str
    label: str
    from_status: str
    to_status: str
    comment: str
    actor: str | None
    at: datetime.datetime


class ProblemOut(Schema):
    id: int
    number: str
    campaign_id: int
    inspection_id: int | None
    description: str
    place: str
    standard_code: str | None
    department_id: int
    department_name: str
    deadline: datetime.date
    severity: str
    severity_label: str
    status: str
    status_label: str
    is_overdue: bool
    days_overdue: int
    age_days: int
    rectification_note: str
    return_reason: str
    return_count: int
    rectified_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    created_at: datetime.datetime


class ProblemDetailOut(ProblemOut):
    files: list[FileOut]
    evidence_item_ids: list[int]
    events: list[EventOut]


class ProblemPage(Schema):
    items: list[ProblemOut]
    count: int


ERRORS = {400: ErrorOut, 413: ErrorOut}


def _multipart(fields: dict[str, str], required: list[str]) -> dict[str, Any]:
    """OpenAPI description of a multipart body: text fields plus `files` (binary, repeated)."""
    properties: dict[str, Any] = {
        k: {"type": "string", "description": v} for k, v in fields.items()
    }
    properties["files"] = {"type": "array", "items": {"type": "string", "format": "binary"}}
    return {
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": properties, "required": required}
                }
            }
        }
    }


_PROBLEM_FORM = _multipart(
    {
        "inspection": "督查记录编号（或给出 campaign 单独记录）",
        "campaign": "创建工作编号",
        "description": "问题描述",
        "place": "问题位置",
        "department": "责任部门编号",
        "deadline": "整改时限，如 2026-03-20",
        "severity": "general / serious / grave",
        "standard": "测评标准编号",
    },
    ["description", "department", "deadline"],
)
_SUBMIT_FORM = _multipart({"note": "整改情况", "evidence_items": "关联台账编号，可重复"}, ["note"])


# --- helpers -------------------------------------------------------------------------------


def _problem_out(p: Problem, today: datetime.date) -> dict[str, Any]:
    return {
        "id": p.pk,
        "number": p.number,
        "campaign_id": p.campaign_id,
        "inspection_id": p.inspection_id,
        "description": p.description,
        "place": p.place,
        "standard_code": p.standard.code if p.standard else None,
        "department_id": p.department_id,
        "department_name": p.department.name,
        "deadline": p.deadline,
        "severity": p.severity,
        "severity_label": p.get_severity_display(),
        "status": p.status,
        "status_label": p.get_status_display(),
        "is_overdue": p.is_overdue(today),
        "days_overdue": p.days_overdue(today),
        "age_days": p.age_days(today),
        "rectification_note": p.rectification_note,
        "return_reason": p.return_reason,
        "return_count": p.return_count,
        "rectified_at": p.rectified_at,
        "closed_at": p.closed_at,
        "created_at": p.created_at,
    }


def _detail(pk: int) -> dict[str, Any]:
    """A problem the caller has already been allowed to read (or has just changed)."""
    p = Problem.objects.select_related("department", "standard").get(pk=pk)
    out = _problem_out(p, timezone.localdate())
    out["files"] = [
        {
            "id": f.pk,
            "purpose": f.purpose,
            "name": f.original_name,
            "kind": f.kind,
            "content_type": f.content_type,
            "size": f.size,
            "sha256": f.sha256,
            "taken_at": f.taken_at,
            "url": reverse("oversight:file", args=[f.pk]),
        }
        for f in ProblemFile.objects.filter(problem=p, removed_at__isnull=True)
    ]
    out["evidence_item_ids"] = list(p.evidence_items.values_list("pk", flat=True))
    out["events"] = [
        {
            "action": e.action,
            "label": e.get_action_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "comment": e.comment,
            "actor": (e.actor.get_full_name() or e.actor.username) if e.actor else None,
            "at": e.at,
        }
        for e in p.events.select_related("actor")
    ]
    return out


# --- inspections -------------------------------------------------------------------------


@router.get("/inspections", response=InspectionPage, summary="督查记录列表")
def oversight_inspection_list(request: HttpRequest, campaign: int, page: int = 1) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    qs = (
        access.visible_inspections(request.user)
        .filter(campaign=found)
        .order_by("-inspected_on", "-id")
    )
    start = max(0, page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE])
    return {
        "count": qs.count(),
        "items": [
            {
                "id": i.pk,
                "campaign_id": i.campaign_id,
                "kind": i.kind,
                "kind_label": i.get_kind_display(),
                "title": i.title,
                "inspected_on": i.inspected_on,
                "place": i.place,
                "inspectors": i.inspectors,
                "findings": i.findings,
                "created_at": i.created_at,
            }
            for i in rows
        ],
    }


@router.post(
    "/inspections",
    response={201: InspectionOut, **ERRORS},
    summary="记录督查（JSON 或表单：campaign、kind、title、inspected_on、place、inspectors、findings）",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": InspectionIn.model_json_schema()}}
        }
    },
)
def oversight_inspection_create(request: HttpRequest) -> Any:
    user = _user(request)
    try:
        data = _data(request)
        campaign_id = _int(data.get("campaign"), "campaign", "创建工作编号应为整数。")
        if campaign_id is None:
            raise Refused("请指定创建工作。", {"campaign": ["请指定创建工作。"]})
        campaign = campaign_access.get_campaign_for_user(user, campaign_id)
        if not access.can_record_problems(user, campaign.unit):
            raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录督查。")
        inspected_on = _date(data.get("inspected_on"), "inspected_on", "督查日期")
        inspection = _run(
            lambda: services.inspection_create(
                campaign=campaign,
                user=user,
                kind=str(data.get("kind") or InspectionKind.ROUTINE),
                title=str(data.get("title") or ""),
                inspected_on=inspected_on,
                place=str(data.get("place") or ""),
                inspectors=str(data.get("inspectors") or ""),
                findings=str(data.get("findings") or ""),
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return Status(
        201,
        {
            "id": inspection.pk,
            "campaign_id": inspection.campaign_id,
            "kind": inspection.kind,
            "kind_label": inspection.get_kind_display(),
            "title": inspection.title,
            "inspected_on": inspection.inspected_on,
            "place": inspection.place,
            "inspectors": inspection.inspectors,
            "findings": inspection.findings,
            "created_at": inspection.created_at,
        },
    )


# --- problems ------------------------------------------------------------------------------


@router.get("/problems", response={200: ProblemPage, **ERRORS}, summary="问题整改台账")
def oversight_problem_list(
    request: HttpRequest,
    campaign: int,
    status: str | None = None,
    department: int | None = None,
    severity: str | None = None,
    kind: str | None = None,
    overdue: bool = False,
    q: str | None = None,
    page: int = 1,
) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    today = timezone.localdate()
    qs = access.visible_problems(request.user).filter(campaign=found)
    if status:
        if status not in ProblemStatus.values:
            message = (
                "状态只能是 pending（待整改）、rectifying（整改中）、awaiting（待验收）"
                "或 closed（已销号）。"
            )
            return Status(400, {"detail": message, "errors": {"status": [message]}})
        qs = qs.filter(status=status)
    if department is not None:
        qs = qs.filter(department_id=department)
    if severity:
        if severity not in Severity.values:
            message = "严重程度只能是 general（一般）、serious（较重）或 grave（严重）。"
            return Status(400, {"detail": message, "errors": {"severity": [message]}})
        qs = qs.filter(severity=severity)
    if kind == "alone":
        qs = qs.filter(inspection__isnull=True)
    elif kind:
        qs = qs.filter(inspection__kind=kind)
    if overdue:
        qs = qs.filter(services.overdue_q(today))
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(place__icontains=q))
    qs = qs.order_by("deadline", "id")
    start = max(0, page - 1) * PAGE_SIZE
    return {
        "count": qs.count(),
        "items": [_problem_out(p, today) for p in qs[start : start + PAGE_SIZE]],
    }


@router.post(
    "/problems",
    response={201: ProblemDetailOut, **ERRORS},
    summary="记录问题（multipart，照片字段 files）",
    openapi_extra=_PROBLEM_FORM,
)
def oversight_problem_create(request: HttpRequest) -> Any:
    user = _user(request)
    try:
        uploads = _uploads(request)
        data = request.POST
        inspection: Inspection | None = None
        inspection_id = _int(data.get("inspection"), "inspection", "督查记录编号应为整数。")
        if inspection_id is not None:
            inspection = access.get_inspection_for_user(user, inspection_id, record=True)
            campaign = inspection.campaign
        else:
            campaign_id = _int(data.get("campaign"), "campaign", "创建工作编号应为整数。")
            if campaign_id is None:
                raise Refused("请指定创建工作或督查记录。", {"campaign": ["请指定创建工作。"]})
            campaign = campaign_access.get_campaign_for_user(user, campaign_id)
            if not access.can_record_problems(user, campaign.unit):
                raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录问题。")
        department_id = _int(data.get("department"), "department", "部门编号应为整数。")
        department = (
            Organization.objects.filter(pk=department_id).first() if department_id else None
        )
        standard_id = _int(data.get("standard"), "standard", "测评标准编号应为整数。")
        standard = None
        if standard_id is not None:
            standard = Node.objects.filter(pk=standard_id).first()
            if standard is None:
                raise Refused("没有找到该测评标准。", {"standard": ["没有找到该测评标准。"]})
        deadline = _date(data.get("deadline"), "deadline", "整改时限")
        problem = _run(
            lambda: services.problem_create(
                campaign=campaign,
                user=user,
                inspection=inspection,
                description=data.get("description", ""),
                place=data.get("place", ""),
                department=department,
                deadline=deadline,
                severity=data.get("severity") or Severity.GENERAL,
                standard=standard,
                uploads=uploads,
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return Status(201, _detail(problem.pk))


@router.get("/problems/{int:problem_id}", response=ProblemDetailOut, summary="问题详情")
def oversight_problem_detail(request: HttpRequest, problem_id: int) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id)
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/start",
    response={200: ProblemDetailOut, **ERRORS},
    summary="开始整改",
)
def oversight_problem_start(request: HttpRequest, problem_id: int) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, action="rectify")
    try:
        _run(lambda: services.problem_start(problem=problem, user=_user(request)))
    except Refused as exc:
        return _refusal(exc)
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/submit",
    response={200: ProblemDetailOut, **ERRORS},
    summary="提交整改材料（multipart：note、files、evidence_items）",
    openapi_extra=_SUBMIT_FORM,
)
def oversight_problem_submit(request: HttpRequest, problem_id: int) -> Any:
    user = _user(request)
    try:
        uploads = _uploads(request)
        problem = access.get_problem_for_user(user, problem_id, action="rectify")
        ids = [
            _int(v, "evidence_items", "台账编号应为整数。")
            for v in request.POST.getlist("evidence_items")
        ]
        wanted = [i for i in ids if i is not None]
        items = list(
            ledger_access.visible_evidence(user).filter(
                pk__in=wanted, campaign_id=problem.campaign_id
            )
        )
        if len(items) != len(set(wanted)):
            message = "所选台账中有不属于本次创建工作或您无权查看的，请重新选择。"
            raise Refused(message, {"evidence_items": [message]})
        _run(
            lambda: services.problem_submit(
                problem=problem,
                user=user,
                note=request.POST.get("note", ""),
                uploads=uploads,
                evidence_items=items,
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/verify",
    response={200: ProblemDetailOut, **ERRORS},
    summary="验收通过，销号",
)
def oversight_problem_verify(request: HttpRequest, problem_id: int) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, action="verify")
    try:
        comment = str(_data(request).get("comment") or "")
        _run(lambda: services.problem_verify(problem=problem, user=_user(request), comment=comment))
    except Refused as exc:
        return _refusal(exc)
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/return",
    response={200: ProblemDetailOut, **ERRORS},
    summary="验收未通过，退回整改（reason 必填）",
)
def oversight_problem_return(request: HttpRequest, problem_id: int) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, action="verify")
    try:
        reason = str(_data(request).get("reason") or "")
        _run(lambda: services.problem_return(problem=problem, user=_user(request), reason=reason))
    except Refused as exc:
        return _refusal(exc)
    return _detail(problem.pk)


# --- department assessment (部门考核, R8): its routes live in their own module --------------

router.add_router("", assessment_router)

# --- bulletins (通报, R7): their routes live in their own module ---------------------------

router.add_router("", bulletin_router)

"""API routes for inspections and problems (督查整改, 挂账销号).

Everything goes through `wenming.oversight.access` (404 for what the user cannot see, 403 for
what they see but may not do) and `wenming.oversight.services`; a refused input or rule is
answered by the API's handlers as 422 `{"detail": "...", "errors": {field: [messages]}}`, in
Chinese (`wenming/api.py`). Bodies are JSON or the same fields as a form (`Input`).

Problem photos and rectification files come as multipart (`Form` fields and `files`); the
upload limits are installed before the body is read (`limited_uploads`), so an oversized
upload is stopped while it arrives and answered 413 in Chinese. The department assessment's
and the bulletins' routes live in their packages and are mounted at the end.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from pydantic import field_validator

from wenming.campaigns import access as campaign_access
from wenming.core.api_input import (
    ErrorOut,
    Input,
    check_uploads,
    column_length,
    limited_uploads,
    refused,
    user_of,
)
from wenming.frameworks.models import Node
from wenming.ledger import access as ledger_access
from wenming.orgs.models import Organization
from wenming.oversight import access, services
from wenming.oversight.assessment.api import router as assessment_router
from wenming.oversight.bulletins.api import router as bulletin_router
from wenming.oversight.models import (
    Inspection,
    InspectionKind,
    Problem,
    ProblemFile,
    ProblemStatus,
    Severity,
    problem_overdue_q,
)

router = Router(tags=["督查整改"])

PAGE_SIZE = 50
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}
STATUS_VALUES = (
    "状态只能是 pending（待整改）、rectifying（整改中）、awaiting（待验收）或 closed（已销号）。"
)
SEVERITY_VALUES = "严重程度只能是 general（一般）、serious（较重）或 grave（严重）。"


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


class InspectionIn(Input):
    campaign: int
    kind: str = Field(InspectionKind.ROUTINE, max_length=column_length(Inspection, "kind"))
    title: str = Field("", max_length=column_length(Inspection, "title"))
    inspected_on: datetime.date | None = None
    place: str = Field("", max_length=column_length(Inspection, "place"))
    inspectors: str = Field("", max_length=column_length(Inspection, "inspectors"))
    findings: str = ""


def _blank_is_none(value: Any) -> Any:
    """A form field left empty is a value not given."""
    return None if isinstance(value, str) and not value.strip() else value


class ProblemIn(Schema):
    """The form fields of a new problem (multipart, with the photos as `files`)."""

    inspection: int | None = Field(None, description="督查记录编号（或给出 campaign 单独记录）")
    campaign: int | None = Field(None, description="创建工作编号")
    description: str = Field("", description="问题描述")
    place: str = Field("", max_length=column_length(Problem, "place"), description="问题位置")
    department: int | None = Field(None, description="责任部门编号")
    deadline: datetime.date | None = Field(None, description="整改时限，如 2026-03-20")
    severity: str = Field(
        Severity.GENERAL,
        max_length=column_length(Problem, "severity"),
        description="general / serious / grave",
    )
    standard: int | None = Field(None, description="测评标准编号")

    _blank = field_validator(
        "inspection", "campaign", "department", "deadline", "standard", mode="before"
    )(_blank_is_none)


class SubmitIn(Schema):
    """The form fields of a rectification (multipart, with the proof as `files`)."""

    note: str = Field("", description="整改情况")
    evidence_items: list[int] = Field([], description="关联台账编号，可重复")


class CommentIn(Input):
    comment: str = ""


class ReturnIn(Input):
    reason: str = ""


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
        for f in ProblemFile.objects.live().filter(problem=p)
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


def _inspection_out(i: Inspection) -> dict[str, Any]:
    return {
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


@router.get("/inspections", response={200: InspectionPage, **ERRORS}, summary="督查记录列表")
def oversight_inspection_list(request: HttpRequest, campaign: int, page: int = 1) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    qs = (
        access.visible_inspections(request.user)
        .filter(campaign=found)
        .order_by("-inspected_on", "-id")
    )
    start = max(0, page - 1) * PAGE_SIZE
    return {
        "count": qs.count(),
        "items": [_inspection_out(i) for i in qs[start : start + PAGE_SIZE]],
    }


@router.post("/inspections", response={201: InspectionOut, **ERRORS}, summary="记录督查")
def oversight_inspection_create(request: HttpRequest, payload: InspectionIn) -> Any:
    user = user_of(request)
    campaign = campaign_access.get_campaign_for_user(user, payload.campaign)
    if not access.can_record_problems(user, campaign.unit):
        raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录督查。")
    inspection = services.inspection_create(
        campaign=campaign,
        user=user,
        kind=payload.kind or InspectionKind.ROUTINE,
        title=payload.title,
        inspected_on=payload.inspected_on,
        place=payload.place,
        inspectors=payload.inspectors,
        findings=payload.findings,
    )
    return Status(201, _inspection_out(inspection))


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
            raise refused("status", STATUS_VALUES)
        qs = qs.filter(status=status)
    if department is not None:
        qs = qs.filter(department_id=department)
    if severity:
        if severity not in Severity.values:
            raise refused("severity", SEVERITY_VALUES)
        qs = qs.filter(severity=severity)
    if kind == "alone":
        qs = qs.filter(inspection__isnull=True)
    elif kind:
        qs = qs.filter(inspection__kind=kind)
    if overdue:
        qs = qs.filter(problem_overdue_q(today))
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(place__icontains=q))
    qs = qs.order_by("deadline", "id")
    start = max(0, page - 1) * PAGE_SIZE
    return {
        "count": qs.count(),
        "items": [_problem_out(p, today) for p in qs[start : start + PAGE_SIZE]],
    }


def _recording(request: HttpRequest, data: ProblemIn) -> tuple[Any, Inspection | None]:
    """The campaign (and inspection) a new problem goes into, if the user may record there."""
    user = user_of(request)
    if data.inspection is not None:
        inspection = access.get_inspection_for_user(user, data.inspection, record=True)
        return inspection.campaign, inspection
    if data.campaign is None:
        raise refused("campaign", "请指定创建工作或督查记录。")
    campaign = campaign_access.get_campaign_for_user(user, data.campaign)
    if not access.can_record_problems(user, campaign.unit):
        raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录问题。")
    return campaign, None


@router.post(
    "/problems",
    response={201: ProblemDetailOut, **UPLOAD_ERRORS},
    summary="记录问题（multipart，照片字段 files）",
)
@decorate_view(limited_uploads)
def oversight_problem_create(
    request: HttpRequest,
    data: Form[ProblemIn],
    files: File[list[UploadedFile] | None] = None,
) -> Any:
    check_uploads(request)
    campaign, inspection = _recording(request, data)
    department = (
        Organization.objects.filter(pk=data.department).first() if data.department else None
    )
    standard = None
    if data.standard is not None:
        standard = Node.objects.filter(pk=data.standard).first()
        if standard is None:
            raise refused("standard", "没有找到该测评标准。")
    problem = services.problem_create(
        campaign=campaign,
        user=user_of(request),
        inspection=inspection,
        description=data.description,
        place=data.place,
        department=department,
        deadline=data.deadline,
        severity=data.severity or Severity.GENERAL,
        standard=standard,
        uploads=files or [],
    )
    return Status(201, _detail(problem.pk))


@router.get(
    "/problems/{int:problem_id}", response={200: ProblemDetailOut, **ERRORS}, summary="问题详情"
)
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
    services.problem_start(problem=problem, user=user_of(request))
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/submit",
    response={200: ProblemDetailOut, **UPLOAD_ERRORS},
    summary="提交整改材料（multipart：note、files、evidence_items）",
)
@decorate_view(limited_uploads)
def oversight_problem_submit(
    request: HttpRequest,
    problem_id: int,
    data: Form[SubmitIn],
    files: File[list[UploadedFile] | None] = None,
) -> Any:
    check_uploads(request)
    user = user_of(request)
    problem = access.get_problem_for_user(user, problem_id, action="rectify")
    items = list(
        ledger_access.visible_evidence(user).filter(
            pk__in=data.evidence_items, campaign_id=problem.campaign_id
        )
    )
    if len(items) != len(set(data.evidence_items)):
        raise refused(
            "evidence_items", "所选台账中有不属于本次创建工作或您无权查看的，请重新选择。"
        )
    services.problem_submit(
        problem=problem, user=user, note=data.note, uploads=files or [], evidence_items=items
    )
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/verify",
    response={200: ProblemDetailOut, **ERRORS},
    summary="验收通过，销号",
)
def oversight_problem_verify(
    request: HttpRequest, problem_id: int, payload: CommentIn | None = None
) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, action="verify")
    comment = payload.comment if payload is not None else ""
    services.problem_verify(problem=problem, user=user_of(request), comment=comment)
    return _detail(problem.pk)


@router.post(
    "/problems/{int:problem_id}/return",
    response={200: ProblemDetailOut, **ERRORS},
    summary="验收未通过，退回整改（reason 必填）",
)
def oversight_problem_return(
    request: HttpRequest, problem_id: int, payload: ReturnIn | None = None
) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, action="verify")
    reason = payload.reason if payload is not None else ""
    services.problem_return(problem=problem, user=user_of(request), reason=reason)
    return _detail(problem.pk)


# --- department assessment (部门考核, R8) and bulletins (通报, R7): their own packages ---------

router.add_router("", assessment_router)
router.add_router("", bulletin_router)

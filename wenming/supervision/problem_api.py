"""The API of the office's inspections and dispatched problems: /api/v1/supervision/…

The office's inspections of the units in its registry (list, record, read, remove while no
live problem hangs from it) and the problems dispatched from them (multipart, with photos);
the problems (filters by status, overdue and unit) and the steps on one: the unit's 创建办
puts it into the unit's own workflow (assign) or reports the rectification (submit,
multipart, with files); the office verifies (销号), returns or withdraws it.

Department roles are refused the lists and the pages with one sentence (403, as on the
screens: `access.require_reader`). Every object is fetched through
`wenming.supervision.access` (404 for what the caller may not see, 403 for what they see but
may not change); writes call `wenming.supervision.problems`, whose refusals reach the API's
handler as 422 with the Chinese sentence under the field the client sent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from wenming.core.api_input import (
    ErrorOut,
    Input,
    check_uploads,
    column_length,
    field_names,
    limited_uploads,
    refused,
    user_of,
)
from wenming.oversight.models import Severity
from wenming.supervision import access, problems
from wenming.supervision.models import (
    CityInspection,
    CityProblem,
    CityProblemEvent,
    CityProblemFile,
    CityProblemStatus,
    InspectionKind,
    overdue_q,
)

router = Router(tags=["supervision-problems"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}
STATES = ", ".join([*CityProblemStatus.values, "open", "overdue"])


# --- output ------------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    office_id: int
    office_name: str
    unit_id: int
    unit_name: str
    kind: str = Field(description="open（明查）或 covert（暗访）")
    kind_label: str
    inspected_on: datetime.date
    inspectors: str
    place: str
    summary: str

    @staticmethod
    def resolve_office_name(obj: CityInspection) -> str:
        return obj.office.name

    @staticmethod
    def resolve_unit_name(obj: CityInspection) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_kind_label(obj: CityInspection) -> str:
        return obj.get_kind_display()


class ProblemOut(Schema):
    id: int
    number: str = Field(description="交办编号，如 SD-2026-007")
    inspection_id: int
    office_id: int
    office_name: str
    unit_id: int
    unit_name: str
    description: str
    place: str
    severity: str
    deadline: datetime.date
    status: str = Field(description="dispatched、assigned、awaiting 或 closed")
    status_label: str
    days_overdue: int
    unit_problem_id: int | None = Field(description="转入单位整改后，单位自己的问题")
    return_count: int
    return_reason: str
    rectified_at: datetime.datetime | None
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_office_name(obj: CityProblem) -> str:
        return obj.office.name

    @staticmethod
    def resolve_unit_name(obj: CityProblem) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj: CityProblem) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_days_overdue(obj: CityProblem) -> int:
        return obj.days_overdue(timezone.localdate())


class InspectionDetailOut(InspectionOut):
    problems: list[ProblemOut]

    @staticmethod
    def resolve_problems(obj: CityInspection) -> list[CityProblem]:
        return list(
            CityProblem.objects.live()
            .filter(inspection=obj)
            .select_related("office", "unit")
            .order_by("sequence")
        )


class EventOut(Schema):
    id: int
    action: str
    action_label: str
    from_status: str
    to_status: str
    comment: str
    actor: str
    at: datetime.datetime

    @staticmethod
    def resolve_action_label(obj: CityProblemEvent) -> str:
        return obj.get_action_display()

    @staticmethod
    def resolve_actor(obj: CityProblemEvent) -> str:
        return (obj.actor.get_full_name() or obj.actor.username) if obj.actor else "系统"


class FileOut(Schema):
    id: int
    name: str
    purpose: str = Field(description="problem（问题照片）或 rectification（整改佐证）")
    size: int
    url: str

    @staticmethod
    def resolve_name(obj: CityProblemFile) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: CityProblemFile) -> str:
        return reverse("supervision:problem_file", args=[obj.pk])


class UnitProblemOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    deadline: datetime.date
    department_id: int


class ProblemDetailOut(ProblemOut):
    rectification_note: str
    unit_problem: UnitProblemOut | None
    files: list[FileOut]
    events: list[EventOut] = Field(description="办理记录，早的在前")

    @staticmethod
    def resolve_unit_problem(obj: CityProblem) -> dict[str, Any] | None:
        linked = obj.unit_problem
        if linked is None or linked.removed_at is not None:
            return None
        return {
            "id": linked.pk,
            "number": linked.number,
            "status": linked.status,
            "status_label": linked.get_status_display(),
            "deadline": linked.deadline,
            "department_id": linked.department_id,
        }

    @staticmethod
    def resolve_files(obj: CityProblem) -> list[CityProblemFile]:
        return list(obj.files.filter(removed_at__isnull=True))

    @staticmethod
    def resolve_events(obj: CityProblem) -> list[CityProblemEvent]:
        return list(obj.events.select_related("actor").order_by("at", "id"))


# --- input -------------------------------------------------------------------------------------


class InspectionIn(Input):
    unit_id: int = Field(description="被督查单位：本办文明单位名录中的单位")
    kind: str = Field(description="open（明查）或 covert（暗访）")
    inspected_on: datetime.date
    inspectors: str = Field(max_length=column_length(CityInspection, "inspectors"))
    place: str = Field("", max_length=column_length(CityInspection, "place"))
    summary: str = ""


class DispatchIn(Input):
    description: str
    deadline: datetime.date = Field(description="整改时限，不早于督查日期")
    severity: str = Field(Severity.GENERAL, description="general、serious 或 grave")
    place: str = Field("", max_length=column_length(CityProblem, "place"))


class AssignIn(Input):
    department_id: int = Field(description="本单位的整改责任部门")
    deadline: datetime.date | None = Field(
        None, description="本单位整改时限，不晚于文明办的时限；不填则相同"
    )


class SubmitIn(Input):
    note: str = Field(description="整改情况")


class VerifyIn(Input):
    comment: str = ""


class ReasonIn(Input):
    reason: str


# --- helpers -----------------------------------------------------------------------------------


def _detail(problem: CityProblem) -> CityProblem:
    return CityProblem.objects.select_related("office", "unit", "unit_problem").get(pk=problem.pk)


def _problems(qs: QuerySet[CityProblem]) -> QuerySet[CityProblem]:
    return qs.order_by("deadline", "id")


# --- inspections -------------------------------------------------------------------------------


@router.get("/inspections", response=list[InspectionOut], summary="督查记录（明查暗访）")
@paginate(PageNumberPagination, page_size=50)
def city_inspection_list(
    request: HttpRequest, unit_id: int | None = Query(None, description="被督查单位")
) -> Any:
    access.require_reader(request.user)
    qs = access.visible_inspections(request.user).order_by("-inspected_on", "-id")
    return qs.filter(unit_id=unit_id) if unit_id is not None else qs


@router.post(
    "/inspections",
    response={201: InspectionDetailOut, **ERRORS},
    summary="记录督查（文明办管理员）",
)
def city_inspection_create(request: HttpRequest, payload: InspectionIn) -> Any:
    user = request.user
    if not access.manages_any(user):
        raise PermissionDenied(access.OFFICE_ONLY)
    unit = access.supervised_units(user).filter(pk=payload.unit_id).first()
    if unit is None:
        raise refused("unit_id", problems.NOT_IN_REGISTRY)
    if payload.kind not in InspectionKind.values:
        raise refused("kind", "督查方式只能是 open（明查）或 covert（暗访）。")
    with field_names({"unit": "unit_id"}):
        inspection = problems.inspection_create(
            office=unit.registry_entry.office,
            user=user_of(request),
            unit=unit,
            **payload.dict(exclude={"unit_id"}),
        )
    return Status(201, access.get_inspection_for_user(user, inspection.pk))


@router.get(
    "/inspections/{int:inspection_id}",
    response={200: InspectionDetailOut, **ERRORS},
    summary="督查详情（含交办的问题）",
)
def city_inspection_detail(request: HttpRequest, inspection_id: int) -> Any:
    access.require_reader(request.user)
    return access.get_inspection_for_user(request.user, inspection_id)


@router.post(
    "/inspections/{int:inspection_id}/remove",
    response={204: None, **ERRORS},
    summary="删除督查记录（文明办管理员；须先撤回交办的问题；记录保留，不再显示）",
)
def city_inspection_remove(request: HttpRequest, inspection_id: int) -> Any:
    inspection = access.get_inspection_for_user(request.user, inspection_id, write=True)
    problems.inspection_remove(inspection=inspection, user=user_of(request))
    return Status(204, None)


@router.post(
    "/inspections/{int:inspection_id}/problems",
    response={201: ProblemDetailOut, **UPLOAD_ERRORS},
    summary="交办问题（文明办管理员；multipart，可附问题照片 files）",
)
@decorate_view(limited_uploads)
def city_problem_dispatch(
    request: HttpRequest,
    inspection_id: int,
    payload: Form[DispatchIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request)
    inspection = access.get_inspection_for_user(request.user, inspection_id, write=True)
    problem = problems.problem_dispatch(
        inspection=inspection, user=user_of(request), uploads=files or [], **payload.dict()
    )
    return Status(201, _detail(problem))


# --- problems ----------------------------------------------------------------------------------


@router.get("/problems", response=list[ProblemOut], summary="交办问题（可按状态、单位筛选）")
@paginate(PageNumberPagination, page_size=50)
def city_problem_list(
    request: HttpRequest,
    status: str | None = Query(None, description=STATES),
    unit_id: int | None = Query(None, description="被督查单位"),
) -> Any:
    access.require_reader(request.user)
    qs = access.visible_problems(request.user)
    if status:
        if status == "overdue":
            qs = qs.filter(overdue_q(timezone.localdate()))
        elif status == "open":
            qs = qs.exclude(status=CityProblemStatus.CLOSED)
        elif status in CityProblemStatus.values:
            qs = qs.filter(status=status)
        else:
            raise refused("status", f"状态只能是{STATES}。")
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return _problems(qs)


@router.get(
    "/problems/{int:problem_id}",
    response={200: ProblemDetailOut, **ERRORS},
    summary="交办问题详情（含照片、整改佐证和办理记录）",
)
def city_problem_detail(request: HttpRequest, problem_id: int) -> Any:
    access.require_reader(request.user)
    return _detail(access.get_problem_for_user(request.user, problem_id))


@router.post(
    "/problems/{int:problem_id}/assign",
    response={200: ProblemDetailOut, **ERRORS},
    summary="转入本单位整改（单位创建办；在本单位当前的创建工作中挂账）",
)
def city_problem_assign(request: HttpRequest, problem_id: int, payload: AssignIn) -> Any:
    problem = access.get_problem_to_answer(request.user, problem_id)
    department = problem.unit.active_departments().filter(pk=payload.department_id).first()
    if department is None:
        raise refused("department_id", "请选择本单位的一个部门作为整改责任部门。")
    with field_names({"department": "department_id"}):
        problems.problem_assign(
            problem=problem, user=user_of(request), department=department, deadline=payload.deadline
        )
    return _detail(problem)


@router.post(
    "/problems/{int:problem_id}/submit",
    response={200: ProblemDetailOut, **UPLOAD_ERRORS},
    summary="报送整改情况（单位创建办；multipart，可附照片或文件 files）",
)
@decorate_view(limited_uploads)
def city_problem_submit(
    request: HttpRequest,
    problem_id: int,
    payload: Form[SubmitIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request)
    problem = access.get_problem_to_answer(request.user, problem_id)
    problems.problem_submit(
        problem=problem, user=user_of(request), note=payload.note, uploads=files or []
    )
    return _detail(problem)


@router.post(
    "/problems/{int:problem_id}/verify",
    response={200: ProblemDetailOut, **ERRORS},
    summary="验收销号（文明办管理员）",
)
def city_problem_verify(request: HttpRequest, problem_id: int, payload: VerifyIn) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, write=True)
    problems.problem_verify(problem=problem, user=user_of(request), comment=payload.comment)
    return _detail(problem)


@router.post(
    "/problems/{int:problem_id}/return",
    response={200: ProblemDetailOut, **ERRORS},
    summary="验收未通过，退回整改（文明办管理员）",
)
def city_problem_return(request: HttpRequest, problem_id: int, payload: ReasonIn) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, write=True)
    problems.problem_return(problem=problem, user=user_of(request), reason=payload.reason)
    return _detail(problem)


@router.post(
    "/problems/{int:problem_id}/remove",
    response={204: None, **ERRORS},
    summary="撤回交办问题（文明办管理员；记录保留，不再显示）",
)
def city_problem_remove(request: HttpRequest, problem_id: int, payload: ReasonIn) -> Any:
    problem = access.get_problem_for_user(request.user, problem_id, write=True)
    problems.problem_remove(problem=problem, user=user_of(request), reason=payload.reason)
    return Status(204, None)

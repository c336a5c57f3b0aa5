"""API routes for evaluation systems: list, tree, import, export, compare."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from wenming.frameworks import access, services
from wenming.frameworks.io import diff as diff_mod
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.models import Framework

router = Router(tags=["测评体系"])


class FrameworkOut(Schema):
    id: int
    lineage: str
    version: int
    name: str
    issuer: str
    level: str
    kind: str
    edition_year: int | None
    status: str
    owner_id: int | None
    basic_points: Decimal | None
    bonus_cap: Decimal | None
    pass_threshold: Decimal | None
    previous_id: int | None


class NodeOut(Schema):
    id: int
    code: str
    title: str
    section: str
    level_name: str
    is_standard: bool
    points: Decimal | None
    methods: list[str]
    evidence: str
    material_window: str
    scoring_mode: str
    grades: list[dict[str, str]]
    scoring_rule: str
    per_incident: Decimal | None
    incident_unit: str
    deduction_cap: Decimal | None
    lookback: str
    children: list[NodeOut] = []


class TreeOut(Schema):
    framework: FrameworkOut
    summary: dict[str, Any]
    problems: list[dict[str, Any]]
    nodes: list[NodeOut]


class ImportOut(Schema):
    ok: bool
    framework_id: int | None
    items: int
    standards: int
    points_total: str
    bonus_standards: int
    bonus_cap: str | None
    veto_count: int
    errors: list[dict[str, Any]]


@router.get("", response=list[FrameworkOut], summary="可见的测评体系")
def framework_list(request: HttpRequest) -> Any:
    return list(access.visible_frameworks(request.user).order_by("lineage", "-version"))


@router.get("/compare", summary="比较两个版本")
def framework_compare(request: HttpRequest, old: int, new: int) -> dict[str, Any]:
    a = access.get_framework_for_user(request.user, old)
    b = access.get_framework_for_user(request.user, new)
    return diff_mod.compare(spec_mod.from_framework(a), spec_mod.from_framework(b)).as_dict()


@router.post("/import", response={201: ImportOut, 422: ImportOut}, summary="导入 Excel 或 YAML")
def framework_import(
    request: HttpRequest,
    file: File[UploadedFile],
    owner_id: Form[int],
    name: Form[str] = "",
    lineage: Form[str] = "",
) -> Any:
    owner = access.framework_owner_choices(request.user).filter(pk=owner_id).first()
    if owner is None:
        raise HttpError(403, "您不能以该组织的名义导入测评体系。")
    content = file.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    result = services.framework_import(
        content=content,
        filename=file.name or "",
        owner=owner,
        user=request.user,  # type: ignore[arg-type]
        overrides={"name": name, "lineage": lineage},
    )
    return Status(201 if result.ok else 422, result.as_dict())


@router.get("/{framework_id}", response=FrameworkOut, summary="测评体系信息")
def framework_detail(request: HttpRequest, framework_id: int) -> Framework:
    return access.get_framework_for_user(request.user, framework_id)


@router.get("/{framework_id}/tree", response=TreeOut, summary="测评体系树")
def framework_tree(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    framework = access.get_framework_for_user(request.user, framework_id)
    rows = list(framework.nodes.order_by("position"))
    outs: dict[int, NodeOut] = {}
    roots: list[NodeOut] = []
    for row in rows:
        out = NodeOut(
            id=row.pk,
            code=row.code,
            title=row.title,
            section=row.section,
            level_name=row.level_name,
            is_standard=row.is_leaf,
            points=row.points,
            methods=row.methods,
            evidence=row.evidence,
            material_window=row.material_window,
            scoring_mode=row.scoring_mode,
            grades=row.grades,
            scoring_rule=row.scoring_rule,
            per_incident=row.per_incident,
            incident_unit=row.incident_unit,
            deduction_cap=row.deduction_cap,
            lookback=row.lookback,
            children=[],
        )
        outs[row.pk] = out
        (outs[row.parent_id].children if row.parent_id else roots).append(out)
    spec = spec_mod.from_framework(framework, rows)
    return {
        "framework": framework,
        "summary": spec.summary(),
        "problems": [p.as_dict() for p in spec_mod.validate(spec)],
        "nodes": roots,
    }


@router.get("/{framework_id}/export", summary="导出为 Excel 或 YAML")
def framework_export(
    request: HttpRequest, framework_id: int, format: Literal["xlsx", "yaml"] = "xlsx"
) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, framework_id)
    try:
        return services.framework_export_response(framework, format)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


@router.post("/{framework_id}/publish", response=FrameworkOut, summary="发布草稿")
def framework_publish(request: HttpRequest, framework_id: int) -> Framework:
    framework = access.get_framework_for_user(request.user, framework_id, write=True)
    try:
        return services.framework_publish(framework=framework, user=request.user)  # type: ignore[arg-type]
    except spec_mod.ImportFailed as exc:
        raise HttpError(422, "；".join(str(p) for p in exc.problems)) from exc
    except ValueError as exc:
        raise HttpError(409, str(exc)) from exc


@router.post("/{framework_id}/new-version", response={201: FrameworkOut}, summary="创建新版本草稿")
def framework_new_version(request: HttpRequest, framework_id: int) -> Any:
    framework = access.get_framework_for_user(request.user, framework_id, write=True)
    try:
        return Status(201, services.framework_new_version(framework=framework, user=request.user))  # type: ignore[arg-type]
    except ValueError as exc:
        raise HttpError(409, str(exc)) from exc

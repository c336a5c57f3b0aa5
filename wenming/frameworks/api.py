"""API routes for evaluation systems: list, tree, import, export, compare, publish, retire,
new version.

A file that cannot be imported and a draft that does not pass the totals check are refused
like any other input (422, every problem by `file` or under `__all__`, each naming its row
and column); an oversized file is 413.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from wenming.core.api_input import (
    ErrorOut,
    Input,
    Refused,
    check_uploads,
    cleaned,
    column_length,
    limited_uploads,
    user_of,
)
from wenming.frameworks import access, preview, services
from wenming.frameworks.forms import FrameworkForm, NodeForm
from wenming.frameworks.io import diff as diff_mod
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io.reading import Corrections
from wenming.frameworks.models import Framework, Method, Node

router = Router(tags=["测评体系"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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
    max_total: str
    bonus_standards: int
    bonus_cap: str | None
    deduction_standards: int
    veto_count: int
    errors: list[dict[str, Any]]


class FrameworkPatch(Input):
    name: str | None = Field(None, max_length=column_length(Framework, "name"))
    issuer: str | None = Field(None, max_length=column_length(Framework, "issuer"))
    level: str | None = Field(None, max_length=column_length(Framework, "level"))
    kind: str | None = Field(None, max_length=column_length(Framework, "kind"))
    edition_year: int | None = None
    description: str | None = None
    basic_points: Decimal | None = None
    bonus_cap: Decimal | None = None
    deduction_cap: Decimal | None = None
    concealment_multiplier: Decimal | None = None
    pass_threshold: Decimal | None = None
    excellent_threshold: Decimal | None = None
    material_window: str | None = None


class NodePatch(Input):
    title: str | None = None
    description: str | None = None
    points: Decimal | None = None
    evidence: str | None = None
    material_window: str | None = Field(None, max_length=column_length(Node, "material_window"))
    scoring_mode: str | None = Field(None, max_length=column_length(Node, "scoring_mode"))
    scoring_rule: str | None = None
    note: str | None = None
    methods: list[str] | None = Field(None, description="测评方法；列表以外的写法照原样保留")


class NodeEditOut(Schema):
    node: NodeOut
    problems: list[dict[str, Any]]


def _editable(request: HttpRequest, framework_id: int) -> Framework:
    framework = access.get_framework_for_user(request.user, framework_id, write=True)
    if not framework.is_editable:
        raise Refused("已发布的测评体系不能修改；请先“创建新版本”，在新版本草稿中修改。")
    return framework


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Model values as a form posts them (None as an empty box)."""
    return {k: "" if v is None else v for k, v in values.items()}


def _node_out(row: Node) -> NodeOut:
    return NodeOut(
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


@router.get("", response=list[FrameworkOut], summary="可见的测评体系")
def framework_list(request: HttpRequest) -> Any:
    return list(access.visible_frameworks(request.user).order_by("lineage", "-version"))


@router.get("/compare", summary="比较两个版本")
def framework_compare(request: HttpRequest, old: int, new: int) -> dict[str, Any]:
    a = access.get_framework_for_user(request.user, old)
    b = access.get_framework_for_user(request.user, new)
    return diff_mod.compare(spec_mod.from_framework(a), spec_mod.from_framework(b)).as_dict()


def _problems(problems: list[spec_mod.Problem], field: str) -> Refused:
    """Every problem, as sentences under `errors[field]` and placed (sheet, row, column) under
    `problems`, so a client can point at the cell."""
    messages = [str(p) for p in problems]
    detail = f"测评体系有{len(messages)}处问题，请修改后重试：{messages[0]}" if messages else ""
    return Refused(
        detail or "测评体系有问题，请修改后重试。",
        {field: messages},
        extra={"problems": [p.as_dict() for p in problems]},
    )


def _corrections(text: str) -> Corrections | None:
    """The preview's corrections sent as a JSON form field (see `docs/frameworks-excel.md`)."""
    if not text.strip():
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("corrections 应为 JSON 对象")
        return Corrections.from_dict(data)
    except ValueError as exc:
        message = f"corrections 无法读取：{exc}"
        raise Refused(message, {"corrections": [message]}) from exc


def _import_owner(request: HttpRequest, owner_id: int) -> Any:
    owner = access.framework_owner_choices(request.user).filter(pk=owner_id).first()
    if owner is None:
        raise PermissionDenied("您不能以该组织的名义导入测评体系。")
    return owner


@router.post(
    "/import", response={201: ImportOut, **ERRORS, 413: ErrorOut}, summary="导入 Excel 或 YAML"
)
@decorate_view(limited_uploads)
def framework_import(
    request: HttpRequest,
    file: File[UploadedFile],
    owner_id: Form[int],
    name: Form[str] = "",
    lineage: Form[str] = "",
    corrections: Form[str] = "",
) -> Any:
    check_uploads(request, "file")
    owner = _import_owner(request, owner_id)
    content = file.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    result = services.framework_import(
        content=content,
        filename=file.name or "",
        owner=owner,
        user=user_of(request),
        overrides={"name": name, "lineage": lineage},
        corrections=_corrections(corrections),
    )
    if not result.ok:
        refusal = _problems(result.problems, "file")
        if len(content) > settings.WENMING_IMPORT_MAX_BYTES:
            refusal.status = 413
        raise refusal
    return Status(201, result.as_dict())


@router.post(
    "/import/preview",
    response={200: dict[str, Any], **ERRORS, 413: ErrorOut},
    summary="读取文件但不保存：逐行的读取结果、各列含义、上限、读出的体系与核对",
)
@decorate_view(limited_uploads)
def framework_import_preview(
    request: HttpRequest,
    file: File[UploadedFile],
    owner_id: Form[int],
    corrections: Form[str] = "",
) -> Any:
    """The same reading the import screen shows. Send `corrections` (the `corrections` object
    of a previous answer, changed) to read again; nothing is saved. Without corrections, the
    owner's reading profile for the document's issuer is applied when there is one."""
    check_uploads(request, "file")
    owner = _import_owner(request, owner_id)
    content = file.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    if len(content) > settings.WENMING_IMPORT_MAX_BYTES:
        limit = settings.WENMING_IMPORT_MAX_BYTES // (1024 * 1024)
        raise Refused(f"文件超过{limit}MB，请删去与测评体系无关的内容后再导入。", status=413)
    fitted = _corrections(corrections)
    profile = None
    try:
        reading = services.read_upload(content, file.name or "", fitted)
        if fitted is None:
            profile = preview.find_profile(owner, reading)
            if profile is not None:
                fitted = preview.localize(profile.corrections, reading)
                reading = services.read_upload(content, file.name or "", fitted)
    except spec_mod.ImportFailed as exc:
        raise _problems(exc.problems, "file") from exc
    return {**reading.as_dict(), "profile": str(profile) if profile is not None else None}


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
        out = _node_out(row)
        outs[row.pk] = out
        (outs[row.parent_id].children if row.parent_id else roots).append(out)
    spec = spec_mod.from_framework(framework, rows)
    return {
        "framework": framework,
        "summary": spec.summary(),
        "problems": [p.as_dict() for p in spec_mod.validate(spec)],
        "nodes": roots,
    }


@router.get(
    "/{framework_id}/export", response={200: None, **ERRORS}, summary="导出为 Excel 或 YAML"
)
def framework_export(
    request: HttpRequest, framework_id: int, format: Literal["xlsx", "yaml"] = "xlsx"
) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, framework_id)
    try:
        return services.framework_export_response(framework, format)
    except ValueError as exc:  # the tree cannot be laid out as a sheet
        raise Refused(str(exc), {"format": [str(exc)]}) from exc


# The services say "not a draft" and the like with ValueError, and a failed totals check
# with ImportFailed; both are refusals of the request, said in their own words.


@router.post("/{framework_id}/publish", response={200: FrameworkOut, **ERRORS}, summary="发布草稿")
def framework_publish(request: HttpRequest, framework_id: int) -> Framework:
    framework = access.get_framework_for_user(request.user, framework_id, write=True)
    try:
        return services.framework_publish(framework=framework, user=user_of(request))
    except spec_mod.ImportFailed as exc:
        raise _problems(exc.problems, "__all__") from exc
    except ValueError as exc:
        raise Refused(str(exc)) from exc


@router.post(
    "/{framework_id}/retire", response={200: FrameworkOut, **ERRORS}, summary="停用已发布的体系"
)
def framework_retire(request: HttpRequest, framework_id: int) -> Framework:
    framework = access.get_framework_for_user(request.user, framework_id, write=True)
    try:
        return services.framework_retire(framework=framework, user=user_of(request))
    except ValueError as exc:
        raise Refused(str(exc)) from exc


@router.post(
    "/{framework_id}/new-version",
    response={201: FrameworkOut, **ERRORS},
    summary="创建新版本草稿",
)
def framework_new_version(request: HttpRequest, framework_id: int) -> Any:
    framework = access.get_framework_for_user(request.user, framework_id, write=True)
    try:
        return Status(
            201, services.framework_new_version(framework=framework, user=user_of(request))
        )
    except ValueError as exc:
        raise Refused(str(exc)) from exc


# --- editing a draft -------------------------------------------------------------------------


@router.patch(
    "/{framework_id}", response={200: FrameworkOut, **ERRORS}, summary="修改草稿的体系信息"
)
def framework_update(request: HttpRequest, framework_id: int, payload: FrameworkPatch) -> Any:
    framework = _editable(request, framework_id)
    current = model_to_dict(framework, fields=list(FrameworkForm.base_fields))
    form = FrameworkForm(
        _form_data({**current, **payload.dict(exclude_unset=True)}), instance=framework
    )
    cleaned(form)
    return form.save()


@router.patch(
    "/{framework_id}/nodes/{int:node_id}",
    response={200: NodeEditOut, **ERRORS},
    summary="修改草稿中的一个节点（返回修改后的分值核对问题）",
)
def node_update(request: HttpRequest, framework_id: int, node_id: int, payload: NodePatch) -> Any:
    framework = _editable(request, framework_id)
    node = get_object_or_404(Node, pk=node_id, framework=framework)
    values = {**model_to_dict(node, fields=list(NodeForm.base_fields)), "methods": node.methods}
    values.update(payload.dict(exclude_unset=True))
    known = {m.value for m in Method}
    methods = values.pop("methods") or []
    data = _form_data(values)
    data["methods"] = [m for m in methods if m in known]
    data["other_methods"] = "、".join(m for m in methods if m not in known)
    form = NodeForm(data, instance=node)
    cleaned(form)
    services.node_update(node=node, user=user_of(request), data=form.node_data())
    node.refresh_from_db()
    problems = services.framework_check(framework)
    return {"node": _node_out(node), "problems": [p.as_dict() for p in problems]}

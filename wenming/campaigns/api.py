"""API routes for campaign plans: list, detail (with phases, milestones, coverage), create,
and setting the four phases.

The two writing routes read their body themselves (JSON, or form fields) so that access is
decided before the input is judged (403/404 before 422), and so that every complaint about
the input is a Chinese sentence naming the field: `{"detail": "...", "errors": {field: [...]}}`.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from wenming.campaigns import access, services
from wenming.campaigns.models import PHASE_ORDER, Campaign
from wenming.frameworks.models import Framework
from wenming.orgs import access as org_access

router = Router(tags=["创建规划"])


class CampaignOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    title: str
    target_level: str
    target_kind: str
    framework_id: int
    framework_name: str
    cycle_start: datetime.date
    cycle_end: datetime.date
    application_date: datetime.date | None
    status: str
    is_active: bool
    organized_at: datetime.datetime | None


class PhaseOut(Schema):
    id: int
    kind: str
    name: str
    start: datetime.date
    end: datetime.date
    description: str


class MilestoneOut(Schema):
    id: int
    title: str
    due: datetime.date
    phase_id: int | None
    owner_department_id: int | None
    owner_department_name: str | None
    owner_id: int | None
    done_at: datetime.date | None


class CoverageOut(Schema):
    total: int
    covered: int
    excluded: int
    uncovered: int
    percent: int


class CampaignDetailOut(CampaignOut):
    guiding_ideas: str
    goals: str
    requirements: str
    phases: list[PhaseOut]
    milestones: list[MilestoneOut]
    coverage: CoverageOut


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


FIELD_LABELS = {
    "unit_id": "单位",
    "framework_id": "测评体系",
    "cycle_start": "创建周期开始日期",
    "cycle_end": "创建周期结束日期",
    "application_date": "申报日期",
}

CAMPAIGN_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["unit_id", "title", "target_level", "framework_id"],
                    "properties": {
                        "unit_id": {"type": "integer", "description": "单位编号"},
                        "title": {"type": "string", "example": "2026—2028年创建省级文明单位"},
                        "target_level": {
                            "type": "string",
                            "enum": ["county", "city", "province", "national", "other"],
                        },
                        "target_kind": {"type": "string", "default": "文明单位"},
                        "framework_id": {"type": "integer", "description": "已发布的测评体系"},
                        "cycle_start": {"type": "string", "format": "date"},
                        "cycle_end": {"type": "string", "format": "date"},
                        "application_date": {"type": "string", "format": "date"},
                        "guiding_ideas": {"type": "string"},
                        "goals": {"type": "string"},
                        "requirements": {"type": "string"},
                    },
                }
            }
        },
        "required": True,
    }
}

PHASES_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["phases"],
                    "properties": {
                        "phases": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["kind", "start", "end"],
                                "properties": {
                                    "kind": {"type": "string", "enum": list(PHASE_ORDER)},
                                    "start": {"type": "string", "format": "date"},
                                    "end": {"type": "string", "format": "date"},
                                    "description": {"type": "string"},
                                },
                            },
                        }
                    },
                }
            }
        },
        "required": True,
    }
}


class BadInput(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise BadInput({"__all__": ["请求内容不是有效的 JSON，请检查格式。"]}) from exc
        if not isinstance(data, dict):
            raise BadInput({"__all__": ["请求内容应为一个 JSON 对象。"]})
        return data
    return request.POST.dict()


def _int(data: dict[str, Any], key: str, errors: dict[str, list[str]]) -> int | None:
    value: Any = data.get(key)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.setdefault(key, []).append(f"{FIELD_LABELS.get(key, key)}须填写编号（整数）。")
        return None


def _date(value: Any, key: str, label: str, errors: dict[str, list[str]]) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(key, []).append(
            f"{label}“{value}”不是有效日期，请按 2026-09-30 这样的格式填写。"
        )
        return None


def _text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return default if value is None else str(value)


def _unprocessable(errors: dict[str, list[str]]) -> Status:
    messages = [m for msgs in errors.values() for m in msgs]
    return Status(422, {"detail": "；".join(messages), "errors": errors})


def _validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            key: [str(m) for e in errs for m in e.messages] for key, errs in exc.error_dict.items()
        }
    return {"__all__": list(exc.messages)}


def _summary(campaign: Campaign) -> dict[str, Any]:
    fields = [name for name in CampaignOut.model_fields if not name.endswith("_name")]
    return {
        **{name: getattr(campaign, name) for name in fields},
        "unit_name": campaign.unit.name,
        "framework_name": campaign.framework.name,
    }


def _detail(campaign: Campaign) -> dict[str, Any]:
    summary = services.campaign_coverage(campaign)
    milestones = campaign.milestones.filter(is_active=True).select_related("owner_department")
    return {
        **_summary(campaign),
        "guiding_ideas": campaign.guiding_ideas,
        "goals": campaign.goals,
        "requirements": campaign.requirements,
        "phases": list(campaign.phases.order_by("position")),
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due": m.due,
                "phase_id": m.phase_id,
                "owner_department_id": m.owner_department_id,
                "owner_department_name": m.owner_department.name if m.owner_department else None,
                "owner_id": m.owner_id,
                "done_at": m.done_at,
            }
            for m in milestones.order_by("due", "id")
        ],
        "coverage": {
            "total": summary.total,
            "covered": summary.covered,
            "excluded": summary.excluded,
            "uncovered": summary.uncovered,
            "percent": summary.percent,
        },
    }


@router.get("", response=list[CampaignOut], summary="可见的创建工作")
def campaign_list(request: HttpRequest) -> Any:
    campaigns = access.visible_campaigns(request.user).order_by(
        "-is_active", "unit__path", "-cycle_start", "-id"
    )
    return [_summary(c) for c in campaigns]


@router.get(
    "/{campaign_id}", response=CampaignDetailOut, summary="创建工作详情（阶段、时间节点、任务覆盖）"
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    return _detail(access.get_campaign_for_user(request.user, campaign_id))


@router.post(
    "",
    response={201: CampaignDetailOut, 422: ErrorOut},
    summary="新建创建工作",
    openapi_extra=CAMPAIGN_BODY,
)
def campaign_create(request: HttpRequest) -> Any:
    try:
        data = _body(request)
    except BadInput as exc:
        return _unprocessable(exc.errors)
    errors: dict[str, list[str]] = {}
    unit_id = _int(data, "unit_id", errors)
    if unit_id is None:
        errors.setdefault("unit_id", ["请指定为哪个单位新建创建工作（unit_id）。"])
        return _unprocessable(errors)
    unit = org_access.get_org_for_user(request.user, unit_id)
    if not access.can_create_campaign(request.user, unit):
        raise HttpError(403, f"您不能为“{unit.name}”新建创建工作。")
    framework = None
    framework_id = _int(data, "framework_id", errors)
    if framework_id is not None:
        framework = Framework.objects.filter(pk=framework_id).first()
        if framework is None:
            errors["framework_id"] = ["没有找到所选测评体系，或您无权使用它。请重新选择。"]
    dates = {
        key: _date(data.get(key), key, FIELD_LABELS[key], errors)
        for key in ("cycle_start", "cycle_end", "application_date")
    }
    if errors:
        return _unprocessable(errors)
    try:
        campaign = services.campaign_create(
            unit=unit,
            user=request.user,  # type: ignore[arg-type]
            title=_text(data, "title"),
            target_level=_text(data, "target_level"),
            target_kind=_text(data, "target_kind", "文明单位"),
            framework=framework,
            cycle_start=dates["cycle_start"],
            cycle_end=dates["cycle_end"],
            application_date=dates["application_date"],
            guiding_ideas=_text(data, "guiding_ideas"),
            goals=_text(data, "goals"),
            requirements=_text(data, "requirements"),
        )
    except ValidationError as exc:
        found = _validation_errors(exc)
        if "framework" in found:
            found["framework_id"] = found.pop("framework")
        return _unprocessable(found)
    return Status(201, _detail(access.get_campaign_for_user(request.user, campaign.pk)))


@router.api_operation(
    ["PUT", "POST"],
    "/{campaign_id}/phases",
    response={200: list[PhaseOut], 422: ErrorOut},
    summary="设置四个阶段（PUT；不能发送 PUT 的客户端可用 POST）",
    openapi_extra=PHASES_BODY,
)
def campaign_phases_update(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    try:
        data = _body(request)
    except BadInput as exc:
        return _unprocessable(exc.errors)
    raw = data.get("phases")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = None
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        return _unprocessable(
            {"phases": ["请以 phases 列表提交四个阶段，每项含 kind、start、end。"]}
        )
    errors: dict[str, list[str]] = {}
    phases: list[services.PhaseInput] = []
    for item in raw:
        kind = str(item.get("kind") or "")
        label = services.phase_label(kind)
        phases.append(
            (
                kind,
                _date(item.get("start"), f"{kind}_start", f"“{label}”开始日期", errors),
                _date(item.get("end"), f"{kind}_end", f"“{label}”结束日期", errors),
                _text(item, "description"),
            )
        )
    if errors:
        return _unprocessable(errors)
    try:
        saved = services.phases_update(campaign=campaign, phases=phases)
    except ValidationError as exc:
        return _unprocessable(_validation_errors(exc))
    return saved

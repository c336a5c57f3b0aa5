"""API routes for campaign plans: list, detail (with phases, milestones, coverage), create,
change, the four phases, milestones, marking as organized, the active campaign, and the
实施方案 document.

The same rules as the screens: campaigns through `wenming.campaigns.access` (404 for what
the user cannot see, 403 for what they see but may not plan), writes through
`wenming.campaigns.services`, whose refusals reach the API's handler as 422 with the Chinese
sentence under the field the client sent (`framework_id`, `cycle_end`, `<kind>_start`...).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from wenming.campaigns import access, documents, services
from wenming.campaigns.models import Campaign, Milestone, Phase
from wenming.core.api_input import ErrorOut, Input, column_length, field_names, refused, user_of
from wenming.frameworks.models import Framework
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

router = Router(tags=["创建规划"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
FIELDS = {
    "framework": "framework_id",
    "unit": "unit_id",
    "owner_department": "owner_department_id",
    "owner": "owner_id",
}


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


class CampaignIn(Input):
    unit_id: int = Field(description="单位编号")
    title: str = Field(
        "", max_length=column_length(Campaign, "title"), examples=["2026—2028年创建省级文明单位"]
    )
    target_level: str = Field(
        "",
        max_length=column_length(Campaign, "target_level"),
        description="county、city、province、national 或 other",
    )
    target_kind: str = Field("文明单位", max_length=column_length(Campaign, "target_kind"))
    framework_id: int | None = Field(None, description="已发布的测评体系")
    cycle_start: datetime.date | None = None
    cycle_end: datetime.date | None = None
    application_date: datetime.date | None = None
    guiding_ideas: str = ""
    goals: str = ""
    requirements: str = ""


class CampaignPatch(Input):
    title: str | None = Field(None, max_length=column_length(Campaign, "title"))
    target_level: str | None = Field(None, max_length=column_length(Campaign, "target_level"))
    target_kind: str | None = Field(None, max_length=column_length(Campaign, "target_kind"))
    framework_id: int | None = None
    cycle_start: datetime.date | None = None
    cycle_end: datetime.date | None = None
    application_date: datetime.date | None = None
    guiding_ideas: str | None = None
    goals: str | None = None
    requirements: str | None = None


class PhaseIn(Schema):
    kind: str = Field(
        max_length=column_length(Phase, "kind"),
        description="mobilize、implement、improve 或 apply",
    )
    start: datetime.date
    end: datetime.date
    description: str = ""


class PhasesIn(Input):
    phases: list[PhaseIn] = Field(description="四个阶段都要给")


class MilestoneIn(Input):
    title: str = Field(max_length=column_length(Milestone, "title"))
    due: datetime.date
    owner_department_id: int | None = None
    owner_id: int | None = None


class MilestonePatch(Input):
    title: str | None = Field(None, max_length=column_length(Milestone, "title"))
    due: datetime.date | None = None
    owner_department_id: int | None = None
    owner_id: int | None = None
    done_at: datetime.date | None = Field(None, description="完成日期；不填表示尚未完成")


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
        "milestones": [_milestone_out(m) for m in milestones.order_by("due", "id")],
        "coverage": {
            "total": summary.total,
            "covered": summary.covered,
            "excluded": summary.excluded,
            "uncovered": summary.uncovered,
            "percent": summary.percent,
        },
    }


def _milestone_out(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "due": m.due,
        "phase_id": m.phase_id,
        "owner_department_id": m.owner_department_id,
        "owner_department_name": m.owner_department.name if m.owner_department else None,
        "owner_id": m.owner_id,
        "done_at": m.done_at,
    }


def _framework(framework_id: int | None) -> Framework | None:
    """The chosen framework; whether the user may use it is the service's rule."""
    if framework_id is None:
        return None
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        raise refused("framework_id", "没有找到所选测评体系，或您无权使用它。请重新选择。")
    return framework


# --- reading -------------------------------------------------------------------------------


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


@router.get("/{int:campaign_id}/plan.docx", summary="下载《实施方案》.docx")
def campaign_plan_docx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    response = HttpResponse(
        documents.campaign_plan_docx(campaign), content_type=documents.DOCX_TYPE
    )
    filename = quote(documents.plan_filename(campaign))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- planning ------------------------------------------------------------------------------


@router.post("", response={201: CampaignDetailOut, **ERRORS}, summary="新建创建工作")
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Any:
    unit = org_access.get_org_for_user(request.user, payload.unit_id)
    if not access.can_create_campaign(request.user, unit):
        raise access.create_refusal(request.user, unit)
    data = payload.dict(exclude={"unit_id", "framework_id"})
    with field_names(FIELDS):
        campaign = services.campaign_create(
            unit=unit,
            user=user_of(request),
            framework=_framework(payload.framework_id),
            **data,
        )
    return Status(201, _detail(access.get_campaign_for_user(request.user, campaign.pk)))


@router.patch("/{campaign_id}", response={200: CampaignDetailOut, **ERRORS}, summary="修改创建规划")
def campaign_update(request: HttpRequest, campaign_id: int, payload: CampaignPatch) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    changes = payload.dict(exclude_unset=True)
    data = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
    data.pop("framework", None)
    data.update({k: v for k, v in changes.items() if k != "framework_id"})
    framework = (
        _framework(changes["framework_id"]) if "framework_id" in changes else campaign.framework
    )
    with field_names(FIELDS):
        services.campaign_update(
            campaign=campaign, user=user_of(request), framework=framework, **data
        )
    return _detail(access.get_campaign_for_user(request.user, campaign.pk))


@router.api_operation(
    ["PUT", "POST"],
    "/{campaign_id}/phases",
    response={200: list[PhaseOut], **ERRORS},
    summary="设置四个阶段（PUT；不能发送 PUT 的客户端可用 POST）",
)
def campaign_phases_update(request: HttpRequest, campaign_id: int, payload: PhasesIn) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    phases: list[services.PhaseInput] = [
        (p.kind, p.start, p.end, p.description) for p in payload.phases
    ]
    return services.phases_update(campaign=campaign, phases=phases)


@router.post(
    "/{int:campaign_id}/organize",
    response={200: CampaignDetailOut, **ERRORS},
    summary="标记为已部署（每条测评标准都有对应任务或已标为不适用）",
)
def campaign_organize(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    services.campaign_mark_organized(campaign=campaign)
    return _detail(access.get_campaign_for_user(request.user, campaign.pk))


@router.post(
    "/{int:campaign_id}/set-active",
    response={200: CampaignDetailOut, **ERRORS},
    summary="设为本单位当前的创建工作",
)
def campaign_set_active(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    services.campaign_set_active(campaign=campaign)
    return _detail(access.get_campaign_for_user(request.user, campaign.pk))


# --- milestones ----------------------------------------------------------------------------


def _owners(campaign: Campaign, department_id: int | None, owner_id: int | None) -> dict[str, Any]:
    """The milestone's department and person; whether they belong to the unit is the
    service's rule."""
    department = None
    if department_id is not None:
        department = Organization.objects.filter(pk=department_id).first()
        if department is None:
            raise refused("owner_department_id", "没有找到所选责任部门，请重新选择。")
    owner = None
    if owner_id is not None:
        owner = unit_people(campaign.unit).filter(pk=owner_id).first()
        if owner is None:
            raise refused("owner_id", f"责任人不是{campaign.unit.name}的人员，请重新选择。")
    return {"owner_department": department, "owner": owner}


@router.post(
    "/{int:campaign_id}/milestones",
    response={201: MilestoneOut, **ERRORS},
    summary="添加时间节点",
)
def milestone_create(request: HttpRequest, campaign_id: int, payload: MilestoneIn) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    owners = _owners(campaign, payload.owner_department_id, payload.owner_id)
    with field_names(FIELDS):
        milestone = services.milestone_create(
            campaign=campaign, title=payload.title, due=payload.due, **owners
        )
    return Status(201, _milestone_out(milestone))


@router.patch(
    "/milestones/{int:milestone_id}",
    response={200: MilestoneOut, **ERRORS},
    summary="修改时间节点（含完成日期）",
)
def milestone_update(request: HttpRequest, milestone_id: int, payload: MilestonePatch) -> Any:
    milestone = access.get_milestone_for_user(request.user, milestone_id, write=True)
    data = {
        "title": milestone.title,
        "due": milestone.due,
        "owner_department_id": milestone.owner_department_id,
        "owner_id": milestone.owner_id,
        "done_at": milestone.done_at,
        **payload.dict(exclude_unset=True),
    }
    owners = _owners(milestone.campaign, data["owner_department_id"], data["owner_id"])
    with field_names(FIELDS):
        services.milestone_update(
            milestone=milestone,
            title=data["title"] or "",
            due=data["due"],
            done_at=data["done_at"],
            **owners,
        )
    return _milestone_out(milestone)


@router.post(
    "/milestones/{int:milestone_id}/deactivate",
    response={200: MilestoneOut, **ERRORS},
    summary="撤销时间节点（记录仍然保留）",
)
def milestone_deactivate(request: HttpRequest, milestone_id: int) -> Any:
    milestone = access.get_milestone_for_user(request.user, milestone_id, write=True)
    return _milestone_out(services.milestone_deactivate(milestone=milestone))

"""API routes for bulletins (通报, R7), mounted on the oversight router by `oversight/api.py`.

Drafts are seen and changed only by the unit's 创建办 and the office admins above; issued
bulletins are read by everyone who sees the campaign and are never changed. A refused input
or rule is answered 422 `{"detail", "errors"}` in Chinese by the API's handlers; bodies are
JSON or the same fields as a form (`Input`).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from wenming.campaigns import access as campaign_access
from wenming.core.api_input import ErrorOut, Input, column_length, user_of
from wenming.core.docx import DOCX_TYPE
from wenming.oversight import access
from wenming.oversight.bulletins import services
from wenming.oversight.bulletins.document import bulletin_docx, bulletin_filename
from wenming.oversight.models import Bulletin

router = Router(tags=["通报"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PeriodIn(Input):
    period_start: datetime.date | None = Field(None, description="如 2026-10-01")
    period_end: datetime.date | None = Field(None, description="如 2026-10-31")


def _text(model_field: str) -> Any:
    return Field(None, max_length=column_length(Bulletin, model_field))


class BulletinPatch(Input):
    """The parts of a draft to change; what is not given stays as it was."""

    number: str | None = _text("number")
    title: str | None = _text("title")
    issuer: str | None = _text("issuer")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    opening: str | None = None
    praise: str | None = None
    criticism: str | None = None
    problems: str | None = None
    requirements: str | None = None


class IssueIn(Input):
    issued_on: datetime.date | None = Field(None, description="成文日期，默认今天")


class BulletinOut(Schema):
    id: int
    campaign_id: int
    number: str
    title: str
    period_start: datetime.date
    period_end: datetime.date
    status: str
    status_label: str
    issuer: str
    issued_on: datetime.date | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BulletinDetailOut(BulletinOut):
    opening: str
    praise: str
    criticism: str
    problems: str
    requirements: str
    facts: dict[str, Any]
    issued_at: datetime.datetime | None


class BulletinPage(Schema):
    items: list[BulletinOut]
    count: int


def _out(b: Bulletin) -> dict[str, Any]:
    return {
        "id": b.pk,
        "campaign_id": b.campaign_id,
        "number": b.number,
        "title": b.title,
        "period_start": b.period_start,
        "period_end": b.period_end,
        "status": b.status,
        "status_label": b.get_status_display(),
        "issuer": b.issuer,
        "issued_on": b.issued_on,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    }


def _detail(b: Bulletin) -> dict[str, Any]:
    return {
        **_out(b),
        "opening": b.opening,
        "praise": b.praise,
        "criticism": b.criticism,
        "problems": b.problems,
        "requirements": b.requirements,
        "facts": b.facts or {},
        "issued_at": b.issued_at,
    }


@router.get(
    "/campaigns/{int:campaign_id}/bulletins",
    response={200: BulletinPage, **ERRORS},
    summary="通报列表（草稿只对创建办显示）",
)
def oversight_bulletin_list(request: HttpRequest, campaign_id: int) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    items = list(access.visible_bulletins(request.user).filter(campaign=campaign)[:200])
    return {"items": [_out(b) for b in items], "count": len(items)}


@router.post(
    "/campaigns/{int:campaign_id}/bulletins",
    response={201: BulletinDetailOut, **ERRORS},
    summary="按期间生成通报草稿（period_start、period_end，如 2026-10-01）",
)
def oversight_bulletin_create(request: HttpRequest, campaign_id: int, payload: PeriodIn) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    if not access.can_manage_bulletins(request.user, campaign.unit):
        raise access.bulletin_refusal(request.user, campaign.unit)
    bulletin = services.bulletin_draft(
        campaign=campaign,
        user=user_of(request),
        start=payload.period_start,
        end=payload.period_end,
    )
    return Status(201, _detail(bulletin))


@router.get(
    "/bulletins/{int:bulletin_id}", response={200: BulletinDetailOut, **ERRORS}, summary="通报详情"
)
def oversight_bulletin_detail(request: HttpRequest, bulletin_id: int) -> Any:
    return _detail(access.get_bulletin_for_user(request.user, bulletin_id))


@router.post(
    "/bulletins/{int:bulletin_id}",
    response={200: BulletinDetailOut, **ERRORS},
    summary="修改通报草稿（未给出的字段保持不变；已印发的不能修改）",
)
def oversight_bulletin_update(
    request: HttpRequest, bulletin_id: int, payload: BulletinPatch
) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    given = {k: v for k, v in payload.dict().items() if v is not None}
    current = {name: getattr(bulletin, name) for name in BulletinPatch.model_fields}
    values = {**current, **given}
    updated = services.bulletin_update(bulletin=bulletin, user=user_of(request), **values)
    return _detail(updated)


@router.post(
    "/bulletins/{int:bulletin_id}/issue",
    response={200: BulletinDetailOut, **ERRORS},
    summary="印发通报（issued_on 可选，默认今天）；印发后不能修改",
)
def oversight_bulletin_issue(
    request: HttpRequest, bulletin_id: int, payload: IssueIn | None = None
) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    issued = services.bulletin_issue(
        bulletin=bulletin,
        user=user_of(request),
        issued_on=payload.issued_on if payload is not None else None,
    )
    return _detail(issued)


@router.get("/bulletins/{int:bulletin_id}/docx", summary="下载通报 Word 文档")
def oversight_bulletin_docx(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id)
    response = HttpResponse(bulletin_docx(bulletin), content_type=DOCX_TYPE)
    name = quote(bulletin_filename(bulletin))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response

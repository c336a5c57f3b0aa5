"""API routes for bulletins (通报, R7), mounted on the oversight router by `api.py`.

Drafts are seen and changed only by the unit's 创建办 and the office admins above; issued
bulletins are read by everyone who sees the campaign and are never changed. Refusals are
400 `{"detail", "errors"}` in Chinese.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from wenming.campaigns import access as campaign_access
from wenming.campaigns.documents import DOCX_TYPE
from wenming.core.api_input import ErrorOut, Refused
from wenming.core.api_input import date_field as _date
from wenming.core.api_input import refusal as _refusal
from wenming.core.api_input import request_data as _data
from wenming.core.api_input import run as _run
from wenming.core.api_input import user_of as _user
from wenming.oversight import access, bulletins
from wenming.oversight.models import Bulletin

router = Router(tags=["通报"])
ERRORS: dict[int, Any] = {400: ErrorOut}


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
    response=BulletinPage,
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
def oversight_bulletin_create(request: HttpRequest, campaign_id: int) -> Any:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_id)
    if not access.can_manage_bulletins(request.user, campaign.unit):
        raise PermissionDenied("只有本单位创建办或上级文明办可以起草、修改和印发通报。")
    try:
        data = _data(request)
        start = _date(data.get("period_start"), "period_start", "开始日期")
        end = _date(data.get("period_end"), "period_end", "结束日期")
        bulletin = _run(
            lambda: bulletins.bulletin_draft(
                campaign=campaign, user=_user(request), start=start, end=end
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return Status(201, _detail(bulletin))


@router.get("/bulletins/{int:bulletin_id}", response=BulletinDetailOut, summary="通报详情")
def oversight_bulletin_detail(request: HttpRequest, bulletin_id: int) -> Any:
    return _detail(access.get_bulletin_for_user(request.user, bulletin_id))


@router.post(
    "/bulletins/{int:bulletin_id}",
    response={200: BulletinDetailOut, **ERRORS},
    summary="修改通报草稿（未给出的字段保持不变；已印发的不能修改）",
)
def oversight_bulletin_update(request: HttpRequest, bulletin_id: int) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    try:
        data = _data(request)

        def text(name: str) -> str:
            value = data.get(name)
            return str(value) if value is not None else str(getattr(bulletin, name))

        start = _date(data.get("period_start"), "period_start", "开始日期")
        end = _date(data.get("period_end"), "period_end", "结束日期")
        updated = _run(
            lambda: bulletins.bulletin_update(
                bulletin=bulletin,
                user=_user(request),
                title=text("title"),
                number=text("number"),
                issuer=text("issuer"),
                period_start=start or bulletin.period_start,
                period_end=end or bulletin.period_end,
                opening=text("opening"),
                praise=text("praise"),
                criticism=text("criticism"),
                problems=text("problems"),
                requirements=text("requirements"),
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return _detail(updated)


@router.post(
    "/bulletins/{int:bulletin_id}/issue",
    response={200: BulletinDetailOut, **ERRORS},
    summary="印发通报（issued_on 可选，默认今天）；印发后不能修改",
)
def oversight_bulletin_issue(request: HttpRequest, bulletin_id: int) -> Any:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id, write=True)
    try:
        issued_on = _date(_data(request).get("issued_on"), "issued_on", "成文日期")
        issued = _run(
            lambda: bulletins.bulletin_issue(
                bulletin=bulletin, user=_user(request), issued_on=issued_on
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return _detail(issued)


@router.get("/bulletins/{int:bulletin_id}/docx", summary="下载通报 Word 文档")
def oversight_bulletin_docx(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id)
    response = HttpResponse(bulletins.bulletin_docx(bulletin), content_type=DOCX_TYPE)
    name = quote(bulletins.bulletin_filename(bulletin))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response

"""API routes for 消息提醒 (R15), mounted at /notifications by `wenming/api.py`.

Each person reads and marks only their own notifications: another person's is told nothing
(404), the office included. The listing and marking are the inbox screen's own
(`wenming.notifications.inbox`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from wenming.core.api_input import ErrorOut, refused
from wenming.notifications import access, inbox
from wenming.notifications.models import Kind, Notification

router = Router(tags=["消息提醒"])
ERRORS: dict[int, Any] = {422: ErrorOut}
MOST = 200


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read: bool
    read_at: datetime.datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    count: int
    unread: int


class ReadAllOut(Schema):
    marked: int


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at,
        "read": n.read_at is not None,
        "read_at": n.read_at,
    }


def _kind(value: str) -> str:
    kind = value.strip()
    if kind and kind not in Kind.values:
        names = "、".join(f"{k}（{label}）" for k, label in Kind.choices)
        raise refused("kind", f"没有这类提醒。类型可以是：{names}。")
    return kind


@router.get(
    "/",
    response={200: NotificationPage, **ERRORS},
    summary="我的消息提醒（unread=true 只看未读，kind 按类型；limit、offset）",
)
def notification_list(
    request: HttpRequest,
    unread: bool = False,
    kind: str = Query("", description="提醒类型，不填为全部"),
    limit: int = Query(50, ge=1, description=f"每次最多{MOST}条"),
    offset: int = Query(0, ge=0),
) -> Any:
    qs = inbox.listing(request.user, unread_only=unread, kind=_kind(kind))
    size, start = min(limit, MOST), offset
    return {
        "items": [_out(n) for n in qs[start : start + size]],
        "count": qs.count(),
        "unread": inbox.unread_count(request.user),
    }


@router.post("/read-all", response=ReadAllOut, summary="全部标为已读（返回标记的条数）")
def notification_read_all(request: HttpRequest) -> Any:
    return {"marked": inbox.mark_all_read(request.user)}


@router.post("/{int:notification_id}/read", response=NotificationOut, summary="标为已读")
def notification_read(request: HttpRequest, notification_id: int) -> Any:
    notification = access.get_notification_for_user(request.user, notification_id)
    inbox.mark_read(notification)
    return _out(notification)

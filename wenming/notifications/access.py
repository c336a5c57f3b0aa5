"""A notification is its recipient's alone: anyone else, the office included, is told nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from wenming.notifications.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def get_notification_for_user(user: User | AnonymousUser, pk: int | str) -> Notification:
    found = Notification.objects.filter(recipient_id=user.pk, pk=pk).first()
    if found is None or not user.is_authenticated:
        raise Http404("没有找到该消息。")
    return found

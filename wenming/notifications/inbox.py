"""A person's inbox, shared by the screens and the API: listing, counting, marking read."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wenming.notifications.models import Notification, NotificationQuerySet


def mine(user: Any) -> NotificationQuerySet:
    """The user's own notifications; nobody else's, whoever asks."""
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user: Any) -> int:
    return mine(user).unread().count()


def listing(user: Any, *, unread_only: bool, kind: str = "") -> NotificationQuerySet:
    """The inbox, newest first: only the unread when asked, only one kind when given."""
    qs = mine(user)
    if unread_only:
        qs = qs.unread()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user: Any) -> int:
    """Marks every unread notification of the user read; how many there were."""
    return mine(user).unread().update(read_at=timezone.now())

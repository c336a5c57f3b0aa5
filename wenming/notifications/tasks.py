"""Background work of 消息提醒, enqueued by `wenming scheduler` (or cron with `--once`)."""

from __future__ import annotations

from django_tasks import task

from wenming.notifications.digest import digests_send
from wenming.notifications.rules import notify


@task()
def scan_notifications() -> int:
    """Write the notifications due now; returns how many were new."""
    return notify()


@task()
def send_digests() -> int:
    """Send today's email digests not sent yet; returns how many mails went out."""
    return digests_send()

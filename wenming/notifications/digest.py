"""The daily email digest: one mail per person per day, listing what they have not read.

Sent only when SMTP is configured (WENMING_SMTP_HOST), to people with an email address who
left the digest on. A `DigestRun` row is taken before each mail goes out, so a second run on
the same day, or one racing it, sends nothing; if sending fails the row is given back and
the next run tries again.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wenming.notifications.models import DigestRun, Kind, Notification, Preference

log = logging.getLogger(__name__)


def email_enabled() -> bool:
    return bool(getattr(settings, "WENMING_SMTP_HOST", ""))


def absolute(path: str) -> str:
    return f"{settings.WENMING_BASE_URL}{path}"


def _pending(today: datetime.date) -> dict[User, list[Notification]]:
    opted_out = Preference.objects.filter(email_digest=False).values("user_id")
    done_today = DigestRun.objects.filter(day=today).values("user_id")
    rows = (
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .exclude(recipient__in=opted_out)
        .exclude(recipient__in=done_today)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    by_person: dict[User, list[Notification]] = defaultdict(list)
    for n in rows:
        by_person[n.recipient].append(n)
    return by_person


def _message(user: User, items: list[Notification], today: datetime.date) -> EmailMessage:
    order = {kind: i for i, kind in enumerate(Kind.values)}
    groups: dict[str, list[Notification]] = defaultdict(list)
    for n in items:
        groups[n.kind].append(n)
    sections = [
        {
            "label": Kind(kind).label,
            "items": [
                {
                    "title": n.title,
                    "body": n.body,
                    "link": absolute(reverse("notifications:open", args=[n.pk])),
                }
                for n in group
            ],
        }
        for kind, group in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    body = render_to_string(
        "notifications/digest.txt",
        {
            "name": user.get_full_name() or user.username,
            "day": today,
            "count": len(items),
            "sections": sections,
            "inbox": absolute(reverse("notifications:inbox")),
            "preferences": absolute(reverse("notifications:preferences")),
        },
    )
    subject = f"【文明创建】{today.month}月{today.day}日消息提醒（{len(items)}条）"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def digests_send(today: datetime.date | None = None) -> int:
    """Send today's digests not sent yet; returns how many mails went out."""
    if not email_enabled():
        return 0
    today = today or timezone.localdate()
    sent = 0
    for user, items in _pending(today).items():
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(user=user, day=today, count=len(items))
        except IntegrityError:
            continue  # another run has taken this person's digest for today
        try:
            _message(user, items, today).send()
        except Exception:
            log.exception("daily digest to user %s failed", user.pk)
            run.delete()
            continue
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
        sent += 1
    return sent

"""Notification routes (R15) in the permission matrix.

Everyone logged in has an inbox, a badge and preferences of their own; a notification is its
recipient's alone, so opening or marking another person's is told nothing (404), the office
admin included.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from tests.matrix.base import Route, expect, no_args


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.notifications.models import Kind, Notification

    notification = Notification.objects.create(
        recipient=User.objects.get(username="keshi"),
        kind=Kind.REPORT_MISSING,
        key="report_missing:matrix",
        title="食品安全监管科上周周报未报送",
        url="/reports/mine/",
    )
    return {"notification": notification}


def _notification(t: dict[str, Any]) -> list[Any]:
    return [t["notification"].pk]


ROUTES: dict[str, Route] = {
    "notifications:inbox": Route("GET", no_args, expect(200)),
    # Polled by the navbar: after the session expires it answers 204 so nothing is swapped in.
    "notifications:badge": Route("GET", no_args, expect(200, anonymous=204)),
    "notifications:preferences": Route("GET", no_args, expect(200)),
    "notifications:read_all": Route("POST", no_args, expect(302)),
    "notifications:open": Route("GET", _notification, expect(404, dept_head=302)),
    "notifications:read": Route("POST", _notification, expect(404, dept_head=302)),
}

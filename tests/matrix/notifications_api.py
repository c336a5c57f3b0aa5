"""Notification API routes (R15) in the permission matrix.

Everyone logged in reads and marks their own; another person's notification (here keshi's,
made by `tests/matrix/notifications.py`) is told nothing (404), the office admin included.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import Route, expect, no_args


def _notification(t: dict[str, Any]) -> list[Any]:
    return [t["notification"].pk]


ROUTES: dict[str, Route] = {
    "api:notification_list": Route("GET", no_args, expect(200, anonymous=401)),
    "api:notification_read_all": Route("POST", no_args, expect(200, anonymous=401)),
    "api:notification_read": Route(
        "POST", _notification, expect(404, anonymous=401, dept_head=200)
    ),
}

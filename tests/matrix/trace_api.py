"""Trace API routes (R16) in the permission matrix: the same rules as the screens.

The log is read by the managers and unit leaders (another city's office reads its own, empty
log); an object's history by whoever sees the object (the task made by `tests/matrix/trace.py`).
"""

from __future__ import annotations

from tests.matrix.base import Route, expect, no_args, unit_read

ROUTES: dict[str, Route] = {
    "api:trace_change_list": Route(
        "GET",
        no_args,
        expect(
            403, anonymous=401, office_admin=200, coordinator=200, leader=200, outsider_admin=200
        ),
    ),
    "api:trace_object_history": Route(
        "GET", lambda t: ["task", t["trace_task"].pk], unit_read(anonymous=401)
    ),
}

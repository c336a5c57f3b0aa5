"""The hub of the office's supervision in the permission matrix.

The office's people (here and in another city) get their office's hub; a unit's own people
(创建办, 单位领导, 督查员, 观察员) get their unit's side; department roles are refused (403).
"""

from __future__ import annotations

from tests.matrix.base import Route, expect

ROUTES: dict[str, Route] = {
    "supervision:index": Route("GET", lambda t: [], expect(200, staff=403, dept_head=403)),
}

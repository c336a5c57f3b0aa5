"""Evaluation system API routes added beside those in tests/test_permission_matrix.py.

Retiring a published system is its owner's (the office admin's): the unit below reads it and
is refused; another city is told nothing. Drafts are the owner's alone: nobody else learns
they exist.
"""

from __future__ import annotations

from tests.matrix.base import Route, expect, office_only

ROUTES: dict[str, Route] = {
    "api:framework_retire": Route(
        "POST",
        lambda t: [t["published"].pk],
        expect(403, anonymous=401, outsider_admin=404, office_admin=200),
    ),
    "api:framework_update": Route(
        "PATCH",
        lambda t: [t["draft"].pk],
        office_only(200, anonymous=401),
        data=lambda t: {"issuer": "临州市文明办"},
    ),
    "api:node_update": Route(
        "PATCH",
        lambda t: [t["draft"].pk, t["draft_node"].pk],
        office_only(200, anonymous=401),
        data=lambda t: {"title": "新的测评项目"},
    ),
}

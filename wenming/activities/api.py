"""API routes of activities (/api/v1/activities)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["活动"])

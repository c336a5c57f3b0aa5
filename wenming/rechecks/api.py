"""The API of 复查: /api/v1/rechecks."""

from ninja import Router

router = Router(tags=["复查"])

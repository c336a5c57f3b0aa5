"""The campaigns card on the home page, registered in `CampaignsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from wenming.campaigns import access


def active_campaigns(user: Any) -> list[Any]:
    return list(access.visible_campaigns(user).filter(is_active=True).order_by("unit__path")[:5])

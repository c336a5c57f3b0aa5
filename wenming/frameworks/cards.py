"""The frameworks card on the home page, registered in `FrameworksConfig.ready()`."""

from __future__ import annotations

from typing import Any

from wenming.frameworks import access


def recent_frameworks(user: Any) -> list[Any]:
    return list(access.visible_frameworks(user).order_by("-created_at")[:5])

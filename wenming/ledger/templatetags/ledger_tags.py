from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any, empty: str = "—") -> str:
    """A user as colleagues know them: full name, else the login name."""
    if user is None:
        return empty
    return user.get_full_name() or user.username


@register.filter
def megabytes(n: int | None) -> str:
    """Sizes as people say them: 300 MB, 1.5 MB."""
    if not n:
        return "0 MB"
    value = n / (1024 * 1024)
    text = f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"
    return f"{text} MB"

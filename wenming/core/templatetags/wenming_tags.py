from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from wenming.core.points import fmt_points

register = template.Library()


@register.filter
def points(value: Any) -> str:
    """Points as people write them: 10, 1.5, 0.25 ("—" when there are none)."""
    if value is None or value == "":
        return "—"
    try:
        return fmt_points(Decimal(str(value)))
    except InvalidOperation:
        return str(value)

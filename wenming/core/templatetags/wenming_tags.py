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


@register.filter
def column_letter(index: Any) -> str:
    """A 0-based column index as the letters a spreadsheet shows: 0 → A, 27 → AB."""
    try:
        n = int(index) + 1
    except (TypeError, ValueError):
        return str(index)
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

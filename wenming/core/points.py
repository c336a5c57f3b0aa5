"""Points as people write them, shared by every screen and document that shows a score."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def fmt_points(value: Decimal) -> str:
    """Points as people write them: 3, 1.5, 0.25 (no trailing zeros)."""
    text = format(value.quantize(CENT), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

"""The yearly 复查 scores kept per holder, and the average over an honour's term.

An honour's yearly score is the office's 复查得分 of each year's report; the term average is
the mean of the scores of the years within the honour's term (`year_named` to `last_year`).
An office may set that the average counts toward the next term (`Recheck.average_counts`):
the 复查 page then shows it for every holder.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from wenming.rechecks.models import RecheckReport
from wenming.registry.models import Honour

SCORE_MAX = Decimal("1000")
CENT = Decimal("0.01")


def check_score(errors: dict[str, str], field: str, value: Any, label: str) -> Decimal | None:
    """A score from 0 to 1000 with at most two decimals (kept in `errors` when not)."""
    if value is None or value == "":
        errors[field] = f"请填写{label}，0到{SCORE_MAX}之间的数字，例如 925.5。"
        return None
    try:
        score = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}请填写数字，例如 925.5。"
        return None
    if not score.is_finite() or not Decimal(0) <= score <= SCORE_MAX:
        errors[field] = f"{label}应在0到{SCORE_MAX}之间。"
        return None
    if score != score.quantize(CENT):
        errors[field] = f"{label}最多保留两位小数。"
        return None
    return score.quantize(CENT)


def scores_by_honour(honour_ids: Iterable[int]) -> dict[int, list[tuple[int, Decimal]]]:
    """Each honour's (year, 复查得分) of live 复查, oldest first: one query."""
    rows = (
        RecheckReport.objects.filter(
            honour_id__in=list(honour_ids),
            office_score__isnull=False,
            recheck__removed_at__isnull=True,
        )
        .order_by("recheck__year", "id")
        .values_list("honour_id", "recheck__year", "office_score")
    )
    found: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for honour_id, year, score in rows:
        if score is not None:
            found[honour_id].append((year, score))
    return dict(found)


def average_in_term(honour: Honour, scores: list[tuple[int, Decimal]]) -> Decimal | None:
    within = [s for year, s in scores if honour.year_named <= year <= honour.last_year]
    if not within:
        return None
    return (sum(within, Decimal(0)) / len(within)).quantize(CENT, rounding=ROUND_HALF_UP)


def yearly_scores(honour: Honour) -> list[tuple[int, Decimal]]:
    """The honour's (year, 复查得分), oldest first."""
    return scores_by_honour([honour.pk]).get(honour.pk, [])


def term_average(honour: Honour) -> Decimal | None:
    """The mean of the yearly scores within the honour's term, to 0.01; None without any."""
    return average_in_term(honour, yearly_scores(honour))

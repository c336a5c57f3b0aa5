"""What the office's supervision shows on the home page and the hub (/supervision/).

`office_tiles` are the office's queues (counted by `problems.queue_counts` and
`directives.queue_counts`, a few aggregate queries whatever the number of units);
`unit_tiles` are a unit's 创建办's side: problems the office dispatched to answer,
priorities to acknowledge, the month's information to submit. Each tile links to the list it
counts, filtered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from wenming.supervision import access, directives, problems


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    count: int
    url: str
    # Late work is shown in red when there is any.
    urgent: bool = False


def _problems_url(status: str) -> str:
    return f"{reverse('supervision:problems')}?status={status}"


def _info_url(counts: dict[str, int]) -> str:
    round_id = counts.get("info_round_id") or 0
    if round_id:
        return reverse("supervision:info_round", args=[round_id])
    return reverse("supervision:info_rounds")


def office_tiles(user: Any) -> list[Tile]:
    """The office's queues, for the 文明办管理员 (empty for anyone else)."""
    if not access.manages_any(user):
        return []
    found = problems.queue_counts(user)
    directed = directives.queue_counts(user)
    return [
        Tile(
            "awaiting", "交办问题待验收", found.get("awaiting", 0), _problems_url("awaiting"), True
        ),
        Tile(
            "overdue", "交办问题逾期未整改", found.get("overdue", 0), _problems_url("overdue"), True
        ),
        Tile("open", "交办问题未销号", found.get("open", 0), _problems_url("open")),
        Tile(
            "info_missing",
            # The latest month due (or due within days): named, since it is often last month.
            f"{directed['info_round_month']}月信息未报送单位"
            if directed.get("info_round_month")
            else "月度信息未报送单位",
            directed.get("info_missing", 0),
            _info_url(directed),
            True,
        ),
        Tile(
            "priorities_unacknowledged",
            "重点工作未签收单位",
            directed.get("priorities_unacknowledged", 0),
            reverse("supervision:priorities"),
            True,
        ),
    ]


def unit_tiles(user: Any) -> list[Tile]:
    """A unit's 创建办's side of the office's work (empty for anyone else)."""
    if not access.coordinated_unit_ids(user) or access.is_office_person(user):
        return []
    found = problems.queue_counts(user)
    directed = directives.queue_counts(user)
    return [
        Tile(
            "to_answer",
            "文明办交办问题待整改",
            found.get("to_answer", 0),
            _problems_url("open"),
            True,
        ),
        Tile(
            "priorities_to_ack",
            "季度重点工作待签收",
            directed.get("priorities_to_ack", 0),
            reverse("supervision:priorities"),
            True,
        ),
        Tile(
            "info_to_submit",
            "月度信息待报送",
            directed.get("info_to_submit", 0),
            reverse("supervision:info_rounds"),
            True,
        ),
    ]


def home_card(user: Any) -> dict[str, Any] | None:
    """The unit's card on the home page: shown to a unit's 创建办 when something waits."""
    tiles = unit_tiles(user)
    if not any(t.count for t in tiles):
        return None
    return {"tiles": tiles, "url": reverse("supervision:index")}

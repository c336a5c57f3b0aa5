"""The office's own queues on the home page (registered as the card `office_queues` in
`DashboardsConfig.ready()`): what waits in its 申报, 复查 and supervision (dispatched
problems, monthly information, quarterly priorities), and its registry at a glance.

Shown to the office's people (anyone holding a role on a civilization office, and superusers).
The 申报 and 复查 queues are those of the offices the user manages (文明办管理员), as counted by
`applications.services.queue_counts` and `rechecks.services.queue_counts` (one aggregate
query each) and `supervision.cards.office_tiles` (a few aggregates); the registry summary
is one more aggregate over the offices the user reads. Every count links to the list it
counts, filtered by status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from wenming.applications import access as application_access
from wenming.applications import services as application_services
from wenming.orgs.access import is_office_person as is_office_person
from wenming.orgs.access import scope_for
from wenming.orgs.models import OrgKind
from wenming.rechecks import access as recheck_access
from wenming.rechecks import services as recheck_services
from wenming.registry import access as registry_access
from wenming.registry.models import HELD_STATUSES, HonourStatus, RegistryEntry
from wenming.supervision import cards as supervision_cards

# (queue key, label, the `status` the list page filters by). A queue that is one status
# uses that status's value; 待命名 (意见已征求, or 公示期已满) and 逾期未报 have their own.
APPLICATION_QUEUES = (
    ("to_check", "待初审", "submitted"),
    ("to_assess", "待实地测评", "accepted"),
    ("to_consult", "待征求意见", "assessed"),
    ("in_publicity", "公示中", "publicized"),
    ("to_name", "待公示或命名", "to_name"),
)
RECHECK_QUEUES = (
    ("due", "待提交", "pending"),
    ("missed", "逾期未报", "missed"),
    ("to_review", "待审核", "submitted"),
)


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    count: int
    url: str
    # Late work is shown in red when there is any.
    urgent: bool = False


@dataclass
class OfficeQueues:
    applications: list[Queue] = field(default_factory=list)
    applications_url: str = ""
    rechecks: list[Queue] = field(default_factory=list)
    rechecks_url: str = ""
    registry: list[Queue] = field(default_factory=list)
    registry_url: str = ""
    supervision: list[supervision_cards.Tile] = field(default_factory=list)
    supervision_url: str = ""
    calendar_url: str = ""


def holds_only_office_roles(user: Any) -> bool:
    """Every role the user holds is on an office: a unit's internal queues mean nothing here."""
    scope = scope_for(user)
    return bool(scope.memberships) and all(
        m.organization.kind == OrgKind.OFFICE for m in scope.memberships
    )


def _filtered(url: str, status: str) -> str:
    return f"{url}?{urlencode({'status': status})}"


def _queues(
    counts: dict[str, int], spec: tuple[tuple[str, str, str], ...], url: str, urgent: set[str]
) -> list[Queue]:
    return [
        Queue(key, label, int(counts.get(key, 0)), _filtered(url, status), key in urgent)
        for key, label, status in spec
    ]


def registry_summary(user: Any) -> dict[str, int]:
    """Units in the registries the user reads, honours held, under 限期整改 and 黄牌警告:
    one aggregate query."""
    entries = RegistryEntry.objects.live().filter(office__in=registry_access.visible_offices(user))
    live = Q(honours__removed_at__isnull=True)
    row = entries.order_by().aggregate(
        units=Count("pk", distinct=True),
        held=Count("honours", filter=live & Q(honours__status__in=HELD_STATUSES), distinct=True),
        rectify=Count(
            "honours", filter=live & Q(honours__status=HonourStatus.RECTIFY), distinct=True
        ),
        warned=Count(
            "honours", filter=live & Q(honours__status=HonourStatus.WARNED), distinct=True
        ),
    )
    return {key: int(value or 0) for key, value in row.items()}


def _registry(user: Any, url: str) -> list[Queue]:
    found = registry_summary(user)
    return [
        Queue("units", "名录单位", found["units"], url),
        Queue("held", "持有称号", found["held"], url),
        Queue(
            "rectify",
            HonourStatus.RECTIFY.label,
            found["rectify"],
            _filtered(url, HonourStatus.RECTIFY),
            True,
        ),
        Queue(
            "warned",
            HonourStatus.WARNED.label,
            found["warned"],
            _filtered(url, HonourStatus.WARNED),
            True,
        ),
    ]


def office_queues_card(user: Any) -> OfficeQueues | None:
    """The card's content, or None for anyone who is not an office's person."""
    if not is_office_person(user):
        return None
    card = OfficeQueues(
        registry_url=reverse("registry:index"), calendar_url=reverse("orgs:calendar")
    )
    if application_access.manages_any_batch(user):
        card.applications_url = reverse("applications:index")
        card.applications = _queues(
            application_services.queue_counts(user),
            APPLICATION_QUEUES,
            card.applications_url,
            {"to_check", "to_name"},
        )
    if recheck_access.manages_any_recheck(user):
        card.rechecks_url = reverse("rechecks:index")
        card.rechecks = _queues(
            recheck_services.queue_counts(user),
            RECHECK_QUEUES,
            card.rechecks_url,
            {"missed", "to_review"},
        )
    card.supervision = supervision_cards.office_tiles(user)
    card.supervision_url = reverse("supervision:index")
    card.registry = _registry(user, card.registry_url)
    return card

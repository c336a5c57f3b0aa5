"""The ledger's card on the home page, registered in `LedgerConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from wenming.ledger import access
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.orgs import access as org_access


def workbench_card(user: Any) -> dict[str, Any]:
    """Returned items of the user's departments, and for managers what waits for review.

    Three queries at most, whatever the ledger's size.
    """
    departments = org_access.department_ids_for_write(user)
    returned: list[EvidenceItem] = []
    if departments:
        returned = list(
            access.visible_evidence(user)
            .filter(status=ItemStatus.RETURNED)
            .filter(Q(department_id__in=departments) | Q(task__lead_department_id__in=departments))
            .select_related("department", "task")
            .order_by("-reviewed_at", "-id")[:10]
        )
    waiting = None
    review_campaign = None
    scope = org_access.scope_for(user)
    if scope.work_paths or scope.is_superuser:
        pending = (
            access.visible_evidence(user)
            .filter(status=ItemStatus.SUBMITTED)
            .values("campaign_id")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        rows = list(pending[:20])
        waiting = sum(r["n"] for r in rows)
        review_campaign = rows[0]["campaign_id"] if rows else None
    return {"returned": returned, "waiting": waiting, "review_campaign": review_campaign}

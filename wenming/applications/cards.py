"""What 申报 shows on the home page (registered as the card `application_window` in
`ApplicationsConfig.ready()`): the batches open today that the unit has not applied to.

Shown to a unit's 创建办 (the one who applies), not to the office's people. One query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from wenming.applications import access
from wenming.applications.models import Application, ApplicationStatus


def open_window_card(user: Any) -> dict[str, Any] | None:
    units = access.applicant_units(user)
    if not units or access.is_office_person(user):
        return None
    today = timezone.localdate()
    filed = Application.objects.filter(batch=OuterRef("pk"), unit__in=units).exclude(
        status=ApplicationStatus.WITHDRAWN
    )
    batches = list(
        access.visible_batches(user)
        .filter(opens_on__lte=today, closes_on__gte=today)
        .exclude(Exists(filed))
        .order_by("closes_on", "id")[:3]
    )
    if not batches:
        return None
    for batch in batches:
        batch.days_left = (batch.closes_on - today).days  # type: ignore[attr-defined]
    return {"batches": batches}

"""Deep graphs tests build in several places."""

from __future__ import annotations

import datetime
from typing import Any


def make_campaign(*, unit: Any, office: Any, created_by: Any = None) -> Any:
    """An active 2026–2028 campaign of `unit` on `office`'s published sample, with the four
    phases. Built with the ORM so it does not depend on any app's services."""
    from wenming.campaigns.models import Campaign, Phase, PhaseKind
    from wenming.frameworks.models import Framework

    campaign = Campaign.objects.create(
        unit=unit,
        title="2026—2028年创建省级文明单位",
        target_level="province",
        framework=Framework.objects.get(owner=office, lineage="SAMPLE-WMDW"),
        cycle_start=datetime.date(2026, 1, 1),
        cycle_end=datetime.date(2028, 12, 31),
        application_date=datetime.date(2028, 10, 10),
        created_by=created_by,
    )
    spans = [
        (PhaseKind.MOBILIZE, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (PhaseKind.IMPLEMENT, datetime.date(2026, 4, 1), datetime.date(2028, 6, 30)),
        (PhaseKind.IMPROVE, datetime.date(2028, 7, 1), datetime.date(2028, 9, 30)),
        (PhaseKind.APPLY, datetime.date(2028, 10, 1), datetime.date(2028, 12, 31)),
    ]
    for position, (kind, start, end) in enumerate(spans):
        Phase.objects.create(
            campaign=campaign,
            kind=kind,
            name=PhaseKind(kind).label,
            start=start,
            end=end,
            position=position,
        )
    return campaign

"""Campaign plan routes (R3): the unit's people and the office above read the plan; only the
unit's 创建办 plans it (the office admin is refused, 403); another city is told nothing."""

from __future__ import annotations

import datetime
import json
from typing import Any

from tests.matrix.base import Route, expect, no_args, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign, Milestone

    campaign = Campaign.objects.create(
        unit=base["unit"],
        title="2026—2028年创建省级文明单位",
        target_level="province",
        framework=base["published"],
        cycle_start=datetime.date(2026, 1, 1),
        cycle_end=datetime.date(2028, 12, 31),
        is_active=False,
    )
    from wenming.campaigns.models import Phase, PhaseKind
    from wenming.campaigns.services import default_phase_spans

    for position, (kind, start, end) in enumerate(
        default_phase_spans(campaign.cycle_start, campaign.cycle_end)
    ):
        Phase.objects.create(
            campaign=campaign,
            kind=kind,
            name=PhaseKind(kind).label,
            start=start,
            end=end,
            position=position,
        )
    milestone = Milestone.objects.create(
        campaign=campaign, title="九月底前全面部署到位", due=datetime.date(2026, 9, 30)
    )
    return {"plan": campaign, "milestone": milestone}


def _create_data(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "unit_id": t["unit"].pk,
        "title": "2027—2029年创建省级文明单位",
        "target_level": "province",
        "framework_id": t["published"].pk,
        "cycle_start": "2027-01-01",
        "cycle_end": "2029-12-31",
    }


def _phases_data(t: dict[str, Any]) -> dict[str, Any]:
    phases = [
        {"kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat()}
        for p in t["plan"].phases.all()
    ]
    return {"phases": json.dumps(phases)}


def _plan(t: dict[str, Any]) -> list[Any]:
    return [t["plan"].pk]


ROUTES: dict[str, Route] = {
    "campaigns:list": Route("GET", no_args, expect(200)),
    # Only the unit's 创建办 starts its campaign: the office admin is refused (403), another
    # city is told nothing.
    "campaigns:create": Route("GET", no_args, unit_work(200), query="?unit={unit}"),
    "campaigns:detail": Route("GET", _plan, unit_read()),
    "campaigns:edit": Route("GET", _plan, unit_work(200)),
    "campaigns:phases": Route("GET", _plan, unit_work(200)),
    "campaigns:milestone_create": Route("GET", _plan, unit_work(200)),
    "campaigns:milestone_edit": Route("GET", lambda t: [t["milestone"].pk], unit_work(200)),
    "campaigns:milestone_deactivate": Route("POST", lambda t: [t["milestone"].pk], unit_work(302)),
    "campaigns:organize": Route("POST", _plan, unit_work(302)),
    "campaigns:set_active": Route("POST", _plan, unit_work(302)),
    "campaigns:plan_docx": Route("GET", _plan, unit_read()),
    "api:campaign_list": Route("GET", no_args, expect(200, anonymous=401)),
    "api:campaign_detail": Route("GET", _plan, unit_read(anonymous=401)),
    "api:campaign_create": Route(
        "POST",
        no_args,
        unit_work(201, anonymous=401),
        data=_create_data,
    ),
    # PUT; the matrix sends POST, which the route accepts for clients that cannot send PUT.
    "api:campaign_phases_update": Route(
        "POST", _plan, unit_work(200, anonymous=401), data=_phases_data
    ),
    "api:campaign_update": Route(
        "PATCH", _plan, unit_work(200, anonymous=401), data=lambda t: {"goals": "全面达标"}
    ),
    "api:campaign_plan_docx": Route("GET", _plan, unit_read(anonymous=401)),
    # The plan's standards have no tasks yet: the managers are told so (422).
    "api:campaign_organize": Route("POST", _plan, unit_work(422, anonymous=401)),
    "api:campaign_set_active": Route("POST", _plan, unit_work(200, anonymous=401)),
    "api:milestone_create": Route(
        "POST",
        _plan,
        unit_work(201, anonymous=401),
        data=lambda t: {"title": "六月底前完成自查", "due": "2026-06-30"},
    ),
    "api:milestone_update": Route(
        "PATCH",
        lambda t: [t["milestone"].pk],
        unit_work(200, anonymous=401),
        data=lambda t: {"done_at": "2026-09-28"},
    ),
    "api:milestone_deactivate": Route(
        "POST", lambda t: [t["milestone"].pk], unit_work(200, anonymous=401)
    ),
}

"""The campaign models the trace captures, registered from `CampaignsConfig.ready()`."""

from __future__ import annotations


def register_with_trace() -> None:
    from wenming.campaigns import access
    from wenming.campaigns.models import Campaign, Milestone, Phase
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(Campaign, kind="campaign", unit="unit")
    register(Phase, kind="phase", unit="campaign.unit", parent=("campaign", "campaign"))
    register(Milestone, kind="milestone", unit="campaign.unit", parent=("campaign", "campaign"))
    register_history("campaign", access.get_campaign_for_user)
    register_history("milestone", access.get_milestone_for_user)

"""Who may see and plan a unit's campaign and its milestones.

A campaign belongs to a unit: whoever sees the unit sees its campaign (the office admin above
too); only the unit's 创建办 plans it (`can_manage_work`). The office reads the plan and is told
so (`work_refusal`) when it tries to change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from wenming.campaigns.models import Campaign, Milestone
from wenming.orgs.access import (
    OFFICE_READS_ONLY,
    can_manage_work,
    path_q,
    scope_for,
    work_refusal,
)
from wenming.orgs.models import Organization, OrgKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# --- campaigns and tasks -----------------------------------------------------------------
#
# A campaign belongs to a unit: whoever sees the unit sees its campaign; the unit's 创建办
# plans it (the office above reads it). Tasks follow their campaign, and the people of a
# task's lead department report its progress.


def visible_campaigns(user: User | AnonymousUser) -> QuerySet[Campaign]:
    scope = scope_for(user)
    qs = Campaign.objects.select_related("unit", "framework")
    if scope.is_superuser:
        return qs
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def can_manage_campaign(user: User | AnonymousUser, campaign: Campaign) -> bool:
    return can_manage_work(user, campaign.unit)


def get_campaign_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("没有找到该创建工作，或您无权查看。")
    if write and not can_manage_campaign(user, campaign):
        raise work_refusal(user, campaign.unit, "只有本单位创建办可以修改创建规划。")
    return campaign


def can_create_campaign(user: User | AnonymousUser, unit: Organization) -> bool:
    return unit.kind == OrgKind.UNIT and can_manage_work(user, unit)


def creatable_units(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Active units for which the user may start a campaign: those whose 创建办 they are."""
    scope = scope_for(user)
    qs = Organization.objects.filter(is_active=True, kind=OrgKind.UNIT)
    if scope.is_superuser:
        return qs
    return qs.filter(path_q(scope.work_paths))


def create_refusal(
    user: User | AnonymousUser, unit: Organization | None = None
) -> PermissionDenied:
    """Why the user may not start a campaign (for `unit`, or for any unit)."""
    if unit is None:
        scope = scope_for(user)
        if scope.manage_paths and not scope.work_paths:
            return PermissionDenied(OFFICE_READS_ONLY)
        return PermissionDenied("只有单位创建办可以新建创建工作。")
    return work_refusal(user, unit, f"您不能为“{unit.name}”新建创建工作，请由该单位创建办新建。")


# --- campaign milestones -------------------------------------------------------------------


def get_milestone_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Milestone:
    """A milestone follows its campaign: seen with it, changed by those who plan it."""
    milestone = (
        Milestone.objects.select_related("campaign__unit", "owner_department", "owner")
        .filter(pk=pk, campaign__in=visible_campaigns(user))
        .first()
    )
    if milestone is None:
        raise Http404("没有找到该时间节点，或您无权查看。")
    if write and not can_manage_campaign(user, milestone.campaign):
        raise work_refusal(
            user, milestone.campaign.unit, "只有本单位创建办可以修改创建规划的时间节点。"
        )
    return milestone

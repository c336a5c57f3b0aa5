"""Who may see and plan a unit's campaign and its milestones.

A campaign belongs to a unit: whoever sees the unit sees its campaign; whoever manages the
unit (its 创建办, the office admin above) plans it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from wenming.campaigns.models import Campaign, Milestone
from wenming.orgs.access import (
    can_manage_org,
    path_q,
    scope_for,
)
from wenming.orgs.models import Organization, OrgKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# --- campaigns and tasks -----------------------------------------------------------------
#
# A campaign belongs to a unit: whoever sees the unit sees its campaign; whoever manages the
# unit (its 创建办, the office admin above) plans it. Tasks follow their campaign, and the
# people of a task's lead department report its progress.


def visible_campaigns(user: User | AnonymousUser) -> QuerySet[Campaign]:
    scope = scope_for(user)
    qs = Campaign.objects.select_related("unit", "framework")
    if scope.is_superuser:
        return qs
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def can_manage_campaign(user: User | AnonymousUser, campaign: Campaign) -> bool:
    return scope_for(user).can_manage_path(campaign.unit.path)


def get_campaign_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("没有找到该创建工作，或您无权查看。")
    if write and not can_manage_campaign(user, campaign):
        raise PermissionDenied("只有本单位创建办可以修改创建规划。")
    return campaign


def can_create_campaign(user: User | AnonymousUser, unit: Organization) -> bool:
    return unit.kind == OrgKind.UNIT and can_manage_org(user, unit)


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
        raise PermissionDenied("只有本单位创建办可以修改创建规划的时间节点。")
    return milestone

"""Who may read the cockpit's department view and an office's cross-unit view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from wenming.campaigns.models import Campaign
from wenming.ledger.access import sees_whole_ledger
from wenming.orgs.access import (
    scope_for,
)
from wenming.orgs.models import Organization, OrgKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# --- dashboards (领导驾驶舱, R14) ------------------------------------------------------------
#
# The cockpit of a campaign is read by whoever sees the campaign. A department's view is read
# by the unit-wide roles (创建办, 领导, 督查员, 观察员), the offices above, and the
# department's own people; people of another department of the unit are refused (403), an
# outsider learns nothing (404). The office view across units is for the people of that
# office or an office above it, and superusers; everyone else is told nothing (404).


def get_dashboard_department_for_user(
    user: User | AnonymousUser, campaign: Campaign, pk: int | str
) -> Organization:
    """A department of the campaign's unit whose dashboard the user may read."""
    department = Organization.objects.departments_of(campaign.unit).filter(pk=pk).first()
    if department is None:
        raise Http404("没有找到该部门，或该部门不属于本单位。")
    if not (
        sees_whole_ledger(user, campaign.unit)
        or department.pk in scope_for(user).department_write_ids
    ):
        raise PermissionDenied("只能查看本部门的驾驶舱；全单位情况请向创建办了解。")
    return department


def can_view_office_dashboard(user: User | AnonymousUser, office: Organization) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return office.kind == OrgKind.OFFICE and any(
        m.organization.kind == OrgKind.OFFICE and office.path.startswith(m.organization.path)
        for m in scope.memberships
    )


def get_office_for_dashboard(user: User | AnonymousUser, pk: int | str) -> Organization:
    office = Organization.objects.filter(pk=pk, kind=OrgKind.OFFICE).first()
    if office is None or not can_view_office_dashboard(user, office):
        raise Http404("没有找到该文明办，或您无权查看。")
    return office


def dashboard_offices(user: User | AnonymousUser) -> list[Organization]:
    """The offices whose cross-unit view the user reads from their own memberships."""
    return [
        m.organization for m in scope_for(user).memberships if m.organization.kind == OrgKind.OFFICE
    ]

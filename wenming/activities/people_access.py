"""Who may see and manage a unit's volunteers and its standards' measures (达标测算), and
what those readers are shown.

- Everyone who sees the unit's activities reads them (`access.visible_activities`' rule: the
  unit's path in the reader's `view_paths`, or a superuser): its 创建办, leaders, inspectors,
  observers, department people, and the offices above.
- Only the unit's 创建办 registers and removes volunteers and sets a standard's measure
  (`orgs.access.can_manage_work`); the office above reads only (`work_refusal`).

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied with a Chinese sentence. The readings several surfaces show (the unit's
volunteers with their hours, the standards whose words suggest a measure) are defined once
at the end, for the screens and the API alike.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from wenming.activities import hours, measures
from wenming.activities.models import StandardMeasure, Volunteer
from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.orgs.access import can_manage_work, path_q, scope_for, work_refusal
from wenming.orgs.models import Membership, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MANAGERS_ONLY = "只有本单位创建办可以登记志愿者、设置达标测算。"
NO_VOLUNTEER = "没有找到该志愿者登记，或您无权查看。"


def can_read_unit(user: User | AnonymousUser, unit: Organization) -> bool:
    """Reads the unit's volunteers and measures: whoever sees its activities."""
    return scope_for(user).can_view_path(unit.path)


def can_manage(user: User | AnonymousUser, unit: Organization) -> bool:
    """Registers volunteers and sets measures: the unit's 创建办."""
    return can_manage_work(user, unit)


def get_campaign_for_reader(user: User | AnonymousUser, campaign_pk: int | str) -> Campaign:
    """A campaign whose unit the user reads (404 otherwise)."""
    campaign = campaign_access.get_campaign_for_user(user, campaign_pk)
    if not can_read_unit(user, campaign.unit):
        raise Http404("没有找到该创建工作，或您无权查看。")
    return campaign


def require_manager(user: User | AnonymousUser, unit: Organization) -> None:
    """403 with who may, for a reader of the unit who is not its 创建办."""
    if not can_manage(user, unit):
        raise work_refusal(user, unit, MANAGERS_ONLY)


def get_campaign_for_manager(user: User | AnonymousUser, campaign_pk: int | str) -> Campaign:
    campaign = get_campaign_for_reader(user, campaign_pk)
    require_manager(user, campaign.unit)
    return campaign


def visible_volunteers(user: User | AnonymousUser) -> QuerySet[Volunteer]:
    """Registrations (removed ones too) of the units the user reads."""
    scope = scope_for(user)
    qs = Volunteer.objects.select_related("unit", "person")
    if scope.is_superuser:
        return qs
    if not scope.view_paths:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def get_volunteer_for_manager(user: User | AnonymousUser, pk: int | str) -> Volunteer:
    """A registration the user manages: 404 when its unit is not read, 403 for a reader who
    is not the unit's 创建办. A registration already removed is found (the service says so)."""
    volunteer = visible_volunteers(user).filter(pk=pk).first()
    if volunteer is None:
        raise Http404(NO_VOLUNTEER)
    require_manager(user, volunteer.unit)
    return volunteer


# --- what readers are shown ----------------------------------------------------------------


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def volunteer_rows(unit: Organization, year: int) -> QuerySet[Volunteer]:
    """The unit's volunteers registered by the end of `year` (as the measures count them),
    each with `hours_year` and `hours_total`: their service hours (`wenming.activities.hours`)
    in `year` and in all (one query, whatever the number of people)."""
    rows = Volunteer.objects.filter(
        unit=unit, removed_at__isnull=True, registered_on__lte=year_end(year)
    ).select_related("person")
    return hours.annotate(rows, unit, year).order_by("person__first_name", "person__username", "id")


def places_of(unit: Organization, user_ids: list[int]) -> dict[int, str]:
    """Each person's departments in the unit ("食品安全监管科、登记注册科"; "本单位" for a role
    on the unit itself), in one query."""
    rows = (
        Membership.objects.filter(
            user_id__in=user_ids,
            is_active=True,
            organization__is_active=True,
            organization__path__startswith=unit.path,
        )
        .exclude(organization=unit)
        .order_by("organization__sort_order", "organization__name")
        .values_list("user_id", "organization__name")
    )
    found: dict[int, list[str]] = {}
    for user_id, name in rows:
        names = found.setdefault(user_id, [])
        if name not in names:
            names.append(name)
    return {pk: "、".join(found.get(pk, [])) or "本单位" for pk in user_ids}


def leaf_standards(campaign: Campaign) -> list[Node]:
    """The standards (leaves) of the campaign's system, in its order (one query)."""
    return list(
        Node.objects.filter(framework_id=campaign.framework_id, is_leaf=True).order_by("position")
    )


@dataclass(frozen=True)
class OpenSuggestion:
    """A standard without a measure whose own words state a figure and a target."""

    standard: Node
    suggestion: measures.Suggestion


def open_suggestions(campaign: Campaign, leaves: list[Node] | None = None) -> list[OpenSuggestion]:
    """The campaign's standards that may need a measure: no measure yet, and
    `measures.suggest` reads one from their words (two queries; one with `leaves` given)."""
    nodes = leaf_standards(campaign) if leaves is None else leaves
    measured = set(
        StandardMeasure.objects.filter(campaign=campaign).values_list("standard_id", flat=True)
    )
    found = []
    for node in nodes:
        if node.pk in measured:
            continue
        suggestion = measures.suggest(node)
        if suggestion is not None:
            found.append(OpenSuggestion(node, suggestion))
    return found

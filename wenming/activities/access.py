"""Who may see and record activities (活动).

- Everyone in a unit (its 创建办, leaders, inspectors, observers and department people) and
  the people of the offices above it read the unit's activities: who took part and for how
  long is what the unit shows, not a secret of a department.
- The unit's 创建办 records, changes and removes any of its activities; a department's people
  (部门负责人, 经办人) those organized by their own department. The office reads only.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from wenming.activities.models import Activity
from wenming.campaigns.models import Campaign
from wenming.orgs.access import (
    can_manage_work,
    department_ids_for_write,
    path_q,
    scope_for,
)
from wenming.orgs.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

RECORDERS_ONLY = "只有本单位创建办和组织活动的部门可以登记、修改活动。"


def visible_activities(user: User | AnonymousUser) -> QuerySet[Activity]:
    scope = scope_for(user)
    qs = Activity.objects.live().select_related("unit", "department", "campaign")
    if scope.is_superuser:
        return qs
    if not scope.view_paths:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def recording_departments(user: User | AnonymousUser, unit: Organization) -> QuerySet[Organization]:
    """The departments in whose name the user records activities of `unit`: all of them for
    its 创建办, their own for a department's people, none for anyone else."""
    departments = Organization.objects.departments_of(unit, active_only=True)
    if can_manage_work(user, unit):
        return departments.order_by("name")
    return departments.filter(pk__in=department_ids_for_write(user)).order_by("name")


def can_record(user: User | AnonymousUser, campaign: Campaign) -> bool:
    return recording_departments(user, campaign.unit).exists()


def can_change(user: User | AnonymousUser, activity: Activity) -> bool:
    return can_manage_work(user, activity.unit) or (
        activity.department_id in department_ids_for_write(user)
    )


def get_activity_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Activity:
    activity = visible_activities(user).filter(pk=pk).first()
    if activity is None:
        raise Http404("没有找到该活动，或您无权查看。")
    if write and not can_change(user, activity):
        raise PermissionDenied(RECORDERS_ONLY)
    return activity

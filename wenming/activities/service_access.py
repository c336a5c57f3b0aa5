"""Who may see and change imported volunteer hours, 双报到 and 帮扶共建.

- Everyone who reads the unit's activities reads all three (`people_access.can_read_unit`:
  its 创建办, leaders, inspectors, observers, department people, and the offices above).
- Hours are certified by whoever organized the service ("谁组织谁记录"): the unit's 创建办
  and its departments' people (部门负责人, 经办人) import a platform's sheet of hours.
- Only the unit's 创建办 registers 双报到 members, records the community's feedback and sets
  up 帮扶共建 pairings; a pairing's visits are activities, recorded by the lead department
  or the 创建办 like any other (`activities.access`).
- The office above reads only (`work_refusal` tells it so); another city is told nothing.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied with a Chinese sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from wenming.activities import access as activity_access
from wenming.activities.models import CommunityReport, HoursImport, Pairing
from wenming.activities.people_access import can_read_unit
from wenming.campaigns.models import Campaign
from wenming.orgs.access import can_manage_work, path_q, scope_for, work_refusal
from wenming.orgs.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

__all__ = ["can_read_unit"]

HOURS_WRITERS_ONLY = "只有本单位创建办和各部门负责人、经办人可以导入志愿服务时长。"
MANAGERS_ONLY = "只有本单位创建办可以登记双报到、社区反馈和帮扶共建。"
NO_IMPORT = "没有找到该时长导入记录，或您无权查看。"
NO_REPORT = "没有找到该双报到登记，或您无权查看。"
NO_PAIRING = "没有找到该帮扶共建对象，或您无权查看。"


def _scoped(qs: QuerySet, user: User | AnonymousUser) -> QuerySet:
    scope = scope_for(user)
    if scope.is_superuser:
        return qs
    if not scope.view_paths:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path"))


# --- imported hours -----------------------------------------------------------------------


def can_import_hours(user: User | AnonymousUser, unit: Organization) -> bool:
    """The unit's 创建办, or a person of one of its departments."""
    return can_manage_work(user, unit) or activity_access.recording_departments(user, unit).exists()


def require_hours_writer(user: User | AnonymousUser, unit: Organization) -> None:
    if not can_import_hours(user, unit):
        raise work_refusal(user, unit, HOURS_WRITERS_ONLY)


def visible_imports(user: User | AnonymousUser) -> QuerySet[HoursImport]:
    return _scoped(HoursImport.objects.select_related("unit", "created_by"), user)


def get_import_for_reader(user: User | AnonymousUser, pk: int | str) -> HoursImport:
    found = visible_imports(user).filter(pk=pk).first()
    if found is None:
        raise Http404(NO_IMPORT)
    return found


# --- 双报到 and 帮扶共建 -----------------------------------------------------------------------


def can_manage(user: User | AnonymousUser, unit: Organization) -> bool:
    return can_manage_work(user, unit)


def require_manager(user: User | AnonymousUser, unit: Organization) -> None:
    if not can_manage(user, unit):
        raise work_refusal(user, unit, MANAGERS_ONLY)


def get_report_for_manager(user: User | AnonymousUser, pk: int | str) -> CommunityReport:
    """A registration (removed ones too: the service says so): 404 when its unit is not
    read, 403 for a reader who is not the unit's 创建办."""
    found = _scoped(CommunityReport.objects.select_related("unit", "person"), user)
    report = found.filter(pk=pk).first()
    if report is None:
        raise Http404(NO_REPORT)
    require_manager(user, report.unit)
    return report


def visible_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    qs = Pairing.objects.select_related("unit", "department", "campaign", "created_by")
    return _scoped(qs, user)


def get_pairing_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Pairing:
    """A pairing the user reads (a removed one only for a write, where the service says
    so); with `write`, 403 for a reader who is not the unit's 创建办."""
    qs = visible_pairings(user)
    pairing = (qs if write else qs.filter(removed_at__isnull=True)).filter(pk=pk).first()
    if pairing is None:
        raise Http404(NO_PAIRING)
    if write:
        require_manager(user, pairing.unit)
    return pairing


def can_record_visit(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Records a visit (an activity of the campaign): the 创建办 or a department's people."""
    return activity_access.can_record(user, campaign)

"""Who may see and act on the yearly 复查 (`Recheck`) and its holders' reports.

- An office's people (any role held on the office or on an office above it) read the
  office's 复查 and every report in it.
- Only the 文明办管理员 of the 复查's office or an office above (and superusers) open, change
  and close a 复查 and take the office's decisions on reports (退回, 打分, 实地复查, 复查结论,
  整改复核, 逾期确认).
- A unit's own people (the roles held on the unit itself: 创建办, 单位领导, 督查员, 观察员)
  read their own unit's reports, never the 复查's table of holders; nobody in a unit learns
  that another unit's report exists (404). The unit's 创建办 files its 年度自查报告.
  Department roles reach nothing here.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.orgs.access import can_manage_office as can_manage_office
from wenming.orgs.access import can_view_office as can_view_office
from wenming.orgs.access import is_office_person as is_office_person
from wenming.orgs.access import managed_offices as managed_offices
from wenming.orgs.access import office_paths, own_unit_ids, path_q, scope_for
from wenming.orgs.models import Role
from wenming.rechecks.models import Recheck, RecheckReport, ReportFile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

READ_ONLY = "只有本级或上级文明办管理员可以办理复查事项。"
HOLDER_ONLY = "只有本单位创建办可以填报本单位的年度自查报告。"


def has_own_unit(user: User | AnonymousUser) -> bool:
    """Holds a role on a unit itself: reads that unit's 复查 reports."""
    return bool(own_unit_ids(user))


def manages_any_recheck(user: User | AnonymousUser) -> bool:
    return scope_for(user).is_superuser or bool(office_paths(user, manage=True))


def can_manage_recheck(user: User | AnonymousUser, recheck: Recheck) -> bool:
    """文明办管理员 of the 复查's office or an office above it, or a superuser."""
    return can_manage_office(user, recheck.office)


# --- rechecks --------------------------------------------------------------------------------


def visible_rechecks(user: User | AnonymousUser) -> QuerySet[Recheck]:
    """Live 复查 the user reads (the office's people only), with the office selected."""
    qs = Recheck.objects.live().select_related("office")
    if scope_for(user).is_superuser:
        return qs
    paths = office_paths(user, manage=False)
    return qs.filter(path_q(paths, "office__path")) if paths else qs.none()


def managed_rechecks(user: User | AnonymousUser) -> QuerySet[Recheck]:
    """Live 复查 the user manages (文明办管理员 of its office or an office above)."""
    qs = Recheck.objects.live()
    if scope_for(user).is_superuser:
        return qs
    paths = office_paths(user, manage=True)
    return qs.filter(path_q(paths, "office__path")) if paths else qs.none()


def get_recheck_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Recheck:
    recheck = visible_rechecks(user).filter(pk=pk).first()
    if recheck is None:
        raise Http404("没有找到该复查，或您无权查看。")
    if write and not can_manage_recheck(user, recheck):
        raise PermissionDenied(READ_ONLY)
    return recheck


# --- reports ---------------------------------------------------------------------------------


def visible_reports(user: User | AnonymousUser) -> QuerySet[RecheckReport]:
    """Reports of live 复查 the user reads: the office's people all in their 复查, a unit's
    own people their own unit's; with the 复查, honour, entry and unit selected."""
    qs = RecheckReport.objects.filter(recheck__removed_at__isnull=True).select_related(
        "recheck__office", "honour", "entry__unit"
    )
    scope = scope_for(user)
    if scope.is_superuser:
        return qs
    offices = office_paths(user, manage=False)
    units = own_unit_ids(user)
    if not offices and not units:
        return qs.none()
    return qs.filter(path_q(offices, "recheck__office__path") | Q(entry__unit_id__in=units))


def get_report_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> RecheckReport:
    """A report the user reads; `write`: the office's decisions on it."""
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该复查自查报告，或您无权查看。")
    if write and not can_manage_recheck(user, report.recheck):
        raise PermissionDenied(READ_ONLY)
    return report


def can_file_report(user: User | AnonymousUser, report: RecheckReport) -> bool:
    """Only the holder's own 创建办 files the report (an office never files for a unit)."""
    return report.entry.unit_id in own_unit_ids(user, role=Role.COORDINATOR)


def get_report_for_holder(user: User | AnonymousUser, pk: int | str) -> RecheckReport:
    """The unit's 创建办 filing its own report: 404 unseen, 403 for everyone else."""
    report = get_report_for_user(user, pk)
    if not can_file_report(user, report):
        raise PermissionDenied(HOLDER_ONLY)
    return report


def get_report_file_for_user(user: User | AnonymousUser, pk: int | str) -> ReportFile:
    """A report's attachment: whoever reads the report."""
    found = (
        ReportFile.objects.filter(
            pk=pk, removed_at__isnull=True, report__in=visible_reports(user).values("pk")
        )
        .select_related("report")
        .first()
    )
    if found is None:
        raise Http404("没有找到该文件，或您无权查看。")
    return found

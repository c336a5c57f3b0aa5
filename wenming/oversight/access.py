"""Who may see and act on inspections, problems, bulletins and the department assessment.

Inspections and problems are supervision: the unit's 督查员 and 创建办 and the office above
record them, verify rectifications and adjust them (reassign, deadlines, removal). The
rectification itself is the unit's work: the responsible department's people and the unit's
创建办. Internal bulletins and the department assessment (rules, accountability,
commendations) are the unit's own work: only its 创建办 changes them (`can_manage_work`); the
office admin above reads them all, drafts included, and is told so when it tries to change
them (`work_refusal`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from wenming.campaigns.access import get_campaign_for_user
from wenming.campaigns.models import Campaign
from wenming.ledger.access import sees_whole_ledger
from wenming.orgs.access import (
    can_manage_work,
    path_q,
    scope_for,
    unit_wide_paths,
    work_refusal,
)
from wenming.orgs.models import Organization, OrgKind, Role
from wenming.oversight.models import (
    Accountability,
    Bulletin,
    BulletinStatus,
    Commendation,
    Inspection,
    Problem,
    ProblemFile,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

_RECORDER_ROLES = {Role.INSPECTOR, Role.COORDINATOR, Role.OFFICE_ADMIN}


def visible_problems(user: User | AnonymousUser) -> QuerySet[Problem]:
    """Live problems the user may read, with what lists show selected."""
    scope = scope_for(user)
    qs = Problem.objects.live().select_related(
        "campaign__unit", "unit", "department", "inspection", "standard"
    )
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    return qs.filter(
        path_q(unit_wide_paths(scope), "unit__path")
        | Q(department_id__in=scope.department_write_ids)
    )


def visible_inspections(user: User | AnonymousUser) -> QuerySet[Inspection]:

    scope = scope_for(user)
    qs = Inspection.objects.live().select_related("campaign__unit", "unit", "recorded_by")
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    own_problem = Problem.objects.live().filter(
        inspection=OuterRef("pk"), department_id__in=scope.department_write_ids
    )
    return qs.filter(path_q(unit_wide_paths(scope), "unit__path") | Exists(own_problem))


def sees_all_problems(user: User | AnonymousUser, unit: Organization) -> bool:
    return sees_whole_ledger(user, unit)


def can_record_problems(user: User | AnonymousUser, unit: Organization) -> bool:
    """Record inspections and problems, and verify rectifications, in this unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(
        m.role in _RECORDER_ROLES
        and m.organization.kind != OrgKind.DEPARTMENT
        and unit.path.startswith(m.organization.path)
        for m in scope.memberships
    )


def can_manage_problems(user: User | AnonymousUser, unit: Organization) -> bool:
    """Reassign, change deadlines and remove: the unit's 创建办 and the office admin above (a
    problem is supervision, which the office keeps; see the module's docstring)."""
    return scope_for(user).can_manage_path(unit.path)


def can_rectify_problem(user: User | AnonymousUser, problem: Problem) -> bool:
    """Rectify: the responsible department's people, or the unit's 创建办 (not the office)."""
    return problem.department_id in scope_for(user).department_write_ids or can_manage_work(
        user, problem.unit
    )


def is_responsible_for_problem(user: User | AnonymousUser, problem: Problem) -> bool:
    """A person of the responsible department, or whoever submitted the rectification."""
    return problem.department_id in scope_for(user).department_write_ids or (
        problem.rectified_by_id is not None and problem.rectified_by_id == getattr(user, "pk", None)
    )


def can_verify_problem(user: User | AnonymousUser, problem: Problem) -> bool:
    return can_record_problems(user, problem.unit) and not is_responsible_for_problem(user, problem)


def get_problem_for_user(
    user: User | AnonymousUser, pk: int | str, *, action: str | None = None
) -> Problem:
    """`action`: None to read, "rectify", "verify" or "manage" (reassign, remove)."""
    problem = visible_problems(user).filter(pk=pk).first()
    if problem is None:
        raise Http404("没有找到该问题，或您无权查看。")
    if action == "rectify" and not can_rectify_problem(user, problem):
        raise work_refusal(
            user, problem.unit, "只有整改责任部门的人员或本单位创建办可以整改该问题。"
        )
    if action == "verify":
        if is_responsible_for_problem(user, problem):
            raise PermissionDenied("整改责任部门不能验收本部门的问题，请由督查员或创建办验收。")
        if not can_verify_problem(user, problem):
            raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以验收整改。")
    if action == "manage" and not can_manage_problems(user, problem.unit):
        raise PermissionDenied("只有本单位创建办可以调整问题的责任部门、时限或删除问题。")
    return problem


def get_inspection_for_user(
    user: User | AnonymousUser, pk: int | str, *, record: bool = False
) -> Inspection:
    """`record`: add problems to the inspection (or remove it)."""
    inspection = visible_inspections(user).filter(pk=pk).first()
    if inspection is None:
        raise Http404("没有找到该督查记录，或您无权查看。")
    if record and not can_record_problems(user, inspection.unit):
        raise PermissionDenied("只有督查员、本单位创建办或上级文明办可以记录督查发现的问题。")
    return inspection


def get_problem_file_for_user(user: User | AnonymousUser, pk: int | str) -> ProblemFile:
    """A problem's photo or proof is readable exactly when its live problem is."""
    f = (
        ProblemFile.objects.live()
        .select_related("problem")
        .filter(pk=pk, problem__in=visible_problems(user))
        .first()
    )
    if f is None:
        raise Http404("没有找到该文件，或您无权查看。")
    return f


def can_manage_assessment(user: User | AnonymousUser, unit: Organization) -> bool:
    """Set the rules, record and withdraw accountability and commendations: the 创建办."""
    return can_manage_work(user, unit)


def reads_assessment_records(user: User | AnonymousUser, unit: Organization) -> bool:
    """Read the accountability and commendation records: the 创建办 and the office above."""
    return scope_for(user).can_manage_path(unit.path)


def get_assessment_campaign_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False, records: bool = False
) -> Campaign:
    """`write`: change the assessment rules, the accountability records or commendations;
    `records`: read those records (the 创建办 and the office above)."""
    campaign = get_campaign_for_user(user, pk)
    if records and not reads_assessment_records(user, campaign.unit):
        raise PermissionDenied("只有本单位创建办和上级文明办可以查看追责和表彰记录。")
    if write and not can_manage_assessment(user, campaign.unit):
        raise work_refusal(
            user, campaign.unit, "只有本单位创建办可以设置考核规则、追责和表彰记录。"
        )
    return campaign


def get_accountability_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Accountability:
    scope = scope_for(user)
    qs = Accountability.objects.live().select_related(
        "campaign__unit", "unit", "department", "problem", "recorded_by"
    )
    if not scope.is_superuser:
        qs = qs.filter(path_q(scope.view_paths, "unit__path"))
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404("没有找到该追责记录，或您无权查看。")
    if write and not can_manage_assessment(user, record.unit):
        raise work_refusal(user, record.unit, "只有本单位创建办可以撤销追责记录。")
    return record


def get_commendation_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Commendation:
    scope = scope_for(user)
    qs = Commendation.objects.live().select_related(
        "campaign__unit", "unit", "department", "person", "recorded_by"
    )
    if not scope.is_superuser:
        qs = qs.filter(path_q(scope.view_paths, "unit__path"))
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404("没有找到该表彰记录，或您无权查看。")
    if write and not can_manage_assessment(user, record.unit):
        raise work_refusal(user, record.unit, "只有本单位创建办可以撤销表彰记录。")
    return record


def can_manage_bulletins(user: User | AnonymousUser, unit: Organization) -> bool:
    """Draft, edit, issue and remove the unit's internal bulletins: its 创建办."""
    return can_manage_work(user, unit)


def bulletin_refusal(user: User | AnonymousUser, unit: Organization) -> PermissionDenied:
    return work_refusal(user, unit, "只有本单位创建办可以起草、修改和印发通报。")


def visible_bulletins(user: User | AnonymousUser) -> QuerySet[Bulletin]:
    """Issued bulletins for everyone who sees the unit; drafts for its 创建办 and the office
    above (which reads them)."""
    scope = scope_for(user)
    qs = Bulletin.objects.live().select_related("campaign__unit", "unit", "created_by", "issued_by")
    if scope.is_superuser:
        return qs
    if not scope.memberships:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path")).filter(
        Q(status=BulletinStatus.ISSUED) | path_q(scope.manage_paths, "unit__path")
    )


def get_bulletin_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Bulletin:
    """`write`: edit, issue or remove the bulletin (drafting is checked on the campaign)."""
    bulletin = visible_bulletins(user).filter(pk=pk).first()
    if bulletin is None:
        raise Http404("没有找到该通报，或您无权查看。")
    if write and not can_manage_bulletins(user, bulletin.unit):
        raise bulletin_refusal(user, bulletin.unit)
    return bulletin

"""Who may see and act on the civilization office's supervision of its units.

- An office's people (any role held on the office or an office above it) read everything the
  office did here: its inspections, dispatched problems, bulletins, quarterly priorities with
  who has acknowledged them, and monthly submissions with who has and has not submitted.
- Only the 文明办管理员 of the office or an office above (and superusers) act for the office:
  record inspections, dispatch, verify (销号) or return problems, draft and issue bulletins,
  publish priorities, open a month's 信息报送 and remind the units that have not submitted.
- A unit's own people (the roles held on the unit itself: 创建办, 单位领导, 督查员, 观察员) read
  their own unit's side: the problems dispatched to it (with the inspection they came from),
  the bulletins issued by the office that keeps the unit in its registry, that office's
  published priorities and monthly rounds, and their own acknowledgements and submissions.
  Only the unit's 创建办 answers a problem, acknowledges a priority and submits information.
  Nobody in a unit learns that another unit's problem or submission exists (404).
  Department roles reach nothing here: every list and every page of an inspection, a
  problem, a priority or a month refuses them with one sentence (`require_reader`, 403),
  before anything is looked up, on the screens and in the API alike.

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
from wenming.orgs.models import Organization, OrgKind, Role
from wenming.registry.models import RegistryEntry
from wenming.supervision.models import (
    CityBulletin,
    CityBulletinStatus,
    CityInspection,
    CityProblem,
    CityProblemFile,
    InfoFile,
    InfoRound,
    InfoSubmission,
    Priority,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

OFFICE_ONLY = "只有本级或上级文明办管理员可以办理督查和报送事项。"
UNIT_ONLY = "只有本单位创建办可以办理此事项。"
READERS_ONLY = (
    "督查与报送事项只对文明办人员和各单位本级人员（创建办、单位领导、督查员、观察员）开放，"
    "部门人员不能查看。"
)


# --- who is who ----------------------------------------------------------------------------


def has_own_unit(user: User | AnonymousUser) -> bool:
    """Holds a role on a unit itself: reads that unit's side."""
    return bool(own_unit_ids(user))


def require_reader(user: User | AnonymousUser) -> None:
    """The one refusal of department roles (and of anyone holding no role on an office or on a
    unit itself): 403 with `READERS_ONLY`. Called first by the hub, the lists and the pages of
    inspections, problems, priorities and months, screens and API alike."""
    if not (is_office_person(user) or has_own_unit(user)):
        raise PermissionDenied(READERS_ONLY)


def manages_any(user: User | AnonymousUser) -> bool:
    return scope_for(user).is_superuser or bool(office_paths(user, manage=True))


def coordinated_unit_ids(user: User | AnonymousUser) -> set[int]:
    """Units whose 创建办 the user is: they answer, acknowledge and submit for them."""
    return own_unit_ids(user, role=Role.COORDINATOR)


def unit_office_ids(user: User | AnonymousUser) -> set[int]:
    """Offices whose registry keeps one of the user's own units (one query)."""
    units = own_unit_ids(user)
    if not units:
        return set()
    return set(
        RegistryEntry.objects.live().filter(unit_id__in=units).values_list("office_id", flat=True)
    )


def office_units(office: Organization) -> QuerySet[Organization]:
    """The active units the office keeps in its registry: those it supervises."""
    return Organization.objects.filter(
        kind=OrgKind.UNIT,
        is_active=True,
        registry_entry__office=office,
        registry_entry__removed_at__isnull=True,
    ).order_by("path")


def _office_q(user: User | AnonymousUser, *, manage: bool = False) -> Q | None:
    """Rows of the offices the user works for (None: all, for a superuser)."""
    if scope_for(user).is_superuser:
        return None
    paths = office_paths(user, manage=manage)
    return path_q(paths, "office__path") if paths else Q(pk__in=[])


# --- inspections and dispatched problems -------------------------------------------------------


def visible_inspections(user: User | AnonymousUser) -> QuerySet[CityInspection]:
    qs = CityInspection.objects.live().select_related("office", "unit")
    office = _office_q(user)
    if office is None:
        return qs
    return qs.filter(office | Q(unit_id__in=own_unit_ids(user)))


def get_inspection_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> CityInspection:
    inspection = visible_inspections(user).filter(pk=pk).first()
    if inspection is None:
        raise Http404("没有找到这次督查，或您无权查看。")
    if write and not can_manage_office(user, inspection.office):
        raise PermissionDenied(OFFICE_ONLY)
    return inspection


def visible_problems(user: User | AnonymousUser) -> QuerySet[CityProblem]:
    qs = CityProblem.objects.live().select_related("office", "unit", "inspection")
    office = _office_q(user)
    if office is None:
        return qs
    return qs.filter(office | Q(unit_id__in=own_unit_ids(user)))


def get_problem_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> CityProblem:
    """`write`: the office's steps (验收销号, 退回, 撤回)."""
    problem = visible_problems(user).filter(pk=pk).first()
    if problem is None:
        raise Http404("没有找到这个交办问题，或您无权查看。")
    if write and not can_manage_office(user, problem.office):
        raise PermissionDenied(OFFICE_ONLY)
    return problem


def can_answer_problem(user: User | AnonymousUser, problem: CityProblem) -> bool:
    """The unit's 创建办: puts the problem into the unit's workflow and reports back."""
    return problem.unit_id in coordinated_unit_ids(user)


def get_problem_to_answer(user: User | AnonymousUser, pk: int | str) -> CityProblem:
    problem = get_problem_for_user(user, pk)
    if not can_answer_problem(user, problem):
        raise PermissionDenied(UNIT_ONLY)
    return problem


def get_problem_file_for_user(user: User | AnonymousUser, pk: int | str) -> CityProblemFile:
    found = CityProblemFile.objects.filter(pk=pk, removed_at__isnull=True).first()
    if found is None or not visible_problems(user).filter(pk=found.problem_id).exists():
        raise Http404("没有找到这个文件，或您无权查看。")
    return found


# --- bulletins, priorities and monthly rounds: published by an office to its units --------------


def visible_bulletins(user: User | AnonymousUser) -> QuerySet[CityBulletin]:
    qs = CityBulletin.objects.live().select_related("office")
    office = _office_q(user)
    if office is None:
        return qs
    return qs.filter(
        office | Q(office_id__in=unit_office_ids(user), status=CityBulletinStatus.ISSUED)
    )


def get_bulletin_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> CityBulletin:
    bulletin = visible_bulletins(user).filter(pk=pk).first()
    if bulletin is None:
        raise Http404("没有找到这期通报，或您无权查看。")
    if write and not can_manage_office(user, bulletin.office):
        raise PermissionDenied(OFFICE_ONLY)
    return bulletin


def visible_priorities(user: User | AnonymousUser) -> QuerySet[Priority]:
    qs = Priority.objects.live().select_related("office")
    office = _office_q(user)
    if office is None:
        return qs
    return qs.filter(office | Q(office_id__in=unit_office_ids(user), published_at__isnull=False))


def get_priority_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Priority:
    priority = visible_priorities(user).filter(pk=pk).first()
    if priority is None:
        raise Http404("没有找到这项重点工作，或您无权查看。")
    if write and not can_manage_office(user, priority.office):
        raise PermissionDenied(OFFICE_ONLY)
    return priority


def visible_info_rounds(user: User | AnonymousUser) -> QuerySet[InfoRound]:
    qs = InfoRound.objects.live().select_related("office")
    office = _office_q(user)
    if office is None:
        return qs
    return qs.filter(office | Q(office_id__in=unit_office_ids(user)))


def get_info_round_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> InfoRound:
    found = visible_info_rounds(user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到这个月的信息报送，或您无权查看。")
    if write and not can_manage_office(user, found.office):
        raise PermissionDenied(OFFICE_ONLY)
    return found


def responding_unit(user: User | AnonymousUser, office: Organization) -> Organization:
    """The unit the user (its 创建办) acknowledges or submits for, among the office's units."""
    unit = office_units(office).filter(pk__in=coordinated_unit_ids(user)).order_by("path").first()
    if unit is None:
        raise PermissionDenied(UNIT_ONLY)
    return unit


def visible_submissions(user: User | AnonymousUser) -> QuerySet[InfoSubmission]:
    qs = InfoSubmission.objects.filter(round__removed_at__isnull=True).select_related(
        "round", "round__office", "unit"
    )
    if scope_for(user).is_superuser:
        return qs
    paths = office_paths(user)
    office = path_q(paths, "round__office__path") if paths else Q(pk__in=[])
    return qs.filter(office | Q(unit_id__in=own_unit_ids(user)))


def get_submission_for_user(user: User | AnonymousUser, pk: int | str) -> InfoSubmission:
    found = visible_submissions(user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到这份报送信息，或您无权查看。")
    return found


def get_info_file_for_user(user: User | AnonymousUser, pk: int | str) -> InfoFile:
    found = InfoFile.objects.filter(pk=pk, removed_at__isnull=True).first()
    if found is None or not visible_submissions(user).filter(pk=found.submission_id).exists():
        raise Http404("没有找到这个文件，或您无权查看。")
    return found


def supervised_units(user: User | AnonymousUser) -> QuerySet[Organization]:
    """The units in the registries of the offices the user acts for: those they may inspect
    (each unit is in one office's registry; `registry_entry.office` is that office)."""
    qs = Organization.objects.filter(
        kind=OrgKind.UNIT, is_active=True, registry_entry__removed_at__isnull=True
    ).select_related("registry_entry__office")
    if scope_for(user).is_superuser:
        return qs.filter(registry_entry__isnull=False).order_by("path")
    paths = office_paths(user, manage=True)
    if not paths:
        return qs.none()
    return qs.filter(path_q(paths, "registry_entry__office__path")).order_by("path")

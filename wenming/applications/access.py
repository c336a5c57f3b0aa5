"""Who may see and act on application batches (申报批次) and applications (申报).

- An office's people (any role held on the office or on an office above it) read the
  office's batches and every application filed in them.
- Only the 文明办管理员 of the batch's office or an office above (and superusers) open,
  change and remove batches and take the office's decisions on applications (初审, 实地测评,
  征求意见, 公示, 命名).
- A unit's own people (the roles held on the unit itself: 创建办, 单位领导, 督查员, 观察员)
  read the live batches of the offices above their unit and their own unit's applications;
  nobody in a unit learns that another unit's application exists (404). The unit's 创建办
  files, supplements and withdraws its applications. Department roles reach nothing here.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.applications.models import Application, Batch, SnapshotFile
from wenming.orgs.access import is_office_person as is_office_person
from wenming.orgs.access import managed_offices as managed_offices
from wenming.orgs.access import office_paths, path_q, scope_for
from wenming.orgs.models import Organization, OrgKind, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

READ_ONLY = "只有本级或上级文明办管理员可以办理申报事项。"
FIELD_ONLY = "只有本次实地测评的测评人员和文明办管理员可以打分。"
FIELD_LATER = "文明办录入实地测评结果后，本单位可以查看实地测评打分。"
APPLICANT_ONLY = "只有本单位创建办可以办理本单位的申报。"


def _own_units(user: User | AnonymousUser) -> list[Organization]:
    """The units the user holds a role on itself (not through a department)."""
    seen: dict[int, Organization] = {}
    for m in scope_for(user).memberships:
        if m.organization.kind == OrgKind.UNIT:
            seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def has_own_unit(user: User | AnonymousUser) -> bool:
    return bool(_own_units(user))


# --- batches ---------------------------------------------------------------------------------


def visible_batches(user: User | AnonymousUser) -> QuerySet[Batch]:
    """Live batches the user reads, with the office selected."""
    scope = scope_for(user)
    qs = Batch.objects.live().select_related("office")
    if scope.is_superuser:
        return qs
    offices = office_paths(user, manage=False)
    above_units = {a for unit in _own_units(user) for a in unit.ancestor_ids}
    if not offices and not above_units:
        return qs.none()
    return qs.filter(path_q(offices, "office__path") | Q(office_id__in=above_units))


def can_manage_batch(user: User | AnonymousUser, batch: Batch) -> bool:
    """文明办管理员 of the batch's office or an office above it, or a superuser."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(batch.office.path.startswith(p) for p in office_paths(user, manage=True))


def reads_as_office(user: User | AnonymousUser, batch: Batch) -> bool:
    """The user reads the batch as its office's people do (opinions, objections, every
    application), not only as an applicant unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(batch.office.path.startswith(p) for p in office_paths(user, manage=False))


def manages_any_batch(user: User | AnonymousUser) -> bool:
    return scope_for(user).is_superuser or bool(office_paths(user, manage=True))


def get_batch_for_user(user: User | AnonymousUser, pk: int | str, *, write: bool = False) -> Batch:
    batch = visible_batches(user).filter(pk=pk).first()
    if batch is None:
        raise Http404("没有找到该申报批次，或您无权查看。")
    if write and not can_manage_batch(user, batch):
        raise PermissionDenied(READ_ONLY)
    return batch


# --- applications ----------------------------------------------------------------------------


def visible_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """Applications the user reads: an office's people those in the batches of their offices
    and below; a unit's own people their own unit's only."""
    scope = scope_for(user)
    qs = Application.objects.filter(batch__removed_at__isnull=True).select_related(
        "batch__office", "unit", "entry"
    )
    if scope.is_superuser:
        return qs
    offices = office_paths(user, manage=False)
    units = [u.pk for u in _own_units(user)]
    if not offices and not units:
        return qs.none()
    return qs.filter(path_q(offices, "batch__office__path") | Q(unit_id__in=units))


def get_application_for_user(
    user: User | AnonymousUser, pk: int | str, *, write: bool = False
) -> Application:
    """An application the user reads; `write`: the office's decision rights on it."""
    application = visible_applications(user).filter(pk=pk).first()
    if application is None:
        raise Http404("没有找到该申报，或您无权查看。")
    if write and not can_manage_batch(user, application.batch):
        raise PermissionDenied(READ_ONLY)
    return application


def applicant_units(user: User | AnonymousUser) -> list[Organization]:
    """Units the user may apply for: those where they are the 创建办."""
    units: dict[int, Organization] = {}
    for m in scope_for(user).memberships:
        if m.organization.kind == OrgKind.UNIT and m.role == Role.COORDINATOR:
            units.setdefault(m.organization_id, m.organization)
    return sorted(units.values(), key=lambda u: u.path)


def can_apply_for(user: User | AnonymousUser, unit: Organization) -> bool:
    return any(u.pk == unit.pk for u in applicant_units(user))


def get_application_for_applicant(user: User | AnonymousUser, pk: int | str) -> Application:
    """The unit's 创建办 acting on its own application (补充后重新提交, 撤回)."""
    application = get_application_for_user(user, pk)
    if not can_apply_for(user, application.unit):
        raise PermissionDenied(APPLICANT_ONLY)
    return application


def can_score_field(user: User | AnonymousUser, application: Application) -> bool:
    """Score the application's 实地测评 round: its assessors and the batch's office admin."""
    if can_manage_batch(user, application.batch):
        return True
    return user.is_authenticated and application.assessors.filter(pk=user.pk).exists()


def get_field_round_for_user(
    user: User | AnonymousUser, round_pk: int | str, *, write: bool = False
) -> Application:
    """The application whose 实地测评 round on the frozen submission this is. The office's
    people read it; the applicant's own people once the office recorded the result;
    `write`: its assessors and the batch's office admin."""
    application = (
        visible_applications(user)
        .filter(
            field_round__pk=round_pk,
            field_round__campaign__isnull=True,
            field_round__removed_at__isnull=True,
        )
        .select_related("field_round__framework")
        .first()
    )
    if application is None:
        raise Http404("没有找到该实地测评，或您无权查看。")
    if write:
        if not can_score_field(user, application):
            raise PermissionDenied(FIELD_ONLY)
    elif not reads_as_office(user, application.batch) and application.field_score is None:
        raise PermissionDenied(FIELD_LATER)
    return application


def get_snapshot_file_for_user(user: User | AnonymousUser, pk: int | str) -> SnapshotFile:
    """A frozen file: readable by whoever reads its application."""
    found = (
        SnapshotFile.objects.select_related("file", "snapshot_item__application")
        .filter(pk=pk, snapshot_item__application__in=visible_applications(user).values("pk"))
        .first()
    )
    if found is None:
        raise Http404("没有找到该文件，或您无权查看。")
    return found

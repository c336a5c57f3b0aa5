"""Who may see and act on 先进典型 (nominations) and the yearly ratings.

- Whoever reads the unit's activities reads its nominations, ratings and their way
  (`people_access.can_read_unit`): its 创建办, leaders, inspectors, observers, department
  people, and the offices above (which read only: `work_refusal`).
- 提名: the unit's 创建办 in the name of any of its departments; a department's people
  (部门负责人, 经办人) in their own department's name (`nominating_departments`).
- 修改 (before 公示): the 创建办 and the nominating department's people.
- 撤回 (before 公示): the nominator and the 创建办.
- 部门推荐: the nominating department's 部门负责人 and the 创建办.
- Everything else (审核, 退回, 公示, 异议, 评选, 不予评选, 上报) and the ratings: the 创建办.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied with a sentence saying who may. Which step the status allows is the
service's rule (`nominations.STEP_FROM`); `available_actions` combines both for the screens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from wenming.activities.models.nominations import EDITABLE, Nomination, Objection, Rating
from wenming.activities.nominations import STEP_FROM, Action
from wenming.activities.people_access import get_campaign_for_reader
from wenming.campaigns.models import Campaign
from wenming.orgs.access import (
    can_manage_work,
    department_ids_for_write,
    path_q,
    scope_for,
    work_refusal,
)
from wenming.orgs.models import Organization, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

NO_NOMINATION = "没有找到该推荐，或您无权查看。"
NOMINATORS_ONLY = "只有本单位创建办和各部门人员可以推荐先进典型（部门人员以本部门名义推荐）。"
EDITORS_ONLY = "只有推荐部门的人员和本单位创建办可以修改推荐材料。"
WITHDRAWERS_ONLY = "只有推荐人和本单位创建办可以撤回推荐。"
RECOMMENDERS_ONLY = "只有推荐部门的部门负责人和本单位创建办可以作部门推荐。"
MANAGERS_ONLY = "只有本单位创建办可以审核、公示、评选先进典型和发布年度评选。"
# The steps the 创建办 alone takes.
MANAGER_ACTIONS = (
    Action.REVIEW,
    Action.RETURN,
    Action.PUBLICIZE,
    Action.OBJECTION,
    Action.ANSWER,
    Action.AWARD,
    Action.REFER,
    Action.DECLINE,
)


def visible_nominations(user: User | AnonymousUser) -> QuerySet[Nomination]:
    """Nominations of the units the user reads, with what the lists show."""
    scope = scope_for(user)
    qs = Nomination.objects.select_related(
        "unit", "campaign", "department", "person", "collective", "rating"
    )
    if scope.is_superuser:
        return qs
    if not scope.view_paths:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def nominating_departments(
    user: User | AnonymousUser, unit: Organization
) -> QuerySet[Organization]:
    """The departments in whose name the user nominates: all of the unit's for its 创建办,
    their own for a department's people, none for anyone else."""
    departments = Organization.objects.departments_of(unit, active_only=True)
    if can_manage_work(user, unit):
        return departments.order_by("sort_order", "name")
    return departments.filter(pk__in=department_ids_for_write(user)).order_by("sort_order", "name")


def can_nominate(user: User | AnonymousUser, unit: Organization) -> bool:
    return nominating_departments(user, unit).exists()


def require_nominator(user: User | AnonymousUser, unit: Organization) -> None:
    if not can_nominate(user, unit):
        raise work_refusal(user, unit, NOMINATORS_ONLY)


def can_manage(user: User | AnonymousUser, unit: Organization) -> bool:
    """审核, 公示, 评选 and the ratings: the unit's 创建办."""
    return can_manage_work(user, unit)


def _heads(user: User | AnonymousUser, department_id: int) -> bool:
    return any(
        m.organization_id == department_id and m.role == Role.DEPT_HEAD
        for m in scope_for(user).memberships
    )


def may(user: User | AnonymousUser, nomination: Nomination, action: str) -> bool:
    """Whether the user's place lets them take `action` (whatever the status)."""
    if can_manage_work(user, nomination.unit):
        return True
    if action == "edit":
        return nomination.department_id in department_ids_for_write(user)
    if action == Action.WITHDRAW:
        return user.is_authenticated and nomination.created_by_id == user.pk
    if action == Action.RECOMMEND:
        return _heads(user, nomination.department_id)
    return False


REFUSALS = {
    "edit": EDITORS_ONLY,
    Action.WITHDRAW: WITHDRAWERS_ONLY,
    Action.RECOMMEND: RECOMMENDERS_ONLY,
}


def require(user: User | AnonymousUser, nomination: Nomination, action: str) -> None:
    """403 with who may, for a reader who may not take `action`."""
    if not may(user, nomination, action):
        raise work_refusal(user, nomination.unit, REFUSALS.get(action, MANAGERS_ONLY))


def get_nomination_for_user(
    user: User | AnonymousUser, pk: int | str, *, action: str | None = None
) -> Nomination:
    """A nomination the user reads (404 otherwise); with `action`, one they may take it on
    (403 otherwise; whether its status allows it is the service's answer)."""
    nomination = visible_nominations(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404(NO_NOMINATION)
    if action is not None:
        require(user, nomination, action)
    return nomination


def get_objection_for_manager(
    user: User | AnonymousUser, nomination: Nomination, pk: int | str
) -> Objection:
    """An objection of `nomination`, for the 创建办 to answer."""
    require(user, nomination, Action.ANSWER)
    objection = Objection.objects.filter(nomination=nomination, pk=pk).first()
    if objection is None:
        raise Http404("没有找到该异议。")
    objection.nomination = nomination
    return objection


def available_actions(user: User | AnonymousUser, nomination: Nomination) -> set[str]:
    """The steps the user may take on the nomination now (place and status), for the screens;
    "edit" while the content may change."""
    found = {
        action
        for action, statuses in STEP_FROM.items()
        if nomination.status in statuses and may(user, nomination, action)
    }
    if nomination.status in EDITABLE and may(user, nomination, "edit"):
        found.add("edit")
    return found


def visible_ratings(user: User | AnonymousUser) -> QuerySet[Rating]:
    scope = scope_for(user)
    qs = Rating.objects.select_related("unit", "campaign")
    if scope.is_superuser:
        return qs
    if not scope.view_paths:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def get_campaign_for_manager(user: User | AnonymousUser, campaign_pk: int | str) -> Campaign:
    """A campaign whose unit the user reads (404 otherwise) and whose 创建办 they are (403)."""
    campaign = get_campaign_for_reader(user, campaign_pk)
    if not can_manage(user, campaign.unit):
        raise work_refusal(user, campaign.unit, MANAGERS_ONLY)
    return campaign


def get_campaign_for_nominator(user: User | AnonymousUser, campaign_pk: int | str) -> Campaign:
    campaign = get_campaign_for_reader(user, campaign_pk)
    require_nominator(user, campaign.unit)
    return campaign

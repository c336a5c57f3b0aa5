"""Who may see and record a unit's study records (学习, R19): targets, platform points, 考学.

- Everyone who reads the unit's activities reads its study records
  (`people_access.can_read_unit`: its 创建办, leaders, inspectors, observers, department
  people, and the offices above): a study session is an activity, and who studied is what
  the unit shows, not a secret of a department.
- Only the unit's 创建办 sets the targets, imports the platform's points and records 考学
  (`orgs.access.can_manage_work`); the office above reads only (`work_refusal`), department
  people do not write here at all.

Objects the user may not see raise Http404; objects they see but may not change raise
PermissionDenied with a Chinese sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from wenming.activities import people_access
from wenming.activities.models import Exam
from wenming.campaigns.models import Campaign
from wenming.orgs.access import can_manage_work, path_q, scope_for, work_refusal
from wenming.orgs.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MANAGERS_ONLY = "只有本单位创建办可以设置学习目标、导入学习积分和登记考学成绩。"
NO_EXAM = "没有找到该考学，或您无权查看。"


def can_read_unit(user: User | AnonymousUser, unit: Organization) -> bool:
    return people_access.can_read_unit(user, unit)


def can_manage(user: User | AnonymousUser, unit: Organization) -> bool:
    """Sets targets, imports points, records 考学: the unit's 创建办."""
    return can_manage_work(user, unit)


def require_manager(user: User | AnonymousUser, unit: Organization) -> None:
    """403 with who may, for a reader of the unit who is not its 创建办."""
    if not can_manage(user, unit):
        raise work_refusal(user, unit, MANAGERS_ONLY)


def get_campaign_for_reader(user: User | AnonymousUser, campaign_pk: int | str) -> Campaign:
    return people_access.get_campaign_for_reader(user, campaign_pk)


def get_campaign_for_manager(user: User | AnonymousUser, campaign_pk: int | str) -> Campaign:
    campaign = get_campaign_for_reader(user, campaign_pk)
    require_manager(user, campaign.unit)
    return campaign


def visible_exams(user: User | AnonymousUser) -> QuerySet[Exam]:
    """考学 (removed ones too) of the units the user reads."""
    scope = scope_for(user)
    qs = Exam.objects.select_related("unit", "created_by")
    if scope.is_superuser:
        return qs
    if not scope.view_paths:
        return qs.none()
    return qs.filter(path_q(scope.view_paths, "unit__path"))


def get_exam_for_user(user: User | AnonymousUser, pk: int | str, *, write: bool = False) -> Exam:
    """An exam of a unit the user reads (404 otherwise); with `write`, 403 for a reader who
    is not the unit's 创建办. A removed exam is found (the page and the services say so)."""
    exam = visible_exams(user).filter(pk=pk).first()
    if exam is None:
        raise Http404(NO_EXAM)
    if write:
        require_manager(user, exam.unit)
    return exam


def department_for_reader(unit: Organization, pk: int | str | None) -> Organization | None:
    """A department of the unit chosen as a filter (404 when it is not one of the unit's)."""
    raw = "" if pk is None else str(pk).strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("没有找到该部门。")
    found = Organization.objects.departments_of(unit).filter(pk=int(raw)).first()
    if found is None:
        raise Http404("没有找到该部门。")
    return found

"""API routes for the assessment (部门考核, 个人评优资格, 追责, 表彰奖励; R8), mounted on the
oversight router.

Points are Decimal strings. A refused input or rule is answered 422 `{"detail", "errors"}` in
Chinese by the API's handlers; bodies are JSON or the same fields as a form (`Input`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from wenming.core.api_input import ErrorOut, Input, column_length, refused, user_of
from wenming.orgs.models import Organization
from wenming.oversight import access
from wenming.oversight.assessment import services
from wenming.oversight.assessment.people import (
    PersonScore,
    assess_people,
    person_name,
)
from wenming.oversight.assessment.ranking import DepartmentScore, assess
from wenming.oversight.assessment.services import CENT, WEIGHT_FIELDS
from wenming.oversight.models import Accountability, AssessmentRule, Commendation, Problem

router = Router(tags=["部门考核"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MeasureOut(Schema):
    key: str
    label: str
    weight: str
    counted: int
    good: int
    rate: str | None
    points: str | None
    nothing_to_count: bool
    detail: str


class CommendationOut(Schema):
    id: int
    campaign_id: int
    department_id: int | None
    department_name: str
    person_id: int | None
    person_name: str
    decided_on: datetime.date
    title: str
    reason: str
    created_at: datetime.datetime


class DepartmentScoreOut(Schema):
    rank: int | None = Field(description="名次；不参与排名（没有可考核事项）时为 null")
    ranked: bool
    department_id: int
    department_name: str
    measures: list[MeasureOut]
    total: str
    possible: str
    overdue_problems: int
    eligible: bool
    reasons: list[str]
    commendations: list[CommendationOut]


class PersonScoreOut(Schema):
    user_id: int
    name: str
    department_id: int
    department_name: str
    role: str
    tasks_counted: int
    tasks_on_time: int
    on_time_rate: str | None
    evidence_reviewed: int
    evidence_returns: int
    overdue_problems: int
    accountabilities: int
    eligible: bool
    reasons: list[str]
    commendations: list[CommendationOut]


class RuleOut(Schema):
    year: int
    saved: bool
    tasks_on_time: str
    evidence_first_pass: str
    problems_on_time: str
    reports_submitted: str
    total: str
    max_overdue_problems: int


class AssessmentOut(Schema):
    campaign_id: int
    year: int
    rule: RuleOut
    departments: list[DepartmentScoreOut]
    people: list[PersonScoreOut]


class AccountabilityOut(Schema):
    id: int
    campaign_id: int
    department_id: int
    department_name: str
    problem_id: int | None
    decided_on: datetime.date
    person: str
    person_user_id: int | None
    reason: str
    measure: str
    created_at: datetime.datetime


class RuleIn(Input):
    """The weights and the overdue limit to change; what is not given stays as it was."""

    year: int | None = None
    tasks_on_time: Decimal | None = None
    evidence_first_pass: Decimal | None = None
    problems_on_time: Decimal | None = None
    reports_submitted: Decimal | None = None
    max_overdue_problems: int | None = None


class AccountabilityIn(Input):
    department: int | None = None
    decided_on: datetime.date | None = None
    reason: str = ""
    person: str = Field("", max_length=column_length(Accountability, "person"))
    person_user: int | None = Field(None, description="被追责人员的用户 id（须为该部门人员）")
    measure: str = Field("", max_length=column_length(Accountability, "measure"))
    problem: int | None = None


class CommendationIn(Input):
    department: int | None = Field(None, description="受表彰部门；表彰个人时为其所在部门，可不给")
    person: int | None = Field(None, description="受表彰人员的用户 id")
    decided_on: datetime.date | None = None
    title: str = Field("", max_length=column_length(Commendation, "title"))
    reason: str = ""


class WithdrawIn(Input):
    reason: str = ""


def _year(value: int | None) -> int:
    year = value or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise refused("year", "年度不正确，请选择2000至2100之间的年份。")
    return year


def _rule_out(rule: AssessmentRule) -> dict[str, Any]:
    weights = {n: str(Decimal(getattr(rule, n)).quantize(CENT)) for n in WEIGHT_FIELDS}
    total = sum((Decimal(getattr(rule, n)) for n in WEIGHT_FIELDS), Decimal(0))
    return {
        "year": rule.year,
        "saved": rule.pk is not None,
        **weights,
        "total": str(total.quantize(CENT)),
        "max_overdue_problems": rule.max_overdue_problems,
    }


def _commendation_out(c: Commendation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "campaign_id": c.campaign_id,
        "department_id": c.department_id,
        "department_name": c.department.name if c.department else "",
        "person_id": c.person_id,
        "person_name": person_name(c.person) if c.person else "",
        "decided_on": c.decided_on,
        "title": c.title,
        "reason": c.reason,
        "created_at": c.created_at,
    }


def _person_out(p: PersonScore) -> dict[str, Any]:
    return {
        "user_id": p.user.pk,
        "name": p.name,
        "department_id": p.department.pk,
        "department_name": p.department.name,
        "role": p.role,
        "tasks_counted": p.tasks.counted,
        "tasks_on_time": p.tasks.good,
        "on_time_rate": None if p.on_time_rate is None else str(p.on_time_rate),
        "evidence_reviewed": p.evidence.counted,
        "evidence_returns": p.returns,
        "overdue_problems": p.overdue_problems,
        "accountabilities": len(p.accountabilities),
        "eligible": p.eligible,
        "reasons": p.reasons,
        "commendations": [_commendation_out(c) for c in p.commendations],
    }


def _score_out(s: DepartmentScore) -> dict[str, Any]:
    return {
        "rank": s.rank or None,
        "ranked": s.ranked,
        "department_id": s.department.pk,
        "department_name": s.department.name,
        "measures": [
            {
                "key": m.key,
                "label": m.label,
                "weight": str(m.weight.quantize(CENT)),
                "counted": m.counted,
                "good": m.good,
                "rate": None if m.rate is None else str(m.rate),
                "points": None if m.empty else str(m.points),
                "nothing_to_count": m.empty,
                "detail": m.detail,
            }
            for m in s.measures
        ],
        "total": str(s.total),
        "possible": str(s.possible),
        "overdue_problems": s.overdue_problems,
        "eligible": s.eligible,
        "reasons": s.reasons,
        "commendations": [_commendation_out(c) for c in s.commendations],
    }


def _record_out(r: Accountability) -> dict[str, Any]:
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "department_id": r.department_id,
        "department_name": r.department.name,
        "problem_id": r.problem_id,
        "decided_on": r.decided_on,
        "person": r.person,
        "person_user_id": r.person_user_id,
        "reason": r.reason,
        "measure": r.measure,
        "created_at": r.created_at,
    }


@router.get(
    "/campaigns/{int:campaign_id}/assessment",
    response={200: AssessmentOut, **ERRORS},
    summary="部门考核排名与个人评优资格（year 默认今年；不参与排名的部门 rank 为 null，列在最后）",
)
def oversight_assessment(request: HttpRequest, campaign_id: int, year: int | None = None) -> Any:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_id)
    year = _year(year)
    rule = services.rule_for(campaign.unit, year)
    return {
        "campaign_id": campaign.pk,
        "year": year,
        "rule": _rule_out(rule),
        "departments": [_score_out(s) for s in assess(campaign, year, rule)],
        "people": [_person_out(p) for p in assess_people(campaign, year, rule)],
    }


@router.get(
    "/campaigns/{int:campaign_id}/assessment/rule",
    response={200: RuleOut, **ERRORS},
    summary="部门考核规则",
)
def oversight_assessment_rule(
    request: HttpRequest, campaign_id: int, year: int | None = None
) -> Any:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_id)
    return _rule_out(services.rule_for(campaign.unit, _year(year)))


@router.post(
    "/campaigns/{int:campaign_id}/assessment/rule",
    response={200: RuleOut, **ERRORS},
    summary="修改部门考核规则（year、四项分值、max_overdue_problems；未给出的项保持不变）",
)
def oversight_assessment_rule_update(
    request: HttpRequest, campaign_id: int, payload: RuleIn
) -> Any:
    user = user_of(request)
    campaign = access.get_assessment_campaign_for_user(user, campaign_id, write=True)
    year = _year(payload.year)
    values = {n: v for n, v in payload.dict(exclude={"year"}).items() if v is not None}
    if not values:
        raise refused("__all__", "请给出要修改的分值或逾期问题上限。")
    rule = services.rule_save(unit=campaign.unit, year=year, user=user, **values)
    return _rule_out(rule)


@router.get(
    "/campaigns/{int:campaign_id}/accountability",
    response={200: list[AccountabilityOut], **ERRORS},
    summary="追责记录",
)
def oversight_accountability_list(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_id, records=True)
    rows = (
        Accountability.objects.live()
        .filter(campaign=campaign)
        .select_related("department")
        .order_by("-decided_on", "-id")
    )
    return [_record_out(r) for r in rows]


@router.post(
    "/campaigns/{int:campaign_id}/accountability",
    response={201: AccountabilityOut, **ERRORS},
    summary="记录追责（department、decided_on、reason 必填；person、person_user、measure、problem）",
)
def oversight_accountability_create(
    request: HttpRequest, campaign_id: int, payload: AccountabilityIn
) -> Any:
    user = user_of(request)
    campaign = access.get_assessment_campaign_for_user(user, campaign_id, write=True)
    department = (
        Organization.objects.filter(pk=payload.department).first()
        if payload.department is not None
        else None
    )
    problem = None
    if payload.problem is not None:
        problem = Problem.objects.filter(pk=payload.problem, campaign=campaign).first()
        if problem is None:
            raise refused("problem", "所选问题不属于本次创建工作，请重新选择。")
    person_user = None
    if payload.person_user is not None:
        person_user = User.objects.filter(pk=payload.person_user, is_active=True).first()
        if person_user is None:
            raise refused("person_user", "所选人员不存在，请重新选择该部门的人员。")
    record = services.accountability_record(
        campaign=campaign,
        department=department,
        user=user,
        decided_on=payload.decided_on,
        reason=payload.reason,
        person=payload.person,
        person_user=person_user,
        measure=payload.measure,
        problem=problem,
    )
    return Status(201, _record_out(record))


@router.post(
    "/accountability/{int:record_id}/remove",
    response={204: None, **ERRORS},
    summary="撤销追责记录（reason 必填）",
)
def oversight_accountability_remove(
    request: HttpRequest, record_id: int, payload: WithdrawIn
) -> Any:
    user = user_of(request)
    record = access.get_accountability_for_user(user, record_id, write=True)
    services.accountability_remove(record=record, user=user, reason=payload.reason)
    return Status(204, None)


@router.get(
    "/campaigns/{int:campaign_id}/commendations",
    response={200: list[CommendationOut], **ERRORS},
    summary="表彰奖励",
)
def oversight_commendation_list(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_id, records=True)
    rows = (
        Commendation.objects.live()
        .filter(campaign=campaign)
        .select_related("department", "person")
        .order_by("-decided_on", "-id")
    )
    return [_commendation_out(c) for c in rows]


@router.post(
    "/campaigns/{int:campaign_id}/commendations",
    response={201: CommendationOut, **ERRORS},
    summary="记录表彰（department 或 person 必填其一，decided_on、title、reason 必填）",
)
def oversight_commendation_create(
    request: HttpRequest, campaign_id: int, payload: CommendationIn
) -> Any:
    user = user_of(request)
    campaign = access.get_assessment_campaign_for_user(user, campaign_id, write=True)
    department = None
    if payload.department is not None:
        department = Organization.objects.filter(pk=payload.department).first()
        if department is None:
            raise refused("department", "请选择本单位的一个部门（表彰个人时选择其所在部门）。")
    person = None
    if payload.person is not None:
        person = User.objects.filter(pk=payload.person, is_active=True).first()
        if person is None:
            raise refused("person", "所选人员不存在，请重新选择本单位部门的人员。")
    record = services.commendation_record(
        campaign=campaign,
        user=user,
        department=department,
        person=person,
        decided_on=payload.decided_on,
        title=payload.title,
        reason=payload.reason,
    )
    return Status(201, _commendation_out(record))


@router.post(
    "/commendations/{int:record_id}/remove",
    response={204: None, **ERRORS},
    summary="撤销表彰记录（reason 必填）",
)
def oversight_commendation_remove(request: HttpRequest, record_id: int, payload: WithdrawIn) -> Any:
    user = user_of(request)
    record = access.get_commendation_for_user(user, record_id, write=True)
    services.commendation_remove(record=record, user=user, reason=payload.reason)
    return Status(204, None)

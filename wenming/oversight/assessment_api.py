"""API routes for the department assessment (部门考核, R8), mounted on the oversight router.

Kept beside `api.py` (which adds this router at its end) so neither file grows past a size
one can read. Points are Decimal strings. Refusals are 400 `{"detail", "errors"}` in Chinese.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from wenming.core.api_input import ErrorOut, Refused
from wenming.core.api_input import date_field as _date
from wenming.core.api_input import int_field as _int
from wenming.core.api_input import refusal as _refusal
from wenming.core.api_input import request_data as _data
from wenming.core.api_input import run as _run
from wenming.core.api_input import user_of as _user
from wenming.orgs.models import Organization
from wenming.oversight import access, assessment
from wenming.oversight.assessment import CENT
from wenming.oversight.models import Accountability, AssessmentRule, Problem

router = Router(tags=["部门考核"])
ERRORS: dict[int, Any] = {400: ErrorOut}


class MeasureOut(Schema):
    key: str
    label: str
    weight: str
    counted: int
    good: int
    rate: str | None
    points: str
    nothing_to_count: bool
    detail: str


class DepartmentScoreOut(Schema):
    rank: int
    department_id: int
    department_name: str
    measures: list[MeasureOut]
    total: str
    possible: str
    overdue_problems: int
    eligible: bool
    reasons: list[str]


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


class AccountabilityOut(Schema):
    id: int
    campaign_id: int
    department_id: int
    department_name: str
    problem_id: int | None
    decided_on: datetime.date
    person: str
    reason: str
    measure: str
    created_at: datetime.datetime


def _year(value: int | None) -> int:
    year = value or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Refused("年度不正确，请选择2000至2100之间的年份。", {"year": ["年度不正确。"]})
    return year


def _rule_out(rule: AssessmentRule) -> dict[str, Any]:
    weights = {n: str(Decimal(getattr(rule, n)).quantize(CENT)) for n in assessment.WEIGHT_FIELDS}
    total = sum((Decimal(getattr(rule, n)) for n in assessment.WEIGHT_FIELDS), Decimal(0))
    return {
        "year": rule.year,
        "saved": rule.pk is not None,
        **weights,
        "total": str(total.quantize(CENT)),
        "max_overdue_problems": rule.max_overdue_problems,
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
        "reason": r.reason,
        "measure": r.measure,
        "created_at": r.created_at,
    }


@router.get(
    "/campaigns/{int:campaign_id}/assessment",
    response={200: AssessmentOut, **ERRORS},
    summary="部门考核排名（year 默认今年）",
)
def oversight_assessment(request: HttpRequest, campaign_id: int, year: int | None = None) -> Any:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_id)
    try:
        year = _year(year)
    except Refused as exc:
        return _refusal(exc)
    rule = assessment.rule_for(campaign.unit, year)
    scores = assessment.assess(campaign, year, rule)
    return {
        "campaign_id": campaign.pk,
        "year": year,
        "rule": _rule_out(rule),
        "departments": [
            {
                "rank": s.rank,
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
                        "points": str(m.points),
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
            }
            for s in scores
        ],
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
    try:
        year = _year(year)
    except Refused as exc:
        return _refusal(exc)
    return _rule_out(assessment.rule_for(campaign.unit, year))


@router.post(
    "/campaigns/{int:campaign_id}/assessment/rule",
    response={200: RuleOut, **ERRORS},
    summary="修改部门考核规则（year、四项分值、max_overdue_problems；未给出的项保持不变）",
)
def oversight_assessment_rule_update(request: HttpRequest, campaign_id: int) -> Any:
    user = _user(request)
    campaign = access.get_assessment_campaign_for_user(user, campaign_id, write=True)
    try:
        data = _data(request)
        year = _year(_int(data.get("year"), "year", "年度应为整数，如 2026。"))
        values = {
            n: data[n]
            for n in (*assessment.WEIGHT_FIELDS, "max_overdue_problems")
            if n in data and data[n] is not None
        }
        if not values:
            message = "请给出要修改的分值或逾期问题上限。"
            raise Refused(message, {"__all__": [message]})
        rule = _run(
            lambda: assessment.rule_save(unit=campaign.unit, year=year, user=user, **values)
        )
    except Refused as exc:
        return _refusal(exc)
    return _rule_out(rule)


@router.get(
    "/campaigns/{int:campaign_id}/accountability",
    response={200: list[AccountabilityOut], **ERRORS},
    summary="追责记录",
)
def oversight_accountability_list(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_id, write=True)
    rows = (
        Accountability.objects.filter(campaign=campaign, removed_at__isnull=True)
        .select_related("department")
        .order_by("-decided_on", "-id")
    )
    return [_record_out(r) for r in rows]


@router.post(
    "/campaigns/{int:campaign_id}/accountability",
    response={201: AccountabilityOut, **ERRORS},
    summary="记录追责（department、decided_on、reason 必填；person、measure、problem）",
)
def oversight_accountability_create(request: HttpRequest, campaign_id: int) -> Any:
    user = _user(request)
    campaign = access.get_assessment_campaign_for_user(user, campaign_id, write=True)
    try:
        data = _data(request)
        dept_id = _int(data.get("department"), "department", "部门编号应为整数。")
        department = (
            Organization.objects.filter(pk=dept_id).first() if dept_id is not None else None
        )
        problem_id = _int(data.get("problem"), "problem", "问题编号应为整数。")
        problem = None
        if problem_id is not None:
            problem = Problem.objects.filter(pk=problem_id, campaign=campaign).first()
            if problem is None:
                message = "所选问题不属于本次创建工作，请重新选择。"
                raise Refused(message, {"problem": [message]})
        decided_on = _date(data.get("decided_on"), "decided_on", "追责日期")
        record = _run(
            lambda: assessment.accountability_record(
                campaign=campaign,
                department=department,
                user=user,
                decided_on=decided_on,
                reason=str(data.get("reason") or ""),
                person=str(data.get("person") or ""),
                measure=str(data.get("measure") or ""),
                problem=problem,
            )
        )
    except Refused as exc:
        return _refusal(exc)
    return Status(201, _record_out(record))


@router.post(
    "/accountability/{int:record_id}/remove",
    response={204: None, **ERRORS},
    summary="撤销追责记录（reason 必填）",
)
def oversight_accountability_remove(request: HttpRequest, record_id: int) -> Any:
    user = _user(request)
    record = access.get_accountability_for_user(user, record_id, write=True)
    try:
        reason = str(_data(request).get("reason") or "")
        _run(lambda: assessment.accountability_remove(record=record, user=user, reason=reason))
    except Refused as exc:
        return _refusal(exc)
    return Status(204, None)

"""The assessment's writes (部门考核, R8): the yearly rule, accountability records (追责) and
commendations (表彰奖励).

Keyword-only arguments, one transaction, Chinese `ValidationError`s that say what to fix, as
in `wenming.oversight.services`. The ranking itself is read in `ranking.py`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Membership, Organization
from wenming.oversight.models import Accountability, AssessmentRule, Commendation, Problem

CENT = Decimal("0.01")
WEIGHT_LABELS = {
    "tasks_on_time": "任务按时完成",
    "evidence_first_pass": "台账一次审核通过",
    "problems_on_time": "问题按时整改",
    "reports_submitted": "周报按时报送",
}
WEIGHT_FIELDS = tuple(WEIGHT_LABELS)
MAX_WEIGHT = Decimal("9999.99")


def fmt(value: Decimal) -> str:
    """Points as people write them: 40, 12.5, 0.25."""
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rule_total(rule: AssessmentRule) -> str:
    """The points the rule's weights add up to, as `fmt` writes them."""
    return fmt(sum((Decimal(getattr(rule, n)) for n in WEIGHT_FIELDS), Decimal(0)))


# --- the rule ------------------------------------------------------------------------------


def rule_for(unit: Organization, year: int) -> AssessmentRule:
    """The unit's saved rule for the year, or an unsaved one with the default weights."""
    rule = AssessmentRule.objects.filter(unit=unit, year=year).first()
    return rule if rule is not None else AssessmentRule(unit=unit, year=year)


def _weight(value: Any, label: str, name: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({name: f"“{label}”的分值应为数字，如 40 或 12.5。"}) from None
    if not number.is_finite():
        raise ValidationError({name: f"“{label}”的分值应为数字，如 40 或 12.5。"})
    if number < 0:
        raise ValidationError({name: f"“{label}”的分值不能为负数，请填0或正数。"})
    if number > MAX_WEIGHT:
        raise ValidationError({name: f"“{label}”的分值不能超过{MAX_WEIGHT}分。"})
    if number != number.quantize(CENT):
        raise ValidationError({name: f"“{label}”的分值最多保留两位小数。"})
    return number.quantize(CENT)


def rule_save(
    *,
    unit: Organization,
    year: int,
    user: User,
    tasks_on_time: Any = None,
    evidence_first_pass: Any = None,
    problems_on_time: Any = None,
    reports_submitted: Any = None,
    max_overdue_problems: Any = None,
) -> AssessmentRule:
    """Set the year's weights and overdue limit; a value left as None keeps what it was.

    The weights need not add up to 100: the ranking shows the total they make.
    """
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度不正确，请选择2000至2100之间的年份。"})
    given = {
        "tasks_on_time": tasks_on_time,
        "evidence_first_pass": evidence_first_pass,
        "problems_on_time": problems_on_time,
        "reports_submitted": reports_submitted,
    }
    with transaction.atomic():
        rule = AssessmentRule.objects.select_for_update().filter(
            unit=unit, year=year
        ).first() or AssessmentRule(unit=unit, year=year)
        errors: dict[str, list[str]] = {}
        for name, value in given.items():
            if value is None or str(value).strip() == "":
                if value is not None:
                    label = WEIGHT_LABELS[name]
                    errors[name] = [f"请填写“{label}”的分值，不计分的填0。"]
                continue
            label = WEIGHT_LABELS[name]
            try:
                setattr(rule, name, _weight(value, label, name))
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if max_overdue_problems is not None:
            try:
                limit = int(str(max_overdue_problems).strip())
            except ValueError:
                limit = -1
            if not 0 <= limit <= 9999:
                errors["max_overdue_problems"] = [
                    "逾期问题上限应为0或正整数，例如2表示超过2个即取消评优资格。"
                ]
            else:
                rule.max_overdue_problems = limit
        if errors:
            raise ValidationError(errors)
        if all(Decimal(getattr(rule, name)) == 0 for name in WEIGHT_FIELDS):
            raise ValidationError("四项分值不能都为0，请至少给一项设置大于0的分值。")
        rule.updated_by = user
        rule.save()
    return rule


# --- accountability (追责) -----------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def _is_department_of(campaign: Campaign, department: Organization) -> bool:
    departments = Organization.objects.departments_of(campaign.unit, active_only=True)
    return departments.filter(pk=department.pk).exists()


def is_member_of(person: User, department: Organization) -> bool:
    """`person` holds an active post in `department`."""
    return Membership.objects.filter(
        user=person, organization=department, is_active=True, user__is_active=True
    ).exists()


def _decided_on_errors(decided_on: datetime.date | None, what: str) -> str:
    if decided_on is None:
        return f"请填写{what}日期。"
    if decided_on > timezone.localdate():
        return f"{what}日期不能晚于今天，请填写作出{what}决定的日期。"
    return ""


def accountability_record(
    *,
    campaign: Campaign,
    department: Organization | None,
    user: User,
    decided_on: datetime.date | None,
    reason: str,
    person: str = "",
    person_user: User | None = None,
    measure: str = "",
    problem: Problem | None = None,
) -> Accountability:
    """Record an accountability decision against a department of the campaign's unit, and
    against one of its people when `person_user` is given (they lose 个人评优资格)."""
    errors: dict[str, str] = {}
    if department is None or not _is_department_of(campaign, department):
        errors["department"] = "请选择本单位的一个部门作为被追责部门。"
    elif person_user is not None and not is_member_of(person_user, department):
        errors["person_user"] = (
            f"{person_user.get_full_name() or person_user.username}不是{department.name}的人员，"
            "请选择该部门的人员。"
        )
    if message := _decided_on_errors(decided_on, "追责"):
        errors["decided_on"] = message
    reason = _text(reason)
    if not reason:
        errors["reason"] = "请写明追责事由，例如“问题逾期30天未整改”。"
    person, measure = _text(person), _text(measure)
    if not person and person_user is not None:
        person = person_user.get_full_name() or person_user.username
    if len(person) > 100:
        errors["person"] = "被追责人员最多100个字。"
    if len(measure) > 100:
        errors["measure"] = "处理方式最多100个字。"
    if problem is not None:
        if problem.campaign_id != campaign.pk or problem.removed_at is not None:
            errors["problem"] = "所选问题不属于本次创建工作，请重新选择。"
        elif department is not None and problem.department_id != department.pk:
            errors["problem"] = f"问题 {problem.number} 的责任部门不是所选部门，请重新选择。"
    if errors:
        raise ValidationError(errors)
    assert department is not None and decided_on is not None
    with transaction.atomic():
        return Accountability.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            department=department,
            problem=problem,
            decided_on=decided_on,
            person=person,
            person_user=person_user,
            reason=reason,
            measure=measure,
            recorded_by=user,
        )


def accountability_remove(*, record: Accountability, user: User, reason: str) -> None:
    """Withdraw a record entered by mistake (or revoked): kept, with why, never shown again."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明撤销的原因，例如“录入错误”或“追责决定已撤销”。"})
    who = user.get_full_name() or user.username
    with transaction.atomic():
        removal = {"removed_at": timezone.now(), "removed_reason": f"{reason}（{who}撤销）"}
        updated = Accountability.objects.live().filter(pk=record.pk).update(**removal)
        if updated == 0:
            raise ValidationError("该追责记录已被撤销，请刷新页面。")
        trace.record_update(record, **removal)


# --- commendations (表彰奖励) ---------------------------------------------------------------


def person_department(campaign: Campaign, person: User) -> Organization | None:
    """The first of the unit's active departments `person` holds a post in."""
    return (
        campaign.unit.active_departments()
        .filter(memberships__user=person, memberships__is_active=True)
        .first()
    )


def commendation_record(
    *,
    campaign: Campaign,
    user: User,
    department: Organization | None,
    person: User | None,
    decided_on: datetime.date | None,
    title: str,
    reason: str,
) -> Commendation:
    """Record a commendation for a department of the campaign's unit, or for one of its
    people (then `department` is theirs, which they must belong to)."""
    errors: dict[str, str] = {}
    if department is None and person is not None:
        department = person_department(campaign, person)
    name = (person.get_full_name() or person.username) if person is not None else ""
    if department is None and person is None:
        errors["department"] = "请选择受表彰的部门或人员。"
    elif department is None:
        errors["person"] = f"{name}不是本单位部门的人员，请重新选择。"
    elif not _is_department_of(campaign, department):
        errors["department"] = "请选择本单位的一个部门（表彰个人时选择其所在部门）。"
    elif person is not None and not is_member_of(person, department):
        errors["person"] = f"{name}不是{department.name}的人员，请选择该部门的人员。"
    if message := _decided_on_errors(decided_on, "表彰"):
        errors["decided_on"] = message
    title, reason = _text(title), _text(reason)
    if not title:
        errors["title"] = "请填写表彰名称，例如“创建工作先进个人”。"
    elif len(title) > 100:
        errors["title"] = "表彰名称最多100个字。"
    if not reason:
        errors["reason"] = "请写明事迹或表彰理由。"
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None
    with transaction.atomic():
        return Commendation.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            department=department,
            person=person,
            decided_on=decided_on,
            title=title,
            reason=reason,
            recorded_by=user,
        )


def commendation_remove(*, record: Commendation, user: User, reason: str) -> None:
    """Withdraw a commendation entered by mistake (or revoked): kept, with why."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明撤销的原因，例如“录入错误”或“表彰决定已撤销”。"})
    who = user.get_full_name() or user.username
    with transaction.atomic():
        removal = {"removed_at": timezone.now(), "removed_reason": f"{reason}（{who}撤销）"}
        updated = Commendation.objects.live().filter(pk=record.pk).update(**removal)
        if updated == 0:
            raise ValidationError("该表彰记录已被撤销，请刷新页面。")
        trace.record_update(record, **removal)

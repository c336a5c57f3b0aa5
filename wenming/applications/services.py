"""Writes for applications (申报): batches, and every step of an application from the unit's
submission to the office's 命名.

Keyword-only arguments, `user` is the actor. Every refusal is a `ValidationError` keyed by
form field (or without a field, for the state of the application) with a Chinese sentence
that says what to fix; a refused call changes nothing, in the database or in storage. Access
is checked by the callers through `wenming.applications.access`; the rules here are about
the data. Every step adds an `ApplicationEvent` whose comment the unit sees.

Status changes lock the application's row and check the status it has under lock, so of two
people acting on the same application at once the second is told what happened first.
Publicity and naming lock the batch's row too: the quota is counted under that lock.

The eligibility rules live in `eligibility`, the frozen ledger in `snapshot`; both are
re-exported here.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from wenming.applications import access
from wenming.applications.checks import (
    S,
    add_event,
    check_length,
    date_words,
    int_in,
    lock,
    named_count,
    raise_errors,
    refresh,
    reject,
    round_total,
    text,
    today,
)
from wenming.applications.decisions import (
    batch_name,
    consultation_finish,
    field_assessment_record,
    field_round_open,
    objection_answer,
    objection_record,
    opinion_record,
    publicity_start,
)
from wenming.applications.eligibility import (
    RuleResult,
    check_eligibility,
    level_label,
    level_rank,
    refusals,
)
from wenming.applications.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationEventKind,
    ApplicationStatus,
    Batch,
    EligibilityRule,
    RuleKind,
)
from wenming.applications.snapshot import freeze_snapshot
from wenming.frameworks.models import Framework
from wenming.orgs import services as org_services
from wenming.orgs.access import path_q, scope_for
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import Level, RegistryEntry
from wenming.scoring.models import RoundKind, RoundStatus, ScoringRound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

__all__ = [
    "BATCH_FIELDS",
    "FORM_FIELDS",
    "RuleResult",
    "batch_name",
    "check_eligibility",
    "consultation_finish",
    "field_assessment_record",
    "field_round_open",
    "freeze_snapshot",
    "objection_answer",
    "objection_record",
    "opinion_record",
    "publicity_start",
]

BATCH_FIELDS = (
    "year", "title", "honour_title", "level", "term_years", "batch_label", "opens_on",
    "closes_on", "quota", "materials", "framework", "summary_limit", "publicity_days", "note",
)  # fmt: skip
# The 申报表 fields a unit fills in (`application_submit`, `application_resubmit`).
FORM_FIELDS = (
    "principal_name", "contact_name", "contact_phone", "address", "staff_count",
    "party_member_count", "volunteer_count", "basic_facts", "summary",
)  # fmt: skip
OPEN_STATUSES = tuple(s for s in ApplicationStatus if s not in CLOSED_STATUSES)
FIRST_YEAR = 2000
MAX_RULE_YEARS = 10
MAX_PUBLICITY_DAYS = 30
MAX_SUMMARY_LIMIT = 50_000


# --- batches ---------------------------------------------------------------------------------


def _clean_batch(fields: dict[str, Any], current: Batch | None) -> dict[str, Any]:
    """The batch's fields, checked together (`current` supplies those not given)."""
    unknown = set(fields) - set(BATCH_FIELDS)
    if unknown:
        raise TypeError(f"unexpected batch fields: {sorted(unknown)}")
    merged = {name: getattr(current, name) for name in BATCH_FIELDS} if current else {}
    merged.update(fields)
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, label, limit in (
        ("title", "批次名称", 100),
        ("honour_title", "申报称号", 40),
        ("batch_label", "命名批次", 40),
    ):
        out[name] = text(merged.get(name))
        check_length(errors, name, out[name], label, limit)
    if not out["title"]:
        errors["title"] = "请填写批次名称，例如“2026年度市级文明单位申报”。"
    if not out["honour_title"]:
        errors["honour_title"] = "请填写申报称号，例如“市级文明单位”。"
    out["materials"] = text(merged.get("materials"))
    out["note"] = text(merged.get("note"))
    this_year = today().year
    out["year"] = int_in(errors, "year", merged.get("year"), "年度", FIRST_YEAR, this_year + 1)
    if out["year"] is None and "year" not in errors:
        errors["year"] = "请填写年度，例如 2026。"
    out["level"] = text(merged.get("level"))
    if out["level"] not in Level.values:
        errors["level"] = "请选择级别：县级、市级、省级或全国。"
    out["term_years"] = int_in(errors, "term_years", merged.get("term_years") or 3, "有效期", 2, 5)
    if out["term_years"] not in (2, 3, 5):
        errors["term_years"] = "有效期只能是2年、3年或5年。"
    _clean_window(errors, out, merged)
    out["quota"] = int_in(errors, "quota", merged.get("quota"), "命名名额", 1, 100_000)
    if out["quota"] is None and "quota" not in errors:
        errors["quota"] = "请填写命名名额，例如 20。"
    limit = merged.get("summary_limit") or 3000
    out["summary_limit"] = int_in(
        errors, "summary_limit", limit, "创建工作总结字数上限", 100, MAX_SUMMARY_LIMIT
    )
    days = merged.get("publicity_days") or 5
    out["publicity_days"] = int_in(
        errors, "publicity_days", days, "公示期（工作日）", 1, MAX_PUBLICITY_DAYS
    )
    framework = merged.get("framework")
    if framework is not None and not isinstance(framework, Framework):
        errors["framework"] = "请从列表中选择测评体系。"
    out["framework"] = framework
    raise_errors(errors)
    return out


def _clean_window(errors: dict[str, str], out: dict[str, Any], merged: dict[str, Any]) -> None:
    for name, label in (("opens_on", "申报开始日期"), ("closes_on", "申报截止日期")):
        value = merged.get(name)
        if not isinstance(value, datetime.date):
            errors[name] = f"请填写{label}。"
        out[name] = value
    if (
        "opens_on" not in errors
        and "closes_on" not in errors
        and out["closes_on"] < out["opens_on"]
    ):
        errors["closes_on"] = "申报截止日期不能早于申报开始日期。"


def _clean_rules(rules: list[dict[str, Any]], level: str) -> list[EligibilityRule]:
    """The rules as unsaved rows; errors under `rules` name the rule that is wrong."""
    problems: list[str] = []
    seen: set[str] = set()
    out = []
    for raw in rules:
        kind = text(raw.get("kind"))
        if kind not in RuleKind.values:
            problems.append("申报条件的类型不正确，请重新选择。")
            continue
        label = RuleKind(kind).label
        if kind in seen:
            problems.append(f"申报条件“{label}”重复，每个批次只设一条。")
            continue
        seen.add(kind)
        row = EligibilityRule(kind=kind)
        local: dict[str, str] = {}
        if kind in (RuleKind.HOLDS_LOWER, RuleKind.NO_VETO):
            row.years = int_in(
                local, "years", raw.get("years"), f"“{label}”的年数", 1, MAX_RULE_YEARS
            )
            if row.years is None and not local:
                local["years"] = f"请填写“{label}”的年数。"
        if kind == RuleKind.HOLDS_LOWER:
            row.level = text(raw.get("level"))
            if row.level not in Level.values:
                local["level"] = f"请选择“{label}”要求的级别。"
            elif level in Level.values and level_rank(row.level) > level_rank(level):
                # The same level is allowed: 市级文明单位 before 市级文明单位标兵.
                local["level"] = (
                    f"“{label}”要求的级别（{level_label(row.level)}）不能高于"
                    f"申报级别（{level_label(level)}）。"
                )
        if kind == RuleKind.MIN_STAFF:
            row.number = int_in(local, "number", raw.get("number"), "职工人数下限", 1, 1_000_000)
            if row.number is None and not local:
                local["number"] = "请填写职工人数下限，例如 30。"
        problems.extend(local.values())
        out.append(row)
    if problems:
        raise ValidationError({"rules": problems})
    return out


def _save_rules(batch: Batch, rules: list[EligibilityRule]) -> None:
    EligibilityRule.objects.filter(batch=batch).delete()
    for row in rules:
        row.batch = batch
    EligibilityRule.objects.bulk_create(rules)


def batch_create(
    *, office: Organization, user: User | None, rules: list[dict[str, Any]], **fields: Any
) -> Batch:
    """Open a batch: one honour at one level, its window, quota and rules as data."""
    if office.kind != OrgKind.OFFICE or not office.is_active:
        raise ValidationError({"office": "请选择一个启用中的文明办。"})
    cleaned = _clean_batch(fields, None)
    checked = _clean_rules(rules, cleaned["level"])
    with transaction.atomic():
        batch = Batch.objects.create(office=office, created_by=user, **cleaned)
        _save_rules(batch, checked)
    return batch


def batch_update(
    *,
    batch: Batch,
    user: User | None,
    rules: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Batch:
    """Change a batch (fields not given keep their value; `rules` None keeps the rules).
    Refused once the batch has named units."""
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.removed_at is not None:
            raise ValidationError("该申报批次已删除，不能修改。")
        named = named_count(locked)
        if locked.named_on is not None or named:
            raise ValidationError("该批次已命名，不能再修改。")
        cleaned = _clean_batch(fields, locked)
        checked = _clean_rules(rules, cleaned["level"]) if rules is not None else None
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        if checked is not None:
            _save_rules(locked, checked)
    return locked


def batch_remove(*, batch: Batch, user: User | None) -> None:
    """Take a batch out of the lists (soft); refused while it has applications not withdrawn."""
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.removed_at is not None:
            return
        count = Application.objects.filter(batch=locked).exclude(status=S.WITHDRAWN).count()
        if count:
            raise ValidationError(f"该批次已有{count}份申报，不能删除。")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at", "updated_at"])
        batch.removed_at = locked.removed_at


# --- the unit's side: submit, resubmit, withdraw -----------------------------------------------


def latest_self_round(unit: Organization) -> ScoringRound | None:
    """The unit's latest finished 自评 round, in any of its campaigns."""
    return (
        ScoringRound.objects.live()
        .filter(campaign__unit=unit, kind=RoundKind.SELF, status=RoundStatus.FINISHED)
        .order_by("-scored_on", "-finished_at", "-id")
        .first()
    )


def _clean_form(form: dict[str, Any], batch: Batch) -> dict[str, Any]:
    """The 申报表 fields, checked (all required fields must be given)."""
    unknown = set(form) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unexpected form fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, label, limit in (
        ("principal_name", "单位主要负责人", 40),
        ("contact_name", "联系人", 40),
        ("contact_phone", "联系电话", 20),
        ("address", "单位地址", 200),
    ):
        out[name] = text(form.get(name))
        check_length(errors, name, out[name], label, limit)
        if not out[name] and name != "address":
            errors[name] = f"请填写{label}。"
    if "contact_phone" not in errors and not org_services.phone_is_valid(out["contact_phone"]):
        errors["contact_phone"] = org_services.PHONE_ERROR
    for name, label in (
        ("staff_count", "职工人数"),
        ("party_member_count", "党员人数"),
        ("volunteer_count", "注册志愿者人数"),
    ):
        out[name] = int_in(errors, name, form.get(name), label, 0, 1_000_000)
    if out["staff_count"] is None and "staff_count" not in errors:
        errors["staff_count"] = "请填写职工人数。"
    out["basic_facts"] = text(form.get("basic_facts"))
    out["summary"] = text(form.get("summary"))
    length = len(out["summary"])
    if not length:
        errors["summary"] = "请填写创建工作总结。"
    elif length > batch.summary_limit:
        errors["summary"] = (
            f"创建工作总结不能超过{batch.summary_limit}字（现为{length}字），请精简后再提交。"
        )
    raise_errors(errors)
    return out


def _check_window(batch: Batch, day: datetime.date) -> None:
    if batch.removed_at is not None:
        raise ValidationError("该申报批次已删除，不能申报。")
    if batch.named_on is not None:
        raise ValidationError("该批次已命名，不能再申报。")
    if not batch.opens_on <= day <= batch.closes_on:
        raise ValidationError(
            f"申报时间为{date_words(batch.opens_on)}至{date_words(batch.closes_on)}，现在不能申报。"
        )


def entry_for(batch: Batch, unit: Organization) -> RegistryEntry | None:
    """The unit's live entry in the registry of the batch's office or an office below it."""
    return (
        RegistryEntry.objects.live()
        .select_related("unit", "office")
        .filter(unit=unit, office__path__startswith=batch.office.path)
        .first()
    )


def _eligible(batch: Batch, entry: RegistryEntry, day: datetime.date, staff: int | None) -> list:
    results = check_eligibility(batch=batch, entry=entry, day=day, staff_count=staff)
    reasons = refusals(results)
    if reasons:
        staff_reasons = [r.reason for r in results if not r.ok and r.kind == RuleKind.MIN_STAFF]
        others = [r for r in reasons if r not in staff_reasons]
        errors: dict[str, list[str]] = {}
        if others:
            errors[NON_FIELD_ERRORS] = ["不符合申报条件：" + "；".join(others) + "。"]
        if staff_reasons:
            errors["staff_count"] = [f"不符合申报条件：{staff_reasons[0]}。"]
        raise ValidationError(errors)
    return [r.as_dict() for r in results]


def application_submit(
    *,
    batch: Batch,
    unit: Organization,
    user: User | None,
    day: datetime.date | None = None,
    **form: Any,
) -> Application:
    """A unit applies: its 申报表 and 创建工作总结, its latest self-assessment, its ledger frozen.

    Refused outside the window, for a unit not in the office's registry, an ineligible unit
    (with every reason), a second application to the same batch, a summary over the limit.
    """
    day = day or today()
    cleaned = _clean_form(form, batch)
    try:
        with transaction.atomic():
            locked = Batch.objects.select_for_update().select_related("office").get(pk=batch.pk)
            _check_window(locked, day)
            entry = entry_for(locked, unit)
            if entry is None:
                raise ValidationError(
                    f"“{unit.name}”不在“{locked.office.name}”的文明单位名录中，"
                    "请先联系文明办登记后再申报。"
                )
            _check_duplicate(locked, unit)
            eligibility = _eligible(locked, entry, day, cleaned["staff_count"])
            round_ = latest_self_round(unit)
            application = Application.objects.create(
                batch=locked,
                entry=entry,
                unit=unit,
                status=S.SUBMITTED,
                self_round=round_,
                self_total=round_total(round_),
                eligibility=eligibility,
                created_by=user,
                submitted_at=timezone.now(),
                **cleaned,
            )
            count = freeze_snapshot(application)
            add_event(application, user, ApplicationEventKind.SUBMITTED, f"冻结台账{count}条。")
            return application
    except IntegrityError as exc:  # a concurrent submission won the race
        raise ValidationError("本单位刚刚已在该批次提交申报，请刷新后查看。") from exc


def _check_duplicate(batch: Batch, unit: Organization) -> None:
    existing = (
        Application.objects.filter(batch=batch, unit=unit).exclude(status=S.WITHDRAWN).first()
    )
    if existing is not None:
        raise ValidationError(
            f"本单位已在该批次申报（当前状态：{existing.get_status_display()}），不能重复申报。"
        )


def application_resubmit(
    *, application: Application, user: User | None, **form: Any
) -> Application:
    """After 退回补充, by the deadline: the form again (fields not given keep their value),
    eligibility checked again, the ledger frozen again."""
    with transaction.atomic():
        locked = lock(
            application,
            (S.RETURNED,),
            "修改：申报材料提交后即冻结，只有文明办退回补充后才能修改并重新提交",
        )
        day = today()
        deadline = locked.supplement_deadline
        if deadline is not None and day > deadline:
            raise ValidationError(
                f"补充材料截止日期为{date_words(deadline)}，已过期，不能再提交；请联系文明办。"
            )
        current = {name: getattr(locked, name) for name in FORM_FIELDS}
        cleaned = _clean_form({**current, **form}, locked.batch)
        locked.eligibility = _eligible(locked.batch, locked.entry, day, cleaned["staff_count"])
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.self_round = latest_self_round(locked.unit)
        locked.self_total = round_total(locked.self_round)
        locked.status = S.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save()
        count = freeze_snapshot(locked)
        add_event(locked, user, ApplicationEventKind.RESUBMITTED, f"重新冻结台账{count}条。")
    return refresh(application, locked)


def application_withdraw(
    *, application: Application, user: User | None, reason: str
) -> Application:
    """The unit takes its application back, before 初审 passes it."""
    if not text(reason):
        raise ValidationError({"reason": "请填写撤回原因。"})
    with transaction.atomic():
        locked = lock(
            application,
            (S.SUBMITTED, S.RETURNED),
            "撤回：初审通过后不能撤回，如有特殊情况请联系文明办",
        )
        locked.status = S.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        add_event(locked, user, ApplicationEventKind.WITHDRAWN, text(reason))
    return refresh(application, locked)


# --- the office's side: 初审 ------------------------------------------------------------------


def application_return(
    *, application: Application, user: User | None, comment: str, deadline: datetime.date | None
) -> Application:
    """初审: back to the unit for supplement, with what to supplement and a deadline."""
    errors: dict[str, str] = {}
    if not text(comment):
        errors["comment"] = "请写明需要补充的内容，单位将看到这段说明。"
    if deadline is None:
        errors["deadline"] = "请填写补充材料截止日期。"
    elif deadline < today():
        errors["deadline"] = "补充材料截止日期不能早于今天。"
    raise_errors(errors)
    with transaction.atomic():
        locked = lock(application, (S.SUBMITTED,), "退回补充")
        locked.status = S.RETURNED
        locked.supplement_deadline = deadline
        locked.save(update_fields=["status", "supplement_deadline", "updated_at"])
        assert deadline is not None
        add_event(
            locked,
            user,
            ApplicationEventKind.RETURNED,
            f"{text(comment)}（请于{date_words(deadline)}前补充后重新提交）",
        )
    return refresh(application, locked)


def application_accept(
    *, application: Application, user: User | None, comment: str = ""
) -> Application:
    with transaction.atomic():
        locked = lock(application, (S.SUBMITTED,), "初审通过")
        locked.status = S.ACCEPTED
        locked.save(update_fields=["status", "updated_at"])
        add_event(locked, user, ApplicationEventKind.ACCEPTED, text(comment))
    return refresh(application, locked)


def application_reject(*, application: Application, user: User | None, comment: str) -> Application:
    """Not passed, at any step before 命名; the reason is required (the unit sees it)."""
    if not text(comment):
        raise ValidationError({"comment": "请填写不予通过的原因，单位将看到这段说明。"})
    with transaction.atomic():
        locked = lock(application, OPEN_STATUSES, "作出不予通过的决定")
        reject(locked, user, text(comment))
    return refresh(application, locked)


# --- the office's queues ----------------------------------------------------------------------


def queue_counts(user: User | AnonymousUser) -> dict[str, int]:
    """The office home's 申报 queues over the batches the user manages, in one query:
    to_check 待初审, to_assess 待实地测评, to_consult 待征求意见, in_publicity 公示期内,
    to_name 待命名 (意见已征求，或公示期已满)."""
    keys = ("to_check", "to_assess", "to_consult", "in_publicity", "to_name")
    if not access.manages_any_batch(user):
        return dict.fromkeys(keys, 0)
    day = today()
    qs = Application.objects.filter(batch__removed_at__isnull=True)
    if not scope_for(user).is_superuser:
        paths = tuple(access.managed_offices(user).values_list("path", flat=True))
        qs = qs.filter(path_q(paths, "batch__office__path"))
    counts = qs.aggregate(
        to_check=Count("pk", filter=Q(status=S.SUBMITTED)),
        to_assess=Count("pk", filter=Q(status=S.ACCEPTED)),
        to_consult=Count("pk", filter=Q(status=S.ASSESSED)),
        in_publicity=Count("pk", filter=Q(status=S.PUBLICIZED, publicity_ends_on__gte=day)),
        to_name=Count(
            "pk",
            filter=Q(status=S.CONSULTED) | Q(status=S.PUBLICIZED, publicity_ends_on__lt=day),
        ),
    )
    return {key: int(counts[key] or 0) for key in keys}

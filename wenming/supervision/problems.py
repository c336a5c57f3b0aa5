"""Writes for the office's inspections of its units and the problems it dispatches (交办).

Keyword-only arguments; `user` is the actor. Every refusal is a `ValidationError` with a
Chinese sentence (keyed by form field where one is to blame) that says what to fix, and a
refused call changes nothing, in the database or in storage: files are inspected before
anything is stored, stored inside the transaction and removed again if it fails. Access is
checked by the callers through `wenming.supervision.access`; the rules here are about the data.

A dispatched problem's life: 待单位整改 (dispatched) → 单位整改中 (assigned: the unit's 创建办
put it into the unit's own problem workflow, `oversight.Problem`, linked as `unit_problem`)
→ 待文明办验收 (awaiting: the unit reported its rectification, directly or once its own
problem was closed) → 已销号 (closed: only the office). The office may return a report
(back to dispatched) or withdraw the problem (撤回: `removed_at`, never closed). Every step
locks the problem's row and checks its status under lock, so of two people acting at once
the second is told what happened first; every step writes a `CityProblemEvent`.

An inspection recorded by mistake is removed (`inspection_remove`: `removed_at`, kept) only
while no live problem hangs from it: the office withdraws them first. Dispatching locks the
inspection's row, so a problem is never dispatched from an inspection being removed.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from wenming.campaigns.models import Campaign, CampaignStatus
from wenming.ledger.intake import Inspected, atomic_with_files, inspect_all
from wenming.orgs.models import Organization
from wenming.oversight import services as oversight
from wenming.oversight.models import ProblemStatus, Severity
from wenming.supervision import access
from wenming.supervision.models import (
    CityInspection,
    CityProblem,
    CityProblemAction,
    CityProblemEvent,
    CityProblemFile,
    CityProblemFileKind,
    CityProblemStatus,
    InspectionKind,
    overdue_q,
)

TEXT_LIMIT = 2000
NOT_IN_REGISTRY = (
    "该单位不在本文明办的文明单位名录中，请从名录中的单位里选择（先在“文明单位名录”中登记该单位）。"
)
NO_CAMPAIGN = "本单位目前没有进行中的创建工作，不能转入本单位整改。请直接填写整改情况报送文明办。"
UNIT_PROBLEM_OPEN = (
    "该问题已转入本单位整改（{number}，当前状态：{status}）。请先在本单位督查整改中完成整改并"
    "销号，再向文明办报送整改情况。"
)


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: Any) -> str:
    return str(value or "").strip()


def _check_length(errors: dict[str, str], field: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = f"{label}不能超过{limit}个字，请精简后再保存。"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- inspections -------------------------------------------------------------------------------


def inspection_create(
    *,
    office: Organization,
    user: User,
    unit: Organization | None,
    kind: str,
    inspected_on: datetime.date | None,
    inspectors: str,
    place: str = "",
    summary: str = "",
) -> CityInspection:
    """Record a visit (明查 or 暗访) to a unit the office keeps in its registry."""
    errors: dict[str, str] = {}
    if unit is None or not access.office_units(office).filter(pk=unit.pk).exists():
        errors["unit"] = NOT_IN_REGISTRY
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择督查方式：明查或暗访。"
    if inspected_on is None:
        errors["inspected_on"] = "请填写督查日期。"
    elif inspected_on > _today():
        errors["inspected_on"] = "督查日期不能晚于今天。"
    values = {"inspectors": _text(inspectors), "place": _text(place), "summary": _text(summary)}
    if not values["inspectors"]:
        errors["inspectors"] = "请填写督查人员，例如“张伟、李娜”。"
    _check_length(errors, "inspectors", values["inspectors"], "督查人员", 200)
    _check_length(errors, "place", values["place"], "督查地点", 200)
    _check_length(errors, "summary", values["summary"], "督查情况", TEXT_LIMIT * 5)
    _raise(errors)
    assert unit is not None and inspected_on is not None
    return CityInspection.objects.create(
        office=office,
        unit=unit,
        kind=kind,
        inspected_on=inspected_on,
        recorded_by=user,
        **values,
    )


def inspection_remove(*, inspection: CityInspection, user: User) -> None:
    """删除督查记录 (kept, no longer shown): refused while problems dispatched from it are live
    (withdrawn ones do not count; closed ones stay for good)."""
    with transaction.atomic():
        locked = CityInspection.objects.select_for_update().filter(pk=inspection.pk).first()
        if locked is None or locked.removed_at is not None:
            raise ValidationError("该督查记录已删除，请刷新页面。")
        live = CityProblem.objects.live().filter(inspection=locked)
        found = live.aggregate(
            n=Count("pk"), closed=Count("pk", filter=Q(status=CityProblemStatus.CLOSED))
        )
        if found["closed"]:
            raise ValidationError(
                f"该次督查已交办{found['n']}个问题，其中{found['closed']}个已验收销号、不能撤回，"
                "这次督查记录不能删除。"
            )
        if found["n"]:
            raise ValidationError(
                f"该次督查已交办{found['n']}个问题，请先撤回这些问题再删除督查记录。"
            )
        locked.removed_at, locked.removed_by = timezone.now(), user
        locked.save(update_fields=["removed_at", "removed_by"])


# --- files -------------------------------------------------------------------------------------


def _store(
    problem: CityProblem, checked: list[Inspected], purpose: str, user: User, stored: list[str]
) -> None:
    """Save files and their records inside the caller's transaction; names go into `stored`
    as soon as they exist, so `atomic_with_files` can remove them if anything fails."""
    for entry in checked:
        record = CityProblemFile(
            problem=problem,
            unit_id=problem.unit_id,
            year=problem.year,
            purpose=purpose,
            uploaded_by=user,
        )
        record.store(entry, stored)


# --- dispatching -------------------------------------------------------------------------------


def _next_sequence(office: Organization, year: int) -> int:
    # The office's row is locked first, so two dispatchers at once number one after the other.
    Organization.objects.select_for_update().filter(pk=office.pk).first()
    found = CityProblem.objects.filter(office=office, year=year).aggregate(m=Max("sequence"))
    return int(found["m"] or 0) + 1


def _event(
    problem: CityProblem, user: User, action: str, from_status: str, to_status: str, comment: str
) -> None:
    CityProblemEvent.objects.create(
        problem=problem,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def _check_dispatch(
    inspection: CityInspection,
    description: str,
    deadline: datetime.date | None,
    severity: str,
    place: str,
) -> None:
    errors: dict[str, str] = {}
    if inspection.removed_at is not None:
        raise ValidationError("该督查记录已删除，不能再交办问题。")
    if not description:
        errors["description"] = "请描述发现的问题，例如“大厅公益广告破损未更换”。"
    _check_length(errors, "description", description, "问题描述", TEXT_LIMIT)
    _check_length(errors, "place", place, "问题位置", 200)
    if severity not in Severity.values:
        errors["severity"] = "请选择严重程度：一般、较重或严重。"
    if deadline is None:
        errors["deadline"] = "请填写整改时限。"
    elif deadline < inspection.inspected_on:
        errors["deadline"] = (
            f"整改时限不能早于督查日期（{inspection.inspected_on:%Y年%m月%d日}），请重新选择。"
        )
    _raise(errors)


def problem_dispatch(
    *,
    inspection: CityInspection,
    user: User,
    description: str,
    deadline: datetime.date | None,
    severity: str = Severity.GENERAL,
    place: str = "",
    uploads: Sequence[UploadedFile] = (),
) -> CityProblem:
    """Dispatch a problem found in the inspection to the unit, with its photos (SD-YYYY-NNN)."""
    description, place = _text(description), _text(place)
    _check_dispatch(inspection, description, deadline, severity, place)
    assert deadline is not None
    checked = inspect_all(uploads, photos_only=True)
    year = inspection.inspected_on.year

    def work(stored: list[str]) -> CityProblem:
        # The inspection's row, locked: it is not being removed meanwhile.
        current = CityInspection.objects.select_for_update().filter(pk=inspection.pk).first()
        if current is None or current.removed_at is not None:
            raise ValidationError("该督查记录已删除，不能再交办问题。")
        problem = CityProblem.objects.create(
            inspection=inspection,
            office_id=inspection.office_id,
            unit_id=inspection.unit_id,
            year=year,
            sequence=_next_sequence(inspection.office, year),
            description=description,
            place=place,
            severity=severity,
            deadline=deadline,
            created_by=user,
        )
        _store(problem, checked, CityProblemFileKind.PROBLEM, user, stored)
        _event(
            problem,
            user,
            CityProblemAction.DISPATCHED,
            "",
            CityProblemStatus.DISPATCHED,
            f"交{inspection.unit.name}于{deadline:%Y年%m月%d日}前整改",
        )
        return problem

    result: CityProblem = atomic_with_files(work)
    return result


# --- the steps ------------------------------------------------------------------------------


def _lock(problem: CityProblem) -> CityProblem:
    """The problem's row, locked; refused when it was withdrawn meanwhile."""
    locked = (
        CityProblem.objects.select_for_update(of=("self",))
        .select_related("unit", "office", "unit_problem")
        .filter(pk=problem.pk)
        .first()
    )
    if locked is None or locked.removed_at is not None:
        raise ValidationError("该问题已被文明办撤回，请刷新页面。")
    return locked


def _expect(locked: CityProblem, allowed: Sequence[str], verb: str) -> None:
    if locked.status not in allowed:
        raise ValidationError(
            f"该问题当前为“{locked.get_status_display()}”，不能{verb}。可能已有人办理，请刷新页面。"
        )


def _save(locked: CityProblem, fields: dict[str, Any]) -> CityProblem:
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    return locked


def unit_campaign(unit: Organization) -> Campaign | None:
    """The unit's current campaign that is not over: where its own problems are booked."""
    return (
        Campaign.objects.filter(unit=unit, is_active=True)
        .exclude(status=CampaignStatus.CLOSED)
        .select_related("unit")
        .first()
    )


def _unit_problem_open(locked: CityProblem) -> bool:
    linked = locked.unit_problem
    return (
        linked is not None and linked.removed_at is None and linked.status != ProblemStatus.CLOSED
    )


def problem_assign(
    *,
    problem: CityProblem,
    user: User,
    department: Organization | None,
    deadline: datetime.date | None = None,
) -> CityProblem:
    """The unit's 创建办 puts the problem into the unit's own workflow: a problem of the
    unit's current campaign, given to one of its departments, due by the office's deadline."""
    campaign = unit_campaign(problem.unit)
    if campaign is None:
        raise ValidationError(NO_CAMPAIGN)
    due = deadline or problem.deadline
    if due > problem.deadline:
        raise ValidationError(
            {
                "deadline": f"本单位整改时限不能晚于文明办的整改时限（{problem.deadline:%Y年%m月%d日}）。"
            }
        )
    if due < _today():
        raise ValidationError({"deadline": "本单位整改时限不能早于今天，请重新选择。"})
    with transaction.atomic():
        locked = _lock(problem)
        # Assigned to a unit problem that the unit removed since: it may be assigned again.
        if not (locked.status == CityProblemStatus.ASSIGNED and not _unit_problem_open(locked)):
            _expect(locked, [CityProblemStatus.DISPATCHED], "转入本单位整改")
        before = locked.status
        unit_problem = oversight.problem_create(
            campaign=campaign,
            user=user,
            description=f"【{locked.office.name}交办 {locked.number}】{locked.description}",
            department=department,
            deadline=due,
            severity=locked.severity,
            place=locked.place,
        )
        assert department is not None
        _save(locked, {"status": CityProblemStatus.ASSIGNED, "unit_problem": unit_problem})
        _event(
            locked,
            user,
            CityProblemAction.ASSIGNED,
            before,
            CityProblemStatus.ASSIGNED,
            f"转入本单位问题 {unit_problem.number}，责任部门：{department.name}，"
            f"本单位整改时限：{due:%Y-%m-%d}",
        )
    return locked


def problem_submit(
    *, problem: CityProblem, user: User, note: str, uploads: Sequence[UploadedFile] = ()
) -> CityProblem:
    """The unit's 创建办 reports the rectification to the office (待文明办验收)."""
    note = _text(note)
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = "请填写整改情况：做了什么、整改到什么程度。"
    _check_length(errors, "note", note, "整改情况", TEXT_LIMIT)
    _raise(errors)
    checked = inspect_all(uploads, photos_only=False)

    def work(stored: list[str]) -> CityProblem:
        locked = _lock(problem)
        _expect(
            locked,
            [CityProblemStatus.DISPATCHED, CityProblemStatus.ASSIGNED],
            "报送整改情况",
        )
        if locked.status == CityProblemStatus.ASSIGNED and _unit_problem_open(locked):
            linked = locked.unit_problem
            assert linked is not None
            raise ValidationError(
                UNIT_PROBLEM_OPEN.format(number=linked.number, status=linked.get_status_display())
            )
        before = locked.status
        _save(
            locked,
            {
                "status": CityProblemStatus.AWAITING,
                "rectification_note": note,
                "rectified_at": timezone.now(),
                "rectified_by": user,
            },
        )
        _store(locked, checked, CityProblemFileKind.RECTIFICATION, user, stored)
        _event(locked, user, CityProblemAction.SUBMITTED, before, CityProblemStatus.AWAITING, note)
        return locked

    result: CityProblem = atomic_with_files(work)
    return result


def problem_verify(*, problem: CityProblem, user: User, comment: str = "") -> CityProblem:
    """The office verifies the rectification: the problem is closed (销号)."""
    comment = _text(comment)
    errors: dict[str, str] = {}
    _check_length(errors, "comment", comment, "验收意见", TEXT_LIMIT)
    _raise(errors)
    with transaction.atomic():
        locked = _lock(problem)
        _expect(locked, [CityProblemStatus.AWAITING], "验收销号")
        _save(
            locked,
            {"status": CityProblemStatus.CLOSED, "closed_at": timezone.now(), "verified_by": user},
        )
        _event(
            locked,
            user,
            CityProblemAction.VERIFIED,
            CityProblemStatus.AWAITING,
            CityProblemStatus.CLOSED,
            comment,
        )
    return locked


def problem_return(*, problem: CityProblem, user: User, reason: str) -> CityProblem:
    """The office finds the rectification wanting: back to the unit with the reason."""
    reason = _text(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "请写明验收未通过的原因，告诉单位还要整改什么。"
    _check_length(errors, "reason", reason, "退回原因", TEXT_LIMIT)
    _raise(errors)
    with transaction.atomic():
        locked = _lock(problem)
        _expect(locked, [CityProblemStatus.AWAITING], "退回")
        _save(
            locked,
            {
                "status": CityProblemStatus.DISPATCHED,
                "return_reason": reason,
                "return_count": locked.return_count + 1,
            },
        )
        _event(
            locked,
            user,
            CityProblemAction.RETURNED,
            CityProblemStatus.AWAITING,
            CityProblemStatus.DISPATCHED,
            reason,
        )
    return locked


def problem_remove(*, problem: CityProblem, user: User, reason: str) -> None:
    """Withdraw a problem dispatched by mistake (撤回): kept, no longer shown, never closed."""
    reason = _text(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "请写明撤回的原因，例如“重复交办”。"
    _check_length(errors, "reason", reason, "撤回原因", TEXT_LIMIT)
    _raise(errors)
    with transaction.atomic():
        locked = _lock(problem)
        if locked.status == CityProblemStatus.CLOSED:
            raise ValidationError("该问题已验收销号，不能撤回。")
        _save(locked, {"removed_at": timezone.now(), "removed_by": user})
        _event(locked, user, CityProblemAction.REMOVED, locked.status, locked.status, reason)


# --- queues ------------------------------------------------------------------------------------


def queue_counts(user: Any) -> dict[str, int]:
    """The office's people: {"awaiting": 待验收, "overdue": 逾期未整改, "open": 未销号} over the
    problems their offices dispatched; a unit's 创建办: {"to_answer": 待本单位整改}, the
    problems waiting for its answer (dispatched or returned, or its own problem closed and the
    report not yet made). One query each; {} for anyone else."""
    if access.is_office_person(user):
        today = _today()
        found = access.visible_problems(user).aggregate(
            awaiting=Count("pk", filter=Q(status=CityProblemStatus.AWAITING)),
            overdue=Count("pk", filter=overdue_q(today)),
            open=Count("pk", filter=~Q(status=CityProblemStatus.CLOSED)),
        )
        return {k: int(v or 0) for k, v in found.items()}
    units = access.coordinated_unit_ids(user)
    if not units:
        return {}
    ready = Q(status=CityProblemStatus.ASSIGNED) & (
        Q(unit_problem__isnull=True)
        | Q(unit_problem__status=ProblemStatus.CLOSED)
        | Q(unit_problem__removed_at__isnull=False)
    )
    n = (
        CityProblem.objects.live()
        .filter(unit_id__in=units)
        .filter(Q(status=CityProblemStatus.DISPATCHED) | ready)
        .count()
    )
    return {"to_answer": n}

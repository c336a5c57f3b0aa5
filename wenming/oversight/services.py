"""Writes for inspections and problems (督查整改, 挂账销号).

Keyword-only arguments; every refusal is a `ValidationError` with a Chinese sentence (or a
dict of them keyed by form field) that says what to fix, and a refused call changes nothing,
in the database or in storage: files are checked before anything is stored, stored under
our own names, and removed again if the transaction fails. Access is checked by the callers
through `wenming.oversight.access`; the rules here are about the data.

Status changes are conditional updates on the status the row has under lock, so of two people
acting on the same problem at once the second is told it has already been handled.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.intake import Inspected, atomic_with_files, inspect_all
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import Membership, Organization
from wenming.oversight.models import (
    EventAction,
    Inspection,
    InspectionKind,
    Problem,
    ProblemEvent,
    ProblemFile,
    ProblemFileKind,
    ProblemStatus,
    Severity,
    problem_overdue_q,
)

log = logging.getLogger(__name__)

NO_EVIDENCE = "没有整改佐证材料，不能提交验收。请上传整改后的照片或文件，或关联整改台账。"
SELF_VERIFY = "整改责任部门不能验收本部门的问题，请由督查员或创建办验收。"


# --- files -----------------------------------------------------------------------------------


def _store(
    problem: Problem, checked: list[Inspected], purpose: str, user: User, stored: list[str]
) -> None:
    """Save files and their records inside the caller's transaction; names go into `stored`
    as soon as they exist, so `atomic_with_files` can remove them if anything fails."""
    for entry in checked:
        record = ProblemFile(
            problem=problem,
            unit_id=problem.unit_id,
            year=problem.year,
            purpose=purpose,
            uploaded_by=user,
        )
        record.store(entry, stored)


# --- inspections -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def inspection_create(
    *,
    campaign: Campaign,
    user: User,
    kind: str,
    title: str,
    inspected_on: datetime.date | None,
    place: str = "",
    inspectors: str = "",
    findings: str = "",
) -> Inspection:
    errors: dict[str, str] = {}
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择督查类型：日常督查、重点督办、明查暗访或上级检查反馈。"
    if not _text(title):
        errors["title"] = "请填写督查名称，例如“3月第2周日常督查”。"
    if inspected_on is None:
        errors["inspected_on"] = "请填写督查日期。"
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = "督查日期不能晚于今天。"
    if errors or inspected_on is None:
        raise ValidationError(errors)
    return Inspection.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        kind=kind,
        title=_text(title),
        inspected_on=inspected_on,
        place=_text(place),
        inspectors=_text(inspectors) or (user.get_full_name() or user.username),
        findings=_text(findings),
        recorded_by=user,
    )


def inspection_remove(*, inspection: Inspection, user: User) -> None:
    """Take an inspection out of the lists; refused while it still has live problems."""
    with transaction.atomic():
        if Problem.objects.live().filter(inspection=inspection).exists():
            raise ValidationError("该督查下还有问题，请先处理或删除这些问题后再删除督查记录。")
        removal = {"removed_at": timezone.now(), "removed_by": user}
        if Inspection.objects.live().filter(pk=inspection.pk).update(**removal):
            trace.record_update(inspection, **removal)


# --- recording problems --------------------------------------------------------------------


def _check_department(campaign: Campaign, department: Organization | None) -> Organization:
    departments = Organization.objects.departments_of(campaign.unit, active_only=True)
    if department is None or not departments.filter(pk=department.pk).exists():
        raise ValidationError({"department": "请选择本单位的一个部门作为整改责任部门。"})
    return department


def _check_standard(campaign: Campaign, standard: Node | None) -> None:
    if standard is not None and (
        standard.framework_id != campaign.framework_id or not standard.is_leaf
    ):
        raise ValidationError(
            {"standard": f"“{standard.code}”不是本次创建所用测评体系中的测评标准，请重新选择。"}
        )


def _next_sequence(unit: Organization, year: int) -> int:
    # The unit's row is locked first, so two recorders at once number one after the other.
    Organization.objects.select_for_update().filter(pk=unit.pk).first()
    found = Problem.objects.filter(unit=unit, year=year).aggregate(m=Max("sequence"))["m"]
    return int(found or 0) + 1


def problem_create(
    *,
    campaign: Campaign,
    user: User,
    description: str,
    department: Organization | None,
    deadline: datetime.date | None,
    severity: str = Severity.GENERAL,
    inspection: Inspection | None = None,
    standard: Node | None = None,
    place: str = "",
    uploads: Sequence[UploadedFile] = (),
) -> Problem:
    """Put a problem on the books (挂账), with its photos."""
    errors: dict[str, str] = {}
    if inspection is not None and inspection.campaign_id != campaign.pk:
        raise ValidationError("该督查记录不属于本次创建工作。")
    if not _text(description):
        errors["description"] = "请描述发现的问题，例如“三楼东侧楼道灭火器过期未更换”。"
    if severity not in Severity.values:
        errors["severity"] = "请选择严重程度：一般、较重或严重。"
    found_on = inspection.inspected_on if inspection is not None else timezone.localdate()
    if deadline is None:
        errors["deadline"] = "请填写整改时限。"
    elif deadline < found_on:
        errors["deadline"] = (
            f"整改时限不能早于督查日期（{found_on:%Y年%m月%d日}），请重新选择。"
            if inspection is not None
            else "整改时限不能早于今天，请重新选择。"
        )
    if errors:
        raise ValidationError(errors)
    assert deadline is not None
    department = _check_department(campaign, department)
    _check_standard(campaign, standard)
    checked = inspect_all(uploads, photos_only=True)
    year = found_on.year

    def work(stored: list[str]) -> Problem:
        problem = Problem.objects.create(
            inspection=inspection,
            campaign=campaign,
            unit=campaign.unit,
            year=year,
            sequence=_next_sequence(campaign.unit, year),
            description=_text(description),
            place=_text(place),
            standard=standard,
            department=department,
            deadline=deadline,
            severity=severity,
            created_by=user,
        )
        _store(problem, checked, ProblemFileKind.PROBLEM, user, stored)
        ProblemEvent.objects.create(
            problem=problem,
            action=EventAction.CREATED,
            to_status=ProblemStatus.PENDING,
            actor=user,
            comment=f"责任部门：{department.name}；整改时限：{deadline:%Y-%m-%d}",
        )
        return problem

    result: Problem = atomic_with_files(work)
    return result


# --- the lifecycle -----------------------------------------------------------------------


def _stale(pk: int) -> ValidationError:
    current = Problem.objects.filter(pk=pk).first()
    if current is None or current.removed_at is not None:
        return ValidationError("该问题已被删除，请刷新页面。")
    return ValidationError(
        f"该问题已被处理（当前状态：{current.get_status_display()}），请刷新页面。"
    )


def _transition(
    problem: Problem,
    *,
    expected: Sequence[str],
    to: str,
    user: User,
    action: str,
    comment: str = "",
    changes: dict[str, Any] | None = None,
) -> Problem:
    """Move the problem on, inside the caller's transaction, only from an expected status."""
    locked = Problem.objects.select_for_update().filter(pk=problem.pk).first()
    if locked is None or locked.removed_at is not None or locked.status not in expected:
        raise _stale(problem.pk)
    now = timezone.now()
    updated = (
        Problem.objects.live()
        .filter(pk=problem.pk, status=locked.status)
        .update(status=to, updated_at=now, **(changes or {}))
    )
    if updated == 0:
        raise _stale(problem.pk)
    trace.record_update(locked, status=to, **(changes or {}))
    ProblemEvent.objects.create(
        problem_id=problem.pk,
        action=action,
        from_status=locked.status,
        to_status=to,
        actor=user,
        comment=comment,
    )
    return locked


def _refresh(problem: Problem) -> Problem:
    problem.refresh_from_db()
    return problem


def problem_start(*, problem: Problem, user: User, comment: str = "") -> Problem:
    """The department takes the problem on (待整改 → 整改中)."""
    if problem.status != ProblemStatus.PENDING:
        raise ValidationError(
            f"只有待整改的问题才能开始整改（当前状态：{problem.get_status_display()}）。"
        )
    with transaction.atomic():
        _transition(
            problem,
            expected=[ProblemStatus.PENDING],
            to=ProblemStatus.RECTIFYING,
            user=user,
            action=EventAction.STARTED,
            comment=_text(comment),
        )
    return _refresh(problem)


def _check_items(problem: Problem, items: Iterable[EvidenceItem]) -> list[EvidenceItem]:
    chosen = list(items)
    for item in chosen:
        if item.campaign_id != problem.campaign_id or item.removed_at is not None:
            raise ValidationError(
                {"evidence_items": f"台账“{item.title}”不属于本次创建工作，不能作为整改佐证。"}
            )
    return chosen


def problem_submit(
    *,
    problem: Problem,
    user: User,
    note: str,
    uploads: Sequence[UploadedFile] = (),
    evidence_items: Iterable[EvidenceItem] = (),
) -> Problem:
    """Send the rectification for verification (待整改/整改中 → 待验收)."""
    if problem.status not in (ProblemStatus.PENDING, ProblemStatus.RECTIFYING):
        raise ValidationError(f"该问题当前为“{problem.get_status_display()}”，不能再提交整改材料。")
    if not _text(note):
        raise ValidationError({"note": "请填写整改情况：做了什么、整改到什么程度。"})
    items = _check_items(problem, evidence_items)
    has_files = (
        ProblemFile.objects.live()
        .filter(problem=problem, purpose=ProblemFileKind.RECTIFICATION)
        .exists()
    )
    if not uploads and not items and not has_files:
        raise ValidationError({"files": NO_EVIDENCE})
    checked = inspect_all(uploads, photos_only=False)

    def work(stored: list[str]) -> None:
        now = timezone.now()
        _transition(
            problem,
            expected=[ProblemStatus.PENDING, ProblemStatus.RECTIFYING],
            to=ProblemStatus.AWAITING,
            user=user,
            action=EventAction.SUBMITTED,
            comment=_text(note),
            changes={
                "rectification_note": _text(note),
                "rectified_at": now,
                "rectified_by": user,
            },
        )
        _store(problem, checked, ProblemFileKind.RECTIFICATION, user, stored)
        if items:
            problem.evidence_items.add(*items)

    atomic_with_files(work)
    return _refresh(problem)


def _has_evidence(problem: Problem) -> bool:
    return (
        ProblemFile.objects.live()
        .filter(problem=problem, purpose=ProblemFileKind.RECTIFICATION)
        .exists()
        or problem.evidence_items.live().exists()
    )


def _responsible(problem: Problem, user: User) -> bool:
    if problem.rectified_by_id == user.pk:
        return True
    return Membership.objects.filter(
        user=user, organization_id=problem.department_id, is_active=True
    ).exists()


def _check_verifier(problem: Problem, user: User, verb: str) -> None:
    if problem.status != ProblemStatus.AWAITING:
        raise ValidationError(
            f"该问题尚未提交整改材料，不能{verb}（当前状态：{problem.get_status_display()}）。"
        )
    if _responsible(problem, user):
        raise ValidationError(SELF_VERIFY)


def problem_verify(*, problem: Problem, user: User, comment: str = "") -> Problem:
    """Verification passed: the problem is closed (销号), only from 待验收."""
    _check_verifier(problem, user, "验收销号")
    with transaction.atomic():
        if not _has_evidence(problem):
            raise ValidationError("没有整改佐证材料，不能验收销号。请退回责任部门补充整改材料。")
        now = timezone.now()
        _transition(
            problem,
            expected=[ProblemStatus.AWAITING],
            to=ProblemStatus.CLOSED,
            user=user,
            action=EventAction.VERIFIED,
            comment=_text(comment),
            changes={"verified_by": user, "closed_at": now},
        )
    return _refresh(problem)


def problem_return(*, problem: Problem, user: User, reason: str) -> Problem:
    """Verification failed: back to 整改中 with the reason the department must read."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明验收未通过的原因，告诉责任部门还要整改什么。"})
    _check_verifier(problem, user, "退回")
    with transaction.atomic():
        _transition(
            problem,
            expected=[ProblemStatus.AWAITING],
            to=ProblemStatus.RECTIFYING,
            user=user,
            action=EventAction.RETURNED,
            comment=reason,
            changes={"return_reason": reason, "return_count": F("return_count") + 1},
        )
    return _refresh(problem)


def problem_reassign(
    *,
    problem: Problem,
    user: User,
    reason: str,
    department: Organization | None = None,
    deadline: datetime.date | None = None,
) -> Problem:
    """Change the responsible department or the deadline of an open problem, with a reason."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明调整的原因，原因将留档备查。"})
    if department is None and deadline is None:
        raise ValidationError("请选择新的责任部门或新的整改时限。")
    if department is not None:
        _check_department(problem.campaign, department)
    if deadline is not None:
        found_on = (
            problem.inspection.inspected_on
            if problem.inspection is not None
            else problem.created_at.date()
        )
        if deadline < found_on:
            raise ValidationError(
                {"deadline": f"整改时限不能早于发现问题的日期（{found_on:%Y年%m月%d日}）。"}
            )
    with transaction.atomic():
        locked = Problem.objects.select_for_update().filter(pk=problem.pk).first()
        if locked is None or locked.removed_at is not None:
            raise _stale(problem.pk)
        if locked.status == ProblemStatus.CLOSED:
            raise ValidationError("该问题已销号，不能再调整责任部门或时限。")
        changes: dict[str, Any] = {"updated_at": timezone.now()}
        parts: list[str] = []
        if department is not None and department.pk != locked.department_id:
            changes["department"] = department
            parts.append(f"责任部门由“{locked.department.name}”改为“{department.name}”")
        if deadline is not None and deadline != locked.deadline:
            changes["deadline"] = deadline
            parts.append(f"整改时限由{locked.deadline:%Y-%m-%d}改为{deadline:%Y-%m-%d}")
        if not parts:
            raise ValidationError("新的责任部门和整改时限与原来相同，无需调整。")
        Problem.objects.filter(pk=locked.pk).update(**changes)
        trace.record_update(locked, **{k: v for k, v in changes.items() if k != "updated_at"})
        ProblemEvent.objects.create(
            problem=locked,
            action=EventAction.REASSIGNED,
            from_status=locked.status,
            to_status=locked.status,
            actor=user,
            comment=f"{'；'.join(parts)}。原因：{reason}",
        )
    return _refresh(problem)


def problem_remove(*, problem: Problem, user: User, reason: str) -> None:
    """Take a problem off the books by mistake (recorded twice, wrong unit): kept, not shown."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明删除的原因，例如“重复记录”。"})
    with transaction.atomic():
        now = timezone.now()
        updated = (
            Problem.objects.live()
            .filter(pk=problem.pk)
            .update(removed_at=now, removed_by=user, updated_at=now)
        )
        if updated == 0:
            raise ValidationError("该问题已被删除，请刷新页面。")
        trace.record_update(problem, removed_at=now, removed_by=user)
        ProblemEvent.objects.create(
            problem_id=problem.pk,
            action=EventAction.REMOVED,
            from_status=problem.status,
            to_status=problem.status,
            actor=user,
            comment=reason,
        )


# The old spelling of `problem_overdue_q`, kept while other apps switch their callers.
overdue_q = problem_overdue_q

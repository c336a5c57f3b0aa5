"""Writes for task decomposition (R4): define, assign, claim, progress, occurrences.

Every function takes keyword-only arguments, runs in one transaction, and raises
`ValidationError` with a Chinese sentence (or a dict of them keyed by form field) that says
what to fix. Access is checked by the callers through `wenming.tasks.access`; the rules here
are about the data itself (dates within the cycle, departments of the unit...).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign, Phase, PhaseKind
from wenming.core import registry
from wenming.frameworks.models import Node
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.tasks import access
from wenming.tasks.coverage import standards_needing_tasks, uncovered_standards
from wenming.tasks.models import (
    ClaimStatus,
    Occurrence,
    OwnerChange,
    Recurrence,
    StandardExclusion,
    Task,
    TaskClaim,
    TaskSource,
    TaskStatus,
    status_for_progress,
)

MAX_OCCURRENCES = 366
TITLE_MAX = 300


# --- reading helpers used by views, forms and the API ----------------------------------------


def unit_departments(campaign: Campaign) -> QuerySet[Organization]:
    """Active departments of the campaign's unit."""
    return campaign.unit.active_departments()


def implement_phase(campaign: Campaign) -> Phase | None:
    return Phase.objects.filter(campaign=campaign, kind=PhaseKind.IMPLEMENT).first()


@dataclass(frozen=True)
class ScheduleFlag:
    """A 倒排工期 warning: the deadline lies after a date the work must be ready by."""

    reason: str


def schedule_flags(task: Task, campaign: Campaign) -> list[ScheduleFlag]:
    """Uses `task.phase` (select it along) and the campaign; no queries of its own."""
    flags: list[ScheduleFlag] = []
    if task.deadline is None:
        return flags
    phase = task.phase
    if phase is not None and task.deadline > phase.end:
        flags.append(ScheduleFlag(f"时限晚于“{phase.name}”阶段结束日期（{phase.end:%Y-%m-%d}）"))
    if campaign.application_date and task.deadline > campaign.application_date:
        flags.append(ScheduleFlag(f"时限晚于申报日期（{campaign.application_date:%Y-%m-%d}）"))
    return flags


# --- validation ----------------------------------------------------------------------------


def _clean_dates(campaign: Campaign, start: datetime.date | None, deadline: datetime.date | None):
    cycle = f"{campaign.cycle_start:%Y-%m-%d}至{campaign.cycle_end:%Y-%m-%d}"
    errors: dict[str, str] = {}
    if deadline is not None and not campaign.cycle_start <= deadline <= campaign.cycle_end:
        errors["deadline"] = f"完成时限必须在创建周期（{cycle}）之内，请修改完成时限。"
    if start is not None and not campaign.cycle_start <= start <= campaign.cycle_end:
        errors["start_date"] = f"开始日期必须在创建周期（{cycle}）之内，请修改开始日期。"
    if not errors and start and deadline and start > deadline:
        errors["start_date"] = "开始日期不能晚于完成时限，请修改其中一个日期。"
    if errors:
        raise ValidationError(errors)


def _clean_fields(campaign: Campaign, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    title = (fields.get("title") or "").strip()
    if "title" in fields:
        if not title:
            errors["title"] = "请填写工作任务。"
        elif len(title) > TITLE_MAX:
            errors["title"] = f"工作任务不能超过{TITLE_MAX}个字，请精简后再保存。"
        fields["title"] = title
    departments = None
    lead = fields.get("lead_department")
    co = list(fields.get("co_departments") or [])
    if lead is not None or co:
        departments = set(unit_departments(campaign).values_list("pk", flat=True))
    if lead is not None and departments is not None and lead.pk not in departments:
        errors["lead_department"] = (
            f"“{lead.name}”不是{campaign.unit.name}的在用部门，请从列表中重新选择牵头部门。"
        )
    if co and departments is not None:
        wrong = [d.name for d in co if d.pk not in departments]
        if wrong:
            errors["co_departments"] = (
                f"“{'、'.join(wrong)}”不是{campaign.unit.name}的在用部门，请重新选择配合部门。"
            )
        elif lead is not None and any(d.pk == lead.pk for d in co):
            errors["co_departments"] = "牵头部门不必再列为配合部门，请取消勾选。"
    responsible = fields.get("responsible")
    if (
        responsible is not None
        and not unit_people(campaign.unit).filter(pk=responsible.pk).exists()
    ):
        errors["responsible"] = (
            f"“{responsible.get_full_name() or responsible.username}”不是"
            f"{campaign.unit.name}的人员，请重新选择责任人。"
        )
    quantity = fields.get("target_quantity")
    if quantity is not None and Decimal(quantity) < 0:
        errors["target_quantity"] = "量化目标不能小于0，请修改。"
    progress = fields.get("progress")
    if progress is not None and not 0 <= int(progress) <= 100:
        errors["progress"] = "进度必须在0到100之间，请修改。"
    phase = fields.get("phase")
    if phase is not None and phase.campaign_id != campaign.pk:
        errors["phase"] = "所选阶段不属于本次创建工作，请重新选择。"
    standards = fields.get("standards")
    if standards:
        allowed = set(standards_needing_tasks(campaign).values_list("pk", flat=True))
        if any(s.pk not in allowed for s in standards):
            errors["standards"] = "所选测评标准不属于本次创建工作的测评体系，请重新选择。"
    if fields.get("recurrence", "") not in Recurrence.values:
        errors["recurrence"] = "请从列表中选择重复方式。"
    if errors:
        raise ValidationError(errors)


# --- occurrences -----------------------------------------------------------------------------


def _period_ends(start: datetime.date, deadline: datetime.date, months: int) -> list[datetime.date]:
    """The end of each period (month, quarter, year) from start to deadline, capped there."""
    dates: list[datetime.date] = []
    year, month = start.year, start.month
    # Align quarters and years to the calendar: Q1 ends in March, a year in December.
    month = ((month - 1) // months + 1) * months
    while True:
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        dates.append(min(end, deadline))
        if end >= deadline:
            return dates
        if len(dates) > MAX_OCCURRENCES:
            return dates
        month += months
        while month > 12:
            month -= 12
            year += 1


def _parse_dates(values: Iterable[Any]) -> list[datetime.date]:
    dates: set[datetime.date] = set()
    for value in values:
        if isinstance(value, datetime.date):
            dates.add(value)
            continue
        try:
            dates.add(datetime.date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ValidationError(
                {"recurrence_dates": f"“{value}”不是有效日期，请按 2026-03-15 的格式填写。"}
            ) from None
    return sorted(dates)


def occurrence_dates(
    *,
    recurrence: str,
    recurrence_dates: Sequence[Any],
    start: datetime.date | None,
    deadline: datetime.date | None,
) -> list[datetime.date]:
    """The due dates a recurrence gives, or ValidationError saying what to fix."""
    if not recurrence:
        return []
    if recurrence == Recurrence.DATES:
        dates = _parse_dates(recurrence_dates)
        if not dates:
            raise ValidationError({"recurrence_dates": "选择“指定日期”时请至少填写一个日期。"})
        outside = [d for d in dates if (start and d < start) or (deadline and d > deadline)]
        if outside:
            raise ValidationError(
                {
                    "recurrence_dates": f"日期{outside[0]:%Y-%m-%d}不在任务的开始日期至完成时限之内，"
                    "请修改该日期或任务的起止日期。"
                }
            )
    else:
        if start is None or deadline is None:
            raise ValidationError(
                {"recurrence": "设置重复前请先填写开始日期和完成时限，系统据此排出每一次的时限。"}
            )
        months = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}[
            Recurrence(recurrence)
        ]
        dates = _period_ends(start, deadline, months)
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            {
                "recurrence_dates" if recurrence == Recurrence.DATES else "recurrence": (
                    f"重复设置会产生{len(dates)}次任务，超过了{MAX_OCCURRENCES}次的上限，"
                    "请减少日期或缩短任务的起止时间。"
                )
            }
        )
    return dates


def occurrences_rebuild(*, task: Task) -> int:
    """Recreate the task's occurrences from its recurrence, keeping what was recorded on
    occurrences whose date stays. Returns how many there are now."""
    dates = occurrence_dates(
        recurrence=task.recurrence,
        recurrence_dates=task.recurrence_dates,
        start=task.start_date,
        deadline=task.deadline,
    )
    with transaction.atomic():
        kept = {o.due: o for o in Occurrence.objects.select_for_update().filter(task=task)}
        # What people recorded is never dropped by a change of schedule.
        lost = [o for due, o in kept.items() if due not in set(dates) and (o.done_at or o.note)]
        if lost:
            first = lost[0]
            raise ValidationError(
                f"第{first.sequence}次（{first.due:%Y年%m月%d日}）已有完成记录，"
                "新的重复规则不再包含这一天。请保留这一日期，或先请创建办处理该记录。"
            )
        # One trace entry for the new schedule rather than one per occurrence.
        with trace.suspended():
            Occurrence.objects.filter(task=task).delete()
        Occurrence.objects.bulk_create(
            Occurrence(
                task=task,
                sequence=i,
                due=due,
                done_at=kept[due].done_at if due in kept else None,
                note=kept[due].note if due in kept else "",
            )
            for i, due in enumerate(dates, start=1)
        )
        before, after = sorted(kept), list(dates)
        if before != after:
            trace.record(
                task,
                "修改",
                {"任务批次": ["、".join(map(str, before)), "、".join(map(str, after))]},
            )
    return len(dates)


def occurrence_record(
    *, occurrence: Occurrence, done_at: datetime.date | None, note: str = ""
) -> Occurrence:
    """Record one occurrence as done (or clear it with done_at=None), with what was done."""
    today = timezone.localdate()
    if done_at is not None and done_at > today:
        raise ValidationError("完成日期不能晚于今天。")
    task = occurrence.task
    if done_at is not None and task.start_date and done_at < task.start_date:
        raise ValidationError(f"完成日期不能早于任务开始日期（{task.start_date:%Y年%m月%d日}）。")
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError("情况说明不能超过1000字，请精简。")
    occurrence.done_at = done_at
    occurrence.note = note
    occurrence.save(update_fields=["done_at", "note"])
    return occurrence


# --- create, update, delete ------------------------------------------------------------------

TASK_FIELDS = (
    "title",
    "requirement",
    "phase",
    "lead_department",
    "responsible",
    "start_date",
    "deadline",
    "target_quantity",
    "target_unit",
    "recurrence",
    "recurrence_dates",
    "is_draft",
)


def task_create(
    *,
    campaign: Campaign,
    user: User | None,
    title: str,
    requirement: str = "",
    standards: Sequence[Node] = (),
    phase: Phase | None = None,
    lead_department: Organization | None = None,
    co_departments: Sequence[Organization] = (),
    responsible: User | None = None,
    start_date: datetime.date | None = None,
    deadline: datetime.date | None = None,
    target_quantity: Decimal | None = None,
    target_unit: str = "",
    recurrence: str = "",
    recurrence_dates: Sequence[Any] = (),
    is_draft: bool = False,
    source: str = TaskSource.MANUAL,
) -> Task:
    fields: dict[str, Any] = {
        "title": title,
        "requirement": requirement,
        "phase": phase,
        "lead_department": lead_department,
        "co_departments": list(co_departments),
        "responsible": responsible,
        "start_date": start_date,
        "deadline": deadline,
        "target_quantity": target_quantity,
        "target_unit": (target_unit or "").strip(),
        "recurrence": recurrence or "",
        "recurrence_dates": [str(d) for d in _parse_dates(recurrence_dates)],
        "is_draft": is_draft,
        "standards": list(standards),
    }
    _clean_fields(campaign, fields)
    _clean_dates(campaign, start_date, deadline)
    occurrence_dates(
        recurrence=fields["recurrence"],
        recurrence_dates=fields["recurrence_dates"],
        start=start_date,
        deadline=deadline,
    )
    with transaction.atomic():
        task = Task.objects.create(
            campaign=campaign,
            created_by=user,
            source=source,
            **{k: fields[k] for k in TASK_FIELDS},
        )
        task.standards.set(fields["standards"])
        task.co_departments.set(fields["co_departments"])
        if lead_department is not None:
            OwnerChange.objects.create(
                task=task, to_department=lead_department, comment="新建任务时指定", actor=user
            )
        occurrences_rebuild(task=task)
    return task


def task_update(*, task: Task, user: User | None, **changes: Any) -> Task:
    """Change any of TASK_FIELDS, `standards` and `co_departments`; unknown names refused."""
    unknown = set(changes) - set(TASK_FIELDS) - {"standards", "co_departments"}
    if unknown:
        raise ValueError(f"task_update: unknown fields {sorted(unknown)}")
    campaign = task.campaign
    fields: dict[str, Any] = {k: getattr(task, k) for k in TASK_FIELDS}
    fields.update(changes)
    if "target_unit" in changes:
        fields["target_unit"] = (changes["target_unit"] or "").strip()
    if "recurrence_dates" in changes:
        fields["recurrence_dates"] = [str(d) for d in _parse_dates(changes["recurrence_dates"])]
    fields["recurrence"] = fields["recurrence"] or ""
    check = dict(fields)
    if "co_departments" in changes:
        check["co_departments"] = list(changes["co_departments"])
    elif fields["lead_department"] is not None:
        check["co_departments"] = list(task.co_departments.all())
    if "standards" in changes:
        check["standards"] = list(changes["standards"])
    _clean_fields(campaign, check)
    fields["title"] = check["title"]
    _clean_dates(campaign, fields["start_date"], fields["deadline"])
    occurrence_dates(
        recurrence=fields["recurrence"],
        recurrence_dates=fields["recurrence_dates"],
        start=fields["start_date"],
        deadline=fields["deadline"],
    )
    old_lead = task.lead_department
    with transaction.atomic():
        for name in TASK_FIELDS:
            setattr(task, name, fields[name])
        task.save(update_fields=[*TASK_FIELDS, "updated_at"])
        if "standards" in changes:
            task.standards.set(changes["standards"])
        if "co_departments" in changes:
            task.co_departments.set(changes["co_departments"])
        new_lead = task.lead_department
        if (old_lead and old_lead.pk) != (new_lead and new_lead.pk):
            OwnerChange.objects.create(
                task=task,
                from_department=old_lead,
                to_department=new_lead,
                comment="修改任务时调整",
                actor=user,
            )
        occurrences_rebuild(task=task)
        if "standards" in changes:
            # Other standards, other proof: 已完成 and 待佐证 are settled again.
            tasks_refresh_proof(campaign=campaign, task_ids=[task.pk])
            task.refresh_from_db(fields=["status", "completed_at", "updated_at"])
    return task


def task_delete(*, task: Task) -> Task:
    if task.deleted_at is not None:
        raise ValidationError("该任务已在回收站中。")
    task.deleted_at = timezone.now()
    task.save(update_fields=["deleted_at", "updated_at"])
    return task


def task_restore(*, task: Task) -> Task:
    if task.deleted_at is None:
        raise ValidationError("该任务没有被删除，无需恢复。")
    with transaction.atomic():
        task.deleted_at = None
        task.save(update_fields=["deleted_at", "updated_at"])
        # The ledger may have changed while it was in the bin.
        tasks_refresh_proof(campaign=task.campaign, task_ids=[task.pk])
        task.refresh_from_db(fields=["status", "completed_at", "updated_at"])
    return task


def tasks_generate_from_standards(*, campaign: Campaign, user: User | None) -> int:
    """One draft task per scored standard that has no live task and is not excluded.

    Running it again adds only what is missing. Returns how many tasks were created.
    """
    with transaction.atomic():
        # Serializes two offices clicking 生成 at once.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        phase = implement_phase(campaign)
        standards = list(uncovered_standards(campaign).order_by("position"))
        if not standards:
            return 0
        deadline = phase.end if phase else campaign.cycle_end
        start = phase.start if phase else campaign.cycle_start
        tasks = []
        for standard in standards:
            title = " ".join(standard.title.split())
            if len(title) > TITLE_MAX:
                title = title[: TITLE_MAX - 1] + "…"
            requirement = standard.title.strip()
            if standard.evidence:
                requirement += f"\n佐证材料：{standard.evidence.strip()}"
            tasks.append(
                Task(
                    campaign=campaign,
                    phase=phase,
                    title=title,
                    requirement=requirement,
                    start_date=start,
                    deadline=deadline,
                    is_draft=True,
                    source=TaskSource.GENERATED,
                    created_by=user,
                )
            )
        created = Task.objects.bulk_create(tasks)
        through = Task.standards.through
        through.objects.bulk_create(
            through(task_id=task.pk, node_id=standard.pk)
            for task, standard in zip(created, standards, strict=True)
        )
        trace.record_created(created, actor=user)
    return len(created)


# --- progress --------------------------------------------------------------------------------


def task_set_progress(*, task: Task, progress: int, note: str | None = None) -> Task:
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": "进度请填写0到100之间的整数。"}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress": "进度必须在0到100之间，请修改。"})
    with transaction.atomic():
        task.progress = value
        proven = value >= 100 and task.pk in proven_task_ids(task.campaign, [task])
        _settle_status(task, status_for_progress(value, proven))
        fields = ["progress", "status", "completed_at", "updated_at"]
        if note is not None:
            task.progress_note = note.strip()
            fields.append("progress_note")
        task.save(update_fields=fields)
    return task


# --- proof (已完成 needs its proof: docs/tasks.md, "Proven, not just reported") --------------

WAIVER_REASON_MAX = 300


def proven_task_ids(campaign: Campaign, tasks: Iterable[Task]) -> set[int]:
    """The ids among `tasks` (all of `campaign`) whose proof is in: waived by the 创建办, or
    proven by the ledger through the `tasks.proof` extension point, whose functions take
    `(campaign, tasks)` and return the proven ids. Bounded: the ledger's few queries, once."""
    rows = list(tasks)
    proven = {t.pk for t in rows if t.waived}
    rest = [t for t in rows if not t.waived]
    if rest:
        for prove in registry.extensions("tasks.proof"):
            proven |= set(prove(campaign, rest))
    return proven


def _settle_status(task: Task, status: str) -> bool:
    """Set the status and its completion time; True when the status changed."""
    changed = task.status != status
    task.status = status
    if status == TaskStatus.DONE:
        task.completed_at = task.completed_at or timezone.now()
    else:
        task.completed_at = None
    return changed


def tasks_refresh_proof(
    *,
    campaign: Campaign,
    standard_ids: Iterable[int] | None = None,
    task_ids: Iterable[int] | None = None,
) -> int:
    """Re-settle 已完成 ↔ 待佐证 for the campaign's live tasks at 100 % after a write that can
    change their proof (the ledger calls it after every evidence write). With `standard_ids`
    and/or `task_ids`, only the tasks serving those standards or named. Each task whose
    status changes is saved on its own, so the trace records it. Returns how many changed."""
    qs = Task.objects.live().filter(campaign=campaign, progress__gte=100)
    if standard_ids is not None or task_ids is not None:
        wanted = Q(pk__in=list(task_ids or ()))
        if standard_ids:
            wanted |= Q(
                pk__in=Task.standards.through.objects.filter(node_id__in=list(standard_ids)).values(
                    "task_id"
                )
            )
        qs = qs.filter(wanted)
    with transaction.atomic():
        tasks = list(qs.select_for_update().order_by("id"))
        if not tasks:
            return 0
        proven = proven_task_ids(campaign, tasks)
        changed = 0
        for task in tasks:
            if _settle_status(task, status_for_progress(task.progress, task.pk in proven)):
                task.save(update_fields=["status", "completed_at", "updated_at"])
                changed += 1
    return changed


def _check_counted(task: Task) -> None:
    if task.deleted_at is not None:
        raise ValidationError("该任务已在回收站中，不能免予佐证。请先恢复任务。")
    if task.is_draft:
        raise ValidationError("草稿任务尚未确认，不能免予佐证。请先确认任务（取消“草稿”）。")


PROOF_FIELDS = ["waived", "waiver_reason", "waived_by", "waived_at", "status", "completed_at"]


def _lock_fresh(task: Task) -> None:
    """Lock the task's row and re-read it: of two offices at once, the second sees the first."""
    list(Task.objects.select_for_update().filter(pk=task.pk).values_list("pk"))
    task.refresh_from_db()


def task_waive(*, task: Task, user: User | None, reason: str) -> Task:
    """The 创建办 waives the proof of a counted task (免予佐证), with a reason; at 100 % it is
    then 已完成. Kept on the task and traced."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写免予佐证的理由，理由将留档备查。"})
    if len(reason) > WAIVER_REASON_MAX:
        raise ValidationError(
            {"reason": f"免予佐证的理由不能超过{WAIVER_REASON_MAX}个字，请精简后再提交。"}
        )
    with transaction.atomic():
        _lock_fresh(task)
        _check_counted(task)
        if task.waived:
            raise ValidationError("该任务已经免予佐证。如需修改理由，请先撤销免予佐证。")
        task.waived, task.waiver_reason = True, reason
        task.waived_by, task.waived_at = user, timezone.now()
        _settle_status(task, status_for_progress(task.progress, True))
        task.save(update_fields=[*PROOF_FIELDS, "updated_at"])
    return task


def task_unwaive(*, task: Task, user: User | None) -> Task:
    """Undo a waiver: the task needs its proof again (待佐证 at 100 % until the ledger has it).
    The waiver, who gave it and why, stays in the task's change log."""
    with transaction.atomic():
        _lock_fresh(task)
        if not task.waived:
            raise ValidationError("该任务没有免予佐证，无需撤销。")
        task.waived, task.waiver_reason, task.waived_by, task.waived_at = False, "", None, None
        proven = task.progress >= 100 and task.pk in proven_task_ids(task.campaign, [task])
        _settle_status(task, status_for_progress(task.progress, proven))
        task.save(update_fields=[*PROOF_FIELDS, "updated_at"])
    return task


# --- claiming and ownership ------------------------------------------------------------------


def task_claim(*, task: Task, department: Organization, user: User, note: str = "") -> TaskClaim:
    if task.deleted_at is not None:
        raise ValidationError("该任务已被删除，不能认领。")
    if task.lead_department_id is not None:
        raise ValidationError(
            f"该任务已由“{task.lead_department}”牵头，不能再认领。如需调整，请联系创建办。"
        )
    if not access.claimable_departments(user).filter(pk=department.pk).exists():
        raise ValidationError(
            f"您不是“{department.name}”的负责人，不能替该部门认领任务。请以您负责的部门名义认领。"
        )
    if not unit_departments(task.campaign).filter(pk=department.pk).exists():
        raise ValidationError(f"“{department.name}”不是本单位的在用部门，不能认领该任务。")
    with transaction.atomic():
        if TaskClaim.objects.filter(
            task=task, department=department, status=ClaimStatus.PENDING
        ).exists():
            raise ValidationError(f"“{department.name}”已经认领过该任务，正在等待创建办审核。")
        try:
            # A savepoint: two identical claims at the same moment meet the unique constraint.
            with transaction.atomic():
                return TaskClaim.objects.create(
                    task=task, department=department, claimed_by=user, note=(note or "").strip()
                )
        except IntegrityError as exc:
            raise ValidationError(
                f"“{department.name}”已经认领过该任务，正在等待创建办审核。"
            ) from exc


def _decide(claim: TaskClaim, user: User, status: str, note: str) -> None:
    claim.status = status
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim.decision_note = note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def claim_approve(*, claim: TaskClaim, user: User, note: str = "") -> TaskClaim:
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=claim.task_id)
        claim.refresh_from_db()
        if claim.status != ClaimStatus.PENDING:
            raise ValidationError("该认领已经审核过了，请刷新页面查看结果。")
        if task.deleted_at is not None:
            raise ValidationError("该任务已被删除，不能同意认领。请先从回收站恢复任务。")
        if task.lead_department_id is not None:
            raise ValidationError(
                "该任务已有牵头部门，不能再同意认领。如需调整，请使用“调整牵头部门”。"
            )
        _decide(claim, user, ClaimStatus.APPROVED, (note or "").strip())
        task.lead_department = claim.department
        # An approved claim is confirmed work: a generated draft offered for claiming becomes
        # a counted task of the claiming department (drafts are in no count or board).
        task.is_draft = False
        task.save(update_fields=["lead_department", "is_draft", "updated_at"])
        OwnerChange.objects.create(
            task=task, to_department=claim.department, comment="认领获同意", actor=user
        )
        others = TaskClaim.objects.filter(task=task, status=ClaimStatus.PENDING).exclude(
            pk=claim.pk
        )
        rejected = list(others.select_related("department"))
        decision = {
            "status": ClaimStatus.REJECTED,
            "decided_by": user,
            "decided_at": timezone.now(),
            "decision_note": f"任务已由“{claim.department.name}”认领。",
        }
        others.update(**decision)
        for other in rejected:
            trace.record_update(other, **decision)
    return claim


def claim_reject(*, claim: TaskClaim, user: User, note: str = "") -> TaskClaim:
    with transaction.atomic():
        claim.refresh_from_db()
        if claim.status != ClaimStatus.PENDING:
            raise ValidationError("该认领已经审核过了，请刷新页面查看结果。")
        _decide(claim, user, ClaimStatus.REJECTED, (note or "").strip())
    return claim


def task_reassign(
    *, task: Task, department: Organization | None, user: User, reason: str
) -> OwnerChange:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整牵头部门的原因。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "原因不能超过200个字，请精简。"})
    if (
        department is not None
        and not unit_departments(task.campaign).filter(pk=department.pk).exists()
    ):
        raise ValidationError(
            {"department": f"“{department.name}”不是本单位的在用部门，请重新选择。"}
        )
    if (department and department.pk) == task.lead_department_id:
        raise ValidationError({"department": "新的牵头部门与现在的相同，无需调整。"})
    with transaction.atomic():
        change = OwnerChange.objects.create(
            task=task,
            from_department=task.lead_department,
            to_department=department,
            comment=reason,
            actor=user,
        )
        task.lead_department = department
        task.save(update_fields=["lead_department", "updated_at"])
    return change


# --- exclusions ------------------------------------------------------------------------------


def standard_exclude(
    *, campaign: Campaign, standard: Node, reason: str, user: User | None
) -> StandardExclusion:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写该标准不适用于本单位的理由。"})
    if len(reason) > 300:
        raise ValidationError({"reason": "理由不能超过300个字，请精简。"})
    if not standards_needing_tasks(campaign).filter(pk=standard.pk).exists():
        raise ValidationError("该标准不属于本次创建工作需要分解的测评标准。")
    with transaction.atomic():
        if StandardExclusion.objects.active().filter(campaign=campaign, standard=standard).exists():
            raise ValidationError(f"标准{standard.code}已经标为不适用。")
        exclusion = StandardExclusion.objects.create(
            campaign=campaign, standard=standard, reason=reason, created_by=user
        )
        # A standard not applicable is no longer checked by the ledger: its tasks' proof moves.
        tasks_refresh_proof(campaign=campaign, standard_ids=[standard.pk])
        return exclusion


def standard_include(*, campaign: Campaign, standard: Node, user: User | None = None) -> None:
    """Undo an exclusion: the standard needs a task again. The exclusion stays on record."""
    with transaction.atomic():
        active = StandardExclusion.objects.active().filter(campaign=campaign, standard=standard)
        rows = list(active.select_related("campaign__unit", "standard"))
        removal = {"removed_at": timezone.now(), "removed_by": user}
        undone = active.update(**removal)
        for row in rows:
            trace.record_update(row, **removal)
        if not undone:
            raise ValidationError(f"标准{standard.code}没有标为不适用，无需恢复。")
        tasks_refresh_proof(campaign=campaign, standard_ids=[standard.pk])

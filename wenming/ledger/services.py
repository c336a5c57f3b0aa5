"""Writes for the evidence ledger (R5): file, review, archive, recycle.

Every function takes keyword-only arguments and raises `ValidationError` with a Chinese
sentence (or a dict of them keyed by form field) that says what to fix; a refused call
changes nothing, in the database or in storage. Access is checked by the callers through
`wenming.ledger.access`; the rules here are about the data (archived years, review states,
standards of the campaign's system).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.files import FileKind
from wenming.ledger.intake import Inspected, atomic_with_files, inspect_all, remove_stored
from wenming.ledger.integrity import flags_for
from wenming.ledger.models import (
    ArchiveEvent,
    EventKind,
    EvidenceEvent,
    EvidenceFile,
    EvidenceItem,
    ItemStatus,
    YearArchive,
)
from wenming.orgs.models import Organization
from wenming.tasks.models import Occurrence, Task
from wenming.tasks.services import tasks_refresh_proof

log = logging.getLogger(__name__)

# The metadata a person fills in; the form and the API use the same list.
ITEM_FIELDS = (
    "title",
    "activity_date",
    "place",
    "participant_count",
    "participants",
    "summary",
    "result",
)


# --- archived years ------------------------------------------------------------------------


def _check_open(unit: Organization, year: int) -> None:
    if YearArchive.objects.filter(unit=unit, year=year, archived=True).exists():
        raise ValidationError(
            f"{year}年的台账已归档，不能再修改。如确需修改，请创建办先取消该年度的归档。"
        )


def year_archive(*, unit: Organization, year: int, user: User) -> YearArchive:
    with transaction.atomic():
        archive, _ = YearArchive.objects.select_for_update().get_or_create(unit=unit, year=year)
        if archive.archived:
            raise ValidationError(f"{year}年的台账已经归档。")
        pending = EvidenceItem.objects.live().filter(unit=unit, year=year)
        waiting = pending.filter(status=ItemStatus.SUBMITTED).count()
        if waiting:
            raise ValidationError(
                f"{year}年还有{waiting}份台账待审核，请审核完毕（通过或退回）后再归档。"
            )
        archive.archived = True
        archive.save()
        ArchiveEvent.objects.create(archive=archive, archived=True, actor=user)
    return archive


def year_unarchive(*, unit: Organization, year: int, user: User, reason: str) -> YearArchive:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "取消归档须写明原因，原因将留档备查。"})
    with transaction.atomic():
        archive = YearArchive.objects.select_for_update().filter(unit=unit, year=year).first()
        if archive is None or not archive.archived:
            raise ValidationError(f"{year}年的台账没有归档，无需取消。")
        archive.archived = False
        # Traced by hand, to keep the reason with the change.
        with trace.suspended():
            archive.save()
        trace.record(archive, "修改", {"已归档": [True, False], "原因": ["", reason]}, actor=user)
        ArchiveEvent.objects.create(archive=archive, archived=False, comment=reason, actor=user)
    return archive


# --- proof of tasks ------------------------------------------------------------------------


def _settle_tasks(item: EvidenceItem, standard_ids: Iterable[int] = ()) -> None:
    """After a write that can change completeness: the tasks at 100 % serving the item's
    standards (and those it served before, `standard_ids`) or filed under are 已完成 or 待佐证
    again (`docs/tasks.md`, "Proven, not just reported"). Runs in the caller's transaction."""
    served = set(
        EvidenceItem.standards.through.objects.filter(evidenceitem_id=item.pk).values_list(
            "node_id", flat=True
        )
    )
    tasks_refresh_proof(
        campaign=Campaign.objects.get(pk=item.campaign_id),
        standard_ids=served | set(standard_ids),
        task_ids=[item.task_id] if item.task_id else [],
    )


# --- filing ------------------------------------------------------------------------------


def _clean_item_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: fields[k] for k in ITEM_FIELDS if k in fields}
    for key in ("title", "place", "participants", "summary", "result"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationError({"title": "请填写台账名称，例如“3月道德讲堂”。"})
    count = cleaned.get("participant_count")
    if count is not None and count < 0:
        raise ValidationError({"participant_count": "参加人数不能是负数。"})
    return cleaned


def _clean_standards(campaign: Campaign, standards: Iterable[Node]) -> list[Node]:
    nodes = list(standards)
    for node in nodes:
        if node.framework_id != campaign.framework_id or not node.is_leaf:
            raise ValidationError(
                {"standards": f"“{node.code}”不是本次创建所用测评体系中的测评标准。"}
            )
    return nodes


def _year_for(campaign: Campaign, activity_date: datetime.date | None) -> int:
    if activity_date is not None:
        return activity_date.year
    return timezone.localdate().year


def _store_files(item: EvidenceItem, checked: list[Inspected], user: User) -> list[str]:
    """Save the files to storage and their records; returns the stored names.

    Runs inside the caller's transaction. If anything fails, the caller deletes the
    returned names (see `intake.atomic_with_files`), so no file outlives a failed transaction.
    """
    stored: list[str] = []
    start = item.files.count()
    seen: dict[str, EvidenceFile] = {}
    try:
        for offset, entry in enumerate(checked):
            record = EvidenceFile(
                item=item,
                unit_id=item.unit_id,
                year=item.year,
                position=start + offset,
                phash=entry.facts.phash or "",
                page_count=entry.facts.page_count,
                uploaded_by=user,
            )
            record.take_facts(entry.facts, entry.name)
            record.flags = flags_for(record, item, batch=seen)
            entry.upload.seek(0)
            record.file.save(entry.name, entry.upload, save=False)
            stored.append(record.file.name)
            record.save()
            seen[record.sha256] = record
    except BaseException:
        remove_stored(stored)
        raise
    transaction.on_commit(lambda: _enqueue_thumbnails([n for n in stored]))
    return stored


def _enqueue_thumbnails(names: list[str]) -> None:
    from wenming.ledger.tasks import make_thumbnails

    ids = list(
        EvidenceFile.objects.filter(file__in=names, kind=FileKind.PHOTO).values_list(
            "pk", flat=True
        )
    )
    if ids:
        make_thumbnails.enqueue(ids)


def item_create(
    *,
    campaign: Campaign,
    department: Organization,
    user: User,
    fields: dict[str, Any],
    uploads: Sequence[UploadedFile],
    task: Task | None = None,
    occurrence: Occurrence | None = None,
    standards: Iterable[Node] | None = None,
) -> EvidenceItem:
    """File one evidence item with its files. Everything is checked before anything is kept."""
    cleaned = _clean_item_fields(fields)
    if not cleaned.get("title"):
        raise ValidationError({"title": "请填写台账名称，例如“3月道德讲堂”。"})
    if not Organization.objects.departments_of(campaign.unit).filter(pk=department.pk).exists():
        raise ValidationError({"department": "请选择本单位的部门。"})
    if task is not None and task.campaign_id != campaign.pk:
        raise ValidationError("该任务不属于本次创建工作。")
    if occurrence is not None and (task is None or occurrence.task_id != task.pk):
        raise ValidationError({"occurrence": "所选的“第几次”不属于该任务。"})
    if standards is None:
        nodes = list(task.standards.all()) if task is not None else []
    else:
        nodes = _clean_standards(campaign, standards)
    if not nodes:
        raise ValidationError({"standards": "请至少选择一条这份台账所佐证的测评标准。"})
    if not uploads:
        raise ValidationError({"files": "请至少上传一个文件（照片、文字材料或视频）。"})
    year = _year_for(campaign, cleaned.get("activity_date"))
    _check_open(campaign.unit, year)
    checked = inspect_all(uploads)

    def work(stored: list[str]) -> EvidenceItem:
        now = timezone.now()
        item = EvidenceItem.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            department=department,
            task=task,
            occurrence=occurrence,
            year=year,
            created_by=user,
            submitted_at=now,
            **cleaned,
        )
        item.standards.set(nodes)
        stored.extend(_store_files(item, checked, user))
        EvidenceEvent.objects.create(item=item, kind=EventKind.CREATED, actor=user)
        _settle_tasks(item)
        return item

    item: EvidenceItem = atomic_with_files(work)
    return item


def _lock(item: EvidenceItem) -> EvidenceItem:
    """Re-read the item under a row lock; it must still be live and its year open."""
    locked = EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None or locked.removed_at is not None:
        raise ValidationError("该台账已被删除，请刷新页面。")
    _check_open(locked.unit, locked.year)
    return locked


def item_update(
    *,
    item: EvidenceItem,
    user: User,
    fields: dict[str, Any],
    standards: Iterable[Node] | None = None,
) -> EvidenceItem:
    cleaned = _clean_item_fields(fields)
    nodes = _clean_standards(item.campaign, standards) if standards is not None else None
    if nodes is not None and not nodes:
        raise ValidationError({"standards": "请至少选择一条这份台账所佐证的测评标准。"})
    with transaction.atomic():
        locked = _lock(item)
        new_year = _year_for(item.campaign, cleaned.get("activity_date", locked.activity_date))
        if new_year != locked.year:
            _check_open(locked.unit, new_year)
        before = set(locked.standards.values_list("pk", flat=True)) if nodes is not None else set()
        for key, value in cleaned.items():
            setattr(locked, key, value)
        locked.year = new_year
        locked.save()
        if new_year != item.year:
            locked.files.update(year=new_year)
        if nodes is not None:
            locked.standards.set(nodes)
        EvidenceEvent.objects.create(item=locked, kind=EventKind.EDITED, actor=user)
        _settle_tasks(locked, before)
    return locked


def item_add_files(
    *, item: EvidenceItem, user: User, uploads: Sequence[UploadedFile]
) -> list[EvidenceFile]:
    if not uploads:
        raise ValidationError({"files": "请选择要补充的文件。"})
    checked = inspect_all(uploads)

    def work(stored: list[str]) -> list[EvidenceFile]:
        locked = _lock(item)
        stored.extend(_store_files(locked, checked, user))
        EvidenceEvent.objects.create(
            item=locked,
            kind=EventKind.FILES_ADDED,
            actor=user,
            comment="、".join(e.name for e in checked),
        )
        _settle_tasks(locked)
        return list(EvidenceFile.objects.filter(file__in=stored))

    files: list[EvidenceFile] = atomic_with_files(work)
    return files


def file_remove(*, file: EvidenceFile, user: User) -> None:
    """Take a file out of its item; it is kept until the item itself is purged."""
    with transaction.atomic():
        locked = _lock(file.item)
        if file.removed_at is not None:
            return
        if locked.files.filter(removed_at__isnull=True).count() <= 1:
            raise ValidationError(
                "这是该台账的最后一个文件，不能移除。如整份台账作废，请删除台账。"
            )
        removed_at = timezone.now()
        EvidenceFile.objects.filter(pk=file.pk).update(removed_at=removed_at)
        trace.record_update(file, removed_at=removed_at)
        EvidenceEvent.objects.create(
            item=locked, kind=EventKind.FILE_REMOVED, actor=user, comment=file.original_name
        )
        _settle_tasks(locked)


def item_resubmit(*, item: EvidenceItem, user: User, comment: str = "") -> EvidenceItem:
    with transaction.atomic():
        locked = _lock(item)
        if locked.status != ItemStatus.RETURNED:
            raise ValidationError("只有被退回的台账需要重新提交。")
        locked.status = ItemStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        EvidenceEvent.objects.create(
            item=locked, kind=EventKind.RESUBMITTED, actor=user, comment=comment.strip()
        )
        _settle_tasks(locked)
    return locked


def _review(item: EvidenceItem, user: User, status: str, comment: str) -> EvidenceItem:
    with transaction.atomic():
        _lock(item)
        changes: dict[str, Any] = {
            "status": status,
            "review_comment": comment,
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
            "updated_at": timezone.now(),
        }
        qs = EvidenceItem.objects.filter(pk=item.pk, status=ItemStatus.SUBMITTED)
        if status == ItemStatus.RETURNED:
            changes["return_count"] = F("return_count") + 1
        # Only a submitted item can be decided: of two reviewers at once, the second is told.
        if qs.update(**changes) == 0:
            current = EvidenceItem.objects.get(pk=item.pk)
            raise ValidationError(
                f"该台账已被审核（当前状态：{current.get_status_display()}），请刷新页面查看。"
            )
        kind = EventKind.APPROVED if status == ItemStatus.APPROVED else EventKind.RETURNED
        EvidenceEvent.objects.create(item=item, kind=kind, actor=user, comment=comment)
        trace.record_update(
            item,
            actor=user,
            **{k: v for k, v in changes.items() if k not in ("updated_at", "return_count")},
        )
        _settle_tasks(item)
    item.refresh_from_db()
    return item


def item_approve(*, item: EvidenceItem, user: User, comment: str = "") -> EvidenceItem:
    return _review(item, user, ItemStatus.APPROVED, comment.strip())


def item_return(*, item: EvidenceItem, user: User, comment: str) -> EvidenceItem:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回时请写明需要补充或修改的内容。"})
    return _review(item, user, ItemStatus.RETURNED, comment)


# --- recycle bin -------------------------------------------------------------------------


def item_remove(*, item: EvidenceItem, user: User, reason: str = "") -> EvidenceItem:
    with transaction.atomic():
        locked = _lock(item)
        locked.removed_at = timezone.now()
        locked.removed_by = user
        locked.save(update_fields=["removed_at", "removed_by", "updated_at"])
        EvidenceEvent.objects.create(
            item=locked, kind=EventKind.REMOVED, actor=user, comment=reason.strip()
        )
        _settle_tasks(locked)
    return locked


def item_restore(*, item: EvidenceItem, user: User) -> EvidenceItem:
    with transaction.atomic():
        locked = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        if locked.removed_at is None:
            raise ValidationError("该台账不在回收站中。")
        _check_open(locked.unit, locked.year)
        locked.removed_at = None
        locked.removed_by = None
        locked.save(update_fields=["removed_at", "removed_by", "updated_at"])
        EvidenceEvent.objects.create(item=locked, kind=EventKind.RESTORED, actor=user)
        _settle_tasks(locked)
    return locked


def purge_due(item: EvidenceItem) -> datetime.datetime | None:
    """When the item may be purged; None when it is not in the bin."""
    if item.removed_at is None:
        return None
    return item.removed_at + datetime.timedelta(days=settings.WENMING_RECYCLE_RETENTION_DAYS)


def item_purge(*, item: EvidenceItem, user: User) -> None:
    """Remove an item and its files for good: only from the bin, after the retention period."""
    due = purge_due(item)
    if due is None:
        raise ValidationError("只有回收站中的台账可以彻底删除。")
    if timezone.now() < due:
        raise ValidationError(
            f"回收站中的台账须保留{settings.WENMING_RECYCLE_RETENTION_DAYS}天，"
            f"该台账{timezone.localtime(due):%Y年%m月%d日}后才能彻底删除。"
        )
    names: list[str] = []
    with transaction.atomic():
        locked = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        _check_open(locked.unit, locked.year)
        for f in locked.files.all():
            names.append(f.file.name)
            if f.thumbnail:
                names.append(f.thumbnail.name)
        log.info("evidence item %s (%s) purged by %s", locked.pk, locked.title, user)
        locked.delete()
    transaction.on_commit(lambda: remove_stored(names))


def bin_items(unit: Organization) -> QuerySet[EvidenceItem]:
    return (
        EvidenceItem.objects.in_bin()
        .filter(unit=unit)
        .select_related("department", "removed_by", "task")
        .order_by("-removed_at")
    )

"""The evidence ledger (台账, R5): proof for every standard, kept whole and never recycled.

An `EvidenceItem` is one record of work done (a 道德讲堂 session, a rectification, a meeting):
its files, what happened, and which task and standards it proves. A task's items form its
dossier (一事一档). The office reviews items, archives a year, and binds the ledger into a
binder (`BinderExport`). Deleting moves an item to the recycle bin; only an explicit office
action after the retention period purges it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.campaigns.models import Campaign
from wenming.core.models import Event
from wenming.frameworks.models import Node
from wenming.ledger.files import FileFacts, FileKind
from wenming.orgs.models import Organization

if TYPE_CHECKING:
    from wenming.ledger.intake import Inspected
from wenming.tasks.models import Occurrence, Task


class ItemStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class ItemQuerySet(models.QuerySet["EvidenceItem"]):
    def live(self) -> ItemQuerySet:
        return self.filter(removed_at__isnull=True)

    def in_bin(self) -> ItemQuerySet:
        return self.filter(removed_at__isnull=False)


class EvidenceItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="evidence")
    # The unit, copied from the campaign: duplicate checks and scopes run per unit.
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organization, verbose_name="上传部门", on_delete=models.PROTECT, related_name="evidence"
    )
    task = models.ForeignKey(
        Task,
        verbose_name="工作任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name="第几次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    standards = models.ManyToManyField(
        Node, verbose_name="佐证的测评标准", related_name="evidence_items"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("台账名称", max_length=200)
    activity_date = models.DateField("活动日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    participant_count = models.PositiveIntegerField("参加人数", null=True, blank=True)
    participants = models.TextField("参加人员", blank=True)
    summary = models.TextField("活动情况", blank=True, help_text="做了什么")
    result = models.TextField("取得成效", blank=True, help_text="有什么效果")
    status = models.CharField(
        "审核状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.SUBMITTED
    )
    # How many times the office returned it: "approved on first review" is returns == 0.
    return_count = models.PositiveIntegerField(default=0)
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "台账"
        verbose_name_plural = "台账"
        ordering = ["-activity_date", "-id"]
        indexes = [
            models.Index(fields=["campaign", "department"]),
            models.Index(fields=["unit", "year"]),
            models.Index(fields=["task"]),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    """A path made only of our own ids: the user's file name never reaches the disk."""
    ext = instance.extension or "bin"
    return f"evidence/{instance.unit_id}/{instance.year}/{uuid.uuid4().hex}.{ext}"


def thumbnail_upload_to(instance: EvidenceFile, filename: str) -> str:
    return f"thumbs/{instance.unit_id}/{instance.year}/{uuid.uuid4().hex}.jpg"


class StoredFile(models.Model):
    """What we keep about any file a person uploads, whatever it proves.

    The facts come from `wenming.ledger.files.inspect_upload`, never from the name or the
    type the browser claimed; the stored name is made of our own ids (`upload_to`).
    """

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=FileKind.choices)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.BigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Taking a file out keeps it: it leaves with its record when that is purged.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == FileKind.PHOTO

    def take_facts(self, facts: FileFacts, name: str) -> None:
        """Copy what inspection found about the upload (and its display name)."""
        self.original_name = name
        self.kind = facts.kind
        self.content_type = facts.content_type
        self.extension = facts.extension
        self.size = facts.size
        self.sha256 = facts.sha256
        self.width = facts.width
        self.height = facts.height
        self.taken_at = facts.taken_at

    def store(self, checked: Inspected, stored: list[str]) -> None:
        """Save an inspected upload as this record's file, then the record, inside the
        caller's transaction; the file's name goes into `stored` as soon as it exists, so
        `atomic_with_files` can remove it if anything fails. (Subclasses declare `file`.)"""
        self.take_facts(checked.facts, checked.name)
        checked.upload.seek(0)
        field = self.file  # type: ignore[attr-defined]
        field.save(checked.name, checked.upload, save=False)
        stored.append(field.name)
        self.save()


class EvidenceFile(StoredFile):
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    phash = models.CharField(max_length=16, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(upload_to=thumbnail_upload_to, max_length=200, blank=True)
    # Integrity warnings found on upload: [{"kind": "duplicate"|"similar"|"date", "message": ...,
    # "file": other file id or None}]. They warn; the office decides.
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "台账文件"
        verbose_name_plural = "台账文件"
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["unit", "sha256"]),
            models.Index(fields=["unit", "kind"]),
        ]


class EventKind(models.TextChoices):
    CREATED = "created", "上传"
    EDITED = "edited", "修改"
    FILES_ADDED = "files_added", "补充文件"
    FILE_REMOVED = "file_removed", "移除文件"
    RESUBMITTED = "resubmitted", "重新提交"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"
    REMOVED = "removed", "删除（移入回收站）"
    RESTORED = "restored", "从回收站恢复"


class EvidenceEvent(Event):
    """Every step of an item's life, with who and when: the item's own history.

    A workflow timeline (`wenming.core.models.Event`): shown on the item's page and read per
    item, while the trace keeps the field-by-field audit.
    """

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class YearArchive(models.Model):
    """A unit's ledger year, archived (归档) or reopened; every change is an event."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    archived = models.BooleanField("已归档", default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="year_archive_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年台账"


class ArchiveEvent(Event):
    """A ledger year archived or reopened; `comment` is the reason given for reopening.

    A workflow timeline (`wenming.core.models.Event`), shown on the archive screen, while
    the trace keeps the field-by-field audit.
    """

    archive = models.ForeignKey(YearArchive, on_delete=models.CASCADE, related_name="events")
    archived = models.BooleanField()

    def __str__(self) -> str:
        return f"{'归档' if self.archived else '取消归档'} {self.at:%Y-%m-%d}"


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF台账汇编"
    ZIP = "zip", "ZIP文件夹"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


def export_upload_to(instance: BinderExport, filename: str) -> str:
    return f"exports/{instance.unit_id}/{uuid.uuid4().hex}.{instance.format}"


class BinderExport(models.Model):
    """A binder (装订) requested by someone, built in the background with visible progress."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exports")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    format = models.CharField("格式", max_length=4, choices=ExportFormat.choices)
    # Scope: None means all. Standards are leaf node ids of the campaign's system.
    department = models.ForeignKey(
        Organization,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    standards = models.ManyToManyField(Node, blank=True, related_name="+")
    approved_only = models.BooleanField("只含审核通过的台账", default=False)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=export_upload_to, max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "台账导出"
        verbose_name_plural = "台账导出"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_max")
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

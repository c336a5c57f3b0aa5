"""The civilization office's registry (文明单位名录, R12): the units it keeps, the honours each
holds with the history of every status change and the document that decided it, the
negative events that drive vetoes and deductions, and revocations (摘牌) with their ban.

The office acts here through its own records; a unit reads its own entry.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.core.models import Event
from wenming.ledger.models import StoredFile
from wenming.orgs.models import Organization, OrgKind


class Level(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "全国"


class HonourStatus(models.TextChoices):
    NAMED = "named", "命名"
    KEPT = "kept", "保留"
    RECTIFY = "rectify", "限期整改"
    WARNED = "warned", "黄牌警告"
    REVOKED = "revoked", "撤销"
    EXPIRED = "expired", "期满"


# An honour in one of these statuses is held; 撤销 and 期满 end it.
HELD_STATUSES = (
    HonourStatus.NAMED,
    HonourStatus.KEPT,
    HonourStatus.RECTIFY,
    HonourStatus.WARNED,
)
TERM_CHOICES = [(2, "2年"), (3, "3年"), (5, "5年")]


class EntryQuerySet(models.QuerySet["RegistryEntry"]):
    def live(self) -> EntryQuerySet:
        return self.filter(removed_at__isnull=True)


class RegistryEntry(models.Model):
    """A unit in an office's registry: it can be registered before it has any users."""

    office = models.ForeignKey(
        Organization,
        verbose_name="文明办",
        on_delete=models.PROTECT,
        related_name="registry_entries",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    unit = models.OneToOneField(
        Organization,
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="registry_entry",
        limit_choices_to={"kind": OrgKind.UNIT},
    )
    sector = models.CharField("系统/行业", max_length=40, blank=True)
    area = models.CharField("区域", max_length=40, blank=True)
    staff_count = models.PositiveIntegerField("职工人数", null=True, blank=True)
    info_admin_name = models.CharField("信息管理员", max_length=40, blank=True)
    info_admin_phone = models.CharField("信息管理员电话", max_length=20, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "名录单位"
        verbose_name_plural = "名录单位"
        ordering = ["office_id", "id"]
        indexes = [
            models.Index(fields=["office", "sector"]),
            models.Index(fields=["office", "area"]),
        ]

    def __str__(self) -> str:
        return self.unit.name


class HonourQuerySet(models.QuerySet["Honour"]):
    def live(self) -> HonourQuerySet:
        return self.filter(removed_at__isnull=True)

    def held(self) -> HonourQuerySet:
        return self.live().filter(status__in=HELD_STATUSES)


class Honour(models.Model):
    """An honour a unit holds or held: 市级文明单位, 文明单位标兵, 文明机关, 文明校园..."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="honours")
    title = models.CharField("称号", max_length=40)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    issuer = models.ForeignKey(
        Organization,
        verbose_name="命名机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    # An issuer outside the platform (a provincial office) is named in words.
    issuer_name = models.CharField("命名机关（名称）", max_length=60, blank=True)
    batch = models.CharField("批次", max_length=40, blank=True, help_text="如：第十批")
    year_named = models.PositiveSmallIntegerField("命名年度")
    term_years = models.PositiveSmallIntegerField("有效期（年）", choices=TERM_CHOICES, default=3)
    status = models.CharField(
        "状态", max_length=10, choices=HonourStatus.choices, default=HonourStatus.NAMED
    )
    status_on = models.DateField("状态变更日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = "荣誉称号"
        verbose_name_plural = "荣誉称号"
        ordering = ["-year_named", "id"]
        indexes = [models.Index(fields=["status", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_years__in=[2, 3, 5]), name="honour_term_2_3_or_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year_named}年 {self.title}"

    @property
    def last_year(self) -> int:
        """The last year of the term (named 2024 for 3 years: 2024–2026)."""
        return self.year_named + self.term_years - 1

    @property
    def is_held(self) -> bool:
        return self.removed_at is None and self.status in HELD_STATUSES


def registry_upload_to(instance: DecisionFile, filename: str) -> str:
    """A path made only of our own ids: the user's file name never reaches the disk."""
    ext = instance.extension or "bin"
    return f"registry/{instance.unit_id}/{instance.year}/{uuid.uuid4().hex}.{ext}"


class DecisionFile(StoredFile):
    """The document that decided a change (命名决定, 复查结果通报, 摘牌决定...)."""

    file = models.FileField(upload_to=registry_upload_to, max_length=200)

    class Meta:
        verbose_name = "决定文件"
        verbose_name_plural = "决定文件"
        ordering = ["id"]


class HonourEvent(Event):
    """Every status change of an honour, with the document that decided it (`comment`: the
    reason)."""

    honour = models.ForeignKey(Honour, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=HonourStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=HonourStatus.choices)
    decided_on = models.DateField("决定日期")
    document_title = models.CharField("决定文件文号/标题", max_length=200, blank=True)
    document = models.ForeignKey(
        DecisionFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 限期整改: the deadline of the follow-up check.
    deadline = models.DateField("整改期限", null=True, blank=True)

    class Meta(Event.Meta):
        verbose_name = "称号状态变更"
        verbose_name_plural = "称号状态变更"

    def __str__(self) -> str:
        return f"{self.honour}：{self.get_from_status_display() or '（新）'} → {self.get_to_status_display()}"


class NegativeSource(models.TextChoices):
    SELF = "self", "单位自报"
    SUPERIOR = "superior", "上级通报"
    INSPECTION = "inspection", "督查发现"
    PUBLIC = "public", "群众举报"
    MEDIA = "media", "媒体曝光"
    OTHER = "other", "其他"


class NegativeQuerySet(models.QuerySet["NegativeEvent"]):
    def live(self) -> NegativeQuerySet:
        """In force: not withdrawn."""
        return self.filter(removed_at__isnull=True)


class NegativeEvent(models.Model):
    """A negative event of a unit (负面事项): it drives the veto look-back of eligibility and
    the deductions in scoring (doubled when not self-reported in time)."""

    entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="negative_events"
    )
    what = models.CharField("事项", max_length=200)
    is_veto = models.BooleanField("一票否决事项", default=False)
    occurred_on = models.DateField("发生日期")
    self_reported_on = models.DateField("单位报告日期", null=True, blank=True)
    source = models.CharField(
        "来源", max_length=12, choices=NegativeSource.choices, default=NegativeSource.OTHER
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_on = models.DateField("核实日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    objects = NegativeQuerySet.as_manager()

    class Meta:
        verbose_name = "负面事项"
        verbose_name_plural = "负面事项"
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.what}"

    def reported_in_time(self, days: int) -> bool:
        """Self-reported within `days` of happening (otherwise deductions double)."""
        return (
            self.self_reported_on is not None
            and self.self_reported_on <= self.occurred_on + datetime.timedelta(days=days)
        )


class Revocation(models.Model):
    """摘牌: an honour taken away, with the reason, the decision document and the ban on
    applying again until `banned_until` (inclusive)."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="revocations")
    honour = models.OneToOneField(Honour, on_delete=models.PROTECT, related_name="revocation")
    decided_on = models.DateField("摘牌日期")
    reason = models.TextField("摘牌原因")
    document_title = models.CharField("决定文件文号/标题", max_length=200)
    document = models.ForeignKey(
        DecisionFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    banned_until = models.DateField("禁止申报截止日期", null=True, blank=True)
    negative_event = models.ForeignKey(
        NegativeEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "摘牌记录"
        verbose_name_plural = "摘牌记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.decided_on:%Y-%m-%d} 摘牌"

    def bans_on(self, day: datetime.date) -> bool:
        return self.banned_until is not None and day <= self.banned_until

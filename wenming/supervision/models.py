"""City-wide supervision (R12): the civilization office's own work over the units it keeps.

Not tied to any unit's campaign, the office:

- inspects any unit in its registry (`CityInspection`, 明查 or 暗访) and dispatches each
  problem found to that unit (`CityProblem`). The unit's 创建办 either answers it directly or
  puts it into the unit's own problem workflow (`oversight.Problem`, linked as
  `unit_problem`) and reports back; only the office closes it (销号) or returns it;
- publishes city bulletins (`CityBulletin`) that rank and name units, with the figures of
  each unit frozen at issue (`BulletinEntry`);
- pushes quarterly priorities (`Priority`, 季度重点工作) that each unit acknowledges
  (`PriorityAck`);
- collects monthly information submissions (`InfoRound`, 信息报送) by a deadline, with the
  table of who has and has not submitted (`InfoSubmission`).

Nothing here is hard-deleted: records leave view with `removed_at`.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from wenming.core.models import Event
from wenming.ledger.models import StoredFile
from wenming.orgs.models import Organization, OrgKind
from wenming.oversight.models import Problem, Severity

NUMBER_PREFIX = "SD"


_M = TypeVar("_M", bound=models.Model)


class LiveQuerySet(models.QuerySet[_M]):
    def live(self) -> LiveQuerySet[_M]:
        """Not removed from view."""
        return self.filter(removed_at__isnull=True)


# --- inspections and dispatched problems -------------------------------------------------------


class InspectionKind(models.TextChoices):
    OPEN = "open", "明查"
    COVERT = "covert", "暗访"


class CityInspection(models.Model):
    """One visit of the office's inspectors to a unit in its registry."""

    office = models.ForeignKey(
        Organization,
        verbose_name="文明办",
        on_delete=models.PROTECT,
        related_name="city_inspections",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    unit = models.ForeignKey(
        Organization,
        verbose_name="被督查单位",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.UNIT},
    )
    kind = models.CharField("方式", max_length=8, choices=InspectionKind.choices)
    inspected_on = models.DateField("督查日期")
    inspectors = models.CharField("督查人员", max_length=200)
    place = models.CharField("督查地点", max_length=200, blank=True)
    summary = models.TextField("督查情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LiveQuerySet["CityInspection"].as_manager()

    class Meta:
        verbose_name = "文明办督查"
        verbose_name_plural = "文明办督查"
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["office", "inspected_on"]),
            models.Index(fields=["unit", "inspected_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.inspected_on:%Y-%m-%d} {self.get_kind_display()}"


class CityProblemStatus(models.TextChoices):
    DISPATCHED = "dispatched", "待单位整改"
    ASSIGNED = "assigned", "单位整改中"
    AWAITING = "awaiting", "待文明办验收"
    CLOSED = "closed", "已销号"


class CityProblem(models.Model):
    """A problem the office found at a unit and dispatched to it; closed only by the office."""

    inspection = models.ForeignKey(
        CityInspection, on_delete=models.PROTECT, related_name="problems"
    )
    office = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The running number within the office and year: SD-2026-007.
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    description = models.TextField("问题描述")
    place = models.CharField("问题位置", max_length=200, blank=True)
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    deadline = models.DateField("整改时限")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=CityProblemStatus.choices,
        default=CityProblemStatus.DISPATCHED,
    )
    # The unit's own problem when its 创建办 put this into the unit's workflow.
    unit_problem = models.ForeignKey(
        Problem,
        verbose_name="转入的本单位问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rectification_note = models.TextField("整改情况", blank=True)
    rectified_at = models.DateTimeField("报送整改时间", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField("退回原因", blank=True)
    return_count = models.PositiveIntegerField("退回次数", default=0)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LiveQuerySet["CityProblem"].as_manager()

    class Meta:
        verbose_name = "交办问题"
        verbose_name_plural = "交办问题"
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "sequence"], name="city_problem_unique_number"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="city_problem_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:30]}"

    @property
    def number(self) -> str:
        return f"{NUMBER_PREFIX}-{self.year}-{self.sequence:03d}"

    @property
    def is_open(self) -> bool:
        return self.status != CityProblemStatus.CLOSED

    def days_overdue(self, today: datetime.date) -> int:
        """Days past the deadline while not closed; 0 when the rectification was reported by
        the deadline and waits for the office."""
        if self.status == CityProblemStatus.CLOSED or self.deadline >= today:
            return 0
        if (
            self.status == CityProblemStatus.AWAITING
            and self.rectified_at is not None
            and timezone.localtime(self.rectified_at).date() <= self.deadline
        ):
            return 0
        return (today - self.deadline).days


def overdue_q(day: datetime.date, prefix: str = "") -> Q:
    """`CityProblem.days_overdue(day) > 0` as a filter, also for a day in the past (a
    bulletin's period end): past its deadline at `day` and not closed by then, unless its
    rectification was reported by the deadline and waited for the office. `prefix` reaches
    the problem through a relation ("problems__")."""
    p = prefix
    closed_by_day = Q(**{f"{p}status": CityProblemStatus.CLOSED, f"{p}closed_at__date__lte": day})
    reported_in_time = Q(
        **{
            f"{p}status__in": [CityProblemStatus.AWAITING, CityProblemStatus.CLOSED],
            f"{p}rectified_at__isnull": False,
            f"{p}rectified_at__date__lte": F(f"{p}deadline"),
        }
    )
    return Q(**{f"{p}deadline__lt": day}) & ~closed_by_day & ~reported_in_time


class CityProblemFileKind(models.TextChoices):
    PROBLEM = "problem", "问题照片"
    RECTIFICATION = "rectification", "整改佐证"


def city_upload_to(instance: StoredFile, filename: str) -> str:
    """A path made only of our own ids: the user's file name never reaches the disk."""
    ext = instance.extension or "bin"
    return f"supervision/{instance.unit_id}/{instance.year}/{uuid.uuid4().hex}.{ext}"


class CityProblemFile(StoredFile):
    """A photo of the problem (the office's) or a proof of its rectification (the unit's)."""

    problem = models.ForeignKey(CityProblem, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField("用途", max_length=16, choices=CityProblemFileKind.choices)
    file = models.FileField(upload_to=city_upload_to, max_length=200)

    class Meta:
        verbose_name = "交办问题文件"
        verbose_name_plural = "交办问题文件"
        ordering = ["id"]


class CityProblemAction(models.TextChoices):
    DISPATCHED = "dispatched", "交办"
    ASSIGNED = "assigned", "转入单位整改"
    SUBMITTED = "submitted", "报送整改情况"
    VERIFIED = "verified", "验收销号"
    RETURNED = "returned", "验收未通过，退回整改"
    REMOVED = "removed", "撤回"


class CityProblemEvent(Event):
    """Every step of a dispatched problem: both the office and the unit see all of them."""

    problem = models.ForeignKey(CityProblem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=CityProblemAction.choices)
    from_status = models.CharField(max_length=12, choices=CityProblemStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CityProblemStatus.choices, blank=True)


# --- city bulletins ------------------------------------------------------------------------


class CityBulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class CityBulletin(models.Model):
    """The office's 通报 over its units: a ranked table and the units it names."""

    office = models.ForeignKey(
        Organization, verbose_name="文明办", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("期号", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    period_start = models.DateField("统计起始日期")
    period_end = models.DateField("统计截止日期")
    intro = models.TextField("通报正文", blank=True)
    status = models.CharField(
        "状态",
        max_length=8,
        choices=CityBulletinStatus.choices,
        default=CityBulletinStatus.DRAFT,
    )
    issued_on = models.DateField("印发日期", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet["CityBulletin"].as_manager()

    class Meta:
        verbose_name = "文明办通报"
        verbose_name_plural = "文明办通报"
        ordering = ["-year", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="city_bulletin_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="city_bulletin_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Verdict(models.TextChoices):
    NONE = "", "—"
    PRAISE = "praise", "通报表扬"
    CRITICIZE = "criticize", "通报批评"


class BulletinEntry(models.Model):
    """One unit's row in a city bulletin: its figures for the period (frozen when the
    bulletin is issued), its rank, and whether the bulletin praises or criticizes it."""

    bulletin = models.ForeignKey(CityBulletin, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    problems_found = models.PositiveIntegerField("督查发现问题", default=0)
    problems_closed = models.PositiveIntegerField("已整改销号", default=0)
    problems_overdue = models.PositiveIntegerField("逾期未整改", default=0)
    info_due = models.PositiveIntegerField("应报送信息", default=0)
    info_on_time = models.PositiveIntegerField("按时报送信息", default=0)
    priorities_due = models.PositiveIntegerField("应签收重点工作", default=0)
    priorities_acknowledged = models.PositiveIntegerField("已签收重点工作", default=0)
    verdict = models.CharField("通报结论", max_length=10, choices=Verdict.choices, blank=True)
    reason = models.TextField("表扬或批评事由", blank=True)

    class Meta:
        verbose_name = "通报单位"
        verbose_name_plural = "通报单位"
        ordering = ["bulletin_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "unit"], name="one_entry_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}:{self.unit_id}"


# --- quarterly priorities ----------------------------------------------------------------------


class Priority(models.Model):
    """季度重点工作: what the office asks every unit in its registry to do this quarter."""

    office = models.ForeignKey(
        Organization, verbose_name="文明办", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("工作要求")
    acknowledge_by = models.DateField("签收截止日期")
    published_at = models.DateTimeField("下发时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet["Priority"].as_manager()

    class Meta:
        verbose_name = "季度重点工作"
        verbose_name_plural = "季度重点工作"
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="priority_quarter_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度 {self.title}"


class PriorityAck(models.Model):
    """A unit's acknowledgement (签收) of a quarterly priority, with its reply."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="acks")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("落实打算", blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField("签收时间", default=timezone.now)

    class Meta:
        verbose_name = "重点工作签收"
        verbose_name_plural = "重点工作签收"
        ordering = ["priority_id", "acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "unit"], name="one_ack_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.priority_id}:{self.unit_id}"


# --- monthly information submissions -------------------------------------------------------


class InfoRound(models.Model):
    """A month's 信息报送: every unit in the office's registry submits by `due_on`."""

    office = models.ForeignKey(
        Organization, verbose_name="文明办", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    due_on = models.DateField("报送截止日期")
    note = models.TextField("报送要求", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet["InfoRound"].as_manager()

    class Meta:
        verbose_name = "月度信息报送"
        verbose_name_plural = "月度信息报送"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "month"],
                condition=Q(removed_at__isnull=True),
                name="one_info_round_per_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="info_round_month_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月信息报送"


class InfoSubmission(models.Model):
    """A unit's submission for a month: the month's 创建工作信息, with attachments."""

    round = models.ForeignKey(InfoRound, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("信息标题", max_length=200)
    content = models.TextField("信息内容")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "信息报送"
        verbose_name_plural = "信息报送"
        ordering = ["round_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_submission_per_unit")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def on_time(self) -> bool:
        return timezone.localtime(self.submitted_at).date() <= self.round.due_on


class InfoFile(StoredFile):
    """An attachment of a monthly submission (a report, a photo)."""

    submission = models.ForeignKey(InfoSubmission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=city_upload_to, max_length=200)

    class Meta:
        verbose_name = "信息报送附件"
        verbose_name_plural = "信息报送附件"
        ordering = ["id"]

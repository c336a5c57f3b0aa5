"""复查 (R12): the yearly re-check of the honours an office has named.

The office opens the year's 复查 (`Recheck`); every honour it named that is still held gets a
`RecheckReport` for its holder to file by the deadline: a 年度自查报告 and a self-score. The
office reviews each (with a formal scoring round where it chooses), keeps the year's score,
and decides 保留, 限期整改 (with a deadline and a follow-up check), 黄牌警告 or 撤销 through
the registry's services, so the honour's history shows the decision and its document. A
holder that misses the deadline is flagged; its title ends only if the office confirms.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.core.models import Event
from wenming.frameworks.models import Framework
from wenming.ledger.models import StoredFile
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import DecisionFile, Honour, HonourEvent, RegistryEntry
from wenming.scoring.models import ScoringRound


class RecheckQuerySet(models.QuerySet["Recheck"]):
    def live(self) -> RecheckQuerySet:
        return self.filter(removed_at__isnull=True)


class Recheck(models.Model):
    """The year's 复查 of an office."""

    office = models.ForeignKey(
        Organization,
        verbose_name="文明办",
        on_delete=models.PROTECT,
        related_name="rechecks",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    year = models.PositiveSmallIntegerField("复查年度")
    title = models.CharField("名称", max_length=100, help_text="如：2026年度文明单位复查")
    opens_on = models.DateField("开始日期")
    due_on = models.DateField("自查报告截止日期")
    framework = models.ForeignKey(
        Framework,
        verbose_name="测评体系",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # An office may count the average of the term's yearly scores toward the next term.
    average_counts = models.BooleanField("届期内年度平均分计入下届", default=False)
    note = models.TextField("说明", blank=True)
    # 复查结果通报: the decision published when the 复查 closes.
    closed_on = models.DateField("结束日期", null=True, blank=True)
    result_title = models.CharField("复查结果通报文号/标题", max_length=200, blank=True)
    result_document = models.ForeignKey(
        DecisionFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = RecheckQuerySet.as_manager()

    class Meta:
        verbose_name = "复查"
        verbose_name_plural = "复查"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"],
                condition=Q(removed_at__isnull=True),
                name="one_recheck_per_office_and_year",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="recheck_due_after_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    PENDING = "pending", "待提交"
    SUBMITTED = "submitted", "已提交"
    DECIDED = "decided", "已决定"


class Decision(models.TextChoices):
    KEPT = "kept", "保留"
    RECTIFY = "rectify", "限期整改"
    WARNED = "warned", "黄牌警告"
    REVOKED = "revoked", "撤销"
    # A holder that missed the deadline, its title ended on the office's confirmation.
    ENDED = "ended", "逾期未报，称号终止"


class RecheckReport(models.Model):
    """One holder's part of a 复查: its report and self-score, the office's score and decision."""

    recheck = models.ForeignKey(Recheck, on_delete=models.PROTECT, related_name="reports")
    honour = models.ForeignKey(Honour, on_delete=models.PROTECT, related_name="recheck_reports")
    entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="recheck_reports"
    )
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    report = models.TextField("年度自查报告", blank=True)
    self_score = models.DecimalField(
        "自评得分", max_digits=8, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The office's review: the year's score kept per holder, and a formal round if it chose.
    office_score = models.DecimalField(
        "复查得分", max_digits=8, decimal_places=2, null=True, blank=True
    )
    field_round = models.ForeignKey(
        ScoringRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField("复查意见", blank=True)
    decision = models.CharField("复查结论", max_length=10, choices=Decision.choices, blank=True)
    rectify_deadline = models.DateField("整改期限", null=True, blank=True)
    # 限期整改: the follow-up check and its result.
    followed_up_on = models.DateField("整改复核日期", null=True, blank=True)
    follow_up_passed = models.BooleanField("整改复核通过", null=True, blank=True)
    follow_up_comment = models.TextField("整改复核意见", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    honour_event = models.ForeignKey(
        HonourEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "复查自查报告"
        verbose_name_plural = "复查自查报告"
        ordering = ["recheck_id", "id"]
        indexes = [models.Index(fields=["recheck", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recheck", "honour"], name="one_report_per_honour_and_recheck"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recheck.year}年复查 {self.honour}"


def report_upload_to(instance: ReportFile, filename: str) -> str:
    """A path made only of our own ids: the user's file name never reaches the disk."""
    ext = instance.extension or "bin"
    return f"rechecks/{instance.unit_id}/{instance.year}/{uuid.uuid4().hex}.{ext}"


class ReportFile(StoredFile):
    """The signed, stamped copy of a holder's 自查报告 (PDF, Word or photo)."""

    report = models.ForeignKey(RecheckReport, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=report_upload_to, max_length=200)

    class Meta:
        verbose_name = "自查报告附件"
        verbose_name_plural = "自查报告附件"
        ordering = ["id"]


class ReportEventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交自查报告"
    RETURNED = "returned", "退回修改"
    SCORED = "scored", "复查打分"
    ROUND_OPENED = "round_opened", "安排实地复查"
    DECIDED = "decided", "作出复查结论"
    FOLLOWED_UP = "followed_up", "整改复核"
    MISSED = "missed", "逾期未报"


class ReportEvent(Event):
    """Every step of a holder's 复查, with the office's comment: the holder sees all of them."""

    report = models.ForeignKey(RecheckReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=14, choices=ReportEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"

    def __str__(self) -> str:
        return self.get_kind_display()

"""Service hours kept outside an activity record, 双报到 and 帮扶共建 (R9).

- `HoursImport` / `ServiceHours`: hours certified by whoever organized the service ("谁组织谁
  记录"), imported from a volunteer platform's Excel export (name, ID, hours, date). They add
  to the hours a person gave in recorded activities; both count in every total.
- `CommunityReport` / `CommunityFeedback`: a party member's report to the community where they
  live (双报到) and the community's quarterly feedback on them.
- `Pairing`: a 帮扶共建 partner with its plan; its visits are activities (kind 帮扶共建) that
  name the pairing, so each visit's proof is filed like any activity's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.campaigns.models import Campaign
from wenming.orgs.models import Organization


class HoursImport(models.Model):
    """One volunteer-hours sheet imported whole (or not at all)."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=200)
    rows = models.PositiveIntegerField("行数", default=0)
    hours = models.DecimalField("时长合计", max_digits=12, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "志愿服务时长导入"
        verbose_name_plural = "志愿服务时长导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class ServiceHours(models.Model):
    """Hours a person of the unit served on a day, certified by the organizer."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="service_hours",
    )
    served_on = models.DateField("服务日期")
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=2)
    organizer = models.CharField("组织单位", max_length=100, blank=True)
    project = models.CharField("服务项目", max_length=200, blank=True)
    source = models.ForeignKey(
        HoursImport,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "志愿服务时长"
        verbose_name_plural = "志愿服务时长"
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="service_hours_in_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "served_on"], name="service_hours_person"),
            models.Index(fields=["unit", "served_on"], name="service_hours_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.served_on} {self.hours}"


class CommunityReport(models.Model):
    """双报到: a party member of the unit reports to the community where they live."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="党员",
        on_delete=models.PROTECT,
        related_name="community_reports",
    )
    community = models.CharField("居住地社区", max_length=100)
    reported_on = models.DateField("报到日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "双报到"
        verbose_name_plural = "双报到"
        ordering = ["community", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(removed_at__isnull=True),
                name="community_report_once",
            ),
        ]

    def __str__(self) -> str:
        return self.community


class FeedbackRating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


class CommunityFeedback(models.Model):
    """The community's feedback on one reported member for one quarter."""

    report = models.ForeignKey(CommunityReport, on_delete=models.PROTECT, related_name="feedback")
    year = models.PositiveIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    rating = models.CharField("社区评价", max_length=10, choices=FeedbackRating.choices)
    hours = models.DecimalField("社区服务时长", max_digits=6, decimal_places=2, default=0)
    note = models.CharField("社区意见", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "社区反馈"
        verbose_name_plural = "社区反馈"
        ordering = ["year", "quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "year", "quarter"], name="community_feedback_once"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="community_feedback_quarter"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="community_feedback_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


class Pairing(models.Model):
    """帮扶共建: a partner (a community, village or school) with the unit's plan for it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pairings")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organization, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.CharField("共建对象", max_length=100)
    plan = models.TextField("共建计划")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    visits_planned = models.PositiveSmallIntegerField("计划走访次数（每年）", default=4)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "帮扶共建"
        verbose_name_plural = "帮扶共建"
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.partner

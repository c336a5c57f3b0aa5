"""A unit's campaign (R3): target honour, evaluation system, cycle, four phases, milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from wenming.frameworks.models import Framework, FrameworkLevel
from wenming.orgs.models import Organization


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", "筹备中"
    ORGANIZED = "organized", "已部署"
    CLOSED = "closed", "已结束"


class PhaseKind(models.TextChoices):
    MOBILIZE = "mobilize", "宣传发动"
    IMPLEMENT = "implement", "组织实施"
    IMPROVE = "improve", "总结提高"
    APPLY = "apply", "集中申报"


PHASE_ORDER = [PhaseKind.MOBILIZE, PhaseKind.IMPLEMENT, PhaseKind.IMPROVE, PhaseKind.APPLY]


class Campaign(models.Model):
    unit = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField("名称", max_length=120, help_text="如：2026—2028年创建省级文明单位")
    target_level = models.CharField("目标级别", max_length=16, choices=FrameworkLevel.choices)
    target_kind = models.CharField("目标称号", max_length=40, default="文明单位")
    framework = models.ForeignKey(
        Framework, verbose_name="测评体系", on_delete=models.PROTECT, related_name="campaigns"
    )
    cycle_start = models.DateField("创建周期开始")
    cycle_end = models.DateField("创建周期结束")
    application_date = models.DateField(
        "申报日期", null=True, blank=True, help_text="集中申报的截止日期；任务时限晚于它会被标出。"
    )
    guiding_ideas = models.TextField("指导思想", blank=True)
    goals = models.TextField("目标任务", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.PLANNING
    )
    is_active = models.BooleanField("当前创建工作", default=True)
    organized_at = models.DateTimeField("部署时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "创建工作"
        verbose_name_plural = "创建工作"
        ordering = ["-cycle_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_active=True), name="campaign_one_active_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(cycle_end__gte=F("cycle_start")), name="campaign_cycle_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("阶段", max_length=12, choices=PhaseKind.choices)
    name = models.CharField("名称", max_length=40)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    description = models.TextField("主要工作", blank=True)

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["campaign_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="phase_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(
        Phase,
        verbose_name="阶段",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    title = models.CharField("节点", max_length=200, help_text="如：九月底前全面部署到位")
    due = models.DateField("时间")
    owner_department = models.ForeignKey(
        Organization,
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateField("完成日期", null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title

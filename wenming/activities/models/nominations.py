"""先进典型 (R10): nominations of people and collectives, and the yearly internal ratings.

A `Nomination` moves nominated → recommended by its department → reviewed by the 创建办 →
公示 (a set number of the office's working days; objections recorded and answered) →
awarded → optionally referred upward (好人榜 and the like). Steps back (退回) and 不予评选
are recorded too. Every step writes a `NominationEvent`; once 公示 has begun the nomination's
content is frozen. An award files its ledger evidence for the standards it serves.

A `Rating` is a yearly internal rating (文明科室/文明职工/文明家庭) with its criteria and quota;
its nominations are those of its category and year.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import Organization


class Category(models.TextChoices):
    HELPFUL = "helpful", "助人为乐"
    BRAVE = "brave", "见义勇为"
    HONEST = "honest", "诚实守信"
    DEDICATED = "dedicated", "敬业奉献"
    FILIAL = "filial", "孝老爱亲"
    CIVIL_DEPARTMENT = "civil_department", "文明科室"
    CIVIL_WORKER = "civil_worker", "文明职工"
    CIVIL_FAMILY = "civil_family", "文明家庭"


# The categories of the yearly internal ratings; 文明科室 is a collective (a department).
RATING_CATEGORIES = (Category.CIVIL_DEPARTMENT, Category.CIVIL_WORKER, Category.CIVIL_FAMILY)
COLLECTIVE_CATEGORIES = (Category.CIVIL_DEPARTMENT,)


class Status(models.TextChoices):
    NOMINATED = "nominated", "已提名"
    RECOMMENDED = "recommended", "部门已推荐"
    REVIEWED = "reviewed", "创建办已审核"
    PUBLICIZING = "publicizing", "公示中"
    AWARDED = "awarded", "已评选"
    REFERRED = "referred", "已向上推荐"
    DECLINED = "declined", "未评选"
    WITHDRAWN = "withdrawn", "已撤回"


# Steps at which the nomination's content may still change.
EDITABLE = (Status.NOMINATED, Status.RECOMMENDED, Status.REVIEWED)


class Rating(models.Model):
    """A yearly internal rating: its criteria, quota and 公示 period."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="ratings")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    category = models.CharField("评选类别", max_length=20, choices=Category.choices)
    criteria = models.TextField("评选条件")
    quota = models.PositiveSmallIntegerField("名额")
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "年度评选"
        verbose_name_plural = "年度评选"
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "category"], name="rating_once_per_year"
            ),
            models.CheckConstraint(condition=Q(quota__gt=0), name="rating_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度{self.get_category_display()}评选"


class Nomination(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="nominations")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organization, verbose_name="推荐部门", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField("年度")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    rating = models.ForeignKey(
        Rating,
        verbose_name="年度评选",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # Who is nominated: a person of the unit, a department (文明科室) or, for a family or
    # someone from outside, a name as written.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="推荐人选",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    collective = models.ForeignKey(
        Organization,
        verbose_name="推荐集体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("名称", max_length=100)
    story = models.TextField("主要事迹")
    standards = models.ManyToManyField(Node, verbose_name="佐证的测评标准", related_name="+")
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束", null=True, blank=True)
    award_title = models.CharField("荣誉称号", max_length=100, blank=True)
    awarded_on = models.DateField("评选日期", null=True, blank=True)
    referred_to = models.CharField("推荐上报至", max_length=100, blank=True)
    referred_on = models.DateField("上报日期", null=True, blank=True)
    # The ledger item that files the award's proof (and, later, the referral's).
    evidence = models.OneToOneField(
        EvidenceItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nomination",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "先进典型推荐"
        verbose_name_plural = "先进典型推荐"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["unit", "year", "status"], name="nomination_unit_year")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_category_display()}）"


class NominationEvent(models.Model):
    """One step of a nomination's way, with who took it and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30)
    status = models.CharField("之后状态", max_length=20, choices=Status.choices)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "推荐记录"
        verbose_name_plural = "推荐记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.action


class Objection(models.Model):
    """An objection raised during 公示, and the 创建办's answer."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField("收到日期")
    raised_by = models.CharField("反映人", max_length=60, blank=True)
    content = models.TextField("反映内容")
    answer = models.TextField("核实答复", blank=True)
    upheld = models.BooleanField("反映属实", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.content[:20]

"""Inspections and problems (督查整改, R7): 挂账销号.

An `Inspection` is one round of looking at the unit (a routine walk, a key supervision, an
unannounced visit, or feedback from a higher inspection). Each `Problem` found is put on the
books (挂账) against a responsible department with a deadline; the department rectifies and
sends proof; only a verifier outside that department closes it (销号). A failed verification
returns it to rectifying with a reason. Every step is a `ProblemEvent`; nothing is deleted,
problems and inspections are only removed from view (`removed_at`).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.core.models import Event
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceItem, StoredFile
from wenming.orgs.models import Organization

NUMBER_PREFIX = "DC"


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", "日常督查"
    KEY = "key", "重点督办"
    UNANNOUNCED = "unannounced", "明查暗访"
    FEEDBACK = "feedback", "上级检查反馈"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class ProblemStatus(models.TextChoices):
    PENDING = "pending", "待整改"
    RECTIFYING = "rectifying", "整改中"
    AWAITING = "awaiting", "待验收"
    CLOSED = "closed", "已销号"


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def live(self) -> InspectionQuerySet:
        """Not removed from view."""
        return self.filter(removed_at__isnull=True)


class Inspection(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        "督查类型", max_length=16, choices=InspectionKind.choices, default=InspectionKind.ROUTINE
    )
    title = models.CharField("督查名称", max_length=200)
    inspected_on = models.DateField("督查日期")
    place = models.CharField("督查地点", max_length=200, blank=True)
    inspectors = models.CharField("督查人员", max_length=200, blank=True)
    findings = models.TextField("督查情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "督查"
        verbose_name_plural = "督查"
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["campaign", "inspected_on"])]

    def __str__(self) -> str:
        return self.title


class ProblemQuerySet(models.QuerySet["Problem"]):
    """Which problems count, defined once (see `docs/oversight.md`, "What counts").

    - `live()`: not removed from view.
    - `open()`: live and not closed (待整改, 整改中, 待验收).
    - `overdue(today)`: open and past the deadline, except a rectification submitted by the
      deadline that waits for verification (that wait is not the department's delay).
    """

    def live(self) -> ProblemQuerySet:
        return self.filter(problem_live_q())

    def open(self) -> ProblemQuerySet:
        return self.live().filter(problem_open_q())

    def closed(self) -> ProblemQuerySet:
        return self.live().exclude(problem_open_q())

    def overdue(self, today: datetime.date) -> ProblemQuerySet:
        return self.live().filter(problem_overdue_q(today))


def problem_live_q(prefix: str = "") -> Q:
    """`ProblemQuerySet.live()` as a condition, for aggregates over a relation (`prefix`,
    e.g. "problems__")."""
    return Q(**{f"{prefix}removed_at__isnull": True})


def problem_open_q(prefix: str = "") -> Q:
    """`ProblemQuerySet.open()` as a condition, for `Count(..., filter=)` on live rows."""
    return ~Q(**{f"{prefix}status": ProblemStatus.CLOSED})


def problem_overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """`ProblemQuerySet.overdue()` as a condition, for `Count(..., filter=)` and relations
    (`prefix`, e.g. "problems__"); the rows must already be live."""
    # Status first: SQLite then converts the date only for problems awaiting verification.
    on_time = Q(**{f"{prefix}status": ProblemStatus.AWAITING}) & Q(
        **{f"{prefix}rectified_at__date__lte": F(f"{prefix}deadline")}
    )
    return (
        Q(**{f"{prefix}deadline__lt": today})
        & ~Q(**{f"{prefix}status": ProblemStatus.CLOSED})
        & ~on_time
    )


class Problem(models.Model):
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="所属督查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="problems")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The running number within the unit and year: DC-2026-007.
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    description = models.TextField("问题描述")
    place = models.CharField("问题位置", max_length=200, blank=True)
    standard = models.ForeignKey(
        Node,
        verbose_name="对应测评标准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    department = models.ForeignKey(
        Organization, verbose_name="责任部门", on_delete=models.PROTECT, related_name="problems"
    )
    deadline = models.DateField("整改时限")
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    status = models.CharField(
        "状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.PENDING
    )
    rectification_note = models.TextField("整改情况", blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    return_count = models.PositiveIntegerField("退回次数", default=0)
    rectified_at = models.DateTimeField("提交整改时间", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    evidence_items = models.ManyToManyField(
        EvidenceItem, verbose_name="整改台账", blank=True, related_name="problems"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="problem_unique_number_in_unit"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="problem_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["department", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:30]}"

    @property
    def number(self) -> str:
        return f"{NUMBER_PREFIX}-{self.year}-{self.sequence:03d}"

    @property
    def is_open(self) -> bool:
        return self.status != ProblemStatus.CLOSED

    def days_overdue(self, today: datetime.date) -> int:
        """Days past the deadline while not closed; 0 when on time or closed, or when the
        rectification was submitted by the deadline and waits for verification."""
        if self.status == ProblemStatus.CLOSED or self.deadline >= today:
            return 0
        if (
            self.status == ProblemStatus.AWAITING
            and self.rectified_at is not None
            and timezone.localtime(self.rectified_at).date() <= self.deadline
        ):
            return 0
        return (today - self.deadline).days

    def is_overdue(self, today: datetime.date) -> bool:
        return self.days_overdue(today) > 0

    def age_days(self, today: datetime.date) -> int:
        """Days on the books: until closing, or until today while open."""
        start = self.created_at.date() if self.created_at else today
        end = self.closed_at.date() if self.closed_at else today
        return max(0, (end - start).days)


class ProblemFileKind(models.TextChoices):
    PROBLEM = "problem", "问题照片"
    RECTIFICATION = "rectification", "整改佐证"


def problem_upload_to(instance: ProblemFile, filename: str) -> str:
    """A path made only of our own ids: the user's file name never reaches the disk."""
    ext = instance.extension or "bin"
    return f"oversight/{instance.unit_id}/{instance.year}/{uuid.uuid4().hex}.{ext}"


class ProblemFileQuerySet(models.QuerySet["ProblemFile"]):
    def live(self) -> ProblemFileQuerySet:
        """Not removed from view."""
        return self.filter(removed_at__isnull=True)


class ProblemFile(StoredFile):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField("用途", max_length=16, choices=ProblemFileKind.choices)
    file = models.FileField(upload_to=problem_upload_to, max_length=200)

    objects = ProblemFileQuerySet.as_manager()

    class Meta:
        verbose_name = "问题文件"
        verbose_name_plural = "问题文件"
        ordering = ["id"]


class EventAction(models.TextChoices):
    CREATED = "created", "挂账"
    STARTED = "started", "开始整改"
    SUBMITTED = "submitted", "提交验收"
    VERIFIED = "verified", "验收销号"
    RETURNED = "returned", "验收未通过，退回整改"
    REASSIGNED = "reassigned", "调整责任部门或时限"
    REMOVED = "removed", "删除"


class ProblemEvent(Event):
    """Every step of a problem's life: who, when, from which status to which, and why.

    A workflow timeline (`wenming.core.models.Event`), shown on the problem's page and read
    per problem, while the trace keeps the field-by-field audit.
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=EventAction.choices)
    from_status = models.CharField(max_length=12, choices=ProblemStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ProblemStatus.choices, blank=True)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


# --- bulletins (通报) ----------------------------------------------------------------------


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class BulletinQuerySet(models.QuerySet["Bulletin"]):
    def live(self) -> BulletinQuerySet:
        """Not removed (only drafts are ever removed)."""
        return self.filter(removed_at__isnull=True)


class Bulletin(models.Model):
    """A bulletin (通报) on a period: praise, criticism and the problem list, in official form.

    Generated from the data as a draft the office edits; issued, it is read-only, visible to
    the unit, and printed as a Word document (文号, title, body, issuing office, date).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="bulletins")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("文号", max_length=60, blank=True, help_text="如 临市监创〔2026〕5号")
    title = models.CharField("标题", max_length=200)
    period_start = models.DateField("通报期间自")
    period_end = models.DateField("至")
    # The body in parts, each plain text the office edits (paragraphs separated by blank lines).
    opening = models.TextField("开头", blank=True)
    praise = models.TextField("表扬", blank=True)
    criticism = models.TextField("批评", blank=True)
    problems = models.TextField("问题清单", blank=True)
    requirements = models.TextField("下一步工作要求", blank=True)
    # The figures the draft was generated from, kept as they were: {"praise": [...], ...}.
    facts = models.JSONField(default=dict, blank=True)
    issuer = models.CharField("发文机关", max_length=100)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="bulletin_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- department assessment (R8) -----------------------------------------------------------


class AssessmentRule(models.Model):
    """How a unit scores its departments for a year; the office sets the weights.

    Each weight is the points a department earns at a 100 % rate of that measure; the total
    is their sum (100 by default). A department with more overdue problems than
    `max_overdue_problems`, or with an accountability record, loses award eligibility.
    """

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    tasks_on_time = models.DecimalField(
        "任务按时完成", max_digits=6, decimal_places=2, default=Decimal("40")
    )
    evidence_first_pass = models.DecimalField(
        "台账一次审核通过", max_digits=6, decimal_places=2, default=Decimal("20")
    )
    problems_on_time = models.DecimalField(
        "问题按时整改", max_digits=6, decimal_places=2, default=Decimal("25")
    )
    reports_submitted = models.DecimalField(
        "周报按时报送", max_digits=6, decimal_places=2, default=Decimal("15")
    )
    max_overdue_problems = models.PositiveIntegerField(
        "逾期问题上限", default=2, help_text="逾期未整改的问题超过此数，取消评优资格。"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "部门考核规则"
        verbose_name_plural = "部门考核规则"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_rule_unique_year"),
            models.CheckConstraint(
                condition=Q(tasks_on_time__gte=0)
                & Q(evidence_first_pass__gte=0)
                & Q(problems_on_time__gte=0)
                & Q(reports_submitted__gte=0),
                name="assessment_rule_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年部门考核规则"


class AccountabilityQuerySet(models.QuerySet["Accountability"]):
    def live(self) -> AccountabilityQuerySet:
        """In force: not withdrawn."""
        return self.filter(removed_at__isnull=True)

    def withdrawn(self) -> AccountabilityQuerySet:
        return self.filter(removed_at__isnull=False)


class Accountability(models.Model):
    """An accountability record (追责) against a department: it loses award eligibility."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organization, verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("追责日期")
    person = models.CharField("被追责人员", max_length=100, blank=True)
    # The person, when they are a user of the platform: they lose 个人评优资格.
    person_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被追责人员（账号）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("事由")
    measure = models.CharField(
        "处理方式", max_length=100, blank=True, help_text="如 通报批评、诫勉谈话"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    objects = AccountabilityQuerySet.as_manager()

    class Meta:
        verbose_name = "追责记录"
        verbose_name_plural = "追责记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.department} {self.decided_on:%Y-%m-%d} 追责"


class CommendationQuerySet(models.QuerySet["Commendation"]):
    def live(self) -> CommendationQuerySet:
        """In force: not withdrawn."""
        return self.filter(removed_at__isnull=True)


class Commendation(models.Model):
    """A commendation (表彰奖励) the 创建办 records for a department or a person."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organization,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField("表彰日期")
    title = models.CharField("表彰名称", max_length=100, help_text="如 创建工作先进个人")
    reason = models.TextField("事迹/理由")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = "表彰奖励"
        verbose_name_plural = "表彰奖励"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(person__isnull=False),
                name="commendation_has_recipient",
            )
        ]

    def __str__(self) -> str:
        who = self.person or self.department
        return f"{who} {self.title}"

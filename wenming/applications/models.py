"""Applications (申报, R12): the batches a civilization office opens, the applications its units
file inside the window, and every step from 初审 to 命名.

A batch carries its eligibility rules as data (`EligibilityRule`); an application carries the
unit's 申报表 facts, its 创建工作总结, its latest self-assessment and a frozen snapshot of the
ledger items and files that prove each standard (`SnapshotItem`, `SnapshotFile`: the files are
not copied, the snapshot refers to the immutable stored files). The office's 实地测评 is a
formal scoring round (`wenming.scoring`) on the applicant's campaign, scored against the
frozen submission; 征求意见 and 公示 are recorded here; 命名 adds the honour to the registry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.core.models import Event
from wenming.frameworks.models import Framework
from wenming.ledger.models import EvidenceFile, EvidenceItem
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import TERM_CHOICES, DecisionFile, Honour, Level, RegistryEntry
from wenming.scoring.models import ScoringRound


class BatchQuerySet(models.QuerySet["Batch"]):
    def live(self) -> BatchQuerySet:
        return self.filter(removed_at__isnull=True)


class Batch(models.Model):
    """An application batch (申报批次): one honour at one level, a window, a quota."""

    office = models.ForeignKey(
        Organization,
        verbose_name="文明办",
        on_delete=models.PROTECT,
        related_name="application_batches",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("批次名称", max_length=100, help_text="如：2026年度市级文明单位申报")
    honour_title = models.CharField("申报称号", max_length=40, help_text="如：市级文明单位")
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    term_years = models.PositiveSmallIntegerField("有效期（年）", choices=TERM_CHOICES, default=3)
    batch_label = models.CharField("命名批次", max_length=40, blank=True, help_text="如：第十批")
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    quota = models.PositiveIntegerField("命名名额")
    materials = models.TextField("申报材料要求", blank=True, help_text="每行一项")
    framework = models.ForeignKey(
        Framework,
        verbose_name="测评体系",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary_limit = models.PositiveIntegerField("创建工作总结字数上限", default=3000)
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    note = models.TextField("说明", blank=True)
    # 命名: the decision that named the batch's units.
    named_on = models.DateField("命名日期", null=True, blank=True)
    decision_title = models.CharField("命名决定文号/标题", max_length=200, blank=True)
    decision_document = models.ForeignKey(
        DecisionFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-year", "-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="batch_window_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RuleKind(models.TextChoices):
    HOLDS_LOWER = "holds_lower", "连续保持下一级称号"
    MIN_STAFF = "min_staff", "职工人数下限"
    NO_VETO = "no_veto", "追溯期内无一票否决事项"
    NOT_BANNED = "not_banned", "不在摘牌后的禁止申报期内"
    NOT_HELD = "not_held", "未持有同级或更高级称号"


class EligibilityRule(models.Model):
    """One eligibility rule of a batch, as data. Parameters by kind:

    - holds_lower: `level` (the lower level held) and `years` (consecutive years up to the
      batch's year);
    - min_staff: `number`;
    - no_veto: `years` (the look-back window, counting the batch's year);
    - not_banned, not_held: none (the same honour counts once, at its highest level).
    """

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField("规则", max_length=12, choices=RuleKind.choices)
    level = models.CharField("级别", max_length=10, choices=Level.choices, blank=True)
    years = models.PositiveSmallIntegerField("年数", null=True, blank=True)
    number = models.PositiveIntegerField("数量", null=True, blank=True)

    class Meta:
        verbose_name = "申报条件"
        verbose_name_plural = "申报条件"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind"], name="rule_kind_once_per_batch")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待初审"
    RETURNED = "returned", "退回补充"
    ACCEPTED = "accepted", "初审通过"
    ASSESSED = "assessed", "已实地测评"
    CONSULTED = "consulted", "已征求意见"
    PUBLICIZED = "publicized", "公示中"
    NAMED = "named", "已命名"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


# An application in one of these statuses counts against nothing and can be filed again.
CLOSED_STATUSES = (ApplicationStatus.NAMED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


class Application(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="applications")
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    # 申报表: the basic facts.
    principal_name = models.CharField("单位主要负责人", max_length=40)
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("单位地址", max_length=200, blank=True)
    staff_count = models.PositiveIntegerField("职工人数")
    party_member_count = models.PositiveIntegerField("党员人数", null=True, blank=True)
    volunteer_count = models.PositiveIntegerField("注册志愿者人数", null=True, blank=True)
    basic_facts = models.TextField("单位基本情况", blank=True)
    summary = models.TextField("创建工作总结")
    # The latest self-assessment, as it stood when the unit submitted.
    self_round = models.ForeignKey(
        ScoringRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    self_total = models.DecimalField(
        "自评得分", max_digits=8, decimal_places=2, null=True, blank=True
    )
    # The last eligibility check: [{"kind", "label", "ok", "reason"}].
    eligibility = models.JSONField(default=list, blank=True)
    frozen_at = models.DateTimeField("材料冻结时间", null=True, blank=True)
    # 初审: returned for supplement until this day.
    supplement_deadline = models.DateField("补充材料截止日期", null=True, blank=True)
    # 实地测评: the office's formal round on the applicant's campaign.
    field_round = models.ForeignKey(
        ScoringRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="测评人员", blank=True, related_name="+"
    )
    field_score = models.DecimalField(
        "实地测评得分", max_digits=8, decimal_places=2, null=True, blank=True
    )
    survey_rate = models.DecimalField(
        "群众满意率（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    survey_note = models.TextField("问卷调查情况", blank=True)
    # 公示: from the first to the last working day of the notice period.
    publicity_starts_on = models.DateField("公示开始日期", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束日期", null=True, blank=True)
    honour = models.OneToOneField(
        Honour, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["batch_id", "id"]
        indexes = [models.Index(fields=["batch", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "unit"],
                condition=~Q(status="withdrawn"),
                name="one_application_per_unit_and_batch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} 申报{self.batch.honour_title}"


class SnapshotItem(models.Model):
    """A ledger item as it stood when the application was frozen; no later edit changes it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="snapshot_items"
    )
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("台账名称", max_length=200)
    department_name = models.CharField("部门", max_length=100, blank=True)
    activity_date = models.DateField("活动日期", null=True, blank=True)
    summary = models.TextField("活动情况", blank=True)
    result = models.TextField("取得成效", blank=True)
    status = models.CharField("审核状态", max_length=12)
    # The standards the item proved, by id, as linked at freezing.
    standard_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = "冻结台账"
        verbose_name_plural = "冻结台账"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class SnapshotFile(models.Model):
    """A file of a frozen item: a reference to the stored file, never a copy."""

    snapshot_item = models.ForeignKey(SnapshotItem, on_delete=models.CASCADE, related_name="files")
    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField("文件名", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "冻结附件"
        verbose_name_plural = "冻结附件"
        ordering = ["snapshot_item_id", "position", "id"]

    def __str__(self) -> str:
        return self.original_name


class OpinionBody(models.TextChoices):
    DISCIPLINE = "discipline", "纪检监察机关"
    LEGAL = "legal", "政法委（综治）"
    PETITION = "petition", "信访部门"
    POLICE = "police", "公安机关"
    OTHER = "other", "其他部门"


class Opinion(models.Model):
    """征求意见: one body's opinion on an application; an adverse opinion is a veto."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinions")
    body = models.CharField("征求意见单位", max_length=12, choices=OpinionBody.choices)
    body_name = models.CharField("单位名称", max_length=60, blank=True)
    adverse = models.BooleanField("有否决意见", default=False)
    content = models.TextField("意见内容")
    received_on = models.DateField("回复日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.body_name or self.get_body_display()}意见"


class Objection(models.Model):
    """An objection received during 公示, and the office's answer."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    answer = models.TextField("核查与答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    # Found true on checking: the application cannot be named.
    upheld = models.BooleanField("异议成立", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"异议（{self.received_on}）"


class ApplicationEventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交申报"
    RETURNED = "returned", "退回补充"
    RESUBMITTED = "resubmitted", "补充后重新提交"
    ACCEPTED = "accepted", "初审通过"
    ROUND_OPENED = "round_opened", "安排实地测评"
    ASSESSED = "assessed", "实地测评完成"
    OPINION = "opinion", "记录征求意见"
    CONSULTED = "consulted", "征求意见完成"
    PUBLICIZED = "publicized", "开始公示"
    OBJECTION = "objection", "收到公示异议"
    ANSWERED = "answered", "答复公示异议"
    NAMED = "named", "命名"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "撤回申报"


class ApplicationEvent(Event):
    """Every step of an application, with the office's comment: the unit sees all of them."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=14, choices=ApplicationEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = "申报记录"
        verbose_name_plural = "申报记录"

    def __str__(self) -> str:
        return self.get_kind_display()

"""Evaluation systems (测评体系, R2): a versioned tree of items, contents and standards.

A published system is immutable: every change goes into a new draft version.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from wenming.orgs.models import Organization

ZERO = Decimal("0")


class FrameworkLevel(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "全国"
    OTHER = "other", "其他"


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


# Kinds of honour are open-ended; these are offered in forms.
FRAMEWORK_KINDS = [
    "文明单位",
    "文明机关",
    "文明校园",
    "文明城市",
    "文明村镇",
    "文明家庭",
    "文明窗口",
]


class Framework(models.Model):
    owner = models.ForeignKey(
        Organization,
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text="导入并维护该体系的文明办或单位；为空表示平台示例库。",
    )
    lineage = models.CharField(
        "体系编码", max_length=60, help_text="同一体系各版本共用的编码，如 LZ-WMDW。"
    )
    version = models.PositiveIntegerField("版本号", default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    name = models.CharField("名称", max_length=200)
    issuer = models.CharField("发布机关", max_length=100, blank=True)
    level = models.CharField("级别", max_length=16, choices=FrameworkLevel.choices)
    kind = models.CharField("类别", max_length=40, default="文明单位")
    edition_year = models.PositiveIntegerField("版本年度", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description = models.TextField("说明", blank=True)
    basic_points = models.DecimalField(
        "基本分",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="体系标明的基本分总分；导入时与各项合计核对。",
    )
    bonus_cap = models.DecimalField(
        "加分上限", max_digits=8, decimal_places=2, null=True, blank=True
    )
    deduction_cap = models.DecimalField(
        "扣分上限", max_digits=8, decimal_places=2, null=True, blank=True
    )
    concealment_multiplier = models.DecimalField(
        "未主动报告扣分倍数", max_digits=4, decimal_places=2, default=Decimal("2")
    )
    pass_threshold = models.DecimalField(
        "达标分数线", max_digits=8, decimal_places=2, null=True, blank=True
    )
    excellent_threshold = models.DecimalField(
        "标兵分数线", max_digits=8, decimal_places=2, null=True, blank=True
    )
    material_window = models.TextField("材料时限说明", blank=True)
    source_name = models.CharField("来源文件", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "测评体系"
        verbose_name_plural = "测评体系"
        ordering = ["lineage", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "lineage", "version"], name="framework_unique_version"
            ),
            models.UniqueConstraint(
                fields=["lineage", "version"],
                condition=Q(owner__isnull=True),
                name="framework_unique_library_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    @property
    def is_editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class Section(models.TextChoices):
    BASIC = "basic", "基本指标"
    BONUS = "bonus", "特色/加分"
    DEDUCTION = "deduction", "负面清单/扣分"
    VETO = "veto", "一票否决"


class ScoringMode(models.TextChoices):
    FREE = "free", "自由打分"
    GRADE = "grade", "等级评分"
    DEDUCT = "deduct", "按缺项扣分"


class Method(models.TextChoices):
    MATERIAL = "材料审核", "材料审核"
    FIELD = "实地考察", "实地考察"
    SURVEY = "问卷调查", "问卷调查"
    ONLINE = "网络调查", "网络调查"
    OPINION = "征求相关部门意见", "征求相关部门意见"
    BRIEFING = "听取汇报", "听取汇报"


# Grade scales that real systems use, named so YAML and forms can refer to them.
GRADE_PRESETS: dict[str, list[tuple[str, Decimal]]] = {
    "abc": [("A", Decimal("1")), ("B", Decimal("0.66")), ("C", Decimal("0.33")), ("C#", ZERO)],
    "grade4": [
        ("好", Decimal("1")),
        ("较好", Decimal("0.5")),
        ("一般", Decimal("0.25")),
        ("差", ZERO),
    ],
    "fixed": [("达到", Decimal("1")), ("未达到", ZERO)],
}
# A rate (知晓率, 满意率...) mapped to A/B/C/C#; the cut-offs go in the scoring rule.
GRADE_PRESETS["rate_to_abc"] = GRADE_PRESETS["abc"]


class Node(models.Model):
    """One node of the tree: an item, a content, or (when it has no children) a standard."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    section = models.CharField(
        "部分", max_length=12, choices=Section.choices, default=Section.BASIC
    )
    position = models.PositiveIntegerField("顺序", default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    is_leaf = models.BooleanField("是否测评标准", default=True)
    code = models.CharField("编号", max_length=40)
    title = models.TextField("标题")
    description = models.TextField("说明", blank=True)
    points = models.DecimalField(
        "分值",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="基本指标与加分项的分值；一票否决项为空。",
    )
    methods = models.JSONField("测评方法", default=list, blank=True)
    evidence = models.TextField("佐证材料要求", blank=True)
    material_window = models.CharField("材料时限", max_length=200, blank=True)
    scoring_mode = models.CharField(
        "评分方式", max_length=10, choices=ScoringMode.choices, default=ScoringMode.FREE
    )
    # [{"label": "A", "points": "2.00"}, ...] in descending order for grade scoring.
    grades = models.JSONField("等级", default=list, blank=True)
    scoring_rule = models.TextField("评分细则", blank=True)
    deduction_step = models.DecimalField(
        "每处扣分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    # Deduction items (负面清单).
    per_incident = models.DecimalField(
        "每次扣分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    incident_unit = models.CharField("计扣单位", max_length=10, blank=True)
    deduction_cap = models.DecimalField(
        "扣分上限", max_digits=6, decimal_places=2, null=True, blank=True
    )
    # Veto items (一票否决).
    lookback = models.CharField("追溯期", max_length=100, blank=True)
    lookback_months = models.PositiveIntegerField("追溯月数", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "测评节点"
        verbose_name_plural = "测评节点"
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="node_unique_code"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="node_points_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["framework", "position"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def level_name(self) -> str:
        if self.section != Section.BASIC:
            return "测评标准" if self.is_leaf else self.get_section_display()
        if self.is_leaf:
            return "测评标准"
        return {0: "测评项目", 1: "测评内容"}.get(self.depth, "分组")

    def clean(self) -> None:
        if self.section == Section.VETO and self.points not in (None, ZERO):
            raise ValidationError({"points": "一票否决项不计分值，请清空分值。"})


class ReadingProfile(models.Model):
    """How a user corrected the reading of one issuer's documents (列的含义、行的角色、上限),
    applied to the next document from the same issuer so it reads right the first time.

    Corrections are kept by what a row says and what a column is called, not by row numbers,
    so they still fit an edition with rows added or moved.
    """

    owner = models.ForeignKey(
        Organization, verbose_name="导入单位", on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.CharField("发布机关", max_length=200, blank=True)
    signature = models.CharField("表头", max_length=500, blank=True)
    corrections = models.JSONField("修正", default=dict)
    times_used = models.PositiveIntegerField("使用次数", default=0)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "读取方案"
        verbose_name_plural = "读取方案"
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "issuer"])]

    def __str__(self) -> str:
        return self.issuer or self.signature[:40] or f"读取方案 {self.pk}"


class ImportDraft(models.Model):
    """An uploaded document waiting in the import preview. Nothing of it is an evaluation
    system until the user saves the reading; the upload is kept so the preview can read it
    again after each correction."""

    owner = models.ForeignKey(
        Organization, verbose_name="归属", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField("文件名", max_length=255)
    content = models.BinaryField("文件内容")
    overrides = models.JSONField("导入时填写的信息", default=dict, blank=True)
    corrections = models.JSONField("修正", default=dict, blank=True)
    profile = models.ForeignKey(
        ReadingProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "待确认的导入"
        verbose_name_plural = "待确认的导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_open(self) -> bool:
        return self.framework_id is None and self.discarded_at is None

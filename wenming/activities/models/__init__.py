"""Activities (R9): what a unit does with its people — 志愿服务, 双报到, 道德讲堂, 我们的节日 — each
with the people who took part and their hours, and its proof filed once as a ledger item.

An `Activity` belongs to a campaign (its unit's), is organized by one department and serves
standards of the campaign's system. Its `Attendance` rows are the participants: a person of
the unit (`person`) or someone from outside (`external_name`), each with hours. The same
attendance model serves study sessions (kinds 中心组学习 and 集体学习) and, later, meetings.
Recording an activity files its ledger item (`evidence`: 一事一档) with the photos and a
generated sign-in sheet, so the proof and the numbers come from one entry.

Nothing is hard-deleted: an activity leaves view with `removed_at` (`Activity.objects.live()`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import Organization
from wenming.tasks.models import Occurrence, Task

MAX_HOURS_A_DAY = Decimal("24")


class ActivityKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿服务"
    DOUBLE_REPORT = "double_report", "双报到"
    MORAL_LECTURE = "moral_lecture", "道德讲堂"
    FESTIVAL = "festival", "我们的节日"
    CULTURE_SPORTS = "culture_sports", "文体活动"
    READING = "reading", "读书活动"
    PAIRING = "pairing", "帮扶共建"
    DONATION = "donation", "爱心捐助"
    PARTY_DAY = "party_day", "主题党日"
    STUDY_CENTER = "study_center", "中心组学习"
    STUDY_GROUP = "study_group", "集体学习"
    OTHER = "other", "其他"


# The five steps of a 道德讲堂 session, in order (its `moral_steps` keys).
MORAL_STEPS: list[tuple[str, str]] = [
    ("sing", "唱歌曲"),
    ("model", "学模范"),
    ("classic", "诵经典"),
    ("reflect", "发善心"),
    ("bless", "送吉祥"),
]
# The kinds that count as study sessions (R19).
STUDY_KINDS = (ActivityKind.STUDY_CENTER, ActivityKind.STUDY_GROUP, ActivityKind.PARTY_DAY)


class ActivityQuerySet(models.QuerySet["Activity"]):
    def live(self) -> ActivityQuerySet:
        """The activities that count: not removed."""
        return self.filter(removed_at__isnull=True)


class Activity(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="activities")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organization, verbose_name="组织部门", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200)
    # 我们的节日: which festival (a key of `wenming.activities.festivals.FESTIVALS`).
    festival = models.CharField("节日", max_length=20, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    task = models.ForeignKey(
        Task,
        verbose_name="工作任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    # A recurring task's dated instance this activity carries out (e.g. the March 道德讲堂).
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name="任务批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    standards = models.ManyToManyField(Node, verbose_name="佐证的测评标准", related_name="+")
    summary = models.TextField("活动情况", blank=True)
    result = models.TextField("取得成效", blank=True)
    # 帮扶共建: the pairing this activity visited (its visits are activities).
    pairing = models.ForeignKey(
        "activities.Pairing",
        verbose_name="帮扶共建对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # 道德讲堂: what each of the five steps held, by the keys of MORAL_STEPS.
    moral_steps = models.JSONField("道德讲堂五个环节", default=dict, blank=True)
    # The ledger item that files the activity's proof (一事一档).
    evidence = models.OneToOneField(
        EvidenceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="activity"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="activity_unit_start"),
            models.Index(fields=["campaign", "kind", "starts_at"], name="activity_campaign_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One participant of an activity (or study session): a person of the unit, or a name
    from outside, with the hours they gave."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    external_name = models.CharField("外单位人员", max_length=60, blank=True)
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=2, default=Decimal(0))
    note = models.CharField("备注", max_length=100, blank=True)

    class Meta:
        verbose_name = "参加人员"
        verbose_name_plural = "参加人员"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(external_name=""),
                name="attendance_has_someone",
            ),
            # At most 24 hours a day of the activity: checked by the services.
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_not_negative"),
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(person__isnull=False),
                name="attendance_once_per_person",
            ),
        ]
        indexes = [models.Index(fields=["person", "activity"], name="attendance_person")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The participant's name as lists and the sign-in sheet show it."""
        if self.person is None:
            return self.external_name
        return self.person.get_full_name() or self.person.username


# --- volunteers ------------------------------------------------------------------------------

# 星级志愿者: the hours in all at which a volunteer reaches each star.
STAR_HOURS: list[tuple[int, Decimal]] = [
    (1, Decimal(100)),
    (2, Decimal(300)),
    (3, Decimal(600)),
    (4, Decimal(1000)),
    (5, Decimal(1500)),
]


class Volunteer(models.Model):
    """A person of the unit registered as a volunteer (注册志愿者), in the national volunteer
    system (全国志愿服务信息系统) or not."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_records"
    )
    registered_on = models.DateField("注册日期")
    national = models.BooleanField("已在全国志愿服务信息系统注册", default=False)
    national_id = models.CharField("志愿者编号", max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "注册志愿者"
        verbose_name_plural = "注册志愿者"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(removed_at__isnull=True),
                name="volunteer_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.person.get_full_name() or self.person.username


# --- what a standard asks of people ------------------------------------------------------------


class Figure(models.TextChoices):
    """The figures a standard about people can be measured by; each is computed one way, in
    `wenming.activities.measures`."""

    VOLUNTEER_RATE = "volunteer_rate", "注册志愿者占职工总数的比例（%）"
    HOURS_PER_PERSON = "hours_per_person", "人均志愿服务时长（小时/年）"
    ACTIVITIES = "activities", "开展活动次数（次/年）"
    MONTHLY = "monthly", "每月开展活动（月数）"
    FESTIVALS = "festivals", "传统节日开展主题活动（个）"
    STUDY_SESSIONS = "study_sessions", "人均参加学习（次/年）"
    STUDY_POINTS = "study_points", "人均学习平台积分（分/年）"
    PAIRING_VISITS = "pairing_visits", "帮扶共建走访（次/年）"
    MODELS = "models", "选树先进典型（个/年）"


class StandardMeasure(models.Model):
    """Which figure measures a standard of the campaign, and the target it must reach: set by
    the 创建办 (prefilled from the standard's words where they state one)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="measures")
    standard = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    figure = models.CharField("计算口径", max_length=20, choices=Figure.choices)
    # For ACTIVITIES and MONTHLY: the kind of activity counted (blank: every kind).
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices, blank=True)
    target = models.DecimalField("目标值", max_digits=8, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "标准计算口径"
        verbose_name_plural = "标准计算口径"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "standard"], name="measure_one_per_standard"
            ),
            models.CheckConstraint(condition=Q(target__gt=0), name="measure_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} {self.get_figure_display()}"


# The people side's other records, kept in their own modules (registered with the app here).
from wenming.activities.models.nominations import (  # noqa: E402
    Category,
    Nomination,
    NominationEvent,
    Objection,
    Rating,
)
from wenming.activities.models.nominations import Status as NominationStatus  # noqa: E402
from wenming.activities.models.service import (  # noqa: E402
    CommunityFeedback,
    CommunityReport,
    FeedbackRating,
    HoursImport,
    Pairing,
    ServiceHours,
)
from wenming.activities.models.study import (  # noqa: E402
    Exam,
    ExamScore,
    PointsImport,
    StudyPoints,
    StudyTarget,
)

__all__ = [
    "MAX_HOURS_A_DAY",
    "MORAL_STEPS",
    "STAR_HOURS",
    "STUDY_KINDS",
    "Activity",
    "ActivityKind",
    "Attendance",
    "Category",
    "CommunityFeedback",
    "CommunityReport",
    "Exam",
    "ExamScore",
    "FeedbackRating",
    "Figure",
    "HoursImport",
    "Nomination",
    "NominationEvent",
    "NominationStatus",
    "Objection",
    "Pairing",
    "PointsImport",
    "Rating",
    "ServiceHours",
    "StandardMeasure",
    "StudyPoints",
    "StudyTarget",
    "Volunteer",
]

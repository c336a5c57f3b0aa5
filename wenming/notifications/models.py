"""In-app notifications (R15, 消息提醒), each person's preferences and the daily digest record.

A notification is identified by its recipient and `key`, the identity of the event it
reports ("task_overdue:12:2026-05-01"). The unique constraint on the pair is what makes
"never twice" hold even when two scans run at once: the second insert is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    TASK_DUE_7 = "task_due_7", "任务7天内到期"
    TASK_DUE_1 = "task_due_1", "任务1天内到期"
    TASK_OVERDUE = "task_overdue", "任务已逾期"
    CLAIM_DECIDED = "claim_decided", "认领审核结果"
    EVIDENCE_RETURNED = "evidence_returned", "台账被退回"
    PROBLEM_ASSIGNED = "problem_assigned", "交办的整改问题"
    PROBLEM_OVERDUE = "problem_overdue", "问题整改逾期"
    REPORT_MISSING = "report_missing", "周报未报送"
    CITY_PROBLEM = "city_problem", "文明办交办问题"
    CITY_PROBLEM_RETURNED = "city_problem_returned", "交办问题验收未通过"
    PRIORITY_PUBLISHED = "priority_published", "季度重点工作待签收"
    INFO_DUE = "info_due", "信息报送即将截止"
    INFO_OVERDUE = "info_overdue", "信息报送逾期未报"
    INFO_REMINDED = "info_reminded", "文明办催报信息"
    FESTIVAL_DUE = "festival_due", "我们的节日即将到来"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    key = models.CharField(max_length=120)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("提醒时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "消息提醒"
        verbose_name_plural = "消息提醒"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_kinds = models.JSONField("不接收的提醒", default=list, blank=True)
    email_digest = models.BooleanField("每日邮件汇总", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return f"{self.user} 的提醒设置"


class DigestRun(models.Model):
    """One person's digest of one day: its row is taken before the mail goes out, so a
    second run the same day (or a racing one) finds it and sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    sent_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField("条数", default=0)

    class Meta:
        verbose_name = "每日汇总发送记录"
        verbose_name_plural = "每日汇总发送记录"
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%Y-%m-%d}"

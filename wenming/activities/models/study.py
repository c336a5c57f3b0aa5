"""Study records (R19): what each person must study in a year, the study platform's points
imported monthly, and 考学 (tests with scores).

Study sessions themselves are activities of the study kinds (中心组学习, 集体学习, 主题党日), so
their attendance is the one attendance model and their proof is filed like any activity's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.orgs.models import Organization


class StudyTarget(models.Model):
    """Per person and year: study sessions to attend and platform points to earn."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    sessions = models.PositiveSmallIntegerField("每人参加学习（次/年）", default=0)
    points = models.PositiveIntegerField("每人学习平台积分（分/年）", default=0)
    platform = models.CharField("学习平台", max_length=40, default="学习强国")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "学习目标"
        verbose_name_plural = "学习目标"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="study_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度学习目标"


class PointsImport(models.Model):
    """One month of the study platform's export, imported; names it could not match are
    kept, so the office sees whom to correct."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")  # the first day of the month
    file_name = models.CharField("文件名", max_length=200)
    rows = models.PositiveIntegerField("导入行数", default=0)
    unmatched = models.JSONField("未匹配的姓名", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "学习积分导入"
        verbose_name_plural = "学习积分导入"
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}学习积分"


class StudyPoints(models.Model):
    """A person's platform points for one month (the latest import of the month counts)."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="study_points",
    )
    month = models.DateField("月份")
    points = models.DecimalField("积分", max_digits=8, decimal_places=1)
    source = models.ForeignKey(PointsImport, on_delete=models.PROTECT, related_name="entries")

    class Meta:
        verbose_name = "学习积分"
        verbose_name_plural = "学习积分"
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="study_points_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="study_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.points}"


class Exam(models.Model):
    """考学: a test of what was studied, with each person's score."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("考试名称", max_length=200)
    held_on = models.DateField("考试日期")
    full_marks = models.DecimalField("满分", max_digits=6, decimal_places=1, default=100)
    pass_mark = models.DecimalField("及格分", max_digits=6, decimal_places=1, default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "考学"
        verbose_name_plural = "考学"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_marks__gt=0) & Q(pass_mark__lte=models.F("full_marks")),
                name="exam_marks_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExamScore(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="exam_scores",
    )
    score = models.DecimalField("成绩", max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = "考学成绩"
        verbose_name_plural = "考学成绩"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "person"], name="exam_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="exam_score_positive"),
        ]

    def __str__(self) -> str:
        return str(self.score)

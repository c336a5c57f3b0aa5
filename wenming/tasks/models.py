"""Task decomposition and progress (R4): standards turned into owned, dated tasks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from wenming.campaigns.models import Campaign, Phase
from wenming.core.models import Event
from wenming.frameworks.models import Node
from wenming.orgs.models import Organization


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    UNPROVEN = "unproven", "待佐证"
    DONE = "done", "已完成"


def status_for_progress(progress: int, proven: bool = False) -> str:
    """0 % is 未开始, anything short of 100 % 进行中. At 100 % a task is 已完成 only when
    its proof is in (`proven`, see `docs/tasks.md`, "Proven, not just reported"); until then
    it is 待佐证."""
    if progress <= 0:
        return TaskStatus.NOT_STARTED
    if progress >= 100:
        return TaskStatus.DONE if proven else TaskStatus.UNPROVEN
    return TaskStatus.IN_PROGRESS


# Shown, never stored: a task past its deadline and not done is 已逾期.
OVERDUE_LABEL = "已逾期"


class Recurrence(models.TextChoices):
    NONE = "", "不重复"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"
    DATES = "dates", "指定日期"


class TaskSource(models.TextChoices):
    MANUAL = "manual", "手工新建"
    GENERATED = "generated", "按测评标准生成"
    IMPORTED = "imported", "表格导入"


class TaskQuerySet(models.QuerySet["Task"]):
    """Which tasks count, defined once (see `docs/tasks.md`, "What counts").

    - `live()`: not in the recycle bin.
    - `counted()`: live and not a draft. A generated draft (按测评标准生成, 草稿) is a proposal
      the 创建办 has not yet confirmed: nobody is asked to do it, so it is in no count, no
      rate, no report and no reminder. Every page, document and API figure counts `counted()`.
    - `overdue(today)`: counted, not done, and past its deadline.
    """

    def live(self) -> TaskQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_bin(self) -> TaskQuerySet:
        return self.filter(deleted_at__isnull=False)

    def counted(self) -> TaskQuerySet:
        return self.filter(deleted_at__isnull=True, is_draft=False)

    def overdue(self, today: datetime.date) -> TaskQuerySet:
        return self.counted().filter(overdue_q(today))

    def done(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.DONE)


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """A counted task that is not done and past its deadline, as a condition for `filter` or
    `Count(..., filter=)`; `prefix` reaches the task through a relation (e.g. "tasks__").
    Combine with `counted_q` when the rows are not already `counted()`."""
    return Q(**{f"{prefix}deadline__lt": today}) & ~Q(**{f"{prefix}status": TaskStatus.DONE})


def counted_q(prefix: str = "") -> Q:
    """`TaskQuerySet.counted()` as a condition, for aggregates over a relation."""
    return Q(**{f"{prefix}deleted_at__isnull": True, f"{prefix}is_draft": False})


class Task(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tasks")
    standards = models.ManyToManyField(
        Node, verbose_name="对应测评标准", blank=True, related_name="tasks"
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name="所属阶段",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField("工作任务", max_length=300)
    requirement = models.TextField("完成标准", blank=True, help_text="怎样才算完成")
    lead_department = models.ForeignKey(
        Organization,
        verbose_name="牵头部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        help_text="为空时任务开放给各部门认领。",
    )
    co_departments = models.ManyToManyField(
        Organization, verbose_name="配合部门", blank=True, related_name="cooperating_tasks"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_tasks",
    )
    start_date = models.DateField("开始日期", null=True, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    target_quantity = models.DecimalField(
        "量化目标", max_digits=10, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(
        "目标单位", max_length=20, blank=True, help_text="如：次、篇、人"
    )
    recurrence = models.CharField(
        "重复", max_length=12, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    recurrence_dates = models.JSONField("指定日期", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    progress_note = models.TextField("进展情况", blank=True)
    is_draft = models.BooleanField("草稿", default=False)
    # An explicit waiver of proof by the 创建办 (免予佐证), with its reason; kept and traced.
    waived = models.BooleanField("免予佐证", default=False)
    waiver_reason = models.CharField("免予佐证理由", max_length=300, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waived_at = models.DateTimeField("免予佐证时间", null=True, blank=True)
    source = models.CharField(max_length=12, choices=TaskSource.choices, default=TaskSource.MANUAL)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Soft deletion: deleted tasks stay restorable by the office.
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="task_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(start_date__isnull=True)
                | Q(deadline__gte=F("start_date")),
                name="task_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "deadline"]),
            models.Index(fields=["campaign", "lead_department"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_counted(self) -> bool:
        """The row form of `TaskQuerySet.counted()`."""
        return self.deleted_at is None and not self.is_draft

    def is_overdue(self, today: datetime.date) -> bool:
        """The row form of `TaskQuerySet.overdue()`."""
        return (
            self.is_counted
            and self.status != TaskStatus.DONE
            and self.deadline is not None
            and self.deadline < today
        )

    def status_label(self, today: datetime.date) -> str:
        return OVERDUE_LABEL if self.is_overdue(today) else self.get_status_display()


class Occurrence(models.Model):
    """One dated instance of a recurring task (e.g. the March 道德讲堂)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    sequence = models.PositiveIntegerField("序号")
    due = models.DateField("时限")
    done_at = models.DateField("完成日期", null=True, blank=True)
    note = models.TextField("情况", blank=True)

    class Meta:
        verbose_name = "任务批次"
        verbose_name_plural = "任务批次"
        ordering = ["task_id", "due"]
        constraints = [
            models.UniqueConstraint(fields=["task", "sequence"], name="occurrence_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.task} 第{self.sequence}次（{self.due:%Y-%m-%d}）"


class SubTaskQuerySet(models.QuerySet["SubTask"]):
    def live(self) -> SubTaskQuerySet:
        return self.filter(deleted_at__isnull=True)

    def overdue(self, today: datetime.date) -> SubTaskQuerySet:
        return self.live().filter(deadline__lt=today).exclude(status=TaskStatus.DONE)


class SubTask(models.Model):
    """A part of a task given to one person of a department (再分解、落实到个人).

    The lead department's head (or a co-operating department's head, for its own part)
    splits a task into sub-tasks for people of that department, each with a target, a
    deadline and progress; the task's progress rolls up from its live sub-tasks. Sub-tasks
    are not tasks: they are in no task count.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="subtasks")
    department = models.ForeignKey(
        Organization, verbose_name="部门", on_delete=models.PROTECT, related_name="subtasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="subtasks",
    )
    title = models.CharField("子任务", max_length=200)
    target_quantity = models.DecimalField(
        "目标数量", max_digits=10, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField("单位", max_length=20, blank=True, help_text="如：篇、次、人")
    achieved_quantity = models.DecimalField(
        "已完成数量", max_digits=10, decimal_places=2, default=0
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    note = models.TextField("进展情况", blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "子任务"
        verbose_name_plural = "子任务"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="subtask_progress_at_most_100"
            ),
        ]
        indexes = [models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.deleted_at is None
            and self.status != TaskStatus.DONE
            and self.deadline is not None
            and self.deadline < today
        )


class TaskPart(models.Model):
    """A co-operating department's own part of a task (配合部门): its progress and note."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(
        Organization, verbose_name="配合部门", on_delete=models.PROTECT, related_name="task_parts"
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    note = models.TextField("配合情况", blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "配合部门进展"
        verbose_name_plural = "配合部门进展"
        ordering = ["task_id", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="task_part_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_part_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.department}：{self.task}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已同意"
    REJECTED = "rejected", "未同意"


class TaskClaim(models.Model):
    """A department's claim (认领) of an offered task, decided by the 创建办."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="claims")
    department = models.ForeignKey(
        Organization, verbose_name="认领部门", on_delete=models.PROTECT, related_name="task_claims"
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("认领说明", blank=True)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "任务认领"
        verbose_name_plural = "任务认领"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"],
                condition=Q(status="pending"),
                name="claim_one_pending_per_department",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} 认领 {self.task}"


class OwnerChange(Event):
    """Every change of a task's lead department; `comment` is the reason (at most 200
    characters, checked by `task_reassign`).

    A workflow timeline (`wenming.core.models.Event`), shown on the task's page and read per
    task, while the trace keeps the field-by-field audit.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="owner_changes")
    from_department = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(Event.Meta):
        verbose_name = "牵头部门变更"
        verbose_name_plural = "牵头部门变更"

    def __str__(self) -> str:
        return f"{self.task}：{self.from_department or '（无）'} → {self.to_department or '（无）'}"


class ExclusionQuerySet(models.QuerySet["StandardExclusion"]):
    def active(self) -> ExclusionQuerySet:
        return self.filter(removed_at__isnull=True)


class StandardExclusion(models.Model):
    """A standard the office marks as not applicable to the unit, with its reason.

    Undoing it keeps the row (removed_at) so the reason and who decided stay on record.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exclusions")
    standard = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("不适用理由", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField("恢复为需要分解的时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        verbose_name = "不适用标准"
        verbose_name_plural = "不适用标准"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "standard"],
                condition=Q(removed_at__isnull=True),
                name="exclusion_unique_active_standard",
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} 不适用"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"


class WeeklyReport(models.Model):
    """A department's weekly progress report (每周报送)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="weekly_reports")
    department = models.ForeignKey(
        Organization, verbose_name="部门", on_delete=models.PROTECT, related_name="weekly_reports"
    )
    week_start = models.DateField("周一日期")
    done_this_week = models.TextField("本周完成情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_week = models.TextField("下周工作计划", blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The last time the office sent it back for correction, kept for the record.
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField("退回时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "部门周报"
        verbose_name_plural = "部门周报"
        ordering = ["-week_start", "department_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "department", "week_start"], name="weekly_report_unique_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.week_start:%Y-%m-%d} 周报"


class WeeklyReportLine(models.Model):
    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="lines")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="report_lines")
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    note = models.TextField("本周进展", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="report_line_unique_task"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_line_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.progress}%"

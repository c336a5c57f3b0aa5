"""Scoring rounds (R6): the unit scores itself against its system, standard by standard.

A round (自评, 模拟测评, or the 正式测评 of the office above) holds one `Score` per standard
scored. Basic and bonus standards get points between 0 and the standard's points; deduction
standards (负面清单) get a count of incidents, doubled when not self-reported; veto
standards (一票否决) are triggered or not. Totals are computed (`wenming.scoring.totals`),
never stored by hand. A finished round is read-only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Framework, Node


class RoundKind(models.TextChoices):
    SELF = "self", "自评"
    MOCK = "mock", "模拟测评"
    FORMAL = "formal", "正式测评"


class RoundStatus(models.TextChoices):
    OPEN = "open", "打分中"
    FINISHED = "finished", "已完成"


class RoundQuerySet(models.QuerySet["ScoringRound"]):
    """Which rounds count, defined once: `live()` are the rounds not removed; a removed round
    is in no list, total or comparison, and cannot be scored."""

    def live(self) -> RoundQuerySet:
        return self.filter(round_live_q())


def round_live_q(prefix: str = "") -> Q:
    """`RoundQuerySet.live()` as a condition, for aggregates over a relation (e.g. "rounds__")."""
    return Q(**{f"{prefix}removed_at__isnull": True})


class ScoringRound(models.Model):
    # A unit's round belongs to its campaign. An office's formal round on a unit's frozen
    # submission (申报 实地测评) belongs to the office instead: `campaign` is empty, `office`
    # and `unit` say whose round it is and whom it scores, and the app that opened it serves
    # its screens (the campaign's screens list only campaign rounds).
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds"
    )
    office = models.ForeignKey(
        "orgs.Organization",
        verbose_name="测评文明办",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name="被测评单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The system scored: the campaign's at the time the round was opened.
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=8, choices=RoundKind.choices)
    title = models.CharField("名称", max_length=100)
    scored_on = models.DateField("测评日期")
    # The line this round is judged against; from the system unless the office set one.
    pass_threshold = models.DecimalField(
        "达标分数线", max_digits=8, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "测评轮次"
        verbose_name_plural = "测评轮次"
        ordering = ["-scored_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=False)
                | Q(office__isnull=False, unit__isnull=False, kind="formal"),
                name="round_has_campaign_or_office",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def unit_campaign(self) -> Campaign:
        """The campaign of a unit's round: every round the campaign's screens, totals and
        dashboards read (an office's round on a frozen submission has none)."""
        if self.campaign is None:
            raise ValueError(f"scoring round {self.pk} is an office's round, not a campaign's")
        return self.campaign

    @property
    def unit_campaign_id(self) -> int:
        if self.campaign_id is None:
            raise ValueError(f"scoring round {self.pk} is an office's round, not a campaign's")
        return self.campaign_id


class Score(models.Model):
    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="scores")
    standard = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    # Basic and bonus standards: the points given, 0 ≤ points ≤ standard.points.
    points = models.DecimalField("得分", max_digits=8, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=10, blank=True)
    # Deduction standards: incidents counted and whether they were self-reported in time.
    incidents = models.PositiveIntegerField("发生次数", null=True, blank=True)
    concealed = models.BooleanField("未主动报告", default=False)
    # Veto standards.
    vetoed = models.BooleanField("触发一票否决", default=False)
    method = models.CharField("测评方法", max_length=40, blank=True)
    comment = models.TextField("扣分理由/说明", blank=True)
    evidence = models.ManyToManyField("ledger.EvidenceItem", blank=True, related_name="+")
    # True when the points came from the evidence suggestion and nobody changed them.
    suggested = models.BooleanField(default=False)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "标准得分"
        verbose_name_plural = "标准得分"
        constraints = [
            models.UniqueConstraint(fields=["round", "standard"], name="score_unique_standard"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=Decimal("0")),
                name="score_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} {self.points}"

"""Demo scoring rounds: a finished self-assessment and a mock evaluation under way.

Scores go through `services.score_set`, so the demo obeys the scoring rules. The choice of
which standards lose points is fixed by their order, so every run gives the same totals.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node, ScoringMode, Section
from wenming.scoring import services
from wenming.scoring.models import RoundKind, ScoringRound
from wenming.trace.context import acting_as

REASONS = [
    "现场照片未注明拍摄时间",
    "年度总结未按时报送市文明办",
    "宣传栏内容半年未更新",
    "职工问卷知晓率不足90%",
    "志愿服务记录缺少服务时长",
    "制度文件为草稿，未正式印发",
    "活动方案有，缺活动总结和成效说明",
]
# Specific findings, as an inspector would write them.
FINDINGS = {"A1-2": (Decimal("0.5"), "会议记录仅1份，扣0.5分")}
# Put right between the two rounds.
IMPROVED = {"A1-2": (Decimal("1"), "已补齐2次专题会议记录")}
UNSCORED_IN_MOCK = 5  # the last standards of the system, still to be scored


def _lost_points(node: Node) -> Decimal:
    top = node.points or Decimal(0)
    if node.scoring_mode == ScoringMode.GRADE and node.grades:
        values = sorted((Decimal(str(g["points"])) for g in node.grades), reverse=True)
        return values[1] if len(values) > 1 else values[0]
    step = max(Decimal("0.5"), (top / 4).quantize(Decimal("0.5")))
    return services._nearest_allowed(node, max(Decimal(0), top - step))


def _score_basic(
    round_: ScoringRound,
    user: User,
    leaves: list[Node],
    *,
    every: int,
    overrides: dict[str, tuple[Decimal, str]],
    skip_last: int = 0,
) -> None:
    scored = leaves[: len(leaves) - skip_last] if skip_last else leaves
    for index, node in enumerate(scored):
        if node.code in overrides:
            points, comment = overrides[node.code]
        elif index % every == 1:
            points = _lost_points(node)
            lost = (node.points or Decimal(0)) - points
            reason = REASONS[index % len(REASONS)]
            comment = f"{reason}，扣{services._fmt(lost)}分"
        else:
            points, comment = node.points or Decimal(0), ""
        method = node.methods[0] if node.methods else ""
        services.score_set(
            round_=round_, standard=node, user=user, points=points, comment=comment, method=method
        )


def _no_bonus(round_: ScoringRound, user: User, by_code: dict[str, Node]) -> None:
    for code in ("X2", "X3"):
        if code in by_code:
            services.score_set(
                round_=round_,
                standard=by_code[code],
                user=user,
                points=0,
                comment="本年度无此类情况，不加分",
            )


@transaction.atomic
def load_demo_rounds(campaign: Campaign) -> list[ScoringRound]:
    """Create the two demo rounds on `campaign` unless they are there already."""
    user = User.objects.get(username="cjb")
    with acting_as(user):
        return _load_rounds(campaign, user)


def _load_rounds(campaign: Campaign, user: User) -> list[ScoringRound]:
    today = timezone.localdate()
    year = today.year
    self_title = f"{year}年度创建工作自评"
    mock_title = f"{year}年第一次模拟测评"
    existing = list(
        ScoringRound.objects.filter(campaign=campaign, title__in=[self_title, mock_title])
    )
    if existing:
        return existing
    nodes = list(
        Node.objects.filter(framework_id=campaign.framework_id, is_leaf=True).order_by("position")
    )
    basic = [n for n in nodes if n.section == Section.BASIC]
    by_code = {n.code: n for n in nodes}

    self_round = services.round_create(
        campaign=campaign,
        user=user,
        kind=RoundKind.SELF,
        title=self_title,
        scored_on=today - datetime.timedelta(days=40),
        note="创建办组织各科室对照测评体系逐项自查。",
    )
    _score_basic(self_round, user, basic, every=6, overrides=FINDINGS)
    if "X1" in by_code:
        services.score_set(
            round_=self_round,
            standard=by_code["X1"],
            user=user,
            grade="市级",
            comment="上年度获评市级文明单位",
        )
    _no_bonus(self_round, user, by_code)
    if "Y3" in by_code:
        services.score_set(
            round_=self_round,
            standard=by_code["Y3"],
            user=user,
            incidents=1,
            comment="办公楼楼道堆放杂物，被市文明办督查通报1次（已主动报告并整改）",
        )
    for node in nodes:
        if node.section == Section.VETO:
            services.score_set(round_=self_round, standard=node, user=user, vetoed=False)
    services.round_finish(round_=self_round, user=user)

    mock_round = services.round_create(
        campaign=campaign,
        user=user,
        kind=RoundKind.MOCK,
        title=mock_title,
        scored_on=today - datetime.timedelta(days=5),
        note="邀请市文明办专家按正式测评方式模拟打分。",
    )
    _score_basic(
        mock_round,
        user,
        basic,
        every=9,
        overrides=IMPROVED,
        skip_last=UNSCORED_IN_MOCK,
    )
    if "X1" in by_code:
        services.score_set(
            round_=mock_round,
            standard=by_code["X1"],
            user=user,
            grade="市级",
            comment="上年度获评市级文明单位",
        )
    _no_bonus(mock_round, user, by_code)
    return [self_round, mock_round]

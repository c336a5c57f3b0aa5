"""Department assessment (部门考核, R8): a yearly score, a rank and award eligibility.

This is the unit's one department ranking: the assessment page, its Excel sheet, the API and
the cockpit's ranking (`wenming.dashboards.services.department_ranking`, the current year)
all read `assess`. The formula is documented once, in `docs/oversight.md` ("部门考核").

Four measures per department for one calendar year, each a rate turned into points by the
unit's `AssessmentRule` (weight × rate, to 0.01); what each counts is in `measures.py`:

- 任务按时完成 (`measures.tasks_on_time`): tasks led by the department and due in the year,
  done by their deadline, and its parts of tasks it co-operates on (`TaskPart`), complete by
  the task's deadline. A task still open past its deadline is late; one not yet due does
  not count yet.
- 台账一次审核通过 (`measures.evidence_first_pass`): evidence items the department filed that
  were reviewed in the year (approved or returned), approved without ever being returned.
- 问题按时整改 (`measures.problems_on_time`): the department's problems due in the year,
  closed by the deadline. As in `problem_overdue_q`, a rectification submitted by the
  deadline is not the department's delay when the verification came later. Open problems
  past the deadline are late.
- 周报按时报送 (`measures.reports_submitted`): one report expected each Monday from the
  campaign start (or 1 January) to today (or 31 December); points follow the share
  submitted, on-time is shown beside it.

A department takes part in the ranking when one of the first three measures has something
to count (it has work to judge: tasks, parts, evidence or problems); weekly reports are
expected of every department and alone rank no one. A department with nothing to assess is
listed as 不参与排名, after every ranked department, without a rank. Within the ranking a
measure with nothing to count (无考核事项) is left out: it earns nothing and costs nothing, and
the department's total is its points over the measures that count, scaled to the rule's full
total (so a department is never ahead for having less to do); ties share a rank.

Award eligibility is lost by more overdue problems than the rule allows, or by a live
accountability record (追责) in the year. The whole table is a handful of grouped queries,
whatever the number of departments. People are assessed in `people.py`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.core import registry
from wenming.orgs.models import Organization
from wenming.oversight.assessment import measures
from wenming.oversight.assessment.services import CENT, WEIGHT_LABELS, rule_for
from wenming.oversight.models import Accountability, AssessmentRule, Commendation

HUNDRED = Decimal("100")
NOTHING_TO_COUNT = "无考核事项"
NOT_RANKED = "不参与排名"
# The measures that judge work: a department with none of them to count is not ranked.
WORK_MEASURES = ("tasks_on_time", "evidence_first_pass", "problems_on_time")
ON_TIME_DAYS = datetime.timedelta(days=7)


@dataclass
class Measure:
    key: str
    label: str
    weight: Decimal
    counted: int
    good: int
    unit: str  # what is counted: 项任务, 份台账, 个问题, 周
    good_label: str  # what "good" means: 按时完成, 一次通过, 按时整改, 已报送
    extra: str = ""  # more facts for the tooltip (weekly reports: how many on time)
    link: str = ""

    @property
    def empty(self) -> bool:
        return self.counted == 0

    @property
    def rate(self) -> Decimal | None:
        """The percentage, to 0.1; None when there is nothing to count."""
        if self.counted == 0:
            return None
        return (Decimal(self.good) * HUNDRED / Decimal(self.counted)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def points(self) -> Decimal:
        """Weight × rate; a measure with nothing to count earns nothing and is left out of
        the department's total (`DepartmentScore.total`)."""
        if self.counted == 0:
            return Decimal("0.00")
        return (self.weight * Decimal(self.good) / Decimal(self.counted)).quantize(
            CENT, ROUND_HALF_UP
        )

    @property
    def detail(self) -> str:
        """The counts behind the rate, as the tooltip and the export show them."""
        if self.counted == 0:
            return f"{NOTHING_TO_COUNT}，不计入（总分按其余各项折算）"
        text = f"共{self.counted}{self.unit}，{self.good_label}{self.good}{self.unit}"
        return f"{text}，{self.extra}" if self.extra else text


@dataclass
class DepartmentScore:
    department: Organization
    measures: list[Measure]
    overdue_problems: int
    accountabilities: list[Accountability]
    max_overdue: int
    rank: int = 0  # 0: not ranked (nothing to assess)
    reasons: list[str] = field(default_factory=list)
    commendations: list[Commendation] = field(default_factory=list)
    # The people side (活动、志愿服务、学习、先进典型), shown beside the score, no weight.
    people: list[str] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        """It has work to judge: one of the work measures has something to count."""
        return any(not m.empty for m in self.measures if m.key in WORK_MEASURES)

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)

    @property
    def total(self) -> Decimal:
        """The points of the measures that count, scaled to the full total: a department
        judged on 3 measures worth 60 of 100 points and earning 45 of them scores 75."""
        counted = [m for m in self.measures if not m.empty]
        weight = sum((m.weight for m in counted), Decimal("0"))
        if not weight:
            return Decimal("0.00")
        earned = sum((m.points for m in counted), Decimal("0"))
        return (earned * self.possible / weight).quantize(CENT, ROUND_HALF_UP)

    @property
    def possible(self) -> Decimal:
        return sum((m.weight for m in self.measures), Decimal("0")).quantize(CENT)

    @property
    def percent(self) -> Decimal:
        """The total as a share of the possible points, for the bar."""
        if not self.possible:
            return Decimal("0")
        return (self.total * HUNDRED / self.possible).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _date_cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def assessment_years(campaign: Campaign, today: datetime.date) -> list[int]:
    """The years the campaign can be assessed for: its cycle, up to this year."""
    last = max(min(campaign.cycle_end.year, today.year), campaign.cycle_start.year)
    return list(range(campaign.cycle_start.year, last + 1))


def current_year(campaign: Campaign, today: datetime.date) -> int:
    """The year the cockpit ranks by, and the assessment page opens on: this year, or the
    campaign's nearest year when it has not started or is over."""
    years = assessment_years(campaign, today)
    return today.year if today.year in years else years[-1]


def expected_weeks(campaign: Campaign, year: int, today: datetime.date) -> list[datetime.date]:
    """The Mondays a weekly report is expected in `year`."""
    start = max(campaign.cycle_start, datetime.date(year, 1, 1))
    end = min(today, datetime.date(year, 12, 31))
    first = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    weeks: list[datetime.date] = []
    day = first
    while day <= end:
        weeks.append(day)
        day += datetime.timedelta(days=7)
    return weeks


@dataclass
class _Facts:
    """What the measures found for the campaign's departments in the year."""

    tasks: dict[int, measures.Tally]
    evidence: dict[int, measures.Tally]
    problems: dict[int, measures.ProblemTally]
    weeks: list[datetime.date]
    reports: dict[int, dict[datetime.date, datetime.datetime | None]]
    records: dict[int, list[Accountability]]


def _reports_measure(facts: _Facts, rule: AssessmentRule, dept_id: int, link: str) -> Measure:
    sent = facts.reports.get(dept_id, {})
    on_time = sum(
        1
        for week, at in sent.items()
        if at is not None and timezone.localtime(at).date() <= week + ON_TIME_DAYS
    )
    return Measure(
        "reports_submitted",
        WEIGHT_LABELS["reports_submitted"],
        Decimal(rule.reports_submitted),
        len(facts.weeks),
        len(sent),
        "周",
        "已报送",
        extra=f"其中按时报送{on_time}周" if facts.weeks else "",
        link=link,
    )


# What each measure counts, and what "good" means: 项任务 按时完成...
UNITS = {
    "tasks_on_time": ("项", "按时完成"),
    "evidence_first_pass": ("份", "一次通过"),
    "problems_on_time": ("个", "按时整改"),
}


def _measure(key: str, tally: measures.Tally, rule: AssessmentRule, link: str) -> Measure:
    unit, good_label = UNITS[key]
    weight = Decimal(getattr(rule, key))
    return Measure(
        key, WEIGHT_LABELS[key], weight, tally.counted, tally.good, unit, good_label, link=link
    )


def _score(
    dept: Organization, facts: _Facts, rule: AssessmentRule, links: dict[str, str]
) -> DepartmentScore:
    def link(key: str) -> str:
        return links[key].replace("{dept}", str(dept.pk)) if key in links else ""

    problems = facts.problems.get(dept.pk, measures.ProblemTally())
    score = DepartmentScore(
        department=dept,
        measures=[
            _measure(
                "tasks_on_time",
                facts.tasks.get(dept.pk, measures.Tally()),
                rule,
                link("tasks_on_time"),
            ),
            _measure(
                "evidence_first_pass",
                facts.evidence.get(dept.pk, measures.Tally()),
                rule,
                link("evidence_first_pass"),
            ),
            _measure("problems_on_time", problems, rule, link("problems_on_time")),
            _reports_measure(facts, rule, dept.pk, link("reports_submitted")),
        ],
        overdue_problems=problems.overdue,
        accountabilities=facts.records.get(dept.pk, []),
        max_overdue=rule.max_overdue_problems,
    )
    if score.overdue_problems > rule.max_overdue_problems:
        score.reasons.append(
            f"逾期未整改问题{score.overdue_problems}个，超过上限{rule.max_overdue_problems}个"
        )
    for record in score.accountabilities:
        score.reasons.append(f"{_date_cn(record.decided_on)}被追责：{record.reason}")
    return score


def assess(
    campaign: Campaign,
    year: int,
    rule: AssessmentRule | None = None,
    *,
    today: datetime.date | None = None,
    links: dict[str, str] | None = None,
    people: bool = False,
) -> list[DepartmentScore]:
    """Every active department of the campaign's unit, ranked by total (ties share a rank).

    `links` maps a measure key to a URL with `{dept}` where the department id goes; with
    `people`, each department also carries its people-side figures (the extension
    "assessment.people": activities, volunteers, study, 先进典型), shown, not weighted.
    """
    today = today or timezone.localdate()
    rule = rule or rule_for(campaign.unit, year)
    departments = list(campaign.unit.active_departments())
    ids = [d.pk for d in departments]
    weeks = expected_weeks(campaign, year, today)
    facts = _Facts(
        tasks=measures.tasks_on_time(campaign, ids, year=year, today=today),
        evidence=measures.evidence_first_pass(campaign, ids, year=year),
        problems=measures.problems_on_time(campaign, ids, year=year, today=today),
        weeks=weeks,
        reports=measures.reports_submitted(campaign, ids, weeks),
        records=measures.accountabilities(campaign, ids, year=year),
    )
    scores = [_score(dept, facts, rule, links or {}) for dept in departments]
    honours: dict[int, list[Commendation]] = {}
    for c in measures.commendations(campaign, year=year):
        if c.person_id is None and c.department_id is not None:
            honours.setdefault(c.department_id, []).append(c)
    side: dict[int, list[str]] = {}
    for provide in registry.extensions("assessment.people") if people else ():
        side.update(provide(campaign, ids, year))
    for score in scores:
        score.commendations = honours.get(score.department.pk, [])
        score.people = side.get(score.department.pk, [])
    return rank(scores)


def rank(scores: list[DepartmentScore]) -> list[DepartmentScore]:
    """Ranked departments by total (ties share a rank), then those not ranked, each group in
    the departments' own order where equal."""
    scores.sort(key=lambda s: (not s.ranked, -s.total if s.ranked else 0))  # stable
    previous: DepartmentScore | None = None
    for n, score in enumerate(scores):
        if not score.ranked:
            score.rank = 0
        elif previous is not None and score.total == previous.total:
            score.rank = previous.rank
        else:
            score.rank = n + 1
        previous = score
    return scores

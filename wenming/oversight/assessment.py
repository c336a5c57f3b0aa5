"""Department assessment (部门考核, R8): a yearly score, a rank and award eligibility.

Four measures per department for one calendar year, each a rate turned into points by the
unit's `AssessmentRule` (weight × rate, to 0.01):

- 任务按时完成: tasks led by the department and due in the year, done by their deadline. A
  task still open past its deadline is late; one not yet due does not count yet.
- 台账一次审核通过: evidence items the department filed that were reviewed in the year
  (approved or returned), approved without ever being returned.
- 问题按时整改: the department's problems due in the year, closed by the deadline. As in
  `overdue_q`, a rectification submitted by the deadline is not the department's delay when
  the verification came later. Open problems past the deadline are late.
- 周报按时报送: one report expected each Monday from the campaign start (or 1 January) to
  today (or 31 December); points follow the share submitted, on-time is shown beside it.

A measure with nothing to count earns its full weight (无考核事项). Award eligibility is lost
by more overdue problems than the rule allows, or by a live accountability record (追责) in
the year. The whole table is a handful of grouped queries, whatever the number of
departments.

The writes (`rule_save`, `accountability_record`, `accountability_remove`) follow the
services' habits: keyword-only, one transaction, Chinese `ValidationError`s.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.orgs.models import Organization, OrgKind
from wenming.oversight.models import Accountability, AssessmentRule, Problem, ProblemStatus
from wenming.oversight.services import overdue_q
from wenming.tasks.models import ReportStatus, Task, TaskStatus, WeeklyReport

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
NOTHING_TO_COUNT = "无考核事项"
WEIGHT_LABELS = {
    "tasks_on_time": "任务按时完成",
    "evidence_first_pass": "台账一次审核通过",
    "problems_on_time": "问题按时整改",
    "reports_submitted": "周报按时报送",
}
WEIGHT_FIELDS = tuple(WEIGHT_LABELS)
MAX_WEIGHT = Decimal("9999.99")


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
        if self.counted == 0:
            return self.weight.quantize(CENT)
        return (self.weight * Decimal(self.good) / Decimal(self.counted)).quantize(
            CENT, ROUND_HALF_UP
        )

    @property
    def detail(self) -> str:
        """The counts behind the rate, as the tooltip and the export show them."""
        if self.counted == 0:
            return f"{NOTHING_TO_COUNT}，按满分{_fmt(self.weight)}分计"
        text = f"共{self.counted}{self.unit}，{self.good_label}{self.good}{self.unit}"
        return f"{text}，{self.extra}" if self.extra else text


@dataclass
class DepartmentScore:
    department: Organization
    measures: list[Measure]
    overdue_problems: int
    accountabilities: list[Accountability]
    max_overdue: int
    rank: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((m.points for m in self.measures), Decimal("0")).quantize(CENT)

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


def _fmt(value: Decimal) -> str:
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- the rule ------------------------------------------------------------------------------


def rule_for(unit: Organization, year: int) -> AssessmentRule:
    """The unit's saved rule for the year, or an unsaved one with the default weights."""
    rule = AssessmentRule.objects.filter(unit=unit, year=year).first()
    return rule if rule is not None else AssessmentRule(unit=unit, year=year)


def _weight(value: Any, label: str, name: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({name: f"“{label}”的分值应为数字，如 40 或 12.5。"}) from None
    if not number.is_finite():
        raise ValidationError({name: f"“{label}”的分值应为数字，如 40 或 12.5。"})
    if number < 0:
        raise ValidationError({name: f"“{label}”的分值不能为负数，请填0或正数。"})
    if number > MAX_WEIGHT:
        raise ValidationError({name: f"“{label}”的分值不能超过{MAX_WEIGHT}分。"})
    if number != number.quantize(CENT):
        raise ValidationError({name: f"“{label}”的分值最多保留两位小数。"})
    return number.quantize(CENT)


def rule_save(
    *,
    unit: Organization,
    year: int,
    user: User,
    tasks_on_time: Any = None,
    evidence_first_pass: Any = None,
    problems_on_time: Any = None,
    reports_submitted: Any = None,
    max_overdue_problems: Any = None,
) -> AssessmentRule:
    """Set the year's weights and overdue limit; a value left as None keeps what it was.

    The weights need not add up to 100: the ranking shows the total they make.
    """
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度不正确，请选择2000至2100之间的年份。"})
    given = {
        "tasks_on_time": tasks_on_time,
        "evidence_first_pass": evidence_first_pass,
        "problems_on_time": problems_on_time,
        "reports_submitted": reports_submitted,
    }
    with transaction.atomic():
        rule = AssessmentRule.objects.select_for_update().filter(
            unit=unit, year=year
        ).first() or AssessmentRule(unit=unit, year=year)
        errors: dict[str, list[str]] = {}
        for name, value in given.items():
            if value is None or str(value).strip() == "":
                if value is not None:
                    label = WEIGHT_LABELS[name]
                    errors[name] = [f"请填写“{label}”的分值，不计分的填0。"]
                continue
            label = WEIGHT_LABELS[name]
            try:
                setattr(rule, name, _weight(value, label, name))
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if max_overdue_problems is not None:
            try:
                limit = int(str(max_overdue_problems).strip())
            except ValueError:
                limit = -1
            if not 0 <= limit <= 9999:
                errors["max_overdue_problems"] = [
                    "逾期问题上限应为0或正整数，例如2表示超过2个即取消评优资格。"
                ]
            else:
                rule.max_overdue_problems = limit
        if errors:
            raise ValidationError(errors)
        if all(Decimal(getattr(rule, name)) == 0 for name in WEIGHT_FIELDS):
            raise ValidationError("四项分值不能都为0，请至少给一项设置大于0的分值。")
        rule.updated_by = user
        rule.save()
    return rule


# --- accountability (追责) -----------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def accountability_record(
    *,
    campaign: Campaign,
    department: Organization | None,
    user: User,
    decided_on: datetime.date | None,
    reason: str,
    person: str = "",
    measure: str = "",
    problem: Problem | None = None,
) -> Accountability:
    """Record an accountability decision against a department of the campaign's unit."""
    errors: dict[str, str] = {}
    if (
        department is None
        or department.kind != OrgKind.DEPARTMENT
        or not department.is_active
        or not department.path.startswith(campaign.unit.path)
    ):
        errors["department"] = "请选择本单位的一个部门作为被追责部门。"
    if decided_on is None:
        errors["decided_on"] = "请填写追责日期。"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "追责日期不能晚于今天，请填写作出追责决定的日期。"
    reason = _text(reason)
    if not reason:
        errors["reason"] = "请写明追责事由，例如“问题逾期30天未整改”。"
    person, measure = _text(person), _text(measure)
    if len(person) > 100:
        errors["person"] = "被追责人员最多100个字。"
    if len(measure) > 100:
        errors["measure"] = "处理方式最多100个字。"
    if problem is not None:
        if problem.campaign_id != campaign.pk or problem.removed_at is not None:
            errors["problem"] = "所选问题不属于本次创建工作，请重新选择。"
        elif department is not None and problem.department_id != department.pk:
            errors["problem"] = f"问题 {problem.number} 的责任部门不是所选部门，请重新选择。"
    if errors:
        raise ValidationError(errors)
    assert department is not None and decided_on is not None
    with transaction.atomic():
        return Accountability.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            department=department,
            problem=problem,
            decided_on=decided_on,
            person=person,
            reason=reason,
            measure=measure,
            recorded_by=user,
        )


def accountability_remove(*, record: Accountability, user: User, reason: str) -> None:
    """Withdraw a record entered by mistake (or revoked): kept, with why, never shown again."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明撤销的原因，例如“录入错误”或“追责决定已撤销”。"})
    who = user.get_full_name() or user.username
    with transaction.atomic():
        removal = {"removed_at": timezone.now(), "removed_reason": f"{reason}（{who}撤销）"}
        updated = Accountability.objects.filter(pk=record.pk, removed_at__isnull=True).update(
            **removal
        )
        if updated == 0:
            raise ValidationError("该追责记录已被撤销，请刷新页面。")
        trace.record_update(record, **removal)


# --- the computation -----------------------------------------------------------------------


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


def _by_department(rows: Any) -> dict[int, dict[str, int]]:
    return {r.pop("department_id"): r for r in rows}


def assess(
    campaign: Campaign,
    year: int,
    rule: AssessmentRule | None = None,
    *,
    today: datetime.date | None = None,
    links: dict[str, str] | None = None,
) -> list[DepartmentScore]:
    """Every active department of the campaign's unit, ranked by total (ties share a rank).

    `links` maps a measure key to a URL with `{dept}` where the department id goes.
    """
    today = today or timezone.localdate()
    rule = rule or rule_for(campaign.unit, year)
    links = links or {}
    departments = list(
        Organization.objects.filter(
            kind=OrgKind.DEPARTMENT, is_active=True, path__startswith=campaign.unit.path
        ).order_by("sort_order", "path")
    )
    ids = [d.pk for d in departments]

    task_rows = _by_department(
        Task.objects.filter(
            campaign=campaign,
            deleted_at__isnull=True,
            lead_department_id__in=ids,
            deadline__year=year,
        )
        .filter(Q(status=TaskStatus.DONE) | Q(deadline__lt=today))
        .order_by()
        .values(department_id=F("lead_department_id"))
        .annotate(
            counted=Count("id"),
            good=Count(
                "id",
                filter=Q(status=TaskStatus.DONE)
                & (Q(completed_at__isnull=True) | Q(completed_at__date__lte=F("deadline"))),
            ),
        )
    )

    evidence_rows = _by_department(
        EvidenceItem.objects.filter(
            campaign=campaign,
            removed_at__isnull=True,
            department_id__in=ids,
            status__in=[ItemStatus.APPROVED, ItemStatus.RETURNED],
            reviewed_at__year=year,
        )
        .order_by()
        .values("department_id")
        .annotate(
            counted=Count("id"),
            good=Count("id", filter=Q(status=ItemStatus.APPROVED, return_count=0)),
        )
    )

    as_of = min(today, datetime.date(year, 12, 31))
    submitted_in_time = Q(rectified_at__isnull=False, rectified_at__date__lte=F("deadline"))
    problem_rows = _by_department(
        Problem.objects.filter(campaign=campaign, removed_at__isnull=True, department_id__in=ids)
        .order_by()
        .values("department_id")
        .annotate(
            counted=Count(
                "id",
                filter=Q(deadline__year=year)
                & (
                    Q(status=ProblemStatus.CLOSED)
                    | Q(deadline__lt=today)
                    | (Q(status=ProblemStatus.AWAITING) & submitted_in_time)
                ),
            ),
            good=Count(
                "id",
                filter=Q(deadline__year=year)
                & (
                    Q(status=ProblemStatus.CLOSED, closed_at__date__lte=F("deadline"))
                    | (
                        Q(status__in=[ProblemStatus.CLOSED, ProblemStatus.AWAITING])
                        & submitted_in_time
                    )
                ),
            ),
            overdue=Count("id", filter=overdue_q(as_of)),
        )
    )

    weeks = expected_weeks(campaign, year, today)
    week_set = set(weeks)
    submitted: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    if weeks:
        for dept_id, week_start, at in (
            WeeklyReport.objects.filter(
                campaign=campaign,
                department_id__in=ids,
                status=ReportStatus.SUBMITTED,
                week_start__gte=weeks[0],
                week_start__lte=weeks[-1],
            )
            .order_by()
            .values_list("department_id", "week_start", "submitted_at")
        ):
            if week_start not in week_set:
                continue
            submitted[dept_id] += 1
            if at is not None and timezone.localtime(at).date() <= week_start + datetime.timedelta(
                days=7
            ):
                on_time[dept_id] += 1

    records: dict[int, list[Accountability]] = defaultdict(list)
    for record in Accountability.objects.filter(
        campaign=campaign, removed_at__isnull=True, decided_on__year=year, department_id__in=ids
    ).order_by("decided_on", "id"):
        records[record.department_id].append(record)

    def link(key: str, dept: Organization) -> str:
        return links[key].replace("{dept}", str(dept.pk)) if key in links else ""

    scores: list[DepartmentScore] = []
    for dept in departments:
        t = task_rows.get(dept.pk, {})
        e = evidence_rows.get(dept.pk, {})
        p = problem_rows.get(dept.pk, {})
        measures = [
            Measure(
                "tasks_on_time",
                "任务按时完成",
                Decimal(rule.tasks_on_time),
                t.get("counted", 0),
                t.get("good", 0),
                "项",
                "按时完成",
                link=link("tasks_on_time", dept),
            ),
            Measure(
                "evidence_first_pass",
                "台账一次审核通过",
                Decimal(rule.evidence_first_pass),
                e.get("counted", 0),
                e.get("good", 0),
                "份",
                "一次通过",
                link=link("evidence_first_pass", dept),
            ),
            Measure(
                "problems_on_time",
                "问题按时整改",
                Decimal(rule.problems_on_time),
                p.get("counted", 0),
                p.get("good", 0),
                "个",
                "按时整改",
                link=link("problems_on_time", dept),
            ),
            Measure(
                "reports_submitted",
                "周报按时报送",
                Decimal(rule.reports_submitted),
                len(weeks),
                submitted[dept.pk],
                "周",
                "已报送",
                extra=f"其中按时报送{on_time[dept.pk]}周" if weeks else "",
                link=link("reports_submitted", dept),
            ),
        ]
        score = DepartmentScore(
            department=dept,
            measures=measures,
            overdue_problems=p.get("overdue", 0),
            accountabilities=records[dept.pk],
            max_overdue=rule.max_overdue_problems,
        )
        if score.overdue_problems > rule.max_overdue_problems:
            score.reasons.append(
                f"逾期未整改问题{score.overdue_problems}个，超过上限{rule.max_overdue_problems}个"
            )
        for record in score.accountabilities:
            score.reasons.append(f"{_date_cn(record.decided_on)}被追责：{record.reason}")
        scores.append(score)

    scores.sort(key=lambda s: -s.total)  # stable: ties keep the departments' own order
    for n, score in enumerate(scores):
        if n > 0 and score.total == scores[n - 1].total:
            score.rank = scores[n - 1].rank
        else:
            score.rank = n + 1
    return scores

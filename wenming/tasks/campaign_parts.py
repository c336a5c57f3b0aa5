"""What the tasks app adds to a campaign's own screens and rules, registered in
`TasksConfig.ready()` through `core.registry` (campaigns sit below tasks and never import it):

- `campaigns.coverage`: the coverage of the campaign's standards by tasks, on the campaign's
  page and in its API detail;
- `campaigns.organize_checks`: the check that every scored standard has a task (or is marked
  not applicable) before the campaign is marked 已部署;
- `campaigns.plan_tasks`: the tasks listed in the 《实施方案》's 任务分工.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from wenming.campaigns.models import Campaign
from wenming.campaigns.services import CoverageSummary
from wenming.core.points import fmt_points
from wenming.tasks.coverage import coverage_summary, uncovered_standards
from wenming.tasks.models import Task

# How many uncovered standards the refusal names before "等".
UNCOVERED_NAMED = 5


def campaign_coverage(campaign: Campaign) -> CoverageSummary:
    return coverage_summary(campaign)


def plan_tasks(campaign: Campaign) -> list[Task]:
    """The campaign's counted tasks by deadline, with their lead departments."""
    return list(
        Task.objects.counted()
        .filter(campaign=campaign)
        .select_related("lead_department")
        .order_by("deadline", "id")
    )


def check_every_standard_covered(campaign: Campaign) -> None:
    """Refuse 已部署 while a scored standard has no task and is not marked not applicable."""
    uncovered = uncovered_standards(campaign)
    count = uncovered.count()
    if not count:
        return
    named = "、".join(
        f"{n.code}（{'—' if n.points is None else fmt_points(Decimal(str(n.points)))}分）"
        for n in uncovered[:UNCOVERED_NAMED]
    )
    more = "等" if count > UNCOVERED_NAMED else ""
    raise ValidationError(
        f"还有{count}条测评标准没有对应的工作任务，不能标记为已部署。"
        f"按分值从高到低依次是：{named}{more}。"
        "请先为这些标准分解任务，或将确实不适用的标准标记为不适用。"
    )

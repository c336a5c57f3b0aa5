"""Coverage (R4): which scored standards of a campaign's system no task serves yet.

A campaign cannot be marked organized while a standard is uncovered, unless the office has
marked it not applicable with a reason (StandardExclusion).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from wenming.campaigns.models import Campaign
from wenming.campaigns.services import CoverageSummary
from wenming.frameworks.models import Node, Section
from wenming.tasks.models import StandardExclusion, Task

# Standards that tasks must serve. Veto and deduction items are conditions to avoid, not
# work to plan, so they need no task.
COVERED_SECTIONS = [Section.BASIC, Section.BONUS]


def standards_needing_tasks(campaign: Campaign) -> QuerySet[Node]:
    return Node.objects.filter(
        framework_id=campaign.framework_id, is_leaf=True, section__in=COVERED_SECTIONS
    )


def uncovered_standards(campaign: Campaign) -> QuerySet[Node]:
    """Standards with no live task and not marked not applicable, most points first.

    A draft counts as covering its standard here (unlike in every count): it is the plan's
    proposal for that standard, and generating again must not propose a second one."""
    live_task = Task.objects.live().filter(campaign=campaign, standards=OuterRef("pk"))
    excluded = StandardExclusion.objects.active().filter(campaign=campaign, standard=OuterRef("pk"))
    return (
        standards_needing_tasks(campaign)
        .annotate(has_task=Exists(live_task), is_excluded=Exists(excluded))
        .filter(has_task=False, is_excluded=False)
        .order_by("-points", "position")
    )


def coverage_summary(campaign: Campaign) -> CoverageSummary:
    total = standards_needing_tasks(campaign).count()
    excluded = StandardExclusion.objects.active().filter(campaign=campaign).count()
    uncovered = uncovered_standards(campaign).count()
    return CoverageSummary(
        total=total, covered=total - excluded - uncovered, excluded=excluded, uncovered=uncovered
    )

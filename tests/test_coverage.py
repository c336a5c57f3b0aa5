"""Coverage: standards without tasks, ordered by points at stake; exclusions count as handled."""

from __future__ import annotations

from wenming.frameworks.models import Node
from wenming.tasks.coverage import coverage_summary, uncovered_standards
from wenming.tasks.models import StandardExclusion, Task


def test_every_scored_standard_starts_uncovered_highest_points_first(campaign):  # type: ignore[no-untyped-def]
    uncovered = list(uncovered_standards(campaign))
    assert len(uncovered) == 85 - 7 - 8  # veto and deduction items need no task
    assert uncovered[0].points >= uncovered[-1].points
    assert coverage_summary(campaign).percent == 0


def test_a_task_or_an_exclusion_covers_a_standard(campaign):  # type: ignore[no-untyped-def]
    a11 = Node.objects.get(framework=campaign.framework, code="A1-1")
    a12 = Node.objects.get(framework=campaign.framework, code="A1-2")
    task = Task.objects.create(campaign=campaign, title="召开专题会议")
    task.standards.add(a11)
    StandardExclusion.objects.create(campaign=campaign, standard=a12, reason="本单位无窗口")
    codes = set(uncovered_standards(campaign).values_list("code", flat=True))
    assert "A1-1" not in codes and "A1-2" not in codes
    summary = coverage_summary(campaign)
    assert (summary.total, summary.covered, summary.excluded, summary.uncovered) == (70, 1, 1, 68)
    # A deleted task no longer covers its standard.
    from django.utils import timezone

    Task.objects.filter(pk=task.pk).update(deleted_at=timezone.now())
    assert "A1-1" in set(uncovered_standards(campaign).values_list("code", flat=True))

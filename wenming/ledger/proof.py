"""Which tasks are proven by the ledger (the `tasks.proof` extension point).

A task at 100 % is 已完成 only when its proof is in (see `docs/tasks.md`, "Proven, not just
reported"). The ledger decides what is proven, campaign-wide:

- a task serving standards the ledger checks (`completeness.proof_sets`: scored, not
  marked not applicable) is proven when every one of them is 已完备;
- a task serving none of them (no standard, or only excluded ones) is proven when at least
  one approved live evidence item is filed against the task itself.

Waivers are the task's own business (`wenming.tasks.services`); they never reach here.
Bounded: `proof_sets` (three queries) and two small queries, whatever the number of tasks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from wenming.campaigns.models import Campaign
from wenming.ledger.completeness import StandardState, proof_sets, standard_states
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.tasks.models import Task


def proven_task_ids(campaign: Campaign, tasks: Iterable[Task]) -> set[int]:
    """The ids among `tasks` (all of `campaign`) whose proof is in the ledger."""
    ids = [t.pk for t in tasks]
    if not ids:
        return set()
    served: dict[int, list[int]] = defaultdict(list)
    for task_id, node_id in Task.standards.through.objects.filter(task_id__in=ids).values_list(
        "task_id", "node_id"
    ):
        served[task_id].append(node_id)
    sets = proof_sets([campaign])[campaign.pk]
    proven: set[int] = set()
    by_evidence: list[int] = []
    for task_id in ids:
        checked = [n in sets.complete for n in served[task_id] if n in sets.checked]
        if not checked:
            by_evidence.append(task_id)
        elif all(checked):
            proven.add(task_id)
    if by_evidence:
        proven.update(
            EvidenceItem.objects.live()
            .filter(campaign=campaign, task_id__in=by_evidence, status=ItemStatus.APPROVED)
            .values_list("task_id", flat=True)
            .distinct()
        )
    return proven


def unproven_standards(campaign: Campaign, task: Task) -> list[dict[str, Any]]:
    """The ledger-checked standards of `task` not yet 已完备, in the system's order, each
    with its ledger state and a link to its evidence (for the task's page)."""
    served = set(task.standards.values_list("pk", flat=True))
    if not served:
        return []
    items = reverse("ledger:items", args=[campaign.pk])
    return [
        {
            "node": r.node,
            "label": r.label,
            "css": r.css,
            "needs": r.needs,
            "url": f"{items}?standard={r.node.pk}",
        }
        for r in standard_states([campaign])[campaign.pk].values()
        if r.node.pk in served and r.state != StandardState.COMPLETE
    ]

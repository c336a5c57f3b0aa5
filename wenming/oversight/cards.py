"""What oversight shows on other apps' screens, registered in `OversightConfig.ready()`:
its card on the home page, the weekly roll-up's count of overdue problems, and the gap
analysis's open problems per standard."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.orgs import access as org_access
from wenming.oversight import access
from wenming.oversight.models import Problem, ProblemStatus, problem_open_q, problem_overdue_q


def with_overdue_days(problems: Any, today: datetime.date) -> list[Problem]:
    """The problems as a list, each with `overdue_days` and `age` for the templates."""
    rows: list[Any] = list(problems)
    for p in rows:
        p.overdue_days = p.days_overdue(today)
        p.age = p.age_days(today)
    return rows


def workbench_card(user: Any) -> dict[str, Any]:
    """Open problems of the user's departments (overdue first), and what waits for the user's
    verification. Two queries at most, whatever the number of problems."""
    today = timezone.localdate()
    departments = org_access.department_ids_for_write(user)
    mine: list[Problem] = []
    if departments:
        mine = with_overdue_days(
            access.visible_problems(user)
            .filter(department_id__in=departments)
            .filter(problem_open_q())
            .order_by("deadline", "id")[:8],
            today,
        )
    awaiting: list[Problem] = []
    scope = org_access.scope_for(user)
    # The unit's own verifiers; the office verifies the problems it dispatched itself
    # (`wenming.supervision`), and its home page counts those instead.
    if scope.is_superuser or any(m.role in ("inspector", "coordinator") for m in scope.memberships):
        candidates = (
            access.visible_problems(user)
            .filter(status=ProblemStatus.AWAITING)
            .exclude(department_id__in=departments)
            .exclude(rectified_by=user)
            .order_by("rectified_at", "id")[:8]
        )
        awaiting = with_overdue_days(
            [p for p in candidates if access.can_record_problems(user, p.unit)], today
        )
    return {"mine": mine, "awaiting": awaiting}


def overdue_problem_count(user: Any, campaign: Campaign) -> int:
    """Problems of the campaign past their deadline and not closed, as the user sees them."""
    return (
        access.visible_problems(user)
        .filter(campaign=campaign)
        .filter(problem_overdue_q(timezone.localdate()))
        .count()
    )


def problems_by_standard(campaign: Campaign, today: datetime.date) -> dict[int, tuple[int, int]]:
    """Per standard: problems still on the books (挂账) and how many of them are overdue."""
    rows = (
        Problem.objects.open()
        .filter(campaign=campaign, standard__isnull=False)
        .values("standard_id")
        .annotate(n=Count("id"), late=Count("id", filter=problem_overdue_q(today)))
    )
    return {r["standard_id"]: (r["n"], r["late"]) for r in rows}

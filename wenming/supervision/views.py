"""The hub of the office's supervision (/supervision/): what waits, and the latest of each kind.

The office's people see the office's queues and its latest inspections, bulletins, priorities
and monthly rounds; a unit's people see their unit's side: problems dispatched to it, the
bulletins issued to the units, the priorities to acknowledge and the months to submit. A
fixed number of queries whatever the number of units.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wenming.supervision import access, cards, directives
from wenming.supervision.models import (
    CityProblemStatus,
)

LATEST = 5


def _office_context(user: Any) -> dict[str, Any]:
    return {
        "tiles": cards.office_tiles(user),
        "inspections": list(
            access.visible_inspections(user)
            .annotate(n_problems=Count("problems", filter=Q(problems__removed_at__isnull=True)))
            .order_by("-inspected_on", "-id")[:LATEST]
        ),
        "bulletins": list(access.visible_bulletins(user).order_by("-created_at", "-id")[:LATEST]),
        "priorities": list(directives.listed_priorities(user, office=True)[:LATEST]),
        "rounds": list(directives.listed_info_rounds(user, office=True)[:LATEST]),
    }


def _unit_context(user: Any) -> dict[str, Any]:
    return {
        "tiles": cards.unit_tiles(user),
        "problems": list(
            access.visible_problems(user)
            .exclude(status=CityProblemStatus.CLOSED)
            .order_by("deadline", "id")[:8]
        ),
        "bulletins": list(access.visible_bulletins(user).order_by("-issued_on", "-id")[:LATEST]),
        "priorities": list(directives.listed_priorities(user, office=False)[:LATEST]),
        "rounds": list(directives.listed_info_rounds(user, office=False)[:LATEST]),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require_reader(user)
    if access.is_office_person(user):
        context = _office_context(user)
        context["office"] = True
        context["can_manage"] = access.manages_any(user)
    else:
        context = _unit_context(user)
        context["office"] = False
    context.update(app="supervision", page="index", today=timezone.localdate())
    return render(request, "supervision/index.html", context)

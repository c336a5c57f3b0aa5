"""The demo problems, and the overdue count the weekly roll-up shows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from wenming.oversight.demo import load_demo_problems
from wenming.oversight.models import Inspection, Problem, ProblemStatus

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_loads_once(campaign):
    made = load_demo_problems(campaign)
    assert made == 12 and Inspection.objects.filter(campaign=campaign).count() == 3
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert statuses == set(ProblemStatus.values)
    today = datetime.date(2026, 5, 20)
    assert any(p.is_overdue(today) for p in Problem.objects.all())
    assert Problem.objects.filter(return_count=1, status=ProblemStatus.RECTIFYING).exists()
    assert all(p.files.exists() for p in Problem.objects.all())
    assert load_demo_problems(campaign) == 0
    assert Problem.objects.count() == 12


def test_weekly_rollup_shows_overdue_problems(as_user, make_problem, coordinator, campaign):
    make_problem(deadline=datetime.date(2026, 5, 18))
    html = as_user(coordinator).get(reverse("reports:rollup", args=[campaign.pk])).content.decode()
    assert "1 个逾期未销号" in html

"""The demo of the office's yearly cycle: a batch with applications at every step, an open
batch the market bureau may apply to, and this year's 复查 in progress with reports missing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth.models import User

from wenming.applications import services
from wenming.applications.demo import load_demo_applications
from wenming.applications.models import Application, Batch
from wenming.core.demo import DemoContext
from wenming.rechecks import services as recheck_services
from wenming.rechecks.demo import load_demo_rechecks
from wenming.rechecks.models import Recheck
from wenming.registry.demo import load_demo_registry

pytestmark = pytest.mark.usefixtures("fixed_today")


def test_the_demo_cycle_has_every_step_and_loads_once(demo) -> None:  # type: ignore[no-untyped-def]
    context = DemoContext(
        office=demo["office"],
        unit=demo["unit"],
        users={"wmb_admin": User.objects.get(username="wmb_admin")},
    )
    for step in (load_demo_registry, load_demo_applications, load_demo_rechecks):
        step(context)
        step(context)  # idempotent
    city, model = Batch.objects.order_by("closes_on")
    statuses = Counter(Application.objects.filter(batch=city).values_list("status", flat=True))
    for status in ("submitted", "returned", "accepted", "assessed", "consulted", "publicized"):
        assert statuses[status] >= 1, status
    assert statuses["rejected"] == statuses["withdrawn"] == 1
    # Two notices have ended: the office can name them today; one still runs.
    counts = services.queue_counts(context.users["wmb_admin"])
    assert counts["to_name"] == 3  # 已征求意见 1 + 公示期满 2
    assert counts["in_publicity"] == 1
    # The market bureau may apply to the open batch: every rule holds.
    assert model.applications.count() == 0
    entry = demo["unit"].registry_entry
    assert all(r.ok for r in services.check_eligibility(batch=model, entry=entry))
    recheck = Recheck.objects.get()
    reports = list(recheck.reports.all())
    assert len(reports) >= 20
    missed = [r for r in reports if recheck_services.is_missed(r)]
    assert 5 <= len(missed) < len(reports)
    assert {r.decision for r in reports} >= {"", "kept", "rectify"}

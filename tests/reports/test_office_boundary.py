"""The office above reads a department's weekly report but does not write or reopen it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.reports.conftest import MONDAY
from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.tasks.models import WeeklyReport

pytestmark = pytest.mark.django_db


def test_office_reads_but_does_not_write_a_weekly_report(
    as_user, office_admin, staff, campaign, food, make_task
):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    payload = {
        "campaign": campaign.pk,
        "department": food.pk,
        "week": MONDAY.isoformat(),
        "lines": [{"task_id": task.pk, "progress": 70, "note": "初稿已完成"}],
        "submit": True,
    }
    url = reverse("api:reports_weekly_save")
    client = as_user(office_admin)
    refused = client.post(url, json.dumps(payload), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"] == OFFICE_READS_ONLY
    assert not WeeklyReport.objects.exists()

    written = as_user(staff).post(url, json.dumps(payload), content_type="application/json")
    assert written.status_code == 200
    report = WeeklyReport.objects.get()
    week = client.get(reverse("reports:week", args=[campaign.pk, food.pk, MONDAY.isoformat()]))
    assert week.status_code == 200 and "初稿已完成" in week.content.decode()
    reopen = client.post(reverse("api:reports_weekly_reopen", args=[report.pk]))
    assert reopen.status_code == 403 and reopen.json()["detail"] == OFFICE_READS_ONLY

"""The demo `make run` shows: a campaign part way through, loaded once."""

from __future__ import annotations

import datetime

import time_machine

from wenming.campaigns.models import Campaign
from wenming.orgs.demo import load_demo
from wenming.orgs.models import Organization
from wenming.tasks.coverage import coverage_summary
from wenming.tasks.models import ClaimStatus, ReportStatus, Task, TaskClaim, WeeklyReport


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False)
def test_demo_tells_the_whole_story_and_loads_once(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The demo files real evidence; keep it out of the shared data directory.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert load_demo() is True
    campaign = Campaign.objects.get(unit__code="LZ-SCJG", is_active=True)
    assert campaign.title == "2026—2028年创建省级文明单位"
    assert campaign.status == "organized"
    assert [p.name for p in campaign.phases.order_by("position")] == [
        "宣传发动",
        "组织实施",
        "总结提高",
        "集中申报",
    ]
    assert campaign.milestones.count() == 3
    tasks = Task.objects.filter(campaign=campaign)
    assert tasks.count() == 70 and coverage_summary(campaign).uncovered == 0
    today = datetime.date(2026, 11, 22)
    assert any(t.is_overdue(today) for t in tasks)
    assert tasks.filter(lead_department__isnull=True).count() == 3  # bonus work open to claim
    # Reported done is not proven done: of the nine tasks at 100 %, the ledger proves one and
    # the office waived the proof of one (with its reason); seven are 待佐证.
    at_full = tasks.filter(progress=100)
    assert at_full.count() == 9
    assert set(at_full.filter(status="done").values_list("standards__code", flat=True)) == {
        "A1-1",
        "A2-5",
    }
    assert at_full.filter(status="unproven").count() == 7
    waived = tasks.get(waived=True)
    assert waived.waiver_reason and waived.waived_by is not None and waived.status == "done"
    assert (
        TaskClaim.objects.filter(task__campaign=campaign, status=ClaimStatus.PENDING).count() == 1
    )
    report = WeeklyReport.objects.get(campaign=campaign, department__name="食品安全监管科")
    assert report.status == ReportStatus.SUBMITTED and report.week_start == datetime.date(
        2026, 11, 9
    )
    assert report.lines.exists()
    # The change log names who did each step, as if the demo people had clicked through it.
    from wenming.trace.models import Change

    def who(kind: str, **filters: object) -> set[str]:
        return set(Change.objects.filter(kind=kind, **filters).values_list("actor_name", flat=True))

    assert who("campaign", action="create") == {"李文静"}
    assert who("problem", action="create") == {"赵立新"}
    assert who("weekly_report") == {"张明"}
    assert "陈晓燕" in who("evidence", action="create")
    assert who("framework", action="create") == {"周建华"}
    # A second start changes nothing.
    counts = (Organization.objects.count(), Task.objects.count(), Campaign.objects.count())
    assert load_demo() is False
    assert (Organization.objects.count(), Task.objects.count(), Campaign.objects.count()) == counts

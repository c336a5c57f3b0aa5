"""The demo campaign: 临州市市场监督管理局's provincial campaign and its milestones.

Built only through the services users' actions go through, so the demo obeys the same rules.
Dates are relative to today, so the demo always shows overdue items, this week's work and
a submitted weekly report.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Campaign
from wenming.core.demo import DemoContext
from wenming.frameworks.models import Framework
from wenming.orgs.models import Organization
from wenming.trace.context import acting_as


def load_campaign_step(context: DemoContext) -> None:
    """The `demo.load` step: the unit's campaign with its milestones (the tasks app adds the
    tasks, the ledger its evidence...). Only when the demo wants a campaign."""
    if not context.with_campaign:
        return
    context.campaign = load_campaign_demo(unit=context.unit, office=context.office)


@transaction.atomic
def load_campaign_demo(*, unit: Organization, office: Organization) -> Campaign:
    coordinator = User.objects.get(username="cjb")
    # The change log names 创建办 for the plan.
    with acting_as(coordinator):
        return _load_campaign(unit, office, coordinator)


def _load_campaign(unit: Organization, office: Organization, coordinator: User) -> Campaign:
    today = timezone.localdate()
    first_year = today.year if today.month >= 3 else today.year - 1
    framework = Framework.objects.get(owner=office, lineage="SAMPLE-WMDW", status="published")
    campaign = campaign_services.campaign_create(
        unit=unit,
        user=coordinator,
        title=f"{first_year}—{first_year + 2}年创建省级文明单位",
        target_level="province",
        target_kind="文明单位",
        framework=framework,
        cycle_start=datetime.date(first_year, 1, 1),
        cycle_end=datetime.date(first_year + 2, 12, 31),
        application_date=datetime.date(first_year + 2, 10, 10),
        goals="力争三年内成功创建省级文明单位，测评得分达到90分以上，干部职工对创建工作的知晓率、参与率、满意度均达到95%以上。",
    )
    departments = {d.name: d for d in unit.active_departments()}
    for title, due, dept, done in [
        ("九月底前全面部署到位", datetime.date(first_year, 9, 30), "机关党委", True),
        ("年度创建工作总结报市文明办", datetime.date(first_year, 12, 20), "机关党委", False),
        (
            "10月10日前以书面形式报市文明办申报",
            datetime.date(first_year + 2, 10, 10),
            "办公室",
            False,
        ),
    ]:
        milestone = campaign_services.milestone_create(
            campaign=campaign, title=title, due=due, owner_department=departments[dept]
        )
        if done:
            milestone.done_at = due
            milestone.save(update_fields=["done_at"])

    return campaign

"""Helpers of the 先进典型 tests: the market bureau's campaign on 2026-06-15 (a Monday), its
文明职工 rating, a nomination made through the service, and walking it along its way."""

from __future__ import annotations

import datetime
from typing import Any

from wenming.activities import nominations as services
from wenming.activities.models.nominations import Category, Nomination, Rating, Status
from wenming.frameworks.models import Node

TODAY = datetime.date(2026, 6, 15)
NOW = datetime.datetime(2026, 6, 15, 10, 0)
STORY = "全年办结投诉举报126件，群众满意率100%，积极参加志愿服务32小时。"


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour))


def standard(campaign: Any, code: str = "C3-2") -> Node:
    return Node.objects.get(framework=campaign.framework, code=code)


def make_rating(campaign: Any, user: Any, **overrides: Any) -> Rating:
    args: dict[str, Any] = {
        "campaign": campaign,
        "user": user,
        "year": 2026,
        "category": Category.CIVIL_WORKER,
        "criteria": "爱岗敬业，业绩突出。",
        "quota": 2,
    }
    args.update(overrides)
    return services.rating_create(**args)


def nominate(campaign: Any, user: Any, department: Any, **overrides: Any) -> Nomination:
    args: dict[str, Any] = {
        "campaign": campaign,
        "user": user,
        "department": department,
        "year": 2026,
        "category": Category.HELPFUL,
        "name": "王大妈",
        "story": STORY,
        "standards": [standard(campaign, "C3-1")],
    }
    if overrides.get("person") is not None or overrides.get("collective") is not None:
        args["name"] = ""  # named after the person or department, unless the test names it
    args.update(overrides)
    return services.nomination_create(**args)


def advance(
    nomination: Nomination,
    office: Any,
    until: str,
    *,
    starts_on: datetime.date = TODAY,
    days: int | None = None,
) -> Nomination:
    """Take the nomination (as the 创建办) up to `until`: recommended, reviewed, publicizing."""
    order = [Status.RECOMMENDED, Status.REVIEWED, Status.PUBLICIZING]
    steps = {
        Status.RECOMMENDED: lambda n: services.nomination_recommend(nomination=n, user=office),
        Status.REVIEWED: lambda n: services.nomination_review(nomination=n, user=office),
        Status.PUBLICIZING: lambda n: services.nomination_publicize(
            nomination=n, user=office, starts_on=starts_on, days=days
        ),
    }
    for status in order[
        order.index(Status(nomination.status)) + 1 if nomination.status in order else 0 :
    ]:
        nomination = steps[status](nomination)
        if status == until:
            break
    return nomination

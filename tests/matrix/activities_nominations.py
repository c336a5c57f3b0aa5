"""The screens of 先进典型 (nominations and the yearly ratings) in the permission matrix.

Everyone who reads the unit's activities — its 创建办, leaders, inspectors, observers and
department people — and the office admin above read the board, a nomination and the
ratings; another city is told nothing (404). 推荐 is for the 创建办 and the departments'
people; 修改 for the 创建办 and the nominating department's people; 部门推荐 (the step shown
here; every step posts to the same route) for the 创建办 and the nominating department's
部门负责人; the ratings for the 创建办. Everyone else who reads, the office admin included (the
office reads only), is refused (403). The targets: the market bureau's campaign, its
文明职工 rating and nominations of 食品安全监管科 at each step (made by 陈晓燕, jingban).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read, unit_work


def _nomination(base: dict[str, Any], campaign: Any, status: str, **more: Any) -> Any:
    from django.contrib.auth.models import User

    from wenming.activities.models.nominations import Nomination
    from wenming.frameworks.models import Node

    nomination = Nomination.objects.create(
        campaign=campaign,
        unit=base["unit"],
        department=base["food"],
        year=2026,
        category="helpful",
        name=more.pop("name", "王大妈"),
        story="照顾孤寡老人六年。",
        status=status,
        created_by=User.objects.get(username="jingban"),
        **more,
    )
    nomination.standards.set(
        Node.objects.filter(framework=campaign.framework, code="C3-1")
        or Node.objects.filter(framework=campaign.framework, is_leaf=True)[:1]
    )
    return nomination


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.activities.models.nominations import Objection, Rating
    from wenming.campaigns.models import Campaign

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    today = datetime.date.today()
    rating = Rating.objects.create(
        campaign=campaign,
        unit=base["unit"],
        year=2026,
        category="civil_worker",
        criteria="爱岗敬业。",
        quota=3,
    )
    public = _nomination(
        base,
        campaign,
        "publicizing",
        name="张三",
        publicity_starts_on=today,
        publicity_ends_on=today + datetime.timedelta(days=7),
    )
    objection = Objection.objects.create(nomination=public, received_on=today, content="反映内容")
    ended = _nomination(
        base,
        campaign,
        "publicizing",
        name="李四",
        publicity_starts_on=today - datetime.timedelta(days=20),
        publicity_ends_on=today - datetime.timedelta(days=12),
    )
    return {
        "nom_campaign": campaign,
        "nom_rating": rating,
        "nom_nominated": _nomination(base, campaign, "nominated"),
        "nom_recommended": _nomination(base, campaign, "recommended", name="赵五"),
        "nom_reviewed": _nomination(base, campaign, "reviewed", name="钱六"),
        "nom_public": public,
        "nom_objection": objection,
        "nom_ended": ended,
        "nom_awarded": _nomination(
            base,
            campaign,
            "awarded",
            name="孙七",
            awarded_on=today - datetime.timedelta(days=3),
            award_title="2026年度“身边好人”",
        ),
    }


QUERY = "?campaign={nom_campaign}"
NOMINATORS = expect(403, outsider_admin=404, coordinator=200, dept_head=200, staff=200)
RECOMMENDERS = expect(403, outsider_admin=404, coordinator=302, dept_head=302)

ROUTES: dict[str, Route] = {
    "activities:nominations": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:nomination_new": Route("GET", lambda t: [], NOMINATORS, query=QUERY),
    "activities:nomination_detail": Route("GET", lambda t: [t["nom_nominated"].pk], unit_read()),
    "activities:nomination_edit": Route("GET", lambda t: [t["nom_nominated"].pk], NOMINATORS),
    "activities:nomination_action": Route(
        "POST", lambda t: [t["nom_nominated"].pk, "recommend"], RECOMMENDERS
    ),
    "activities:ratings": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:rating_new": Route("GET", lambda t: [], unit_work(200), query=QUERY),
}

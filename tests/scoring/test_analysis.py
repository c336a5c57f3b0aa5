"""The screens and the API read a round through `wenming.scoring.analysis`: the sheet's
total is the API's total, the gap analysis lists the same standards in the same order, and
both count tasks as every other surface does (`Task.objects.counted()`: no drafts, nothing
from the recycle bin)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.frameworks.models import Node
from wenming.scoring import analysis, services
from wenming.scoring.demo import load_demo_rounds
from wenming.scoring.models import RoundKind, ScoringRound
from wenming.tasks.models import Task

pytestmark = pytest.mark.django_db


def leaf(campaign, code):  # type: ignore[no-untyped-def]
    return Node.objects.get(framework=campaign.framework, code=code)


def screen_total(html: str) -> D:
    found = re.search(r'<span id="round-total">([^<]+)</span>', html)
    assert found is not None
    return D(found.group(1))


@pytest.mark.parametrize("kind", [RoundKind.SELF, RoundKind.MOCK])
def test_the_sheet_shows_the_total_the_api_gives(as_user, coordinator, campaign, kind):
    load_demo_rounds(campaign)
    round_ = ScoringRound.objects.get(kind=kind)
    client = as_user(coordinator)
    html = client.get(reverse("scoring:sheet", args=[round_.pk])).content.decode()
    detail = client.get(reverse("api:scoring_round_detail", args=[round_.pk])).json()
    listed = client.get(reverse("api:scoring_round_list", args=[campaign.pk])).json()
    from_list = next(r for r in listed if r["id"] == round_.pk)
    expected = services.round_totals(round_).total
    assert screen_total(html) == D(detail["totals"]["total"]) == expected
    assert from_list["totals"] == detail["totals"]
    assert analysis.sheet(round_).totals == services.round_totals(round_)


def test_screen_and_api_rank_the_same_gaps(as_user, coordinator, campaign):
    load_demo_rounds(campaign)
    round_ = ScoringRound.objects.get(kind=RoundKind.SELF)
    client = as_user(coordinator)
    api_codes = [
        g["code"] for g in client.get(reverse("api:scoring_gaps", args=[round_.pk])).json()
    ]
    found = analysis.gaps(round_, timezone.localdate())
    assert api_codes == [r.node.code for r in found.rows] and api_codes
    html = client.get(reverse("scoring:gaps", args=[round_.pk])).content.decode()
    positions = [html.index(f"<strong>{code}</strong>") for code in api_codes]
    assert positions == sorted(positions)


def test_gap_tasks_are_the_counted_tasks(as_user, coordinator, campaign):
    a11 = leaf(campaign, "A1-1")
    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )
    services.score_set(
        round_=round_, standard=a11, user=coordinator, points="0", comment="没有专题会议记录"
    )
    titles = {"召开专题会议": {}, "按标准生成的草稿": {"is_draft": True}}
    titles["已删除的任务"] = {"deleted_at": timezone.now()}
    for title, extra in titles.items():
        task = Task.objects.create(
            campaign=campaign, title=title, deadline=datetime.date(2026, 8, 1), **extra
        )
        task.standards.add(a11)

    gaps = as_user(coordinator).get(reverse("api:scoring_gaps", args=[round_.pk])).json()
    row = next(g for g in gaps if g["code"] == "A1-1")
    assert [t["title"] for t in row["tasks"]] == ["召开专题会议"]
    html = as_user(coordinator).get(reverse("scoring:gaps", args=[round_.pk])).content.decode()
    assert "召开专题会议" in html
    assert "按标准生成的草稿" not in html and "已删除的任务" not in html


def test_compare_on_screen_and_in_the_api_agree(as_user, coordinator, campaign):
    load_demo_rounds(campaign)
    before = ScoringRound.objects.get(kind=RoundKind.SELF)
    after = ScoringRound.objects.get(kind=RoundKind.MOCK)
    client = as_user(coordinator)
    api = client.get(reverse("api:scoring_compare") + f"?a={before.pk}&b={after.pk}").json()
    found = analysis.compare_rounds(before, after)
    assert [c["code"] for c in api["changes"]] == [c.node.code for c in found.changes]
    assert D(api["b"]["totals"]["total"]) - D(api["a"]["totals"]["total"]) == found.total_delta
    assert api["a"]["totals"]["total"] == f"{services.round_totals(before).total:.2f}"
    html = client.get(
        reverse("scoring:compare", args=[campaign.pk]) + f"?a={before.pk}&b={after.pk}"
    ).content.decode()
    assert f"得分有变化的标准（{len(found.changes)}项）" in html


@pytest.mark.parametrize("rounds", [1, 6])
def test_api_reads_take_a_bounded_number_of_queries(
    as_user, coordinator, campaign, rounds, django_assert_max_num_queries
):
    made = [
        services.round_create(
            campaign=campaign,
            user=coordinator,
            kind=RoundKind.MOCK,
            title=f"第{n}次模拟测评",
            scored_on=datetime.date(2026, 9, n),
        )
        for n in range(1, rounds + 1)
    ]
    for node in Node.objects.filter(framework=campaign.framework, is_leaf=True, section="basic"):
        for round_ in made:
            services.score_set(round_=round_, standard=node, user=coordinator, points=node.points)
    client = as_user(coordinator)
    first, last = made[0], made[-1]
    with django_assert_max_num_queries(12):
        assert client.get(reverse("api:scoring_round_list", args=[campaign.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("api:scoring_gaps", args=[first.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        url = reverse("api:scoring_compare") + f"?a={first.pk}&b={last.pk}"
        assert client.get(url).status_code == 200

"""The score backed by evidence beside the self-assessed one (有佐证得分 / 自评得分).

A round gives full marks to A1-1 (2 points) and 1 point to A1-2 with no ledger at all: the
self-assessed total is 3, the backed total 0, and with a pass line of 2 the claim passes while
the verdict (read from the backed total) is 未达标. Proving A1-1 completely (an approved item
with words, a photo and a result) raises the backed total by its 2 points.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from wenming.frameworks.models import Node
from wenming.ledger.completeness import proof_sets, standard_rows, standard_states
from wenming.ledger.files import FileKind
from wenming.ledger.models import EvidenceFile, EvidenceItem, ItemStatus
from wenming.scoring import analysis, backed, services
from wenming.scoring.models import RoundKind, ScoringRound

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def leaf(campaign: Any, code: str) -> Node:
    return Node.objects.get(framework=campaign.framework, code=code)


def add_item(
    campaign: Any,
    standards: list[Node],
    *,
    status: str = ItemStatus.APPROVED,
    photo: bool = True,
    text: bool = True,
    result: str = "群众满意度明显提高",
    summary: str = "",
) -> EvidenceItem:
    """A ledger item; with the defaults it proves its standards completely (有文有图有成效)."""
    item = EvidenceItem.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=campaign.unit.active_departments().first(),
        year=2026,
        title="道德讲堂",
        summary=summary,
        result=result,
        status=status,
    )
    item.standards.set(standards)
    kinds = ([FileKind.PHOTO] if photo else []) + ([FileKind.PDF] if text else [])
    for n, kind in enumerate(kinds):
        EvidenceFile.objects.create(
            item=item,
            unit=campaign.unit,
            year=2026,
            file=f"test/{item.pk}-{n}",
            original_name=f"材料{n}",
            kind=kind,
            content_type="application/octet-stream",
            extension="jpg" if kind == FileKind.PHOTO else "pdf",
            size=10,
            sha256=f"{item.pk:032d}{n:032d}",
        )
    return item


@pytest.fixture
def claimed_round(campaign, coordinator) -> ScoringRound:  # type: ignore[no-untyped-def]
    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
        pass_threshold=D("2"),
    )
    services.score_set(
        round_=round_, standard=leaf(campaign, "A1-1"), user=coordinator, grade="达到"
    )
    services.score_set(round_=round_, standard=leaf(campaign, "A1-2"), user=coordinator, points="1")
    return round_


def test_full_marks_without_a_ledger_count_at_zero(claimed_round, campaign) -> None:  # type: ignore[no-untyped-def]
    b = backed.round_backing(claimed_round)
    assert b.claimed.total == D("3") and b.claimed.passed
    assert b.backed.total == D("0") and not b.backed.passed
    assert b.backed.verdict.startswith("未达标（差2")
    assert (b.count, b.points, b.difference) == (2, D("3"), D("3"))
    assert b.sentence == "2条标准打了分但台账不完整，涉及3分"
    first = b.unbacked[0]
    assert (first.node.code, first.points, first.label) == ("A1-1", D("2"), "无台账")
    assert first.url == reverse("ledger:items", args=[campaign.pk]) + f"?standard={first.node.id}"
    assert [u.node.code for u in b.unbacked] == ["A1-1", "A1-2"]
    # The scoring arithmetic is the same one: the claim is `round_totals`.
    assert b.claimed.total == services.round_totals(claimed_round).total


def test_completing_the_evidence_raises_the_backed_total(claimed_round, campaign) -> None:  # type: ignore[no-untyped-def]
    item = add_item(campaign, [leaf(campaign, "A1-1")], status=ItemStatus.SUBMITTED)
    b = backed.round_backing(claimed_round)
    assert b.backed.total == D("0")
    assert b.unbacked[0].label == "待审核"
    item.status = ItemStatus.APPROVED
    item.save()
    b = backed.round_backing(claimed_round)
    assert b.backed.total == D("2") and b.backed.passed and b.backed.verdict == "达标"
    assert [u.node.code for u in b.unbacked] == ["A1-2"]
    assert b.sentence == "1条标准打了分但台账不完整，涉及1分"


def test_standards_the_ledger_does_not_check_keep_their_score(campaign, coordinator) -> None:  # type: ignore[no-untyped-def]
    from wenming.tasks.models import StandardExclusion

    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="自评",
        scored_on=datetime.date(2026, 9, 1),
    )
    a12 = leaf(campaign, "A1-2")
    StandardExclusion.objects.create(campaign=campaign, standard=a12, reason="本单位无此业务")
    services.score_set(round_=round_, standard=a12, user=coordinator, points="1")
    services.score_set(
        round_=round_, standard=leaf(campaign, "Y1"), user=coordinator, incidents="1"
    )
    b = backed.round_backing(round_)
    assert b.count == 0 and b.backed.total == b.claimed.total
    assert b.backed.deduction == b.claimed.deduction > 0
    assert "一致" in b.sentence


def test_bonus_cap_applies_to_the_backed_sum(campaign, coordinator) -> None:  # type: ignore[no-untyped-def]
    round_ = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="自评",
        scored_on=datetime.date(2026, 9, 1),
    )
    for code, points in [("X1", "5"), ("X2", "3"), ("X3", "2")]:
        services.score_set(
            round_=round_, standard=leaf(campaign, code), user=coordinator, points=points
        )
    add_item(campaign, [leaf(campaign, "X1")])
    b = backed.round_backing(round_)
    assert b.backed.bonus == D("5") and b.claimed.bonus == D("10")
    assert (b.count, b.points) == (2, D("5"))
    # The office's fast path agrees with the full computation.
    round_.framework = campaign.framework
    from wenming.dashboards.office import round_headlines

    fast = backed.backed_headlines([round_], round_headlines([round_]))[round_.pk]
    assert (fast.backed.total, fast.backed.verdict, fast.count, fast.points) == (
        b.backed.total,
        b.backed.verdict,
        b.count,
        b.points,
    )


def test_batched_ledger_states_match_standard_rows(campaign) -> None:  # type: ignore[no-untyped-def]
    a11, a12, b11, c11 = (leaf(campaign, c) for c in ("A1-1", "A1-2", "B1-1", "C1-1"))
    add_item(campaign, [a11])  # complete and approved
    add_item(campaign, [a12], status=ItemStatus.SUBMITTED)  # pending
    add_item(campaign, [b11], status=ItemStatus.RETURNED, photo=False)  # returned
    add_item(campaign, [c11], photo=False, summary="开展了活动")  # incomplete
    gone = add_item(campaign, [c11])
    gone.removed_at = gone.created_at
    gone.save()
    rows = {r.node.pk: r for r in standard_rows(campaign)}
    states = standard_states([campaign])[campaign.pk]
    assert set(states) == set(rows)
    for pk, row in rows.items():
        got = states[pk]
        assert (got.state, got.needs, got.items, got.approved_complete) == (
            row.state,
            row.needs,
            row.items,
            row.approved_complete,
        ), row.node.code
    assert {rows[pk].node.code: rows[pk].label for pk in (a11.pk, a12.pk, b11.pk, c11.pk)} == {
        "A1-1": "已完备",
        "A1-2": "待审核",
        "B1-1": "已退回",
        "C1-1": "不完整",
    }
    proof = proof_sets([campaign])[campaign.pk]
    assert proof.complete == {a11.pk} and proof.checked == set(rows)


def test_the_sheet_warns_on_the_row_and_after_saving(  # type: ignore[no-untyped-def]
    as_user, coordinator, campaign, claimed_round
):
    client = as_user(coordinator)
    text = client.get(reverse("scoring:sheet", args=[claimed_round.pk])).content.decode()
    assert "台账不完整：已打2分，有佐证得分按0计" in text
    assert "台账不完整：已打1分，有佐证得分按0计" in text
    assert '<span id="round-backed">0</span>' in text and '<span id="round-total">3</span>' in text
    assert "2条标准打了分但台账不完整，涉及3分" in text
    assert "未达标（差2.00分）" in text
    b11 = leaf(campaign, "B1-1")
    response = client.post(
        reverse("scoring:score", args=[claimed_round.pk, b11.pk]), {"points": b11.points}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"台账不完整：已打{b11.points.normalize():f}分，有佐证得分按0计" in body
    assert "3条标准打了分但台账不完整" in body and 'id="round-backed"' in body


def test_a_proven_standard_has_no_warning(as_user, coordinator, campaign, claimed_round) -> None:  # type: ignore[no-untyped-def]
    add_item(campaign, [leaf(campaign, "A1-1")])
    sheet = analysis.sheet(claimed_round)
    rows = {e["row"].node.code: e["row"] for e in sheet.entries if "row" in e}
    assert rows["A1-1"].unbacked is None and rows["A1-2"].unbacked == D("1")
    assert rows["B1-1"].unbacked is None  # not scored
    text = as_user(coordinator).get(reverse("scoring:sheet", args=[claimed_round.pk])).content
    assert "已打2分，有佐证得分按0计" not in text.decode()


def test_round_screens_show_both_totals(as_user, coordinator, campaign, claimed_round) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    rounds = client.get(reverse("scoring:rounds", args=[campaign.pk])).content.decode()
    assert "有佐证得分" in rounds and "自评得分" in rounds and "2条台账不完整" in rounds
    assert "未达标" in rounds
    gaps = client.get(reverse("scoring:gaps", args=[claimed_round.pk])).content.decode()
    assert "有佐证得分 <strong" in gaps and "2条标准打了分但台账不完整，涉及3分" in gaps
    other = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="自评",
        scored_on=datetime.date(2026, 8, 1),
    )
    url = reverse("scoring:compare", args=[campaign.pk])
    compare = client.get(f"{url}?a={other.pk}&b={claimed_round.pk}").content.decode()
    assert "有佐证得分" in compare and "2条 / 3分" in compare


def test_scoring_api_gives_the_backed_figure(as_user, coordinator, claimed_round) -> None:  # type: ignore[no-untyped-def]
    body = as_user(coordinator).get(f"/api/v1/scoring/rounds/{claimed_round.pk}").json()
    totals = body["totals"]
    assert (totals["total"], totals["passed"]) == ("3.00", True)
    b = totals["backed"]
    assert (b["total"], b["passed"], b["verdict"]) == ("0.00", False, "未达标（差2.00分）")
    assert (b["unbacked_count"], b["unbacked_points"], b["difference"]) == (2, "3.00", "3.00")
    assert [(s["code"], s["points"], s["ledger_state"]) for s in b["unbacked"]] == [
        ("A1-1", "2.00", "missing"),
        ("A1-2", "1.00", "missing"),
    ]
    listed = as_user(coordinator).get(
        f"/api/v1/scoring/campaigns/{claimed_round.campaign_id}/rounds"
    )
    assert listed.json()[0]["totals"]["backed"]["total"] == "0.00"


@pytest.mark.parametrize("extra", [1, 12])
def test_backing_queries_are_bounded(  # type: ignore[no-untyped-def]
    extra, campaign, claimed_round, django_assert_max_num_queries
):
    standards = list(Node.objects.filter(framework=campaign.framework, is_leaf=True)[:6])
    for i in range(extra):
        add_item(campaign, [standards[i % len(standards)]], photo=bool(i % 2))
    claimed_round = ScoringRound.objects.select_related("campaign", "framework").get(
        pk=claimed_round.pk
    )
    # Nodes, scores, and the ledger's three queries.
    with django_assert_max_num_queries(5):
        backed.round_backing(claimed_round)
    with django_assert_max_num_queries(6):
        backed.backing_for_rounds([claimed_round])

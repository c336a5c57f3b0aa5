"""Scoring through the screens: the sheet (htmx and plain POST), refusals in the row, who
may score what, suggestions accepted one by one, two rounds compared.

A refused score answers 400 with the Chinese sentence in the standard's row, and that
includes a finished round: it is a state the same person can undo (重新打开), not a
permission.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from wenming.frameworks.models import Node
from wenming.scoring import services
from wenming.scoring.demo import load_demo_rounds
from wenming.scoring.models import RoundKind, RoundStatus, Score, ScoringRound

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def mock_round(campaign, coordinator):  # type: ignore[no-untyped-def]
    return services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="2026年第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )


def leaf(campaign, code):  # type: ignore[no-untyped-def]
    return Node.objects.get(framework=campaign.framework, code=code)


def score_url(round_, node):  # type: ignore[no-untyped-def]
    return reverse("scoring:score", args=[round_.pk, node.pk])


def test_coordinator_scores_with_htmx_and_sees_the_totals_change(
    as_user, coordinator, campaign, mock_round
):
    client = as_user(coordinator)
    sheet = client.get(reverse("scoring:sheet", args=[mock_round.pk]))
    assert sheet.status_code == 200
    text = sheet.content.decode()
    assert "A1-1" in text and "得分汇总" in text and "达到（2分）" in text
    assert "佐证材料：" in text and "台账无台账" in text

    a11 = leaf(campaign, "A1-1")
    response = client.post(score_url(mock_round, a11), {"grade": "达到"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="std-{a11.pk}"' in body and "已保存" in body
    assert 'id="totals-panel"' in body and 'hx-swap-oob="true"' in body
    assert '<span id="round-total">2</span>' in body
    assert Score.objects.get(round=mock_round, standard=a11).points == D(2)


def test_plain_post_saves_and_redirects_to_the_row(as_user, coordinator, campaign, mock_round):
    client = as_user(coordinator)
    a12 = leaf(campaign, "A1-2")
    response = client.post(
        score_url(mock_round, a12), {"points": "0.5", "comment": "会议记录仅1份，扣0.5分"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#std-{a12.pk}")
    sheet = client.get(response["Location"]).content.decode()
    assert "已保存A1-2的得分" in sheet
    assert '<span id="round-total">0.5</span>' in sheet
    assert "会议记录仅1份，扣0.5分" in sheet


def test_score_above_the_points_is_shown_in_the_row_and_not_saved(
    as_user, coordinator, campaign, mock_round
):
    client = as_user(coordinator)
    a13 = leaf(campaign, "A1-3")
    response = client.post(score_url(mock_round, a13), {"points": "1.5"}, **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert "A1-3（满分1分）的得分不能超过1分。" in body
    assert 'class="alert alert-danger' in body and 'value="1.5"' in body
    plain = client.post(score_url(mock_round, a13), {"points": "1.5"})
    assert plain.status_code == 400
    assert "不能超过1分" in plain.content.decode()
    assert not Score.objects.exists()


def test_department_head_reads_but_may_not_score(as_user, dept_head, campaign, mock_round):
    client = as_user(dept_head)
    sheet = client.get(reverse("scoring:sheet", args=[mock_round.pk]))
    assert sheet.status_code == 200
    assert "hx-post" not in sheet.content.decode()
    response = client.post(score_url(mock_round, leaf(campaign, "A1-1")), {"grade": "达到"})
    assert response.status_code == 403
    assert client.post(reverse("scoring:finish", args=[mock_round.pk])).status_code == 403
    assert not Score.objects.exists()


def test_another_city_is_told_nothing(as_user, outsider_admin, campaign, mock_round):
    client = as_user(outsider_admin)
    assert client.get(reverse("scoring:sheet", args=[mock_round.pk])).status_code == 404
    assert client.get(reverse("scoring:gaps", args=[mock_round.pk])).status_code == 404
    response = client.post(score_url(mock_round, leaf(campaign, "A1-1")), {"grade": "达到"})
    assert response.status_code == 404


def test_finished_round_refuses_edits_until_reopened(as_user, coordinator, campaign, mock_round):
    client = as_user(coordinator)
    a11 = leaf(campaign, "A1-1")
    client.post(score_url(mock_round, a11), {"grade": "达到"})
    assert client.post(reverse("scoring:finish", args=[mock_round.pk])).status_code == 302
    sheet = client.get(reverse("scoring:sheet", args=[mock_round.pk])).content.decode()
    assert "得分已锁定，只能查看" in sheet and "重新打开" in sheet and "hx-post" not in sheet

    response = client.post(
        score_url(mock_round, a11), {"grade": "未达到", "comment": "无会议记录"}, **HTMX
    )
    assert response.status_code == 400
    assert "已完成打分，不能再修改" in response.content.decode()
    assert Score.objects.get().points == D(2)

    assert client.post(reverse("scoring:reopen", args=[mock_round.pk])).status_code == 302
    mock_round.refresh_from_db()
    assert mock_round.status == RoundStatus.OPEN


def test_formal_rounds_are_for_the_office_above(
    as_user, coordinator, office_admin, campaign, mock_round
):
    url = reverse("scoring:rounds", args=[campaign.pk])
    data = {"kind": "formal", "title": "2026年正式测评", "scored_on": "2026-10-20"}
    unit = as_user(coordinator)
    page = unit.get(url).content.decode()
    assert 'value="mock"' in page and 'value="formal"' not in page
    refused = unit.post(url, data)
    assert refused.status_code == 400
    assert "您不能新建该类型的测评轮次" in refused.content.decode()
    assert not ScoringRound.objects.filter(kind=RoundKind.FORMAL).exists()

    office = as_user(office_admin)
    assert office.post(url, data).status_code == 302
    formal = ScoringRound.objects.get(kind=RoundKind.FORMAL)
    a11 = leaf(campaign, "A1-1")
    # The unit reads the formal round but does not score it.
    assert unit.get(reverse("scoring:sheet", args=[formal.pk])).status_code == 200
    assert unit.post(score_url(formal, a11), {"grade": "达到"}).status_code == 403
    assert office.post(score_url(formal, a11), {"grade": "达到"}).status_code == 302


def test_round_form_says_what_to_fix(as_user, coordinator, campaign):
    response = as_user(coordinator).post(
        reverse("scoring:rounds", args=[campaign.pk]),
        {"kind": "mock", "title": "", "scored_on": "九月", "pass_threshold": "-1"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写测评轮次名称" in text
    assert "请按 2026-09-01 的格式填写测评日期" in text
    assert "达标分数线不能是负数" in text


def test_suggestions_are_saved_only_when_ticked(as_user, coordinator, campaign, mock_round):
    client = as_user(coordinator)
    url = reverse("scoring:suggest", args=[mock_round.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "尚无台账" in text and 'name="accept"' in text
    assert not Score.objects.exists()

    client.post(url, {})
    assert not Score.objects.exists()

    a11 = leaf(campaign, "A1-1")
    assert client.post(url, {"accept": [a11.pk]}).status_code == 302
    score = Score.objects.get()
    assert score.standard == a11 and score.suggested and score.points == D(0)
    assert "尚无台账" in score.comment


def test_compare_shows_a_changed_standard(as_user, coordinator, campaign, mock_round):
    a12 = leaf(campaign, "A1-2")
    earlier = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="年度自评",
        scored_on=datetime.date(2026, 6, 1),
    )
    services.score_set(
        round_=earlier, standard=a12, user=coordinator, points="0.5", comment="会议记录仅1份"
    )
    services.score_set(round_=mock_round, standard=a12, user=coordinator, points="1")
    response = as_user(coordinator).get(
        reverse("scoring:compare", args=[campaign.pk]) + f"?a={earlier.pk}&b={mock_round.pk}"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "A1-2" in text and "0.5 → 1" in text and 'class="wm-up">↑0.5' in text


def test_gaps_rank_vetoes_then_points_lost(as_user, coordinator, campaign, mock_round):
    services.score_set(
        round_=mock_round,
        standard=leaf(campaign, "V1"),
        user=coordinator,
        vetoed=True,
        comment="班子成员受到党内严重警告处分",
    )
    services.score_set(
        round_=mock_round,
        standard=leaf(campaign, "A1-2"),
        user=coordinator,
        points="0.5",
        comment="会议记录仅1份，扣0.5分",
    )
    text = as_user(coordinator).get(reverse("scoring:gaps", args=[mock_round.pk])).content.decode()
    assert "一票否决，不予通过" in text
    assert text.index("V1") < text.index("A1-2")
    assert "会议记录仅1份，扣0.5分" in text


def _score_many(round_, user, campaign, count):  # type: ignore[no-untyped-def]
    nodes = Node.objects.filter(
        framework=campaign.framework, is_leaf=True, section="basic"
    ).order_by("position")[:count]
    for node in nodes:
        services.score_set(round_=round_, standard=node, user=user, points=node.points)


@pytest.mark.parametrize("count", [1, 40])
def test_pages_take_a_bounded_number_of_queries(
    as_user, coordinator, campaign, mock_round, count, django_assert_max_num_queries
):
    _score_many(mock_round, coordinator, campaign, count)
    other = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="年度自评",
        scored_on=datetime.date(2026, 6, 1),
    )
    _score_many(other, coordinator, campaign, count)
    client = as_user(coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("scoring:sheet", args=[mock_round.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("scoring:gaps", args=[mock_round.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        url = reverse("scoring:compare", args=[campaign.pk])
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("scoring:rounds", args=[campaign.pk])).status_code == 200


def test_demo_rounds_are_deterministic_and_idempotent(campaign, coordinator):
    first = load_demo_rounds(campaign)
    again = load_demo_rounds(campaign)
    assert {r.pk for r in first} == {r.pk for r in again}
    self_round = ScoringRound.objects.get(kind=RoundKind.SELF)
    mock = ScoringRound.objects.get(kind=RoundKind.MOCK)
    assert self_round.status == RoundStatus.FINISHED and mock.status == RoundStatus.OPEN
    assert Score.objects.filter(round=self_round, incidents=1).count() == 1
    assert Score.objects.filter(comment="会议记录仅1份，扣0.5分").exists()
    self_total = services.round_totals(self_round)
    mock_total = services.round_totals(mock)
    assert self_total.deduction == D(2) and not self_total.vetoed
    assert mock_total.unscored == 5
    assert self_total.total < mock_total.total


def test_gap_analysis_lists_open_problems_of_each_standard(as_user, coordinator, campaign, demo):
    import datetime as dt

    from wenming.frameworks.models import Node
    from wenming.oversight.models import Problem
    from wenming.scoring import services as scoring_services
    from wenming.scoring.models import RoundKind

    a11 = Node.objects.get(framework=campaign.framework, code="A1-1")
    round_ = scoring_services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="模拟测评",
        scored_on=dt.date(2026, 9, 1),
    )
    scoring_services.score_set(
        round_=round_, standard=a11, user=coordinator, points="0", comment="没有专题会议记录"
    )
    other = Node.objects.get(framework=campaign.framework, code="A1-2")
    for n, (status, standard) in enumerate(
        [("pending", a11), ("closed", a11), ("pending", other)], 1
    ):
        Problem.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            year=2026,
            sequence=n,
            description=f"问题{n}",
            department=demo["food"],
            deadline=dt.date(2020, 1, 1),
            status=status,
            standard=standard,
            closed_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC) if status == "closed" else None,
        )
    html = as_user(coordinator).get(f"/scoring/round/{round_.pk}/gaps/").content.decode()
    assert f'?standard={a11.pk}">1个</a>' in html and "逾期1" in html
    ledger = (
        as_user(coordinator)
        .get(f"/oversight/campaign/{campaign.pk}/problems/?standard={a11.pk}")
        .content.decode()
    )
    assert "问题1" in ledger and "问题2" in ledger and "问题3" not in ledger


def test_a_score_cites_the_ledger_items_that_prove_it(as_user, coordinator, campaign, demo):
    import datetime as dt

    from wenming.frameworks.models import Node
    from wenming.ledger.models import EvidenceItem
    from wenming.scoring import services as scoring_services
    from wenming.scoring.models import RoundKind, Score

    a11 = Node.objects.get(framework=campaign.framework, code="A1-1")
    a12 = Node.objects.get(framework=campaign.framework, code="A1-2")
    item = EvidenceItem.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        year=2026,
        title="精神文明建设专题会议纪要",
    )
    item.standards.add(a11)
    elsewhere = EvidenceItem.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        year=2026,
        title="其他标准的台账",
    )
    elsewhere.standards.add(a12)
    round_ = scoring_services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="模拟测评",
        scored_on=dt.date(2026, 9, 1),
    )
    client = as_user(coordinator)
    sheet = client.get(f"/scoring/round/{round_.pk}/").content.decode()
    assert "精神文明建设专题会议纪要" in sheet
    response = client.post(
        f"/scoring/round/{round_.pk}/score/{a11.pk}/",
        {"grade": "达到", "evidence_offered": "1", "evidence": [item.pk, elsewhere.pk]},
    )
    assert response.status_code == 302
    score = Score.objects.get(round=round_, standard=a11)
    # Only items that prove this standard can be cited.
    assert list(score.evidence.all()) == [item]
    scoring_services.round_finish(round_=round_, user=coordinator)
    finished = client.get(f"/scoring/round/{round_.pk}/").content.decode()
    assert "佐证台账：精神文明建设专题会议纪要" in finished

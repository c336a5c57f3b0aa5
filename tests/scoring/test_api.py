"""The scoring API: rounds, scores, totals as decimal strings, refusals in Chinese.

A refused input or business rule answers 422 with `{"detail", "errors"}` (`wenming/api.py`).
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from wenming.scoring import services
from wenming.scoring.models import RoundKind, Score, ScoringRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def mock_round(campaign, coordinator):  # type: ignore[no-untyped-def]
    return services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="2026年第一次模拟测评",
        scored_on=datetime.date(2026, 9, 1),
    )


def post_json(client, url, data):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def test_coordinator_scores_and_reads_totals(as_user, coordinator, mock_round):
    client = as_user(coordinator)
    url = reverse("api:scoring_score_set", args=[mock_round.pk])
    response = post_json(client, url, {"code": "A1-2", "points": "0.5", "comment": "仅1份记录"})
    assert response.status_code == 200, response.content
    assert response.json()["points"] == "0.50"
    post_json(client, url, {"code": "Y1", "incidents": 1, "concealed": True, "comment": "被投诉"})

    detail = client.get(reverse("api:scoring_round_detail", args=[mock_round.pk])).json()
    totals = detail["totals"]
    assert totals["basic"] == "0.50" and totals["deduction"] == "4.00"
    assert totals["total"] == "0.00" and totals["threshold"] == "85.00"
    assert totals["verdict"].startswith("未达标")
    scores = client.get(reverse("api:scoring_score_list", args=[mock_round.pk])).json()
    assert [s["code"] for s in scores] == ["A1-2", "Y1"]


def test_refused_score_is_422_with_chinese_detail_and_errors(as_user, coordinator, mock_round):
    url = reverse("api:scoring_score_set", args=[mock_round.pk])
    response = post_json(as_user(coordinator), url, {"code": "A1-3", "points": "1.5"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "A1-3（满分1分）的得分不能超过1分。"
    assert body["errors"] == {"points": ["A1-3（满分1分）的得分不能超过1分。"]}
    assert not Score.objects.exists()


def test_finished_round_refuses_scores_with_422(as_user, coordinator, mock_round):
    client = as_user(coordinator)
    finish = client.post(reverse("api:scoring_round_finish", args=[mock_round.pk]))
    assert finish.status_code == 200 and finish.json()["status"] == "finished"
    url = reverse("api:scoring_score_set", args=[mock_round.pk])
    response = post_json(client, url, {"code": "A1-1", "grade": "达到"})
    assert response.status_code == 422
    assert "已完成打分，不能再修改" in response.json()["detail"]
    again = client.post(reverse("api:scoring_round_finish", args=[mock_round.pk]))
    assert again.status_code == 422 and "已完成打分" in again.json()["detail"]


def test_who_may_score(as_user, dept_head, outsider_admin, campaign, mock_round):
    url = reverse("api:scoring_score_set", args=[mock_round.pk])
    refused = post_json(as_user(dept_head), url, {"code": "A1-1", "grade": "达到"})
    assert refused.status_code == 403 and "创建办" in refused.json()["detail"]
    hidden = post_json(as_user(outsider_admin), url, {"code": "A1-1", "grade": "达到"})
    assert hidden.status_code == 404
    assert not Score.objects.exists()


def test_formal_round_only_from_the_office(as_user, coordinator, office_admin, campaign):
    url = reverse("api:scoring_round_create", args=[campaign.pk])
    data = {"kind": "formal", "title": "2026年正式测评", "scored_on": "2026-10-20"}
    refused = post_json(as_user(coordinator), url, data)
    assert refused.status_code == 403 and "上级文明办" in refused.json()["detail"]
    created = post_json(as_user(office_admin), url, data)
    assert created.status_code == 201 and created.json()["kind"] == "formal"
    assert ScoringRound.objects.filter(kind="formal").count() == 1
    listed = as_user(coordinator).get(reverse("api:scoring_round_list", args=[campaign.pk]))
    assert [r["kind_label"] for r in listed.json()] == ["正式测评"]


def test_create_round_says_what_to_fix(as_user, coordinator, campaign):
    url = reverse("api:scoring_round_create", args=[campaign.pk])
    response = post_json(
        as_user(coordinator), url, {"kind": "mock", "title": " ", "scored_on": "2026-09-01"}
    )
    assert response.status_code == 422
    assert "请填写测评轮次名称" in response.json()["detail"]
    assert list(response.json()["errors"]) == ["title"]


def test_compare_and_gaps(as_user, coordinator, campaign, mock_round):
    from wenming.frameworks.models import Node

    a12 = Node.objects.get(framework=campaign.framework, code="A1-2")
    earlier = services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.SELF,
        title="年度自评",
        scored_on=datetime.date(2026, 6, 1),
    )
    services.score_set(
        round_=earlier, standard=a12, user=coordinator, points="0.5", comment="少1次"
    )
    services.score_set(round_=mock_round, standard=a12, user=coordinator, points="1")
    client = as_user(coordinator)
    compared = client.get(
        reverse("api:scoring_compare") + f"?a={earlier.pk}&b={mock_round.pk}"
    ).json()
    assert compared["changes"][0] == {
        "code": "A1-2",
        "title": a12.title,
        "before": "0.50",
        "after": "1.00",
        "delta": "0.50",
    }
    gaps = client.get(reverse("api:scoring_gaps", args=[earlier.pk])).json()
    first = next(g for g in gaps if g["kind"] == "lost")
    assert first["code"] == "A1-2" and first["lost"] == "0.50" and first["comment"] == "少1次"


def test_round_input_is_checked_by_the_schema(as_user, coordinator, campaign):
    url = reverse("api:scoring_round_create", args=[campaign.pk])
    client = as_user(coordinator)
    long_title = post_json(
        client, url, {"kind": "mock", "title": "测" * 101, "scored_on": "2026-09-01"}
    )
    assert long_title.status_code == 422
    assert long_title.json()["errors"] == {"title": ["不能超过100个字"]}
    bad_date = post_json(client, url, {"kind": "mock", "title": "模拟测评", "scored_on": "九月"})
    assert bad_date.status_code == 422 and "scored_on" in bad_date.json()["errors"]
    threshold = post_json(
        client,
        url,
        {
            "kind": "mock",
            "title": "模拟测评",
            "scored_on": "2026-09-01",
            "pass_threshold": "85.555",
        },
    )
    assert threshold.status_code == 422
    assert threshold.json()["errors"] == {"pass_threshold": ["达标分数线最多保留两位小数。"]}
    assert not ScoringRound.objects.exists()


def test_a_form_body_is_read_like_json(as_user, coordinator, campaign):
    url = reverse("api:scoring_round_create", args=[campaign.pk])
    response = as_user(coordinator).post(
        url, {"kind": "mock", "title": "表单提交的模拟测评", "scored_on": "2026-09-01"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["pass_threshold"] is None


def test_score_must_name_a_standard_of_the_round(as_user, coordinator, mock_round):
    url = reverse("api:scoring_score_set", args=[mock_round.pk])
    client = as_user(coordinator)
    unnamed = post_json(client, url, {"points": "1"})
    assert unnamed.status_code == 422
    assert unnamed.json() == {
        "detail": "请用 standard_id 或 code 指明要打分的测评标准。",
        "errors": {"standard_id": ["请用 standard_id 或 code 指明要打分的测评标准。"]},
    }
    unknown = post_json(client, url, {"code": "Z9-9", "points": "1"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == {"code": ["该测评标准不属于本轮测评所用的测评体系。"]}
    long_method = post_json(client, url, {"code": "A1-1", "grade": "达到", "method": "查" * 41})
    assert long_method.status_code == 422 and "method" in long_method.json()["errors"]
    assert not Score.objects.exists()


def test_compare_needs_both_rounds(as_user, coordinator, mock_round):
    client = as_user(coordinator)
    missing = client.get(reverse("api:scoring_compare") + f"?a={mock_round.pk}")
    assert missing.status_code == 422 and "b" in missing.json()["errors"]
    hidden = client.get(reverse("api:scoring_compare") + f"?a={mock_round.pk}&b=999999")
    assert hidden.status_code == 404


def test_a_removed_round_is_in_no_list(as_user, coordinator, campaign, mock_round):
    from django.utils import timezone

    ScoringRound.objects.filter(pk=mock_round.pk).update(removed_at=timezone.now())
    assert not ScoringRound.objects.live().exists()
    client = as_user(coordinator)
    assert client.get(reverse("api:scoring_round_list", args=[campaign.pk])).json() == []
    assert client.get(reverse("api:scoring_round_detail", args=[mock_round.pk])).status_code == 404

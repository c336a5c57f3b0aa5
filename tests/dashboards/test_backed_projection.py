"""The cockpits and the office view headline the score backed by evidence (有佐证得分) and
show the self-assessed one beside it as the claim; 达标 needs the backed total over the line.

The `data` round scores A1-1 (1.5) and A1-2 (1) without complete ledgers. With a pass line of
2 the claim (2.5) is over it, the backed total (0) is not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.dashboards.conftest import TODAY
from tests.scoring.test_backed import add_item
from wenming.dashboards import services
from wenming.dashboards.office import office_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_line(data) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    data["round"].pass_threshold = Decimal("2")
    data["round"].save()
    return data


def test_the_verdict_follows_the_backed_total(low_line) -> None:  # type: ignore[no-untyped-def]
    p = services.projection(low_line["campaign"])
    assert p.claimed is not None and p.claimed.passed and p.claimed_total == Decimal("2.50")
    assert p.totals is not None and p.total == Decimal("0") and not p.totals.passed
    assert p.totals.verdict.startswith("未达标")
    assert p.backing is not None and p.backing.sentence == "2条标准打了分但台账不完整，涉及2.5分"


def test_completing_the_evidence_lifts_the_headline(low_line) -> None:  # type: ignore[no-untyped-def]
    campaign, node = low_line["campaign"], low_line["node"]
    add_item(campaign, [node["A1-1"]])
    assert services.projection(campaign).total == Decimal("1.50")
    add_item(campaign, [node["A1-2"]])
    p = services.projection(campaign)
    assert p.total == Decimal("2.50") and p.totals is not None and p.totals.passed
    assert p.backing is not None and p.backing.count == 0


def test_cockpit_headlines_the_backed_figure(low_line, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    campaign = low_line["campaign"]
    text = as_user(leader).get(reverse("dashboards:campaign", args=[campaign.pk])).content.decode()
    assert "有佐证得分" in text and "0 分" in text and "自评 2.5 分" in text
    assert "2条标准打了分但台账不完整，涉及2.5分" in text
    assert 'id="projection-verdict">未达标' in text
    department = reverse("dashboards:department", args=[campaign.pk, low_line["food"].pk])
    text = as_user(leader).get(department).content.decode()
    assert "有佐证得分" in text and "自评 2.5 分" in text


def test_api_projection_is_backed_and_claimed_beside_it(low_line, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    body = as_user(leader).get(f"/api/v1/dashboards/campaigns/{low_line['campaign'].pk}").json()
    assert (body["projection"]["total"], body["projection"]["passes"]) == ("0.00", False)
    assert body["projection"]["verdict"].startswith("未达标")
    assert (body["claimed"]["total"], body["claimed"]["passes"]) == ("2.50", True)
    assert body["claimed"]["verdict"] == "达标"
    assert (body["difference"]["count"], body["difference"]["points"]) == (2, "2.50")


def test_office_view_judges_units_by_the_backed_total(
    low_line, demo, as_user, office_admin
) -> None:  # type: ignore[no-untyped-def]
    rows = {r.unit.code: r for r in office_units(demo["office"], TODAY)}
    unit = rows["LZ-SCJG"]
    assert unit.claimed is not None and unit.claimed.passed
    assert unit.total == Decimal("0") and unit.passes is False
    assert unit.backing is not None and (unit.backing.count, unit.backing.points) == (
        2,
        Decimal("2.5"),
    )
    page = as_user(office_admin).get(reverse("dashboards:office", args=[demo["office"].pk]))
    assert page.context["summary"]["passing"] == 0
    assert "自评2.5，2条台账不完整" in page.content.decode()
    body = as_user(office_admin).get(f"/api/v1/dashboards/offices/{demo['office'].pk}").json()
    api_unit = next(u for u in body["units"] if u["unit"]["id"] == demo["unit"].pk)
    assert (api_unit["total"], api_unit["passes"], api_unit["claimed_passes"]) == (
        "0.00",
        False,
        True,
    )


@pytest.mark.parametrize("extra", [0, 10])
def test_backed_projection_queries_do_not_grow(  # type: ignore[no-untyped-def]
    extra, low_line, django_assert_max_num_queries
):
    campaign, node = low_line["campaign"], low_line["node"]
    for i in range(extra):
        add_item(campaign, [node["A1-1"] if i % 2 else node["B1-1"]], photo=bool(i % 3))
    # The latest round, the nodes, the scores and the ledger's three.
    with django_assert_max_num_queries(6):
        services.projection(campaign)

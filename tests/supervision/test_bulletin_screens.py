"""The bulletin screens: drafting, naming units, 印发, who sees what, the Word document, and
a bounded number of queries on the bulletin page."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import docx
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.supervision.test_bulletins import END, START, TITLE, build_quarter, draft
from wenming.orgs.models import Organization, OrgKind
from wenming.registry import services as registry
from wenming.supervision import bulletins
from wenming.supervision.models import CityBulletin


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issued(demo: dict[str, Any], user: User) -> CityBulletin:
    bulletin = draft(demo, user)
    bulletins.bulletin_set_verdict(
        bulletin=bulletin, user=user, unit=demo["court"], verdict="praise", reason="整改迅速"
    )
    return bulletins.bulletin_issue(bulletin=bulletin, user=user, issued_on=END)


def test_office_admin_drafts_names_and_issues(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    client = client_for(office_admin)
    assert client.get(reverse("supervision:bulletin_new")).status_code == 200
    response = client.post(
        reverse("supervision:bulletin_new"),
        {
            "office": demo["office"].pk,
            "title": TITLE,
            "period_start": START.isoformat(),
            "period_end": END.isoformat(),
            "intro": "现通报如下。",
        },
    )
    bulletin = CityBulletin.objects.get(title=TITLE)
    assert response.status_code == 302
    page = client.get(reverse("supervision:bulletin", args=[bulletin.pk]))
    assert demo["court"].name in page.content.decode() and "草稿" in page.content.decode()
    url = reverse("supervision:bulletin_verdict", args=[bulletin.pk])
    refused = client.post(url, {"unit": demo["unit"].pk, "verdict": "criticize", "reason": ""})
    assert refused.status_code == 400 and "请填写对" in refused.content.decode()
    ok = client.post(url, {"unit": demo["unit"].pk, "verdict": "criticize", "reason": "逾期未改"})
    assert ok.status_code == 302
    edit = client.post(
        reverse("supervision:bulletin_edit", args=[bulletin.pk]),
        {"title": "新标题", "period_start": START.isoformat(), "period_end": END.isoformat()},
    )
    assert edit.status_code == 302
    issue = client.post(
        reverse("supervision:bulletin_issue", args=[bulletin.pk]), {"issued_on": END.isoformat()}
    )
    assert issue.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == "新标题" and bulletin.sequence == 1
    again = client.post(
        reverse("supervision:bulletin_edit", args=[bulletin.pk]),
        {"title": "再改", "period_start": START.isoformat(), "period_end": END.isoformat()},
    )
    assert again.status_code == 400 and "印发后不能再修改" in again.content.decode()


def test_unit_sees_only_issued_with_its_row_marked(
    demo: dict[str, Any], registered: Any, office_admin: User, coordinator: User
) -> None:
    hidden = draft(demo, office_admin, title="尚未印发的通报")
    shown = issued(demo, office_admin)
    client = client_for(coordinator)
    listing = client.get(reverse("supervision:bulletins")).content.decode()
    assert shown.title in listing and "尚未印发的通报" not in listing
    assert client.get(reverse("supervision:bulletin", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("supervision:bulletin", args=[shown.pk])).content.decode()
    assert "本单位" in page and demo["court"].name in page and "整改迅速" in page
    assert 'action="' + reverse("supervision:bulletin_issue", args=[shown.pk]) not in page
    # Its own rank is named above the table, whichever page its row falls on.
    assert f"本单位（{demo['unit'].name}）：第" in page


def test_another_city_is_told_nothing(
    demo: dict[str, Any], registered: Any, office_admin: User, outsider_admin: User
) -> None:
    bulletin = issued(demo, office_admin)
    client = client_for(outsider_admin)
    assert client.get(reverse("supervision:bulletin", args=[bulletin.pk])).status_code == 404
    assert client.get(reverse("supervision:bulletin_docx", args=[bulletin.pk])).status_code == 404


def _text(content: bytes) -> tuple[str, str]:
    document = docx.Document(io.BytesIO(content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return paragraphs, cells


def test_docx_has_the_sections_and_units(
    demo: dict[str, Any], registered: Any, office_admin: User
) -> None:
    build_quarter(demo)
    client = client_for(office_admin)
    bulletin = draft(demo, office_admin)
    response = client.get(reverse("supervision:bulletin_docx", args=[bulletin.pk]))
    paragraphs, _ = _text(response.content)
    assert TITLE + "（草稿）" in paragraphs
    assert quote(TITLE + "（草稿）.docx") in response["Content-Disposition"]
    bulletins.bulletin_set_verdict(
        bulletin=bulletin,
        user=office_admin,
        unit=demo["court"],
        verdict="praise",
        reason="整改迅速",
    )
    bulletins.bulletin_set_verdict(
        bulletin=bulletin, user=office_admin, unit=demo["unit"], verdict="criticize", reason="逾期"
    )
    bulletins.bulletin_issue(bulletin=bulletin, user=office_admin, issued_on=END)
    response = client.get(reverse("supervision:bulletin_docx", args=[bulletin.pk]))
    paragraphs, cells = _text(response.content)
    assert "（草稿）" not in paragraphs and "2026年第1期" in paragraphs
    assert f"{demo['office'].name}通报" in paragraphs
    for heading in ("一、通报表扬", "二、通报批评", "三、各单位情况"):
        assert heading in paragraphs
    assert f"{demo['court'].name}：整改迅速" in paragraphs
    assert f"{demo['unit'].name}：逾期" in paragraphs
    assert demo["unit"].name in cells and demo["court"].name in cells and "25.0%" in cells


def _more_units(demo: dict[str, Any], user: User, n: int) -> None:
    for i in range(n):
        unit = Organization.objects.create(
            kind=OrgKind.UNIT, parent=demo["office"], name=f"通报单位{i:02d}"
        )
        registry.entry_register(office=demo["office"], user=user, unit=unit, area="市直")


def _page_queries(demo: dict[str, Any], user: User, extra: int, assert_max: Any) -> None:
    _more_units(demo, user, extra)
    build_quarter(demo)
    bulletin = draft(demo, user)
    client = client_for(user)
    url = reverse("supervision:bulletin", args=[bulletin.pk])
    with assert_max(30):
        response = client.get(url)
    assert response.status_code == 200 and "通报单位" in response.content.decode() or extra == 0
    issued_one = bulletins.bulletin_issue(bulletin=bulletin, user=user, issued_on=END)
    with assert_max(25):
        assert client.get(reverse("supervision:bulletin", args=[issued_one.pk])).status_code == 200
    with assert_max(15):
        assert client.get(reverse("supervision:bulletins")).status_code == 200


def test_bulletin_page_queries_with_2_units(
    demo: dict[str, Any], registered: Any, office_admin: User, django_assert_max_num_queries: Any
) -> None:
    _page_queries(demo, office_admin, 0, django_assert_max_num_queries)


def test_bulletin_page_queries_with_20_units(
    demo: dict[str, Any], registered: Any, office_admin: User, django_assert_max_num_queries: Any
) -> None:
    _page_queries(demo, office_admin, 18, django_assert_max_num_queries)

"""The office's undo steps: changing and removing a draft priority, removing an inspection
without live problems, removing a bulletin draft. Each works on the services, the screens and
the API; each refusal (published, problems still live, issued) says why in Chinese and
changes nothing; what is removed leaves the lists, the hub and the bulletin figures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.supervision.conftest import TODAY, D
from tests.supervision.test_bulletins import END, draft
from wenming.supervision import bulletins, directives, problems
from wenming.supervision.models import (
    CityBulletin,
    CityInspection,
    CityProblem,
    Priority,
)

pytestmark = pytest.mark.usefixtures("fixed_today", "registered")
API = "/api/v1/supervision"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def priority(demo, office_admin):  # type: ignore[no-untyped-def]
    """A draft."""
    return directives.priority_create(
        office=demo["office"],
        user=office_admin,
        year=2026,
        quarter=3,
        title="第三季度重点工作",
        body="开展文明交通志愿服务。",
        acknowledge_by=D(2026, 6, 30),
    )


@pytest.fixture
def published(priority, office_admin):  # type: ignore[no-untyped-def]
    return directives.priority_publish(priority=priority, user=office_admin)


@pytest.fixture
def inspection(demo, office_admin):  # type: ignore[no-untyped-def]
    return problems.inspection_create(
        office=demo["office"],
        user=office_admin,
        unit=demo["unit"],
        kind="covert",
        inspected_on=D(2026, 6, 10),
        inspectors="王敏",
    )


def _dispatch(inspection: CityInspection, user: User, text: str = "灭火器过期") -> CityProblem:
    return problems.problem_dispatch(
        inspection=inspection, user=user, description=text, deadline=D(2026, 6, 30)
    )


FIELDS = {
    "year": 2026,
    "quarter": 4,
    "title": "第四季度重点工作",
    "body": "开展文明餐桌行动。",
    "acknowledge_by": D(2026, 10, 15),
}


# --- quarterly priorities --------------------------------------------------------------------


def test_a_draft_priority_is_changed_with_the_drafting_checks(priority, demo, office_admin):  # type: ignore[no-untyped-def]
    changed = directives.priority_update(
        priority=priority, user=office_admin, office=demo["office"], **FIELDS
    )
    priority.refresh_from_db()
    assert (priority.quarter, priority.title, priority.acknowledge_by) == (
        4,
        "第四季度重点工作",
        D(2026, 10, 15),
    )
    assert changed.published_at is None
    with pytest.raises(ValidationError) as exc:
        directives.priority_update(
            priority=priority,
            user=office_admin,
            office=demo["office"],
            year=1800,
            quarter=5,
            title=" ",
            body="",
            acknowledge_by=None,
        )
    # The same refusals as drafting: one function checks both.
    assert set(exc.value.message_dict) == {"year", "quarter", "title", "body", "acknowledge_by"}
    with pytest.raises(ValidationError) as exc:
        directives.priority_update(
            priority=priority, user=office_admin, office=demo["unit"], **FIELDS
        )
    assert "office" in exc.value.message_dict
    priority.refresh_from_db()
    assert priority.title == "第四季度重点工作" and priority.office == demo["office"]


def test_a_published_priority_is_neither_changed_nor_removed(published, demo, office_admin):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        directives.priority_update(
            priority=published, user=office_admin, office=demo["office"], **FIELDS
        )
    assert "该重点工作已下发，不能再修改。" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        directives.priority_remove(priority=published, user=office_admin)
    assert "该重点工作已下发，不能删除。" in _messages(exc)
    published.refresh_from_db()
    assert published.title == "第三季度重点工作" and published.removed_at is None


def test_a_draft_priority_is_removed_and_leaves_the_lists(priority, as_user, office_admin):  # type: ignore[no-untyped-def]
    directives.priority_remove(priority=priority, user=office_admin)
    priority.refresh_from_db()
    assert priority.removed_at is not None
    assert not directives.listed_priorities(office_admin, office=True).exists()
    with pytest.raises(ValidationError) as exc:
        directives.priority_remove(priority=priority, user=office_admin)
    assert "已删除" in _messages(exc)
    with pytest.raises(ValidationError):
        directives.priority_publish(priority=priority, user=office_admin)
    client = as_user(office_admin)
    assert "第三季度重点工作" not in client.get(reverse("supervision:priorities")).content.decode()
    assert "第三季度重点工作" not in client.get(reverse("supervision:index")).content.decode()
    url = reverse("supervision:priority", args=[priority.pk])
    assert client.get(url).status_code == 404


def test_the_office_edits_and_removes_a_draft_on_the_screens(  # type: ignore[no-untyped-def]
    priority, demo, office_admin, django_assert_max_num_queries
):
    client = _client(office_admin)
    detail = reverse("supervision:priority", args=[priority.pk])
    page = client.get(detail).content.decode()
    assert reverse("supervision:priority_edit", args=[priority.pk]) in page
    assert reverse("supervision:priority_remove", args=[priority.pk]) in page
    assert "confirm(" in page
    edit = reverse("supervision:priority_edit", args=[priority.pk])
    with django_assert_max_num_queries(15):
        page = client.get(edit).content.decode()
    assert "修改季度重点工作" in page and "开展文明交通志愿服务。" in page
    data = {**FIELDS, "office": demo["office"].pk, "acknowledge_by": "2026-10-15"}
    bad = client.post(edit, {**data, "title": ""})
    assert bad.status_code == 400 and "请填写标题" in bad.content.decode()
    assert client.post(edit, data).status_code == 302
    priority.refresh_from_db()
    assert priority.title == "第四季度重点工作" and priority.quarter == 4
    response = client.post(reverse("supervision:priority_remove", args=[priority.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("supervision:priorities")
    assert "已删除重点工作草稿" in response.content.decode()
    assert Priority.objects.live().count() == 0


def test_a_published_priority_is_refused_on_the_screens(
    published, as_user, office_admin, coordinator
):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    page = client.get(reverse("supervision:priority", args=[published.pk])).content.decode()
    assert reverse("supervision:priority_edit", args=[published.pk]) not in page
    assert reverse("supervision:priority_remove", args=[published.pk]) not in page
    edit = reverse("supervision:priority_edit", args=[published.pk])
    response = client.get(edit, follow=True)
    assert "该重点工作已下发，不能再修改。" in response.content.decode()
    response = client.post(reverse("supervision:priority_remove", args=[published.pk]), follow=True)
    assert "该重点工作已下发，不能删除。" in response.content.decode()
    published.refresh_from_db()
    assert published.removed_at is None
    # The unit's 创建办 reads it but does not act for the office.
    assert as_user(coordinator).get(edit).status_code == 403
    remove = reverse("supervision:priority_remove", args=[published.pk])
    assert as_user(coordinator).post(remove).status_code == 403


def test_priorities_are_changed_and_removed_through_the_api(  # type: ignore[no-untyped-def]
    priority, demo, office_admin, leader
):
    admin = _client(office_admin)
    url = f"{API}/priorities/{priority.pk}"
    response = send(admin, "PATCH", url, {"title": "改后的标题", "quarter": 4})
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["quarter"]) == ("改后的标题", 4)
    bad = send(admin, "PATCH", url, {"quarter": 7})
    assert bad.status_code == 422 and bad.json()["errors"]["quarter"] == ["季度应为1到4。"]
    assert admin.post(f"{url}/publish").status_code == 200
    refused = send(admin, "PATCH", url, {"title": "再改"})
    assert refused.status_code == 422 and "不能再修改" in refused.json()["detail"]
    refused = admin.post(f"{url}/remove")
    assert refused.status_code == 422 and "不能删除" in refused.json()["detail"]
    assert send(_client(leader), "PATCH", url, {"title": "x"}).status_code == 403
    priority.refresh_from_db()
    assert priority.title == "改后的标题" and priority.removed_at is None

    another = directives.priority_create(
        office=demo["office"], user=office_admin, **{**FIELDS, "quarter": 1}
    )
    assert admin.post(f"{API}/priorities/{another.pk}/remove").status_code == 204
    assert admin.get(f"{API}/priorities/{another.pk}").status_code == 404
    assert [p["id"] for p in admin.get(f"{API}/priorities").json()["items"]] == [priority.pk]


# --- inspections ---------------------------------------------------------------------------


def test_an_inspection_with_live_problems_is_not_removed(inspection, office_admin):  # type: ignore[no-untyped-def]
    first = _dispatch(inspection, office_admin)
    _dispatch(inspection, office_admin, "公益广告破损")
    with pytest.raises(ValidationError) as exc:
        problems.inspection_remove(inspection=inspection, user=office_admin)
    assert _messages(exc) == "该次督查已交办2个问题，请先撤回这些问题再删除督查记录。"
    problems.problem_remove(problem=first, user=office_admin, reason="重复交办")
    with pytest.raises(ValidationError) as exc:
        problems.inspection_remove(inspection=inspection, user=office_admin)
    assert "已交办1个问题" in _messages(exc)
    inspection.refresh_from_db()
    assert inspection.removed_at is None


def test_an_inspection_with_a_closed_problem_stays(inspection, office_admin, coordinator):  # type: ignore[no-untyped-def]
    problem = _dispatch(inspection, office_admin)
    problems.problem_submit(problem=problem, user=coordinator, note="已更换")
    problems.problem_verify(problem=problem, user=office_admin)
    with pytest.raises(ValidationError) as exc:
        problems.inspection_remove(inspection=inspection, user=office_admin)
    assert "1个已验收销号、不能撤回" in _messages(exc)
    inspection.refresh_from_db()
    assert inspection.removed_at is None


def test_an_inspection_without_live_problems_is_removed_everywhere(  # type: ignore[no-untyped-def]
    inspection, demo, office_admin, as_user
):
    problem = _dispatch(inspection, office_admin)
    problems.problem_remove(problem=problem, user=office_admin, reason="交办错了单位")
    before = bulletins.unit_figures(office=demo["office"], start=D(2026, 6, 1), end=TODAY)
    assert [r.problems_found for r in before] == [0, 0]  # a withdrawn problem never counts
    problems.inspection_remove(inspection=inspection, user=office_admin)
    inspection.refresh_from_db()
    assert inspection.removed_at is not None and inspection.removed_by == office_admin
    with pytest.raises(ValidationError) as exc:
        _dispatch(inspection, office_admin)
    assert "已删除" in _messages(exc)
    assert CityProblem.objects.live().count() == 0
    with pytest.raises(ValidationError):
        problems.inspection_remove(inspection=inspection, user=office_admin)
    client = as_user(office_admin)
    assert "王敏" not in client.get(reverse("supervision:inspections")).content.decode()
    assert "王敏" not in client.get(reverse("supervision:index")).content.decode()
    url = reverse("supervision:inspection", args=[inspection.pk])
    assert client.get(url).status_code == 404


def test_a_removed_inspections_problems_leave_the_bulletin_figures(  # type: ignore[no-untyped-def]
    inspection, demo, office_admin
):
    problem = _dispatch(inspection, office_admin)

    def found() -> int:
        rows = bulletins.unit_figures(office=demo["office"], start=D(2026, 6, 1), end=TODAY)
        return next(r.problems_found for r in rows if r.unit == demo["unit"])

    assert found() == 1
    problems.problem_remove(problem=problem, user=office_admin, reason="重复交办")
    problems.inspection_remove(inspection=inspection, user=office_admin)
    assert found() == 0


def test_the_inspection_page_removes_or_says_what_to_do_first(  # type: ignore[no-untyped-def]
    inspection, office_admin, leader
):
    client = _client(office_admin)
    page_url = reverse("supervision:inspection", args=[inspection.pk])
    remove = reverse("supervision:inspection_remove", args=[inspection.pk])
    problem = _dispatch(inspection, office_admin)
    page = client.get(page_url).content.decode()
    assert remove not in page and "请先撤回交办的问题" in page
    response = client.post(remove, follow=True)
    assert response.redirect_chain[-1][0] == page_url
    assert "该次督查已交办1个问题，请先撤回这些问题再删除督查记录。" in response.content.decode()
    assert CityInspection.objects.live().count() == 1
    assert _client(leader).get(page_url).status_code == 200
    assert _client(leader).post(remove).status_code == 403

    problems.problem_remove(problem=problem, user=office_admin, reason="重复交办")
    page = client.get(page_url).content.decode()
    assert remove in page and "confirm(" in page
    response = client.post(remove, follow=True)
    assert response.redirect_chain[-1][0] == reverse("supervision:inspections")
    assert "已删除对" in response.content.decode()
    assert CityInspection.objects.live().count() == 0


def test_inspections_are_removed_through_the_api(inspection, office_admin, leader):  # type: ignore[no-untyped-def]
    admin = _client(office_admin)
    url = f"{API}/inspections/{inspection.pk}"
    problem = _dispatch(inspection, office_admin)
    refused = admin.post(f"{url}/remove")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "该次督查已交办1个问题，请先撤回这些问题再删除督查记录。"
    assert _client(leader).post(f"{url}/remove").status_code == 403
    assert (
        send(admin, "POST", f"{API}/problems/{problem.pk}/remove", {"reason": "重复"}).status_code
        == 204
    )
    assert admin.post(f"{url}/remove").status_code == 204
    assert admin.get(url).status_code == 404
    assert admin.get(f"{API}/inspections").json()["count"] == 0


# --- bulletins -----------------------------------------------------------------------------


def test_a_bulletin_draft_is_removed_an_issued_one_is_not(demo, office_admin):  # type: ignore[no-untyped-def]
    bulletin = draft(demo, office_admin)
    bulletins.bulletin_remove(bulletin=bulletin, user=office_admin)
    bulletin.refresh_from_db()
    assert bulletin.removed_at is not None
    with pytest.raises(ValidationError, match="已删除"):
        bulletins.bulletin_remove(bulletin=bulletin, user=office_admin)

    issued = draft(demo, office_admin)
    bulletins.bulletin_issue(bulletin=issued, user=office_admin, issued_on=END)
    with pytest.raises(ValidationError) as exc:
        bulletins.bulletin_remove(bulletin=issued, user=office_admin)
    assert "已印发的通报不能删除。" in _messages(exc) and "2026年第1期" in _messages(exc)
    issued.refresh_from_db()
    assert issued.removed_at is None
    assert list(CityBulletin.objects.live()) == [issued]


def test_the_draft_page_removes_the_draft(demo, office_admin, coordinator):  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    bulletin = draft(demo, office_admin)
    page = client.get(reverse("supervision:bulletin", args=[bulletin.pk])).content.decode()
    remove = reverse("supervision:bulletin_remove", args=[bulletin.pk])
    assert remove in page and "删除草稿" in page
    assert _client(coordinator).post(remove).status_code == 404  # a draft is the office's
    response = client.post(remove, follow=True)
    assert response.redirect_chain[-1][0] == reverse("supervision:bulletins")
    assert "已删除通报草稿" in response.content.decode()
    assert bulletin.title not in client.get(reverse("supervision:bulletins")).content.decode()

    issued = draft(demo, office_admin, title="已印发的通报")
    bulletins.bulletin_issue(bulletin=issued, user=office_admin, issued_on=END)
    page = client.get(reverse("supervision:bulletin", args=[issued.pk])).content.decode()
    assert reverse("supervision:bulletin_remove", args=[issued.pk]) not in page
    response = client.post(reverse("supervision:bulletin_remove", args=[issued.pk]), follow=True)
    assert "已印发的通报不能删除。" in response.content.decode()
    issued.refresh_from_db()
    assert issued.removed_at is None


def test_bulletins_are_removed_through_the_api(demo, office_admin):  # type: ignore[no-untyped-def]
    admin = _client(office_admin)
    bulletin = draft(demo, office_admin)
    issued = draft(demo, office_admin, title="已印发的通报")
    bulletins.bulletin_issue(bulletin=issued, user=office_admin, issued_on=END)
    refused = admin.post(f"{API}/bulletins/{issued.pk}/remove")
    assert refused.status_code == 422 and "已印发的通报不能删除。" in refused.json()["detail"]
    assert admin.post(f"{API}/bulletins/{bulletin.pk}/remove").status_code == 204
    assert admin.get(f"{API}/bulletins/{bulletin.pk}").status_code == 404
    assert [b["id"] for b in admin.get(f"{API}/bulletins").json()["items"]] == [issued.pk]


def test_the_queues_keep_a_published_priority_the_office_tried_to_remove(  # type: ignore[no-untyped-def]
    published, office_admin, coordinator
):
    assert directives.queue_counts(coordinator)["priorities_to_ack"] == 1
    with pytest.raises(ValidationError):
        directives.priority_remove(priority=published, user=office_admin)
    assert directives.queue_counts(coordinator)["priorities_to_ack"] == 1
    assert directives.queue_counts(office_admin)["priorities_unacknowledged"] == 2

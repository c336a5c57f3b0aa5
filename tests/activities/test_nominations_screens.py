"""The 先进典型 screens: the board (columns by step, counts, places taken against the quota,
filters), nominating and editing through the form, the detail page with its timeline,
objections and the steps the user may take, each step posted from it (refusals shown again
with the Chinese sentence, 400, nothing kept), the ratings, and pages that cost the same
whatever the number of nominations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.conftest import photo
from tests.activities.nomination_helpers import NOW, TODAY, advance, make_rating, nominate, standard
from wenming.activities import nominations as services
from wenming.activities.models.nominations import (
    Category,
    Nomination,
    NominationEvent,
    Objection,
    Rating,
    Status,
)
from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.orgs.models import Membership, Role


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _board(campaign: Any, **more: Any) -> str:
    query = "&".join([f"campaign={campaign.pk}", *(f"{k}={v}" for k, v in more.items())])
    return f"{reverse('activities:nominations')}?{query}"


def _detail(n: Nomination) -> str:
    return reverse("activities:nomination_detail", args=[n.pk])


def _step(n: Nomination, action: str) -> str:
    return reverse("activities:nomination_action", args=[n.pk, action])


def _text(response: Any) -> str:
    return response.content.decode()


# --- the board ----------------------------------------------------------------------------------


def test_the_board_shows_each_step_with_counts_and_the_quota(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff, dept_head, leader, office_admin
) -> None:
    make_rating(campaign, coordinator, quota=2)
    worker = nominate(
        campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=staff
    )
    advance(worker, coordinator, "publicizing")
    nominate(campaign, dept_head, demo["food"], name="王大妈")
    nominate(campaign, coordinator, demo["registry"], name="李大爷")
    withdrawn = nominate(campaign, coordinator, demo["registry"], name="赵大姐")
    services.nomination_withdraw(nomination=withdrawn, user=coordinator)
    response = as_user(leader).get(_board(campaign))
    assert response.status_code == 200
    page = _text(response)
    columns = {c["label"]: [n.name for n in c["rows"]] for c in response.context["columns"]}
    assert columns["已提名"] == ["李大爷", "王大妈"] and columns["公示中"] == ["陈晓燕"]
    assert [n.name for n in response.context["closed"]] == ["赵大姐"]
    counts = dict(response.context["counts"])
    assert (counts["已提名"], counts["公示中"], counts["已撤回"], counts["已评选"]) == (2, 1, 1, 0)
    assert "公示及评选 1 / 名额 2" in page
    assert "推荐先进典型" not in page
    assert "推荐先进典型" in _text(as_user(staff).get(_board(campaign)))
    assert as_user(office_admin).get(_board(campaign)).status_code == 200
    filtered = as_user(leader).get(_board(campaign, department=demo["registry"].pk))
    assert filtered.context["total"] == 2
    by_category = as_user(leader).get(_board(campaign, category="civil_worker"))
    assert [n.name for c in by_category.context["columns"] for n in c["rows"]] == ["陈晓燕"]
    assert as_user(leader).get(_board(campaign, year=2027)).context["total"] == 0


def test_the_board_costs_the_same_whatever_the_number(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    client = as_user(coordinator)
    make_rating(campaign, coordinator, quota=50)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_board(campaign))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    first = nominate(campaign, coordinator, demo["food"], name="甲")
    advance(first, coordinator, "publicizing")
    small = count()
    for n in range(12):
        made = nominate(campaign, coordinator, demo["registry"], name=f"人选{n}")
        if n % 3 == 0:
            advance(made, coordinator, "publicizing")
        elif n % 4 == 1:
            services.nomination_withdraw(nomination=made, user=coordinator)
    assert count() == small


# --- nominating ---------------------------------------------------------------------------------


def _form(campaign: Any, **more: Any) -> dict[str, Any]:
    data = {
        "year": "2026",
        "category": "helpful",
        "name": "社区志愿者王大妈",
        "story": "照顾孤寡老人六年。",
        "standards": [standard(campaign, "C3-1").pk],
    }
    data.update(more)
    return data


def test_a_department_nominates_through_the_form(campaign, demo, as_user, staff) -> None:  # type: ignore[no-untyped-def]
    url = f"{reverse('activities:nomination_new')}?campaign={campaign.pk}"
    page = as_user(staff).get(url)
    assert page.status_code == 200 and page.context["form"].initial["department"] == demo["food"].pk
    response = as_user(staff).post(url, _form(campaign, department=demo["food"].pk))
    n = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(n)
    assert (n.department, n.created_by, n.name) == (demo["food"], staff, "社区志愿者王大妈")
    # Another department is not theirs to nominate for: the form refuses it, nothing kept.
    response = as_user(staff).post(
        url, _form(campaign, department=demo["registry"].pk, name="另一人")
    )
    assert response.status_code == 400
    assert "请从列表中重新选择推荐部门。" in _text(response)
    assert Nomination.objects.count() == 1


def test_a_refused_nomination_shows_why_and_keeps_nothing(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    url = f"{reverse('activities:nomination_new')}?campaign={campaign.pk}"
    response = as_user(coordinator).post(
        url, _form(campaign, department=demo["food"].pk, category="civil_worker", name="")
    )
    assert response.status_code == 400
    page = _text(response)
    assert "还没有发布2026年度文明职工评选" in page and "文明职工须从本单位人员中选择。" in page
    assert not Nomination.objects.exists()


def test_people_outside_the_departments_do_not_nominate(  # type: ignore[no-untyped-def]
    campaign, as_user, leader, office_admin
) -> None:
    url = f"{reverse('activities:nomination_new')}?campaign={campaign.pk}"
    assert as_user(leader).get(url).status_code == 403
    response = as_user(office_admin).get(url)
    assert response.status_code == 403 and OFFICE_READS_ONLY in _text(response)


def test_editing_before_publicity_and_refused_after(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff
) -> None:
    n = nominate(campaign, staff, demo["food"])
    url = reverse("activities:nomination_edit", args=[n.pk])
    assert as_user(staff).get(url).context["form"].initial["story"] == n.story
    response = as_user(staff).post(url, _form(campaign, story="补充了事迹。"))
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.story == "补充了事迹。"
    advance(n, coordinator, "publicizing")
    response = as_user(coordinator).get(url)
    assert response.status_code == 302 and response["Location"] == _detail(n)
    response = as_user(coordinator).post(url, _form(campaign, story="公示后改写", name="王大娘"))
    assert response.status_code == 400
    assert "公示已开始，推荐材料不能再修改" in _text(response)
    n.refresh_from_db()
    assert (n.story, n.name) == ("补充了事迹。", "社区志愿者王大妈")


# --- a nomination -------------------------------------------------------------------------------


def test_the_detail_shows_the_way_and_the_steps_each_user_may_take(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff, dept_head, leader, office_admin
) -> None:
    n = nominate(campaign, staff, demo["food"])
    page = _text(as_user(dept_head).get(_detail(n)))
    assert "办理经过" in page and "提名" in page and "由食品安全监管科推荐" in page
    assert _step(n, "recommend") in page and _step(n, "review") not in page
    for user in (leader, office_admin):
        response = as_user(user).get(_detail(n))
        assert response.status_code == 200 and response.context["steps"] == []
        assert "修改推荐材料" not in _text(response)
    assert [s["action"] for s in as_user(staff).get(_detail(n)).context["steps"]] == ["withdraw"]
    response = as_user(dept_head).post(_step(n, "recommend"), {"note": "同意"})
    assert response.status_code == 302
    steps = [s["action"] for s in as_user(coordinator).get(_detail(n)).context["steps"]]
    assert steps == ["review", "return", "withdraw", "decline"]
    assert as_user(staff).post(_step(n, "review")).status_code == 403


def test_the_way_through_the_screens_to_the_award(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff, _today
) -> None:
    client = as_user(coordinator)
    make_rating(campaign, coordinator, quota=1)
    n = nominate(campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=staff)
    assert client.post(_step(n, "recommend")).status_code == 302
    assert client.post(_step(n, "review")).status_code == 302
    response = client.post(_step(n, "publicize"), {"starts_on": "2026-06-15", "days": "5"})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.status == Status.PUBLICIZING and n.publicity_ends_on is not None
    response = client.post(
        _step(n, "objection"), {"received_on": "2026-06-15", "content": "反映迟到早退。"}
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    page = _text(client.get(_detail(n)))
    assert "反映迟到早退。" in page and "1 条待答复" in page and "匿名" in page
    response = client.post(_step(n, "answer"), {"objection": objection.pk, "answer": "x"})
    assert response.status_code == 400 and "请选择核实结论：属实或不属实。" in _text(response)
    response = client.post(
        _step(n, "answer"),
        {"objection": objection.pk, "answer": "考勤记录正常。", "upheld": "false"},
    )
    assert response.status_code == 302
    response = client.post(_step(n, "award"), {"awarded_on": "2026-06-15"})
    assert response.status_code == 400 and "公示期满后才能评选" in _text(response)
    _today.move_to(datetime.datetime(2026, 6, 24, 10))
    client = as_user(coordinator)  # a new day, a new session
    response = client.post(
        _step(n, "award"),
        {"awarded_on": "2026-06-24", "award_title": "", "files": [photo("证书.jpg")]},
    )
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.status == Status.AWARDED and n.evidence is not None
    page = _text(client.get(_detail(n)))
    assert "评选材料已存入台账" in page and "陈晓燕推荐审批表.pdf" in page
    response = client.post(
        _step(n, "refer"), {"referred_to": "临州好人榜", "referred_on": "2026-06-24", "note": ""}
    )
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.status == Status.REFERRED
    actions = list(NominationEvent.objects.filter(nomination=n).values_list("action", flat=True))
    assert actions == [
        "提名",
        "部门推荐",
        "审核通过",
        "开始公示",
        "收到异议",
        "核实答复",
        "评选",
        "推荐上报",
    ]


def test_the_quota_refusal_is_shown_on_the_page(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, staff, dept_head
) -> None:
    make_rating(campaign, coordinator, quota=1)
    first, second = (
        nominate(campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=p)
        for p in (staff, dept_head)
    )
    advance(first, coordinator, "publicizing")
    advance(second, coordinator, "reviewed")
    response = as_user(coordinator).post(
        _step(second, "publicize"), {"starts_on": "2026-06-15", "days": "5"}
    )
    assert response.status_code == 400
    assert "2026年度文明职工评选的名额为1名" in _text(response)
    second.refresh_from_db()
    assert second.status == Status.REVIEWED


def test_the_detail_costs_the_same_whatever_its_history(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    client = as_user(coordinator)
    n = advance(nominate(campaign, coordinator, demo["food"]), coordinator, "publicizing")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_detail(n))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    services.objection_record(nomination=n, user=coordinator, received_on=TODAY, content="反映一")
    small = count()
    for k in range(6):
        services.objection_record(
            nomination=n, user=coordinator, received_on=TODAY, content=f"反映{k}"
        )
    first = Objection.objects.order_by("id").first()
    assert first is not None
    services.objection_answer(objection=first, user=coordinator, answer="不属实", upheld=False)
    assert count() == small


# --- ratings ------------------------------------------------------------------------------------


def test_the_office_publishes_a_rating_and_everyone_reads_it(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, leader, office_admin
) -> None:
    url = f"{reverse('activities:rating_new')}?campaign={campaign.pk}"
    data = {
        "year": "2026",
        "category": "civil_family",
        "criteria": "家庭和睦，邻里团结。",
        "quota": "5",
        "publicity_days": "5",
    }
    response = as_user(coordinator).post(url, data)
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.quota, rating.category, rating.created_by) == (5, "civil_family", coordinator)
    again = as_user(coordinator).post(url, data)
    assert again.status_code == 400 and "不能重复发布" in _text(again)
    assert Rating.objects.count() == 1
    for user in (leader, office_admin):
        page = as_user(user).get(f"{reverse('activities:ratings')}?campaign={campaign.pk}")
        assert page.status_code == 200 and "2026年度文明家庭评选" in _text(page)
        assert "发布评选" not in _text(page)
    assert as_user(leader).post(url, data).status_code == 403
    response = as_user(office_admin).post(url, data)
    assert response.status_code == 403 and OFFICE_READS_ONLY in _text(response)


def test_a_new_department_person_nominates_for_their_own_department(  # type: ignore[no-untyped-def]
    campaign, demo, as_user
) -> None:
    newcomer = User.objects.create_user("xinren", first_name="新人")
    Membership.objects.create(user=newcomer, organization=demo["registry"], role=Role.STAFF)
    url = f"{reverse('activities:nomination_new')}?campaign={campaign.pk}"
    response = as_user(newcomer).post(url, _form(campaign, department=demo["registry"].pk))
    assert response.status_code == 302
    assert Nomination.objects.get().department == demo["registry"]

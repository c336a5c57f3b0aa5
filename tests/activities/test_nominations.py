"""先进典型 (R10), the rules of `activities.nominations` and who may take each step
(`nominations_access`): the nominee, the way 提名 → 部门推荐 → 审核 → 公示 → 评选 → 上报 with its
events, 公示 on the office's working days, the content frozen once 公示 began, the rating's
quota, objections, the award's ledger item, and the readings other surfaces use."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from pypdf import PdfReader

from tests.activities.conftest import photo
from tests.activities.nomination_helpers import (
    NOW,
    STORY,
    TODAY,
    advance,
    make_rating,
    moment,
    nominate,
    standard,
)
from wenming.activities import nominations as services
from wenming.activities import nominations_access as access
from wenming.activities.models.nominations import (
    Category,
    Nomination,
    NominationEvent,
    Objection,
    Status,
)
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceFile
from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.orgs.calendar import calendar_day_add, load_official_holidays
from wenming.orgs.models import Organization, OrgKind


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _events(nomination: Nomination) -> list[tuple[str, str]]:
    return list(
        NominationEvent.objects.filter(nomination=nomination)
        .order_by("created_at", "id")
        .values_list("action", "status")
    )


def _refusal(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _publicized(campaign: Any, coordinator: Any, demo: Any, **more: Any) -> Nomination:
    return advance(
        nominate(campaign, coordinator, demo["food"], **more), coordinator, "publicizing"
    )


# --- nominating ---------------------------------------------------------------------------------


def test_a_department_nominates_its_person_for_the_rating(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, dept_head, staff
) -> None:
    rating = make_rating(campaign, coordinator, publicity_days=7)
    n = nominate(
        campaign,
        dept_head,
        demo["food"],
        category=Category.CIVIL_WORKER,
        name="",
        person=staff,
        standards=[standard(campaign)],
    )
    assert (n.name, n.person, n.rating, n.publicity_days) == ("陈晓燕", staff, rating, 7)
    assert (n.status, n.department, n.created_by) == (Status.NOMINATED, demo["food"], dept_head)
    assert list(n.standards.all()) == [standard(campaign)]
    assert _events(n) == [("提名", Status.NOMINATED)]


def test_a_rating_category_waits_for_its_rating(campaign, demo, dept_head, staff) -> None:  # type: ignore[no-untyped-def]
    errors = _refusal(
        lambda: nominate(
            campaign, dept_head, demo["food"], category=Category.CIVIL_WORKER, person=staff
        )
    )
    assert "还没有发布2026年度文明职工评选" in errors["category"][0]
    assert not Nomination.objects.exists()


def test_a_rating_published_later_takes_in_the_years_nominations(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator
) -> None:
    family = make_rating(campaign, coordinator, category=Category.CIVIL_FAMILY, quota=5)
    n = nominate(campaign, coordinator, demo["food"], category=Category.CIVIL_FAMILY, name="李家")
    assert n.rating == family
    n.refresh_from_db()
    assert n.publicity_days == 5


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"category": Category.CIVIL_WORKER, "person": None}, "person", "文明职工须从本单位人员"),
        ({"person": "outsider"}, "person", "不是本单位人员"),
        ({"category": Category.CIVIL_DEPARTMENT}, "collective", "请选择推荐为文明科室的部门"),
        (
            {"category": Category.CIVIL_DEPARTMENT, "collective": "court_dept"},
            "collective",
            "本单位在用的部门",
        ),
        ({"collective": "food"}, "collective", "只有文明科室推荐部门"),
        ({"category": Category.CIVIL_FAMILY, "name": ""}, "name", "请填写家庭名称"),
        ({"name": ""}, "name", "请选择本单位人员，或填写推荐人选的姓名"),
        ({"story": "  "}, "story", "请填写主要事迹"),
        ({"standards": []}, "standards", "请选择该先进典型佐证的测评标准"),
        ({"standards": "branch"}, "standards", "不属于本次创建所用的测评体系"),
        ({"year": 2025}, "year", "2026—2028年"),
    ],
)
def test_what_a_nomination_must_name(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, overrides, field, words
) -> None:
    make_rating(campaign, coordinator)
    make_rating(campaign, coordinator, category=Category.CIVIL_FAMILY)
    make_rating(campaign, coordinator, category=Category.CIVIL_DEPARTMENT)
    court_dept = Organization.objects.filter(parent=demo["court"], kind=OrgKind.DEPARTMENT).first()
    named = {
        "outsider": User.objects.get(username="yl_admin"),
        "court_dept": court_dept,
        "food": demo["food"],
        "branch": [Node.objects.filter(framework=campaign.framework, is_leaf=False).first()],
    }
    args = {k: named.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    errors = _refusal(lambda: nominate(campaign, coordinator, demo["food"], **args))
    assert words in errors[field][0]
    assert not Nomination.objects.exists() and not NominationEvent.objects.exists()


def test_the_nominee_is_named_from_the_person_or_the_department(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, staff
) -> None:
    make_rating(campaign, coordinator, category=Category.CIVIL_FAMILY)
    make_rating(campaign, coordinator, category=Category.CIVIL_DEPARTMENT)
    family = nominate(
        campaign, coordinator, demo["food"], category=Category.CIVIL_FAMILY, name="", person=staff
    )
    office = nominate(
        campaign,
        coordinator,
        demo["food"],
        category=Category.CIVIL_DEPARTMENT,
        name="",
        collective=demo["registry"],
    )
    helper = nominate(campaign, coordinator, demo["food"], name="社区志愿者王大妈")
    assert (family.name, family.person) == ("陈晓燕家庭", staff)
    assert (office.name, office.collective) == ("登记注册科", demo["registry"])
    assert (helper.name, helper.person, helper.rating) == ("社区志愿者王大妈", None, None)


def test_the_same_nominee_is_not_nominated_twice_a_year(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, staff
) -> None:
    first = nominate(campaign, coordinator, demo["food"], person=staff, name="")
    errors = _refusal(
        lambda: nominate(campaign, coordinator, demo["registry"], person=staff, name="")
    )
    assert errors["person"] == ["陈晓燕已被推荐为2026年度助人为乐，不能重复推荐。"]
    services.nomination_withdraw(nomination=first, user=coordinator)
    assert nominate(campaign, coordinator, demo["registry"], person=staff).pk != first.pk


# --- the way ------------------------------------------------------------------------------------


def test_recommended_reviewed_returned_and_again(campaign, demo, coordinator, dept_head) -> None:  # type: ignore[no-untyped-def]
    n = nominate(campaign, dept_head, demo["food"])
    n = services.nomination_recommend(nomination=n, user=dept_head, note="同意推荐")
    n = services.nomination_review(nomination=n, user=coordinator)
    errors = _refusal(lambda: services.nomination_return(nomination=n, user=coordinator, reason=""))
    assert errors["reason"] == ["请写明退回原因，告诉推荐部门需要修改或补充什么。"]
    n = services.nomination_return(nomination=n, user=coordinator, reason="事迹不够具体，请补充。")
    assert n.status == Status.NOMINATED
    assert _events(n) == [
        ("提名", Status.NOMINATED),
        ("部门推荐", Status.RECOMMENDED),
        ("审核通过", Status.REVIEWED),
        ("退回", Status.NOMINATED),
    ]
    last = NominationEvent.objects.filter(nomination=n).last()
    assert last is not None and (last.note, last.actor) == ("事迹不够具体，请补充。", coordinator)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda n, u: services.nomination_review(nomination=n, user=u), "须先经部门推荐"),
        (
            lambda n, u: services.nomination_publicize(nomination=n, user=u, starts_on=TODAY),
            "须经创建办审核通过后才能公示",
        ),
        (
            lambda n, u: services.nomination_award(nomination=n, user=u),
            "只有经过公示的推荐可以评选",
        ),
        (
            lambda n, u: services.nomination_refer(nomination=n, user=u, referred_to="临州好人榜"),
            "只有已评选的先进典型可以向上推荐",
        ),
        (
            lambda n, u: services.objection_record(
                nomination=n, user=u, received_on=TODAY, content="反映"
            ),
            "只有公示中的推荐可以登记异议",
        ),
    ],
)
def test_a_step_out_of_turn_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, call, words
) -> None:
    n = nominate(campaign, coordinator, demo["food"])
    errors = _refusal(lambda: call(n, coordinator))
    assert words in errors["__all__"][0] and "当前状态：已提名" in errors["__all__"][0]
    n.refresh_from_db()
    assert n.status == Status.NOMINATED and _events(n) == [("提名", Status.NOMINATED)]


def test_withdrawn_before_publicity_only(campaign, demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    n = nominate(campaign, staff, demo["food"])
    n = services.nomination_withdraw(nomination=n, user=staff, reason="本人谦让")
    assert n.status == Status.WITHDRAWN
    other = _publicized(campaign, coordinator, demo, name="李四")
    errors = _refusal(lambda: services.nomination_withdraw(nomination=other, user=coordinator))
    assert "公示已开始，不能再撤回" in errors["__all__"][0]


def test_declined_with_a_reason(campaign, demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    n = _publicized(campaign, coordinator, demo)
    errors = _refusal(
        lambda: services.nomination_decline(nomination=n, user=coordinator, reason="")
    )
    assert errors["reason"] == ["请写明不予评选的原因。"]
    n = services.nomination_decline(nomination=n, user=coordinator, reason="经研究暂缓评选。")
    assert n.status == Status.DECLINED and _events(n)[-1] == ("不予评选", Status.DECLINED)
    errors = _refusal(
        lambda: services.nomination_decline(nomination=n, user=coordinator, reason="x")
    )
    assert "已办结" in errors["__all__"][0]


# --- 公示 ---------------------------------------------------------------------------------------


def test_publicity_ends_after_the_offices_working_days(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, staff
) -> None:
    office = demo["office"]
    load_official_holidays(office=office, user=None, year=2026)  # 端午: Friday 19 June off
    make_rating(campaign, coordinator, publicity_days=5)
    worker = nominate(
        campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=staff
    )
    # Mon 15, Tue 16, Thu 18 (Wed 17 is the office's own day off), Mon 22, Tue 23.
    calendar_day_add(
        office=office, user=None, day=datetime.date(2026, 6, 17), working=False, name="防汛"
    )
    worker = advance(worker, coordinator, "publicizing")
    assert (worker.publicity_starts_on, worker.publicity_ends_on) == (
        TODAY,
        datetime.date(2026, 6, 23),
    )
    assert worker.publicity_days == 5
    note = NominationEvent.objects.filter(nomination=worker).last()
    assert note is not None and note.note == "2026年6月15日至2026年6月23日，5个工作日"
    # A start on a Saturday counts from Monday: 22, 23, 24.
    helper = advance(
        nominate(campaign, coordinator, demo["food"]),
        coordinator,
        "publicizing",
        starts_on=datetime.date(2026, 6, 20),
        days=3,
    )
    assert helper.publicity_ends_on == datetime.date(2026, 6, 24)


@pytest.mark.parametrize(
    ("starts_on", "days", "field", "words"),
    [
        (None, None, "starts_on", "请填写公示开始日期"),
        (datetime.date(2026, 6, 14), None, "starts_on", "不能早于提名日期"),
        (datetime.date(2026, 9, 1), None, "starts_on", "最多提前60天"),
        (TODAY, 0, "days", "1至30个工作日"),
        (TODAY, 31, "days", "1至30个工作日"),
    ],
)
def test_publicity_needs_a_start_and_a_length(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, starts_on, days, field, words
) -> None:
    n = advance(nominate(campaign, coordinator, demo["food"]), coordinator, "reviewed")
    errors = _refusal(
        lambda: services.nomination_publicize(
            nomination=n, user=coordinator, starts_on=starts_on, days=days
        )
    )
    assert words in errors[field][0]
    n.refresh_from_db()
    assert n.status == Status.REVIEWED and n.publicity_starts_on is None


def test_the_content_is_frozen_once_publicity_began(campaign, demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    n = _publicized(campaign, coordinator, demo)
    events = _events(n)
    errors = _refusal(
        lambda: services.nomination_update(
            nomination=n,
            user=coordinator,
            year=2026,
            category=Category.HONEST,
            name="王大娘",
            story="改写的事迹",
            standards=[standard(campaign)],
        )
    )
    assert errors["__all__"] == [services.FROZEN_MESSAGE]
    assert "公示已开始，推荐材料不能再修改" in services.FROZEN_MESSAGE
    n.refresh_from_db()
    assert (n.name, n.category, n.story) == ("王大妈", Category.HELPFUL, STORY)
    assert list(n.standards.values_list("code", flat=True)) == ["C3-1"]
    assert _events(n) == events


def test_an_edit_before_publicity_says_what_changed(campaign, demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    n = advance(nominate(campaign, staff, demo["food"]), coordinator, "reviewed")
    n = services.nomination_update(
        nomination=n,
        user=staff,
        year=2026,
        category=Category.HELPFUL,
        name="王大妈",
        story="补充了照顾孤寡老人的事迹。",
        standards=[standard(campaign, "C3-1"), standard(campaign)],
    )
    assert n.story == "补充了照顾孤寡老人的事迹。" and n.standards.count() == 2
    last = NominationEvent.objects.filter(nomination=n).last()
    assert last is not None and (last.action, last.note) == (
        "修改推荐材料",
        "修改了主要事迹、测评标准",
    )
    assert n.status == Status.REVIEWED


def test_the_ratings_quota_caps_publicity_and_awards(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, staff, dept_head
) -> None:
    make_rating(campaign, coordinator, quota=1)
    first = nominate(
        campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=staff
    )
    second = nominate(
        campaign, coordinator, demo["food"], category=Category.CIVIL_WORKER, person=dept_head
    )
    advance(first, coordinator, "publicizing")
    second = advance(second, coordinator, "reviewed")
    errors = _refusal(
        lambda: services.nomination_publicize(nomination=second, user=coordinator, starts_on=TODAY)
    )
    assert errors["__all__"] == [
        "2026年度文明职工评选的名额为1名，已有1名进入公示或评选，不能再增加；"
        "如确需调整，请先对其他人选作“不予评选”处理。"
    ]
    second.refresh_from_db()
    assert second.status == Status.REVIEWED and second.publicity_ends_on is None
    services.nomination_decline(nomination=first, user=coordinator, reason="另有人选")
    assert advance(second, coordinator, "publicizing").status == Status.PUBLICIZING


# --- objections and the award -------------------------------------------------------------------


def test_an_objection_waits_for_its_answer_before_the_award(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, _today
) -> None:
    n = _publicized(campaign, coordinator, demo)
    objection = services.objection_record(
        nomination=n, user=coordinator, received_on=TODAY, raised_by="", content="反映有违规情况。"
    )
    ends = n.publicity_ends_on
    assert ends is not None
    _today.move_to(moment(ends + datetime.timedelta(days=1)))
    errors = _refusal(lambda: services.nomination_award(nomination=n, user=coordinator))
    assert errors["__all__"] == ["公示期间收到的异议还有1条未核实答复，请答复后再评选。"]
    n.refresh_from_db()
    assert n.status == Status.PUBLICIZING and n.evidence_id is None
    services.objection_answer(
        objection=objection, user=coordinator, answer="经核实无此事。", upheld=False
    )
    n = services.nomination_award(nomination=n, user=coordinator)
    assert n.status == Status.AWARDED
    assert [a for a, _ in _events(n)][-4:] == ["开始公示", "收到异议", "核实答复", "评选"]


def test_an_objection_found_true_means_no_award(campaign, demo, coordinator, _today) -> None:  # type: ignore[no-untyped-def]
    n = _publicized(campaign, coordinator, demo)
    objection = services.objection_record(
        nomination=n, user=coordinator, received_on=TODAY, raised_by="群众", content="事迹不实。"
    )
    errors = _refusal(
        lambda: services.objection_answer(
            objection=objection, user=coordinator, answer="", upheld=None
        )
    )
    assert set(errors) == {"answer", "upheld"}
    services.objection_answer(
        objection=objection, user=coordinator, answer="经核实属实。", upheld=True
    )
    n.refresh_from_db()
    assert n.status == Status.DECLINED
    assert _events(n)[-2:] == [("核实答复", Status.PUBLICIZING), ("不予评选", Status.DECLINED)]
    _today.move_to(moment(datetime.date(2026, 7, 1)))
    errors = _refusal(lambda: services.nomination_award(nomination=n, user=coordinator))
    assert "只有经过公示的推荐可以评选" in errors["__all__"][0]


@pytest.mark.parametrize(
    ("received_on", "content", "field", "words"),
    [
        (None, "内容", "received_on", "请填写收到日期"),
        (datetime.date(2026, 6, 16), "内容", "received_on", "不能晚于今天"),
        (datetime.date(2026, 6, 12), "内容", "received_on", "不能早于公示开始"),
        (TODAY, " ", "content", "请填写反映的内容"),
    ],
)
def test_an_objection_is_recorded_with_its_date_and_content(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, received_on, content, field, words
) -> None:
    n = _publicized(campaign, coordinator, demo)
    errors = _refusal(
        lambda: services.objection_record(
            nomination=n, user=coordinator, received_on=received_on, content=content
        )
    )
    assert words in errors[field][0]
    assert not Objection.objects.exists()


def test_the_award_waits_for_the_end_of_publicity(campaign, demo, coordinator, _today) -> None:  # type: ignore[no-untyped-def]
    n = _publicized(campaign, coordinator, demo)
    ends = n.publicity_ends_on
    assert ends is not None
    _today.move_to(moment(ends))
    errors = _refusal(lambda: services.nomination_award(nomination=n, user=coordinator))
    assert errors["__all__"] == [
        f"公示期至{ends.year}年{ends.month}月{ends.day}日，公示期满后才能评选。"
    ]
    _today.move_to(moment(ends + datetime.timedelta(days=3)))
    errors = _refusal(
        lambda: services.nomination_award(nomination=n, user=coordinator, awarded_on=ends)
    )
    assert "评选日期须在公示期满" in errors["awarded_on"][0]
    n.refresh_from_db()
    assert n.status == Status.PUBLICIZING and n.evidence_id is None


def test_the_award_files_its_ledger_item_for_the_standards(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, staff, _today
) -> None:
    make_rating(campaign, coordinator)
    n = nominate(
        campaign,
        coordinator,
        demo["food"],
        category=Category.CIVIL_WORKER,
        person=staff,
        standards=[standard(campaign), standard(campaign, "A2-3")],
    )
    n = advance(n, coordinator, "publicizing")
    _today.move_to(moment(datetime.date(2026, 6, 24)))
    n = services.nomination_award(nomination=n, user=coordinator, uploads=[photo("表彰现场.jpg")])
    assert (n.status, n.award_title, n.awarded_on) == (
        Status.AWARDED,
        "2026年度文明职工",
        datetime.date(2026, 6, 24),
    )
    item = n.evidence
    assert item is not None and item.removed_at is None
    assert sorted(item.standards.values_list("code", flat=True)) == ["A2-3", "C3-2"]
    assert (item.department, item.campaign, item.year) == (demo["food"], campaign, 2026)
    assert item.title == "2026年度文明职工：陈晓燕" and item.activity_date == n.awarded_on
    files = list(EvidenceFile.objects.filter(item=item).order_by("position"))
    assert [(f.original_name, f.kind) for f in files] == [
        ("表彰现场.jpg", "photo"),
        ("陈晓燕推荐审批表.pdf", "pdf"),
    ]
    with files[1].file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text().replace(" ", "")
    for words in ("先进典型推荐审批表", "陈晓燕", "食品安全监管科", "2026年度文明职工", "C3-2"):
        assert words in text


def test_the_award_without_uploads_still_files_the_sheet(
    campaign, demo, coordinator, _today
) -> None:  # type: ignore[no-untyped-def]
    n = _publicized(campaign, coordinator, demo)
    _today.move_to(moment(datetime.date(2026, 6, 30)))
    n = services.nomination_award(
        nomination=n, user=coordinator, award_title="2026年度“最美志愿者”"
    )
    assert n.award_title == "2026年度“最美志愿者”"
    files = EvidenceFile.objects.filter(item=n.evidence)
    assert [f.original_name for f in files] == ["王大妈推荐审批表.pdf"]


def test_a_referral_is_recorded_and_its_files_join_the_item(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, _today
) -> None:
    n = _publicized(campaign, coordinator, demo)
    _today.move_to(moment(datetime.date(2026, 6, 30)))
    n = services.nomination_award(nomination=n, user=coordinator)
    errors = _refusal(
        lambda: services.nomination_refer(nomination=n, user=coordinator, referred_to="")
    )
    assert errors["referred_to"] == ["请填写推荐上报至哪里，例如“临州好人榜”。"]
    errors = _refusal(
        lambda: services.nomination_refer(
            nomination=n,
            user=coordinator,
            referred_to="临州好人榜",
            referred_on=datetime.date(2026, 6, 29),
        )
    )
    assert "不能早于评选日期" in errors["referred_on"][0]
    n = services.nomination_refer(
        nomination=n,
        user=coordinator,
        referred_to="临州好人榜",
        note="报市文明办。",
        uploads=[photo("推荐表.jpg", pattern=2)],
    )
    assert (n.status, n.referred_to, n.referred_on) == (
        Status.REFERRED,
        "临州好人榜",
        datetime.date(2026, 6, 30),
    )
    names = list(
        EvidenceFile.objects.filter(item=n.evidence).values_list("original_name", flat=True)
    )
    assert names == ["王大妈推荐审批表.pdf", "推荐表.jpg"]
    last = NominationEvent.objects.filter(nomination=n).last()
    assert last is not None and last.note == "推荐上报至临州好人榜（2026年6月30日）。报市文明办。"


# --- who may -----------------------------------------------------------------------------------


def _may(user: Any, n: Nomination, action: str) -> str:
    try:
        access.get_nomination_for_user(user, n.pk, action=action)
    except Http404:
        return "404"
    except PermissionDenied as exc:
        return str(exc)
    return "ok"


def test_who_may_take_which_step(  # type: ignore[no-untyped-def]
    campaign,
    demo,
    coordinator,
    dept_head,
    staff,
    other_dept_head,
    leader,
    office_admin,
    outsider_admin,
) -> None:
    n = nominate(campaign, staff, demo["food"])
    assert _may(dept_head, n, "recommend") == "ok"
    assert _may(coordinator, n, "recommend") == "ok"
    assert _may(staff, n, "recommend") == access.RECOMMENDERS_ONLY
    assert _may(other_dept_head, n, "recommend") == access.RECOMMENDERS_ONLY
    assert _may(staff, n, "edit") == "ok" and _may(dept_head, n, "edit") == "ok"
    assert _may(other_dept_head, n, "edit") == access.EDITORS_ONLY
    assert _may(staff, n, "withdraw") == "ok"
    assert _may(dept_head, n, "withdraw") == access.WITHDRAWERS_ONLY
    for action in ("review", "publicize", "award", "decline"):
        assert _may(dept_head, n, action) == access.MANAGERS_ONLY
        assert _may(coordinator, n, action) == "ok"
    assert _may(leader, n, "review") == access.MANAGERS_ONLY
    assert _may(office_admin, n, "review") == OFFICE_READS_ONLY
    assert _may(office_admin, n, "edit") == OFFICE_READS_ONLY
    assert _may(outsider_admin, n, "review") == "404"
    assert access.get_nomination_for_user(office_admin, n.pk) == n
    assert access.available_actions(dept_head, n) == {"recommend", "edit"}
    assert access.available_actions(staff, n) == {"edit", "withdraw"}
    assert access.available_actions(leader, n) == set()
    assert access.available_actions(office_admin, n) == set()
    assert access.available_actions(coordinator, n) == {"recommend", "edit", "withdraw", "decline"}


def test_who_nominates_for_which_department(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, dept_head, staff, leader, office_admin
) -> None:
    unit = demo["unit"]
    assert list(access.nominating_departments(staff, unit)) == [demo["food"]]
    assert list(access.nominating_departments(dept_head, unit)) == [demo["food"]]
    assert access.nominating_departments(coordinator, unit).count() == 10
    assert not access.can_nominate(leader, unit) and not access.can_nominate(office_admin, unit)


# --- readings -----------------------------------------------------------------------------------


def test_the_readings_count_awards_of_the_year(  # type: ignore[no-untyped-def]
    campaign, demo, coordinator, staff, dept_head, _today, django_assert_num_queries
) -> None:
    make_rating(campaign, coordinator, category=Category.CIVIL_DEPARTMENT)
    helped = _publicized(campaign, coordinator, demo, person=staff, name="")
    office = advance(
        nominate(
            campaign,
            coordinator,
            demo["food"],
            category=Category.CIVIL_DEPARTMENT,
            name="",
            collective=demo["registry"],
        ),
        coordinator,
        "publicizing",
    )
    pending = nominate(campaign, coordinator, demo["registry"], person=dept_head, name="")
    nominate(campaign, coordinator, demo["food"], person=staff, category=Category.HONEST, name="")
    _today.move_to(moment(datetime.date(2026, 6, 30)))
    services.nomination_award(nomination=helped, user=coordinator)
    services.nomination_award(nomination=office, user=coordinator)
    withdrawn = nominate(campaign, coordinator, demo["food"], person=staff, category=Category.BRAVE)
    services.nomination_withdraw(nomination=withdrawn, user=coordinator)
    with django_assert_num_queries(1):
        mine = list(services.awards_of(staff, demo["unit"]))
        assert [(n.category, n.status, n.department.name) for n in mine] == [
            (Category.HONEST, Status.NOMINATED, "食品安全监管科"),
            (Category.HELPFUL, Status.AWARDED, "食品安全监管科"),
        ]
    assert services.department_counts(campaign, 2026) == {
        demo["food"].pk: 1,
        demo["registry"].pk: 1,
    }
    assert services.department_counts(campaign, 2027) == {}
    assert services.models_count(demo["unit"], 2026) == 2
    assert pending.status == Status.NOMINATED

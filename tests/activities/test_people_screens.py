"""The screens of volunteers (志愿服务) and of the standards' measures (达标测算): what readers
see, what the 创建办 does, every refusal (400 with the Chinese sentence, nothing kept; 403;
404), the prefill from a standard's words, and pages that cost the same whatever the data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import Activity, Attendance, Figure, StandardMeasure, Volunteer
from wenming.frameworks.models import Node
from wenming.orgs.access import OFFICE_READS_ONLY
from wenming.orgs.models import Membership, Role
from wenming.orgs.services import unit_people

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _url(name: str, campaign: Any, *args: Any, year: int = 2026, **more: Any) -> str:
    query = "&".join(
        [f"campaign={campaign.pk}", f"year={year}"] + [f"{k}={v}" for k, v in more.items()]
    )
    return f"{reverse(f'activities:{name}', args=args)}?{query}"


def _register(
    unit: Any, person: User, by: User, on: datetime.date = TODAY, **more: Any
) -> Volunteer:
    return services.volunteer_register(unit=unit, person=person, user=by, registered_on=on, **more)


def _activity(
    campaign: Any, demo: Any, when: datetime.datetime, hours: dict[User, str], **more: Any
) -> Activity:
    """An activity with attendance, through the ORM (the service's photos are not needed)."""
    activity = Activity.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=demo["food"],
        kind=more.pop("kind", "volunteer"),
        title=more.pop("title", "志愿服务"),
        starts_at=timezone.make_aware(when),
        **more,
    )
    Attendance.objects.bulk_create(
        Attendance(activity=activity, person=p, hours=Decimal(h)) for p, h in hours.items()
    )
    return activity


def _more_people(demo: Any, count: int) -> list[User]:
    people = []
    for n in range(count):
        user = User.objects.create_user(f"zyz{n}", first_name=f"志愿者{n}")
        Membership.objects.create(user=user, organization=demo["food"], role=Role.STAFF)
        people.append(user)
    return people


def _text(response: Any) -> str:
    return response.content.decode()


# --- volunteers ------------------------------------------------------------------------------


def test_readers_see_the_volunteers_with_hours_stars_and_the_rate(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff, leader, observer, office_admin
) -> None:
    _register(demo["unit"], dept_head, coordinator, national=True, national_id="NV-001")
    _register(demo["unit"], staff, coordinator, on=datetime.date(2025, 3, 1))
    _activity(campaign, demo, datetime.datetime(2026, 3, 5, 9), {dept_head: "120", staff: "2"})
    _activity(campaign, demo, datetime.datetime(2025, 9, 5, 9), {dept_head: "200"})
    removed = _activity(campaign, demo, datetime.datetime(2026, 4, 5, 9), {dept_head: "50"})
    removed.removed_at = timezone.now()
    removed.save()
    people = unit_people(demo["unit"]).count()
    for user in (leader, observer, staff, office_admin):
        response = as_user(user).get(_url("volunteers", campaign))
        assert response.status_code == 200
        page = _text(response)
        assert "注册志愿者" in page and f"本单位人员{people}人" in page
        assert "登记注册志愿者" not in page and "取消登记" not in page
    by_person = {r["volunteer"].person_id: r for r in response.context["rows"]}
    head = by_person[dept_head.pk]
    assert (head["hours_year"], head["hours_total"]) == (Decimal("120.00"), Decimal("320.00"))
    assert head["stars"]["count"] == 2 and "★★" in page
    assert by_person[staff.pk]["hours_total"] == Decimal("2.00")
    assert f"{reverse('activities:person', args=[dept_head.pk])}?unit={demo['unit'].pk}" in page
    assert "NV-001" in page
    figures = response.context["figures"]
    assert figures["registered"] == 2 and figures["people"] == people
    assert figures["hours"] == Decimal("122.00") and figures["per_person"] == Decimal("61.00")
    rate = (Decimal(200) / people).quantize(Decimal("0.01"))
    assert figures["rate"] == rate


def test_a_past_year_lists_those_registered_by_its_end(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    _register(demo["unit"], dept_head, coordinator)
    _register(demo["unit"], staff, coordinator, on=datetime.date(2025, 3, 1))
    response = as_user(coordinator).get(_url("volunteers", campaign, year=2025))
    assert [r["volunteer"].person_id for r in response.context["rows"]] == [staff.pk]


def test_the_coordinator_registers_a_volunteer(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    _register(demo["unit"], dept_head, coordinator)
    client = as_user(coordinator)
    page = client.get(_url("volunteers", campaign))
    offered = [value for value, _ in page.context["form"].fields["person"].choices]
    assert staff.pk in offered and dept_head.pk not in offered
    response = client.post(
        _url("volunteer_new", campaign),
        {
            "person": staff.pk,
            "registered_on": "2026-05-04",
            "national": "on",
            "national_id": "NV-9",
        },
    )
    assert response.status_code == 302 and response.url == _url("volunteers", campaign)
    found = Volunteer.objects.get(unit=demo["unit"], person=staff)
    assert (found.registered_on, found.national, found.national_id) == (
        datetime.date(2026, 5, 4),
        True,
        "NV-9",
    )
    assert "已登记" in _text(client.get(response.url))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"national": "on"}, "请填写志愿者编号"),
        ({"registered_on": "2026-06-16"}, "注册日期不能晚于今天"),
        ({"registered_on": ""}, "请填写注册日期"),
        ({"registered_on": "2026/13/01"}, "请按 2026-03-20 的格式填写注册日期"),
        ({"person": ""}, "请选择人员"),
        ({"national_id": "x" * 41}, "志愿者编号最多40个字符"),
    ],
)
def test_registration_refusals_show_the_form_again(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, staff, data, message
) -> None:
    post = {"person": staff.pk, "registered_on": "2026-05-04", **data}
    response = as_user(coordinator).post(_url("volunteer_new", campaign), post)
    assert response.status_code == 400
    assert message in _text(response)
    assert not Volunteer.objects.exists()


def test_registering_twice_or_an_outsider_is_refused(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, outsider_admin
) -> None:
    _register(demo["unit"], dept_head, coordinator)
    client = as_user(coordinator)
    twice = client.post(
        _url("volunteer_new", campaign), {"person": dept_head.pk, "registered_on": "2026-05-04"}
    )
    assert twice.status_code == 400 and "已经是本单位的注册志愿者" in _text(twice)
    outsider = client.post(
        _url("volunteer_new", campaign),
        {"person": outsider_admin.pk, "registered_on": "2026-05-04"},
    )
    assert outsider.status_code == 400 and "请从列表中重新选择人员" in _text(outsider)
    assert Volunteer.objects.count() == 1


def test_only_the_coordinator_registers_and_removes(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, leader, staff, dept_head, office_admin, outsider_admin
) -> None:
    volunteer = _register(demo["unit"], dept_head, coordinator)
    data = {"person": staff.pk, "registered_on": "2026-05-04"}
    for user in (leader, staff):
        response = as_user(user).post(_url("volunteer_new", campaign), data)
        assert response.status_code == 403 and "只有本单位创建办" in _text(response)
        removing = as_user(user).post(_url("volunteer_remove", campaign, volunteer.pk))
        assert removing.status_code == 403
    office = as_user(office_admin).post(_url("volunteer_new", campaign), data)
    assert office.status_code == 403 and OFFICE_READS_ONLY in _text(office)
    assert as_user(outsider_admin).post(_url("volunteer_new", campaign), data).status_code == 404
    assert (
        as_user(outsider_admin).post(_url("volunteer_remove", campaign, volunteer.pk)).status_code
        == 404
    )
    assert as_user(outsider_admin).get(_url("volunteers", campaign)).status_code == 404
    assert as_user(coordinator).get(_url("volunteer_new", campaign)).status_code == 405
    assert Volunteer.objects.count() == 1 and Volunteer.objects.get().removed_at is None


def test_removing_a_registration_keeps_it_and_a_second_time_is_refused(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head
) -> None:
    volunteer = _register(demo["unit"], dept_head, coordinator)
    client = as_user(coordinator)
    page = _text(client.get(_url("volunteers", campaign)))
    assert "取消登记" in page and "confirm(" in page
    response = client.post(_url("volunteer_remove", campaign, volunteer.pk))
    assert response.status_code == 302 and response.url == _url("volunteers", campaign)
    volunteer.refresh_from_db()
    assert volunteer.removed_at is not None
    assert client.get(_url("volunteers", campaign)).context["figures"]["registered"] == 0
    again = client.post(_url("volunteer_remove", campaign, volunteer.pk))
    assert again.status_code == 400 and "该志愿者登记已取消" in _text(again)


def test_the_volunteers_page_costs_the_same_for_2_and_8_people(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff
) -> None:
    client = as_user(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url("volunteers", campaign))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for person in (dept_head, staff):
        _register(demo["unit"], person, coordinator)
    _activity(campaign, demo, datetime.datetime(2026, 3, 5, 9), {dept_head: "3", staff: "2"})
    two = count()
    more = _more_people(demo, 6)
    for person in more:
        _register(demo["unit"], person, coordinator)
    _activity(campaign, demo, datetime.datetime(2026, 4, 5, 9), dict.fromkeys(more, "1.5"))
    assert len(client.get(_url("volunteers", campaign)).context["rows"]) == 8
    assert count() == two
    assert two <= 14


def test_without_a_campaign_the_user_chooses(demo, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    for name in ("volunteers", "measures"):
        response = as_user(coordinator).get(reverse(f"activities:{name}"))
        assert response.status_code == 200 and "还没有可查看的单位" in _text(response)
    assert (
        as_user(coordinator).get(reverse("activities:volunteers") + "?campaign=x").status_code
        == 404
    )


def test_the_campaign_is_found_without_asking(campaign, as_user, leader) -> None:  # type: ignore[no-untyped-def]
    response = as_user(leader).get(reverse("activities:measures"))
    assert response.status_code == 200 and response.context["campaign"] == campaign


# --- measures --------------------------------------------------------------------------------


def _leaf(campaign: Any, words: str) -> Node:
    return Node.objects.get(framework=campaign.framework, is_leaf=True, title__contains=words)


def test_the_measures_show_value_target_shortfall_and_proof(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, leader, staff
) -> None:
    monthly = _leaf(campaign, "每月至少开展1次志愿服务")
    hours = _leaf(campaign, "人均年志愿服务时长")
    services.measure_set(
        campaign=campaign,
        standard=monthly,
        user=coordinator,
        figure=Figure.MONTHLY,
        target="12",
        kind="volunteer",
    )
    services.measure_set(
        campaign=campaign,
        standard=hours,
        user=coordinator,
        figure=Figure.HOURS_PER_PERSON,
        target="25",
    )
    _register(demo["unit"], dept_head, coordinator)
    for month in (1, 2, 4, 5, 6):
        _activity(campaign, demo, datetime.datetime(2026, month, 3, 9), {dept_head: "6"})
    for user in (leader, staff):
        response = as_user(user).get(_url("measures", campaign))
        assert response.status_code == 200
        page = _text(response)
        assert "设置达标测算" not in page and "按原文设置" not in page
    assert monthly.code in page and "3月未开展" in page and "未达标" in page
    assert "wm-pp-short" in page and "达标" in page
    assert (
        f"{reverse('activities:index')}?campaign={campaign.pk}&amp;year=2026&amp;kind=volunteer"
        in page
    )
    assert _url("volunteers", campaign).replace("&", "&amp;") in page
    rows = {r["standard"].pk: r["row"] for r in response.context["rows"]}
    assert rows[hours.pk].value == Decimal("30.00") and rows[hours.pk].met
    assert rows[monthly.pk].value == Decimal(5) and not rows[monthly.pk].met


def test_the_coordinator_sets_a_measure(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    standard = _leaf(campaign, "道德讲堂不少于4期")
    client = as_user(coordinator)
    response = client.post(
        _url("measure_set", campaign),
        {"standard": standard.pk, "figure": "activities", "kind": "moral_lecture", "target": "4"},
    )
    assert response.status_code == 302 and response.url == _url("measures", campaign)
    found = StandardMeasure.objects.get(campaign=campaign, standard=standard)
    assert (found.figure, found.kind, found.target) == ("activities", "moral_lecture", Decimal(4))
    assert f"已设置{standard.code}的达标测算" in _text(client.get(response.url))
    # Changing it: the same standard, another target.
    client.post(
        _url("measure_set", campaign),
        {"standard": standard.pk, "figure": "activities", "kind": "moral_lecture", "target": "6"},
    )
    assert StandardMeasure.objects.get().target == Decimal(6)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target": "0"}, "目标值须大于0"),
        ({"target": "abc"}, "目标值请填写数字"),
        ({"target": ""}, "请填写目标值"),
        ({"figure": "volunteer_rate", "target": "120"}, "不能超过100%"),
        ({"figure": ""}, "请选择计算口径"),
        ({"figure": "nope"}, "请从列表中重新选择计算口径"),
        ({"standard": "999999"}, "请从列表中重新选择测评标准"),
        ({"kind": "nope"}, "请从列表中重新选择活动类型"),
    ],
)
def test_measure_refusals_show_the_form_again(  # type: ignore[no-untyped-def]
    campaign, standard, as_user, coordinator, data, message
) -> None:
    post = {"standard": standard.pk, "figure": "activities", "target": "4", **data}
    response = as_user(coordinator).post(_url("measure_set", campaign), post)
    assert response.status_code == 400 and message in _text(response)
    assert not StandardMeasure.objects.exists()


def test_a_heading_is_not_a_standard_to_measure(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    heading = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    response = as_user(coordinator).post(
        _url("measure_set", campaign),
        {"standard": heading.pk, "figure": "activities", "target": "4"},
    )
    assert response.status_code == 400 and not StandardMeasure.objects.exists()


def test_only_the_coordinator_sets_a_measure(  # type: ignore[no-untyped-def]
    campaign, standard, as_user, leader, dept_head, office_admin, outsider_admin
) -> None:
    data = {"standard": standard.pk, "figure": "activities", "target": "4"}
    for user in (leader, dept_head):
        assert as_user(user).post(_url("measure_set", campaign), data).status_code == 403
    office = as_user(office_admin).post(_url("measure_set", campaign), data)
    assert office.status_code == 403 and OFFICE_READS_ONLY in _text(office)
    assert as_user(outsider_admin).post(_url("measure_set", campaign), data).status_code == 404
    assert as_user(outsider_admin).get(_url("measures", campaign)).status_code == 404
    assert not StandardMeasure.objects.exists()


def test_choosing_a_standard_prefills_from_its_words(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    standard = _leaf(campaign, "人均年志愿服务时长")
    response = as_user(coordinator).get(_url("measures", campaign, standard=standard.pk))
    form = response.context["form"]
    assert form.initial["standard"] == standard.pk
    assert (form.initial["figure"], form.initial["target"]) == (Figure.HOURS_PER_PERSON, "25")
    page = _text(response)
    assert f"已按标准原文“{standard.title}”预填" in page
    assert 'value="25"' in page and 'value="hours_per_person" selected' in page


def test_choosing_a_measured_standard_shows_its_measure(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    standard = _leaf(campaign, "人均年志愿服务时长")
    services.measure_set(
        campaign=campaign,
        standard=standard,
        user=coordinator,
        figure=Figure.HOURS_PER_PERSON,
        target="30",
    )
    response = as_user(coordinator).get(_url("measures", campaign, standard=standard.pk))
    assert response.context["form"].initial["target"] == "30"
    assert "已设置达标测算" in _text(response)


def test_a_standard_without_a_stated_target_is_not_prefilled(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator
) -> None:
    standard = _leaf(campaign, "道德讲堂有固定场所")
    response = as_user(coordinator).get(_url("measures", campaign, standard=standard.pk))
    assert "原文没有写明可计算的目标" in _text(response)
    assert "figure" not in response.context["form"].initial


def test_the_standards_that_may_need_a_measure_are_set_in_one_click(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator
) -> None:
    client = as_user(coordinator)
    listed = client.get(_url("measures", campaign)).context["suggestions"]
    codes = {s["standard"].code: s for s in listed}
    hours = _leaf(campaign, "人均年志愿服务时长")
    festivals = _leaf(campaign, "我们的节日")
    assert hours.code in codes and festivals.code in codes
    assert codes[festivals.code]["target"] == Decimal(7)
    response = client.post(_url("measure_set", campaign), {"suggested": "1", "standard": hours.pk})
    assert response.status_code == 302
    found = StandardMeasure.objects.get(standard=hours)
    assert (found.figure, found.target) == (Figure.HOURS_PER_PERSON, Decimal(25))
    after = {
        s["standard"].code for s in client.get(_url("measures", campaign)).context["suggestions"]
    }
    assert hours.code not in after and festivals.code in after
    plain = _leaf(campaign, "道德讲堂有固定场所")
    refused = client.post(_url("measure_set", campaign), {"suggested": "1", "standard": plain.pk})
    assert refused.status_code == 400 and "原文没有写明可计算的目标" in _text(refused)
    assert StandardMeasure.objects.count() == 1


def test_the_measures_page_costs_the_same_whatever_the_data(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head
) -> None:
    client = as_user(coordinator)
    services.measure_set(
        campaign=campaign,
        standard=_leaf(campaign, "人均年志愿服务时长"),
        user=coordinator,
        figure=Figure.HOURS_PER_PERSON,
        target="25",
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url("measures", campaign))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _register(demo["unit"], dept_head, coordinator)  # none: measures.py skips the sum query
    before = count()
    for month in range(1, 6):
        _activity(campaign, demo, datetime.datetime(2026, month, 3, 9), {dept_head: "2"})
    services.measure_set(
        campaign=campaign,
        standard=_leaf(campaign, "每月至少开展1次志愿服务"),
        user=coordinator,
        figure=Figure.MONTHLY,
        target="12",
        kind="volunteer",
    )
    assert count() == before
    assert before <= 20

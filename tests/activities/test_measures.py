"""What a standard about people asks, computed with the exact shortfall; volunteers and their
stars; targets prefilled from the standard's own words."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wenming.activities import hours, measures, services
from wenming.activities.models import Figure
from wenming.activities.services import Participant
from wenming.frameworks.models import Node

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, 9, 0))


def _measure(campaign, standard, coordinator, figure, target, kind=""):  # type: ignore[no-untyped-def]
    return services.measure_set(
        campaign=campaign,
        standard=standard,
        user=coordinator,
        figure=figure,
        target=target,
        kind=kind,
    )


def _row(campaign):  # type: ignore[no-untyped-def]
    (row,) = measures.measure_rows(campaign, 2026, TODAY)
    return row


def test_volunteer_rate_says_how_many_must_still_register(  # type: ignore[no-untyped-def]
    campaign, standard, coordinator, dept_head, staff, demo
) -> None:
    from wenming.orgs.services import unit_people

    people = unit_people(demo["unit"]).count()
    _measure(campaign, standard, coordinator, Figure.VOLUNTEER_RATE, "30")
    services.volunteer_register(
        unit=demo["unit"], person=dept_head, user=coordinator, registered_on=TODAY
    )
    row = _row(campaign)
    assert row.value == (Decimal(100) / people).quantize(Decimal("0.01"))
    need = -(-30 * people // 100) - 1
    assert row.shortfall == f"还差{need}人注册" and not row.met
    assert f"职工{people}人" in row.basis


def test_hours_per_person_counts_registered_volunteers(  # type: ignore[no-untyped-def]
    record, campaign, standard, coordinator, dept_head, staff, demo
) -> None:
    for person in (dept_head, staff):
        services.volunteer_register(
            unit=demo["unit"], person=person, user=coordinator, registered_on=TODAY
        )
    record()  # 2.5 + 2 hours in March
    _measure(campaign, standard, coordinator, Figure.HOURS_PER_PERSON, "20")
    row = _row(campaign)
    assert row.value == Decimal("2.25")
    assert row.shortfall == "人均差17.75小时（共差35.50小时）"


def test_monthly_names_the_months_without_one(record, campaign, standard, coordinator) -> None:  # type: ignore[no-untyped-def]
    steps = {"sing": "唱", "model": "学", "classic": "诵", "reflect": "发", "bless": "送"}
    for month in (1, 2, 4, 6):
        record(kind="moral_lecture", moral_steps=steps, starts_at=_at(month), ends_at=None)
    record(kind="volunteer", starts_at=_at(3), ends_at=None)  # another kind: not counted
    _measure(campaign, standard, coordinator, Figure.MONTHLY, "12", kind="moral_lecture")
    row = _row(campaign)
    assert row.value == Decimal(4)
    assert row.shortfall == "3月、5月未开展"


def test_festivals_and_activity_counts(record, campaign, standard, coordinator) -> None:  # type: ignore[no-untyped-def]
    # 2026: 春节 17 Feb, 元宵 3 Mar, 清明 5 Apr; an activity outside a window does not count.
    record(kind="festival", festival="spring", starts_at=_at(2, 12), ends_at=None)
    record(kind="festival", festival="qingming", starts_at=_at(5, 20), ends_at=None)
    _measure(campaign, standard, coordinator, Figure.FESTIVALS, "7")
    row = _row(campaign)
    assert row.value == Decimal(1)
    assert row.shortfall == "元宵、清明、端午、七夕、中秋、重阳尚未开展"
    _measure(campaign, standard, coordinator, Figure.ACTIVITIES, "4", kind="festival")
    assert _row(campaign).shortfall == "还差2次"


def test_the_rows_cost_the_same_whatever_the_data(record, campaign, standard, coordinator) -> None:  # type: ignore[no-untyped-def]
    _measure(campaign, standard, coordinator, Figure.ACTIVITIES, "4")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            measures.measure_rows(campaign, 2026, TODAY)
        return len(ctx.captured_queries)

    before = queries()
    for month in range(1, 6):
        record(starts_at=_at(month), ends_at=None)
    assert queries() == before


def test_measure_refusals(campaign, standard, coordinator) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ({"figure": "x", "target": "1"}, "figure", "请选择计算口径"),
        ({"figure": Figure.ACTIVITIES, "target": "abc"}, "target", "目标值请填写数字"),
        ({"figure": Figure.ACTIVITIES, "target": "0"}, "target", "目标值须大于0"),
        ({"figure": Figure.VOLUNTEER_RATE, "target": "120"}, "target", "不能超过100%"),
    ]
    for args, key, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.measure_set(campaign=campaign, standard=standard, user=coordinator, **args)
        assert message in exc.value.message_dict[key][0]
    heading = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    with pytest.raises(ValidationError) as exc:
        services.measure_set(
            campaign=campaign,
            standard=standard,
            user=coordinator,
            figure=Figure.ACTIVITIES,
            target=0,
        )
    assert exc.value.message_dict["target"] == ["目标值须大于0。"]
    with pytest.raises(ValidationError, match="不属于本次创建所用的测评体系"):
        _measure(campaign, heading, coordinator, Figure.ACTIVITIES, "1")


def test_volunteer_registration_rules(demo, coordinator, dept_head, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    unit = demo["unit"]
    with pytest.raises(ValidationError, match="不是本单位人员"):
        services.volunteer_register(
            unit=unit, person=outsider_admin, user=coordinator, registered_on=TODAY
        )
    with pytest.raises(ValidationError, match="请填写志愿者编号"):
        services.volunteer_register(
            unit=unit, person=dept_head, user=coordinator, registered_on=TODAY, national=True
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.volunteer_register(
            unit=unit,
            person=dept_head,
            user=coordinator,
            registered_on=TODAY + datetime.timedelta(days=1),
        )
    found = services.volunteer_register(
        unit=unit, person=dept_head, user=coordinator, registered_on=TODAY
    )
    with pytest.raises(ValidationError, match="已经是本单位的注册志愿者"):
        services.volunteer_register(
            unit=unit, person=dept_head, user=coordinator, registered_on=TODAY
        )
    services.volunteer_remove(volunteer=found, user=coordinator)
    services.volunteer_register(unit=unit, person=dept_head, user=coordinator, registered_on=TODAY)


@pytest.mark.parametrize(
    ("hours", "star"), [("99.99", 0), ("100", 1), ("599", 2), ("1000", 4), ("2000", 5)]
)
def test_stars(hours: str, star: int) -> None:
    assert measures.star_of(Decimal(hours)) == star


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("注册志愿者占职工总数的30%以上", (Figure.VOLUNTEER_RATE, "", Decimal(30))),
        ("党员参加志愿服务人均每年不少于20小时", (Figure.HOURS_PER_PERSON, "", Decimal(20))),
        ("每月举办道德讲堂", (Figure.MONTHLY, "moral_lecture", Decimal(12))),
        (
            "在春节、元宵、清明、端午、七夕、中秋、重阳等节日开展主题活动",
            (Figure.FESTIVALS, "", Decimal(7)),
        ),
        ("每季度至少开展1次主题党日活动", (Figure.ACTIVITIES, "party_day", Decimal(4))),
        ("单位领导班子团结", None),
        ("志愿服务实名注册率达到100%", (Figure.VOLUNTEER_RATE, "", Decimal(100))),
        ("创建信息每月报送", None),
        ("每年至少召开1次精神文明建设专题会议", None),
        ("每年举办道德讲堂不少于4期", (Figure.ACTIVITIES, "moral_lecture", Decimal(4))),
    ],
)
def test_targets_are_prefilled_from_the_standard_s_words(words, expected) -> None:  # type: ignore[no-untyped-def]
    found = measures.suggest(Node(title=words, scoring_rule=""))
    assert (found and (found.figure, found.kind, found.target)) == expected


def test_participant_hours_from_activities_add_up(record, dept_head) -> None:  # type: ignore[no-untyped-def]
    activity = record(
        participants=[Participant(person=dept_head, hours="120")],
        ends_at=timezone.make_aware(datetime.datetime(2026, 3, 30, 9, 0)),
    )
    assert measures.star_of(hours.of_person(dept_head, activity.unit)) == 1


def test_the_scoring_sheet_and_the_gap_analysis_show_the_computed_figure(  # type: ignore[no-untyped-def]
    as_user, campaign, standard, coordinator, dept_head, demo
) -> None:
    from django.urls import reverse

    from wenming.orgs.services import unit_people
    from wenming.scoring import services as scoring_services
    from wenming.scoring.models import RoundKind

    people = unit_people(demo["unit"]).count()
    _measure(campaign, standard, coordinator, Figure.VOLUNTEER_RATE, "30")
    services.volunteer_register(
        unit=demo["unit"], person=dept_head, user=coordinator, registered_on=TODAY
    )
    need = -(-30 * people // 100) - 1
    round_ = scoring_services.round_create(
        campaign=campaign,
        user=coordinator,
        kind=RoundKind.MOCK,
        title="模拟测评",
        scored_on=TODAY,
    )
    client = as_user(coordinator)
    for name in ("scoring:sheet", "scoring:gaps"):
        page = client.get(reverse(name, args=[round_.pk])).content.decode()
        assert "测算未达标" in page and f"还差{need}人注册" in page, name
        assert f"注册志愿者1人，职工{people}人" in page


def test_study_and_model_figures(  # type: ignore[no-untyped-def]
    record, campaign, standard, coordinator, dept_head, staff, demo
) -> None:
    from wenming.activities.models import (
        Nomination,
        NominationStatus,
        PointsImport,
        StandardMeasure,
        StudyPoints,
    )
    from wenming.orgs.services import unit_people

    people = unit_people(demo["unit"]).count()
    record(kind="study_group", title="6月集体学习")
    record(kind="volunteer")  # not a study session
    batch = PointsImport.objects.create(
        unit=demo["unit"], month=datetime.date(2026, 5, 1), file_name="5月.xlsx"
    )
    StudyPoints.objects.create(
        unit=demo["unit"], person=dept_head, month=batch.month, points=1000, source=batch
    )
    for figure in (Figure.STUDY_SESSIONS, Figure.STUDY_POINTS, Figure.MODELS):
        StandardMeasure.objects.filter(campaign=campaign).delete()
        _measure(campaign, standard, coordinator, figure, "12")
        row = _row(campaign)
        if figure == Figure.STUDY_SESSIONS:
            expected = (Decimal(2) / people).quantize(Decimal("0.01"))
            assert row.value == expected and row.shortfall == f"人均差{Decimal(12) - expected}次"
        elif figure == Figure.STUDY_POINTS:
            assert row.value == (Decimal(1000) / people).quantize(Decimal("0.01"))
        else:
            assert row.value == 0 and row.shortfall == "还差12个"
            Nomination.objects.create(
                campaign=campaign,
                unit=demo["unit"],
                department=demo["food"],
                year=2026,
                category="helpful",
                name="张三",
                story="事迹",
                status=NominationStatus.AWARDED,
            )
            assert _row(campaign).value == 1

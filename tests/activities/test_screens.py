"""The activity screens: the unit's list with its filters and festival panel, recording through
the form (a refusal keeps nothing and shows the Chinese sentence), an activity's page,
removing it, a person's record, the navigation entry, and the list's bounded query count."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.activities.conftest import photo
from wenming.activities import access
from wenming.activities.forms import parse_externals
from wenming.activities.models import Activity
from wenming.activities.nav import nav
from wenming.ledger.models import EvidenceFile, EvidenceItem

pytestmark = pytest.mark.django_db
MID_JUNE = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


def _index(campaign: Any, **params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"campaign": campaign.pk, **params}.items())
    return f"{reverse('activities:index')}?{query}"


def _new(campaign: Any) -> str:
    return f"{reverse('activities:new')}?campaign={campaign.pk}"


def _at(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))  # type: ignore[arg-type]


def _form(demo: Any, standard: Any, people: list[Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "volunteer",
        "title": "3月学雷锋志愿服务",
        "starts_at_0": "2026-03-20",
        "starts_at_1": "14:30",
        "ends_at_0": "",
        "ends_at_1": "17:30",
        "place": "城东农贸市场",
        "department": demo["food"].pk,
        "task": "",
        "standards": [standard.pk],
        "summary": "志愿者在农贸市场开展食品安全宣传。",
        "result": "发放宣传资料300份。",
        "participants": [p.pk for p in people],
        "hours": "2.5",
        "externals": "社区志愿者王大妈 3\n\n",
        "files": [photo()],
    }
    data.update(overrides)
    return data


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_the_units_activities_with_people_and_hours(
    record, campaign, as_user, leader
) -> None:  # type: ignore[no-untyped-def]
    record()
    record(title="4月道德讲堂进社区", starts_at=_at(2026, 4, 2, 9), ends_at=None)
    response = as_user(leader).get(_index(campaign))
    assert response.status_code == 200
    text = response.content.decode()
    assert "3月学雷锋志愿服务" in text and "4月道德讲堂进社区" in text
    assert '共 <strong class="text-body">2</strong> 项活动' in text
    assert '合计 <strong class="text-body">9</strong> 小时' in text
    assert "2026-03-20" in text and "食品安全监管科" in text
    # The leader reads and may not record: no button.
    assert "登记活动</a>" not in text


def test_the_campaign_is_found_without_asking_and_the_recorders_get_the_button(
    record, campaign, as_user, staff
) -> None:  # type: ignore[no-untyped-def]
    record()
    response = as_user(staff).get(reverse("activities:index"))
    assert response.status_code == 200
    assert response.context["campaign"] == campaign
    assert _new(campaign) in response.content.decode()


def test_filters_by_month_kind_and_department(record, campaign, demo, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    record()
    record(title="元宵节猜灯谜", kind="festival", festival="lantern", starts_at=_at(2026, 3, 2, 19))
    record(title="四月志愿服务", starts_at=_at(2026, 4, 10, 9), ends_at=None)
    client = as_user(coordinator)

    def titles(**params: Any) -> list[str]:
        response = client.get(_index(campaign, **params))
        assert response.status_code == 200
        return [a.title for a in response.context["page"]]

    assert titles() == ["四月志愿服务", "3月学雷锋志愿服务", "元宵节猜灯谜"]
    assert titles(kind="festival") == ["元宵节猜灯谜"]
    assert titles(month=4) == ["四月志愿服务"]
    assert titles(department=demo["registry"].pk) == []
    assert titles(department=demo["food"].pk, month=3, kind="volunteer") == ["3月学雷锋志愿服务"]
    assert titles(year="") == titles()
    empty = client.get(_index(campaign, department=demo["registry"].pk)).content.decode()
    assert "没有符合条件的活动" in empty


@time_machine.travel(MID_JUNE, tick=False)
def test_the_festival_panel_says_which_festivals_were_held(
    record, campaign, as_user, coordinator
) -> None:  # type: ignore[no-untyped-def]
    record(title="元宵节猜灯谜", kind="festival", festival="lantern", starts_at=_at(2026, 3, 2, 19))
    response = as_user(coordinator).get(_index(campaign))
    text = response.content.decode()
    assert "我们的节日 2026" in text
    rows = {r.occurrence.festival.key: r for r in response.context["festival_rows"]}
    assert (
        rows["lantern"].label == "已开展" and rows["lantern"].activities[0].title == "元宵节猜灯谜"
    )
    assert rows["spring"].label == "未开展"
    assert rows["dragon_boat"].label == "进行中"  # 端午 2026-06-19: the window is open
    assert rows["mid_autumn"].label == "未到"
    for label in ("已开展", "未开展", "进行中", "未到"):
        assert label in text


def test_an_office_person_who_sees_several_units_chooses_one(
    campaign, demo, as_user, office_admin
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_campaign

    court = make_campaign(unit=demo["court"], office=demo["office"])
    response = as_user(office_admin).get(reverse("activities:index"))
    assert response.status_code == 200
    assert "请选择单位" in response.content.decode()
    assert {c.pk for c in response.context["campaigns"]} == {campaign.pk, court.pk}
    chosen = as_user(office_admin).get(_index(court))
    assert chosen.status_code == 200 and chosen.context["unit"] == demo["court"]


def test_the_list_issues_the_same_number_of_queries_for_1_and_6_activities(
    record, campaign, as_user, coordinator
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_index(campaign))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    record(title="活动1")
    one = count()
    for n in range(2, 7):
        record(title=f"活动{n}", kind="festival", festival="lantern", starts_at=_at(2026, 3, n, 9))
    assert len(client.get(_index(campaign)).context["page"]) == 6
    assert count() == one
    # measured 13: session, user and scope, the page and its counts, the plan included
    assert one <= 13


# --- recording ---------------------------------------------------------------------------


def test_recording_through_the_form_files_the_activity_and_its_ledger_item(
    campaign, demo, standard, as_user, coordinator, dept_head, staff
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    page = client.get(_new(campaign))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张明 · 食品安全监管科" in text and "道德讲堂五个环节" in text
    response = client.post(_new(campaign), _form(demo, standard, [dept_head, staff]))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.starts_at == _at(2026, 3, 20, 14, 30)
    assert activity.ends_at == _at(2026, 3, 20, 17, 30)
    rows = [(a.name, a.hours) for a in activity.attendances.all()]
    assert rows == [
        ("张明", Decimal("2.50")),
        ("陈晓燕", Decimal("2.50")),
        ("社区志愿者王大妈", Decimal("3.00")),
    ]
    assert activity.evidence is not None
    names = sorted(f.original_name for f in activity.evidence.files.all())
    assert names == ["3月学雷锋志愿服务签到表.pdf", "活动现场.jpg"]
    followed = client.get(response["Location"])
    assert "已登记活动“3月学雷锋志愿服务”：3人参加，共8小时" in followed.content.decode()


def test_hours_left_blank_come_from_the_start_and_end(
    campaign, demo, standard, as_user, staff, dept_head
) -> None:  # type: ignore[no-untyped-def]
    data = _form(demo, standard, [dept_head], hours="", externals="")
    response = as_user(staff).post(_new(campaign), data)
    assert response.status_code == 302
    assert Activity.objects.get().attendances.get().hours == Decimal("3.00")


def test_a_festival_and_a_moral_lecture_through_the_form(
    campaign, demo, standard, as_user, coordinator, dept_head
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    festival = _form(
        demo,
        standard,
        [dept_head],
        kind="festival",
        festival="lantern",
        title="元宵节猜灯谜",
        starts_at_0="2026-03-02",
    )
    assert client.post(_new(campaign), festival).status_code == 302
    steps = {
        "moral_sing": "合唱《公民道德歌》",
        "moral_model": "学习身边好人事迹",
        "moral_classic": "诵读《弟子规》",
        "moral_reflect": "交流心得",
        "moral_bless": "互送吉祥卡",
        # The festival chosen before switching kinds is not kept.
        "festival": "lantern",
    }
    lecture = _form(demo, standard, [dept_head], kind="moral_lecture", title="3月道德讲堂", **steps)
    assert client.post(_new(campaign), lecture).status_code == 302
    kept = {a.title: a for a in Activity.objects.all()}
    assert kept["元宵节猜灯谜"].festival == "lantern"
    assert kept["3月道德讲堂"].festival == ""
    assert kept["3月道德讲堂"].moral_steps["classic"] == "诵读《弟子规》"
    page = client.get(reverse("activities:detail", args=[kept["3月道德讲堂"].pk])).content
    assert "诵读《弟子规》" in page.decode() and "发善心" in page.decode()


@pytest.mark.parametrize(
    ("overrides", "message", "where"),
    [
        ({"hours": "25"}, "超过了活动时间（每天最多24小时，共24小时）", "participants"),
        ({"externals": "王大妈 3\n李四两小时"}, "第2行“李四两小时”无法识别", "externals"),
        ({"kind": "moral_lecture"}, "道德讲堂的五个环节都要填写，还缺：唱歌曲", "moral_steps"),
        ({"kind": "festival"}, "请选择是哪个节日的主题活动。", "festival"),
        ({"files": []}, "请上传活动照片（至少一张）", "photos"),
        ({"standards": []}, "请选择该活动佐证的测评标准（或选择工作任务）。", "standards"),
        ({"starts_at_0": "2026-13-40"}, "请按 2026-03-20 的格式填写开始时间的日期。", "starts_at"),
        ({"ends_at_1": "12:00"}, "结束时间不能早于开始时间。", "ends_at"),
        ({"participants": [], "externals": ""}, "请至少登记一名参加人员。", "participants"),
    ],
)
def test_a_refusal_shows_the_form_again_with_the_sentence_and_keeps_nothing(
    campaign, demo, standard, as_user, coordinator, dept_head, settings, overrides, message, where
) -> None:  # type: ignore[no-untyped-def]
    import os

    client = as_user(coordinator)
    response = client.post(_new(campaign), _form(demo, standard, [dept_head], **overrides))
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "没有保存，请按下面标红的提示修改后再提交。" in text
    assert 'value="3月学雷锋志愿服务"' in text  # what was typed is kept on the form
    form = response.context["form"]
    if where in form.fields:
        assert any(message in e for e in form.errors[where])
    else:
        assert any(message in e for e in form.section_errors[where])
    assert not Activity.objects.exists() and not EvidenceItem.objects.exists()
    assert not EvidenceFile.objects.exists()
    media = settings.MEDIA_ROOT
    stored = [f for _, _, files in os.walk(media) for f in files] if os.path.isdir(media) else []
    assert stored == []


def test_the_uploader_gets_only_the_form_back_on_a_refusal(
    campaign, demo, standard, as_user, coordinator, dept_head
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    data = _form(demo, standard, [dept_head], hours="-1")
    response = client.post(_new(campaign), data, headers={"X-Wenming-Uploader": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    assert text.lstrip().startswith("<form") and "<html" not in text
    assert "时长不能是负数" in text
    ok = client.post(
        _new(campaign), _form(demo, standard, [dept_head]), headers={"X-Wenming-Uploader": "1"}
    )
    assert ok.status_code == 302
    # The page the uploader follows answers 204, so the message waits for the browser's page.
    assert client.get(ok["Location"], headers={"X-Wenming-Uploader": "1"}).status_code == 204


def test_a_department_records_in_its_own_name_only(
    campaign, demo, standard, as_user, staff, dept_head
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(staff)
    page = client.get(_new(campaign))
    assert page.status_code == 200
    assert list(page.context["form"].fields["department"].queryset) == [demo["food"]]
    response = client.post(
        _new(campaign), _form(demo, standard, [dept_head], department=demo["registry"].pk)
    )
    assert response.status_code == 400
    assert "请从列表中重新选择组织部门。" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("who", ["leader", "observer", "inspector", "office_admin"])
def test_who_may_not_record_is_refused(campaign, as_user, who, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who)
    response = as_user(user).get(_new(campaign))
    assert response.status_code == 403
    assert access.RECORDERS_ONLY in response.content.decode()


def test_the_outside_lines_are_read_or_named(campaign) -> None:  # type: ignore[no-untyped-def]
    found = parse_externals("王大妈 2.5\n  李四，3小时 \n张三\u30001.5h\n\nＡ君　２")
    assert [(p.external_name, p.hours) for p in found] == [
        ("王大妈", Decimal("2.5")),
        ("李四", Decimal("3")),
        ("张三", Decimal("1.5")),
        ("A君", Decimal("2")),
    ]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="第1行“王大妈”无法识别"):
        parse_externals("王大妈")


# --- an activity -------------------------------------------------------------------------


def test_the_detail_page_shows_the_activity_its_people_and_its_files(
    record, as_user, coordinator, dept_head
) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    response = as_user(coordinator).get(reverse("activities:detail", args=[activity.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "3月学雷锋志愿服务",
        "志愿服务",
        "2026-03-20 14:30 至 17:30",
        "城东农贸市场",
        "食品安全监管科",
        "志愿者在农贸市场开展食品安全宣传。",
        "发放宣传资料300份。",
        "参加人员（2人）",
        "合计 4.5 小时",
    ):
        assert expected in text, expected
    person_url = reverse("activities:person", args=[dept_head.pk]) + f"?unit={activity.unit_id}"
    assert person_url in text
    assert reverse("ledger:item", args=[activity.evidence_id]) in text
    for f in activity.evidence.files.all():
        assert reverse("ledger:file", args=[f.pk]) in text
    assert "签到表.pdf" in text
    assert reverse("activities:remove", args=[activity.pk]) in text


def test_who_reads_but_may_not_change_sees_no_remove_button(
    record, as_user, leader, other_dept_head
) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    text = as_user(leader).get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "3月学雷锋志愿服务" in text
    assert reverse("activities:remove", args=[activity.pk]) not in text
    # Another department reads the activity, not the department's ledger item.
    other = as_user(other_dept_head).get(reverse("activities:detail", args=[activity.pk]))
    assert other.status_code == 200
    page = other.content.decode()
    assert reverse("ledger:item", args=[activity.evidence_id]) not in page
    assert "您无权查看，或台账已删除" in page


def test_removing_an_activity(record, campaign, as_user, coordinator, leader) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    url = reverse("activities:remove", args=[activity.pk])
    assert as_user(leader).post(url).status_code == 403
    response = as_user(coordinator).post(url, {"reason": "重复登记"})
    assert response.status_code == 302 and response["Location"] == _index(campaign)
    activity.refresh_from_db()
    assert activity.removed_at is not None and activity.evidence.removed_at is not None
    detail = as_user(coordinator).get(reverse("activities:detail", args=[activity.pk]))
    assert detail.status_code == 404
    listed = as_user(coordinator).get(_index(campaign))
    assert "3月学雷锋志愿服务" not in listed.content.decode()


def test_the_organizing_department_removes_its_own(record, as_user, staff, other_dept_head) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    url = reverse("activities:remove", args=[activity.pk])
    assert as_user(other_dept_head).post(url).status_code == 403
    assert as_user(staff).post(url).status_code == 302


# --- a person's record -------------------------------------------------------------------


def test_a_persons_record_in_the_unit(
    record, demo, as_user, leader, dept_head, outsider_admin
) -> None:  # type: ignore[no-untyped-def]
    record()
    record(title="2025年岁末志愿服务", starts_at=_at(2025, 12, 20, 9), ends_at=None)
    url = reverse("activities:person", args=[dept_head.pk])
    response = as_user(leader).get(f"{url}?unit={demo['unit'].pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "张明的活动记录" in text and "共参加 2 次活动，合计 5 小时" in text
    assert [(y, h, n) for y, h, n in response.context["years"]] == [
        (2026, Decimal("2.5"), 1),
        (2025, Decimal("2.5"), 1),
    ]
    assert "2025年岁末志愿服务" in text and "3月学雷锋志愿服务" in text
    # Without ?unit= the person's unit is found.
    assert as_user(leader).get(url).context["unit"] == demo["unit"]
    # Another city is told nothing; nor is anyone about a person outside the unit.
    assert as_user(outsider_admin).get(f"{url}?unit={demo['unit'].pk}").status_code == 404
    stranger = reverse("activities:person", args=[outsider_admin.pk])
    assert as_user(leader).get(f"{stranger}?unit={demo['unit'].pk}").status_code == 404
    assert as_user(leader).get(f"{url}?unit={demo['court'].pk}").status_code == 404


# --- navigation --------------------------------------------------------------------------


def test_the_menu_entry_is_for_the_units_people(
    coordinator, leader, staff, dept_head, office_admin
) -> None:  # type: ignore[no-untyped-def]
    for user in (coordinator, leader, staff, dept_head):
        assert nav(user) == {"activities": True}
    assert nav(office_admin) == {"activities": False}

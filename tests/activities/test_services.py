"""Recording an activity: participants with hours, its ledger item with the photos and the
generated sign-in sheet, and every refusal changing nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from tests.activities.conftest import STARTS
from wenming.activities import hours, services
from wenming.activities.models import Activity, Attendance
from wenming.activities.services import Participant
from wenming.ledger.models import EvidenceItem


def test_recording_files_the_ledger_item_with_photos_and_sign_in_sheet(
    record, standard, dept_head, staff
) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    assert [(a.person, a.hours) for a in activity.attendances.all()] == [
        (dept_head, Decimal("2.50")),
        (staff, Decimal("2.00")),
    ]
    item = activity.evidence
    assert item is not None and item.title == "3月学雷锋志愿服务"
    assert list(item.standards.all()) == [standard]
    assert item.participant_count == 2 and item.activity_date == datetime.date(2026, 3, 20)
    names = sorted(f.original_name for f in item.files.all())
    assert names == ["3月学雷锋志愿服务签到表.pdf", "活动现场.jpg"]
    sheet = item.files.get(original_name__endswith="签到表.pdf")
    with sheet.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "签到表" in text and "合计4.5小时" in text
    assert hours.of_person(dept_head, activity.unit, year=2026) == Decimal("2.5")


def test_a_moral_lecture_needs_its_five_steps(record) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        record(kind="moral_lecture", moral_steps={"sing": "《公民道德歌》"})
    assert "还缺：学模范、诵经典、发善心、送吉祥" in exc.value.message_dict["moral_steps"][0]
    steps = {"sing": "唱", "model": "学", "classic": "诵", "reflect": "发", "bless": "送"}
    assert record(kind="moral_lecture", moral_steps=steps).moral_steps == steps


def test_a_festival_activity_names_its_festival(record) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="请选择是哪个节日"):
        record(kind="festival")
    assert record(kind="festival", festival="lantern").festival == "lantern"


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-1", "不能是负数"),
        ("25", "超过了活动时间（每天最多24小时，共24小时）"),
        ("两小时", "不是数字"),
        ("1.234", "最多保留两位小数"),
    ],
)
def test_bad_hours_are_refused_and_nothing_is_kept(record, dept_head, hours, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        record(participants=[Participant(person=dept_head, hours=hours)])
    assert not Activity.objects.exists() and not EvidenceItem.objects.exists()


def test_a_two_day_activity_allows_48_hours(record, dept_head) -> None:  # type: ignore[no-untyped-def]
    ends = timezone.make_aware(STARTS + datetime.timedelta(days=1))
    activity = record(ends_at=ends, participants=[Participant(person=dept_head, hours="30")])
    assert activity.attendances.get().hours == Decimal("30")


def test_participants_are_people_of_the_unit_each_once(record, dept_head, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="不是本单位人员"):
        record(participants=[Participant(person=outsider_admin, hours=1)])
    with pytest.raises(ValidationError, match="重复登记了"):
        record(participants=[Participant(person=dept_head), Participant(person=dept_head)])
    with pytest.raises(ValidationError, match="请至少登记一名参加人员"):
        record(participants=[Participant(external_name="  ")])
    activity = record(participants=[Participant(external_name="社区志愿者王大妈", hours=3)])
    assert activity.attendances.get().name == "社区志愿者王大妈"
    assert not Attendance.objects.filter(person=outsider_admin).exists()


def test_refusals_of_the_record_itself(record, demo, campaign) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Organization

    with pytest.raises(ValidationError, match="请上传活动照片"):
        record(photos=[])
    future = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="请在活动结束后登记"):
        record(starts_at=future, ends_at=None)
    with pytest.raises(ValidationError, match="结束时间不能早于开始时间"):
        record(ends_at=timezone.make_aware(STARTS - datetime.timedelta(hours=1)))
    court_dept = Organization.objects.departments_of(demo["court"]).first()
    with pytest.raises(ValidationError, match="请选择本单位的部门"):
        record(department=court_dept)
    with pytest.raises(ValidationError, match="请选择该活动佐证的测评标准"):
        record(standards=[])
    assert not Activity.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(record) -> None:  # type: ignore[no-untyped-def]
    from tests.ledger.conftest import upload

    with pytest.raises(ValidationError):
        record(photos=[upload("现场.jpg", b"%PDF-1.4 not really a jpeg", "image/jpeg")])
    assert not Activity.objects.exists()


def test_removing_takes_the_activity_and_its_item_out(record, coordinator, dept_head) -> None:  # type: ignore[no-untyped-def]
    activity = record()
    services.activity_remove(activity=activity, user=coordinator)
    activity.refresh_from_db()
    assert activity.removed_at is not None and activity.evidence.removed_at is not None
    assert hours.of_person(dept_head, activity.unit) == Decimal(0)
    with pytest.raises(ValidationError, match="已删除"):
        services.activity_remove(activity=activity, user=coordinator)
    assert User.objects.filter(pk=dept_head.pk).exists()

"""Quarterly priorities and monthly information: each rule and each refusal of the services,
the table of who has submitted, the reminder and the queues."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from tests.supervision.conftest import TODAY, D, docx_upload, pdf_upload, photo_upload, travel
from wenming.notifications.models import Kind, Notification
from wenming.orgs.models import Membership, Role
from wenming.supervision import directives
from wenming.supervision.models import InfoFile, InfoSubmission, PriorityAck

pytestmark = pytest.mark.usefixtures("fixed_today", "registered")


@pytest.fixture
def priority(demo, office_admin):  # type: ignore[no-untyped-def]
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
def info_round(demo, office_admin):  # type: ignore[no-untyped-def]
    return directives.info_round_open(
        office=demo["office"], user=office_admin, year=2026, month=6, due_on=D(2026, 6, 25)
    )


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_a_priority_is_drafted_then_published(priority, office_admin):  # type: ignore[no-untyped-def]
    assert priority.published_at is None
    published = directives.priority_publish(priority=priority, user=office_admin)
    assert published.published_at is not None
    with pytest.raises(ValidationError) as exc:
        directives.priority_publish(priority=priority, user=office_admin)
    assert "已于2026年6月15日" in _messages(exc)


def test_priority_refuses_bad_fields(demo, office_admin):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        directives.priority_create(
            office=demo["office"],
            user=office_admin,
            year=1800,
            quarter=5,
            title=" ",
            body="",
            acknowledge_by=None,
        )
    assert set(exc.value.message_dict) == {"year", "quarter", "title", "body", "acknowledge_by"}
    with pytest.raises(ValidationError):
        directives.priority_create(
            office=demo["unit"],
            user=office_admin,
            year=2026,
            quarter=1,
            title="x",
            body="y",
            acknowledge_by=TODAY,
        )


def test_a_unit_acknowledges_once(priority, demo, office_admin, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="尚未下发"):
        directives.priority_acknowledge(priority=priority, user=coordinator, unit=demo["unit"])
    directives.priority_publish(priority=priority, user=office_admin)
    ack = directives.priority_acknowledge(
        priority=priority, user=coordinator, unit=demo["unit"], note="局长牵头落实"
    )
    assert ack.note == "局长牵头落实"
    with pytest.raises(ValidationError) as exc:
        directives.priority_acknowledge(priority=priority, user=coordinator, unit=demo["unit"])
    assert "已于2026年6月15日" in _messages(exc) and "不能重复签收" in _messages(exc)
    assert PriorityAck.objects.count() == 1


def test_a_unit_outside_the_registry_cannot_acknowledge(priority, demo, office_admin):  # type: ignore[no-untyped-def]
    directives.priority_publish(priority=priority, user=office_admin)
    with pytest.raises(ValidationError) as exc:
        directives.priority_acknowledge(
            priority=priority, user=office_admin, unit=demo["other_unit"]
        )
    assert "不在" in _messages(exc)


def test_the_ack_table_marks_overdue_units(priority, demo, office_admin, coordinator):  # type: ignore[no-untyped-def]
    directives.priority_publish(priority=priority, user=office_admin)
    directives.priority_acknowledge(priority=priority, user=coordinator, unit=demo["unit"])
    rows = {r.unit.pk: r.state for r in directives.ack_table(priority)}
    assert rows == {demo["unit"].pk: "acknowledged", demo["court"].pk: "missing"}
    rows = {r.unit.pk: r.state for r in directives.ack_table(priority, D(2026, 7, 1))}
    assert rows[demo["court"].pk] == "overdue"


def test_one_round_per_month(info_round, demo, office_admin):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        directives.info_round_open(
            office=demo["office"], user=office_admin, year=2026, month=6, due_on=TODAY
        )
    assert "2026年6月的信息报送已经开启" in exc.value.message_dict["month"][0]
    with pytest.raises(ValidationError) as exc:
        directives.info_round_open(
            office=demo["office"], user=office_admin, year=2026, month=13, due_on=None
        )
    assert set(exc.value.message_dict) == {"month", "due_on"}


def test_submit_replace_and_late(info_round, demo, coordinator):  # type: ignore[no-untyped-def]
    first = directives.info_submit(
        info_round=info_round,
        user=coordinator,
        unit=demo["unit"],
        title="六月创建信息",
        content="开展志愿服务。",
        uploads=[pdf_upload(), photo_upload()],
    )
    assert first.on_time
    again = directives.info_submit(
        info_round=info_round,
        user=coordinator,
        unit=demo["unit"],
        title="六月创建信息（修订）",
        content="开展志愿服务12次。",
        uploads=[docx_upload()],
    )
    assert again.pk == first.pk and InfoSubmission.objects.count() == 1
    again.refresh_from_db()
    assert again.title == "六月创建信息（修订）" and again.files.count() == 3
    with travel(D(2026, 6, 26)):
        late = directives.info_submit(
            info_round=info_round, user=None, unit=demo["court"], title="法院信息", content="x"
        )
    assert not late.on_time
    states = {r.unit.pk: r.label for r in directives.info_table(info_round)}
    assert states == {demo["unit"].pk: "已报送", demo["court"].pk: "逾期报送"}


def test_a_refused_file_stores_nothing(info_round, demo, coordinator):  # type: ignore[no-untyped-def]
    from tests.ledger.conftest import upload

    with pytest.raises(ValidationError) as exc:
        directives.info_submit(
            info_round=info_round,
            user=coordinator,
            unit=demo["unit"],
            title="t",
            content="c",
            uploads=[pdf_upload(), upload("病毒.exe", b"MZ\x90\x00", "application/octet-stream")],
        )
    assert "files" in exc.value.message_dict
    assert not InfoSubmission.objects.exists() and not InfoFile.objects.exists()
    with pytest.raises(ValidationError) as exc:
        directives.info_submit(
            info_round=info_round, user=coordinator, unit=demo["unit"], title="", content=""
        )
    assert set(exc.value.message_dict) == {"title", "content"}


def test_remind_tells_the_coordinators_of_units_without_a_submission(  # type: ignore[no-untyped-def]
    info_round, demo, office_admin, coordinator
):
    court_cjb = User.objects.create_user("court_cjb")
    Membership.objects.create(user=court_cjb, organization=demo["court"], role=Role.COORDINATOR)
    assert directives.info_remind(info_round=info_round, user=office_admin) == (2, 2)
    assert directives.info_remind(info_round=info_round, user=office_admin) == (2, 2)
    assert Notification.objects.filter(kind=Kind.INFO_REMINDED).count() == 2  # once a day
    with travel(D(2026, 6, 16)):
        directives.info_remind(info_round=info_round, user=office_admin)
    assert Notification.objects.filter(kind=Kind.INFO_REMINDED, recipient=coordinator).count() == 2

    directives.info_submit(
        info_round=info_round, user=coordinator, unit=demo["unit"], title="t", content="c"
    )
    Notification.objects.all().delete()
    with travel(D(2026, 6, 17)):
        assert directives.info_remind(info_round=info_round, user=office_admin) == (1, 1)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["court_cjb"]


def test_remind_without_coordinators_and_when_all_submitted(info_round, demo, office_admin):  # type: ignore[no-untyped-def]
    Membership.objects.filter(role=Role.COORDINATOR).update(is_active=False)
    assert directives.info_remind(info_round=info_round, user=office_admin) == (0, 0)
    for unit in (demo["unit"], demo["court"]):
        directives.info_submit(info_round=info_round, user=None, unit=unit, title="t", content="c")
    with pytest.raises(ValidationError, match="都已报送"):
        directives.info_remind(info_round=info_round, user=office_admin)


def test_queue_counts(  # type: ignore[no-untyped-def]
    priority, info_round, demo, office_admin, coordinator, staff, django_assert_max_num_queries
):
    directives.priority_publish(priority=priority, user=office_admin)
    with travel(D(2026, 6, 23)), django_assert_max_num_queries(8):
        office = directives.queue_counts(office_admin)
    assert office == {
        "info_missing": 2,
        "info_round_id": info_round.pk,
        "info_round_month": info_round.month,
        "priorities_unacknowledged": 2,
    }
    with django_assert_max_num_queries(8):
        assert directives.queue_counts(coordinator) == {"priorities_to_ack": 1, "info_to_submit": 1}
    directives.priority_acknowledge(priority=priority, user=coordinator, unit=demo["unit"])
    directives.info_submit(
        info_round=info_round, user=coordinator, unit=demo["unit"], title="t", content="c"
    )
    assert directives.queue_counts(coordinator) == {"priorities_to_ack": 0, "info_to_submit": 0}
    assert directives.queue_counts(office_admin)["priorities_unacknowledged"] == 1
    assert directives.queue_counts(staff) == {}

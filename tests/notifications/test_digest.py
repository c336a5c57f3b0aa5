"""The daily digest: one mail per person per day, only when SMTP is configured."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from tests.notifications.conftest import TODAY, at
from wenming.notifications.digest import digests_send
from wenming.notifications.models import DigestRun, Notification, Preference
from wenming.notifications.rules import notify


@pytest.fixture
def smtp(settings):  # type: ignore[no-untyped-def]
    # The test runner swaps in the in-memory backend; the host only switches the code path on.
    settings.WENMING_SMTP_HOST = "smtp.example.gov.cn"
    settings.WENMING_BASE_URL = "https://wenming.example.gov.cn"


@pytest.fixture
def busy(make_task, make_item, staff, dept_head):  # type: ignore[no-untyped-def]
    from wenming.ledger.models import ItemStatus

    staff.email = "chenxy@example.gov.cn"
    staff.save(update_fields=["email"])
    dept_head.email = "keshi@example.gov.cn"
    dept_head.save(update_fields=["email"])
    make_task("开展道德讲堂", days=1, responsible=staff)
    make_task("更新公示栏", days=-2, responsible=staff)
    make_task("整理宣传栏", days=5)  # no responsible person: the department head hears
    make_item(status=ItemStatus.RETURNED, return_count=1, review_comment="缺少签到表")
    notify()


def test_one_mail_per_person_grouped_by_kind_with_absolute_links(smtp, busy, staff, dept_head):  # type: ignore[no-untyped-def]
    assert digests_send() == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"chenxy@example.gov.cn", "keshi@example.gov.cn"}
    msg = by_to["chenxy@example.gov.cn"]
    assert msg.subject == "【文明创建】5月20日消息提醒（3条）"
    assert "【任务1天内到期】1条" in msg.body
    assert "【任务已逾期】1条" in msg.body
    assert "【台账被退回】1条" in msg.body
    assert msg.body.index("任务1天内到期") < msg.body.index("台账被退回")
    first = Notification.objects.filter(recipient=staff).order_by("id").first()
    assert first is not None
    assert f"https://wenming.example.gov.cn/inbox/{first.pk}/open/" in msg.body
    assert not Notification.objects.filter(recipient=staff, emailed_at__isnull=True).exists()


def test_not_again_the_same_day_but_the_next(smtp, busy, make_task, staff, _today):  # type: ignore[no-untyped-def]
    digests_send()
    make_task("新任务", days=3, responsible=staff)
    notify()
    assert digests_send() == 0
    assert len(mail.outbox) == 2
    assert DigestRun.objects.filter(user=staff, day=TODAY).count() == 1

    _today.move_to(at(TODAY + datetime.timedelta(days=1)))
    assert digests_send() == 1
    assert "新任务" in mail.outbox[-1].body


def test_nothing_is_sent_without_smtp(busy):  # type: ignore[no-untyped-def]
    assert digests_send() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert not DigestRun.objects.exists()


def test_people_without_address_or_with_digest_off_get_no_mail(smtp, busy, staff, dept_head):  # type: ignore[no-untyped-def]
    Preference.objects.create(user=staff, email_digest=False)
    dept_head.email = ""
    dept_head.save(update_fields=["email"])
    assert digests_send() == 0
    assert mail.outbox == []


def test_read_notifications_are_left_out(smtp, busy, staff):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    Notification.objects.filter(recipient=staff).update(read_at=timezone.now())
    digests_send()
    assert [m.to for m in mail.outbox] == [["keshi@example.gov.cn"]]


def test_a_failed_send_is_tried_again(smtp, busy, monkeypatch):  # type: ignore[no-untyped-def]
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):  # type: ignore[no-untyped-def]
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMessage, "send", broken)
    assert digests_send() == 0
    assert not DigestRun.objects.exists()
    monkeypatch.undo()
    assert digests_send() == 2

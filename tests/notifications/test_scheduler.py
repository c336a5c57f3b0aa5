"""`wenming scheduler --once`: one scan, and the day's digest once past the digest hour."""

from __future__ import annotations

from django.core import mail
from django.core.management import call_command

from tests.notifications.conftest import TODAY, at
from wenming.notifications.models import Notification


def test_once_scans_and_sends_the_digest_after_the_hour(settings, make_task, staff):  # type: ignore[no-untyped-def]
    settings.WENMING_SMTP_HOST = "smtp.example.gov.cn"
    staff.email = "chenxy@example.gov.cn"
    staff.save(update_fields=["email"])
    make_task(days=1, responsible=staff)

    call_command("scheduler", "--once")
    assert Notification.objects.filter(recipient=staff).count() == 1
    assert [m.to for m in mail.outbox] == [["chenxy@example.gov.cn"]]

    call_command("scheduler", "--once")
    assert len(mail.outbox) == 1


def test_before_the_digest_hour_only_scans(settings, make_task, staff, _today):  # type: ignore[no-untyped-def]
    settings.WENMING_SMTP_HOST = "smtp.example.gov.cn"
    staff.email = "chenxy@example.gov.cn"
    staff.save(update_fields=["email"])
    _today.move_to(at(TODAY, hour=9))
    settings.WENMING_DIGEST_HOUR = 10
    make_task(days=1, responsible=staff)

    call_command("scheduler", "--once")
    assert Notification.objects.filter(recipient=staff).exists()
    assert mail.outbox == []


def test_once_enqueues_on_the_database_backend(settings, make_task, staff):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_task(days=1, responsible=staff)
    call_command("scheduler", "--once")
    names = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == [
        "wenming.notifications.tasks.scan_notifications",
        "wenming.notifications.tasks.send_digests",
    ]
    assert not Notification.objects.exists()  # the worker does the work


def test_the_loop_scans_then_waits(make_task, staff, monkeypatch):  # type: ignore[no-untyped-def]
    from wenming.notifications.management.commands import scheduler

    def stop(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scheduler.time, "sleep", stop)
    make_task(days=1, responsible=staff)
    call_command("scheduler", verbosity=0)
    assert Notification.objects.filter(recipient=staff, kind="task_due_1").exists()

"""`wenming scheduler`: enqueue the notification scan every few minutes and the email digest
once a day. The work itself runs in the task worker (`wenming db_worker`)."""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wenming.notifications.tasks import scan_notifications, send_digests

TICK_SECONDS = 30
log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "定时安排消息提醒：每隔 WENMING_NOTIFY_INTERVAL_MINUTES 分钟扫描一次提醒，"
        "每天 WENMING_DIGEST_HOUR 点后发送一次邮件汇总。--once 只做一轮（供 cron 使用）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="只安排一轮：扫描提醒，到点后发送当天的邮件汇总。"
        )

    verbose = False

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbose = options["verbosity"] > 1
        if options["once"]:
            self._pass(timezone.localtime(), None)
            return
        interval = datetime.timedelta(minutes=max(1, settings.WENMING_NOTIFY_INTERVAL_MINUTES))
        next_scan = timezone.localtime()
        last_digest: datetime.date | None = None
        if options["verbosity"] > 0:
            self.stdout.write(
                f"消息提醒定时任务已启动：每{int(interval.total_seconds()) // 60}分钟扫描一次，"
                f"每天{settings.WENMING_DIGEST_HOUR}点后发送邮件汇总。"
            )
        try:
            while True:
                now = timezone.localtime()
                if now >= next_scan:
                    try:
                        last_digest = self._pass(now, last_digest)
                    except Exception:
                        # A database restart must not stop reminders for good: try next time.
                        log.exception("notification scheduler pass failed")
                    next_scan = now + interval
                time.sleep(TICK_SECONDS)
        except KeyboardInterrupt:
            return

    def _pass(
        self, now: datetime.datetime, last_digest: datetime.date | None
    ) -> datetime.date | None:
        """Enqueue one scan and, once a day after the digest hour, the digest after it."""
        scan_notifications.enqueue()
        if now.hour >= settings.WENMING_DIGEST_HOUR and last_digest != now.date():
            # Safe to repeat: each person's digest is sent at most once a day.
            send_digests.enqueue()
            last_digest = now.date()
        if self.verbose:
            self.stdout.write(f"{now:%Y-%m-%d %H:%M} 已安排扫描提醒。")
        return last_digest

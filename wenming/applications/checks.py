"""What the application services share: reading input, the timeline, locking rows.

Each status change locks the application's row (`lock`) and checks the status it has under
lock; the batch's row is locked (`lock_batch`) where the quota is counted.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationEventKind,
    ApplicationStatus,
    Batch,
)
from wenming.scoring import services as scoring_services
from wenming.scoring.models import ScoringRound

S = ApplicationStatus


def round_total(round_: ScoringRound | None) -> Decimal | None:
    """A scoring round's total (its computed total, never a stored one)."""
    if round_ is None:
        return None
    return scoring_services.totals_for_rounds([round_])[round_.pk].total


def today() -> datetime.date:
    return timezone.localdate()


def text(value: Any) -> str:
    return str(value or "").strip()


def raise_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def check_length(errors: dict[str, str], field: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = f"{label}不能超过{limit}个字，请精简后再保存。"


def int_in(
    errors: dict[str, str], field: str, value: Any, label: str, low: int, high: int
) -> int | None:
    """`value` as an integer between `low` and `high`, or an error under `field`."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = f"{label}请填写整数。"
        return None
    if not low <= number <= high:
        errors[field] = f"{label}应在{low}到{high}之间。"
        return None
    return number


def date_words(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def add_event(
    application: Application, user: User | None, kind: str, comment: str = ""
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, actor=user, kind=kind, comment=comment
    )


def lock(application: Application, allowed: tuple[str, ...], action: str) -> Application:
    """The application's row, locked; refused unless its status under lock is allowed."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch__office", "unit", "entry")
        .get(pk=application.pk)
    )
    if locked.batch.removed_at is not None:
        raise ValidationError("该申报批次已删除。")
    if locked.status not in allowed:
        raise ValidationError(f"该申报当前为“{locked.get_status_display()}”，不能{action}。")
    return locked


def refresh(target: Application, source: Application) -> Application:
    """Copy what a step changed onto the caller's instance too."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def reject(locked: Application, user: User | None, comment: str) -> None:
    locked.status = S.REJECTED
    locked.save(update_fields=["status", "updated_at"])
    add_event(locked, user, ApplicationEventKind.REJECTED, comment)


def decimal_in(errors: dict[str, str], field: str, value: Any, label: str, top: Decimal) -> Any:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[field] = f"{label}请填写数字。"
        return None
    if not number.is_finite() or not Decimal(0) <= number <= top:
        errors[field] = f"{label}应在0到{top}之间。"
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = f"{label}最多保留两位小数。"
        return None
    return number


def named_count(batch: Batch) -> int:
    return Application.objects.filter(batch=batch, status=S.NAMED).count()


def lock_batch(batch: Batch) -> Batch:
    locked = Batch.objects.select_for_update().select_related("office").get(pk=batch.pk)
    if locked.removed_at is not None:
        raise ValidationError("该申报批次已删除。")
    return locked

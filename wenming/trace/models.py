"""The trace (操作留痕, R16): who changed what, when, and the values before and after.

Rows are written by `wenming.trace.capture` (signals on the registered models) and by
`wenming.trace.record` for the writes that bypass signals (bulk creates, queryset updates).
They are never changed or deleted: `save()` refuses an existing row and the queryset refuses
`update()` and `delete()`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"


class ImmutableError(TypeError):
    pass


class ReadableJSONEncoder(DjangoJSONEncoder):
    """Keeps Chinese as written, so the log's keyword search matches it on every database."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class ChangeQuerySet(models.QuerySet["Change"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("操作记录不能修改。")

    def delete(self) -> NoReturn:
        raise ImmutableError("操作记录不能删除。")


class Change(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name at the time: people are renamed and leave, the record stays readable.
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    # The short key of the object's type ("task", "evidence"...), used in URLs and filters.
    kind = models.CharField("对象类型", max_length=20)
    # The object this one belongs to (a phase's campaign, a file's evidence item): its
    # history panel shows this change too.
    parent_kind = models.CharField(max_length=20, blank=True)
    parent_id = models.BigIntegerField(null=True, blank=True)
    # The organization the object belongs to, and its path: the log is scoped with one
    # indexed prefix match on the path.
    unit = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    # {field label: [before, after]}, values already readable (labels, names, ISO dates).
    changes = models.JSONField("变更内容", default=dict, blank=True, encoder=ReadableJSONEncoder)
    # A one-line description for entries that summarize many rows (a bulk generation...).
    summary = models.CharField("说明", max_length=300, blank=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="trace_object"),
            models.Index(fields=["parent_kind", "parent_id"], name="trace_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or '系统'} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("操作记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("操作记录不能删除。")

    @property
    def who(self) -> str:
        return self.actor_name or "系统"

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        return [
            (str(label), _text(pair[0]) if pair else "", _text(pair[1]) if pair else "")
            for label, pair in (self.changes or {}).items()
        ]


def _text(value: Any) -> str:
    return "" if value is None else str(value)

"""Abstract model shapes shared by the apps; core defines no table of its own."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    """One step in an object's workflow timeline: what happened, why, who, and when.

    Every domain keeps the timeline its screens show (a ledger item's review steps, a
    problem's 挂账销号, a task's change of lead department, a ledger year archived and
    reopened) in a table of its own that subclasses this: a timeline is read per object, so
    it stays a small indexed query beside that object. The trace (`wenming.trace`) keeps the
    field-by-field audit of every change; folding the timelines into it would make each one a
    query over the whole change log. A subclass adds the object it belongs to and what
    happened (an action, a kind, a new status).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

"""API routes for the trace (操作记录, R16), mounted at /trace by `wenming/api.py`.

The same rules as the screens: the searchable log is read by the managers and unit leaders
within what they see (403 for the others), an object's history by whoever may see the
object (404 otherwise). The filters are the `/trace/` screen's, checked by its form.
(Recording changes from Python is `wenming/trace/recording.py`.)
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema

from wenming.core.api_input import ErrorOut, cleaned
from wenming.trace import access
from wenming.trace.forms import LogFilterForm
from wenming.trace.models import Change
from wenming.trace.registry import kind_label
from wenming.trace.views import HISTORY_LIMIT, LOG_REFUSED, filter_changes

router = Router(tags=["操作记录"])
ERRORS: dict[int, Any] = {403: ErrorOut, 422: ErrorOut}
MOST = 200


class FieldChangeOut(Schema):
    field: str
    before: str
    after: str


class ChangeOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    action_label: str
    kind: str
    kind_label: str
    object_id: int | None
    object_repr: str
    changes: list[FieldChangeOut]
    summary: str


class ChangePage(Schema):
    items: list[ChangeOut]
    count: int


class HistoryOut(Schema):
    kind: str
    kind_label: str
    object_id: int
    object_repr: str
    items: list[ChangeOut]
    count: int
    truncated: bool


def _out(change: Change) -> dict[str, Any]:
    return {
        "id": change.pk,
        "at": change.at,
        "actor": change.who,
        "action": change.action,
        "action_label": change.get_action_display(),
        "kind": change.kind,
        "kind_label": kind_label(change.kind),
        "object_id": change.object_id,
        "object_repr": change.object_repr,
        "changes": [
            {"field": field, "before": before, "after": after}
            for field, before, after in change.change_list
        ],
        "summary": change.summary,
    }


@router.get(
    "/changes",
    response={200: ChangePage, **ERRORS},
    summary="操作记录（kind、action、actor、date_from、date_to、q；limit、offset）",
)
def trace_change_list(
    request: HttpRequest,
    kind: str = "",
    action: str = "",
    actor: str = "",
    date_from: str = "",
    date_to: str = "",
    q: str = "",
    limit: int = Query(50, ge=1, description=f"每次最多{MOST}条"),
    offset: int = Query(0, ge=0),
) -> Any:
    if not access.can_view_trace_log(request.user):
        raise PermissionDenied(LOG_REFUSED)
    # The screen's filters, checked by its form: a value the screen would not accept is
    # refused with the form's own Chinese message.
    params = {"kind": kind, "action": action, "actor": actor, "q": q}
    data = cleaned(LogFilterForm({**params, "date_from": date_from, "date_to": date_to}))
    size, start = min(limit, MOST), offset
    qs = filter_changes(access.visible_changes(request.user), data)
    page = qs.order_by("-at", "-id")[start : start + size]
    return {"items": [_out(c) for c in page], "count": qs.count()}


@router.get("/{kind}/{int:pk}", response=HistoryOut, summary="一个对象的修改记录")
def trace_object_history(request: HttpRequest, kind: str, pk: int) -> Any:
    obj = access.get_traced_object_for_user(request.user, kind, pk)
    qs = access.object_changes(kind, pk)
    changes = list(qs.order_by("-at", "-id")[:HISTORY_LIMIT])
    count = len(changes) if len(changes) < HISTORY_LIMIT else qs.count()
    return {
        "kind": kind,
        "kind_label": kind_label(kind),
        "object_id": pk,
        "object_repr": str(obj),
        "items": [_out(c) for c in changes],
        "count": count,
        "truncated": count > len(changes),
    }

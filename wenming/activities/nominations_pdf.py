"""An award's ledger item (一事一档): its fields, and the generated 先进典型推荐审批表 (PDF)
filed with it — who was put forward, by whom, the story, the way through 推荐, 审核 and
公示, the objections and their answers, and the honour given — so the item always holds a
document."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from wenming.activities.models.nominations import Nomination, Objection
from wenming.frameworks.models import Node


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def item_fields(nomination: Nomination, title: str, awarded_on: datetime.date) -> dict[str, Any]:
    """The ledger item's fields (`ledger.services.ITEM_FIELDS`) for an award."""
    starts, ends = nomination.publicity_starts_on, nomination.publicity_ends_on
    assert starts is not None and ends is not None
    return {
        "title": f"{title}：{nomination.name}"[:200],
        "activity_date": awarded_on,
        "participants": nomination.name,
        "participant_count": 1,
        "summary": nomination.story,
        "result": f"经{nomination.department.name}推荐、创建办审核，"
        f"于{_day(starts)}至{_day(ends)}公示期满，评为{title}。",
    }


def award_html(
    nomination: Nomination, objections: Sequence[Objection], standards: Sequence[Node]
) -> str:
    events = list(nomination.events.select_related("actor").order_by("created_at", "id"))
    return render_to_string(
        "activities/nominations/award_sheet.html",
        {
            "n": nomination,
            "events": events,
            "objections": objections,
            "standards": standards,
            "nominee": _nominee(nomination),
        },
    )


def _nominee(nomination: Nomination) -> str:
    if nomination.collective_id is not None:
        return f"{nomination.name}（集体）"
    if nomination.person_id is not None:
        return f"{nomination.name}（本单位人员）"
    return nomination.name


def award_pdf(
    nomination: Nomination, objections: Sequence[Objection], standards: Sequence[Node]
) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=award_html(nomination, objections, standards)).write_pdf()
    assert pdf is not None
    return bytes(pdf)

"""The generated sign-in sheet (签到表) of an activity, as a PDF filed with its ledger item."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from wenming.activities.models import Activity, Attendance


def _name(row: Attendance) -> str:
    return f"{row.name}（外单位）" if row.person is None else row.name


def sheet_html(activity: Activity, rows: Sequence[Attendance]) -> str:
    start = timezone.localtime(activity.starts_at)
    end = timezone.localtime(activity.ends_at) if activity.ends_at else None
    return render_to_string(
        "activities/signin_sheet.html",
        {
            "activity": activity,
            "start": start,
            "end": end,
            "rows": [(n, _name(r), r.hours, r.note) for n, r in enumerate(rows, 1)],
            "total": sum((r.hours for r in rows), Decimal(0)),
        },
    )


def sheet_pdf(activity: Activity, rows: Sequence[Attendance]) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=sheet_html(activity, rows)).write_pdf()
    assert pdf is not None
    return bytes(pdf)

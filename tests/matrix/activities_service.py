"""The screens of imported volunteer hours, 双报到 and 帮扶共建 in the permission matrix.

Everyone who reads the unit's activities — its 创建办, leaders, inspectors, observers and
department people — and the office admin above read all three; another city is told nothing
(404). The unit's 创建办 and its departments' people (部门负责人, 经办人) import a sheet of
hours; only the 创建办 registers 双报到 members, records feedback and sets up pairings. The
office admin reads only (403), like the rest of the unit. The targets: the market bureau's
campaign, an import, keshi's 双报到 registration and a pairing led by 食品安全监管科.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read, unit_work


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.activities.models import CommunityReport, HoursImport, Pairing
    from wenming.campaigns.models import Campaign

    unit = base["unit"]
    campaign = Campaign.objects.filter(unit=unit, is_active=True).first() or make_campaign(
        unit=unit, office=base["office"]
    )
    return {
        "svc_campaign": campaign,
        "svc_import": HoursImport.objects.create(unit=unit, file_name="时长.xlsx", rows=0),
        "svc_report": CommunityReport.objects.create(
            unit=unit,
            person=User.objects.get(username="keshi"),
            community="城东街道幸福里社区",
            reported_on=_today() - datetime.timedelta(days=30),
        ),
        "svc_pairing": Pairing.objects.create(
            campaign=campaign,
            unit=unit,
            department=base["food"],
            partner="江北区石桥村",
            plan="每季度走访一次。",
            starts_on=_today() - datetime.timedelta(days=30),
        ),
        "svc_person": User.objects.get(username="jingban"),
    }


QUERY = "?campaign={svc_campaign}"
# The unit's 创建办 and its departments' people import hours.
HOURS_WRITERS = expect(403, outsider_admin=404, coordinator=302, dept_head=302, staff=302)


def hours_sheet(name: str = "时长.xlsx") -> Any:
    """A platform's export with one row: 张明 (keshi), two hours yesterday."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["姓名", "志愿者编号", "服务日期", "服务时长（小时）", "服务项目"])
    ws.append(["张明", "", _today() - datetime.timedelta(days=1), 2, "文明交通劝导"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _report(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "person": t["svc_person"].pk,
        "community": "城西街道锦绣社区",
        "reported_on": _today().isoformat(),
    }


def _feedback(t: dict[str, Any]) -> dict[str, Any]:
    today = _today()
    return {
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "rating": "good",
        "hours": "3",
    }


def _pairing(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "partner": "城东街道幸福里社区",
        "department": t["food"].pk,
        "plan": "每季度走访一次。",
        "starts_on": _today().isoformat(),
        "visits_planned": "4",
    }


ROUTES: dict[str, Route] = {
    "activities:hours_imports": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:hours_import_new": Route(
        "POST", lambda t: [], HOURS_WRITERS, data=lambda t: {"file": hours_sheet()}, query=QUERY
    ),
    "activities:hours_import_detail": Route(
        "GET", lambda t: [t["svc_import"].pk], unit_read(), query=QUERY
    ),
    "activities:community": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:community_new": Route(
        "POST", lambda t: [], unit_work(302), data=_report, query=QUERY
    ),
    "activities:community_feedback": Route(
        "POST", lambda t: [t["svc_report"].pk], unit_work(302), data=_feedback, query=QUERY
    ),
    "activities:community_remove": Route(
        "POST", lambda t: [t["svc_report"].pk], unit_work(302), query=QUERY
    ),
    "activities:pairings": Route("GET", lambda t: [], unit_read(), query=QUERY),
    "activities:pairing_new": Route(
        "POST", lambda t: [], unit_work(302), data=_pairing, query=QUERY
    ),
    "activities:pairing_detail": Route(
        "GET", lambda t: [t["svc_pairing"].pk], unit_read(), query=QUERY
    ),
    "activities:pairing_remove": Route(
        "POST", lambda t: [t["svc_pairing"].pk], unit_work(302), query=QUERY
    ),
}

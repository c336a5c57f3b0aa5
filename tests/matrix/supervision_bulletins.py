"""City bulletins' screens in the permission matrix.

Two of 临州市文明办's bulletins: a draft (the office's people only) and an issued one (also
the people of the units the office keeps: 创建办, 单位领导, 督查员, 观察员). Department roles
and another city are told nothing (404). Only the office's 文明办管理员 drafts, changes,
names units, issues and removes the draft; posts without data answer it with what is missing
(400), so the matrix changes nothing (the removal is rolled back with each persona's request).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect, office_only

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.registry import services as registry
    from wenming.registry.models import RegistryEntry
    from wenming.supervision import bulletins

    admin = User.objects.get(username="wmb_admin")
    office = base["office"]
    if not RegistryEntry.objects.live().filter(unit=base["unit"]).exists():
        registry.entry_register(office=office, user=admin, unit=base["unit"])
    today = datetime.date.today()
    period = {
        "period_start": today - datetime.timedelta(days=30),
        "period_end": today - datetime.timedelta(days=1),
    }
    draft = bulletins.bulletin_create(office=office, user=admin, title="矩阵通报草稿", **period)
    issued = bulletins.bulletin_create(office=office, user=admin, title="矩阵已印发通报", **period)
    bulletins.bulletin_issue(bulletin=issued, user=admin, issued_on=today)
    return {"sb_draft": draft, "sb_issued": issued}


def _draft(t: dict[str, Any]) -> list[Any]:
    return [t["sb_draft"].pk]


def _issued(t: dict[str, Any]) -> list[Any]:
    return [t["sb_issued"].pk]


def issued_read(anonymous: int = 302) -> dict[str, int]:
    table = expect(404, anonymous=anonymous)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


ROUTES: dict[str, Route] = {
    # Everyone signed in gets the bulletins they may see (possibly none).
    "supervision:bulletins": Route("GET", lambda t: [], expect(200)),
    "supervision:bulletin_new": Route(
        "GET", lambda t: [], expect(403, office_admin=200, outsider_admin=200)
    ),
    "supervision:bulletin": Route("GET", _issued, issued_read()),
    "supervision:bulletin_edit": Route("POST", _draft, office_only(400)),
    "supervision:bulletin_verdict": Route("POST", _draft, office_only(400)),
    "supervision:bulletin_issue": Route("POST", _draft, office_only(400)),
    "supervision:bulletin_remove": Route("POST", _draft, office_only(302)),
    "supervision:bulletin_docx": Route("GET", _issued, issued_read()),
}

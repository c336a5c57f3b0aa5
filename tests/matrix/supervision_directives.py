"""The screens of the office's quarterly priorities and monthly information in the
permission matrix.

The targets are 临州市文明办's published priority, a draft one, and this month's 信息报送, with
the market bureau (kept in its registry) having submitted, with a file. The lists and the pages
of a priority and a round refuse department roles (403, `access.require_reader`, as the
problems' do) and answer everyone else with what they may see. A priority and a round are
read by the office's people and the unit's own people (创建办, 单位领导, 督查员, 观察员);
another city is told nothing (404), nor are department roles about a submission or a file.
Only the office's 文明办管理员 publishes, reminds and exports the table (the unit's people are
refused, 403); only the unit's 创建办 acknowledges and submits (everyone else who reads is
refused, 403). A draft is the office's alone: its 文明办管理员 changes or removes it, nobody
else learns of it (404).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")
SAMPLE_NAME = "supervision/matrix/info.pdf"


def _stored(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.ledger.samples import pdf

    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(pdf()))


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.registry import services as registry
    from wenming.registry.models import RegistryEntry
    from wenming.supervision import directives
    from wenming.supervision.models import InfoFile, InfoSubmission

    admin = User.objects.get(username="wmb_admin")
    office = base["office"]
    if not RegistryEntry.objects.filter(unit=base["unit"]).exists():
        registry.entry_register(office=office, user=admin, unit=base["unit"])
    today = datetime.date.today()
    priority = directives.priority_create(
        office=office,
        user=admin,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        title="矩阵重点工作",
        body="矩阵工作要求",
        acknowledge_by=today + datetime.timedelta(days=10),
    )
    directives.priority_publish(priority=priority, user=admin)
    draft = directives.priority_create(
        office=office,
        user=admin,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        title="矩阵重点工作草稿",
        body="矩阵工作要求",
        acknowledge_by=today + datetime.timedelta(days=10),
    )
    info_round = directives.info_round_open(
        office=office,
        user=admin,
        year=today.year,
        month=today.month,
        due_on=today + datetime.timedelta(days=10),
    )
    submission = InfoSubmission.objects.create(
        round=info_round, unit=base["unit"], title="矩阵信息", content="矩阵内容"
    )
    info_file = InfoFile.objects.create(
        submission=submission,
        unit=base["unit"],
        year=today.year,
        file=_stored(SAMPLE_NAME),
        original_name="信息.pdf",
        kind="pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1000,
        sha256="0" * 64,
    )
    return {
        "sd_priority": priority,
        "sd_priority_draft": draft,
        "sd_round": info_round,
        "sd_submission": submission,
        "sd_info_file": info_file,
    }


def _priority(t: dict[str, Any]) -> list[Any]:
    return [t["sd_priority"].pk]


def _draft(t: dict[str, Any]) -> list[Any]:
    return [t["sd_priority_draft"].pk]


def _round(t: dict[str, Any]) -> list[Any]:
    return [t["sd_round"].pk]


def lists(anonymous: int = 302) -> dict[str, int]:
    """Department roles are refused (403); everyone else gets what they may see."""
    return expect(200, anonymous, staff=403, dept_head=403)


def page(anonymous: int = 302) -> dict[str, int]:
    """A priority's or a round's page: read by the office's and the unit's people; department
    roles refused (403) before anything is looked up; another city told nothing (404)."""
    table = read(anonymous)
    table.update(staff=403, dept_head=403)
    return table


def draft_act(ok: int, anonymous: int = 302) -> dict[str, int]:
    return expect(404, anonymous, office_admin=ok)


def read(anonymous: int = 302) -> dict[str, int]:
    table = expect(404, anonymous)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def office_act(ok: int, anonymous: int = 302) -> dict[str, int]:
    table = expect(404, anonymous)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def unit_act(ok: int, anonymous: int = 302) -> dict[str, int]:
    table = expect(404, anonymous)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


NEW = expect(403, office_admin=200, outsider_admin=200)

ROUTES: dict[str, Route] = {
    "supervision:priorities": Route("GET", lambda t: [], lists()),
    "supervision:priority_new": Route("GET", lambda t: [], NEW),
    "supervision:priority": Route("GET", _priority, page()),
    "supervision:priority_edit": Route("GET", _draft, draft_act(200)),
    "supervision:priority_remove": Route("POST", _draft, draft_act(302)),
    # Already published: the office admin is sent back with the refusal.
    "supervision:priority_publish": Route("POST", _priority, office_act(302)),
    "supervision:priority_ack": Route("POST", _priority, unit_act(302)),
    "supervision:info_rounds": Route("GET", lambda t: [], lists()),
    "supervision:info_round_new": Route("GET", lambda t: [], NEW),
    "supervision:info_round": Route("GET", _round, page()),
    "supervision:info_submit": Route("POST", _round, unit_act(400)),
    "supervision:info_remind": Route("POST", _round, office_act(302)),
    "supervision:info_xlsx": Route("GET", _round, office_act(200)),
    "supervision:submission": Route("GET", lambda t: [t["sd_submission"].pk], read()),
    "supervision:info_file": Route("GET", lambda t: [t["sd_info_file"].pk], read()),
}

"""复查's screens in the permission matrix.

The target 复查 is 临州市文明办's of this year, with the market bureau's report. The 复查 and
its table are read by the office's people only; a report is read by the office's people and
the unit's own people (roles held on the unit itself: 创建办, 单位领导, 督查员, 观察员);
department roles and another city are told nothing (404). Only the office's 文明办管理员 acts
on the 复查 and decides on reports (the unit's people are refused, 403); only the unit's 创建办
files its report (everyone else who reads it is refused, 403). Posts without data answer the
one who may act with what is missing (400), so the matrix changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")
SAMPLE_NAME = "rechecks/matrix/report.pdf"


def _stored(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.ledger.samples import pdf

    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(pdf()))


def _file_facts(unit: Any) -> dict[str, Any]:
    return {
        "unit": unit,
        "year": 2026,
        "file": _stored(SAMPLE_NAME),
        "original_name": "自查报告.pdf",
        "kind": "pdf",
        "content_type": "application/pdf",
        "extension": "pdf",
        "size": 1000,
        "sha256": "0" * 64,
    }


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.rechecks import services
    from wenming.rechecks.models import Recheck, ReportFile
    from wenming.registry import services as registry
    from wenming.registry.models import DecisionFile, RegistryEntry

    admin = User.objects.get(username="wmb_admin")
    office = base["office"]
    entry = RegistryEntry.objects.filter(unit=base["unit"]).first() or registry.entry_register(
        office=office, user=admin, unit=base["unit"]
    )
    honour = registry.honour_add(
        entry=entry, user=admin, title="矩阵复查称号", level="city", year_named=2022, issuer=office
    )
    today = datetime.date.today()
    recheck = services.recheck_open(
        office=office,
        user=admin,
        year=today.year,
        title="矩阵复查",
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=20),
    )
    report = recheck.reports.get(honour=honour)
    report_file = ReportFile.objects.create(report=report, **_file_facts(base["unit"]))
    result = DecisionFile.objects.create(**_file_facts(office))
    closed = Recheck.objects.create(
        office=office,
        year=today.year - 1,
        title="矩阵已结束复查",
        opens_on=today - datetime.timedelta(days=400),
        due_on=today - datetime.timedelta(days=370),
        closed_on=today - datetime.timedelta(days=300),
        result_title="临文明办〔2025〕18号",
        result_document=result,
    )
    return {
        "rc_recheck": recheck,
        "rc_closed": closed,
        "rc_report": report,
        "rc_file": report_file,
    }


def _recheck(t: dict[str, Any]) -> list[Any]:
    return [t["rc_recheck"].pk]


def _report(t: dict[str, Any]) -> list[Any]:
    return [t["rc_report"].pk]


def office_read(ok: int = 200) -> dict[str, int]:
    return expect(404, office_admin=ok)


def report_read() -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def office_act(ok: int) -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def holder_act(ok: int) -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


ROUTES: dict[str, Route] = {
    # The office's people get its 复查 (another city its own, none); a unit's own people get
    # their reports; department people an empty list.
    "rechecks:index": Route("GET", lambda t: [], expect(200)),
    "rechecks:new": Route("GET", lambda t: [], expect(403, office_admin=200, outsider_admin=200)),
    "rechecks:detail": Route("GET", _recheck, office_read()),
    "rechecks:edit": Route("POST", _recheck, office_read(400)),
    "rechecks:close": Route("POST", _recheck, office_read(400)),
    "rechecks:result_docx": Route("GET", _recheck, office_read()),
    "rechecks:list_xlsx": Route("GET", _recheck, office_read()),
    "rechecks:result_file": Route("GET", lambda t: [t["rc_closed"].pk], office_read()),
    "rechecks:report": Route("GET", _report, report_read()),
    "rechecks:report_submit": Route("POST", _report, holder_act(400)),
    "rechecks:report_return": Route("POST", _report, office_act(400)),
    "rechecks:report_score": Route("POST", _report, office_act(400)),
    "rechecks:report_round": Route("POST", _report, office_act(400)),
    "rechecks:report_decide": Route("POST", _report, office_act(400)),
    "rechecks:report_follow_up": Route("POST", _report, office_act(400)),
    "rechecks:report_confirm_missed": Route("POST", _report, office_act(400)),
    "rechecks:file": Route("GET", lambda t: [t["rc_file"].pk], report_read()),
}

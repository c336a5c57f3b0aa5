"""The registry's screens (文明单位名录, R12) in the permission matrix.

The target entry is the market bureau's, in 临州市文明办's registry. Its readers: the office's
people and the unit's own people (roles held on the unit itself: 创建办, 单位领导, 督查员,
观察员); department roles and another city are told nothing (404). Only the office's
文明办管理员 changes it (the unit's people are refused, 403). Posts without data answer the
office admin with what is missing (400), so the matrix changes nothing. The Excel screens
(registry:export, registry:import) are in `registry_api.py`.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")
SAMPLE_NAME = "registry/matrix/decision.pdf"


def _stored(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.ledger.samples import pdf

    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(pdf()))


def targets(base: dict[str, Any]) -> dict[str, Any]:
    import datetime

    from django.contrib.auth.models import User

    from wenming.registry import services
    from wenming.registry.models import DecisionFile, RegistryEntry

    admin = User.objects.get(username="wmb_admin")
    entry = RegistryEntry.objects.filter(unit=base["unit"]).first() or services.entry_register(
        office=base["office"], user=admin, unit=base["unit"]
    )
    honour = services.honour_add(
        entry=entry, user=admin, title="矩阵页面称号", level="city", year_named=2020
    )
    event = services.negative_event_record(
        entry=entry,
        user=admin,
        what="矩阵页面事项",
        occurred_on=datetime.date(2026, 1, 5),
        source="superior",
    )
    document = DecisionFile.objects.create(
        unit=base["unit"],
        year=2026,
        file=_stored(SAMPLE_NAME),
        original_name="决定.pdf",
        kind="pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1000,
        sha256="0" * 64,
    )
    return {
        "rg_entry": entry,
        "rg_honour": honour,
        "rg_event": event,
        "rg_document": document,
    }


def _entry(t: dict[str, Any]) -> list[Any]:
    return [t["rg_entry"].pk]


def _honour(t: dict[str, Any]) -> list[Any]:
    return [t["rg_honour"].pk]


def _no_args(t: dict[str, Any]) -> list[Any]:
    return []


def read() -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def write(ok: int) -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


ROUTES: dict[str, Route] = {
    # The office's people get the list (another city its own, empty); a unit's own people
    # are taken to their entry; department people are told the unit is not listed for them.
    "registry:index": Route(
        "GET",
        _no_args,
        expect(200, **dict.fromkeys(UNIT_READERS, 302)),
    ),
    "registry:entry_new": Route("GET", _no_args, expect(403, office_admin=200, outsider_admin=200)),
    "registry:entry": Route("GET", _entry, read()),
    "registry:entry_edit": Route("POST", _entry, write(400), data=lambda t: {"staff_count": "x"}),
    "registry:honour_new": Route("POST", _entry, write(400)),
    "registry:negative_new": Route("POST", _entry, write(400)),
    "registry:honour_status": Route("POST", _honour, write(400)),
    "registry:honour_revoke": Route("POST", _honour, write(400)),
    "registry:negative_withdraw": Route("POST", lambda t: [t["rg_event"].pk], write(400)),
    "registry:document": Route("GET", lambda t: [t["rg_document"].pk], read()),
}

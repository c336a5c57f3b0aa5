"""The registry's API routes and its Excel screens in the permission matrix.

Readers of an entry: the office's people (and offices above) and the unit's own people
(roles held on the unit itself: 创建办, 单位领导, 督查员, 观察员); department roles and
another city are told nothing (404). Only the office's 文明办管理员 changes the registry
(the unit's people are refused, 403). Lists answer everyone with what they may see."""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ["observer", "inspector", "leader", "coordinator"]


def _read(anonymous: int = 401) -> dict[str, int]:
    table = expect(404, anonymous)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def _write(ok: int, anonymous: int = 401) -> dict[str, int]:
    table = expect(404, anonymous)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.registry import services
    from wenming.registry.models import RegistryEntry

    admin = User.objects.get(username="wmb_admin")
    entry = RegistryEntry.objects.filter(unit=base["unit"]).first() or services.entry_register(
        office=base["office"], user=admin, unit=base["unit"]
    )
    honour = services.honour_add(
        entry=entry, user=admin, title="矩阵测试称号", level="city", year_named=2022
    )
    revoked = services.honour_add(
        entry=entry, user=admin, title="矩阵摘牌称号", level="county", year_named=2021
    )
    today = datetime.date.today()
    revocation = services.revoke(
        honour=revoked,
        user=admin,
        decided_on=today,
        reason="矩阵测试",
        document_title="临文明办〔2026〕1号",
        ban_years=1,
    )
    event = services.negative_event_record(
        entry=entry, user=admin, what="矩阵测试事项", occurred_on=today, source="superior"
    )
    return {
        "registry_entry": entry,
        "registry_honour": honour,
        "registry_revocation": revocation,
        "registry_negative": event,
    }


def _today() -> str:
    return datetime.date.today().isoformat()


ROUTES: dict[str, Route] = {
    "registry:export": Route("GET", lambda t: [], expect(200)),
    "registry:import": Route(
        "GET", lambda t: [], expect(403, office_admin=200, outsider_admin=200)
    ),
    "api:registry_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:registry_create": Route(
        "POST",
        lambda t: [],
        _write(201),
        data=lambda t: {"office_id": t["office"].pk, "unit_name": "名录矩阵新单位"},
    ),
    "api:registry_detail": Route("GET", lambda t: [t["registry_entry"].pk], _read()),
    "api:registry_update": Route(
        "PATCH", lambda t: [t["registry_entry"].pk], _write(200), data=lambda t: {"area": "城南区"}
    ),
    "api:registry_honour_add": Route(
        "POST",
        lambda t: [t["registry_entry"].pk],
        _write(201),
        data=lambda t: {"title": "文明单位标兵", "level": "city", "year_named": 2024},
    ),
    "api:registry_honour_status": Route(
        "POST",
        lambda t: [t["registry_honour"].pk],
        _write(200),
        data=lambda t: {
            "to_status": "kept",
            "decided_on": _today(),
            "document_title": "临文明办〔2026〕2号",
        },
    ),
    "api:revocation_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:revocation_create": Route(
        "POST",
        lambda t: [],
        _write(201),
        data=lambda t: {
            "honour_id": t["registry_honour"].pk,
            "decided_on": _today(),
            "reason": "出现严重问题",
            "document_title": "临文明办〔2026〕3号",
        },
    ),
    "api:revocation_detail": Route("GET", lambda t: [t["registry_revocation"].pk], _read()),
    "api:negative_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:negative_create": Route(
        "POST",
        lambda t: [],
        _write(201),
        data=lambda t: {
            "entry_id": t["registry_entry"].pk,
            "what": "食品抽检不合格被通报",
            "occurred_on": _today(),
            "source": "superior",
        },
    ),
    "api:negative_withdraw": Route(
        "POST",
        lambda t: [t["registry_negative"].pk],
        _write(200),
        data=lambda t: {"reason": "经核实不属实"},
    ),
}

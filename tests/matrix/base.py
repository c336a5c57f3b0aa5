"""Shared vocabulary of the permission matrix: personas, expectations, the Route record.

Each app lists its routes in its own module here (`tests/matrix/<app>.py`) with a
`ROUTES` dict and, when it needs objects to address, a `targets(base)` function returning
more named objects. `tests/test_permission_matrix.py` merges them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PERSONAS = [
    "anonymous",
    "outsider_admin",
    "observer",
    "inspector",
    "staff",
    "dept_head",
    "leader",
    "coordinator",
    "office_admin",
]
USERNAMES = {
    "outsider_admin": "yl_admin",
    "observer": "guancha",
    "inspector": "ducha",
    "staff": "jingban",
    "dept_head": "keshi",
    "leader": "lingdao",
    "coordinator": "cjb",
    "office_admin": "wmb_admin",
}
UNIT_PEOPLE = ["observer", "inspector", "staff", "dept_head", "leader", "coordinator"]
MANAGERS = ["coordinator", "office_admin"]
SMALL = b"framework: {code: S, name: x}\nitems:\n  - {code: A, title: t, points: 2}\n"


def expect(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    table = {p: default for p in PERSONAS}
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


def unit_read(anonymous: int = 302) -> dict[str, int]:
    """Anyone in the unit or the office above reads; another city is told nothing."""
    return expect(200, anonymous, outsider_admin=404)


def unit_manage(ok: int, anonymous: int = 302) -> dict[str, int]:
    """The unit's 创建办 and the office admin change; the rest of the unit is refused."""
    table = expect(403, anonymous, outsider_admin=404)
    table.update({p: ok for p in MANAGERS})
    return table


def unit_work(ok: int, anonymous: int = 302) -> dict[str, int]:
    """The unit's own work (plan, tasks, evidence, self-scoring, internal bulletins): only its
    创建办 changes it; the office admin above reads it but is refused (403) like the rest of
    the unit; another city is told nothing."""
    table = expect(403, anonymous, outsider_admin=404)
    table["coordinator"] = ok
    return table


def office_only(ok: int, anonymous: int = 302, others: int = 404) -> dict[str, int]:
    table = expect(others, anonymous)
    table["office_admin"] = ok
    return table


@dataclass
class Route:
    method: str
    args: Callable[[dict[str, Any]], list[Any]]
    expected: dict[str, int]
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    query: str = ""


def no_args(t: dict[str, Any]) -> list[Any]:
    return []

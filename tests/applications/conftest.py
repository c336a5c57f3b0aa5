"""Application fixtures: 临州市文明办 opens `batch` (2026年度市级文明单位申报, window 1–30 June
2026, 2 places, the five rules as data); 临州市市场监督管理局 is in its registry (`entry`,
420 staff) holding a 县级文明单位 named 2024, so it is eligible; `application` is its
submission by its 创建办. Today is 2026-06-15 for every test here (`travel` moves it).

`advance(application, to)` takes an application through the office's steps up to a status
(初审通过, 实地测评 by hand, 征求意见, 公示 from 15 June to 19 June); `name(batch, [apps])`
names after the period, travelling to 22 June.

The personas come from tests/conftest.py: `office_admin` (周建华, 临州市文明办) decides;
the unit's `coordinator` (创建办) applies; `leader` reads; `outsider_admin` is the admin of
another city's office.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tests.ledger.conftest import ledger_task, make_item  # noqa: F401 (fixtures)

TODAY = datetime.date(2026, 6, 15)
FORM: dict[str, Any] = {
    "principal_name": "王建国",
    "contact_name": "李文静",
    "contact_phone": "0576-88900123",
    "address": "临州市人民路100号",
    "staff_count": 420,
    "party_member_count": 210,
    "volunteer_count": 300,
    "basic_facts": "市场监督管理局内设机构18个，干部职工420人。",
    "summary": "近三年来，我局坚持以习近平新时代中国特色社会主义思想为指导，扎实开展文明单位创建。",
}
RULES: list[dict[str, Any]] = [
    {"kind": "holds_lower", "level": "county", "years": 2},
    {"kind": "min_staff", "number": 30},
    {"kind": "no_veto", "years": 2},
    {"kind": "not_banned"},
    {"kind": "not_held"},
]
BATCH: dict[str, Any] = {
    "year": 2026,
    "title": "2026年度市级文明单位申报",
    "honour_title": "市级文明单位",
    "level": "city",
    "term_years": 3,
    "batch_label": "第十批",
    "opens_on": datetime.date(2026, 6, 1),
    "closes_on": datetime.date(2026, 6, 30),
    "quota": 2,
    "materials": "申报表\n创建工作总结",
    "summary_limit": 3000,
    "publicity_days": 5,
}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@contextmanager
def travel(day: datetime.date) -> Iterator[None]:
    """Today is `day` inside the block."""
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0), tick=False):
        yield


def make_entry(office: Any, unit: Any, user: Any, *, staff_count: int = 420) -> Any:
    from wenming.registry import services

    entry = services.entry_register(office=office, user=user, unit=unit, staff_count=staff_count)
    services.honour_add(
        entry=entry,
        user=user,
        title="县级文明单位",
        level="county",
        year_named=2024,
        status_on=datetime.date(2024, 12, 20),
        document_title="临文明委〔2024〕3号",
    )
    return entry


@pytest.fixture
def entry(demo, office_admin):  # type: ignore[no-untyped-def]
    return make_entry(demo["office"], demo["unit"], office_admin)


@pytest.fixture
def court_entry(demo, office_admin):  # type: ignore[no-untyped-def]
    return make_entry(demo["office"], demo["court"], office_admin)


@pytest.fixture
def batch(demo, office_admin):  # type: ignore[no-untyped-def]
    from wenming.applications import services

    return services.batch_create(office=demo["office"], user=office_admin, rules=RULES, **BATCH)


@pytest.fixture
def application(batch, entry, demo, coordinator):  # type: ignore[no-untyped-def]
    from wenming.applications import services

    return services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)


@pytest.fixture
def court_application(batch, court_entry, demo, office_admin):  # type: ignore[no-untyped-def]
    from wenming.applications import services

    return services.application_submit(batch=batch, unit=demo["court"], user=office_admin, **FORM)


STEPS = ("accepted", "assessed", "consulted", "publicized")


@pytest.fixture
def advance(office_admin) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """`advance(application, to="consulted")`: the office's steps, in order, up to `to`."""
    from wenming.applications import services

    def run(application: Any, to: str) -> Any:
        for step in STEPS[: STEPS.index(to) + 1]:
            application.refresh_from_db()
            if step == "accepted":
                services.application_accept(application=application, user=office_admin)
            elif step == "assessed":
                services.field_assessment_record(
                    application=application,
                    user=office_admin,
                    survey_rate=Decimal("96.5"),
                    survey_note="发放问卷100份",
                    field_score=Decimal("91.5"),
                )
            elif step == "consulted":
                services.opinion_record(
                    application=application,
                    user=office_admin,
                    body="discipline",
                    body_name="市纪委监委",
                    adverse=False,
                    content="未发现违纪问题。",
                    received_on=TODAY,
                )
                services.consultation_finish(application=application, user=office_admin)
            else:
                services.publicity_start(
                    batch=application.batch,
                    user=office_admin,
                    starts_on=TODAY,
                    applications=[application],
                )
        application.refresh_from_db()
        return application

    return run


@pytest.fixture
def name(office_admin) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """`name(batch, [applications], **overrides)`: 命名 on 22 June (after the period)."""
    from wenming.applications import services

    def run(batch: Any, applications: list[Any], **overrides: Any) -> Any:
        day = overrides.pop("named_on", datetime.date(2026, 6, 22))
        args = {"decision_title": "临文明委〔2026〕15号", "document": None, **overrides}
        with travel(day):
            return services.batch_name(
                batch=batch, user=office_admin, named_on=day, applications=applications, **args
            )

    return run

"""复查 fixtures: 临州市文明办's registry with two holders of 市级文明单位 it named (the market
bureau in 2023, the court in 2024), the 2026 复查 opened on 2026-05-01 with its reports due
2026-06-30, files on a private disk, and `fixed_today` (2026-06-15, before the deadline).

The personas come from tests/conftest.py: `office_admin` (临州市文明办) runs the 复查; the
market bureau's `coordinator` (创建办) files its report; `leader`, `inspector`, `observer` read
it; `staff` and `dept_head` (a department) reach nothing; `outsider_admin` is another city's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.ledger.conftest import docx, jpeg, upload
from tests.ledger.samples import pdf

D = datetime.date
TODAY = D(2026, 6, 15)
DUE = D(2026, 6, 30)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


def travel(day: datetime.date) -> Any:
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0), tick=False)


@pytest.fixture
def fixed_today() -> Iterator[None]:
    """Today is 2026-06-15 (the modules that need it: `pytestmark = usefixtures(...)`)."""
    with travel(TODAY):
        yield


def pdf_upload(name: str = "决定.pdf") -> Any:
    return upload(name, pdf(), "application/pdf")


def docx_upload(name: str = "自查报告.docx") -> Any:
    return upload(name, docx("年度自查报告"))


def photo_upload(name: str = "盖章页.jpg") -> Any:
    return upload(name, jpeg(), "image/jpeg")


def _holder(office: Any, unit: Any, admin: Any, year: int) -> Any:
    from wenming.registry import services

    entry = services.entry_register(office=office, user=admin, unit=unit, area="市直")
    return services.honour_add(
        entry=entry,
        user=admin,
        title="市级文明单位",
        level="city",
        year_named=year,
        issuer=office,
        status_on=D(year, 12, 28),
        document_title=f"临文明委〔{year}〕9号",
    )


@pytest.fixture
def honour(demo, office_admin, fixed_today):  # type: ignore[no-untyped-def]
    """The market bureau's 2023 市级文明单位, named by 临州市文明办."""
    return _holder(demo["office"], demo["unit"], office_admin, 2023)


@pytest.fixture
def court_honour(demo, office_admin, fixed_today):  # type: ignore[no-untyped-def]
    return _holder(demo["office"], demo["court"], office_admin, 2024)


@pytest.fixture
def recheck(demo, office_admin, honour, court_honour, fixed_today):  # type: ignore[no-untyped-def]
    from wenming.rechecks import services

    return services.recheck_open(
        office=demo["office"],
        user=office_admin,
        year=2026,
        title="2026年度文明单位复查",
        opens_on=D(2026, 5, 1),
        due_on=DUE,
    )


@pytest.fixture
def report(recheck, honour):  # type: ignore[no-untyped-def]
    """The market bureau's report."""
    return recheck.reports.get(honour=honour)


@pytest.fixture
def court_report(recheck, court_honour):  # type: ignore[no-untyped-def]
    return recheck.reports.get(honour=court_honour)


def submit(report: Any, user: Any, score: str = "88.5", **kwargs: Any) -> Any:
    from decimal import Decimal

    from wenming.rechecks import services

    return services.report_submit(
        report=report,
        user=user,
        report_text=kwargs.pop("report_text", "本年度创建工作扎实推进。"),
        self_score=Decimal(score),
        **kwargs,
    )

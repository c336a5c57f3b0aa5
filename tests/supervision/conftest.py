"""Supervision fixtures: 临州市文明办 keeps the market bureau (`demo["unit"]`) and the court
(`demo["court"]`) in its registry (`registered`), files on a private disk, and `fixed_today`
(2026-06-15).

The personas come from tests/conftest.py: `office_admin` (临州市文明办) acts for the office;
the market bureau's `coordinator` (创建办) answers for its unit; `leader`, `inspector`,
`observer` read their unit's side; `staff` and `dept_head` (a department) reach nothing
here; `outsider_admin` is another city's office.
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


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


def travel(day: datetime.date, hour: int = 10) -> Any:
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture
def fixed_today() -> Iterator[None]:
    """Today is 2026-06-15 (the modules that need it: `pytestmark = usefixtures(...)`)."""
    with travel(TODAY):
        yield


def pdf_upload(name: str = "整改报告.pdf") -> Any:
    return upload(name, pdf(), "application/pdf")


def docx_upload(name: str = "信息.docx") -> Any:
    return upload(name, docx("创建工作信息"))


def photo_upload(name: str = "现场.jpg") -> Any:
    return upload(name, jpeg(), "image/jpeg")


@pytest.fixture
def registered(demo, office_admin):  # type: ignore[no-untyped-def]
    """The market bureau and the court in 临州市文明办's registry: the units it supervises."""
    from wenming.registry import services

    return [
        services.entry_register(office=demo["office"], user=office_admin, unit=unit, area="市直")
        for unit in (demo["unit"], demo["court"])
    ]

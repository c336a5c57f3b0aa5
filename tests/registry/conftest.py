"""Registry fixtures: the market bureau (临州市市场监督管理局) in 临州市文明办's registry with
a 市级文明单位 named 2023, files on a private disk, and `fixed_today` (2026-06-15).

The personas come from tests/conftest.py: `office_admin` (周建华, 临州市文明办) manages the
registry; the unit's `coordinator` and `leader` read their own entry; `outsider_admin` is the
admin of another city's office.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from tests.ledger.conftest import docx, jpeg, upload
from tests.ledger.samples import pdf

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def fixed_today():  # type: ignore[no-untyped-def]
    """Today is 2026-06-15 (the modules that need it: `pytestmark = usefixtures(...)`)."""
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def pdf_upload(name: str = "决定.pdf") -> Any:
    return upload(name, pdf(), "application/pdf")


def docx_upload(name: str = "决定.docx") -> Any:
    return upload(name, docx("关于命名文明单位的决定"))


def photo_upload(name: str = "扫描件.jpg") -> Any:
    return upload(name, jpeg(), "image/jpeg")


@pytest.fixture
def entry(demo, office_admin):  # type: ignore[no-untyped-def]
    from wenming.registry import services

    return services.entry_register(
        office=demo["office"],
        user=office_admin,
        unit=demo["unit"],
        sector="市场监管",
        area="市直",
        staff_count=420,
        info_admin_name="李文静",
        info_admin_phone="0576-88900123",
    )


@pytest.fixture
def honour(entry, office_admin):  # type: ignore[no-untyped-def]
    from wenming.registry import services

    return services.honour_add(
        entry=entry,
        user=office_admin,
        title="市级文明单位",
        level="city",
        year_named=2023,
        issuer=entry.office,
        status_on=datetime.date(2023, 12, 28),
        document_title="临文明委〔2023〕9号",
    )


@pytest.fixture
def court_entry(demo, office_admin):  # type: ignore[no-untyped-def]
    from wenming.registry import services

    return services.entry_register(office=demo["office"], user=office_admin, unit=demo["court"])

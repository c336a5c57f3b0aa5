"""Shared fixtures: the demo organization and named personas, one per role.

`demo` loads the same data `make run` shows. Personas: `office_admin` (临州市文明办),
`coordinator` (创建办 of 临州市市场监督管理局), `leader`, `dept_head` (食品安全监管科),
`staff` (same department), `other_dept_head` (登记注册科), `inspector`, `observer`,
and `outsider_admin`, the office admin of another city (云岭市文明办) with its own unit.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from wenming.orgs.demo import DEMO_PASSWORD, load_demo
from wenming.orgs.models import Membership, Organization, OrgKind, Role


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db) -> dict[str, Organization]:  # type: ignore[no-untyped-def]
    load_demo(with_campaign=False)
    other_office = Organization.objects.create(
        kind=OrgKind.OFFICE, name="云岭市文明办", code="YL-WMB"
    )
    other_unit = Organization.objects.create(
        kind=OrgKind.UNIT, parent=other_office, name="云岭市税务局", code="YL-SW"
    )
    Organization.objects.create(kind=OrgKind.DEPARTMENT, parent=other_unit, name="纳税服务科")
    outsider = User.objects.create_user("yl_admin", password=DEMO_PASSWORD, first_name="黄磊")
    Membership.objects.create(user=outsider, organization=other_office, role=Role.OFFICE_ADMIN)
    return {
        "office": Organization.objects.get(code="LZ-WMB"),
        "unit": Organization.objects.get(code="LZ-SCJG"),
        "court": Organization.objects.get(code="LZ-ZY"),
        "food": Organization.objects.get(name="食品安全监管科"),
        "registry": Organization.objects.get(name="登记注册科"),
        "other_office": other_office,
        "other_unit": other_unit,
    }


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def office_admin(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("wmb_admin")


@pytest.fixture
def coordinator(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("cjb")


@pytest.fixture
def leader(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("lingdao")


@pytest.fixture
def dept_head(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("keshi")


@pytest.fixture
def staff(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("jingban")


@pytest.fixture
def other_dept_head(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("keshi2")


@pytest.fixture
def inspector(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("ducha")


@pytest.fixture
def observer(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("guancha")


@pytest.fixture
def outsider_admin(demo) -> User:  # type: ignore[no-untyped-def]
    return _user("yl_admin")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():  # type: ignore[no-untyped-def]
    """`as_user(user)` gives a test client logged in as that user."""
    return client_for


@pytest.fixture
def campaign(demo, coordinator):  # type: ignore[no-untyped-def]
    """An active 2026–2028 campaign of 临州市市场监督管理局 on the office's published sample,
    with the four phases. Built with the ORM so every app's tests can use it."""
    from tests.factories import make_campaign

    return make_campaign(unit=demo["unit"], office=demo["office"], created_by=coordinator)


@pytest.fixture
def soffice_required() -> None:
    """Reading .xls/.doc/.et goes through LibreOffice; `make test` installs it
    (scripts/ensure_system.sh), so its absence is a failure, not a skip."""
    import shutil

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.fail("读取 .xls/.doc 需要 LibreOffice（soffice）：请运行 scripts/ensure_system.sh")

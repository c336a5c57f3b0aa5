"""The office's queues on the home page: 申报 and 复查 waiting, and its registry at a glance.

Today is 2026-05-20 (tests/dashboards/conftest.py). 临州市文明办 has an open batch with
applications at every step, a 2026 复查 due 30 June (not yet missed) and a 2025 复查 still
open and past its deadline; another city's batch and 复查 count nowhere.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import client_for
from wenming.applications.models import Application, ApplicationStatus, Batch
from wenming.dashboards import office_home
from wenming.orgs.models import Organization, OrgKind
from wenming.rechecks.models import Recheck, RecheckReport, ReportStatus
from wenming.registry.models import Honour, HonourStatus, RegistryEntry

D = datetime.date
S = ApplicationStatus


def _entry(office: Organization, name: str, status: str = HonourStatus.NAMED) -> RegistryEntry:
    unit = Organization.objects.create(kind=OrgKind.UNIT, parent=office, name=name)
    entry = RegistryEntry.objects.create(office=office, unit=unit)
    Honour.objects.create(
        entry=entry,
        title="市级文明单位",
        level="city",
        issuer=office,
        year_named=2023,
        status=status,
        status_on=D(2023, 12, 1),
    )
    return entry


def _batch(office: Organization) -> Batch:
    return Batch.objects.create(
        office=office,
        year=2026,
        title="2026年度市级文明单位申报",
        honour_title="市级文明单位",
        level="city",
        opens_on=D(2026, 3, 1),
        closes_on=D(2026, 4, 30),
        quota=10,
    )


def _apply(batch: Batch, entry: RegistryEntry, status: str, ends: D | None = None) -> None:
    Application.objects.create(
        batch=batch,
        entry=entry,
        unit=entry.unit,
        status=status,
        principal_name="王明",
        contact_name="李华",
        contact_phone="0576-88000000",
        staff_count=100,
        summary="创建工作总结",
        publicity_ends_on=ends,
    )


def _recheck(office: Organization, year: int, due: D) -> Recheck:
    return Recheck.objects.create(
        office=office, year=year, title=f"{year}年度复查", opens_on=D(year, 3, 1), due_on=due
    )


def _report(recheck: Recheck, entry: RegistryEntry, status: str) -> None:
    honour = entry.honours.get()
    RecheckReport.objects.create(recheck=recheck, honour=honour, entry=entry, status=status)


@pytest.fixture
def office_data(demo) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    office = demo["office"]
    entries = [_entry(office, f"测试单位{i}") for i in range(9)]
    _entry(office, "整改单位", HonourStatus.RECTIFY)
    _entry(office, "黄牌单位一", HonourStatus.WARNED)
    _entry(office, "黄牌单位二", HonourStatus.WARNED)
    _entry(office, "摘牌单位", HonourStatus.REVOKED)
    batch = _batch(office)
    steps = [
        (S.SUBMITTED, None),
        (S.SUBMITTED, None),
        (S.ACCEPTED, None),
        (S.ASSESSED, None),
        (S.PUBLICIZED, D(2026, 5, 25)),
        (S.PUBLICIZED, D(2026, 5, 10)),
        (S.CONSULTED, None),
        (S.NAMED, None),
        (S.REJECTED, None),
    ]
    for entry, (status, ends) in zip(entries, steps, strict=True):
        _apply(batch, entry, status, ends)
    this_year = _recheck(office, 2026, D(2026, 6, 30))
    last_year = _recheck(office, 2025, D(2025, 6, 30))
    for entry in entries[:3]:
        _report(this_year, entry, ReportStatus.PENDING)
    _report(this_year, entries[3], ReportStatus.SUBMITTED)
    _report(this_year, entries[4], ReportStatus.DECIDED)
    for entry in entries[5:7]:
        _report(last_year, entry, ReportStatus.PENDING)
    # Another city: counts nowhere for 临州市文明办.
    other = _entry(demo["other_office"], "云岭单位")
    _apply(_batch(demo["other_office"]), other, S.SUBMITTED)
    _report(_recheck(demo["other_office"], 2026, D(2026, 4, 1)), other, ReportStatus.PENDING)
    return {"office": office, "batch": batch}


def _counts(queues: list[office_home.Queue]) -> dict[str, int]:
    return {q.key: q.count for q in queues}


def test_office_admin_sees_the_queues_with_the_right_counts(office_data, office_admin):
    card = office_home.office_queues_card(office_admin)
    assert card is not None
    assert _counts(card.applications) == {
        "to_check": 2,
        "to_assess": 1,
        "to_consult": 1,
        "in_publicity": 1,
        "to_name": 2,
    }
    assert _counts(card.rechecks) == {"due": 3, "missed": 2, "to_review": 1}
    assert _counts(card.registry) == {"units": 13, "held": 12, "rectify": 1, "warned": 2}


def test_each_count_links_to_its_filtered_list(office_data, office_admin):
    html = client_for(office_admin).get(reverse("home")).content.decode().replace("&amp;", "&")
    assert 'data-card="office_queues"' in html
    assert "申报" in html and "复查" in html
    applications = reverse("applications:index")
    rechecks = reverse("rechecks:index")
    registry = reverse("registry:index")
    for link in (
        f"{applications}?status=submitted",
        f"{applications}?status=accepted",
        f"{applications}?status=assessed",
        f"{applications}?status=publicized",
        f"{applications}?status=to_name",
        f"{rechecks}?status=pending",
        f"{rechecks}?status=missed",
        f"{rechecks}?status=submitted",
        f"{registry}?status=rectify",
        f"{registry}?status=warned",
        reverse("orgs:calendar"),
    ):
        assert f'href="{link}"' in html, link
    # The unit's internal queues and the empty to-do card mean nothing to an office.
    from wenming.ledger.cards import workbench_card

    assert workbench_card(office_admin)["waiting"] is None
    assert "台账审核" not in html
    assert "目前没有需要您处理的台账或督查问题" not in html


def test_unit_people_do_not_see_it(office_data, coordinator, staff):
    assert office_home.office_queues_card(coordinator) is None
    assert office_home.office_queues_card(staff) is None
    html = client_for(coordinator).get(reverse("home")).content.decode()
    assert 'data-card="office_queues"' not in html


def test_office_observer_reads_the_registry_but_has_no_queues(office_data):
    from django.contrib.auth.models import User

    from wenming.orgs.models import Membership, Role

    observer = User.objects.create_user("wmb_observer")
    Membership.objects.create(user=observer, organization=office_data["office"], role=Role.OBSERVER)
    card = office_home.office_queues_card(observer)
    assert card is not None
    assert card.applications == [] and card.rechecks == []
    assert _counts(card.registry)["units"] == 13


def test_another_city_sees_only_its_own(office_data, demo):
    outsider = demo["other_office"].memberships.get().user
    card = office_home.office_queues_card(outsider)
    assert card is not None
    assert _counts(card.applications)["to_check"] == 1
    assert _counts(card.rechecks) == {"due": 0, "missed": 1, "to_review": 0}
    assert _counts(card.registry)["units"] == 1


def test_query_count_does_not_grow(office_data, office_admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office_home.office_queues_card(office_admin)  # fills nothing: a fresh user below
    user = type(office_admin).objects.get(pk=office_admin.pk)
    with CaptureQueriesContext(connection) as small:
        office_home.office_queues_card(user)
    office = office_data["office"]
    batch = office_data["batch"]
    for i in range(30):
        entry = _entry(office, f"加量单位{i}")
        _apply(batch, entry, S.SUBMITTED)
    user = type(office_admin).objects.get(pk=office_admin.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        card = office_home.office_queues_card(user)
    assert card is not None and _counts(card.applications)["to_check"] == 32
    # The scope, one aggregate each for 申报, 复查 and the registry, and the supervision
    # tiles (dispatched problems, the month due and who is missing it, priorities).
    assert len(small.captured_queries) <= 9

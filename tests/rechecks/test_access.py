"""Who reaches a 复查 and its reports (wenming.rechecks.access)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.rechecks.conftest import DUE, D
from wenming.orgs.models import Membership, Organization, OrgKind, Role
from wenming.rechecks import access, services
from wenming.registry import services as registry

pytestmark = pytest.mark.usefixtures("fixed_today")


def test_the_offices_people_read_and_only_its_admin_acts(recheck, report, office_admin, inspector):
    assert access.get_recheck_for_user(office_admin, recheck.pk, write=True) == recheck
    assert access.get_report_for_user(office_admin, report.pk, write=True) == report
    assert access.managed_rechecks(office_admin).count() == 1


def test_the_units_people_read_their_report_and_only_its_coordinator_files(
    report, court_report, coordinator, leader, inspector, observer, office_admin
):
    for user in (coordinator, leader, inspector, observer):
        assert access.get_report_for_user(user, report.pk) == report
        with pytest.raises(Http404):
            access.get_report_for_user(user, court_report.pk)
        with pytest.raises(PermissionDenied):
            access.get_report_for_user(user, report.pk, write=True)
        assert list(access.visible_rechecks(user)) == []
    assert access.get_report_for_holder(coordinator, report.pk) == report
    for user in (leader, office_admin):
        with pytest.raises(PermissionDenied):
            access.get_report_for_holder(user, report.pk)


def test_department_people_reach_nothing(recheck, report, staff, dept_head):
    for user in (staff, dept_head):
        assert not access.visible_reports(user).exists()
        assert not access.visible_rechecks(user).exists()
        with pytest.raises(Http404):
            access.get_report_for_user(user, report.pk)


def test_another_citys_admin_is_told_nothing(recheck, report, outsider_admin):
    with pytest.raises(Http404):
        access.get_recheck_for_user(outsider_admin, recheck.pk)
    with pytest.raises(Http404):
        access.get_report_for_user(outsider_admin, report.pk)
    assert not access.visible_reports(outsider_admin).exists()


def test_an_office_above_reads_and_manages_a_lower_offices_recheck(
    demo, office_admin, django_user_model
):
    district = Organization.objects.create(
        kind=OrgKind.OFFICE, parent=demo["office"], name="临海区文明办"
    )
    unit = Organization.objects.create(kind=OrgKind.UNIT, parent=district, name="临海区税务局")
    entry = registry.entry_register(office=district, user=office_admin, unit=unit)
    registry.honour_add(
        entry=entry,
        user=office_admin,
        title="区级文明单位",
        level="county",
        year_named=2024,
        issuer=district,
    )
    recheck = services.recheck_open(
        office=district,
        user=office_admin,
        year=2026,
        title="临海区2026年度复查",
        opens_on=D(2026, 5, 1),
        due_on=DUE,
    )
    district_admin = django_user_model.objects.create_user("lh_admin")
    Membership.objects.create(user=district_admin, organization=district, role=Role.OFFICE_ADMIN)
    assert access.can_manage_recheck(office_admin, recheck)
    assert access.can_manage_recheck(district_admin, recheck)
    registry.honour_add(
        entry=entry,
        user=office_admin,
        title="市级文明单位",
        level="city",
        year_named=2024,
        issuer=demo["office"],
    )
    city = services.recheck_open(
        office=demo["office"],
        user=office_admin,
        year=2026,
        title="市2026年度复查",
        opens_on=D(2026, 5, 1),
        due_on=DUE,
    )
    with pytest.raises(Http404):
        access.get_recheck_for_user(district_admin, city.pk)

"""Who sees and who acts on batches and applications."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.applications.conftest import BATCH, FORM

pytestmark = pytest.mark.django_db


def test_office_admins_manage_batches_of_their_office_and_below(demo, batch, office_admin):
    from wenming.applications import access

    assert access.can_manage_batch(office_admin, batch)
    assert access.manages_any_batch(office_admin)
    codes = list(access.managed_offices(office_admin).values_list("code", flat=True))
    assert codes == ["LZ-WMB", "LZ-JB-WMB"]
    assert access.get_batch_for_user(office_admin, batch.pk, write=True) == batch


def test_an_office_admin_of_another_office_gets_404(batch, application, outsider_admin, demo):
    from wenming.applications import access

    assert not access.visible_batches(outsider_admin).exists()
    assert not access.visible_applications(outsider_admin).exists()
    for getter, pk in (
        (access.get_batch_for_user, batch.pk),
        (access.get_application_for_user, application.pk),
    ):
        with pytest.raises(Http404):
            getter(outsider_admin, pk)
        with pytest.raises(Http404):
            getter(outsider_admin, pk, write=True)


def test_a_lower_office_does_not_see_the_city_batch(demo, batch, application):
    from wenming.applications import access
    from wenming.orgs.models import Membership, Organization, Role

    lower = Organization.objects.get(code="LZ-JB-WMB")
    admin = User.objects.create_user("jb_admin")
    Membership.objects.create(user=admin, organization=lower, role=Role.OFFICE_ADMIN)
    with pytest.raises(Http404):
        access.get_batch_for_user(admin, batch.pk)
    with pytest.raises(Http404):
        access.get_application_for_user(admin, application.pk)


def test_an_office_reader_reads_but_does_not_decide(demo, batch, application):
    from wenming.applications import access
    from wenming.orgs.models import Membership, Role

    reader = User.objects.create_user("wmb_ducha")
    Membership.objects.create(user=reader, organization=demo["office"], role=Role.INSPECTOR)
    assert access.get_application_for_user(reader, application.pk) == application
    assert access.reads_as_office(reader, batch)
    with pytest.raises(PermissionDenied):
        access.get_application_for_user(reader, application.pk, write=True)
    with pytest.raises(PermissionDenied):
        access.get_batch_for_user(reader, batch.pk, write=True)


def test_a_unit_sees_the_batches_above_it_and_only_its_own_applications(
    batch, application, court_application, coordinator, leader, demo, outsider_admin
):
    from wenming.applications import access, services

    other = services.batch_create(
        office=demo["other_office"], user=outsider_admin, rules=[], **BATCH
    )
    for user in (coordinator, leader):
        assert list(access.visible_batches(user)) == [batch]
        assert list(access.visible_applications(user)) == [application]
        assert access.get_application_for_user(user, application.pk) == application
        assert not access.reads_as_office(user, batch)
        with pytest.raises(Http404):
            access.get_application_for_user(user, court_application.pk)
        with pytest.raises(Http404):
            access.get_batch_for_user(user, other.pk)
        with pytest.raises(PermissionDenied):
            access.get_application_for_user(user, application.pk, write=True)
        with pytest.raises(PermissionDenied):
            access.get_batch_for_user(user, batch.pk, write=True)


def test_only_the_unit_coordinator_applies_and_withdraws(
    application, coordinator, leader, office_admin, demo
):
    from wenming.applications import access

    assert access.applicant_units(coordinator) == [demo["unit"]]
    assert access.can_apply_for(coordinator, demo["unit"])
    assert not access.can_apply_for(coordinator, demo["court"])
    assert access.applicant_units(leader) == []
    assert access.applicant_units(office_admin) == []
    assert access.get_application_for_applicant(coordinator, application.pk) == application
    with pytest.raises(PermissionDenied):
        access.get_application_for_applicant(leader, application.pk)
    with pytest.raises(PermissionDenied):
        access.get_application_for_applicant(office_admin, application.pk)


@pytest.mark.parametrize("persona", ["dept_head", "staff", "other_dept_head"])
def test_department_staff_see_nothing(batch, application, persona, request):
    from wenming.applications import access

    user = request.getfixturevalue(persona)
    assert not access.visible_batches(user).exists()
    assert not access.visible_applications(user).exists()
    assert access.applicant_units(user) == []
    with pytest.raises(Http404):
        access.get_batch_for_user(user, batch.pk)
    with pytest.raises(Http404):
        access.get_application_for_user(user, application.pk)


def test_a_removed_batch_is_gone_for_everyone(batch, office_admin, coordinator):
    from wenming.applications import access, services

    services.batch_remove(batch=batch, user=office_admin)
    for user in (office_admin, coordinator):
        with pytest.raises(Http404):
            access.get_batch_for_user(user, batch.pk)


def test_a_frozen_file_is_read_by_whoever_reads_its_application(
    batch, entry, demo, coordinator, make_item, office_admin, outsider_admin, staff
):
    from wenming.applications import access, services
    from wenming.applications.models import SnapshotFile

    make_item()
    services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    frozen = SnapshotFile.objects.first()
    assert frozen is not None
    for user in (coordinator, office_admin):
        assert access.get_snapshot_file_for_user(user, frozen.pk) == frozen
    for user in (outsider_admin, staff):
        with pytest.raises(Http404):
            access.get_snapshot_file_for_user(user, frozen.pk)


def test_superusers_manage_every_batch(batch, demo):
    from wenming.applications import access

    root = User.objects.create_superuser("root", password="x")
    assert access.can_manage_batch(root, batch)
    assert list(access.visible_batches(root)) == [batch]
    assert access.applicant_units(root) == []

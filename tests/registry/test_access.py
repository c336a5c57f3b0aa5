"""Who reads and who changes the registry."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from wenming.orgs.models import Membership, Organization, Role
from wenming.registry import access, services

pytestmark = pytest.mark.usefixtures("fixed_today")


def test_office_admins_manage_their_office_and_those_below(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    codes = list(access.registry_offices(office_admin).values_list("code", flat=True))
    assert codes == ["LZ-WMB", "LZ-JB-WMB"]
    assert access.can_manage_registry(office_admin, demo["office"])
    assert not access.can_manage_registry(office_admin, demo["other_office"])
    assert not access.can_manage_registry(office_admin, demo["office"].parent)


@pytest.mark.parametrize("persona", ["coordinator", "leader", "dept_head", "staff", "inspector"])
def test_unit_people_manage_no_registry(demo, persona, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)
    assert not access.registry_offices(user).exists()
    assert not access.can_manage_registry(user, demo["office"])


def test_superusers_manage_every_registry(demo) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser("root", password="x")
    assert access.can_manage_registry(root, demo["other_office"])
    assert (
        access.registry_offices(root).count() == Organization.objects.filter(kind="office").count()
    )


def test_the_office_sees_its_entries_a_unit_only_its_own(  # type: ignore[no-untyped-def]
    entry, court_entry, office_admin, coordinator, leader, outsider_admin
) -> None:
    assert set(access.visible_entries(office_admin)) == {entry, court_entry}
    for user in (coordinator, leader):
        assert list(access.visible_entries(user)) == [entry]
        assert access.get_entry_for_user(user, entry.pk) == entry
        with pytest.raises(Http404):
            access.get_entry_for_user(user, court_entry.pk)
        with pytest.raises(PermissionDenied):
            access.get_entry_for_user(user, entry.pk, write=True)
    with pytest.raises(Http404):
        access.get_entry_for_user(outsider_admin, entry.pk)


@pytest.mark.parametrize("persona", ["dept_head", "staff", "outsider_admin"])
def test_departments_and_other_cities_do_not_reach_the_registry(  # type: ignore[no-untyped-def]
    honour, entry, persona, request
) -> None:
    user = request.getfixturevalue(persona)
    event = services.negative_event_record(
        entry=entry, user=None, what="x", occurred_on=entry.created_at.date(), source="other"
    )
    for getter, pk in (
        (access.get_entry_for_user, entry.pk),
        (access.get_honour_for_user, honour.pk),
        (access.get_negative_event_for_user, event.pk),
    ):
        with pytest.raises(Http404):
            getter(user, pk, write=True)


def test_office_inspectors_read_but_do_not_change(demo, entry, honour) -> None:  # type: ignore[no-untyped-def]
    reader = User.objects.create_user("wmb_ducha")
    Membership.objects.create(user=reader, organization=demo["office"], role=Role.INSPECTOR)
    assert access.get_honour_for_user(reader, honour.pk) == honour
    assert access.is_office_person(reader) and not access.manages_any_registry(reader)
    with pytest.raises(PermissionDenied):
        access.get_honour_for_user(reader, honour.pk, write=True)


def test_a_lower_office_does_not_see_the_city_registry(demo, entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    county = Organization.objects.get(code="LZ-JB-WMB")
    county_admin = User.objects.create_user("jb_admin")
    Membership.objects.create(user=county_admin, organization=county, role=Role.OFFICE_ADMIN)
    with pytest.raises(Http404):
        access.get_entry_for_user(county_admin, entry.pk)
    below = services.entry_register(office=county, user=county_admin, unit_name="江北区实验小学")
    assert access.get_entry_for_user(county_admin, below.pk, write=True) == below
    # The city office reads and manages the county's registry too.
    assert access.get_entry_for_user(office_admin, below.pk, write=True) == below


def test_decision_documents_follow_their_entry(  # type: ignore[no-untyped-def]
    entry, court_entry, office_admin, coordinator, dept_head
) -> None:
    from tests.registry.conftest import pdf_upload

    mine = services.store_decision_file(unit=entry.unit, user=office_admin, upload=pdf_upload())
    theirs = services.store_decision_file(
        unit=court_entry.unit, user=office_admin, upload=pdf_upload()
    )
    assert access.get_decision_file_for_user(office_admin, theirs.pk) == theirs
    assert access.get_decision_file_for_user(coordinator, mine.pk) == mine
    for user, pk in ((coordinator, theirs.pk), (dept_head, mine.pk)):
        with pytest.raises(Http404):
            access.get_decision_file_for_user(user, pk)

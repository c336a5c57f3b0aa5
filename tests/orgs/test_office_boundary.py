"""The office's boundary at the core: the office admin manages organizations and people below
the office, but a unit's own work only its 创建办 changes (`Scope.work_paths`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.orgs import access as org_access

pytestmark = pytest.mark.django_db


def test_work_paths_come_from_the_units_own_coordinator(demo, office_admin, coordinator, leader):
    office = org_access.scope_for(office_admin)
    unit = demo["unit"]
    assert office.can_manage_path(unit.path)
    assert office.work_paths == ()
    assert not office.can_manage_work(unit.path)
    assert office.reads_work_only(unit.path)

    cjb = org_access.scope_for(coordinator)
    assert cjb.work_paths == (unit.path,)
    assert cjb.can_manage_work(unit.path) and cjb.can_manage_work(demo["food"].path)
    assert not cjb.can_manage_work(demo["court"].path)
    assert not cjb.reads_work_only(unit.path)

    assert not org_access.scope_for(leader).can_manage_work(unit.path)
    assert not org_access.scope_for(leader).reads_work_only(unit.path)


def test_refusal_tells_the_office_it_reads_only(demo, office_admin, leader):
    refused = org_access.work_refusal(office_admin, demo["unit"], "只有本单位创建办可以修改。")
    assert isinstance(refused, PermissionDenied)
    assert str(refused) == org_access.OFFICE_READS_ONLY
    other = org_access.work_refusal(leader, demo["unit"], "只有本单位创建办可以修改。")
    assert str(other) == "只有本单位创建办可以修改。"


def test_office_admin_still_creates_units_and_people(demo, office_admin, as_user):
    client = as_user(office_admin)
    assert client.get(reverse("orgs:create_child", args=[demo["office"].pk])).status_code == 200
    assert client.get(reverse("orgs:add_person", args=[demo["unit"].pk])).status_code == 200
    assert client.get(reverse("orgs:edit", args=[demo["unit"].pk])).status_code == 200
    nav = org_access.describe(office_admin)
    assert nav["can_manage"] and not nav["can_manage_work"]

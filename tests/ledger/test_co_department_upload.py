"""A co-operating department (配合部门) files proof to the task it co-operates on, under its own
name; nobody sees more of another department's ledger than before."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.ledger.conftest import ITEM_FIELDS, jpeg
from wenming.ledger import access
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_task(ledger_task, demo):  # type: ignore[no-untyped-def]
    """食品安全监管科 leads it; 登记注册科 (`other_dept_head`) co-operates."""
    ledger_task.co_departments.set([demo["registry"]])
    return ledger_task


def photo(pattern: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "窗口现场.jpg",
        jpeg(pattern=pattern, taken=datetime.datetime(2026, 3, 20, 15, 0)),
        content_type="image/jpeg",
    )


def screen_form(task: Any, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **{k: ("" if v is None else v) for k, v in ITEM_FIELDS.items()},
        "activity_date": "2026-03-20",
        "standards": [s.pk for s in task.standards.all()],
        "files": [photo()],
    }
    data.update(extra)
    return data


def bearer(user: Any) -> Any:
    from django.test import Client

    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_co_department_uploads_through_the_screen(co_task, demo, other_dept_head, as_user):  # type: ignore[no-untyped-def]
    client = as_user(other_dept_head)
    dossier = client.get(reverse("ledger:dossier", args=[co_task.pk])).content.decode()
    assert reverse("ledger:new", args=[co_task.pk]) in dossier  # the upload button
    page = client.get(reverse("ledger:new", args=[co_task.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "配合部门" in html and "登记注册科" in html and "食品安全监管科</option>" not in html
    response = client.post(
        reverse("ledger:new", args=[co_task.pk]),
        screen_form(co_task, department=demo["registry"].pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = EvidenceItem.objects.get()
    assert item.task == co_task and item.department == demo["registry"]
    # Filing in the lead's name is refused: the choice is not offered.
    response = client.post(
        reverse("ledger:new", args=[co_task.pk]),
        screen_form(co_task, department=demo["food"].pk, files=[photo(1)]),
    )
    assert response.status_code == 400
    assert EvidenceItem.objects.count() == 1


def test_a_co_department_uploads_through_the_api(campaign, co_task, demo, other_dept_head):  # type: ignore[no-untyped-def]
    data = {
        "campaign": campaign.pk,
        "task": co_task.pk,
        "title": "窗口配合情况",
        "activity_date": "2026-03-20",
        "files": [photo()],
    }
    response = bearer(other_dept_head).post("/api/v1/evidence", data)
    assert response.status_code == 201, response.content
    assert response.json()["department_name"] == "登记注册科"  # its own name, not the lead's
    response = bearer(other_dept_head).post(
        "/api/v1/evidence", {**data, "department": demo["food"].pk, "files": [photo(1)]}
    )
    assert response.status_code == 422
    assert "department" in response.json()["errors"]
    assert EvidenceItem.objects.count() == 1


def test_a_department_that_does_not_co_operate_is_refused(campaign, co_task, demo, as_user):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from wenming.orgs.models import Membership, Organization, Role

    office = Organization.objects.get(name="办公室", parent=demo["unit"])
    clerk = User.objects.create_user("bgs", first_name="吴涛")
    Membership.objects.create(user=clerk, organization=office, role=Role.STAFF)
    assert as_user(clerk).get(reverse("ledger:new", args=[co_task.pk])).status_code == 403
    response = bearer(clerk).post(
        "/api/v1/evidence",
        {"campaign": campaign.pk, "task": co_task.pk, "title": "x", "files": [photo()]},
    )
    assert response.status_code == 403
    assert "配合部门" in response.json()["detail"]


def test_nobody_sees_more_than_before(co_task, other_task, make_item, demo, staff, other_dept_head):  # type: ignore[no-untyped-def]
    # 登记注册科's proof on the task it co-operates on, and on its own task.
    cooperated = make_item(user=other_dept_head, department=demo["registry"])
    own = make_item(task=other_task, user=other_dept_head, department=demo["registry"])
    leads = make_item(user=staff)
    # The lead sees its task's dossier, the co-operating part included, not 登记注册科's own.
    seen_by_lead = set(access.visible_evidence(staff).values_list("pk", flat=True))
    assert seen_by_lead == {cooperated.pk, leads.pk}
    # The co-operating department sees what it filed, not the lead's proof.
    seen_by_co = set(access.visible_evidence(other_dept_head).values_list("pk", flat=True))
    assert seen_by_co == {cooperated.pk, own.pk}
    assert access.can_edit_evidence(other_dept_head, cooperated)
    assert not access.can_edit_evidence(other_dept_head, leads)

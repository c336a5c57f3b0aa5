"""The organization models in the back office: listed, searchable, never deleted there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

MODELS = ["organization", "membership", "leadinggroupmember", "workinggroup", "apitoken"]


@pytest.fixture
def admin_client_(demo, as_user):  # type: ignore[no-untyped-def]
    return as_user(User.objects.create_superuser("root", password="Root-pass-2026"))


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_search_load(admin_client_, model):
    url = reverse(f"admin:orgs_{model}_changelist")
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.get(url, {"q": "临州"}).status_code == 200


def test_org_change_page_and_no_delete(admin_client_, demo):
    unit = demo["unit"]
    response = admin_client_.get(reverse("admin:orgs_organization_change", args=[unit.pk]))
    assert response.status_code == 200
    delete = admin_client_.get(reverse("admin:orgs_organization_delete", args=[unit.pk]))
    assert delete.status_code == 403

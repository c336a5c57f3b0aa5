"""Download addresses the API hands out answer a Bearer token as the API does.

Evidence files and binders are tried in tests/ledger/test_api.py; here the token decorator
itself and a problem's file (督查整改), whose address the oversight API gives.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import reverse

from wenming.orgs.models import ApiToken
from wenming.orgs.tokens import bearer_token, token_or_login_required

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _problem_file(campaign, demo, coordinator):  # type: ignore[no-untyped-def]
    from wenming.oversight.models import Problem, ProblemFile

    problem = Problem.objects.create(
        campaign=campaign,
        unit=demo["unit"],
        year=2026,
        sequence=1,
        description="楼道堆放杂物",
        department=demo["food"],
        deadline=datetime.date(2026, 12, 31),
        created_by=coordinator,
    )
    f = ProblemFile(
        problem=problem,
        purpose="problem",
        unit=demo["unit"],
        year=2026,
        original_name="楼道.jpg",
        kind="photo",
        content_type="image/jpeg",
        extension="jpg",
        size=4,
        sha256="0" * 64,
    )
    f.file.save("x.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=False)
    f.save()
    return f


def test_a_problem_file_with_a_token_and_without(campaign, demo, coordinator, outsider_admin):  # type: ignore[no-untyped-def]
    f = _problem_file(campaign, demo, coordinator)
    url = reverse("oversight:file", args=[f.pk])
    _, raw = ApiToken.issue(coordinator)
    response = bearer(raw).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xd9"  # type: ignore[attr-defined]
    # Without a token, or with one that is not valid, it is the login page as before.
    assert Client().get(url).status_code == 302
    assert bearer("wm_nope_nope").get(url).status_code == 302
    # A token stands for its user: another city's admin is told nothing.
    _, other = ApiToken.issue(outsider_admin)
    assert bearer(other).get(url).status_code == 404


def test_a_revoked_token_is_not_a_login(coordinator) -> None:  # type: ignore[no-untyped-def]
    token, raw = ApiToken.issue(coordinator)
    token.revoke()

    @token_or_login_required
    def view(request):  # type: ignore[no-untyped-def]
        raise AssertionError("reached the view")

    request = RequestFactory().get("/x", headers={"Authorization": f"Bearer {raw}"})
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert view(request).status_code == 302
    assert bearer_token(request) == raw
    assert bearer_token(RequestFactory().get("/x", headers={"Authorization": "Basic x"})) is None

"""The screens of the office's inspections and dispatched problems: recording an inspection,
dispatching with photos, the unit's answers, the office's verification, the lists with their
filters for each role (with bounded queries), downloads, and the refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.supervision.conftest import D, pdf_upload, photo_upload
from wenming.supervision import access, problems
from wenming.supervision.models import CityInspection, CityProblem, CityProblemStatus

pytestmark = pytest.mark.usefixtures("fixed_today")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def inspection(registered, demo, office_admin):  # type: ignore[no-untyped-def]
    return problems.inspection_create(
        office=demo["office"],
        user=office_admin,
        unit=demo["unit"],
        kind="open",
        inspected_on=D(2026, 6, 10),
        inspectors="张伟",
    )


@pytest.fixture
def problem(inspection, office_admin):  # type: ignore[no-untyped-def]
    return problems.problem_dispatch(
        inspection=inspection,
        user=office_admin,
        description="大厅公益广告破损",
        deadline=D(2026, 6, 30),
        uploads=[photo_upload()],
    )


def test_the_office_records_an_inspection_and_dispatches(registered, demo, office_admin):
    client = _client(office_admin)
    page = _page(client, reverse("supervision:inspection_new"))
    assert "临州市市场监督管理局" in page and "云岭市税务局" not in page
    data = {"kind": "covert", "inspected_on": "2026-06-12", "inspectors": "张伟"}
    response = client.post(
        reverse("supervision:inspection_new"), {**data, "unit": demo["other_unit"].pk}
    )
    assert (
        response.status_code == 400 and "请从列表中重新选择被督查单位" in response.content.decode()
    )
    response = client.post(reverse("supervision:inspection_new"), {**data, "unit": demo["unit"].pk})
    inspection = CityInspection.objects.get()
    assert response.status_code == 302 and inspection.office == demo["office"]
    url = reverse("supervision:inspection_dispatch", args=[inspection.pk])
    response = client.post(
        url, {"description": "灭火器过期", "deadline": "2026-06-01", "severity": "general"}
    )
    assert response.status_code == 400
    assert "整改时限不能早于督查日期" in response.content.decode()
    response = client.post(
        url,
        {
            "description": "灭火器过期",
            "deadline": "2026-06-30",
            "severity": "serious",
            "files": [photo_upload()],
        },
    )
    assert response.status_code == 302
    problem = CityProblem.objects.get()
    assert problem.number == "SD-2026-001" and problem.files.count() == 1
    page = _page(client, reverse("supervision:inspection", args=[inspection.pk]))
    assert "SD-2026-001" in page and "交办问题" in page


def test_the_unit_answers_and_the_office_verifies(problem, coordinator, office_admin, demo):
    unit = _client(coordinator)
    page = _page(unit, reverse("supervision:problem", args=[problem.pk]))
    assert "转入本单位整改" in page and "报送整改情况" in page and "验收通过" not in page
    response = unit.post(
        reverse("supervision:problem_assign", args=[problem.pk]), {"department": demo["food"].pk}
    )
    assert response.status_code == 400 and "没有进行中的创建工作" in response.content.decode()
    url = reverse("supervision:problem_submit", args=[problem.pk])
    assert unit.post(url, {"note": ""}).status_code == 400
    response = unit.post(url, {"note": "已更换", "files": [pdf_upload()]})
    assert response.status_code == 302
    office = _client(office_admin)
    page = _page(office, reverse("supervision:problem", args=[problem.pk]))
    assert "验收通过，销号" in page and "整改报告.pdf" in page
    proof = problem.files.get(purpose="rectification")
    assert unit.get(reverse("supervision:problem_file", args=[proof.pk])).status_code == 200
    response = office.post(reverse("supervision:problem_return", args=[problem.pk]), {})
    assert response.status_code == 400 and "请写明验收未通过的原因" in response.content.decode()
    response = office.post(reverse("supervision:problem_verify", args=[problem.pk]), {})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == CityProblemStatus.CLOSED
    response = office.post(reverse("supervision:problem_verify", args=[problem.pk]), {})
    assert response.status_code == 400 and "当前为“已销号”" in response.content.decode()


def test_assigned_problem_shows_the_unit_problem(problem, coordinator, demo, campaign):
    unit = _client(coordinator)
    response = unit.post(
        reverse("supervision:problem_assign", args=[problem.pk]),
        {"department": demo["food"].pk, "deadline": "2026-06-20"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    linked = problem.unit_problem
    page = _page(unit, reverse("supervision:problem", args=[problem.pk]))
    assert linked.number in page and reverse("oversight:problem", args=[linked.pk]) in page
    assert "本单位问题验收销号后，才能向文明办报送整改情况" in page
    response = unit.post(reverse("supervision:problem_submit", args=[problem.pk]), {"note": "好"})
    assert response.status_code == 400 and "请先在本单位督查整改中完成整改" in (
        response.content.decode()
    )


def test_the_office_withdraws(problem, office_admin):
    office = _client(office_admin)
    url = reverse("supervision:problem_remove", args=[problem.pk])
    assert office.post(url, {}).status_code == 400
    assert office.post(url, {"reason": "重复交办"}).status_code == 302
    assert office.get(reverse("supervision:problem", args=[problem.pk])).status_code == 404


def test_each_role_sees_what_it_may(problem, demo, office_admin, court_problem, persons):
    for user in persons["unit"]:
        page = _page(_client(user), reverse("supervision:problems"))
        assert problem.number in page and "临州市中级人民法院" not in page
        assert (
            _client(user).get(reverse("supervision:problem", args=[court_problem.pk])).status_code
            == 404
        )
        assert "张伟" in _page(_client(user), reverse("supervision:inspections"))
    for user in persons["department"]:
        for url in (
            reverse("supervision:problems"),
            reverse("supervision:problem", args=[problem.pk]),
            reverse("supervision:inspections"),
            reverse("supervision:inspection", args=[problem.inspection_id]),
        ):
            refused = _client(user).get(url)
            assert refused.status_code == 403 and access.READERS_ONLY in refused.content.decode()
    outsider = _client(persons["outsider"])
    assert problem.number not in _page(outsider, reverse("supervision:problems"))
    leader = _client(persons["unit"][1])
    page = _page(leader, reverse("supervision:problem", args=[problem.pk]))
    assert "转入本单位整改" not in page and "报送整改情况" not in page
    response = leader.post(reverse("supervision:problem_submit", args=[problem.pk]), {"note": "x"})
    assert response.status_code == 403


def test_the_office_list_filters(problem, court_problem, office_admin, demo):
    client = _client(office_admin)
    url = reverse("supervision:problems")
    page = _page(client, url, unit=demo["court"].pk)
    assert court_problem.number in page and f">{problem.number}<" not in page
    page = _page(client, url, status="overdue")
    assert court_problem.number in page and f">{problem.number}<" not in page
    page = _page(client, url, status="awaiting")
    assert "没有符合条件的交办问题" in page
    page = _page(client, reverse("supervision:inspections"), unit=demo["court"].pk)
    assert "临州市中级人民法院" in page


def test_pages_keep_a_bounded_number_of_queries(
    inspection, office_admin, coordinator, django_assert_max_num_queries
):
    for n in range(12):
        problems.problem_dispatch(
            inspection=inspection,
            user=office_admin,
            description=f"问题{n}",
            deadline=D(2026, 6, 12) if n % 2 else D(2026, 6, 30),
            uploads=[photo_upload()],
        )
    one = CityProblem.objects.first()
    assert one is not None
    problems.problem_submit(problem=one, user=coordinator, note="已整改")
    for user in (office_admin, coordinator):
        client = _client(user)
        for url in (
            reverse("supervision:problems"),
            reverse("supervision:inspections"),
            reverse("supervision:inspection", args=[inspection.pk]),
            reverse("supervision:problem", args=[one.pk]),
        ):
            with django_assert_max_num_queries(20):
                assert client.get(url).status_code == 200


@pytest.fixture
def court_problem(registered, demo, office_admin):  # type: ignore[no-untyped-def]
    inspection = problems.inspection_create(
        office=demo["office"],
        user=office_admin,
        unit=demo["court"],
        kind="covert",
        inspected_on=D(2026, 6, 1),
        inspectors="李娜",
    )
    return problems.problem_dispatch(
        inspection=inspection,
        user=office_admin,
        description="法院门口乱停车",
        deadline=D(2026, 6, 5),
    )


@pytest.fixture
def persons(coordinator, leader, inspector, observer, staff, dept_head, outsider_admin):  # type: ignore[no-untyped-def]
    return {
        "unit": [coordinator, leader, inspector, observer],
        "department": [staff, dept_head],
        "outsider": outsider_admin,
    }

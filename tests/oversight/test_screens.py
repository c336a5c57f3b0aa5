"""The oversight screens through the client: record, rectify, verify, the 挂账 ledger."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.oversight.conftest import photo
from wenming.oversight.models import Problem, ProblemStatus

pytestmark = pytest.mark.django_db


def test_inspector_records_an_inspection_then_a_problem_with_photos(
    as_user, inspector, campaign, demo
):
    client = as_user(inspector)
    page = client.get(reverse("oversight:inspection_new", args=[campaign.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("oversight:inspection_new", args=[campaign.pk]),
        {"kind": "unannounced", "title": "窗口暗访", "inspected_on": "2026-05-19"},
    )
    inspection = campaign.inspections.get()
    assert response.url == reverse("oversight:inspection", args=[inspection.pk])
    page = client.get(response.url)
    html = page.content.decode()
    assert 'accept="image/*" capture="environment" multiple' in html
    response = client.post(
        reverse("oversight:record", args=[inspection.pk]),
        {
            "description": "窗口人员玩手机",
            "department": demo["food"].pk,
            "deadline": "2026-05-26",
            "severity": "serious",
            "files": [photo("a.jpg", 1), photo("b.jpg", 2)],
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.files.count() == 2 and problem.inspection == inspection


def test_record_form_errors_are_chinese_and_keep_nothing(as_user, inspector, inspection):
    response = as_user(inspector).post(
        reverse("oversight:record", args=[inspection.pk]),
        {"description": "", "deadline": "2026-05-01", "severity": "general"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请描述发现的问题" in html and "请选择整改责任部门" in html
    assert not Problem.objects.exists()


def test_deadline_before_inspection_is_shown_on_the_form(as_user, inspector, inspection, demo):
    response = as_user(inspector).post(
        reverse("oversight:record", args=[inspection.pk]),
        {
            "description": "灭火器过期",
            "department": demo["food"].pk,
            "deadline": "2026-05-01",
            "severity": "general",
        },
    )
    assert response.status_code == 400
    assert "整改时限不能早于督查日期" in response.content.decode()


def test_department_head_submits_and_inspector_verifies(as_user, problem, dept_head, inspector):
    head = as_user(dept_head)
    page = head.get(reverse("oversight:problem", args=[problem.pk]))
    assert "提交整改材料" in page.content.decode()
    assert head.post(reverse("oversight:start", args=[problem.pk])).status_code == 302
    refused = head.post(reverse("oversight:submit", args=[problem.pk]), {"note": "已整改"})
    assert refused.status_code == 400
    assert "没有整改佐证材料，不能提交验收" in refused.content.decode()
    done = head.post(
        reverse("oversight:submit", args=[problem.pk]),
        {"note": "已整改", "files": [photo("after.jpg", 4)]},
    )
    assert done.status_code == 302
    # The department cannot verify its own problem: no button, and a 403 if tried.
    page = head.get(reverse("oversight:problem", args=[problem.pk])).content.decode()
    assert "验收通过，销号" not in page
    denied = head.post(reverse("oversight:verify", args=[problem.pk]))
    assert denied.status_code == 403
    assert "整改责任部门不能验收本部门的问题" in denied.content.decode()
    checker = as_user(inspector)
    assert (
        "验收通过，销号"
        in checker.get(reverse("oversight:problem", args=[problem.pk])).content.decode()
    )
    assert checker.post(reverse("oversight:verify", args=[problem.pk])).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED


def test_return_without_reason_is_refused_on_the_page(as_user, awaiting, inspector):
    response = as_user(inspector).post(reverse("oversight:return", args=[awaiting.pk]), {})
    assert response.status_code == 400
    assert "请写明验收未通过的原因" in response.content.decode()
    response = as_user(inspector).post(
        reverse("oversight:return", args=[awaiting.pk]), {"reason": "照片不清楚"}
    )
    assert response.status_code == 302
    page = as_user(inspector).get(reverse("oversight:problem", args=[awaiting.pk]))
    assert "照片不清楚" in page.content.decode()


def test_photos_are_served_with_their_type_and_access_checks(
    as_user, problem, staff, other_dept_head, outsider_admin
):
    f = problem.files.get()
    response = as_user(staff).get(reverse("oversight:file", args=[f.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    # Another department does not see this department's problems at all.
    assert as_user(other_dept_head).get(reverse("oversight:file", args=[f.pk])).status_code == 404
    assert as_user(outsider_admin).get(reverse("oversight:file", args=[f.pk])).status_code == 404


def test_department_people_see_only_their_departments_problems(
    as_user, make_problem, demo, other_dept_head, dept_head, campaign
):
    mine = make_problem(description="食品科的问题")
    theirs = make_problem(description="登记科的问题", department=demo["registry"])
    html = (
        as_user(dept_head).get(reverse("oversight:problems", args=[campaign.pk])).content.decode()
    )
    assert mine.number in html and theirs.number not in html
    assert as_user(dept_head).get(reverse("oversight:problem", args=[theirs.pk])).status_code == 404
    assert (
        as_user(other_dept_head).get(reverse("oversight:problem", args=[theirs.pk])).status_code
        == 200
    )


def test_ledger_filters_counts_and_overdue_badge(as_user, make_problem, demo, leader, campaign):
    make_problem(description="逾期的问题", deadline=datetime.date(2026, 5, 18))
    make_problem(description="按期的问题", deadline=datetime.date(2026, 6, 1), severity="general")
    make_problem(description="登记科问题", department=demo["registry"])
    url = reverse("oversight:problems", args=[campaign.pk])
    client = as_user(leader)
    html = client.get(url).content.decode()
    assert "逾期2天" in html
    assert '逾期未销号 <span class="fw-bold">1</span>' in html
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert "逾期的问题" in html and "按期的问题" not in html
    html = client.get(url, {"department": demo["registry"].pk}).content.decode()
    assert "登记科问题" in html and "逾期的问题" not in html
    html = client.get(url, {"severity": "general"}).content.decode()
    assert "按期的问题" in html and "登记科问题" not in html
    html = client.get(url, {"q": "按期"}).content.decode()
    assert "按期的问题" in html and "逾期的问题" not in html
    html = client.get(url, {"kind": "unannounced"}).content.decode()
    assert "没有符合条件的问题" in html
    html = client.get(url, {"status": "pending"}).content.decode()
    assert "逾期的问题" in html


def test_excel_export_of_the_ledger(as_user, make_problem, leader, campaign):
    import io

    from openpyxl import load_workbook

    make_problem(description="逾期的问题", deadline=datetime.date(2026, 5, 18))
    response = as_user(leader).get(reverse("oversight:export", args=[campaign.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(3, 2).value == "问题编号"
    assert ws.cell(4, 2).value == "DC-2026-001" and ws.cell(4, 11).value == 2


def test_office_reassigns_and_removes(as_user, problem, coordinator, demo, campaign):
    client = as_user(coordinator)
    response = client.post(
        reverse("oversight:reassign", args=[problem.pk]),
        {"department": demo["registry"].pk, "reason": "职责调整"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.department == demo["registry"]
    refused = client.post(reverse("oversight:remove", args=[problem.pk]), {})
    assert refused.status_code == 400 and "请写明删除的原因" in refused.content.decode()
    client.post(reverse("oversight:remove", args=[problem.pk]), {"reason": "重复"})
    assert Problem.objects.get(pk=problem.pk).removed_at is not None
    html = client.get(reverse("oversight:problems", args=[campaign.pk])).content.decode()
    assert reverse("oversight:problem", args=[problem.pk]) not in html


def test_workbench_cards(as_user, awaiting, make_problem, dept_head, inspector):
    make_problem(description="逾期的问题", deadline=datetime.date(2026, 5, 18))
    html = as_user(dept_head).get(reverse("home")).content.decode()
    assert "待整改问题" in html and "逾期2天" in html
    html = as_user(inspector).get(reverse("home")).content.decode()
    assert "待验收问题" in html and awaiting.number in html


def test_nav_index_goes_to_the_only_campaign(as_user, inspector, campaign):
    response = as_user(inspector).get(reverse("oversight:index"))
    assert response.url == reverse("oversight:problems", args=[campaign.pk])


def test_rectification_can_link_ledger_items_of_the_campaign(
    as_user, problem, dept_head, campaign, demo
):
    from wenming.ledger.models import EvidenceItem

    item = EvidenceItem.objects.create(
        campaign=campaign, unit=demo["unit"], department=demo["food"], year=2026, title="整改台账"
    )
    page = as_user(dept_head).get(reverse("oversight:problem", args=[problem.pk]))
    assert "整改台账" in page.content.decode()
    response = as_user(dept_head).post(
        reverse("oversight:submit", args=[problem.pk]),
        {"note": "见台账", "evidence_items": [item.pk]},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.AWAITING
    assert list(problem.evidence_items.all()) == [item]


def test_department_people_count_only_their_problems_in_inspections(
    as_user, make_problem, demo, dept_head, campaign
):
    make_problem()
    make_problem(department=demo["registry"])
    html = (
        as_user(dept_head)
        .get(reverse("oversight:inspections", args=[campaign.pk]))
        .content.decode()
    )
    assert '<td class="text-end">1</td>' in html

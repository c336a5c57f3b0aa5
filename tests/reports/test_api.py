"""The reports API: weekly reports read and written through the same access rules."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.reports.conftest import MONDAY
from wenming.tasks.models import ReportStatus, TaskStatus, WeeklyReport


def _post(client, payload):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("api:reports_weekly_save"), json.dumps(payload), content_type="application/json"
    )


def _payload(campaign, food, task, progress=70, submit=True):  # type: ignore[no-untyped-def]
    return {
        "campaign": campaign.pk,
        "department": food.pk,
        "week": MONDAY.isoformat(),
        "done_this_week": "完成初稿",
        "lines": [{"task_id": task.pk, "progress": progress, "note": "初稿已完成"}],
        "submit": submit,
    }


def test_post_json_submits_and_get_reads_back(as_user, staff, leader, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = _post(as_user(staff), _payload(campaign, food, task))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == ReportStatus.SUBMITTED
    assert body["lines"] == [
        {"task_id": task.pk, "task_title": "方案", "progress": 70, "note": "初稿已完成"}
    ]
    task.refresh_from_db()
    assert (task.progress, task.status) == (70, TaskStatus.IN_PROGRESS)
    listed = as_user(leader).get(
        reverse("api:reports_weekly") + f"?campaign={campaign.pk}&week={MONDAY}"
    )
    assert [r["department_name"] for r in listed.json()] == ["食品安全监管科"]


def test_post_draft_then_rollup(as_user, dept_head, coordinator, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    assert (
        _post(as_user(dept_head), _payload(campaign, food, task, submit=False)).status_code == 200
    )
    rollup = as_user(coordinator).get(reverse("api:reports_rollup") + f"?campaign={campaign.pk}")
    body = rollup.json()
    food_row = next(r for r in body["rows"] if r["department_name"] == "食品安全监管科")
    assert food_row["led"] == 1 and food_row["submitted"] is False
    assert "食品安全监管科" in body["missing"]
    assert body["total"]["led"] == 1


@pytest.mark.parametrize(
    ("progress", "message"), [(101, "进度应在0到100之间"), (-1, "进度应在0到100之间")]
)
def test_post_refuses_bad_progress_in_chinese(
    as_user, dept_head, campaign, food, make_task, progress, message
):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = _post(as_user(dept_head), _payload(campaign, food, task, progress=progress))
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not WeeklyReport.objects.exists()


def test_post_refuses_malformed_payload(as_user, dept_head):  # type: ignore[no-untyped-def]
    response = _post(as_user(dept_head), {"campaign": "x"})
    assert response.status_code == 422
    body = response.json()
    assert "请求内容有误" in body["detail"]
    assert body["errors"] == {
        "campaign": ["须为整数"],
        "department": ["必须填写"],
        "week": ["必须填写"],
    }


def test_post_for_another_department_is_refused(
    as_user, other_dept_head, campaign, food, make_task
):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = _post(as_user(other_dept_head), _payload(campaign, food, task))
    assert response.status_code == 403
    assert "只有本部门人员或创建办" in response.json()["detail"]


def test_form_post_with_parallel_lines(as_user, staff, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    response = as_user(staff).post(
        reverse("api:reports_weekly_save"),
        {
            "campaign": campaign.pk,
            "department": food.pk,
            "week": MONDAY.isoformat(),
            "task_id": task.pk,
            "progress": 40,
            "note": "已完成方案初稿",
            "submit": "1",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["lines"][0]["progress"] == 40
    assert response.json()["status"] == ReportStatus.SUBMITTED


def test_reopen(as_user, staff, coordinator, campaign, food, make_task):  # type: ignore[no-untyped-def]
    task = make_task("方案", lead_department=food)
    report_id = _post(as_user(staff), _payload(campaign, food, task)).json()["id"]
    url = reverse("api:reports_weekly_reopen", args=[report_id])
    assert as_user(staff).post(url).status_code == 403
    response = as_user(coordinator).post(url)
    assert response.status_code == 200 and response.json()["status"] == ReportStatus.DRAFT
    response = as_user(coordinator).post(url)
    assert (
        response.status_code == 422 and response.json()["detail"] == "这份周报尚未报送，无需退回。"
    )


def test_the_tasks_sheet_downloads_and_reads_back(
    as_user, leader, coordinator, outsider_admin, campaign, food, make_task
):  # type: ignore[no-untyped-def]
    from io import BytesIO
    from urllib.parse import unquote

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from wenming.tasks.reports.excel import unit_title

    make_task("开展道德讲堂", lead_department=food)
    url = reverse("api:reports_tasks_xlsx") + f"?campaign={campaign.pk}"
    response = as_user(leader).get(url)
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith(f"{unit_title(campaign)}.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "任务分解及工作推进表"
    assert "开展道德讲堂" in [c.value for row in sheet.iter_rows() for c in row]
    assert as_user(outsider_admin).get(url).status_code == 404

    # The same sheet, read back by the 创建办: nothing changes.
    importing = reverse("api:reports_tasks_import") + f"?campaign={campaign.pk}"
    upload = SimpleUploadedFile("推进表.xlsx", response.content)
    result = as_user(coordinator).post(importing, {"file": upload})
    assert result.status_code == 200, result.content
    assert result.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert as_user(leader).post(importing, {"file": upload}).status_code == 403
    bad = as_user(coordinator).post(
        importing, {"file": SimpleUploadedFile("推进表.xlsx", b"not a sheet")}
    )
    assert bad.status_code == 422 and bad.json()["errors"]["file"]

    for name in ("api:reports_rollup_xlsx", "api:reports_monthly_xlsx"):
        sheet_url = reverse(name) + f"?campaign={campaign.pk}"
        assert as_user(leader).get(sheet_url).content.startswith(b"PK")
    bad_month = as_user(leader).get(
        reverse("api:reports_monthly_xlsx") + f"?campaign={campaign.pk}&month=三月"
    )
    assert bad_month.status_code == 422

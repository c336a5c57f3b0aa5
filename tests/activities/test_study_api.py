"""The study API (/api/v1/study): targets, compliance, points imports (multipart), 考学;
every refusal in the API's dialect (404, 403 with the sentence, 422 under the field sent,
an import's problems each with its row) and nothing kept on a refusal."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.activities.study_sheets import grow, points_sheet, session
from tests.ledger import samples
from wenming.activities import study
from wenming.activities.models import Exam, ExamScore, PointsImport, StudyPoints, StudyTarget
from wenming.orgs.access import OFFICE_READS_ONLY

BASE = "/api/v1/study"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _json(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def test_targets_are_read_and_set(
    campaign, as_user, coordinator, leader, office_admin, staff
) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/targets?campaign={campaign.pk}&year=2026"
    empty = as_user(leader).get(url).json()
    assert empty == {
        "unit_id": campaign.unit_id,
        "year": 2026,
        "set": False,
        "sessions": 0,
        "points": 0,
        "platform": "学习强国",
    }
    body = {"campaign_id": campaign.pk, "year": 2026, "sessions": 12, "points": 9000}
    response = _json(as_user(coordinator), "PUT", f"{BASE}/targets", body)
    assert response.status_code == 200 and response.json()["set"] is True
    assert as_user(leader).get(url).json()["sessions"] == 12
    refused = _json(as_user(coordinator), "PUT", f"{BASE}/targets", {**body, "sessions": 400})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"sessions": ["每人参加学习次数不能超过365次。"]}
    office = _json(as_user(office_admin), "PUT", f"{BASE}/targets", body)
    assert office.status_code == 403 and office.json()["detail"] == OFFICE_READS_ONLY
    assert _json(as_user(staff), "PUT", f"{BASE}/targets", body).status_code == 403
    assert StudyTarget.objects.get().sessions == 12


def test_compliance_per_person_and_department(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, dept_head, staff, outsider_admin
) -> None:
    unit = demo["unit"]
    study.study_target_set(unit=unit, year=2026, user=coordinator, sessions=2, points=1000)
    session(campaign, demo, "study_group", datetime.datetime(2026, 3, 5, 9), [dept_head, staff])
    session(campaign, demo, "party_day", datetime.datetime(2026, 4, 5, 9), [dept_head])
    study.points_import(
        unit=unit,
        user=coordinator,
        month=datetime.date(2026, 5, 1),
        content=points_sheet([("张明", 1200), ("陈晓燕", 650)]),
        file_name="积分.xlsx",
    )
    study.exam_create(
        unit=unit,
        user=coordinator,
        title="测",
        held_on=datetime.date(2026, 6, 1),
        lines="张明 90.5",
    )
    url = f"{BASE}/compliance?campaign={campaign.pk}&year=2026"
    body = as_user(staff).get(url).json()
    people = {p["name"]: p for p in body["people"]}
    assert people["张明"] == {
        "person_id": dept_head.pk,
        "name": "张明",
        "departments": ["食品安全监管科"],
        "sessions": 2,
        "points": "1200.0",
        "exams_taken": 1,
        "exams_passed": 1,
        "exam_average": "90.5",
        "sessions_met": True,
        "sessions_short": "",
        "points_met": True,
        "points_short": "",
        "met": True,
    }
    assert (people["陈晓燕"]["sessions_short"], people["陈晓燕"]["points_short"]) == (
        "还差1次",
        "还差350分",
    )
    food = next(d for d in body["departments"] if d["name"] == "食品安全监管科")
    assert food == {
        "department_id": demo["food"].pk,
        "name": "食品安全监管科",
        "people": 2,
        "sessions_per_person": "1.50",
        "points_per_person": "925.00",
        "sessions_met": 1,
        "points_met": 1,
        "met": 1,
        "rate": "50.0",
    }
    people_count = len(body["people"])
    assert (body["total"]["name"], body["total"]["people"], body["total"]["met"]) == (
        "合计",
        people_count,
        1,
    )
    one = as_user(staff).get(url + f"&department={demo['food'].pk}").json()
    assert sorted(p["name"] for p in one["people"]) == ["张明", "陈晓燕"]
    assert as_user(staff).get(url + f"&department={demo['other_unit'].pk}").status_code == 404
    assert as_user(outsider_admin).get(url).status_code == 404


def _upload(
    client: Any, campaign: Any, content: bytes, month: str = "2026-05", name: str = "积分.xlsx"
) -> Any:
    return client.post(
        f"{BASE}/points-imports",
        {"campaign_id": campaign.pk, "month": month, "file": SimpleUploadedFile(name, content)},
    )


def test_a_month_is_imported_by_the_api(campaign, as_user, coordinator, leader) -> None:  # type: ignore[no-untyped-def]
    content = points_sheet([("张明", 830), ("王晓明（已调出）", 3)])
    response = _upload(as_user(coordinator), campaign, content)
    assert response.status_code == 201
    body = response.json()
    assert (body["month"], body["rows"], body["unmatched"], body["current"]) == (
        "2026-05",
        1,
        ["王晓明（已调出）"],
        True,
    )
    again = _upload(as_user(coordinator), campaign, points_sheet([("张明", 900)]))
    assert again.status_code == 201
    listed = as_user(leader).get(f"{BASE}/points-imports?campaign={campaign.pk}").json()
    assert [(i["rows"], i["current"]) for i in listed["items"]] == [(1, True), (1, False)]
    assert listed["count"] == 2


def test_a_refused_sheet_answers_every_row(campaign, as_user, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    response = _upload(
        as_user(coordinator), campaign, points_sheet([("张明", "十二"), ("张明", 5)])
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "未导入：表格中有2处问题，请修改后重新上传（整个表格未写入）。"
    assert body["problems"] == [
        {"row": 3, "message": "积分“十二”不是数字，请只填写数字。"},
        {"row": 4, "message": "“张明”与第3行重复：同一人只能有一行积分，请删去其中一行。"},
    ]
    assert body["errors"]["file"][0] == "第3行：积分“十二”不是数字，请只填写数字。"
    lie = _upload(as_user(coordinator), campaign, samples.pdf())
    assert lie.status_code == 422 and "与扩展名.xlsx不符" in lie.json()["detail"]
    future = _upload(as_user(coordinator), campaign, points_sheet([("张明", 1)]), month="2026-07")
    assert future.status_code == 422 and future.json()["errors"] == {
        "month": ["月份不能晚于本月。"]
    }
    bad = _upload(as_user(coordinator), campaign, points_sheet([("张明", 1)]), month="May")
    assert bad.status_code == 422 and "2026-11" in bad.json()["errors"]["month"][0]
    assert _upload(as_user(staff), campaign, points_sheet([("张明", 1)])).status_code == 403
    assert not PointsImport.objects.exists() and not StudyPoints.objects.exists()


def test_exams_by_the_api(campaign, as_user, coordinator, dept_head, staff, leader) -> None:  # type: ignore[no-untyped-def]
    body = {
        "campaign_id": campaign.pk,
        "title": "应知应会测试",
        "held_on": "2026-06-10",
        "full_marks": 100,
        "pass_mark": "60",
        "scores": [{"person_id": dept_head.pk, "score": 92}],
        "lines": "陈晓燕 55.5",
    }
    response = _json(as_user(coordinator), "POST", f"{BASE}/exams", body)
    assert response.status_code == 201
    created = response.json()
    assert (created["taken"], created["passed"], created["average"]) == (2, 1, "73.8")
    assert [(s["name"], s["score"], s["passed"]) for s in created["scores"]] == [
        ("张明", "92.0", True),
        ("陈晓燕", "55.5", False),
    ]
    exam_id = created["id"]
    listed = as_user(leader).get(f"{BASE}/exams?campaign={campaign.pk}&year=2026").json()
    assert [(e["id"], e["taken"], e["passed"], e["average"]) for e in listed] == [
        (exam_id, 2, 1, "73.8")
    ]
    scores = _json(
        as_user(coordinator), "PUT", f"{BASE}/exams/{exam_id}/scores", {"lines": "陈晓燕 61"}
    )
    assert scores.status_code == 200 and scores.json()["passed"] == 2
    refused = _json(
        as_user(coordinator),
        "POST",
        f"{BASE}/exams",
        {**body, "scores": [{"person_id": dept_head.pk, "score": "九十"}], "lines": "王五 1"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "scores": ["第1行：张明的成绩“九十”不是数字，请填写分数，例如 86.5。"],
        "lines": ["粘贴的第1行：“王五”不是本单位人员，请核对姓名。"],
    }
    assert _json(as_user(staff), "POST", f"{BASE}/exams", body).status_code == 403
    assert Exam.objects.count() == 1 and ExamScore.objects.count() == 2
    removed = as_user(coordinator).post(f"{BASE}/exams/{exam_id}/remove")
    assert removed.status_code == 204
    assert as_user(leader).get(f"{BASE}/exams/{exam_id}").json()["removed"] is True
    assert as_user(leader).get(f"{BASE}/exams?campaign={campaign.pk}&year=2026").json() == []
    again = as_user(coordinator).post(f"{BASE}/exams/{exam_id}/remove")
    assert again.status_code == 422 and again.json()["detail"] == "该考学已删除，请刷新页面。"


def test_compliance_costs_the_same_for_few_and_many(campaign, demo, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = f"{BASE}/compliance?campaign={campaign.pk}&year=2026"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(campaign, demo, coordinator, 2, 0)
    few = count()
    grow(campaign, demo, coordinator, 30, 100)
    assert count() == few

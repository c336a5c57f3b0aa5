"""The study screens (学习): what readers see, what the 创建办 does, every refusal (400 with
the Chinese sentences, nothing kept; 403; 404), and pages that cost the same whatever the
number of people and records."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.study_sheets import grow, points_sheet, session
from tests.ledger import samples
from wenming.activities import study
from wenming.activities.models import Exam, ExamScore, PointsImport, StudyPoints, StudyTarget
from wenming.orgs.access import OFFICE_READS_ONLY


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _url(name: str, campaign: Any, *args: Any, year: int = 2026, **more: Any) -> str:
    query = "&".join(
        [f"campaign={campaign.pk}", f"year={year}"] + [f"{k}={v}" for k, v in more.items()]
    )
    return f"{reverse(f'activities:{name}', args=args)}?{query}"


def _text(response: Any) -> str:
    return response.content.decode()


def _upload(content: bytes, name: str = "积分.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- 学习达标 ----------------------------------------------------------------------------------


def test_readers_see_the_targets_departments_and_people(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, leader, staff, dept_head
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
    for reader in (leader, staff):
        response = as_user(reader).get(_url("study", campaign))
        assert response.status_code == 200
        text = _text(response)
        assert (
            "2026年学习目标" in text
            and "<strong>2</strong> 次" in text
            and "<strong>1000</strong> 分" in text
        )
        assert "食品安全监管科" in text and "还差1次" in text and "还差350分" in text
        assert ("修改目标" in text) is False
    rows = {r.name: r for r in response.context["rows"]}
    assert rows["张明"].met is True and rows["陈晓燕"].met is False
    # Those short of a target come first.
    assert response.context["rows"][0].met is False
    page = as_user(coordinator).get(_url("study", campaign))
    assert "修改目标" in _text(page)
    one = as_user(leader).get(_url("study", campaign, department=demo["food"].pk))
    assert sorted(r.name for r in one.context["rows"]) == ["张明", "陈晓燕"]
    assert (
        as_user(leader).get(_url("study", campaign, department=demo["other_unit"].pk)).status_code
        == 404
    )
    assert as_user(leader).get(_url("study", campaign, department="x")).status_code == 404


def test_without_targets_the_page_says_so(campaign, as_user, staff) -> None:  # type: ignore[no-untyped-def]
    text = _text(as_user(staff).get(_url("study", campaign)))
    assert "尚未设置2026年学习目标，由本单位创建办设置" in text


def test_without_a_campaign_the_user_chooses(demo, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    for name in ("study", "study_points", "study_exams"):
        response = as_user(coordinator).get(reverse(f"activities:{name}"))
        assert response.status_code == 200 and "还没有可查看的单位" in _text(response)


def test_the_coordinator_sets_the_targets(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    form = client.get(_url("study_target", campaign))
    assert form.status_code == 200 and form.context["form"].initial["platform"] == "学习强国"
    response = client.post(
        _url("study_target", campaign), {"sessions": "12", "points": "9000", "platform": ""}
    )
    assert response.status_code == 302 and response.url == _url("study", campaign)
    target = StudyTarget.objects.get()
    assert (target.year, target.sessions, target.points, target.platform) == (
        2026,
        12,
        9000,
        "学习强国",
    )
    refused = client.post(_url("study_target", campaign), {"sessions": "十二", "points": "9000"})
    assert refused.status_code == 400
    assert "每人参加学习次数请填写0或正整数" in _text(refused)
    assert StudyTarget.objects.get().sessions == 12


def test_only_the_coordinator_writes(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, office_admin, staff, outsider_admin, coordinator
) -> None:
    exam = study.exam_create(
        unit=demo["unit"], user=coordinator, title="测试", held_on=datetime.date(2026, 6, 1)
    )
    office = as_user(office_admin).post(_url("study_target", campaign), {"sessions": "1"})
    assert office.status_code == 403 and OFFICE_READS_ONLY in _text(office)
    denied = as_user(staff).get(_url("study_points_import", campaign))
    assert denied.status_code == 403 and "只有本单位创建办可以设置学习目标" in _text(denied)
    assert as_user(staff).post(_url("study_exam_remove", campaign, exam.pk)).status_code == 403
    assert (
        as_user(outsider_admin).get(_url("study_exam_detail", campaign, exam.pk)).status_code == 404
    )
    assert as_user(outsider_admin).get(_url("study", campaign)).status_code == 404
    assert not StudyTarget.objects.exists() and Exam.objects.get().removed_at is None


# --- 学习积分 ----------------------------------------------------------------------------------


def test_an_import_shows_the_names_that_match_nobody(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, leader
) -> None:
    client = as_user(coordinator)
    page = client.get(_url("study_points_import", campaign))
    assert page.status_code == 200 and page.context["form"].initial["month"] == "2026-05"
    content = points_sheet([("张明", 830), ("王晓明（已调出）", 12), ("刘洋", 3)])
    response = client.post(
        _url("study_points_import", campaign),
        {"month": "2026-05", "file": _upload(content)},
        follow=True,
    )
    assert response.status_code == 200
    text = _text(response)
    sentence = "以下2人未能匹配到本单位人员，请核对姓名后重新导入：王晓明（已调出）、刘洋"
    assert "已导入2026年05月学习积分：1人" in text and sentence in text
    assert StudyPoints.objects.get().points == Decimal("830.0")
    # Every reader sees the names on the list of imports.
    listed = _text(as_user(leader).get(_url("study_points", campaign)))
    assert sentence in listed and "计入" in listed and "导入积分表" not in listed


def test_a_refused_sheet_lists_every_row_and_keeps_nothing(campaign, as_user, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = points_sheet([("张明", "十二"), ("陈晓燕", -3), ("张明", 5)])
    response = as_user(coordinator).post(
        _url("study_points_import", campaign), {"month": "2026-05", "file": _upload(content)}
    )
    assert response.status_code == 400
    text = _text(response)
    assert "未导入：表格中有3行共3处问题" in text
    assert "积分“十二”不是数字" in text and "积分-3是负数" in text and "与第3行重复" in text
    assert not PointsImport.objects.exists() and not StudyPoints.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_and_a_future_month_are_refused(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator
) -> None:
    client = as_user(coordinator)
    response = client.post(
        _url("study_points_import", campaign), {"month": "2026-05", "file": _upload(samples.pdf())}
    )
    assert response.status_code == 400 and "与扩展名.xlsx不符" in _text(response)
    content = points_sheet([("张明", 1)])
    future = client.post(
        _url("study_points_import", campaign), {"month": "2026-07", "file": _upload(content)}
    )
    assert future.status_code == 400 and "月份不能晚于本月。" in _text(future)
    wrong = client.post(
        _url("study_points_import", campaign), {"month": "五月", "file": _upload(content)}
    )
    assert wrong.status_code == 400 and "请按 2026-11 的格式选择月份。" in _text(wrong)
    assert not PointsImport.objects.exists()


# --- 考学 ---------------------------------------------------------------------------------------


def test_the_coordinator_records_an_exam_with_rows_and_lines(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, dept_head, staff, leader
) -> None:
    client = as_user(coordinator)
    page = client.get(_url("study_exam_new", campaign))
    assert page.status_code == 200 and "陈晓燕 · 食品安全监管科" in _text(page)
    data = {
        "title": "应知应会测试",
        "held_on": "2026-06-10",
        "full_marks": "100",
        "pass_mark": "60",
        "person": [str(dept_head.pk), "", str(staff.pk)],
        "score": ["92", "", "55"],
        "lines": "孙伟 80",
    }
    response = client.post(_url("study_exam_new", campaign), data)
    exam = Exam.objects.get()
    assert response.status_code == 302 and response.url.startswith(
        reverse("activities:study_exam_detail", args=[exam.pk])
    )
    assert ExamScore.objects.filter(exam=exam).count() == 3
    detail = as_user(leader).get(response.url)
    text = _text(detail)
    assert "参加" in text and "不及格" in text and detail.context["passed"] == 2
    assert detail.context["average"] == Decimal("75.7") and detail.context["form"] is None
    listed = as_user(leader).get(_url("study_exams", campaign))
    (row,) = listed.context["exams"]
    assert (row.taken, row.passed) == (3, 2)


def test_exam_refusals_show_the_rows_again_and_keep_nothing(  # type: ignore[no-untyped-def]
    campaign, as_user, coordinator, dept_head
) -> None:
    data = {
        "title": "应知应会测试",
        "held_on": "2026-06-10",
        "full_marks": "100",
        "pass_mark": "60",
        "person": [str(dept_head.pk)],
        "score": ["120"],
        "lines": "王五 80",
    }
    response = as_user(coordinator).post(_url("study_exam_new", campaign), data)
    assert response.status_code == 400
    text = _text(response)
    assert "第1行：张明的成绩120分超出了0到满分100分的范围。" in text
    assert "粘贴的第1行：“王五”不是本单位人员，请核对姓名。" in text
    assert response.context["rows"][0] == (str(dept_head.pk), "120")
    assert not Exam.objects.exists()


def test_scores_are_added_on_the_exam_s_page_and_removal_keeps_it(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator
) -> None:
    exam = study.exam_create(
        unit=demo["unit"],
        user=coordinator,
        title="测试",
        held_on=datetime.date(2026, 6, 1),
        lines="张明 90",
    )
    client = as_user(coordinator)
    added = client.post(
        _url("study_exam_scores", campaign, exam.pk), {"lines": "陈晓燕 66\n张明 95"}
    )
    assert added.status_code == 302
    assert sorted(exam.scores.values_list("score", flat=True)) == [Decimal("66.0"), Decimal("95.0")]
    refused = client.post(_url("study_exam_scores", campaign, exam.pk), {"lines": "张明 九十"})
    assert refused.status_code == 400 and "张明的成绩“九十”不是数字" in _text(refused)
    removed = client.post(_url("study_exam_remove", campaign, exam.pk))
    assert removed.status_code == 302
    exam.refresh_from_db()
    assert exam.removed_at is not None and exam.scores.count() == 2
    assert not as_user(coordinator).get(_url("study_exams", campaign)).context["exams"]
    page = client.get(_url("study_exam_detail", campaign, exam.pk))
    assert "该考学已于" in _text(page) and page.context["form"] is None
    again = client.post(_url("study_exam_remove", campaign, exam.pk))
    assert again.status_code == 400 and "该考学已删除，请刷新页面。" in _text(again)


# --- what the pages cost ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["study", "study_points", "study_exams"])
def test_the_pages_cost_the_same_for_few_and_many_people(  # type: ignore[no-untyped-def]
    campaign, demo, as_user, coordinator, name: str
) -> None:
    study.study_target_set(unit=demo["unit"], year=2026, user=coordinator, sessions=2, points=500)
    client = as_user(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(name, campaign))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(campaign, demo, coordinator, 2, 0)
    few = count()
    grow(campaign, demo, coordinator, 40, 100)
    assert count() == few
    assert few <= 20


def test_the_exam_page_costs_the_same_for_few_and_many_scores(
    campaign, demo, as_user, coordinator
) -> None:  # type: ignore[no-untyped-def]
    grow(campaign, demo, coordinator, 2, 0)
    grow(campaign, demo, coordinator, 40, 100)
    few, many = Exam.objects.order_by("id")
    client = as_user(coordinator)

    def count(exam: Exam) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url("study_exam_detail", campaign, exam.pk)).status_code == 200
        return len(ctx.captured_queries)

    assert count(few) == count(many) <= 20

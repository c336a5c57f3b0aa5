"""The 《任务分解及工作推进表》: export layout, round trip, import all or nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wenming.tasks.models import OwnerChange, Task, TaskSource, TaskStatus
from wenming.tasks.reports.excel import tasks_export
from wenming.tasks.reports.imports import tasks_import

HEADER = [
    "序号",
    "测评项目",
    "测评内容",
    "测评标准",
    "工作任务",
    "牵头部门",
    "配合部门",
    "责任人",
    "完成时限",
    "进展情况",
    "状态",
]


@pytest.fixture
def tasks(make_task, food, registry, staff, dept_head):  # type: ignore[no-untyped-def]
    t1 = make_task(
        "召开专题会议",
        standards=["A1-1"],
        lead_department=food,
        responsible=dept_head,
        deadline=datetime.date(2026, 6, 30),
        progress=60,
        status=TaskStatus.IN_PROGRESS,
        progress_note="已拟定会议方案",
    )
    t1.co_departments.set([registry])
    make_task(
        "会议纪要归档", standards=["A1-1"], lead_department=food, deadline=datetime.date(2026, 7, 1)
    )
    make_task("领导班子专题研究", standards=["A1-2"], lead_department=registry, responsible=staff)
    make_task("成立领导小组", standards=["A2-1", "A1-3"], lead_department=food)
    make_task("其他零星工作", lead_department=registry)
    make_task("理想信念教育", standards=["B1-1"], lead_department=food)
    return Task.objects.filter(campaign=t1.campaign)


def _sheet(content: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(content)).active


def test_export_layout(as_user, observer, campaign, tasks):  # type: ignore[no-untyped-def]
    response = as_user(observer).get(reverse("reports:tasks_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    ws = _sheet(response.content)
    assert ws["A1"].value == "临州市市场监督管理局创建省级文明单位任务分解及工作推进表"
    assert [c.value for c in ws[2]] == HEADER
    titles = [ws.cell(r, 5).value for r in range(3, 9)]
    # The system's order (A1-1 twice, A1-2, A1-3 being the first of A1-3/A2-1, B1-1);
    # tasks without a standard last.
    assert titles == [
        "召开专题会议",
        "会议纪要归档",
        "领导班子专题研究",
        "成立领导小组",
        "理想信念教育",
        "其他零星工作",
    ]
    assert ws.cell(8, 2).value == "其他"
    assert ws.cell(3, 2).value == "组织领导（创建工作机制）"
    assert ws.cell(3, 3).value == "创建规划"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "B3:B6" in merged  # item 组织领导 over four rows
    assert "C3:C6" in merged  # content 创建规划 (A1-1, A1-2, A1-3)
    assert "D3:D4" in merged  # standard A1-1 over its two tasks
    assert ws.cell(3, 6).value == "食品安全监管科"
    assert ws.cell(3, 7).value == "登记注册科"
    assert ws.cell(3, 8).value == "张明"
    assert ws.cell(3, 9).value.date() == datetime.date(2026, 6, 30)
    assert ws.cell(3, 10).value == "已拟定会议方案（60%）"
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4


def test_round_trip_changes_nothing(campaign, tasks, coordinator):  # type: ignore[no-untyped-def]
    before = {
        t.pk: (
            t.title,
            t.lead_department_id,
            t.responsible_id,
            t.deadline,
            t.progress,
            t.status,
            t.progress_note,
            t.updated_at,
        )
        for t in Task.objects.all()
    }
    result = tasks_import(campaign=campaign, content=tasks_export(campaign), user=coordinator)
    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    after = {
        t.pk: (
            t.title,
            t.lead_department_id,
            t.responsible_id,
            t.deadline,
            t.progress,
            t.status,
            t.progress_note,
            t.updated_at,
        )
        for t in Task.objects.all()
    }
    assert after == before
    assert not OwnerChange.objects.exists()


def _edit(content: bytes, edits: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    for ref, value in edits.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_updates_and_creates(campaign, tasks, coordinator, food, registry):  # type: ignore[no-untyped-def]
    content = _edit(
        tasks_export(campaign),
        {"F3": "登记注册科", "J3": "会议已召开（100%）", "I4": "2026/8/1"},
    )
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    ws.append(
        [
            None,
            "组织领导（创建工作机制）",
            "创建规划",
            "A1-2",
            "新增：班子学习",
            "食品安全监管科",
            "",
            "孙伟",
            "2026年9月30日",
            "",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    result = tasks_import(campaign=campaign, content=out.getvalue(), user=coordinator)
    assert result.ok, result.problems
    assert (result.created, result.updated) == (1, 2)
    meeting = Task.objects.get(title="召开专题会议")
    assert meeting.lead_department == registry
    assert (meeting.progress, meeting.status, meeting.progress_note) == (
        100,
        TaskStatus.UNPROVEN,  # reported done; 已完成 only with its proof in
        "会议已召开",
    )
    assert meeting.completed_at is None
    assert OwnerChange.objects.get(task=meeting).to_department == registry
    assert Task.objects.get(title="会议纪要归档").deadline == datetime.date(2026, 8, 1)
    new = Task.objects.get(title="新增：班子学习")
    assert new.source == TaskSource.IMPORTED
    assert [s.code for s in new.standards.all()] == ["A1-2"]
    assert new.responsible.first_name == "孙伟"
    assert new.deadline == datetime.date(2026, 9, 30)


def _table(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["某单位推进表"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_is_all_or_nothing_with_every_problem_listed(  # type: ignore[no-untyped-def]
    as_user, coordinator, campaign, tasks
):
    content = _table(
        [
            [
                1,
                "组织领导",
                "创建规划",
                "A1-1",
                "好的一行",
                "食品安全监管科",
                "",
                "",
                "2026-05-01",
                "",
            ],
            [2, None, None, "Z9-9 不存在的标准", "坏标准", "食品安全监管科", "", "", "", ""],
            [3, None, None, "A1-2", "坏部门", "宣传科", "后勤科", "", "", ""],
            [4, None, None, "A1-2", "坏人员", "登记注册科", "", "王五", "", ""],
            [5, None, None, "A1-2", "超出周期", "登记注册科", "", "", "2030-01-01", ""],
            [6, None, None, "A1-2", "坏日期", "登记注册科", "", "", "下个月", ""],
        ]
    )
    count = Task.objects.count()
    response = as_user(coordinator).post(
        reverse("reports:tasks_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile("推进表.xlsx", content)},
    )
    assert response.status_code == 422
    result = response.context["result"]
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (4, "测评标准"),
        (5, "牵头部门"),
        (5, "配合部门"),
        (6, "责任人"),
        (7, "完成时限"),
        (8, "完成时限"),
    }
    assert result.unknown_departments == ["宣传科", "后勤科"]
    assert result.unknown_people == ["王五"]
    html = response.content.decode()
    assert "未导入" in html and "宣传科、后勤科" in html
    assert "不在创建周期（2026-01-01至2028-12-31）内" in html
    assert "“下个月”不是日期" in html
    assert Task.objects.count() == count  # nothing written, not even the good row


def test_import_matches_short_names_and_titles(campaign, coordinator, food):  # type: ignore[no-untyped-def]
    food.short_name = "食安科"
    food.save()
    content = _table(
        [
            [
                1,
                "",
                "",
                "每年至少召开1次精神文明建设专题会议，主要负责人部署创建工作",
                "按标题匹配",
                "食安科",
                "",
                "",
                "",
                "进行中（30%）",
            ]
        ]
    )
    result = tasks_import(campaign=campaign, content=content, user=coordinator)
    assert result.ok, result.problems
    task = Task.objects.get(title="按标题匹配")
    assert task.lead_department == food
    assert [s.code for s in task.standards.all()] == ["A1-1"]
    assert (task.progress, task.status) == (30, TaskStatus.IN_PROGRESS)


def test_import_refuses_a_file_that_is_not_the_table(as_user, coordinator, campaign):  # type: ignore[no-untyped-def]
    url = reverse("reports:tasks_import", args=[campaign.pk])
    client = as_user(coordinator)
    bad = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert "无法读取该文件" in bad.content.decode()
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    out = io.BytesIO()
    wb.save(out)
    no_header = client.post(url, {"file": SimpleUploadedFile("x.xlsx", out.getvalue())})
    assert "没有找到表头" in no_header.content.decode()
    wrong_type = client.post(url, {"file": SimpleUploadedFile("x.xls", b"x")})
    assert "请上传 Excel（.xlsx）格式的文件" in wrong_type.content.decode()


def test_only_managers_import(as_user, dept_head, campaign):  # type: ignore[no-untyped-def]
    url = reverse("reports:tasks_import", args=[campaign.pk])
    response = as_user(dept_head).post(url, {"file": SimpleUploadedFile("x.xlsx", _table([]))})
    assert response.status_code == 403

"""The reading as the preview and the API see it: JSON, corrections, bad input, the services
and the command line on top of it, and how fast it is."""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from tests.frameworks.test_layout import node, ok, read, table
from wenming.frameworks import services
from wenming.frameworks.io.documents import read_document
from wenming.frameworks.io.layout import read_layout
from wenming.frameworks.io.reading import Corrections
from wenming.frameworks.io.tables import Document
from wenming.frameworks.models import Framework, Node, Section

D = Decimal
SHEET = [
    ["青山市文明单位测评标准（2024年版）"],
    ["测评项目", "测评标准", "分值", "测评方法"],
    ["组织领导（4分）", "成立领导小组", 2, "材料审核"],
    [None, "制定计划", 2, "材料审核"],
    ["合计", None, 4],
    ["加分项（最高加3分）"],
    [None, "获得表彰", 5, "材料审核"],
]


def xlsx(rows: list[list[Any]], merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the reading as JSON ------------------------------------------------------------------


def test_reading_as_json_has_rows_columns_sections_tree_and_checks() -> None:
    reading = ok(read(table(SHEET, ("A3:A4", "A6:D6"))))
    data = json.loads(json.dumps(reading.as_dict(), ensure_ascii=False))
    assert data["ok"] is True and data["needs_columns"] is False
    assert data["summary"]["points_total"] == "4" and data["summary"]["max_total"] == "7"
    assert data["summary"]["deduction_standards"] == 0
    row = next(r for r in data["rows"] if r["row"] == 3)
    assert row == {
        "sheet": "Sheet1",
        "row": 3,
        "cells": ["组织领导（4分）", "成立领导小组", "2", "材料审核"],
        "role": "standard",
        "role_label": "测评标准",
        "level": 1,
        "section": "basic",
        "code": "A1",
        "title": "成立领导小组",
        "points": "2",
        "corrected": False,
        "continues": False,
        "problems": [],
    }
    assert [c["meaning"] for c in data["tables"][0]["columns"]] == [
        "item",
        "standard",
        "points",
        "method",
    ]
    assert data["sections"] == [
        {
            "section": "bonus",
            "label": "特色/加分",
            "heading": "加分项（最高加3分）",
            "cap": "3",
            "listed": "5",
            "standards": 1,
            "sheet": "Sheet1",
            "row": 6,
        }
    ]
    (item, bonus) = data["tree"]
    assert (item["code"], item["points"], item["children_total"]) == ("A", "4", "4")
    assert bonus["section"] == "bonus" and bonus["total"] == "5"
    kinds = {c["kind"]: c for c in data["checks"]}
    assert kinds["sum"]["ok"] and kinds["total"]["ok"] and kinds["cap"]["ok"]
    assert data["framework"]["name"] == "青山市文明单位测评标准（2024年版）"


def test_problems_name_their_sheet_and_row() -> None:
    first = table([["测评标准", "分值"], ["有计划", 2]], name="基本指标")
    second = table([["加分项目", "分值"], ["获得表彰", "若干"]], name="加分项")
    reading = read(first, second)
    (problem,) = reading.problems
    assert problem.as_dict() == {
        "sheet": "加分项",
        "row": 2,
        "column": "分值",
        "message": "分值“若干”不是数字，应写成 3、1.5 或 3分",
    }
    assert str(problem) == "工作表“加分项”第2行，“分值”列：分值“若干”不是数字，应写成 3、1.5 或 3分"


# -- corrections --------------------------------------------------------------------------


def test_a_row_read_wrong_is_corrected_and_read_again() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织领导", "成立领导小组", 2],
        ["特色工作", "创建品牌", 3],  # read as the bonus section by its name
    ]
    reading = ok(read(table(rows)))
    assert reading.tree.summary()["bonus_standards"] == 1
    corrections = Corrections(roles={("Sheet1", 3): "item"})
    again = ok(read(table(rows), corrections=corrections))
    assert [(r.code, r.title, r.section) for r in again.tree.roots] == [
        ("A", "组织领导", Section.BASIC),
        ("B", "特色工作", Section.BASIC),
    ]
    assert again.tree.roots[1].points == D(3) and again.tree.basic_total() == D(5)
    assert next(r for r in again.rows if r.row == 3).corrected


def test_column_meaning_caps_and_basic_total_corrections() -> None:
    rows = [
        ["项目", "内容", "备注", "说明"],
        ["组织", "有计划", 2, "文件"],
        ["加分项"],
        [None, "获得表彰", 5, None],
    ]
    reading = read(table(rows, ("A3:D3",)))
    assert reading.tables[0].columns[2] == "note"
    corrections = Corrections(
        columns={("Sheet1", 2): "points", ("Sheet1", 3): "evidence"},
        caps={Section.BONUS: D(3)},
        basic_total=D(2),
    )
    again = ok(read(table(rows, ("A3:D3",)), corrections=corrections))
    spec = again.tree
    assert node(again, "A1").points == D(2) and node(again, "A1").evidence == "文件"
    assert (spec.bonus_cap, spec.basic_points, spec.summary()["max_total"]) == (D(3), D(2), "5")
    wrong = Corrections(columns=corrections.columns, basic_total=D(3))
    problems = read(table(rows, ("A3:D3",)), corrections=wrong).problems
    assert any("体系标明基本分3分" in p.message for p in problems)


def test_header_row_chosen_by_the_user() -> None:
    rows = [["甲", "乙", "丙"], ["组织", "有计划", 2], ["学习", "有记录", 3]]
    corrections = Corrections(
        roles={("Sheet1", 1): "header"},
        columns={("Sheet1", 0): "item", ("Sheet1", 1): "standard", ("Sheet1", 2): "points"},
    )
    reading = ok(read(table(rows), corrections=corrections))
    assert reading.tables[0].header_rows == [1] and reading.tree.basic_total() == D(5)


def test_text_points_are_read_only_when_the_user_says_so() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织（3分）", "有计划", "两分"],
        [None, "有总结", 1],
    ]
    reading = read(table(rows))
    (problem,) = reading.problems
    assert "两分" in problem.message and "如指2分" in problem.message
    assert [(t.row, t.text, t.value) for t in reading.text_points] == [(2, "两分", D(2))]
    again = ok(read(table(rows), corrections=Corrections(accept_text_points=True)))
    assert node(again, "A1").points == D(2)
    assert "按文字读作2分" in again.warnings[0].message
    rows[1][2] = "若干"
    never = read(table(rows), corrections=Corrections(accept_text_points=True))
    assert never.spec is None and "若干" in never.problems[0].message


def test_corrections_are_plain_data() -> None:
    corrections = Corrections(
        roles={("表格1", 3): "bonus"},
        columns={("表格1", 2): "points"},
        caps={Section.BONUS: D(10)},
        basic_total=D(100),
        accept_text_points=True,
    )
    data = json.loads(json.dumps(corrections.as_dict()))
    assert data == {
        "roles": [{"sheet": "表格1", "row": 3, "role": "bonus"}],
        "columns": [{"sheet": "表格1", "column": 2, "meaning": "points"}],
        "caps": {"bonus": "10"},
        "basic_total": "100",
        "accept_text_points": True,
    }
    assert Corrections.from_dict(data) == corrections
    for bad, words in (
        ({"roles": [{"sheet": "x", "row": 1, "role": "boss"}]}, "角色"),
        ({"columns": [{"sheet": "x", "column": "B", "meaning": "points"}]}, "列号"),
        ({"caps": {"veto": 3}}, "上限"),
        ({"basic_total": "一百"}, "基本分"),
    ):
        with pytest.raises(ValueError, match=words):
            Corrections.from_dict(bad)


# -- bad input ----------------------------------------------------------------------------


def test_negative_points_outside_the_deduction_section() -> None:
    rows = [["测评项目", "测评标准", "分值"], ["组织", "有计划", 3], [None, "迟报", "-1"]]
    (problem,) = read(table(rows)).problems
    assert problem.row == 3 and "不能为负数" in problem.message and "负面清单" in problem.message
    rows.append(["负面清单"])
    rows.append([None, "被通报", -2])
    reading = read(table(rows[:2] + rows[3:]))
    assert reading.ok and node(reading, "Y1").per_incident == D(2)


def test_a_parent_whose_children_do_not_add_up_names_both_numbers() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["一、组织领导（10分）", "成立领导小组", 3],
        [None, "制定计划", 3],
        [None, "有总结", 3],
    ]
    reading = read(table(rows, ("A2:A4",)))
    (problem,) = reading.problems
    assert (problem.sheet, problem.row, problem.column) == ("Sheet1", 2, "测评项目")
    assert "标注10分" in problem.message and "合计9分" in problem.message
    check = next(c for c in reading.checks if c.kind == "sum")
    assert (check.ok, check.stated, check.actual) == (False, D(10), D(9))


def test_fifty_thousand_empty_formatted_rows_are_cut_by_the_format_layer() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["测评项目", "测评标准", "分值"])
    sheet.append(["组织", "有计划", 2])
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(3, 50_003):
        sheet.cell(row, 1).fill = fill
    out = io.BytesIO()
    book.save(out)
    started = time.perf_counter()
    reading = read_layout(read_document(out.getvalue(), "大表.xlsx"))
    elapsed = time.perf_counter() - started
    assert ok(reading).tree.summary()["standards"] == 1
    assert elapsed < 5, elapsed


def test_a_thousand_standards_read_well_under_a_second() -> None:
    rows: list[list[Any]] = [["大体系"], ["测评项目", "测评内容", "测评标准", "分值", "测评方法"]]
    for i in range(10):
        for j in range(10):
            for k in range(10):
                item = f"项目{i}（100分）" if j == k == 0 else None
                content = f"内容{i}-{j}（10分）" if k == 0 else None
                rows.append([item, content, f"标准{i}-{j}-{k}，有记录", 1, "材料审核"])
    rows.append(["合计", None, None, 1000])
    big = table(rows)
    started = time.perf_counter()
    reading = read_layout(Document("xlsx", "大体系.xlsx", [big]))
    elapsed = time.perf_counter() - started
    assert ok(reading).tree.summary()["standards"] == 1000
    assert elapsed < 1, elapsed


# -- the services and the command line ----------------------------------------------------


def test_preview_then_import_with_corrections(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织领导", "成立领导小组", 2],
        ["特色工作", "创建品牌", 3],
    ]
    content = xlsx(rows)
    before = Framework.objects.count()
    reading = services.read_upload(content, "体系.xlsx")
    assert reading.ok and reading.tree.summary()["items"] == 1
    assert Framework.objects.count() == before  # a preview saves nothing
    corrections = Corrections(roles={("Sheet1", 3): "item"})
    result = services.framework_import(
        content=content,
        filename="体系.xlsx",
        owner=demo["office"],
        user=office_admin,
        corrections=corrections,
    )
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary["items"] == 2 and result.summary["points_total"] == "5"
    assert Node.objects.filter(framework=result.framework, section=Section.BONUS).count() == 0


def test_nothing_is_saved_when_the_reading_blocks(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织（3分）", "有计划", "两分"],
        [None, "有总结", 1],
    ]
    before = (Framework.objects.count(), Node.objects.count())
    result = services.framework_import(
        content=xlsx(rows), filename="体系.xlsx", owner=demo["office"], user=office_admin
    )
    assert not result.ok and (Framework.objects.count(), Node.objects.count()) == before
    assert result.as_dict()["errors"][0]["sheet"] == "Sheet1"
    accepted = services.framework_import(
        content=xlsx(rows),
        filename="体系.xlsx",
        owner=demo["office"],
        user=office_admin,
        corrections=Corrections(accept_text_points=True),
    )
    assert accepted.ok


def test_command_line_json_gains_the_new_counts(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "体系.xlsx"
    path.write_bytes(xlsx(SHEET, ("A3:A4", "A6:D6")))
    out = StringIO()
    call_command("import_framework", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] and result["framework_id"]
    assert {k: result[k] for k in ("items", "standards", "points_total", "max_total")} == {
        "items": 1,
        "standards": 3,
        "points_total": "4",
        "max_total": "7",
    }
    assert result["deduction_standards"] == 0 and result["bonus_cap"] == "3"


def test_command_line_preview_and_corrections_file(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "体系.xlsx"
    path.write_bytes(xlsx([["测评项目", "测评标准", "分值"], ["组织", "有计划", "两分"]]))
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import_framework", str(path), "--preview", stdout=out)
    preview = json.loads(out.getvalue())
    assert preview["ok"] is False and preview["text_points"][0]["value"] == "2"
    fixes = tmp_path / "更正.json"
    fixes.write_text(json.dumps({"accept_text_points": True}), encoding="utf-8")
    out = StringIO()
    before = Framework.objects.count()
    call_command(
        "import_framework", str(path), "--preview", "--corrections", str(fixes), stdout=out
    )
    assert json.loads(out.getvalue())["ok"] is True and Framework.objects.count() == before
    out = StringIO()
    call_command("import_framework", str(path), "--json", "--corrections", str(fixes), stdout=out)
    assert json.loads(out.getvalue())["points_total"] == "2"


def test_columns_chosen_without_a_standard_column_are_asked_again() -> None:
    rows = [["测评项目", "测评标准", "分值"], ["组织", "有计划", 2]]
    corrections = Corrections(
        columns={("Sheet1", 0): "ignore", ("Sheet1", 1): "note", ("Sheet1", 2): "points"}
    )
    reading = read(table(rows), corrections=corrections)
    (problem,) = reading.problems
    assert problem.needs_columns and "测评标准列" in problem.message
    assert [r.role for r in reading.rows] == ["header", "ignore"]

"""Importing a month of the study platform's points: names matched to the unit's people, the
values exports really hold (numbers as text, a title row, a 合计 row, both 本月积分 and
总积分), names that match nobody kept and shown, a month imported again replaced whole, and
every refusal — each names its rows and keeps nothing."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from tests.activities.study_sheets import points_sheet
from tests.ledger import samples
from wenming.activities import study
from wenming.activities.models import PointsImport, StudyPoints
from wenming.orgs.models import Membership, Role

MAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _import(
    unit: Any, user: User, content: bytes, month: Any = MAY, name: str = "积分.xlsx"
) -> Any:
    return study.points_import(unit=unit, user=user, month=month, content=content, file_name=name)


def _refusal(unit: Any, user: User, content: bytes, name: str = "积分.xlsx") -> list[str]:
    with pytest.raises(study.PointsRefused) as caught:
        _import(unit, user, content, name=name)
    assert not PointsImport.objects.exists() and not StudyPoints.objects.exists()
    return [str(p) for p in caught.value.problems]


def _points(month: datetime.date = MAY) -> dict[str, Decimal]:
    return {
        p.person.username: p.points
        for p in StudyPoints.objects.filter(month=month).select_related("person")
    }


def test_a_month_is_imported_with_the_names_that_match_nobody_kept(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head, staff, other_dept_head
) -> None:
    content = points_sheet(
        [
            ("张明", 830),
            ("陈晓燕", "612"),
            ("孙 伟", 455.5),
            ("王晓明（已调出）", 300),
            ("刘洋", 120),
            ("合计", 2317.5),
        ]
    )
    result = _import(demo["unit"], coordinator, content)
    record = result.record
    assert (record.rows, record.month, record.file_name) == (3, MAY, "积分.xlsx")
    assert record.unmatched == ["王晓明（已调出）", "刘洋"]
    assert record.created_by == coordinator and result.replaced == 0
    assert _points() == {
        "keshi": Decimal("830.0"),
        "jingban": Decimal("612.0"),
        "keshi2": Decimal("455.5"),
    }
    assert study.unmatched_sentence(record.unmatched) == (
        "以下2人未能匹配到本单位人员，请核对姓名后重新导入：王晓明（已调出）、刘洋"
    )


def test_text_negative_blank_and_repeated_rows_refuse_the_sheet_naming_each_row(  # type: ignore[no-untyped-def]
    demo, coordinator
) -> None:
    content = points_sheet(
        [
            ("张明", 830),  # row 3
            ("陈晓燕", "十二"),  # row 4
            ("孙伟", -5),  # row 5
            ("李文静", None),  # row 6
            ("张明", 100),  # row 7: 张明 twice
            ("王国强", 12.35),  # row 8
            ("王晓明（已调出）", "abc"),  # row 9: unmatched, but its points are still checked
        ]
    )
    problems = _refusal(demo["unit"], coordinator, content)
    assert problems == [
        "第4行：积分“十二”不是数字，请只填写数字。",
        "第5行：积分-5是负数，积分不能为负。",
        "第6行：积分为空，请填写（没有积分的填0）。",
        "第7行：“张明”与第3行重复：同一人只能有一行积分，请删去其中一行。",
        "第8行：积分12.35最多保留一位小数。",
        "第9行：积分“abc”不是数字，请只填写数字。",
    ]


def test_a_month_imported_again_is_replaced_whole(  # type: ignore[no-untyped-def]
    demo, coordinator
) -> None:
    first = _import(demo["unit"], coordinator, points_sheet([("张明", 830), ("陈晓燕", 612)]))
    again = _import(
        demo["unit"], coordinator, points_sheet([("张明", 900), ("孙伟", 50)]), name="更正.xlsx"
    )
    assert again.replaced == 2
    assert _points() == {"keshi": Decimal("900.0"), "keshi2": Decimal("50.0")}
    # The earlier import is kept as history; only the latest of the month counts.
    assert PointsImport.objects.count() == 2
    assert study.current_imports(demo["unit"]) == {again.record.pk}
    assert first.record.pk not in study.current_imports(demo["unit"])
    # Another month is not touched.
    _import(
        demo["unit"], coordinator, points_sheet([("张明", 10)]), month=datetime.date(2026, 4, 1)
    )
    assert _points() == {"keshi": Decimal("900.0"), "keshi2": Decimal("50.0")}


def test_a_refused_reimport_keeps_the_month_as_it_was(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    _import(demo["unit"], coordinator, points_sheet([("张明", 830)]))
    with pytest.raises(study.PointsRefused):
        _import(demo["unit"], coordinator, points_sheet([("张明", "八百")]))
    assert _points() == {"keshi": Decimal("830.0")} and PointsImport.objects.count() == 1


def test_the_month_s_own_column_is_read_before_the_total(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    # points_sheet writes 总积分 as ten times 本月积分, after it: the month's column wins.
    _import(demo["unit"], coordinator, points_sheet([("张明", 830)]))
    assert _points() == {"keshi": Decimal("830.0")}


@pytest.mark.parametrize("column", ["积分", "总积分", "学习积分", "本月积分", "积分（分）"])
def test_each_points_header_is_read(demo, coordinator, column: str) -> None:  # type: ignore[no-untyped-def]
    # With a header given, rows are written as they are: (姓名, 部门, points as text).
    content = points_sheet(
        [("张明", "食品安全监管科", "1,234")], header=["姓 名", "部门", column], title=False
    )
    _import(demo["unit"], coordinator, content)
    assert _points() == {"keshi": Decimal("1234.0")}


def test_same_named_people_are_told_apart_by_department(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head
) -> None:
    twin = User.objects.create_user("zhangming2", first_name="张明")
    Membership.objects.create(user=twin, organization=demo["registry"], role=Role.STAFF)
    content = points_sheet([("张明", 80, "登记注册科"), ("陈晓燕", 5)])
    _import(demo["unit"], coordinator, content)
    assert _points() == {"zhangming2": Decimal("80.0"), "jingban": Decimal("5.0")}
    # Without a department, the name stays unmatched and says why.
    again = _import(demo["unit"], coordinator, points_sheet([("张明", 80), ("陈晓燕", 5)]))
    assert again.record.unmatched == ["张明（本单位有2人同名，请在表中填写部门）"]


def test_a_sheet_matching_nobody_is_refused(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    problems = _refusal(demo["unit"], coordinator, points_sheet([("王五", 1), ("赵六", 2)]))
    assert problems == ["表中2人都未能匹配到本单位人员，请确认上传的是本单位的积分表。"]


def test_a_sheet_without_the_header_is_refused(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = points_sheet([("张明", 1)], header=["名字", "分数"])
    (problem,) = _refusal(demo["unit"], coordinator, content)
    assert "没有找到表头" in problem and "姓名" in problem
    content = points_sheet([("张明", "x")], header=["姓名", "备注"])
    (problem,) = _refusal(demo["unit"], coordinator, content)
    assert problem.startswith("第2行有“姓名”列，但没有积分列。")


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (samples.pdf(), "积分.xlsx", "内容是PDF文档，与扩展名.xlsx不符"),
        (samples.pdf(), "积分.pdf", "上传的文件是PDF文档，不是 Excel 表格"),
        (samples.docx(), "积分.xlsx", "与扩展名.xlsx不符"),
        (samples.docx(), "积分.docx", "上传的文件是文字文档，不是 Excel 表格"),
        (samples.png(), "积分.xls", "与扩展名.xls不符"),
        ("姓名,积分\n张明,830\n".encode(), "积分.xlsx", "纯文本"),
        (b"", "积分.xlsx", "上传的文件是空的"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(  # type: ignore[no-untyped-def]
    demo, coordinator, content: bytes, name: str, said: str
) -> None:
    (problem,) = _refusal(demo["unit"], coordinator, content, name=name)
    assert said in problem, problem


def test_the_month_may_not_be_in_the_future(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = points_sheet([("张明", 1)])
    with pytest.raises(ValidationError) as caught:
        _import(demo["unit"], coordinator, content, month=datetime.date(2026, 7, 1))
    assert caught.value.message_dict == {"month": ["月份不能晚于本月。"]}
    with pytest.raises(ValidationError):
        _import(demo["unit"], coordinator, content, month=None)
    assert not PointsImport.objects.exists()
    # This month is allowed (points so far), and any day of it means the month.
    assert _import(
        demo["unit"], coordinator, content, month=datetime.date(2026, 6, 9)
    ).record.month == datetime.date(2026, 6, 1)


def test_points_imported_by_another_unit_for_the_month_are_refused(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head
) -> None:
    court = demo["court"]
    Membership.objects.create(user=dept_head, organization=court, role=Role.STAFF)
    _import(court, coordinator, points_sheet([("张明", 5)]))
    problems = _refusal_after(demo["unit"], coordinator, points_sheet([("张明", 830)]))
    assert problems == ["第3行：张明2026年05月的积分已由其他单位导入，请核对。"]


def _refusal_after(unit: Any, user: User, content: bytes) -> list[str]:
    before = (PointsImport.objects.count(), StudyPoints.objects.count())
    with pytest.raises(study.PointsRefused) as caught:
        _import(unit, user, content)
    assert (PointsImport.objects.count(), StudyPoints.objects.count()) == before
    return [str(p) for p in caught.value.problems]


@pytest.mark.usefixtures("soffice_required")
def test_an_xls_export_is_read_like_xlsx(demo, coordinator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "积分.xlsx"
    source.write_bytes(points_sheet([("张明", 830), ("陈晓燕", 612.5), ("王晓明（已调出）", 3)]))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [str(soffice), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xls", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    content = (tmp_path / "out" / "积分.xls").read_bytes()
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    result = _import(demo["unit"], coordinator, content, name="积分.xls")
    assert result.record.unmatched == ["王晓明（已调出）"]
    assert _points() == {"keshi": Decimal("830.0"), "jingban": Decimal("612.5")}

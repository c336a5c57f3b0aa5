"""Importing a volunteer platform's sheet of hours: matching people by 志愿者编号 then by name,
the values exports really hold (numbers as text, dates as text or serial numbers, a title
row, a 合计 row), and every refusal — each names its rows and keeps nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.activities.service_sheets import row, sheet
from wenming.activities import hours
from wenming.activities.hours_import import HoursRefused, hours_import
from wenming.activities.models import HoursImport, ServiceHours, Volunteer
from wenming.orgs.models import Membership, Role

DAY = datetime.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _import(unit: Any, user: User, content: bytes, name: str = "时长.xlsx") -> Any:
    return hours_import(unit=unit, user=user, content=content, file_name=name)


def _refusal(unit: Any, user: User, content: bytes) -> list[str]:
    with pytest.raises(HoursRefused) as caught:
        _import(unit, user, content)
    assert not HoursImport.objects.exists() and not ServiceHours.objects.exists()
    return [str(p) for p in caught.value.problems]


def _person(demo: Any, username: str, name: str) -> User:
    user = User.objects.create_user(username, first_name=name)
    Membership.objects.create(user=user, organization=demo["registry"], role=Role.STAFF)
    return user


def test_a_sheet_is_imported_whole_with_its_totals(  # type: ignore[no-untyped-def]
    demo, staff, dept_head, other_dept_head
) -> None:
    content = sheet(
        [
            row("张明", 2.5),
            row("张明", "4", day=datetime.date(2026, 5, 11)),
            row("陈晓燕", 1, project="敬老院陪护"),
            row("孙 伟", "1.25", day="2026/6/1"),
            [None, "合计", None, None, None, None, 8.75],
        ]
    )
    result = _import(demo["unit"], staff, content)
    record = result.record
    assert (record.rows, record.hours, result.people) == (4, Decimal("8.75"), 3)
    assert record.file_name == "时长.xlsx" and record.created_by == staff
    entries = list(ServiceHours.objects.filter(source=record).order_by("id"))
    assert [(e.person, e.hours) for e in entries] == [
        (dept_head, Decimal("2.50")),
        (dept_head, Decimal("4.00")),
        (staff, Decimal("1.00")),
        (other_dept_head, Decimal("1.25")),
    ]
    assert entries[2].project == "敬老院陪护" and entries[0].organizer == "临州市志愿服务联合会"
    assert entries[3].served_on == datetime.date(2026, 6, 1)
    assert all(e.created_by == staff and e.unit == demo["unit"] for e in entries)
    # The lead's hours count them in every total.
    assert hours.of_person(dept_head, demo["unit"], 2026) == Decimal("6.5")


def test_the_id_finds_the_person_before_the_name(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head
) -> None:
    namesake = _person(demo, "zhangming2", "张明")
    Volunteer.objects.create(
        unit=demo["unit"], person=namesake, registered_on=DAY, national=True, national_id="NV-0002"
    )
    content = sheet([row("张明", 3, national_id="nv-0002")])
    _import(demo["unit"], coordinator, content)
    assert ServiceHours.objects.get().person == namesake
    # Without an ID, two people named 张明 cannot be told apart: the row says what to do.
    problems = _refusal_after_clear(demo, coordinator, sheet([row("张明", 3, day=DAY)]))
    assert problems == [
        "第3行：本单位有2人名为“张明”，无法确定是谁：请在表中填写志愿者编号，"
        "并在“志愿者”中为他们登记编号。"
    ]
    assert dept_head.service_hours.count() == 0


def _refusal_after_clear(demo: Any, user: User, content: bytes) -> list[str]:
    ServiceHours.objects.all().delete()
    HoursImport.objects.all().delete()
    return _refusal(demo["unit"], user, content)


def test_an_id_card_column_falls_back_to_the_name(demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    header = ["序号", "姓名", "证件号码", "服务时数", "服务日期"]
    content = sheet([[1, "陈晓燕", "110101199001011234", "2", "2026年5月3日"]], header=header)
    _import(demo["unit"], coordinator, content)
    entry = ServiceHours.objects.get()
    assert (entry.person, entry.hours, entry.served_on) == (
        staff,
        Decimal("2.00"),
        datetime.date(2026, 5, 3),
    )


def test_an_id_registered_to_someone_else_is_refused(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head
) -> None:
    Volunteer.objects.create(
        unit=demo["unit"], person=dept_head, registered_on=DAY, national_id="NV-1"
    )
    problems = _refusal(demo["unit"], coordinator, sheet([row("陈晓燕", 2, national_id="NV-1")]))
    assert problems == ["第3行：志愿者编号“NV-1”登记的是张明，与表中姓名“陈晓燕”不一致，请核对。"]


def test_every_bad_row_is_named_and_nothing_is_kept(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = sheet(
        [
            row("张明", 2),  # row 3: good
            row("王小二", 2),  # 4: not of the unit
            row("陈晓燕", "两小时"),  # 5
            row("陈晓燕", -1),  # 6
            row("陈晓燕", 25),  # 7
            row("陈晓燕", 1.555),  # 8
            row("孙伟", 2, day=None),  # 9
            row("孙伟", 2, day="2026-02-30"),  # 10
            row("孙伟", 2, day=datetime.date(2026, 6, 16)),  # 11
            row("", 2),  # 12
            row("李文静", 2, project="x" * 201),  # 13
        ]
    )
    problems = _refusal(demo["unit"], coordinator, content)
    assert problems == [
        "第4行：“王小二”不是本单位人员：请核对姓名，或请创建办先在组织机构中添加该人员。",
        "第5行：服务时长“两小时”不是数字，请只填写小时数，如 2.5。",
        "第6行：服务时长-1小时是负数。",
        "第7行：服务时长25小时超过了一天24小时，请按天分行填写。",
        "第8行：服务时长1.555小时最多保留两位小数。",
        "第9行：缺少服务日期。",
        "第10行：服务日期“2026-02-30”无法识别，请写成 2026-03-20。",
        "第11行：服务日期2026-06-16晚于今天，请核对。",
        "第12行：缺少姓名，请填写本单位人员的姓名。",
        "第13行：服务项目超过200字，请精简。",
    ]


def test_a_row_repeated_in_the_sheet_names_both_rows(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = sheet(
        [
            row("张明", 2),
            row("张明", 2, project="敬老院陪护"),  # another project: not a repeat
            row("陈晓燕", 1),
            row("张明", "2.00"),
        ]
    )
    problems = _refusal(demo["unit"], coordinator, content)
    assert problems == [
        "第6行：与第3行重复（张明 2026-05-10 2.00小时“文明交通劝导”），请删去其中一行。"
    ]


def test_a_row_already_imported_is_refused(demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    _import(demo["unit"], staff, sheet([row("张明", 2), row("陈晓燕", 1)]), "三月.xlsx")
    again = sheet([row("张明", 3, day=datetime.date(2026, 5, 12)), row("陈晓燕", 1)])
    with pytest.raises(HoursRefused) as caught:
        _import(demo["unit"], coordinator, again)
    assert [str(p) for p in caught.value.problems] == [
        "第4行：已在此前导入的“三月.xlsx”中登记过（陈晓燕 2026-05-10 1.00小时“文明交通劝导”），请删去。"
    ]
    assert HoursImport.objects.count() == 1 and ServiceHours.objects.count() == 2
    # A row taken out (removed) no longer stands in the way.
    ServiceHours.objects.filter(person=staff).update(removed_at=timezone.now())
    _import(demo["unit"], coordinator, again)
    assert ServiceHours.objects.filter(removed_at__isnull=True).count() == 3


def test_a_day_past_24_hours_lists_its_rows(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    content = sheet([row("张明", 20), row("张明", 5, project="敬老院陪护")])
    assert _refusal(demo["unit"], coordinator, content) == [
        "第3行：张明2026-05-10的时长合计25.00小时（第3行、第4行，含此前导入的），超过了一天24小时，请核对。"
    ]


def test_values_as_exports_hold_them(demo, coordinator, dept_head) -> None:  # type: ignore[no-untyped-def]
    serial = (datetime.date(2026, 4, 1) - datetime.date(1899, 12, 30)).days
    content = sheet(
        [
            row("张明", "1.5", day="2026.4.2"),
            row("张明", 0.1 + 0.2, day=serial),  # computed in Excel: 0.30000000000000004
            row("张明", 1.1, day="20260403"),
            row("张明", 1, day="2026-04-04 09:00-11:00"),
        ]
    )
    _import(demo["unit"], coordinator, content)
    got = list(ServiceHours.objects.order_by("served_on").values_list("served_on", "hours"))
    assert got == [
        (datetime.date(2026, 4, 1), Decimal("0.30")),
        (datetime.date(2026, 4, 2), Decimal("1.50")),
        (datetime.date(2026, 4, 3), Decimal("1.10")),
        (datetime.date(2026, 4, 4), Decimal("1.00")),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "上传的文件是空的"),
        (b"%PDF-1.7 ...", "这是 PDF 文件"),
        ("姓名,服务时长,服务日期\n张明,2,2026-05-10\n".encode(), "这是纯文本文件"),
        (sheet([["张明", 2]], header=["名字", "时长"]), "没有找到表头"),
        (sheet([["张明", 2]], header=["姓名", "服务时长"]), "有“姓名”列，但缺少“服务日期”列"),
        (sheet([["张明", 90, DAY]], header=["姓名", "服务时长（分钟）", "服务日期"]), "按分钟计"),
        (sheet([]), "表头下没有时长记录"),
    ],
)
def test_a_file_that_is_not_a_sheet_of_hours(demo, coordinator, content, message) -> None:  # type: ignore[no-untyped-def]
    problems = _refusal(demo["unit"], coordinator, content)
    assert len(problems) == 1 and message in problems[0]


def test_the_header_may_come_in_any_order_below_a_title(demo, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    header = ["服务日期", "时长(小时)", "志愿者姓名", "备注"]
    _import(demo["unit"], coordinator, sheet([[DAY, 3, "陈晓燕", "x"]], header=header))
    assert ServiceHours.objects.get().person == staff


def test_queries_do_not_grow_with_the_rows(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    people = [_person(demo, f"zyz{n}", f"志愿者{n}") for n in range(20)]
    start = datetime.date(2026, 1, 1)

    def rows(count: int, offset: int) -> bytes:
        return sheet(
            [
                row(people[n % 20].first_name, 1, day=start + datetime.timedelta(n // 20 + offset))
                for n in range(count)
            ]
        )

    small, large = rows(10, 100), rows(900, 0)  # 900 rows: ten batches of the bulk insert
    with CaptureQueriesContext(connection) as few:
        _import(demo["unit"], coordinator, small)
    with CaptureQueriesContext(connection) as many:
        _import(demo["unit"], coordinator, large, "second.xlsx")
    assert ServiceHours.objects.count() == 910
    assert len(many) - len(few) <= 900 // 90  # only the batches of the insert grow


@pytest.mark.usefixtures("soffice_required")
def test_an_xls_export_is_read_like_xlsx(demo, coordinator, dept_head, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    source = tmp_path / "时长.xlsx"
    source.write_bytes(sheet([row("张明", 2.5), row("张明", 1, day=datetime.date(2026, 5, 11))]))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [str(soffice), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xls", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    content = (tmp_path / "out" / "时长.xls").read_bytes()
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    result = hours_import(
        unit=demo["unit"], user=coordinator, content=content, file_name="时长.xls"
    )
    assert (result.record.rows, result.record.hours) == (2, Decimal("3.50"))
    assert hours.of_person(dept_head, demo["unit"]) == Decimal("3.50")


def test_header_names_are_read_without_spaces_and_marks(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    header = [" 姓 名* ", "服务日期", "服务时长（小时）"]
    _import(demo["unit"], coordinator, sheet([["张明", DAY, 2]], header=header, title=False))
    assert ServiceHours.objects.count() == 1

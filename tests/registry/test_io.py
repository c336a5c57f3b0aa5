"""The registry's Excel export and import (文明单位名录): columns and filters both ways, the
preview before anything is saved, every refusal with its row and column and nothing saved,
.xls through the framework reader, files that are not spreadsheets."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wenming.orgs.models import Organization, OrgKind
from wenming.registry import io as registry_io
from wenming.registry import services
from wenming.registry.models import Honour, HonourEvent, HonourStatus, RegistryEntry
from wenming.trace.models import Change

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
THIS_YEAR = datetime.date.today().year


def unit(parent: Organization, name: str) -> Organization:
    return Organization.objects.create(kind=OrgKind.UNIT, parent=parent, name=name)


@pytest.fixture
def registry(demo: dict[str, Any], office_admin: User) -> dict[str, Any]:
    """Two registered units of 临州市文明办: one with two honours (one of them warned), one
    without honours."""
    office = demo["office"]
    water = services.entry_register(
        office=office,
        user=office_admin,
        unit=unit(office, "临州市水务局"),
        sector="机关",
        area="城东区",
        staff_count=120,
        info_admin_name="周敏",
        info_admin_phone="0571-88001234",
    )
    services.honour_add(
        entry=water, user=office_admin, title="市级文明单位", level="city", year_named=2020
    )
    warned = services.honour_add(
        entry=water, user=office_admin, title="省级文明单位", level="province", year_named=2023
    )
    services.honour_change_status(
        honour=warned,
        user=office_admin,
        to_status=HonourStatus.WARNED,
        decided_on=datetime.date.today(),
        reason='=HYPERLINK("http://x")',
        document_title="临文明办〔2026〕3号",
    )
    library = services.entry_register(
        office=office, user=office_admin, unit=unit(office, "临州市图书馆"), sector="事业单位"
    )
    return {"office": office, "water": water, "library": library, "warned": warned}


def sheet_rows(content: bytes, sheet: int = 0) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    return [list(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]


def workbook(rows: list[list[Any]], title: str | None = "临州市文明单位名录") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    if title:
        ws.append([title])
        ws.append([])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def upload(client: Any, content: bytes, name: str = "名录.xlsx", **options: Any) -> Any:
    data = {"file": SimpleUploadedFile(name, content), **options}
    return client.post(reverse("registry:import"), data)


def problems(response: Any) -> list[str]:
    return [str(p) for p in response.context["problems"]]


# --- export ------------------------------------------------------------------------------------


def test_export_has_the_columns_a_row_per_honour_and_the_history(
    registry: dict[str, Any], office_admin: User, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(office_admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("registry:export"), {"office": registry["office"].pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert rows[0][0] == "临州市文明办 文明单位名录"
    assert rows[2] == registry_io.COLUMNS
    body = {(r[0], r[6]): r for r in rows[3:]}
    assert ("临州市图书馆", None) in body  # a unit without honours has a row of its own
    province = body[("临州市水务局", "省级文明单位")]
    assert province[1:6] == ["机关", "城东区", 120, "周敏", "0571-88001234"]
    assert province[7:14] == ["省级", None, None, 2023, 3, 2025, "黄牌警告"]
    assert body[("临州市水务局", "市级文明单位")][13] == "命名"
    history = sheet_rows(response.content, 1)
    assert history[2] == registry_io.HISTORY
    changes = [r for r in history[3:] if r[1] == "省级文明单位"]
    assert [(r[4], r[5]) for r in changes] == [("（新）", "命名"), ("命名", "黄牌警告")]
    assert changes[1][7] == "临文明办〔2026〕3号"


def test_export_follows_the_list_filters_and_writes_formulas_as_text(
    registry: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    response = client.get(reverse("registry:export"), {"level": "province", "status": "warned"})
    rows = sheet_rows(response.content)[3:]
    assert [(r[0], r[6]) for r in rows] == [("临州市水务局", "省级文明单位")]
    history = load_workbook(io.BytesIO(response.content)).worksheets[1]
    reasons = [c for c in history["I"] if c.value and str(c.value).startswith("=HYPERLINK")]
    assert reasons and all(c.data_type == "s" for c in reasons)
    by_sector = sheet_rows(client.get(reverse("registry:export"), {"sector": "事业单位"}).content)[
        3:
    ]
    assert [r[0] for r in by_sector] == ["临州市图书馆"]
    by_name = sheet_rows(
        client.get(reverse("registry:export"), {"q": "水务", "year": 2020}).content
    )
    assert [(r[0], r[10]) for r in by_name[3:]] == [("临州市水务局", 2020)]


def test_a_unit_exports_only_its_own_entry(
    registry: dict[str, Any],
    demo: dict[str, Any],
    office_admin: User,
    coordinator: User,
    as_user: Any,
) -> None:
    services.entry_register(office=demo["office"], user=office_admin, unit=demo["unit"])
    rows = sheet_rows(as_user(coordinator).get(reverse("registry:export")).content)[3:]
    assert {r[0] for r in rows} == {demo["unit"].name}


def test_the_export_imports_back_as_already_there(
    registry: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    client = as_user(office_admin)
    content = client.get(reverse("registry:export")).content
    response = upload(client, content, skip_existing="on")
    assert response.status_code == 200, problems(response) if response.context else response
    plan = response.context["plan"]
    assert not plan.new_entries and not plan.new_honours
    assert len(plan.skipped) == 3


# --- import: the happy path ---------------------------------------------------------------------


def test_import_previews_then_creates_entries_honours_and_events(
    registry: dict[str, Any], demo: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    office = demo["office"]
    unit(office, "临州市气象局")
    content = workbook(
        [
            # columns in another order, an extra column, a unit on two rows
            [
                "序号",
                "称号",
                "单位名称",
                "级别",
                "命名年度",
                "有效期（年）",
                "区域",
                "备注",
                "状态",
            ],
            [1, "市级文明单位", "临州市气象局", "市级", 2021, "3年", "城西区", "x", "保留"],
            [2, "文明单位标兵", "临州市气象局", "市级", "2024年", 5, "", "", ""],
            [3, "县级文明单位", "临州市新建中学", "县级", 2022, "", "城北区", "", ""],
            [4, "市级文明单位", "临州市图书馆", "市级", 2019, "", "", "", "期满"],
        ]
    )
    client = as_user(office_admin)
    before = (RegistryEntry.objects.count(), Honour.objects.count())
    response = upload(client, content, create_units="on")
    assert response.status_code == 200, problems(response)
    assert response.context["new_entry_count"] == 2
    assert response.context["new_unit_count"] == 1
    assert response.context["new_honour_count"] == 4
    assert (RegistryEntry.objects.count(), Honour.objects.count()) == before  # nothing yet
    payload = response.context["payload"]
    done = client.post(reverse("registry:import"), {"payload": payload})
    assert done.status_code == 302
    weather = RegistryEntry.objects.get(unit__name="临州市气象局")
    assert weather.office == office and weather.area == "城西区"
    honours = {h.title: h for h in weather.honours.all()}
    assert honours["市级文明单位"].status == HonourStatus.KEPT
    assert honours["文明单位标兵"].term_years == 5
    assert honours["文明单位标兵"].year_named == 2024
    school = RegistryEntry.objects.get(unit__name="临州市新建中学")
    assert school.unit.parent == office and school.unit.kind == OrgKind.UNIT
    library = registry["library"]
    assert library.honours.get().status == HonourStatus.EXPIRED
    assert HonourEvent.objects.filter(honour__entry=weather).count() == 2
    assert Change.objects.filter(kind__in=["registry_entry", "honour"]).exists() or (
        Change.objects.filter(object_repr__contains="临州市气象局").exists()
    )
    assert Change.objects.filter(
        actor=office_admin, object_repr__contains="临州市新建中学"
    ).exists()


# --- import: refusals ---------------------------------------------------------------------------


HEADER = list(registry_io.COLUMNS)


def row(**values: Any) -> list[Any]:
    names = {
        "name": "单位名称", "title": "称号", "level": "级别", "year": "命名年度",
        "term": "有效期（年）", "last": "届满年度", "status": "状态", "on": "状态变更日期",
        "staff": "职工人数", "phone": "联系电话",
    }  # fmt: skip
    cells = dict.fromkeys(HEADER, None)
    for key, value in values.items():
        cells[names[key]] = value
    return [cells[h] for h in HEADER]


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_saved(
    registry: dict[str, Any], demo: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    office = demo["office"]
    district = Organization.objects.create(kind=OrgKind.OFFICE, parent=office, name="城东区文明办")
    services.entry_register(office=district, user=office_admin, unit=unit(district, "城东区医院"))
    unit(office, "临州市档案馆")
    future = datetime.date.today() + datetime.timedelta(days=3)
    content = workbook(
        [
            HEADER,  # row 3
            row(name="临州市档案馆", title="市级文明单位", level="地市级", year=2022),  # 4
            row(name="临州市不存在局", title="市级文明单位", level="市级", year=2022),  # 5
            row(name="云岭市税务局", title="市级文明单位", level="市级", year=2022),  # 6
            row(name="城东区医院", title="市级文明单位", level="市级", year=2022),  # 7
            row(name="临州市档案馆", title="县级文明单位", level="县级", year="二〇二〇"),  # 8
            row(name="临州市档案馆", title="县级文明单位", level="县级", year=2021, term=4),  # 9
            row(name="临州市档案馆", title="文明机关", level="市级", year=2021, last=2030),  # 10
            row(
                name="临州市档案馆", title="文明校园", level="市级", year=2021, status="摘牌"
            ),  # 11
            row(
                name="临州市档案馆", title="文明单位标兵", level="市级", year=2021, status="撤销"
            ),  # 12
            row(
                name="临州市档案馆", title="省级文明单位", level="省级", year=2021, on=future
            ),  # 13
            row(name="临州市档案馆", staff="很多", phone="电话号码"),  # 14
            row(name="临州市档案馆", title="全国文明单位", level="全国", year=THIS_YEAR + 1),  # 15
            row(name="临州市档案馆", title="市级文明单位", level="市级", year=2019),  # 16
            row(name="临州市档案馆", title="市级文明单位", level="市级", year=2019),  # 17
            row(name="临州市水务局", title="市级文明单位", level="市级", year=2020),  # 18
            row(name="", title="市级文明单位", level="市级", year=2020),  # 19
        ]
    )
    before = (Organization.objects.count(), RegistryEntry.objects.count(), Honour.objects.count())
    response = upload(as_user(office_admin), content)
    assert response.status_code == 422
    found = problems(response)
    expected = [
        "第4行“级别”：“地市级”不是可选的级别（县级、市级、省级、全国）。",
        "第5行“单位名称”：组织机构中没有名为“临州市不存在局”的在用单位。请先在“组织机构”中新建该单位，"
        "或勾选“名录中没有的单位按名称新建”后重新上传。",
        "第6行“单位名称”：组织机构中没有名为“云岭市税务局”的在用单位。",
        "第7行“单位名称”：“城东区医院”已在城东区文明办的名录中，不能再登记到临州市文明办的名录。",
        "第8行“命名年度”：“二〇二〇”不是有效的年度",
        "第9行“有效期（年）”：“4”不是可选的有效期（2年、3年、5年）。",
        "第10行“届满年度”：“2030”与命名年度2021年、有效期3年不符（应为2023年）",
        "第11行“状态”：“摘牌”不是可选的状态（命名、保留、限期整改、黄牌警告、撤销、期满）。",
        "第12行“状态”：已撤销的称号不能直接导入",
        f"第13行“状态变更日期”：{future:%Y-%m-%d}还没有到",
        "第14行“联系电话”：联系电话只能包含数字",
        "第14行“职工人数”：“很多”不是人数",
        "第15行“命名年度”：",
        "第17行：与第16行重复（同一单位、称号、级别和命名年度）",
        "第18行：“临州市水务局”的2020年 市级文明单位（市级）已在名录中。如只导入表中新增的记录，请勾选“跳过已有记录”",
        "第19行“单位名称”：请填写单位名称。",
    ]
    for sentence in expected:
        assert any(p.startswith(sentence) for p in found), (sentence, found)
    assert (
        Organization.objects.count(),
        RegistryEntry.objects.count(),
        Honour.objects.count(),
    ) == before


def test_skipping_existing_records_and_creating_units_are_the_users_choice(
    registry: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    content = workbook(
        [
            HEADER,
            row(name="临州市水务局", title="市级文明单位", level="市级", year=2020),
            row(name="临州市水务局", title="文明单位标兵", level="市级", year=2024),
        ]
    )
    client = as_user(office_admin)
    assert upload(client, content).status_code == 422
    response = upload(client, content, skip_existing="on")
    assert response.status_code == 200
    assert [str(s) for s in response.context["plan"].skipped] == [
        "第4行：“临州市水务局”的2020年 市级文明单位（市级）已在名录中，跳过。"
    ]
    client.post(reverse("registry:import"), {"payload": response.context["payload"]})
    assert registry["water"].honours.count() == 3


def test_confirmation_checks_again_and_saves_nothing_when_the_registry_changed(
    registry: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    content = workbook(
        [
            HEADER,
            row(name="临州市图书馆", title="市级文明单位", level="市级", year=2021),
            row(name="临州市水务局", title="文明单位标兵", level="市级", year=2024),
        ]
    )
    client = as_user(office_admin)
    payload = upload(client, content).context["payload"]
    services.honour_add(
        entry=registry["water"],
        user=office_admin,
        title="文明单位标兵",
        level="city",
        year_named=2024,
    )
    count = Honour.objects.count()
    response = client.post(reverse("registry:import"), {"payload": payload})
    assert response.status_code == 422
    assert any("已在名录中" in p for p in problems(response))
    assert Honour.objects.count() == count  # the library's honour was not saved either


def test_a_payload_is_bound_to_its_user(
    registry: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    content = workbook(
        [HEADER, row(name="临州市图书馆", title="市级文明单位", level="市级", year=2021)]
    )
    payload = upload(as_user(office_admin), content).context["payload"]
    superuser = User.objects.create_superuser("root", password="x")
    assert (
        as_user(superuser).post(reverse("registry:import"), {"payload": payload}).status_code == 404
    )
    tampered = payload[:-3] + "abc"
    response = as_user(office_admin).post(reverse("registry:import"), {"payload": tampered})
    assert response.status_code == 404


def test_only_office_admins_import(
    demo: dict[str, Any], coordinator: User, outsider_admin: User, as_user: Any
) -> None:
    assert as_user(coordinator).get(reverse("registry:import")).status_code == 403
    content = workbook(
        [HEADER, row(name="临州市水务局", title="市级文明单位", level="市级", year=2020)]
    )
    response = as_user(outsider_admin).post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("名录.xlsx", content), "office": demo["office"].pk},
    )
    assert response.status_code == 422  # 临州市文明办 is not among the choices
    assert "请选择您管理的文明办。" in response.content.decode()


# --- import: files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "名录.xlsx", "PDF"),
        ("单位名称,称号\n临州市水务局,市级文明单位\n".encode(), "名录.xlsx", "纯文本"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "名录.xls", "与扩展名.xls不符"),
        (b"", "名录.xlsx", "空"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(
    demo: dict[str, Any], office_admin: User, as_user: Any, content: bytes, name: str, says: str
) -> None:
    response = upload(as_user(office_admin), content, name)
    assert response.status_code == 422
    text = response.content.decode()
    assert "未导入" in text or "文件" in text
    if says:
        assert says in text


def test_a_word_document_is_refused_as_not_a_spreadsheet(
    demo: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    response = upload(as_user(office_admin), buf.getvalue(), "名录.docx")
    assert response.status_code == 422
    found = " ".join(problems(response))
    assert "不是 Excel 表格" in found


def test_a_file_over_the_limit_is_refused(
    demo: dict[str, Any], office_admin: User, as_user: Any, settings: Any
) -> None:
    settings.WENMING_IMPORT_MAX_BYTES = 1024
    content = workbook([HEADER] + [row(name=f"单位{n}") for n in range(200)])
    response = upload(as_user(office_admin), content)
    assert response.status_code == 422
    assert any("文件超过" in p for p in problems(response))


def test_a_sheet_without_the_header_is_refused(
    demo: dict[str, Any], office_admin: User, as_user: Any
) -> None:
    response = upload(as_user(office_admin), workbook([["名称", "荣誉"], ["a", "b"]]))
    assert response.status_code == 422
    assert any("没有找到表头" in p for p in problems(response))


@pytest.mark.usefixtures("soffice_required")
def test_an_xls_workbook_is_read_like_xlsx(
    registry: dict[str, Any], office_admin: User, as_user: Any, tmp_path: Path
) -> None:
    source = tmp_path / "名录.xlsx"
    source.write_bytes(
        workbook([HEADER, row(name="临州市图书馆", title="市级文明单位", level="市级", year=2021)])
    )
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xls", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    content = (tmp_path / "out" / "名录.xls").read_bytes()
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    client = as_user(office_admin)
    response = upload(client, content, "名录.xls")
    assert response.status_code == 200, problems(response)
    client.post(reverse("registry:import"), {"payload": response.context["payload"]})
    assert registry["library"].honours.get().title == "市级文明单位"

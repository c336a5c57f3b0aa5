"""Importing evaluation systems from the Excel sheets offices circulate, good and bad."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from openpyxl import Workbook

from wenming.frameworks import services
from wenming.frameworks.io import excel
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.models import Framework, Node, ScoringMode, Section

HEADER = ["序号", "测评项目", "测评内容", "测评标准", "分值", "测评方法", "佐证材料", "备注"]


def xlsx(rows: list[list[Any]], merges: tuple[str, ...] = (), *, title: str = "Sheet1") -> bytes:
    """A real workbook: rows from row 1, then the given merged ranges (e.g. "B4:B7")."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_sheet() -> tuple[list[list[Any]], tuple[str, ...]]:
    """What an office sends: title, a notes row, header in row 3, merged item cells."""
    rows: list[list[Any]] = [
        ["临州市文明单位测评体系（2025年版）"],
        ["发布机关：临州市精神文明建设委员会办公室；级别：市级；基本分：10分"],
        HEADER,
        [
            None,
            "组织领导（6分）",
            "工作机制（4分）",
            "每年召开精神文明建设专题会议",
            "2分",
            "材料审核、实地考察",
            "会议纪要",
            None,
        ],
        [None, None, None, "制定年度创建实施方案", 2, "材料审核", "正式文件", None],
        [
            None,
            None,
            "经费保障",
            "创建经费列入年度预算",
            1.5,
            "材料审核，问卷调查",
            None,
            "含专项经费",
        ],
        [None, None, None, "设立文明创建专项资金", "0.5分", "材料审核/网络调查", None, None],
        [
            None,
            "思想道德建设(4分)",
            "理论学习（4分）",
            "开展理论学习",
            "3分",
            "听取汇报 材料审核",
            None,
            None,
        ],
        [None, None, None, "学习有记录", 1, "材料审核", None, None],
        ["合计", None, None, None, 10, None, None, None],
        ["特色指标（加分项，最高加5分）"],
        [None, None, None, "获得市级以上综合性表彰", 3, "材料审核", "表彰文件", None],
        [None, None, None, "创建经验被推广", "2分", "材料审核", None, None],
        ["负面清单（扣分项，最多扣10分）"],
        [None, None, None, "窗口服务被投诉并经查实", "每起扣2分", None, None, None],
        [None, None, None, "环境卫生被通报", -1, None, None, None],
        ["一票否决项"],
        [None, None, None, "发生重大安全生产事故", None, None, None, None],
        [None, None, None, "弄虚作假骗取荣誉", "—", None, None, None],
    ]
    merges = (
        "A1:H1",
        "A2:H2",
        "B4:B7",
        "C4:C5",
        "C6:C7",
        "B8:B9",
        "C8:C9",
        "A10:D10",
        "A11:H11",
        "A14:H14",
        "A17:H17",
    )
    return rows, merges


def _import(content: bytes, demo, office_admin, filename: str = "测评体系.xlsx"):  # type: ignore[no-untyped-def]
    return services.framework_import(
        content=content, filename=filename, owner=demo["office"], user=office_admin
    )


def _fails(content: bytes, demo, office_admin, filename: str = "测评体系.xlsx"):  # type: ignore[no-untyped-def]
    before = Framework.objects.count()
    nodes = Node.objects.count()
    result = _import(content, demo, office_admin, filename)
    assert not result.ok
    assert result.problems
    assert Framework.objects.count() == before and Node.objects.count() == nodes
    return result.problems


def test_office_sheet_imports_as_a_tree(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    result = _import(xlsx(rows, merges), demo, office_admin)
    assert result.ok, [str(p) for p in result.problems]
    framework = result.framework
    assert framework.name == "临州市文明单位测评体系（2025年版）"
    assert framework.edition_year == 2025 and framework.level == "city"
    assert framework.issuer == "临州市精神文明建设委员会办公室"
    assert framework.basic_points == Decimal("10") and framework.bonus_cap == Decimal("5")
    assert framework.deduction_cap == Decimal("10")
    assert framework.owner == demo["office"] and framework.created_by == office_admin
    assert result.summary["items"] == 2 and result.summary["standards"] == 12
    nodes = {n.code: n for n in Node.objects.filter(framework=framework)}
    assert [c for c in nodes if nodes[c].depth == 0] == [
        "A",
        "B",
        "X1",
        "X2",
        "Y1",
        "Y2",
        "V1",
        "V2",
    ]
    item = nodes["A"]
    assert item.title == "组织领导" and item.points == Decimal("6") and not item.is_leaf
    assert nodes["A1"].title == "工作机制" and nodes["A1"].parent == item
    assert nodes["A2"].title == "经费保障" and nodes["A2"].points == Decimal("2")  # derived
    assert nodes["B"].title == "思想道德建设" and nodes["B"].points == Decimal("4")
    first = nodes["A1-1"]
    assert first.points == Decimal("2") and first.parent == nodes["A1"] and first.is_leaf
    assert first.methods == ["材料审核", "实地考察"] and first.evidence == "会议纪要"
    assert nodes["A2-1"].points == Decimal("1.5") and nodes["A2-1"].note == "含专项经费"
    assert nodes["A2-1"].methods == ["材料审核", "问卷调查"]
    assert nodes["A2-2"].points == Decimal("0.5") and nodes["A2-2"].methods == [
        "材料审核",
        "网络调查",
    ]
    assert nodes["B1-1"].methods == ["听取汇报", "材料审核"]
    assert nodes["X1"].section == Section.BONUS and nodes["X1"].points == Decimal("3")
    assert nodes["X1"].parent is None and nodes["X2"].points == Decimal("2")
    assert nodes["Y1"].section == Section.DEDUCTION and nodes["Y1"].per_incident == Decimal("2")
    assert nodes["Y1"].incident_unit == "起" and nodes["Y2"].per_incident == Decimal("1")
    assert nodes["V1"].section == Section.VETO and nodes["V1"].points is None
    assert nodes["V2"].title == "弄虚作假骗取荣誉"
    assert sorted(n.section for n in nodes.values() if n.is_leaf).count(Section.BASIC) == 6


def test_merged_cells_read_as_same_as_above():  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    spec = excel.load(xlsx(rows, merges))
    basic = spec.section_roots(Section.BASIC)
    assert [len(c.children) for c in basic[0].children] == [2, 2]
    # The same sheet with every item cell filled in instead of merged reads the same.
    filled = [list(r) for r in rows]
    for number in (5, 6, 7):
        filled[number - 1][1] = "组织领导（6分）"
    filled[8][1], filled[8][2] = "思想道德建设(4分)", "理论学习（4分）"
    filled[4][2], filled[6][2] = "工作机制（4分）", "经费保障"
    assert excel.load(xlsx(filled)).comparable() == spec.comparable()


def test_two_level_sheet_with_synonyms_and_codes(demo, office_admin):  # type: ignore[no-untyped-def]
    rows = [
        ["附件1"],
        ["云岭市文明机关考评细则"],
        ["填表说明：本表共两级指标。"],
        [None],
        ["编号", "一级指标", "考评标准", "标准分", "考评方法", "印证材料", "评分方式", "材料时限"],
        [
            "1.1",
            "组织建设",
            "成立领导小组",
            2,
            "材料审核",
            "成立文件",
            "等级：达到 2 / 未达到 0",
            "近三年",
        ],
        ["1.2", None, "有年度计划", 3, "材料审核", "计划", "等级：A/B/C/C#", None],
        ["2.1", "志愿服务", "建立志愿服务队", 5, "实地考察", None, "按缺项扣分", None],
    ]
    result = _import(xlsx(rows, ("B6:B7",)), demo, office_admin)
    assert result.ok, [str(p) for p in result.problems]
    framework = result.framework
    assert framework.name == "云岭市文明机关考评细则" and framework.edition_year is None
    assert "本表共两级指标" in framework.description
    nodes = {n.code: n for n in Node.objects.filter(framework=framework)}
    assert set(nodes) == {"A", "B", "1.1", "1.2", "2.1"}
    assert nodes["1.1"].parent == nodes["A"] and nodes["2.1"].parent == nodes["B"]
    assert nodes["A"].points == Decimal("5") and nodes["1.1"].material_window == "近三年"
    assert nodes["1.1"].scoring_mode == ScoringMode.GRADE
    assert nodes["1.1"].grades == [
        {"label": "达到", "points": "2"},
        {"label": "未达到", "points": "0"},
    ]
    assert [g["points"] for g in nodes["1.2"].grades] == ["3", "1.98", "0.99", "0"]
    assert nodes["2.1"].scoring_mode == ScoringMode.DEDUCT


def test_scoring_rule_header_is_the_standard_only_when_nothing_else_is():  # type: ignore[no-untyped-def]
    header = ["测评项目", "测评内容", "分值", "评分标准"]
    spec = excel.load(xlsx([header, ["组织", "有计划", 2, "缺计划扣2分"]]))
    leaf = spec.roots[0].children[0]
    assert leaf.title == "有计划" and leaf.scoring_rule == "缺计划扣2分"
    spec = excel.load(xlsx([["测评项目", "评分标准", "分值"], ["组织", "有计划", 2]]))
    assert spec.roots[0].children[0].title == "有计划"


def test_deduction_wordings_and_caps():  # type: ignore[no-untyped-def]
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织", "有计划", 2],
        ["负面清单"],
        [None, "被通报", "扣2分/次"],
        [None, "被投诉", "每次扣1分，最多扣5分"],
        [None, "被曝光", "-3分"],
        ["一票否决"],
        [None, "重大事故", None],
    ]
    spec = excel.load(xlsx(rows))
    y1, y2, y3 = spec.section_roots(Section.DEDUCTION)
    assert (y1.per_incident, y1.incident_unit) == (Decimal("2"), "次")
    assert (y2.per_incident, y2.incident_unit, y2.deduction_cap) == (
        Decimal("1"),
        "次",
        Decimal("5"),
    )
    assert (y3.per_incident, y3.incident_unit) == (Decimal("3"), "")
    assert [r.code for r in spec.roots] == ["A", "Y1", "Y2", "Y3", "V1"]


def test_header_found_by_name_after_many_notes_rows():  # type: ignore[no-untyped-def]
    rows = [
        ["测评体系"],
        *[[f"注{i}：说明文字"] for i in range(8)],
        ["分 值", "测评\n项目", "测评标准"],
        [2, "组织", "有计划"],
    ]
    spec = excel.load(xlsx(rows))
    assert spec.roots[0].children[0].points == Decimal("2")


def test_county_sheet_with_numbered_levels_and_section_rows():  # type: ignore[no-untyped-def]
    rows = [
        ["附件2"],
        ["某县文明单位测评细则"],
        ["一级指标", "二级指标", "三级指标", "分数", "考评方法", "台账资料"],
        ["一、基本指标（5分）"],
        ["（一）组织领导（3分）", "1.领导机制(2分)", "成立领导小组", 2, "材料审核", "文件"],
        [None, None, None, None, None, "调整文件"],
        [None, "2.经费", "经费保障", 1, "实地考察", None],
        ["（二）学习", "学习", "学习记录", 2, None, None],
        ["小计", None, None, 5],
        ["二、加分项目（累计不超过3分）"],
        [None, None, "获表彰", 3],
        ["注：本细则由县文明办负责解释。"],
    ]
    spec = excel.load(xlsx(rows, ("A5:A7", "B5:B6")))
    assert spec.name == "某县文明单位测评细则" and spec.basic_points == Decimal("5")
    assert spec.bonus_cap == Decimal("3") and spec.description == "注：本细则由县文明办负责解释。"
    first, second, bonus = spec.roots
    # Ordinals (“（一）”, “1.”) number a node among its siblings: they become its code.
    assert (first.code, first.title, first.points) == ("A", "组织领导", Decimal("3"))
    assert [(c.code, c.title, c.points) for c in first.children] == [
        ("A1", "领导机制", Decimal("2")),
        ("A2", "经费", None),
    ]
    assert first.children[0].children[0].evidence == "文件\n调整文件"
    assert second.points is None and second.effective_points() == Decimal("2")
    assert (bonus.code, bonus.section, bonus.points) == ("X1", Section.BONUS, Decimal("3"))


def test_active_sheet_is_read_when_the_first_is_a_cover():  # type: ignore[no-untyped-def]
    book = Workbook()
    book.active.title = "封面"
    book.active.append(["关于印发测评体系的通知"])
    sheet = book.create_sheet("测评体系")
    sheet.append(["测评项目", "测评标准", "分值"])
    sheet.append(["组织", "有计划", 2])
    for active in (1, 0):  # every sheet is read, whichever was active when saved
        book.active = active
        out = io.BytesIO()
        book.save(out)
        spec = excel.load(out.getvalue())
        assert spec.name == "测评体系" and spec.roots[0].children[0].points == Decimal("2")
        assert spec.description == "关于印发测评体系的通知"


# -- bad input: each names the row and column, and nothing is written ---------------------


def test_renamed_text_file_is_refused(demo, office_admin):  # type: ignore[no-untyped-def]
    problems = _fails("测评项目,分值\n组织,2\n".encode(), demo, office_admin, "体系.xlsx")
    assert "纯文本文件" in problems[0].message  # says what the file really is


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 200,  # truncated ZIP
        None,  # a ZIP that is not a workbook
    ],
)
def test_damaged_or_foreign_zip_is_refused(content, demo, office_admin):  # type: ignore[no-untyped-def]
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    problems = _fails(content, demo, office_admin)
    assert problems[0].message.startswith(("文件已损坏", "这是压缩包"))


def test_empty_sheet_is_refused(demo, office_admin):  # type: ignore[no-untyped-def]
    problems = _fails(xlsx([]), demo, office_admin)
    assert "是空的" in problems[0].message


def test_header_only_is_refused(demo, office_admin):  # type: ignore[no-untyped-def]
    problems = _fails(xlsx([["体系"], HEADER]), demo, office_admin)
    assert problems[0].row == 2 and "没有读到任何测评标准" in problems[0].message


def test_sheet_without_needed_columns_names_them(demo, office_admin):  # type: ignore[no-untyped-def]
    rows = [
        ["某某工作台账"],
        ["名称", "测评标准", "负责人", "完成时间"],
        ["计划", "有计划", "张三", "3月"],
    ]
    problems = _fails(xlsx(rows, title="台账"), demo, office_admin)
    assert len(problems) == 1
    message = problems[0].message
    assert "缺少“分值”" in message and "名称、测评标准、负责人、完成时间" in message
    assert problems[0].row == 2


def test_bad_points_are_all_reported_with_row_and_column(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    rows[3][4] = "三分"  # text
    rows[4][4] = -2  # negative
    rows[6][4] = None  # missing
    problems = _fails(xlsx(rows, merges), demo, office_admin)
    where = [(p.row, p.column) for p in problems]
    assert where == [(4, "分值"), (5, "分值"), (7, "分值")]
    assert "不是数字" in problems[0].message
    assert "不能为负数" in problems[1].message
    assert "缺少分值" in problems[2].message


def test_duplicate_codes_are_reported(demo, office_admin):  # type: ignore[no-untyped-def]
    rows = [
        ["体系"],
        ["编号", "测评项目", "测评标准", "分值"],
        ["A1", "组织", "有计划", 2],
        ["A1", None, "有总结", 1],
    ]
    problems = _fails(xlsx(rows), demo, office_admin)
    assert [(p.row, p.column) for p in problems] == [(4, "编号")]
    assert "编号“A1”重复（第3行已使用）" in problems[0].message


def test_total_row_that_does_not_add_up(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    rows[9][4] = 12
    rows[1] = ["级别：市级"]
    problems = _fails(xlsx(rows, merges), demo, office_admin)
    assert [(p.row, p.column) for p in problems] == [(10, "分值")]
    assert "合计行写的是12分，但各项基本分值合计10分" in problems[0].message


def test_item_points_that_do_not_add_up(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    rows[3][1] = "组织领导（7分）"
    problems = _fails(xlsx(rows, merges), demo, office_admin)
    assert (problems[0].row, problems[0].column) == (4, "测评项目")
    assert "标注7分" in problems[0].message


def test_points_on_a_veto_row(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    rows[17][4] = 5
    problems = _fails(xlsx(rows, merges), demo, office_admin)
    assert [(p.row, p.column) for p in problems] == [(18, "分值")]
    assert "一票否决项不设分值" in problems[0].message


def test_every_problem_is_listed_at_once(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    rows[3][4] = "两分"
    rows[14][4] = "看情况"
    rows[17][4] = 1
    problems = _fails(xlsx(rows, merges), demo, office_admin)
    assert [p.row for p in problems] == [4, 15, 18]
    assert "扣分项的分值“看情况”无法识别" in problems[1].message


def test_values_too_long_for_the_database(demo, office_admin):  # type: ignore[no-untyped-def]
    rows = [
        ["体系"],
        ["编号", "测评项目", "测评标准", "分值", "材料时限"],
        ["A" * 41, "组织", "有计划", 2, None],
        ["一票否决"],
        ["V1", None, "重大事故", None, "申报前" * 40],
        ["负面清单"],
        ["Y1", None, "被通报", "每起扣20000分", None],
    ]
    problems = _fails(xlsx(rows), demo, office_admin)
    assert [(p.row, p.column) for p in problems] == [(3, "编号"), (5, "材料时限"), (7, "分值")]
    assert "编号过长（41字），最多40字" in problems[0].message
    assert "追溯期过长（120字），最多100字" in problems[1].message
    assert "每次扣分20000分过大" in problems[2].message


@override_settings(WENMING_IMPORT_MAX_BYTES=1024 * 1024)
def test_too_large_upload(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    problems = _fails(xlsx(rows, merges) + b"\0" * (1024 * 1024), demo, office_admin)
    assert "文件超过1MB" in problems[0].message


def test_zip_bomb_is_refused_before_parsing(demo, office_admin):  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows, merges)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(210):
                member.write(chunk)
    content = buffer.getvalue()
    assert len(content) < 2 * 1024 * 1024
    problems = _fails(content, demo, office_admin)
    assert "超过200MB" in problems[0].message


def test_oversized_shared_strings_are_refused(demo, office_admin):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>a</t></si>" * 700_000 + "</sst>")
    problems = _fails(buffer.getvalue(), demo, office_admin)
    assert "xl/sharedStrings.xml" in problems[0].message and "不像正常的" in problems[0].message


def test_load_raises_with_every_problem():  # type: ignore[no-untyped-def]
    rows, merges = office_sheet()
    rows[3][4] = "三分"
    rows[4][4] = "2.555"
    with pytest.raises(ImportFailed) as caught:
        excel.load(xlsx(rows, merges))
    assert [str(p) for p in caught.value.problems] == [
        "第4行，“分值”列：分值“三分”不是数字，应写成 3、1.5 或 3分；"
        "如指3分，也可在导入预览中确认按文字读分值",
        "第5行，“分值”列：分值“2.555”最多保留两位小数",
    ]


def test_generated_thousand_standards_import_quickly(demo, office_admin):  # type: ignore[no-untyped-def]
    import time

    rows: list[list[Any]] = [["大体系"], HEADER]
    for i in range(10):
        for j in range(10):
            for k in range(10):
                rows.append(
                    [
                        None,
                        f"项目{i}" if j == k == 0 else None,
                        f"内容{i}-{j}" if k == 0 else None,
                        f"标准{i}-{j}-{k}，有记录",
                        "1分",
                        "材料审核",
                        "台账",
                        None,
                    ]
                )
    rows.append(["合计", None, None, None, 1000])
    content = xlsx(rows)
    started = time.perf_counter()
    result = _import(content, demo, office_admin)
    elapsed = time.perf_counter() - started
    assert result.ok and result.summary["standards"] == 1000
    assert Node.objects.filter(framework=result.framework).count() == 1110
    assert elapsed < 4, elapsed  # bench/bench_import.py measures against the 2 s target

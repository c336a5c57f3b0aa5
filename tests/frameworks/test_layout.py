"""The layout reader: structure read from tables built in code, one layout feature per test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.utils.cell import range_boundaries

from wenming.frameworks.io.layout import read_layout
from wenming.frameworks.io.reading import Corrections, Reading
from wenming.frameworks.io.spec import NodeSpec
from wenming.frameworks.io.tables import Document, Merge, Table
from wenming.frameworks.models import ScoringMode, Section

D = Decimal


def table(
    rows: list[list[Any]],
    merges: tuple[str, ...] = (),
    *,
    name: str = "Sheet1",
    kind: str = "sheet",
    before: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
) -> Table:
    """A table as the format readers give it; merges in Excel notation (“A1:D1”)."""
    ranges = []
    for ref in merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        ranges.append(Merge(min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return Table(
        kind=kind,
        name=name,
        rows=[list(r) for r in rows],
        row_numbers=list(range(1, len(rows) + 1)),
        merges=ranges,
        before=list(before),
        after=list(after),
    )


def read(*tables: Table, kind: str = "xlsx", corrections: Corrections | None = None) -> Reading:
    return read_layout(Document(kind, f"测评.{kind}", list(tables)), corrections)


def ok(reading: Reading) -> Reading:
    assert [str(p) for p in reading.problems] == []
    assert reading.spec is not None
    return reading


def node(reading: Reading, code: str) -> NodeSpec:
    return next(n for n, _ in reading.tree.walk() if n.code == code)


def roles(reading: Reading, sheet: str = "Sheet1") -> dict[int, str]:
    return {r.row: r.role for r in reading.rows if r.sheet == sheet}


HEADER = ["测评项目", "测评内容", "测评标准", "分值", "测评方法"]


# -- header ---------------------------------------------------------------------------------


def test_two_row_header_with_a_merged_group_heading() -> None:
    rows = [
        ["某市文明单位测评体系"],
        ["测评项目", "测评标准", "评价方式", None, "分值"],
        [None, None, "测评方法", "佐证材料", None],
        ["组织领导（4分）", "成立领导小组", "材料审核", "成立文件", 2],
        [None, "制定工作计划", "材料审核", "计划", 2],
    ]
    reading = ok(read(table(rows, ("A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3"))))
    (t,) = reading.tables
    assert t.header_rows == [2, 3]
    assert t.columns == {0: "item", 1: "standard", 2: "method", 3: "evidence", 4: "points"}
    a1 = node(reading, "A1")
    assert (a1.title, a1.points, a1.methods, a1.evidence) == (
        "成立领导小组",
        D(2),
        ["材料审核"],
        "成立文件",
    )
    assert roles(reading) == {1: "title", 2: "header", 3: "header", 4: "standard", 5: "standard"}


def test_unknown_column_names_are_read_by_content() -> None:
    rows = [
        ["类目", "要点", "赋值", "负责人"],
        ["组织", "成立领导小组并明确职责分工", 2, "张三"],
        [None, "制定年度计划并认真组织落实", 3, "李四"],
    ]
    reading = ok(read(table(rows)))
    columns = reading.tables[0].columns
    assert columns[2] == "points" and columns[1] == "standard"
    assert reading.tree.basic_total() == D(5)


def test_no_header_asks_for_the_columns_and_the_users_choice_settles_it() -> None:
    rows = [
        ["某区文明单位测评表"],
        ["一、组织领导（5分）", "成立创建工作领导小组", 3, "材料审核"],
        [None, "制定年度计划", 2, "材料审核"],
        ["二、思想道德（5分）", "开展理论学习", 5, "材料审核"],
    ]
    reading = read(table(rows, ("A2:A3",)))
    assert reading.spec is None and reading.needs_columns
    (problem,) = reading.problems
    assert problem.needs_columns and problem.row == 2 and "表头" in problem.message
    assert problem.as_dict()["needs_columns"] is True
    # The guess is shown: the user confirms (or changes) the columns and the reading goes on.
    guessed = reading.tables[0].columns
    assert guessed == {0: "item", 1: "standard", 2: "points", 3: "method"}
    chosen = Corrections(columns={("Sheet1", c): m for c, m in guessed.items()})
    again = ok(read(table(rows, ("A2:A3",)), corrections=chosen))
    assert again.tree.summary()["items"] == 2 and again.tree.basic_total() == D(10)


def test_header_without_points_names_what_is_missing() -> None:
    rows = [["名称", "测评标准", "负责人"], ["计划", "有计划", "张三"]]
    reading = read(table(rows, name="台账"))
    (problem,) = reading.problems
    assert problem.needs_columns and problem.row == 1
    assert "缺少“分值”列" in problem.message and "名称、测评标准、负责人" in problem.message


# -- lines above the header and cover sheets -------------------------------------------------


def test_title_issuer_attachment_and_notes_above_the_header() -> None:
    rows = [
        ["附件2"],
        ["青山市文明单位测评标准（2024年版）"],
        ["青山市精神文明建设指导委员会办公室"],
        ["说明：1．本标准满分110分，其中基本指标100分，加分项最高不超过10分。"],
        ["2．测评得分85分以上为达标，95分以上可推荐为标兵。"],
        ["测评项目", "测评标准", "分值"],
        ["组织领导（100分）", "成立领导小组", 100],
        ["加分项"],
        [None, "获得表彰", 15],
    ]
    spec = ok(read(table(rows))).tree
    assert spec.name == "青山市文明单位测评标准（2024年版）" and spec.edition_year == 2024
    assert spec.issuer == "青山市精神文明建设指导委员会办公室"
    assert spec.basic_points == D(100) and spec.bonus_cap == D(10)
    assert (spec.pass_threshold, spec.excellent_threshold) == (D(85), D(95))
    assert "本标准满分110分" in spec.description
    assert spec.summary()["max_total"] == "110"


def test_cover_sheet_then_basic_bonus_and_veto_sheets() -> None:
    cover = table(
        [
            ["东岭区文明单位测评细则"],
            ["说　明"],
            ["1．总分为100+10分。"],
            ["2．测评得分90分以上为达标。"],
        ],
        name="说明",
    )
    basic = table(
        [
            ["测评项目", "测评标准", "分值"],
            ["组织领导", "成立领导小组", 60],
            [None, "制定计划", 40],
        ],
        name="基本指标",
    )
    bonus = table([["加分项目", "分值"], ["获得省级表彰", 6], ["经验被推广", 6]], name="加分项")
    veto = table([["否决事项", "追溯期"], ["发生重大事故", "申报前12个月内"]], name="一票否决")
    reading = ok(read(cover, basic, bonus, veto))
    spec = reading.tree
    assert spec.name == "东岭区文明单位测评细则" and spec.pass_threshold == D(90)
    assert spec.bonus_cap == D(10) and spec.basic_points == D(100)
    assert [r.code for r in spec.roots] == ["A", "X1", "X2", "V1"]
    assert node(reading, "V1").lookback == "申报前12个月内"
    assert [t.use for t in reading.tables] == ["cover", "data", "data", "data"]
    summary = spec.summary()
    assert (summary["standards"], summary["bonus_standards"], summary["veto_count"]) == (5, 2, 1)
    # Listed bonus points (12) above the cap (10) are not an error: the cap bounds the total.
    cap = next(c for c in reading.checks if c.kind == "cap")
    assert cap.ok and "所列之和超过上限不是错误" in cap.message


def test_hidden_sheets_are_not_read() -> None:
    data = table([["测评标准", "分值"], ["有计划", 2]], name="测评表")
    lists = table([["考核方法"], ["材料审核"]], name="下拉选项")
    lists.hidden = True
    reading = ok(read(data, lists))
    assert [t.use for t in reading.tables] == ["data", "hidden"]
    assert "隐藏" in reading.warnings[0].message


# -- Word tables --------------------------------------------------------------------------


def test_word_table_split_by_a_page_break_reads_as_one_table() -> None:
    header = ["测评项目", "测评内容", "分值"]
    first = table(
        [
            header,
            ["组织领导（6分）", "成立领导小组", 3],
            [None, "制定计划", 3],
            ["道德建设（6分）", "道德讲堂", 2],
        ],
        ("A2:A3",),
        name="表格1",
        kind="table",
        before=("附件", "云山县文明单位测评细则", "云山县文明办"),
    )
    second = table(
        [header, [None, "身边好人", 2], [None, "诚信建设", 2]],
        ("A2:A3",),
        name="表格2",
        kind="table",
        after=(
            "有下列情形之一的，实行一票否决：",
            "1．申报前12个月内发生重大安全事故的；",
            "2．弄虚作假骗取荣誉的。",
        ),
    )
    reading = ok(read(first, second, kind="docx"))
    spec = reading.tree
    assert spec.name == "云山县文明单位测评细则" and spec.issuer == "云山县文明办"
    assert [t.joined for t in reading.tables] == [["表格2"]]
    b = node(reading, "B")
    assert b.title == "道德建设" and [c.title for c in b.children] == [
        "道德讲堂",
        "身边好人",
        "诚信建设",
    ]
    # Rows keep their own table and row: the second table's first standard is 表格2 row 2.
    assert (b.children[1].origin.sheet, b.children[1].origin.row) == ("表格2", 2)
    assert roles(reading, "表格2")[1] == "header"
    vetoes = spec.section_roots(Section.VETO)
    assert [v.title for v in vetoes] == ["申报前12个月内发生重大安全事故的", "弄虚作假骗取荣誉的"]
    assert vetoes[0].lookback == "申报前12个月内" and vetoes[0].points is None


def test_paragraphs_between_word_tables_name_the_next_tables_section() -> None:
    basic = table(
        [["测评项目", "测评内容", "分值"], ["组织领导", "成立领导小组", 100]],
        name="表格1",
        kind="table",
        before=("某县测评细则", "一、基本指标（100分）"),
        after=("二、奖励项目（最高20分）", "说明：同一事项只计最高分。"),
    )
    bonus = table(
        [["序号", "奖励项目", "奖励标准", "分值"], ["1", "获得全国表彰", "当年获得的计10分", 10]],
        name="表格2",
        kind="table",
        after=("三、负面清单",),
    )
    deduction = table(
        [["序号", "负面清单", "扣分标准"], ["1", "被媒体曝光", "每次扣5分，最多扣10分"]],
        name="表格3",
        kind="table",
    )
    reading = ok(read(basic, bonus, deduction, kind="docx"))
    spec = reading.tree
    assert spec.basic_points == D(100) and spec.bonus_cap == D(20)
    x1, y1 = node(reading, "X1"), node(reading, "Y1")
    assert (x1.title, x1.points, x1.scoring_rule) == ("获得全国表彰", D(10), "当年获得的计10分")
    assert (y1.per_incident, y1.incident_unit, y1.deduction_cap) == (D(5), "次", D(10))
    assert "同一事项只计最高分" in spec.description


# -- rows: sections, totals, flat sheets, codes, points in titles ----------------------------


def test_section_headings_wherever_they_stand() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织领导（4分）", "成立领导小组", 2],
        [None, "制定计划", 2],
        ["合　　计", None, 4],
        ["特色创建（加分项，最高加10分）"],  # a row merged across the table
        [None, "获得省级表彰", 8],
        [None, "经验被推广", 5],
        ["负面清单", "被媒体曝光的，每次扣2分，最多扣10分", None],  # a label in the item column
        [None, "发生安全事故的，扣5分", None],
        ["一票否决项（申报前两年内有下列情形之一的，取消资格）"],
        [None, "发生重大违纪违法案件", None],
    ]
    reading = ok(read(table(rows, ("A5:C5", "A8:A9", "A10:C10"))))
    assert roles(reading) == {
        1: "header",
        2: "standard",
        3: "standard",
        4: "total",
        5: "bonus",
        6: "standard",
        7: "standard",
        8: "standard",
        9: "standard",
        10: "veto",
        11: "standard",
    }
    spec = reading.tree
    assert spec.stated_total == D(4) and spec.bonus_cap == D(10)
    assert [r.code for r in spec.roots] == ["A", "X1", "X2", "Y1", "Y2", "V1"]
    y1, y2, v1 = node(reading, "Y1"), node(reading, "Y2"), node(reading, "V1")
    assert (y1.per_incident, y1.incident_unit, y1.deduction_cap) == (D(2), "次", D(10))
    assert (y2.per_incident, y2.deduction_cap) == (D(5), None)
    assert v1.lookback == "申报前两年内" and v1.points is None
    summary = spec.summary()
    assert summary["deduction_standards"] == 2 and summary["max_total"] == "14"
    sections = [(s.section, s.cap) for s in reading.sections]
    assert sections == [(Section.BONUS, D(10)), (Section.DEDUCTION, None), (Section.VETO, None)]


def test_an_item_label_that_goes_on_numbering_the_items_is_no_section() -> None:
    rows = [
        ["测评项目", "测评内容", "分值"],
        ["七、创建活动（4分）", "参与文明城市创建", 4],
        ["八、特色指标（6分）", "工作有特色", 6],
        ["合计", None, 10],
    ]
    spec = ok(read(table(rows))).tree
    assert [(r.code, r.title, r.section) for r in spec.roots] == [
        ("G", "创建活动", Section.BASIC),
        ("H", "特色指标", Section.BASIC),
    ]


def test_flat_sheet_repeating_item_and_content_gives_one_item() -> None:
    rows = [["一级指标", "二级指标", "三级指标", "分值"]]
    rows += [["组织领导", "领导机制", f"标准{i}", 1] for i in range(3)]
    rows += [["组织领导", "工作计划", f"计划{i}", 1] for i in range(2)]
    rows += [["道德建设", "领导机制", "讲堂", 1]]  # the same content name under a new item
    spec = ok(read(table(rows))).tree
    assert [(r.title, [c.title for c in r.children]) for r in spec.roots] == [
        ("组织领导", ["领导机制", "工作计划"]),
        ("道德建设", ["领导机制"]),
    ]
    assert spec.summary()["items"] == 2 and spec.summary()["standards"] == 6


def test_points_written_in_titles_and_codes_before_them() -> None:
    rows = [
        ["测评项目", "测评内容", "测评标准"],
        ["I-1 组织管理（7分）", "II-1 领导机制（4分）", "成立领导小组（2分）"],
        [None, None, "A1-2 有专人负责（2分）"],
        [None, "II-2 工作机构（3分）", "1．有办事机构（3分）"],
        ["（二）道德建设（3分）", "1.道德讲堂", "建有讲堂（3分）"],
        ["三、志愿服务\n（2分）", "①队伍", "组建队伍（2分）"],
    ]
    reading = ok(read(table(rows)))
    spec = reading.tree
    assert [(r.code, r.title, r.points) for r in spec.roots] == [
        ("I-1", "组织管理", D(7)),
        ("B", "道德建设", D(3)),
        ("C", "志愿服务", D(2)),
    ]
    first = spec.roots[0]
    assert [(c.code, c.title) for c in first.children] == [
        ("II-1", "领导机制"),
        ("II-2", "工作机构"),
    ]
    assert [(n.code, n.title, n.points) for n in first.children[0].children] == [
        ("II-1-1", "成立领导小组", D(2)),
        ("A1-2", "有专人负责", D(2)),
    ]
    assert [(n.code, n.title) for n in first.children[1].children] == [("II-2-1", "有办事机构")]
    assert [c.code for c in spec.roots[1].children] == ["B1"]  # “1.” under “（二）” is B1
    assert spec.roots[2].children[0].code == "C1"


def test_a_numbered_list_in_one_standard_keeps_its_numbers() -> None:
    rows = [["测评标准", "分值"], ["1）有方案；2）有记录；3）有总结", 3]]
    spec = ok(read(table(rows))).tree
    assert spec.roots[0].title == "1）有方案；2）有记录；3）有总结"


def test_subtotal_rows_are_checked_not_imported() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织领导", "成立领导小组", 2],
        [None, "制定计划", 2],
        ["小计", None, 4],
        ["道德建设", "开展道德讲堂", 3],
        ["小　计", None, 4],
    ]
    reading = read(table(rows))
    (problem,) = reading.problems
    assert problem.row == 6 and "小计写的是4分" in problem.message and "3分" in problem.message
    assert [c.ok for c in reading.checks if c.kind == "subtotal"] == [True, False]
    assert reading.tree.summary()["standards"] == 3


def test_a_score_sheets_fields_are_ignored() -> None:
    rows = [
        ["某市文明单位考核计分表"],
        ["被考核单位：", None, "考核时间："],
        ["考核项目", "考核内容", "分值", "得分"],
        ["组织领导", "成立领导小组", 2, None],
        ["总得分"],
        ["考核组成员签字：", None, "被考核单位负责人签字："],
    ]
    reading = ok(read(table(rows)))
    assert roles(reading)[2] == "ignore" and roles(reading)[5] == "ignore"
    assert reading.tables[0].columns == {0: "item", 1: "content", 2: "points", 3: "ignore"}


# -- scoring rules and deductions written in words -------------------------------------------


def test_a_separate_scoring_rule_column_gives_the_scoring_mode() -> None:
    rows = [
        ["测评项目", "测评标准", "评分标准", "分值"],
        ["组织", "成立领导小组", "A:3 B:2 C:1 C#:0", 3],
        [None, "每季度召开例会", "每缺1次扣0.5分", 2],
        [None, "知晓率达到95%", "每低1个百分点扣1分，直至本项分值扣完", 3],
        [None, "光盘行动", "好2 较好1.5 一般1 差0", 2],
        [None, "有总结", "酌情评分", 1],
    ]
    reading = ok(read(table(rows)))
    a1, a2, a3, a4, a5 = node(reading, "A").children
    assert (a1.scoring_mode, a1.grades) == (
        ScoringMode.GRADE,
        [("A", D(3)), ("B", D(2)), ("C", D(1)), ("C#", D(0))],
    )
    assert (a2.scoring_mode, a2.deduction_step, a2.deduction_cap) == (
        ScoringMode.DEDUCT,
        D("0.5"),
        None,
    )
    assert (a3.scoring_mode, a3.deduction_step, a3.deduction_cap) == (
        ScoringMode.DEDUCT,
        D(1),
        None,
    )
    assert a4.grades == [("好", D(2)), ("较好", D("1.5")), ("一般", D(1)), ("差", D(0))]
    assert (a5.scoring_mode, a5.scoring_rule) == (ScoringMode.FREE, "酌情评分")
    assert a2.scoring_rule == "每缺1次扣0.5分"  # the rule's words are kept


def test_bonus_listed_above_the_cap_is_not_an_error() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织", "有计划", 10],
        ["加分项目（最多加5分）", "全国表彰", 5],
        [None, "省级表彰", 3],
        [None, "市级表彰", 2],
    ]
    reading = ok(read(table(rows)))
    assert reading.tree.bonus_cap == D(5) and reading.sections[0].listed == D(10)
    assert reading.tree.summary()["max_total"] == "15"


def test_caps_and_lines_stated_in_a_note_row() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织", "有计划", 100],
        ["附加分"],
        [None, "获得表彰", 5],
        ["注：加分项最高不超过3分；85分以上为达标。"],
    ]
    spec = ok(read(table(rows, ("A3:C3", "A5:C5")))).tree
    assert spec.bonus_cap == D(3) and spec.pass_threshold == D(85)
    assert spec.description == "注：加分项最高不超过3分；85分以上为达标。"


def test_a_number_merged_down_beside_an_item_numbers_the_item() -> None:
    rows = [
        ["序号", "测评项目", "测评标准", "分值"],
        ["一", "组织领导", "成立领导小组", 2],
        [None, None, "制定计划", 2],
        ["二", "道德建设", "道德讲堂", 3],
        [None, None, "身边好人", 1],
    ]
    reading = ok(read(table(rows, ("A2:A3", "B2:B3", "A4:A5", "B4:B5"))))
    assert [(r.code, [c.code for c in r.children]) for r in reading.tree.roots] == [
        ("A", ["A1", "A2"]),
        ("B", ["B1", "B2"]),
    ]


def test_each_level_with_its_own_points_column() -> None:
    rows = [
        ["一级指标", "分值", "二级指标", "分值"],
        ["组织领导", 5, "成立领导小组", 2],
        [None, None, "制定计划", 3],
        ["道德建设", 4, "道德讲堂", 4],
    ]
    reading = ok(read(table(rows, ("A2:A3", "B2:B3"))))
    assert [(r.title, r.points, [c.points for c in r.children]) for r in reading.tree.roots] == [
        ("组织领导", D(5), [D(2), D(3)]),
        ("道德建设", D(4), [D(4)]),
    ]
    rows[1][1] = 6
    (problem,) = read(table(rows, ("A2:A3", "B2:B3"))).problems
    assert problem.row == 2 and "标注6分" in problem.message and "合计5分" in problem.message


def test_group_headings_merged_across_the_table_open_a_level() -> None:
    rows = [
        ["序号", "测评内容", "分值", "测评方法"],
        ["一、组织领导（5分）"],
        ["1", "成立领导小组", 2, "材料审核"],
        ["2", "制定计划", 3, "材料审核"],
        ["二、道德建设（3分）"],
        ["3", "道德讲堂", 3, "实地考察"],
        ["一票否决项"],
        [None, "发生重大事故", "—", None],
    ]
    reading = ok(read(table(rows, ("A2:D2", "A5:D5", "A7:D7"))))
    spec = reading.tree
    assert [(r.code, r.title, r.points, len(r.children)) for r in spec.roots] == [
        ("A", "组织领导", D(5), 2),
        ("B", "道德建设", D(3), 1),
        ("V1", "发生重大事故", None, 0),
    ]
    assert roles(reading)[2] == "item" and roles(reading)[7] == "veto"
    assert [c.code for c in spec.roots[0].children] == ["A1", "A2"]


def test_a_notice_above_the_attachment_is_no_title() -> None:
    rows = [
        ["测评项目", "测评标准", "分值"],
        ["组织", "成立领导小组", 2],
    ]
    before = (
        "关于印发《丰水县文明单位测评细则》的通知",
        "各乡镇、县直各单位：",
        "现将《丰水县文明单位测评细则》印发给你们，请认真贯彻执行。",
        "特此通知",
        "丰水县精神文明建设委员会办公室",
        "2023年4月10日",
        "附件",
        "丰水县文明单位测评细则",
    )
    reading = ok(read(table(rows, name="表格1", kind="table", before=before), kind="docx"))
    spec = reading.tree
    assert spec.name == "丰水县文明单位测评细则" and spec.edition_year == 2023
    assert spec.issuer == "丰水县精神文明建设委员会办公室"
    assert "印发给你们" in spec.description
    assert [r.role for r in reading.rows if r.role == "title"] == ["title"]

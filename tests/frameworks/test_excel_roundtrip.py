"""Excel export writes the layout offices use, and reads back into the same system."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from wenming.frameworks import services
from wenming.frameworks.io import excel
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io.excel_read import positional_code
from wenming.frameworks.io.spec import FrameworkSpec, NodeSpec
from wenming.frameworks.models import Framework, Method, ScoringMode, Section
from wenming.orgs.demo import SAMPLE_FRAMEWORK


@pytest.fixture
def sample(demo, office_admin) -> Framework:  # type: ignore[no-untyped-def]
    result = services.framework_import(
        content=SAMPLE_FRAMEWORK.read_bytes(),
        filename="sample.yaml",
        owner=demo["office"],
        user=office_admin,
    )
    assert result.ok, result.problems
    return result.framework


def test_sample_round_trips_losslessly(sample):  # type: ignore[no-untyped-def]
    original = spec_mod.from_framework(sample)
    back = excel.load(excel.dump(original))
    assert back.comparable() == original.comparable()
    assert back.summary() == original.summary()


def test_export_then_import_saves_the_same_tree(sample, demo, office_admin):  # type: ignore[no-untyped-def]
    content = excel.dump(spec_mod.from_framework(sample))
    result = services.framework_import(
        content=content, filename="导出.xlsx", owner=demo["office"], user=office_admin
    )
    assert result.ok, [str(p) for p in result.problems]
    again = result.framework
    assert again.lineage == sample.lineage and again.version == sample.version + 1
    assert (
        spec_mod.from_framework(again).comparable() == spec_mod.from_framework(sample).comparable()
    )


def test_export_layout(sample):  # type: ignore[no-untyped-def]
    sheet = load_workbook(io.BytesIO(excel.dump(spec_mod.from_framework(sample)))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "示例·文明单位测评体系"
    assert rows[1][0].startswith("发布机关：示例市精神文明建设委员会办公室；体系编码：SAMPLE-WMDW")
    header_row = next(i for i, r in enumerate(rows, start=1) if r[0] == "编号")
    assert list(rows[header_row - 1]) == [
        "编号",
        "测评项目",
        "测评内容",
        "测评标准",
        "分值",
        "评分方式",
        "评分细则",
        "测评方法",
        "佐证材料",
        "材料时限",
        "备注",
    ]
    first = rows[header_row]
    assert first[:5] == (
        "A1-1",
        "组织领导（创建工作机制）（10分）",
        "创建规划（4分）",
        "每年至少召开1次精神文明建设专题会议，主要负责人部署创建工作",
        2,
    )
    assert first[5] == "等级：达到 2 / 未达到 0"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Item A (A1: 3 standards, A2: 6) and content A1 are merged over their standards.
    assert {
        f"B{header_row + 1}:B{header_row + 9}",
        f"C{header_row + 1}:C{header_row + 3}",
    } <= merged
    texts = [r[0] for r in rows]
    total = texts.index("合计") + 1
    assert rows[total - 1][4] == 100
    assert "特色指标（加分项，最高加10分）" in texts
    assert any(t and t.startswith("负面清单") for t in texts)
    assert any(t and t.startswith("一票否决") for t in texts)
    deduction = next(r for r in rows if r[0] == "Y1")
    assert deduction[4] == "每起扣2分"
    veto = next(r for r in rows if r[0] == "V1")
    assert veto[4] is None and veto[9] == "申报前24个月内"
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.cell(header_row, 1).font.b


def test_deeper_trees_cannot_be_written():  # type: ignore[no-untyped-def]
    leaf = NodeSpec(code="A1-1-1", title="标准", points=Decimal("1"))
    spec = FrameworkSpec(
        name="深体系",
        roots=[
            NodeSpec(
                code="A",
                title="项目",
                children=[
                    NodeSpec(
                        code="A1",
                        title="内容",
                        children=[NodeSpec(code="A1-1", title="小项", children=[leaf])],
                    )
                ],
            )
        ],
    )
    with pytest.raises(ValueError, match="YAML"):
        excel.dump(spec)


def test_codes_the_reader_cannot_guess_are_written_into_titles():  # type: ignore[no-untyped-def]
    spec = FrameworkSpec(
        name="体系",
        lineage="T",
        roots=[
            NodeSpec(
                code="Z",
                title="组织",
                points=Decimal("1"),
                children=[
                    NodeSpec(
                        code="第1项",
                        title="计划",
                        points=Decimal("1"),
                        children=[
                            NodeSpec(code="z-1", title="有计划", points=Decimal("1")),
                        ],
                    ),
                ],
            ),
            NodeSpec(
                code="B",
                title="一票否决的说明",
                points=Decimal("1"),
                children=[
                    NodeSpec(code="b1", title="有总结", points=Decimal("1")),
                ],
            ),
            NodeSpec(code="C", title="单列标准", points=Decimal("2")),
            NodeSpec(
                code="X1",
                title="加分项目",
                section=Section.BONUS,
                children=[
                    NodeSpec(code="X1-1", title="表彰", section=Section.BONUS, points=Decimal("2")),
                ],
            ),
        ],
    )
    back = excel.load(excel.dump(spec))
    assert back.comparable() == spec.comparable()


# -- property: any small tree that fits the layout survives dump → load ----------------------

TEXT = (
    st.text(
        alphabet="测评组织领导学习教育宣传文明志愿服务环境安全制度建设特色工作基本指标（）、；1234A",
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
LONG_TEXT = st.one_of(st.just(""), st.lists(TEXT, min_size=1, max_size=3).map("\n".join))
POINTS = st.decimals(min_value=0, max_value=50, places=2).map(
    lambda d: d.normalize() if d else Decimal("0")
)
METHODS = st.lists(st.sampled_from([*Method.values, "个别座谈"]), max_size=3, unique=True)
GRADE_LABELS = ["A", "B", "C", "C#", "好", "较好", "达到", "未达到", "全国", "省级"]


@st.composite
def leaf(draw, section: str) -> NodeSpec:  # type: ignore[no-untyped-def]
    node = NodeSpec(code="", title=draw(TEXT), section=section)
    node.evidence, node.note = draw(LONG_TEXT), draw(LONG_TEXT)
    node.description = draw(st.one_of(st.just(""), TEXT))
    node.methods = draw(METHODS)
    if section in (Section.BASIC, Section.BONUS):
        node.points = draw(POINTS)
        node.scoring_rule, node.material_window = draw(LONG_TEXT), draw(LONG_TEXT)
        node.scoring_mode = draw(st.sampled_from(ScoringMode.values))
        if node.scoring_mode == ScoringMode.GRADE:
            labels = draw(
                st.lists(st.sampled_from(GRADE_LABELS), min_size=1, max_size=4, unique=True)
            )
            node.grades = [(label, draw(POINTS)) for label in labels]
        node.deduction_step = draw(st.one_of(st.none(), POINTS))
        node.deduction_cap = draw(st.one_of(st.none(), POINTS))
    elif section == Section.DEDUCTION:
        node.per_incident = draw(POINTS)
        node.incident_unit = draw(st.sampled_from(["", "起", "次", "人次", "项"]))
        node.deduction_cap = draw(st.one_of(st.none(), POINTS))
    else:
        node.lookback = draw(st.sampled_from(["", "届期内", "申报前24个月内", "近两年"]))
        derived = 24 if "24个月" in node.lookback else None
        node.lookback_months = (
            derived if derived else draw(st.one_of(st.none(), st.integers(1, 60)))
        )
        node.material_window = draw(st.one_of(st.just(""), TEXT))
    return node


@st.composite
def subtree(draw, section: str, depth: int) -> NodeSpec:  # type: ignore[no-untyped-def]
    if depth >= 2 or draw(st.booleans()):
        return draw(leaf(section))
    children = draw(st.lists(subtree(section, depth + 1), min_size=1, max_size=3))
    node = NodeSpec(code="", title=draw(TEXT), section=section, children=children)
    if section == Section.BASIC:
        node.points = node.children_total()
    elif section == Section.BONUS:
        node.points = draw(st.one_of(st.none(), POINTS))
    return node


@st.composite
def frameworks(draw) -> FrameworkSpec:  # type: ignore[no-untyped-def]
    spec = FrameworkSpec(
        name=draw(TEXT),
        lineage=draw(st.from_regex(r"[A-Z]{2}-[A-Z0-9]{1,6}", fullmatch=True)),
        level=draw(st.sampled_from(["county", "city", "province", "national", "other"])),
        kind=draw(st.sampled_from(["文明单位", "文明校园"])),
        edition_year=draw(st.one_of(st.none(), st.integers(2000, 2030))),
        issuer=draw(st.one_of(st.just(""), TEXT)),
        description=draw(LONG_TEXT),
        material_window=draw(LONG_TEXT),
        basic_points=draw(st.one_of(st.none(), POINTS)),
        bonus_cap=draw(st.one_of(st.none(), POINTS)),
        deduction_cap=draw(st.one_of(st.none(), POINTS)),
        concealment_multiplier=draw(st.sampled_from([Decimal("2"), Decimal("1.5"), Decimal("3")])),
        pass_threshold=draw(st.one_of(st.none(), POINTS)),
        excellent_threshold=draw(st.one_of(st.none(), POINTS)),
    )
    for section in Section.values:
        low = 1 if section == Section.BASIC else 0
        spec.roots += draw(st.lists(subtree(section, 0), min_size=low, max_size=3))
    # Codes: mostly what the reader would generate, some that it must be told.
    counters: dict[str, int] = {}
    serial = iter(range(1, 10_000))

    def give(node: NodeSpec, parent: NodeSpec | None, depth: int, index: int) -> None:
        custom = draw(st.sampled_from(["", "", "", "K", "甲", "1."]))
        node.code = (
            f"{custom}{next(serial)}"
            if custom
            else positional_code(node.section, parent.code if parent else None, depth, index)
        )
        for i, child in enumerate(node.children, start=1):
            give(child, node, depth + 1, i)

    for root in spec.roots:
        counters[root.section] = counters.get(root.section, 0) + 1
        give(root, None, 0, counters[root.section])
    codes = [n.code for n, _ in spec.walk()]
    assume(len(codes) == len(set(codes)))
    return spec


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_property_dump_then_load_keeps_the_tree(spec):  # type: ignore[no-untyped-def]
    back = excel.load(excel.dump(spec))
    assert back.comparable() == spec.comparable()

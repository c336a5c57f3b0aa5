"""Importing evaluation systems from YAML: the shipped sample and every kind of bad file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wenming.frameworks import services
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io import yaml_io
from wenming.frameworks.models import Framework, Node, ScoringMode, Section
from wenming.orgs.demo import SAMPLE_FRAMEWORK

MINIMAL = """
framework: {code: T, name: 测试体系, level: 市级, basic_points: 5}
items:
  - code: A
    title: 组织领导
    points: 5
    children:
      - {code: A1, title: 成立领导小组, points: 2, methods: [材料审核]}
      - {code: A2, title: 制定实施方案, points: 3, scoring: abc}
bonus:
  cap: 2
  items:
    - {code: X1, title: 获得表彰, points: 2}
deductions:
  items:
    - {code: Y1, title: 被通报, points: -2, unit: 起}
veto:
  items:
    - {code: V1, title: 发生重大事故, lookback: 申报前两年, lookback_months: 24}
"""


def _import(text: str, owner):  # type: ignore[no-untyped-def]
    return services.framework_import(
        content=text.encode(), filename="system.yaml", owner=owner, user=None
    )


def test_shipped_sample_imports_with_its_totals(demo):  # type: ignore[no-untyped-def]
    result = services.framework_import(
        content=SAMPLE_FRAMEWORK.read_bytes(), filename="sample.yaml", owner=demo["unit"], user=None
    )
    assert result.ok, result.problems
    assert result.as_dict() | {"framework_id": None} == {
        "ok": True,
        "framework_id": None,
        "items": 9,
        "standards": 85,
        "points_total": "100",
        "max_total": "110",
        "bonus_standards": 3,
        "bonus_cap": "10",
        "deduction_standards": 7,
        "veto_count": 8,
        "errors": [],
    }
    framework = result.framework
    assert framework is not None
    item = Node.objects.get(framework=framework, code="A")
    assert item.points == Decimal("10") and not item.is_leaf and item.level_name == "测评项目"
    standard = Node.objects.get(framework=framework, code="A2-3")
    assert standard.points == Decimal("1.5")
    assert standard.parent is not None and standard.parent.code == "A2"
    assert standard.methods == ["材料审核", "实地考察"]
    assert standard.scoring_mode == ScoringMode.DEDUCT
    graded = Node.objects.get(framework=framework, code="D1-1")
    assert graded.grades == [
        {"label": "好", "points": "2"},
        {"label": "较好", "points": "1"},
        {"label": "一般", "points": "0.5"},
        {"label": "差", "points": "0"},
    ]
    veto = Node.objects.get(framework=framework, code="V1")
    assert veto.section == Section.VETO and veto.points is None and veto.lookback_months == 24


def test_minimal_system_keeps_every_kind_of_standard(demo):  # type: ignore[no-untyped-def]
    result = _import(MINIMAL, demo["office"])
    assert result.ok, result.problems
    f = result.framework
    assert f is not None and f.level == "city" and f.bonus_cap == Decimal("2")
    deduction = Node.objects.get(framework=f, code="Y1")
    assert deduction.per_incident == Decimal("2") and deduction.points is None
    assert deduction.incident_unit == "起"
    abc = Node.objects.get(framework=f, code="A2")
    assert [g["points"] for g in abc.grades] == ["3", "1.98", "0.99", "0"]


def test_yaml_round_trip_is_lossless(demo):  # type: ignore[no-untyped-def]
    first = services.framework_import(
        content=SAMPLE_FRAMEWORK.read_bytes(), filename="s.yaml", owner=demo["unit"], user=None
    ).framework
    assert first is not None
    exported = yaml_io.dump(spec_mod.from_framework(first))
    second = _import(exported, demo["unit"]).framework
    assert second is not None and second.version == first.version + 1
    a = spec_mod.from_framework(first).comparable()
    b = spec_mod.from_framework(second).comparable()
    assert a == b


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("framework: [1, 2]\nitems: []", "缺少“framework”部分"),
        ("framework: {name: x}\nitems:\n  - {code: A, title: t, points: 高}", "分值“高”不是数字"),
        ("framework: {name: x}\nitems:\n  - {code: A, title: t, points: -1}", "分值不能为负数"),
        ("framework: {name: x}\nitems:\n  - {code: A, title: t}", "测评标准“A t”缺少分值"),
        (
            "framework: {name: x}\nitems:\n  - {code: A, title: t, points: 1}\n  - {code: A, title: u, points: 1}",
            "编号“A”重复",
        ),
        (
            "framework: {name: x}\nitems:\n  - code: A\n    title: t\n    points: 5\n    children:\n      - {code: A1, title: u, points: 2}",
            "标注5分，但其下各项合计2分",
        ),
        (
            "framework: {name: x, basic_points: 100}\nitems:\n  - {code: A, title: t, points: 3}",
            "体系标明基本分100分，但各项基本分值合计3分",
        ),
        (
            "framework: {name: x}\nitems:\n  - {code: A, title: t, points: 1, methods: 5}",
            "应为测评方法列表",
        ),
        (
            "framework: {name: x}\nitems:\n  - {code: A, title: t, points: 1, scoring: magic}",
            "“scoring”应为",
        ),
        ("framework: {name: x}\nitems: {a: 1}", "应为列表"),
        (
            "framework: {name: x, level: 银河级}\nitems:\n  - {code: A, title: t, points: 1}",
            "级别“银河级”无法识别",
        ),
        ("framework: {name: x}\nitems:\n  - &a {code: A, title: t, children: [*a]}", "循环引用"),
        (
            "framework: {name: x}\nitems:\n  - {code: A, title: t, points: 1}\nveto:\n  items:\n    - {code: V, title: v, points: 3}",
            "一票否决项“V v”不应设分值",
        ),
        ("framework:\n  name: x\n items: [", "YAML 格式错误"),
        ("", "文件是空的"),
        ("- 1\n- 2", "顶层应为键值表"),
    ],
)
def test_bad_yaml_is_refused_clearly_and_writes_nothing(demo, text, expected):  # type: ignore[no-untyped-def]
    before = (Framework.objects.count(), Node.objects.count())
    result = _import(text, demo["office"])
    assert not result.ok
    messages = [p.message for p in result.problems]
    assert any(expected in m for m in messages), messages
    assert (Framework.objects.count(), Node.objects.count()) == before


def test_every_problem_is_reported_not_just_the_first(demo):  # type: ignore[no-untyped-def]
    text = (
        "framework: {name: x}\nitems:\n"
        "  - {code: A, title: t, points: 一}\n  - {code: B, title: u, points: -2}\n"
        "  - {code: C, title: v}\n"
    )
    result = _import(text, demo["office"])
    assert len(result.problems) == 3


def test_non_utf8_and_unknown_formats_are_refused(demo):  # type: ignore[no-untyped-def]
    assert (
        "UTF-8"
        in services.framework_import(
            content="framework: 名称".encode("gbk"),
            filename="a.yaml",
            owner=demo["office"],
            user=None,
        )
        .problems[0]
        .message
    )
    assert (
        "PDF"
        in services.framework_import(
            content=b"%PDF-1.4", filename="a.pdf", owner=demo["office"], user=None
        )
        .problems[0]
        .message
    )
    assert (
        "纯文本"
        in services.framework_import(
            content=b"just text", filename="renamed.xlsx", owner=demo["office"], user=None
        )
        .problems[0]
        .message
    )
    assert (
        ".xlsx"
        in services.framework_import(
            content=b"\xd0\xcf\x11\xe0" + b"\0" * 100,
            filename="old.xls",
            owner=demo["office"],
            user=None,
        )
        .problems[0]
        .message
    )


def test_points_are_read_as_people_write_them():  # type: ignore[no-untyped-def]
    assert spec_mod.parse_points("3分") == Decimal("3")
    assert spec_mod.parse_points(" 1.5 ") == Decimal("1.5")
    assert spec_mod.parse_points(0.1) == Decimal("0.1")
    assert spec_mod.parse_points("２分") == Decimal("2")
    for bad in ("三分", "-1", "1.234", True, "1e3"):
        with pytest.raises(ValueError):
            spec_mod.parse_points(bad)


def test_values_too_big_for_the_database_are_refused_before_saving(demo):  # type: ignore[no-untyped-def]
    long_code = "A" * 41
    text = (
        f"framework: {{name: x}}\nitems:\n  - {{code: {long_code}, title: t, points: 1}}\n"
        "deductions:\n  items:\n    - {code: Y1, title: y, per_incident: 20000}\n"
    )
    before = Framework.objects.count()
    result = _import(text, demo["office"])
    messages = [p.message for p in result.problems]
    assert any("编号过长（41字），最多40字" in m for m in messages), messages
    assert any("每次扣分20000过大，应小于10000" in m for m in messages), messages
    assert Framework.objects.count() == before


def test_negative_deductions_may_be_written_as_text(demo):  # type: ignore[no-untyped-def]
    text = (
        "framework: {name: x}\nitems:\n  - {code: A, title: t, points: 1}\n"
        "deductions:\n  items:\n    - {code: Y1, title: y, points: '-2分'}\n"
    )
    result = _import(text, demo["office"])
    assert result.ok, result.problems
    assert Node.objects.get(framework=result.framework, code="Y1").per_incident == Decimal("2")


def test_size_limits_read_as_office_staff_read_them() -> None:
    assert services.size_label(10 * 1024 * 1024) == "10MB"
    assert services.size_label(1536 * 1024) == "1.5MB"
    assert services.size_label(1024) == "1KB"


def test_too_deep_tree_is_named_once(demo):  # type: ignore[no-untyped-def]
    deep = "framework: {name: x}\nitems:\n"
    indent = "  "
    for level in range(12):
        deep += f"{indent}- code: L{level}\n{indent}  title: 第{level}层\n"
        if level == 11:
            deep += f"{indent}  points: 1\n"
        else:
            deep += f"{indent}  children:\n"
        indent += "    "
    result = _import(deep, demo["office"])
    too_deep = [p.message for p in result.problems if "层级超过" in p.message]
    assert len(too_deep) == 1 and "L8" in too_deep[0]

"""Round totals: the arithmetic real systems state, on Decimals."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from wenming.scoring.totals import NodeRow, Rules, ScoreRow, compare, compute


def tree() -> list[NodeRow]:
    return [
        NodeRow(1, None, "basic", False, "A", "组织领导", D(10), 0),
        NodeRow(2, 1, "basic", True, "A1", "专题会议", D(6), 1, depth=1),
        NodeRow(3, 1, "basic", True, "A2", "创建规划", D(4), 2, depth=1),
        NodeRow(4, None, "basic", False, "B", "思想道德", D(90), 3),
        NodeRow(5, 4, "basic", True, "B1", "道德讲堂", D(90), 4, depth=1),
        NodeRow(10, None, "bonus", True, "X1", "荣誉表彰", D(8), 10),
        NodeRow(11, None, "bonus", True, "X2", "特色品牌", D(5), 11),
        NodeRow(20, None, "deduction", True, "Y1", "门难进", None, 20, per_incident=D(2)),
        NodeRow(
            21,
            None,
            "deduction",
            True,
            "Y2",
            "脏乱",
            None,
            21,
            per_incident=D(3),
            deduction_cap=D(4),
        ),
        NodeRow(30, None, "veto", True, "V1", "严重违纪", None, 30),
    ]


RULES = Rules(bonus_cap=D(10), deduction_cap=D(5), pass_threshold=D(85), excellent_threshold=D(95))


def scores(*rows: ScoreRow) -> dict[int, ScoreRow]:
    return {r.standard_id: r for r in rows}


def test_basic_bonus_capped_and_per_item_totals():
    t = compute(
        tree(),
        scores(
            ScoreRow(2, D("5.5")),
            ScoreRow(3, D(4)),
            ScoreRow(5, D(80)),
            ScoreRow(10, D(8)),
            ScoreRow(11, D(5)),
        ),
        RULES,
    )
    assert t.basic == D("89.5")
    assert t.bonus_raw == D(13) and t.bonus == D(10)
    assert t.total == D("99.5")
    assert t.passed and t.excellent
    assert [(i.node.code, i.scored, i.lost) for i in t.items] == [
        ("A", D("9.5"), D("0.5")),
        ("B", D(80), D(10)),
    ]


def test_deductions_doubled_when_concealed_and_capped():
    t = compute(
        tree(),
        scores(
            ScoreRow(5, D(90)),
            ScoreRow(20, incidents=1, concealed=True),  # 2 × 2 = 4
            ScoreRow(21, incidents=3),  # 9, capped at 4
        ),
        RULES,
    )
    assert t.deducted == {20: D(4), 21: D(4)}
    assert t.deduction_raw == D(8) and t.deduction == D(5)
    assert t.total == D(85)
    assert t.passed and not t.excellent


def test_a_veto_fails_whatever_the_total():
    t = compute(
        tree(),
        scores(ScoreRow(2, D(6)), ScoreRow(3, D(4)), ScoreRow(5, D(90)), ScoreRow(30, vetoed=True)),
        RULES,
    )
    assert t.total == D(100)
    assert not t.passed
    assert t.verdict == "一票否决，不予通过"


def test_unscored_standards_count_zero_and_are_listed():
    t = compute(tree(), scores(ScoreRow(5, D(80))), RULES)
    assert t.unscored == 4 and t.scored == 1
    assert t.total == D(80)
    assert t.verdict == "未达标（差5分）"
    assert t.lost[2] == D(6)


def test_compare_lists_moves_biggest_first():
    before = scores(ScoreRow(2, D(3)), ScoreRow(5, D(80)))
    after = scores(ScoreRow(2, D(6)), ScoreRow(5, D(70)), ScoreRow(10, D(2)))
    changes = compare(tree(), before, after)
    assert [(c.node.code, c.delta) for c in changes] == [
        ("B1", D(-10)),
        ("A1", D(3)),
        ("X1", D(2)),
    ]


points = st.decimals(min_value=0, max_value=6, places=1, allow_nan=False, allow_infinity=False)


@given(a=points, b=st.decimals(min_value=0, max_value=4, places=1), c=st.integers(0, 5))
def test_total_never_negative_and_never_above_the_maximum(a, b, c):
    t = compute(
        tree(),
        scores(ScoreRow(2, a), ScoreRow(3, b), ScoreRow(20, incidents=c, concealed=True)),
        RULES,
    )
    assert D(0) <= t.total <= D(110)
    assert t.deduction <= D(5)

"""Study targets and 考学: what is kept, and every refusal (keyed by field, in Chinese, with
nothing kept)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from wenming.activities import study
from wenming.activities.models import Exam, ExamScore, StudyTarget
from wenming.activities.study import ScoreInput

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def _errors(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


# --- targets -----------------------------------------------------------------------------------


def test_a_target_is_set_and_changed(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    unit = demo["unit"]
    target = study.study_target_set(
        unit=unit, year=2026, user=coordinator, sessions="12", points=10000
    )
    assert (target.sessions, target.points, target.platform) == (12, 10000, "学习强国")
    again = study.study_target_set(
        unit=unit, year=2026, user=coordinator, sessions=6, points="", platform="学习通"
    )
    assert again.pk == target.pk and (again.sessions, again.points, again.platform) == (
        6,
        0,
        "学习通",
    )
    assert StudyTarget.objects.count() == 1 and study.target_of(unit, 2025) is None


def test_target_refusals_name_each_field(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    errors = _errors(
        study.study_target_set,
        unit=demo["unit"],
        year=2026,
        user=coordinator,
        sessions="十二",
        points="-5",
        platform="学" * 41,
    )
    assert errors == {
        "sessions": ["每人参加学习次数请填写0或正整数，例如 12。"],
        "points": ["每人学习平台积分请填写0或正整数，例如 12。"],
        "platform": ["学习平台名称最多40个字。"],
    }
    errors = _errors(
        study.study_target_set,
        unit=demo["unit"],
        year=2026,
        user=coordinator,
        sessions=400,
        points=2_000_000,
    )
    assert errors == {
        "sessions": ["每人参加学习次数不能超过365次。"],
        "points": ["每人学习平台积分不能超过1000000分。"],
    }
    assert not StudyTarget.objects.exists()


# --- 考学 ---------------------------------------------------------------------------------------


def _exam(unit: Any, by: User, **more: Any) -> Exam:
    args: dict[str, Any] = {
        "unit": unit,
        "user": by,
        "title": "党的二十届三中全会精神应知应会测试",
        "held_on": datetime.date(2026, 6, 1),
        "full_marks": "100",
        "pass_mark": "60",
    }
    args.update(more)
    return study.exam_create(**args)


def _scores(exam: Exam) -> dict[str, Decimal]:
    return {s.person.username: s.score for s in exam.scores.select_related("person")}


def test_an_exam_is_kept_with_rows_and_pasted_lines(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head, staff, other_dept_head
) -> None:
    exam = _exam(
        demo["unit"],
        coordinator,
        scores=[ScoreInput(dept_head.pk, "92"), ScoreInput(staff.pk, Decimal("58.5"))],
        lines="孙伟 88\n\n 李文静\t95.5 \n王国强，76",
    )
    assert (exam.full_marks, exam.pass_mark, exam.created_by) == (
        Decimal(100),
        Decimal(60),
        coordinator,
    )
    assert _scores(exam) == {
        "keshi": Decimal("92.0"),
        "jingban": Decimal("58.5"),
        "keshi2": Decimal("88.0"),
        "cjb": Decimal("95.5"),
        "lingdao": Decimal("76.0"),
    }


def test_exam_refusals_name_every_row_and_keep_nothing(  # type: ignore[no-untyped-def]
    demo, coordinator, dept_head, staff, outsider_admin
) -> None:
    errors = _errors(
        _exam,
        unit=demo["unit"],
        by=coordinator,
        scores=[
            ScoreInput(dept_head.pk, "101"),
            ScoreInput(outsider_admin.pk, "80"),
            ScoreInput(None, "70"),
            ScoreInput(staff.pk, "九十"),
        ],
        lines="张明 90\n王五 80\n孙伟\n孙伟 -1\n李文静 88.25",
    )
    assert errors == {
        "scores": [
            "第1行：张明的成绩101分超出了0到满分100分的范围。",
            "第2行：所选人员不是本单位人员，请重新选择。",
            "第3行：请选择人员。",
            "第4行：陈晓燕的成绩“九十”不是数字，请填写分数，例如 86.5。",
        ],
        "lines": [
            "粘贴的第1行：张明的成绩已在第1行填写，同一人只能填写一次。",
            "粘贴的第2行：“王五”不是本单位人员，请核对姓名。",
            "粘贴的第3行“孙伟”：请按“姓名 分数”填写，中间用空格隔开。",
            "粘贴的第4行：孙伟的成绩-1分超出了0到满分100分的范围。",
            "粘贴的第5行：李文静的成绩最多保留一位小数。",
        ],
    }
    assert not Exam.objects.exists() and not ExamScore.objects.exists()


def test_exam_fields_are_checked(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    errors = _errors(
        _exam,
        unit=demo["unit"],
        by=coordinator,
        title=" ",
        held_on=datetime.date(2026, 6, 16),
        full_marks="0",
        pass_mark="abc",
    )
    assert errors == {
        "title": ["请填写考试名称，例如“党的二十届三中全会精神应知应会测试”。"],
        "held_on": ["考试日期不能晚于今天：考试结束后再登记成绩。"],
        "full_marks": ["满分须大于0且不超过1000分。"],
        "pass_mark": ["及格分“abc”不是数字，请填写分数，例如 100。"],
    }
    errors = _errors(_exam, unit=demo["unit"], by=coordinator, full_marks="50", pass_mark="60")
    assert errors == {"pass_mark": ["及格分须在0到满分之间。"]}
    # The scores are checked against the exam's own full marks.
    errors = _errors(
        _exam, unit=demo["unit"], by=coordinator, full_marks="50", pass_mark="30", lines="张明 60"
    )
    assert errors == {"lines": ["粘贴的第1行：张明的成绩60分超出了0到满分50分的范围。"]}
    assert not Exam.objects.exists()


def test_a_shared_name_must_be_chosen_on_a_row(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    from wenming.orgs.models import Membership, Role

    twin = User.objects.create_user("zhangming2", first_name="张明")
    Membership.objects.create(user=twin, organization=demo["registry"], role=Role.STAFF)
    errors = _errors(_exam, unit=demo["unit"], by=coordinator, lines="张明 90")
    assert errors == {
        "lines": ["粘贴的第1行：本单位有2人名为“张明”，请在上方逐行选择人员填写其成绩。"]
    }


def test_scores_are_added_and_corrected(demo, coordinator, dept_head, staff) -> None:  # type: ignore[no-untyped-def]
    exam = _exam(demo["unit"], coordinator, lines="张明 90")
    count = study.exam_scores_set(
        exam=exam, user=coordinator, scores=[ScoreInput(staff.pk, "77")], lines="张明 95"
    )
    assert count == 2 and _scores(exam) == {"keshi": Decimal("95.0"), "jingban": Decimal("77.0")}
    assert _errors(study.exam_scores_set, exam=exam, user=coordinator) == {
        "scores": ["请至少填写一人的成绩。"]
    }


def test_removing_an_exam_keeps_it_and_its_scores(demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    exam = _exam(demo["unit"], coordinator, lines="张明 90")
    removed = study.exam_remove(exam=exam, user=coordinator)
    assert removed.removed_at is not None and ExamScore.objects.filter(exam=exam).count() == 1
    with pytest.raises(ValidationError, match="该考学已删除"):
        study.exam_remove(exam=exam, user=coordinator)
    with pytest.raises(ValidationError, match="该考学已删除，不能再登记成绩"):
        study.exam_scores_set(exam=removed, user=coordinator, lines="张明 95")
    assert _scores(exam) == {"keshi": Decimal("90.0")}

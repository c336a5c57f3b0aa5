"""Forms of the study screens: fields at the edge, the rules in `activities.study`, whose
refusals come back on the form by field (`apply_errors`). The score rows of a 考学 (a person
and a score each) are repeated inputs read by `score_rows`, not form fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from wenming.activities.models import Exam, StudyTarget
from wenming.activities.study import PLATFORM, ScoreInput, parse_month
from wenming.core.forms import StyledFormMixin
from wenming.tasks.forms import ServiceErrorsMixin

ACCEPT = ".xlsx,.xls"
SCORE_ROWS = 6  # blank rows offered on the form


def _length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


class TargetForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    sessions = forms.CharField(
        label="每人参加学习（次/年）",
        max_length=6,
        required=False,
        help_text="中心组学习、集体学习、主题党日都计入；0 或不填为不设目标。",
    )
    points = forms.CharField(
        label="每人学习平台积分（分/年）",
        max_length=8,
        required=False,
        help_text="按每月导入的平台积分合计；0 或不填为不设目标。",
    )
    platform = forms.CharField(
        label="学习平台",
        max_length=_length(StudyTarget, "platform"),
        required=False,
        error_messages={"max_length": "学习平台名称最多%(limit_value)d个字。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].widget.attrs.update({"inputmode": "numeric", "placeholder": "12"})
        self.fields["points"].widget.attrs.update({"inputmode": "numeric", "placeholder": "10000"})
        self.fields["platform"].widget.attrs["placeholder"] = PLATFORM


class PointsImportForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    month = forms.CharField(
        label="积分月份",
        max_length=10,
        error_messages={"required": "请选择积分所属的月份。"},
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    file = forms.FileField(
        label="积分表（.xlsx 或 .xls）",
        error_messages={
            "required": "请选择学习平台导出的积分表。",
            "empty": "上传的文件是空的，请重新选择。",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        if not self.is_bound and "month" not in self.initial:
            last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
            self.initial["month"] = f"{last:%Y-%m}"

    def clean_month(self) -> datetime.date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError("请按 2026-11 的格式选择月份。")
        return month


class ExamForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label="考试名称",
        max_length=_length(Exam, "title"),
        error_messages={
            "required": "请填写考试名称，例如“党的二十届三中全会精神应知应会测试”。",
            "max_length": "考试名称最多%(limit_value)d个字。",
        },
    )
    held_on = forms.DateField(
        label="考试日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "请填写考试日期。",
            "invalid": "请按 2026-03-20 的格式填写考试日期。",
        },
    )
    full_marks = forms.CharField(label="满分", max_length=8, initial="100")
    pass_mark = forms.CharField(label="及格分", max_length=8, initial="60")
    lines = forms.CharField(
        label="粘贴成绩（每行“姓名 分数”）",
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="可从 Excel 复制“姓名”“成绩”两列粘贴，每人一行。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        for name in ("full_marks", "pass_mark"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self.fields["lines"].widget.attrs["placeholder"] = "张明 92\n陈晓燕 86.5"
        self.fields["title"].widget.attrs["placeholder"] = "如：党的二十届三中全会精神应知应会测试"


class ScoresForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """登记成绩 on an exam's page: rows and pasted lines, as on the new exam's form."""

    lines = ExamForm.base_fields["lines"]


def score_rows(data: QueryDict) -> list[ScoreInput]:
    """The rows of the form with a person or a score (blank rows left out)."""
    people = data.getlist("person")
    scores = data.getlist("score")
    rows = []
    for n in range(max(len(people), len(scores))):
        person = people[n].strip() if n < len(people) else ""
        score = scores[n].strip() if n < len(scores) else ""
        if not person and not score:
            continue
        rows.append(ScoreInput(int(person) if person.isdigit() else None, score))
    return rows


def blank_rows(entered: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The rows shown on the form: those entered (sent back on a refusal) and blanks."""
    rows = list(entered or [])
    return rows + [("", "")] * max(SCORE_ROWS - len(rows), 2)


def entered_rows(data: QueryDict) -> list[tuple[str, str]]:
    people, scores = data.getlist("person"), data.getlist("score")
    return [
        (people[n] if n < len(people) else "", scores[n] if n < len(scores) else "")
        for n in range(max(len(people), len(scores)))
        if (n < len(people) and people[n].strip()) or (n < len(scores) and scores[n].strip())
    ]

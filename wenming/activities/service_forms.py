"""Forms of the imported hours, 双报到 and 帮扶共建 screens: fields at the edge, the rules in
`activities.hours_import` and `activities.community`, whose refusals come back on the form
by field (`apply_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wenming.activities.community import MAX_VISITS, PLAN_CHARS
from wenming.activities.models import CommunityFeedback, CommunityReport, FeedbackRating, Pairing
from wenming.core.forms import PlainSelect, StyledFormMixin
from wenming.tasks.forms import ServiceErrorsMixin

ACCEPT = ".xlsx,.xls"


def _invalid(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}。",
        "invalid_choice": f"请从列表中重新选择{label}。",
    }


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"请按 2026-03-20 的格式填写{label}。",
        },
    )


def _length(model: Any, field: str) -> int:
    return int(model._meta.get_field(field).max_length)


class HoursImportForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label="时长表（.xlsx 或 .xls）",
        error_messages={
            "required": "请选择志愿服务平台导出的时长表。",
            "empty": "上传的文件是空的，请重新选择。",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT


class CommunityReportForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """登记双报到: a person of the unit not reported yet, their community and the day."""

    person = forms.TypedChoiceField(
        label="党员", coerce=int, widget=PlainSelect, error_messages=_invalid("党员")
    )
    community = forms.CharField(
        label="居住地社区",
        max_length=_length(CommunityReport, "community"),
        error_messages={
            "required": "请填写居住地社区，例如“城东街道幸福里社区”。",
            "max_length": "居住地社区最多%(limit_value)d字。",
        },
    )
    reported_on = _date("报到日期")

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "请选择本单位党员"), *people]
        self.fields["community"].widget.attrs["placeholder"] = "如：城东街道幸福里社区"


class FeedbackForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """社区反馈: the community's rating, hours and note for one quarter."""

    year = forms.TypedChoiceField(
        label="年度", coerce=int, widget=PlainSelect, error_messages=_invalid("年度")
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)],
        widget=PlainSelect,
        error_messages=_invalid("季度"),
    )
    rating = forms.ChoiceField(
        label="社区评价",
        choices=[("", "请选择"), *FeedbackRating.choices],
        widget=PlainSelect,
        error_messages=_invalid("社区评价"),
    )
    hours = forms.CharField(
        label="社区服务时长（小时）",
        required=False,
        max_length=12,
        error_messages={"max_length": "社区服务时长请填写小时数，例如 6.5。"},
    )
    note = forms.CharField(
        label="社区意见",
        required=False,
        max_length=_length(CommunityFeedback, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "社区意见最多%(limit_value)d字。"},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, f"{y}年") for y in years]
        self.fields["hours"].widget.attrs.update({"inputmode": "decimal", "placeholder": "0"})


class PairingForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """新增帮扶共建: the partner, the lead department, the plan and the visits planned."""

    partner = forms.CharField(
        label="共建对象",
        max_length=_length(Pairing, "partner"),
        error_messages={
            "required": "请填写共建对象，例如“城东街道幸福里社区”。",
            "max_length": "共建对象最多%(limit_value)d字。",
        },
    )
    department = forms.TypedChoiceField(
        label="牵头部门", coerce=int, widget=PlainSelect, error_messages=_invalid("牵头部门")
    )
    plan = forms.CharField(
        label="共建计划",
        max_length=PLAN_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写共建计划：帮扶什么、怎样走访、要达到什么效果。",
            "max_length": "共建计划最多%(limit_value)d字。",
        },
    )
    starts_on = _date("开始日期")
    ends_on = _date("结束日期", required=False)
    visits_planned = forms.IntegerField(
        label="每年计划走访次数",
        min_value=1,
        max_value=MAX_VISITS,
        initial=4,
        error_messages={
            "required": "请填写每年计划走访次数。",
            "invalid": "每年计划走访次数请填写整数。",
            "min_value": f"每年计划走访次数请填写1到{MAX_VISITS}之间的整数。",
            "max_value": f"每年计划走访次数请填写1到{MAX_VISITS}之间的整数。",
        },
    )

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate(), "visits_planned": 4})
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "请选择牵头部门"), *departments]
        self.fields["partner"].widget.attrs["placeholder"] = "社区、村或学校的名称"
        self.fields["visits_planned"].widget.attrs["inputmode"] = "numeric"

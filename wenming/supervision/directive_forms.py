"""Forms of the priorities and monthly information screens: fields at the edge; the rules
live in `wenming.supervision.directives`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from wenming.core.forms import MultipleFileField, MultipleFileInput, StyledFormMixin
from wenming.orgs.models import Organization
from wenming.registry.forms import OwnIdsMixin, UnitChoiceField
from wenming.supervision.directives import INFO_LABELS, NOTE_LIMIT, TEXT_LIMIT
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不对，请按“2026-07-10”的格式填写。",
        },
    )


def _office_field() -> UnitChoiceField:
    return UnitChoiceField(
        label="文明办",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={
            "required": "请选择文明办。",
            "invalid_choice": "请从列表中重新选择文明办。",
        },
    )


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="年度",
        error_messages={
            "required": "请填写年度，例如 2026。",
            "invalid": "年度请填写年份，例如 2026。",
        },
    )


class _OfficeForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, offices: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offices


class PriorityForm(_OfficeForm):
    """起草季度重点工作."""

    office = _office_field()
    year = _year_field()
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(q, f"第{q}季度") for q in range(1, 5)],
        error_messages={
            "required": "请选择季度。",
            "invalid_choice": "季度应为第1到第4季度。",
        },
    )
    title = forms.CharField(
        label="标题",
        max_length=200,
        error_messages={"required": "请填写标题，例如“第三季度文明创建重点工作”。"},
    )
    body = forms.CharField(
        label="工作要求",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "请填写工作要求，单位将按此落实。"},
    )
    acknowledge_by = _date("签收截止日期", "截止日期后仍未签收的单位，标为逾期未签收。")


class AckForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "ack"

    note = forms.CharField(
        label="落实打算",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="可选：本单位的落实打算、牵头部门和时间安排。",
    )


class InfoRoundForm(_OfficeForm):
    """开启月度信息报送."""

    office = _office_field()
    year = _year_field()
    month = forms.TypedChoiceField(
        label="月份",
        coerce=int,
        choices=[(m, f"{m}月") for m in range(1, 13)],
        error_messages={"required": "请选择月份。", "invalid_choice": "月份应为1到12月。"},
    )
    due_on = _date("报送截止日期", "截止日期后仍可报送，但标为逾期报送。")
    note = forms.CharField(
        label="报送要求",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SubmitForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """The unit's monthly information."""

    id_prefix = "submit"

    title = forms.CharField(
        label="信息标题", max_length=200, error_messages={"required": "请填写信息标题。"}
    )
    content = forms.CharField(
        label="信息内容",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "请填写信息内容。"},
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text="PDF、Word文档或照片，可选多个；再次报送时新附件追加在原有附件之后。",
    )

    def apply_errors(self, error: ValidationError) -> None:
        """The service names the attachments `files`."""
        if hasattr(error, "error_dict") and "files" in error.error_dict:
            renamed = dict(error.error_dict)
            renamed["attachments"] = renamed.pop("files")
            error = ValidationError(renamed)
        super().apply_errors(error)


class InfoFilterForm(StyledFormMixin, forms.Form):
    """The table's filters; bad values are ignored (the table shows everything)."""

    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *INFO_LABELS.items()], required=False
    )
    q = forms.CharField(label="单位名称", required=False, max_length=50)

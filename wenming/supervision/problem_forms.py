"""Forms of the office's inspections and dispatched problems: fields at the edge; the rules
live in `wenming.supervision.problems`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from wenming.core.forms import StyledFormMixin
from wenming.orgs.models import Organization
from wenming.oversight.forms import FileErrorsMixin, OwnIdsMixin
from wenming.oversight.models import Severity
from wenming.registry.forms import UnitChoiceField
from wenming.supervision.models import CityProblemStatus, InspectionKind
from wenming.supervision.problems import TEXT_LIMIT
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUS_FILTERS = [
    ("", "全部状态"),
    ("open", "未销号"),
    *CityProblemStatus.choices,
    ("overdue", "逾期未整改"),
]


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
    }


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不对，请按“2026-03-15”的格式填写。",
        },
    )


def _text(label: str, *, required: bool, message: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message or f"请填写{label}。",
            "max_length": f"{label}不能超过{TEXT_LIMIT}个字，请精简后再保存。",
        },
    )


class InspectionForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    unit = UnitChoiceField(
        label="被督查单位",
        queryset=Organization.objects.none(),
        empty_label="请选择",
        help_text="本办文明单位名录中的单位。",
        error_messages={"required": "请选择被督查单位。", **_invalid("被督查单位")},
    )
    kind = forms.ChoiceField(
        label="方式",
        choices=InspectionKind.choices,
        error_messages={"required": "请选择督查方式：明查或暗访。", **_invalid("督查方式")},
    )
    inspected_on = _date("督查日期")
    inspectors = forms.CharField(
        label="督查人员",
        max_length=200,
        error_messages={"required": "请填写督查人员，例如“张伟、李娜”。"},
    )
    place = forms.CharField(label="督查地点", max_length=200, required=False)
    summary = forms.CharField(
        label="督查情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="总体看到的情况；具体问题请在保存后逐条交办。",
    )

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class DispatchForm(FileErrorsMixin, StyledFormMixin, forms.Form):
    description = _text(
        "问题描述", required=True, message="请描述发现的问题，例如“大厅公益广告破损未更换”。"
    )
    place = forms.CharField(label="问题位置", max_length=200, required=False)
    severity = forms.ChoiceField(
        label="严重程度",
        choices=Severity.choices,
        initial=Severity.GENERAL,
        error_messages=_invalid("严重程度"),
    )
    deadline = _date("整改时限", help_text="不能早于督查日期。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_errors = []


class AssignForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "assign"

    department = forms.ModelChoiceField(
        label="整改责任部门",
        queryset=Organization.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择本单位的一个部门作为整改责任部门。", **_invalid("部门")},
    )
    deadline = _date(
        "本单位整改时限", required=False, help_text="不填则与文明办的整改时限相同，不能晚于它。"
    )

    def __init__(self, *args: Any, departments: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class SubmitForm(FileErrorsMixin, StyledFormMixin, forms.Form):
    note = _text("整改情况", required=True, message="请填写整改情况：做了什么、整改到什么程度。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_errors = []


class VerifyForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "verify"

    comment = _text("验收意见", required=False, rows=2)


class ReturnForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "return"

    reason = _text(
        "退回原因", required=True, rows=2, message="请写明验收未通过的原因，告诉单位还要整改什么。"
    )


class RemoveForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "remove"

    reason = _text("撤回原因", required=True, rows=2, message="请写明撤回的原因，例如“重复交办”。")


class ProblemFilterForm(StyledFormMixin, forms.Form):
    """The list's filters; bad values are ignored (the list shows everything)."""

    status = forms.ChoiceField(label="状态", choices=STATUS_FILTERS, required=False)
    unit = UnitChoiceField(
        label="单位", queryset=Organization.objects.none(), required=False, empty_label="全部单位"
    )

    def __init__(self, *args: Any, units: QuerySet[Organization] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            field = self.fields["unit"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units


class InspectionFilterForm(StyledFormMixin, forms.Form):
    unit = UnitChoiceField(
        label="单位", queryset=Organization.objects.none(), required=False, empty_label="全部单位"
    )

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

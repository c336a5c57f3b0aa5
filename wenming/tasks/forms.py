"""Forms for tasks: fields at the edge; the rules live in `wenming.tasks.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from wenming.campaigns.models import Campaign, Phase
from wenming.core.forms import StyledFormMixin
from wenming.frameworks.models import Node
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.tasks import services
from wenming.tasks.coverage import standards_needing_tasks
from wenming.tasks.models import OVERDUE_LABEL, Recurrence, TaskStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class StandardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        title = obj.title if len(obj.title) <= 60 else obj.title[:59] + "…"
        return f"{obj.code} {title}"


class ServiceErrorsMixin:
    """Shows a service's ValidationError on the form, and outlines fields with errors."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.mark_invalid()

    def mark_invalid(self) -> None:
        form: Any = self
        for name in form.errors:
            if name in form.fields:
                attrs = form.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def apply_errors(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            form.add_error(None, error)
        self.mark_invalid()


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
    }


class TaskForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(
        label="工作任务",
        max_length=300,
        error_messages={"required": "请填写工作任务。", "max_length": "工作任务不能超过300个字。"},
    )
    requirement = forms.CharField(
        label="完成标准",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="怎样才算完成。",
    )
    standards = StandardChoiceField(
        label="对应测评标准",
        queryset=Node.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages=_invalid("测评标准"),
        help_text="按住 Ctrl 可多选。",
    )
    phase = forms.ModelChoiceField(
        label="所属阶段",
        queryset=Phase.objects.none(),
        required=False,
        empty_label="（不指定）",
        error_messages=_invalid("阶段"),
    )
    lead_department = forms.ModelChoiceField(
        label="牵头部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（暂不指定，开放给各部门认领）",
        error_messages=_invalid("牵头部门"),
    )
    co_departments = forms.ModelMultipleChoiceField(
        label="配合部门",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages=_invalid("配合部门"),
    )
    responsible = PersonChoiceField(
        label="责任人",
        queryset=User.objects.none(),
        required=False,
        empty_label="（不指定）",
        error_messages=_invalid("责任人"),
    )
    start_date = forms.DateField(
        label="开始日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "请按 2026-03-15 的格式填写开始日期。"},
    )
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        widget=DATE,
        error_messages={"invalid": "请按 2026-03-15 的格式填写完成时限。"},
    )
    target_quantity = forms.DecimalField(
        label="量化目标",
        required=False,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "量化目标请填写数字。"},
    )
    target_unit = forms.CharField(
        label="目标单位", required=False, max_length=20, help_text="如：次、篇、人"
    )
    recurrence = forms.ChoiceField(
        label="重复",
        choices=Recurrence.choices,
        required=False,
        error_messages=_invalid("重复方式"),
    )
    recurrence_dates = forms.CharField(
        label="指定日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="重复选“指定日期”时填写，每行一个日期，如 2026-03-15。",
    )
    is_draft = forms.BooleanField(
        label="草稿（内容待完善）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["standards"].queryset = standards_needing_tasks(campaign).order_by("position")
        fields["phase"].queryset = Phase.objects.filter(campaign=campaign).order_by("position")
        departments = services.unit_departments(campaign)
        fields["lead_department"].queryset = departments
        fields["co_departments"].queryset = departments
        fields["responsible"].queryset = unit_people(campaign.unit)

    def clean_recurrence_dates(self) -> list[str]:
        raw = self.cleaned_data.get("recurrence_dates") or ""
        return [p for p in raw.replace("，", "\n").replace(",", "\n").split() if p]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["co_departments"] = list(data["co_departments"])
        data["standards"] = list(data["standards"])
        return data


class ProgressForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    progress = forms.IntegerField(
        label="进度（%）",
        error_messages={"required": "请填写进度。", "invalid": "进度请填写0到100之间的整数。"},
    )
    note = forms.CharField(
        label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OccurrenceForm(StyledFormMixin, forms.Form):
    done_at = forms.DateField(
        label="完成日期",
        required=False,
        error_messages={"invalid": "完成日期格式不正确，请按 2026-05-20 的格式填写。"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label="情况", required=False, max_length=1000)


class ClaimForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label="认领部门",
        queryset=Organization.objects.none(),
        error_messages={"required": "请选择认领部门。", **_invalid("认领部门")},
    )
    note = forms.CharField(
        label="认领说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ReassignForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label="新的牵头部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（收回，开放给各部门认领）",
        error_messages=_invalid("牵头部门"),
    )
    reason = forms.CharField(
        label="原因", max_length=200, error_messages={"required": "请填写调整牵头部门的原因。"}
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = services.unit_departments(campaign)  # type: ignore[attr-defined]


STATUS_FILTERS = [*TaskStatus.choices, ("overdue", OVERDUE_LABEL)]


class TaskFilterForm(StyledFormMixin, forms.Form):
    phase = forms.ModelChoiceField(
        label="阶段", queryset=Phase.objects.none(), required=False, empty_label="全部阶段"
    )
    department = forms.ModelChoiceField(
        label="部门", queryset=Organization.objects.none(), required=False, empty_label="全部部门"
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *STATUS_FILTERS], required=False
    )
    q = forms.CharField(label="标准编号", required=False, max_length=40)
    overdue = forms.BooleanField(
        label="只看逾期",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # Set by links from the dashboards: with a department, only the tasks it leads.
    lead = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["phase"].queryset = Phase.objects.filter(campaign=campaign).order_by("position")
        fields["department"].queryset = services.unit_departments(campaign)

"""The binder request form: format and scope, with choices limited to what the person may bind."""

from __future__ import annotations

from typing import Any

from django import forms

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.models import ExportFormat
from wenming.orgs.models import Organization, OrgKind


class BinderForm(forms.Form):
    format = forms.ChoiceField(
        label="格式",
        choices=ExportFormat.choices,
        initial=ExportFormat.PDF,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择导出格式。", "invalid_choice": "请选择导出格式。"},
    )
    department = forms.IntegerField(
        label="部门",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid": "请从列表中选择部门。"},
    )
    year = forms.TypedChoiceField(
        label="年度",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "台账中没有该年度，请从列表中选择。"},
    )
    standards = forms.ModelMultipleChoiceField(
        label="测评标准",
        queryset=Node.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "所选测评标准不在本次创建的测评体系中，请重新勾选。",
            "invalid_pk_value": "所选测评标准不正确，请重新勾选。",
        },
    )
    approved_only = forms.BooleanField(label="只收录审核通过的台账", required=False)

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        departments: list[Organization],
        whole_unit: bool,
        years: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        choices: list[tuple[Any, str]] = [("", "全单位（所有部门）")] if whole_unit else []
        choices += [(d.pk, d.name) for d in departments]
        self.fields["department"].widget.choices = choices
        if not whole_unit and departments:
            self.fields["department"].initial = departments[0].pk
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]  # type: ignore[attr-defined]
        self.fields["standards"].queryset = Node.objects.filter(  # type: ignore[attr-defined]
            framework_id=campaign.framework_id, is_leaf=True
        )

    def clean_department(self) -> Organization | None:
        pk = self.cleaned_data.get("department")
        if pk is None:
            return None
        department = Organization.objects.filter(
            pk=pk, kind=OrgKind.DEPARTMENT, path__startswith=self.campaign.unit.path
        ).first()
        if department is None:
            raise forms.ValidationError(
                f"所选部门不是{self.campaign.unit.name}的部门，请从列表中选择。"
            )
        return department

"""Forms for inspections and problems: fields at the edge; the rules live in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from wenming.campaigns.models import Campaign
from wenming.core.forms import StyledFormMixin
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import Organization
from wenming.oversight.models import InspectionKind, ProblemStatus, Severity
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
        "invalid_list": f"请从列表中重新选择{label}。",
    }


def unit_departments(campaign: Campaign) -> QuerySet[Organization]:
    """The departments a problem (or an accountability record) can be given to."""
    return campaign.unit.active_departments()


def campaign_standards(campaign: Campaign) -> QuerySet[Node]:
    return Node.objects.filter(framework_id=campaign.framework_id, is_leaf=True).order_by(
        "position"
    )


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        title = obj.title if len(obj.title) <= 40 else obj.title[:39] + "…"
        return f"{obj.code} {title}"


class FileErrorsMixin(ServiceErrorsMixin):
    """File refusals are listed beside the file input, the rest on their fields."""

    file_errors: list[str]

    def apply_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            files = error.error_dict.pop("files", None)
            for e in files or []:
                self.file_errors.extend(e.messages)
            if not error.error_dict:
                return
        super().apply_errors(error)


class OwnIdsMixin:
    """Several small forms share the problem page: each gets its own element ids."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class InspectionForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="督查类型", choices=InspectionKind.choices)
    title = forms.CharField(
        label="督查名称",
        max_length=200,
        error_messages={"required": "请填写督查名称，例如“3月第2周日常督查”。"},
    )
    inspected_on = forms.DateField(
        label="督查日期",
        widget=DATE,
        error_messages={"required": "请填写督查日期。", "invalid": "请按“年-月-日”填写督查日期。"},
    )
    place = forms.CharField(label="督查地点", max_length=200, required=False)
    inspectors = forms.CharField(
        label="督查人员", max_length=200, required=False, help_text="不填则记为您本人。"
    )
    findings = forms.CharField(
        label="督查情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="总体看到的情况；具体问题请在保存后逐条记录。",
    )


class ProblemForm(FileErrorsMixin, StyledFormMixin, forms.Form):
    description = forms.CharField(
        label="问题描述",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请描述发现的问题，例如“三楼东侧楼道灭火器过期未更换”。"},
    )
    place = forms.CharField(label="问题位置", max_length=200, required=False)
    department = forms.ModelChoiceField(
        label="责任部门",
        queryset=Organization.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择整改责任部门。", **_invalid("责任部门")},
    )
    deadline = forms.DateField(
        label="整改时限",
        widget=DATE,
        error_messages={"required": "请填写整改时限。", "invalid": "请按“年-月-日”填写整改时限。"},
    )
    severity = forms.ChoiceField(
        label="严重程度", choices=Severity.choices, initial=Severity.GENERAL
    )
    standard = StandardChoiceField(
        label="对应测评标准",
        queryset=Node.objects.none(),
        required=False,
        empty_label="不对应具体标准",
        error_messages=_invalid("测评标准"),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_errors = []
        self.fields["department"].queryset = unit_departments(campaign)  # type: ignore[attr-defined]
        self.fields["standard"].queryset = campaign_standards(campaign).only(  # type: ignore[attr-defined]
            "id", "code", "title"
        )


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: EvidenceItem) -> str:
        when = f"{obj.activity_date:%Y-%m-%d} " if obj.activity_date else ""
        return f"{when}{obj.title}"


class SubmitForm(FileErrorsMixin, StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="整改情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写整改情况：做了什么、整改到什么程度。"},
    )
    evidence_items = EvidenceChoiceField(
        label="关联整改台账",
        queryset=EvidenceItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text="可多选（按住Ctrl或在手机上点选）；已上传到创建台账的整改材料可直接关联。",
        error_messages=_invalid("台账"),
    )

    def __init__(self, *args: Any, items: QuerySet[EvidenceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_errors = []
        self.fields["evidence_items"].queryset = items  # type: ignore[attr-defined]


class VerifyForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "verify"

    comment = forms.CharField(
        label="验收意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "return"

    reason = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明验收未通过的原因，告诉责任部门还要整改什么。"},
    )


class ReassignForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "reassign"

    department = forms.ModelChoiceField(
        label="新的责任部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="不变",
        error_messages=_invalid("责任部门"),
    )
    deadline = forms.DateField(
        label="新的整改时限",
        widget=DATE,
        required=False,
        error_messages={"invalid": "请按“年-月-日”填写整改时限。"},
    )
    reason = forms.CharField(
        label="调整原因",
        error_messages={"required": "请写明调整的原因，原因将留档备查。"},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = unit_departments(campaign)  # type: ignore[attr-defined]


class RemoveForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "remove"

    reason = forms.CharField(
        label="删除原因", error_messages={"required": "请写明删除的原因，例如“重复记录”。"}
    )


class ProblemFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), ("open", "未销号"), *ProblemStatus.choices],
    )
    department = forms.ModelChoiceField(
        label="责任部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="全部部门",
    )
    severity = forms.ChoiceField(
        label="严重程度", required=False, choices=[("", "全部程度"), *Severity.choices]
    )
    kind = forms.ChoiceField(
        label="督查类型",
        required=False,
        choices=[("", "全部类型"), *InspectionKind.choices, ("alone", "单独记录")],
    )
    overdue = forms.BooleanField(label="只看逾期", required=False)
    # Set by links from the gap analysis: the problems of one standard.
    standard = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = unit_departments(campaign)  # type: ignore[attr-defined]

"""Forms of the 先进典型 screens: fields at the edge; the rules live in
`activities.nominations`, whose refusals come back on the form by field (`apply_errors`).

The nomination form offers the unit's people ("姓名 · 部门"), its departments (for 文明科室)
and the campaign's standards grouped by item, as the activity form does. Each step on the
detail page has its own small form; the award's and the referral's files are not form
fields: they come under `files`, as the ledger's do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from wenming.activities.models.nominations import (
    RATING_CATEGORIES,
    Category,
    Nomination,
    Objection,
    Rating,
)
from wenming.activities.nominations import MAX_PUBLICITY_DAYS, MAX_QUOTA, Action
from wenming.campaigns.models import Campaign
from wenming.core.forms import PlainSelect, StyledFormMixin
from wenming.frameworks.models import Node
from wenming.ledger.forms import GroupedStandardsField, grouped_standards
from wenming.orgs.models import Organization
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The parts of the page a step's refusal may name that are not fields of its form.
SECTIONS = ("files",)


def _invalid(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}。",
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
        "invalid_list": f"请从列表中重新选择{label}。",
    }


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"请按 2026-03-20 的格式填写{label}。",
        },
    )


def year_choices(campaign: Campaign) -> list[tuple[int, str]]:
    years = range(campaign.cycle_end.year, campaign.cycle_start.year - 1, -1)
    return [(y, f"{y}年") for y in years]


class StepForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """A step's form; a refusal about the files shows beside its file input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_errors: dict[str, list[str]] = {}

    def errors_of(self, section: str) -> list[str]:
        return self.section_errors.get(section, [])

    def apply_errors(self, error: Any) -> None:
        if hasattr(error, "error_dict"):
            for section in SECTIONS:
                for e in error.error_dict.pop(section, []):
                    self.section_errors.setdefault(section, []).extend(e.messages)
            if not error.error_dict:
                return
        super().apply_errors(error)


class NominationForm(StepForm):
    department = forms.ModelChoiceField(
        label="推荐部门",
        queryset=Organization.objects.none(),
        error_messages=_invalid("推荐部门"),
    )
    year = forms.TypedChoiceField(
        label="年度", coerce=int, widget=PlainSelect, error_messages=_invalid("年度")
    )
    category = forms.ChoiceField(
        label="推荐类别",
        choices=[("", "请选择推荐类别"), *Category.choices],
        widget=PlainSelect,
        error_messages=_invalid("推荐类别"),
        help_text="文明科室、文明职工、文明家庭为年度评选；其余为“身边好人”推荐。",
    )
    person = forms.TypedChoiceField(
        label="本单位人员",
        coerce=int,
        required=False,
        empty_value=None,
        widget=PlainSelect,
        error_messages=_invalid("人员"),
        help_text="文明职工必选；文明家庭、身边好人可选（外单位人员直接填写名称）。",
    )
    collective = forms.ModelChoiceField(
        label="推荐为文明科室的部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不是文明科室推荐）",
        error_messages=_invalid("部门"),
    )
    name = forms.CharField(
        label="名称",
        required=False,
        max_length=Nomination._meta.get_field("name").max_length,
        error_messages={"max_length": "名称最多%(limit_value)d字。"},
        help_text="选了人员或部门可不填；文明家庭写“某某家庭”。",
    )
    story = forms.CharField(
        label="主要事迹",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写主要事迹：做了什么、有什么影响。"},
    )
    standards = GroupedStandardsField(
        label="佐证的测评标准",
        error_messages={**_invalid("测评标准"), "required": "请选择佐证的测评标准。"},
        help_text="评选后，台账（一事一档）归入这些标准。",
    )

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        departments: QuerySet[Organization] | None,
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if departments is None:
            del fields["department"]
        else:
            fields["department"].queryset = departments
        fields["year"].choices = year_choices(campaign)
        fields["person"].choices = [("", "（不选人员）"), *people]
        fields["collective"].queryset = Organization.objects.departments_of(
            campaign.unit, active_only=True
        ).order_by("sort_order", "name")
        choices, self.leaves = grouped_standards(campaign)
        fields["standards"].choices = choices

    def selected_standards(self) -> set[str]:
        return {str(v) for v in (self["standards"].value() or [])}

    def chosen_standards(self) -> list[Node]:
        ids = self.cleaned_data.get("standards") or []
        return [self.leaves[i] for i in ids if i in self.leaves]


class RatingForm(StepForm):
    year = forms.TypedChoiceField(
        label="年度", coerce=int, widget=PlainSelect, error_messages=_invalid("年度")
    )
    category = forms.ChoiceField(
        label="评选类别",
        choices=[("", "请选择评选类别"), *((c.value, c.label) for c in RATING_CATEGORIES)],
        widget=PlainSelect,
        error_messages=_invalid("评选类别"),
    )
    criteria = forms.CharField(
        label="评选条件",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写评选条件。"},
    )
    quota = forms.IntegerField(
        label="名额",
        min_value=1,
        max_value=MAX_QUOTA,
        error_messages={
            "required": "请填写名额。",
            "invalid": "名额须为整数。",
            "min_value": "名额至少为1。",
            "max_value": f"名额最多{MAX_QUOTA}。",
        },
    )
    publicity_days = forms.IntegerField(
        label="公示期（工作日）",
        initial=5,
        min_value=1,
        max_value=MAX_PUBLICITY_DAYS,
        error_messages={
            "required": "请填写公示期。",
            "invalid": "公示期须为整数。",
            "min_value": "公示期至少1个工作日。",
            "max_value": f"公示期最多{MAX_PUBLICITY_DAYS}个工作日。",
        },
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["year"].choices = year_choices(campaign)
        fields["criteria"].widget.attrs["placeholder"] = Rating._meta.get_field(
            "criteria"
        ).verbose_name


class NoteForm(StepForm):
    note = forms.CharField(label="意见", required=False, max_length=500, widget=forms.TextInput())


class ReasonForm(StepForm):
    reason = forms.CharField(
        label="原因",
        max_length=500,
        widget=forms.TextInput(),
        error_messages={"required": "请写明原因。", "max_length": "原因最多500字。"},
    )


class WithdrawForm(StepForm):
    reason = forms.CharField(label="撤回原因", required=False, max_length=500)


class PublicizeForm(StepForm):
    starts_on = _date("公示开始日期")
    days = forms.IntegerField(
        label="公示期（工作日）",
        min_value=1,
        max_value=MAX_PUBLICITY_DAYS,
        error_messages={
            "required": "请填写公示期。",
            "invalid": "公示期须为整数。",
            "min_value": "公示期至少1个工作日。",
            "max_value": f"公示期最多{MAX_PUBLICITY_DAYS}个工作日。",
        },
        help_text="按文明办的工作日历计算结束日期（节假日不计）。",
    )


class ObjectionForm(StepForm):
    received_on = _date("收到日期")
    raised_by = forms.CharField(
        label="反映人",
        required=False,
        max_length=Objection._meta.get_field("raised_by").max_length,
        error_messages={"max_length": "反映人最多%(limit_value)d字。"},
        help_text="匿名反映的不填。",
    )
    content = forms.CharField(
        label="反映内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写反映的内容。"},
    )


class AnswerForm(StepForm):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label="核实答复",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写核实情况和答复。"},
    )
    upheld = forms.TypedChoiceField(
        label="核实结论",
        choices=[("", "请选择"), ("false", "不属实"), ("true", "属实（不予评选）")],
        coerce=lambda v: v == "true",
        widget=PlainSelect,
        error_messages={"required": "请选择核实结论：属实或不属实。"},
    )


class AwardForm(StepForm):
    award_title = forms.CharField(
        label="荣誉称号",
        required=False,
        max_length=100,
        error_messages={"max_length": "荣誉称号最多100字。"},
    )
    awarded_on = _date("评选日期")


class ReferForm(StepForm):
    referred_to = forms.CharField(
        label="推荐上报至",
        max_length=Nomination._meta.get_field("referred_to").max_length,
        error_messages={
            "required": "请填写推荐上报至哪里，例如“临州好人榜”。",
            "max_length": "推荐上报至最多%(limit_value)d字。",
        },
    )
    referred_on = _date("上报日期")
    note = forms.CharField(label="说明", required=False, max_length=500)


# The form of each step on the detail page.
STEP_FORMS: dict[str, type[StepForm]] = {
    Action.RECOMMEND: NoteForm,
    Action.REVIEW: NoteForm,
    Action.RETURN: ReasonForm,
    Action.PUBLICIZE: PublicizeForm,
    Action.OBJECTION: ObjectionForm,
    Action.ANSWER: AnswerForm,
    Action.AWARD: AwardForm,
    Action.REFER: ReferForm,
    Action.WITHDRAW: WithdrawForm,
    Action.DECLINE: ReasonForm,
}


class BoardFilterForm(StyledFormMixin, forms.Form):
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *Category.choices]
    )
    department = forms.ModelChoiceField(
        label="推荐部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="全部部门",
    )

    def __init__(
        self, *args: Any, departments: QuerySet[Organization], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["year"].choices = [(y, f"{y}年") for y in years]
        fields["department"].queryset = departments

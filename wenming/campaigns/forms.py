"""Forms for the campaign plan screens. They collect input; the rules live in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from wenming.campaigns.models import PHASE_ORDER, Campaign, Milestone, PhaseKind
from wenming.campaigns.services import CAMPAIGN_FIELDS, PhaseInput
from wenming.frameworks.models import Framework, FrameworkLevel
from wenming.orgs.forms import PersonChoiceField, StyledForm
from wenming.orgs.models import Organization


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=_date_widget(),
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}的格式不对，请按 2026-09-30 这样的格式填写。",
        },
    )


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.name}（第{obj.version}版）"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class CampaignForm(StyledForm):
    title = forms.CharField(
        label="创建工作名称",
        max_length=120,
        help_text="如：2026—2028年创建省级文明单位",
        error_messages={"required": "请填写创建工作名称。", "max_length": "名称不能超过120个字。"},
    )
    target_level = forms.ChoiceField(
        label="目标级别",
        choices=FrameworkLevel.choices,
        error_messages={
            "required": "请选择目标级别。",
            "invalid_choice": "请从列表中选择目标级别。",
        },
    )
    target_kind = forms.CharField(
        label="目标称号",
        max_length=40,
        initial="文明单位",
        help_text="如：文明单位、文明单位标兵",
        error_messages={"required": "请填写目标称号。"},
    )
    framework = FrameworkChoiceField(
        label="测评体系",
        queryset=Framework.objects.none(),
        empty_label="（请选择）",
        help_text="只能选择已发布的测评体系。",
        error_messages={
            "required": "请选择本次创建依据的测评体系。",
            "invalid_choice": "没有找到所选测评体系，或它尚未发布。请重新选择。",
        },
    )
    cycle_start = _date_field("创建周期开始日期")
    cycle_end = _date_field("创建周期结束日期")
    application_date = _date_field(
        "申报日期", required=False, help_text="集中申报的截止日期，可以以后再填。"
    )
    guiding_ideas = forms.CharField(
        label="指导思想",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不填时，《实施方案》使用标准表述（以习近平新时代中国特色社会主义思想为指导……）。",
    )
    goals = forms.CharField(
        label="目标任务",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不填时，《实施方案》按目标级别、测评体系和创建周期生成标准表述。",
    )
    requirements = forms.CharField(
        label="工作要求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一段。不填时使用标准的四条工作要求。",
    )

    def __init__(self, *args: Any, frameworks: QuerySet[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = frameworks
        if not self.is_bound and "framework" not in self.initial:
            # One system to choose from: choose it.
            only = list(frameworks[:2])
            if len(only) == 1:
                self.initial["framework"] = only[0].pk

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict[str, Any]:
        return {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PhasesForm(StyledForm):
    """All four phases in one form: `<kind>_start`, `<kind>_end`, `<kind>_description`."""

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phases = {p.kind: p for p in campaign.phases.all()}
        for kind in PHASE_ORDER:
            label = PhaseKind(kind).label
            phase = phases.get(kind)
            # Messages name the phase; the labels sit under its heading, so they stay short.
            self.fields[f"{kind}_start"] = _date_field(f"“{label}”开始日期")
            self.fields[f"{kind}_start"].label = "开始日期"
            self.fields[f"{kind}_end"] = _date_field(f"“{label}”结束日期")
            self.fields[f"{kind}_end"].label = "结束日期"
            self.fields[f"{kind}_description"] = forms.CharField(
                label="主要工作",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if phase is not None:
                self.initial.setdefault(f"{kind}_start", phase.start)
                self.initial.setdefault(f"{kind}_end", phase.end)
                self.initial.setdefault(f"{kind}_description", phase.description)
        self.style_widgets()

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "label": PhaseKind(kind).label,
                "start": self[f"{kind}_start"],
                "end": self[f"{kind}_end"],
                "description": self[f"{kind}_description"],
            }
            for kind in PHASE_ORDER
        ]

    def phase_inputs(self) -> list[PhaseInput]:
        data = self.cleaned_data
        return [
            (
                kind,
                data.get(f"{kind}_start"),
                data.get(f"{kind}_end"),
                data.get(f"{kind}_description", ""),
            )
            for kind in PHASE_ORDER
        ]


class MilestoneForm(StyledForm):
    title = forms.CharField(
        label="时间节点",
        max_length=200,
        help_text="如：九月底前全面部署到位；10月10日前以书面形式报市文明办",
        error_messages={"required": "请填写时间节点的内容。"},
    )
    due = _date_field("完成日期")
    owner_department = DepartmentChoiceField(
        label="责任部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不指定）",
        error_messages={"invalid_choice": "请从列表中选择本单位的部门。"},
    )
    owner = PersonChoiceField(
        label="责任人",
        queryset=User.objects.none(),
        required=False,
        empty_label="（不指定）",
        error_messages={"invalid_choice": "请从列表中选择本单位的人员。"},
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Organization],
        people: QuerySet[User],
        with_done: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        dept_field = self.fields["owner_department"]
        assert isinstance(dept_field, forms.ModelChoiceField)
        dept_field.queryset = departments
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = people
        if with_done:
            self.fields["done_at"] = _date_field(
                "实际完成日期", required=False, help_text="完成后填写；未完成请留空。"
            )
            self.style_widgets()

    @classmethod
    def initial_for(cls, milestone: Milestone) -> dict[str, Any]:
        return {
            "title": milestone.title,
            "due": milestone.due,
            "owner_department": milestone.owner_department_id,
            "owner": milestone.owner_id,
            "done_at": milestone.done_at,
        }

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

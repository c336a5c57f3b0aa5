"""Forms for the ledger screens: fields at the edge; the rules live in `ledger.services`.

Files are not a form field: the uploader sends any number of them under `files`, the view
passes `request.FILES.getlist("files")` to the service, and the service's refusals (one per
file) come back through `apply_errors` into `file_errors`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.core.forms import StyledFormMixin
from wenming.frameworks.models import Node
from wenming.ledger.models import ItemStatus
from wenming.orgs.models import Organization
from wenming.tasks.forms import ServiceErrorsMixin
from wenming.tasks.models import Occurrence, Task

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = (
    "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,.mp4,.mov,.mp3,.m4a,"
    ".jpg,.jpeg,.png,.heic,.heif,.webp"
)


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
        "invalid_list": f"请从列表中重新选择{label}。",
    }


def standard_label(node: Node) -> str:
    title = node.title if len(node.title) <= 70 else node.title[:69] + "…"
    return f"{node.code} {title}"


def grouped_standards(campaign: Campaign) -> tuple[list[Any], dict[int, Node]]:
    """All standards of the campaign's system as checkbox choices grouped by top-level item."""
    nodes = list(
        Node.objects.filter(framework_id=campaign.framework_id)
        .only("id", "parent_id", "code", "title", "is_leaf", "position", "depth")
        .order_by("position")
    )
    by_id = {n.pk: n for n in nodes}
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for n in nodes:
        if not n.is_leaf:
            continue
        top = n
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        label = standard_label(top) if top.pk != n.pk else "其他"
        groups.setdefault(top.pk, (label, []))[1].append((n.pk, standard_label(n)))
    leaves = {n.pk: n for n in nodes if n.is_leaf}
    return list(groups.values()), leaves


class ItemFormBase(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(
        label="台账名称",
        max_length=200,
        error_messages={
            "required": "请填写台账名称，例如“3月道德讲堂”。",
            "max_length": "台账名称不能超过200个字。",
        },
    )
    activity_date = forms.DateField(
        label="活动日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "请按 2026-03-20 的格式填写活动日期。"},
    )
    place = forms.CharField(label="地点", max_length=200, required=False)
    participant_count = forms.IntegerField(
        label="参加人数",
        required=False,
        min_value=0,
        error_messages={
            "invalid": "参加人数请填写整数。",
            "min_value": "参加人数不能是负数。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    participants = forms.CharField(
        label="参加人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可写人员名单或“全体干部职工”。",
    )
    summary = forms.CharField(
        label="活动情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="做了什么：时间、地点、内容、参加人员。",
    )
    result = forms.CharField(
        label="取得成效",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="有什么效果：如撰写心得32篇、群众满意度提升。台账须“有文有图有成效”。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_errors: list[str] = []

    def apply_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            files = error.error_dict.pop("files", None)
            if files:
                for e in files:
                    self.file_errors.extend(e.messages)
            if not error.error_dict:
                return
        super().apply_errors(error)

    def selected_standards(self) -> set[str]:
        """The checked standards as strings, bound or initial (for the grouped checklist)."""
        if "standards" not in self.fields:
            return set()
        value = self["standards"].value() or []
        return {str(v) for v in value}

    def item_fields(self) -> dict[str, Any]:
        from wenming.ledger.services import ITEM_FIELDS

        return {k: self.cleaned_data.get(k) for k in ITEM_FIELDS if k in self.cleaned_data}


class TaskItemForm(ItemFormBase):
    """Upload to one task's dossier: the standards are the task's, all checked by default."""

    occurrence = forms.ModelChoiceField(
        label="第几次",
        queryset=Occurrence.objects.none(),
        required=False,
        empty_label="（不属于某一次）",
        error_messages=_invalid("第几次"),
    )
    department = forms.ModelChoiceField(
        label="上传部门",
        queryset=Organization.objects.none(),
        error_messages={"required": "请选择上传部门。", **_invalid("上传部门")},
    )
    standards = forms.ModelMultipleChoiceField(
        label="佐证的测评标准",
        queryset=Node.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "请至少选择一条这份台账所佐证的测评标准。",
            **_invalid("测评标准"),
        },
    )
    field_order = [
        "title",
        "occurrence",
        "activity_date",
        "place",
        "participant_count",
        "participants",
        "summary",
        "result",
        "department",
        "standards",
    ]

    def __init__(
        self,
        *args: Any,
        task: Task,
        occurrences: list[Occurrence],
        standards: list[Node],
        departments: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if occurrences:
            fields["occurrence"].queryset = Occurrence.objects.filter(task=task)
            fields["occurrence"].label_from_instance = lambda o: (
                f"第{o.sequence}次（时限{o.due:%Y-%m-%d}）"
            )
        else:
            del fields["occurrence"]
        # A led task's proof goes under its lead, unless the uploader is of a co-operating
        # department only (`access.task_evidence_departments`): then under their own name.
        if (
            task.lead_department_id is not None
            and departments.filter(pk=task.lead_department_id).exists()
        ):
            del fields["department"]
        else:
            fields["department"].queryset = departments
            if task.lead_department_id is not None:
                fields["department"].label = "配合部门"
                fields["department"].empty_label = None
        fields["standards"].queryset = Node.objects.filter(pk__in=[s.pk for s in standards])
        fields["standards"].label_from_instance = standard_label
        if "activity_date" not in self.initial:
            self.initial["activity_date"] = timezone.localdate()


class GroupedStandardsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            coerce=int,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            **kwargs,
        )


class CampaignItemForm(ItemFormBase):
    """The office files evidence for any department and any standards (task optional)."""

    department = forms.ModelChoiceField(
        label="上传部门",
        queryset=Organization.objects.none(),
        error_messages={"required": "请选择这份台账属于哪个部门。", **_invalid("上传部门")},
    )
    task = forms.ModelChoiceField(
        label="工作任务",
        queryset=Task.objects.none(),
        required=False,
        empty_label="（不关联任务）",
        error_messages=_invalid("工作任务"),
        help_text="关联任务后，台账进入该任务的一事一档；不选测评标准时使用任务的测评标准。",
    )
    standards = GroupedStandardsField(
        label="佐证的测评标准",
        required=False,
        error_messages=_invalid("测评标准"),
    )
    field_order = [
        "title",
        "department",
        "task",
        "activity_date",
        "place",
        "participant_count",
        "participants",
        "summary",
        "result",
        "standards",
    ]

    def __init__(self, *args: Any, campaign: Campaign, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments
        fields["task"].queryset = (
            Task.objects.live().filter(campaign=campaign).order_by("deadline", "id")
        )
        choices, self.leaves = grouped_standards(campaign)
        fields["standards"].choices = choices
        if "activity_date" not in self.initial:
            self.initial["activity_date"] = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("standards") and not data.get("task"):
            self.add_error(
                "standards", "请至少选择一条这份台账所佐证的测评标准，或选择一项工作任务。"
            )
        return data

    def chosen_standards(self) -> list[Node] | None:
        ids = self.cleaned_data.get("standards") or []
        if not ids:
            return None
        return [self.leaves[i] for i in ids if i in self.leaves]


class ItemEditForm(ItemFormBase):
    standards = GroupedStandardsField(
        label="佐证的测评标准",
        error_messages={
            "required": "请至少选择一条这份台账所佐证的测评标准。",
            **_invalid("测评标准"),
        },
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices, self.leaves = grouped_standards(campaign)
        self.fields["standards"].choices = choices  # type: ignore[attr-defined]

    def chosen_standards(self) -> list[Node]:
        return [self.leaves[i] for i in self.cleaned_data["standards"] if i in self.leaves]


STATUS_CHOICES = [("", "全部状态"), *ItemStatus.choices]


class ItemFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label="名称",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "按台账名称查找", "type": "search"}),
    )
    standard = forms.ModelChoiceField(
        label="测评标准",
        queryset=Node.objects.none(),
        required=False,
        empty_label="全部测评标准",
    )
    department = forms.ModelChoiceField(
        label="部门", queryset=Organization.objects.none(), required=False, empty_label="全部部门"
    )
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, campaign: Campaign, departments: Any, years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["standard"].queryset = Node.objects.filter(
            framework_id=campaign.framework_id, is_leaf=True
        ).order_by("position")
        fields["standard"].label_from_instance = standard_label
        fields["department"].queryset = departments
        fields["year"].choices = [("", "全部年度"), *[(y, f"{y}年") for y in years]]


class CommentForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    reason = forms.CharField(required=False, max_length=2000)

"""Forms of the volunteers and measures screens: fields at the edge, the rules in
`activities.services` (`volunteer_register`, `measure_set`), whose refusals come back on the
form by field (`apply_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wenming.activities.models import ActivityKind, Figure, Volunteer
from wenming.core.forms import PlainSelect, StyledFormMixin
from wenming.frameworks.models import Node
from wenming.tasks.forms import ServiceErrorsMixin

TITLE_CHARS = 40


def _invalid(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}。",
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
    }


def standard_label(node: Node) -> str:
    """A standard as the lists show it: "A1-1 标题" (long titles cut)."""
    title = node.title if len(node.title) <= TITLE_CHARS else node.title[: TITLE_CHARS - 1] + "…"
    return f"{node.code} {title}"


class VolunteerForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """登记志愿者: a person of the unit not yet registered."""

    person = forms.TypedChoiceField(
        label="人员", coerce=int, widget=PlainSelect, error_messages=_invalid("人员")
    )
    registered_on = forms.DateField(
        label="注册日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请按 2026-03-20 的格式填写注册日期。"},
    )
    national = forms.BooleanField(label="已在全国志愿服务信息系统注册", required=False)
    national_id = forms.CharField(
        label="志愿者编号",
        required=False,
        max_length=Volunteer._meta.get_field("national_id").max_length,
        error_messages={"max_length": "志愿者编号最多%(limit_value)d个字符。"},
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"registered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "请选择本单位人员"), *people]
        self.fields["national"].widget.attrs["class"] = "form-check-input"
        self.fields["national_id"].widget.attrs["placeholder"] = "已注册的填写"


KIND_FIGURES = (Figure.ACTIVITIES, Figure.MONTHLY)


class MeasureForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """设置达标测算: which figure measures a standard and its target."""

    standard = forms.TypedChoiceField(
        label="测评标准", coerce=int, widget=PlainSelect, error_messages=_invalid("测评标准")
    )
    figure = forms.ChoiceField(
        label="计算口径",
        choices=[("", "请选择计算口径"), *Figure.choices],
        widget=PlainSelect,
        error_messages=_invalid("计算口径"),
    )
    kind = forms.ChoiceField(
        label="活动类型",
        required=False,
        choices=[("", "各类活动"), *ActivityKind.choices],
        widget=PlainSelect,
        error_messages=_invalid("活动类型"),
        help_text="只用于“开展活动次数”“每月开展活动”。",
    )
    target = forms.CharField(
        label="目标值", max_length=20, error_messages={"required": "请填写目标值，例如 30。"}
    )

    def __init__(self, *args: Any, standards: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = {n.pk: n for n in standards}
        field = self.fields["standard"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "请选择测评标准"), *((n.pk, standard_label(n)) for n in standards)]
        self.fields["target"].widget.attrs.update(
            {"inputmode": "decimal", "placeholder": "例如 30"}
        )

    def chosen_standard(self) -> Node:
        return self.nodes[self.cleaned_data["standard"]]

"""Forms for scoring: fields at the edge; the scoring rules live in `wenming.scoring.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from wenming.core.forms import StyledFormMixin
from wenming.scoring.models import RoundKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="测评类型", error_messages={"invalid_choice": "您不能新建该类型的测评轮次。"}
    )
    title = forms.CharField(
        label="名称",
        max_length=100,
        error_messages={"required": "请填写测评轮次名称，例如“2026年第一次模拟测评”。"},
        widget=forms.TextInput(attrs={"placeholder": "例如：2026年第一次模拟测评"}),
    )
    scored_on = forms.DateField(
        label="测评日期",
        widget=DATE,
        error_messages={
            "required": "请填写测评日期。",
            "invalid": "请按 2026-09-01 的格式填写测评日期。",
        },
    )
    pass_threshold = forms.DecimalField(
        label="达标分数线（可不填）",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text="不填则按测评体系规定的分数线判定。",
        error_messages={
            "invalid": "达标分数线请填写数字，例如 85。",
            "min_value": "达标分数线不能是负数。",
            "max_decimal_places": "达标分数线最多保留两位小数。",
            "max_digits": "达标分数线数字过大。",
        },
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["kind"]
        field.choices = [(k, RoundKind(k).label) for k in kinds]

    def apply_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                for e in errors:
                    self.add_error(name if name in self.fields else None, e)
        else:
            self.add_error(None, error)


class ScoreForm(forms.Form):
    """One standard's input. Everything is optional here: which fields a standard needs
    depends on its section and scoring mode, and the service says what is missing."""

    points = forms.CharField(required=False, max_length=20)
    grade = forms.CharField(required=False, max_length=10)
    incidents = forms.CharField(required=False, max_length=10)
    concealed = forms.BooleanField(required=False)
    vetoed = forms.BooleanField(required=False)
    method = forms.CharField(required=False, max_length=40)
    comment = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": "说明最多2000字，请精简。"},
    )

    @staticmethod
    def posted_values(post: Any) -> dict[str, Any]:
        """What was posted, as the sheet's row shows it again beside a refusal."""
        return {
            "points": post.get("points", ""),
            "grade": post.get("grade", ""),
            "incidents": post.get("incidents", ""),
            "concealed": bool(post.get("concealed")),
            "vetoed": bool(post.get("vetoed")),
            "method": post.get("method", ""),
            "comment": post.get("comment", ""),
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "points": data["points"].strip() or None,
            "grade": data["grade"].strip(),
            "incidents": data["incidents"].strip() or None,
            "concealed": data["concealed"],
            "vetoed": data["vetoed"],
            "method": data["method"],
            "comment": data["comment"],
        }

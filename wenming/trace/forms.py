from __future__ import annotations

from typing import Any

from django import forms

from wenming.trace.models import Action
from wenming.trace.registry import kinds


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(label="对象类型", required=False)
    actor = forms.CharField(label="操作人", required=False, max_length=50)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *Action.choices]
    )
    date_from = forms.DateField(
        label="日期从", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="日期到", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label="关键词", required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", "全部"), *sorted(kinds(), key=lambda k: k[1])]
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if name in ("kind", "action")
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
        self.fields["q"].widget.attrs["placeholder"] = "对象名称、修改内容"
        self.fields["actor"].widget.attrs["placeholder"] = "姓名"

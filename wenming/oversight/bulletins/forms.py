"""Forms for bulletins: the period of a new draft, the draft's text, the issuing date.
Fields at the edge; the rules live in `services.py`."""

from __future__ import annotations

from typing import Any

from django import forms

from wenming.core.forms import StyledFormMixin
from wenming.oversight.forms import DATE
from wenming.oversight.models import Bulletin
from wenming.tasks.forms import ServiceErrorsMixin


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不正确，请写成 2026-10-01 这样的格式。",
        },
    )


class PeriodForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    period_start = _date_field("通报期间开始日期")
    period_end = _date_field("通报期间结束日期")


def _text(label: str, rows: int) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class BulletinForm(ServiceErrorsMixin, StyledFormMixin, forms.ModelForm):
    opening = _text("开头", 5)
    praise = _text("一、表扬情况", 4)
    criticism = _text("二、存在问题（通报批评）", 8)
    problems = _text("二、存在问题（问题清单说明）", 2)
    requirements = _text("三、下一步要求", 8)

    class Meta:
        model = Bulletin
        fields = [
            "number",
            "title",
            "period_start",
            "period_end",
            "issuer",
            "opening",
            "praise",
            "criticism",
            "problems",
            "requirements",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}
        error_messages = {
            "title": {"required": "请填写通报标题。"},
            "issuer": {"required": "请填写发文机关。"},
            "period_start": {
                "required": "请填写通报期间的开始日期。",
                "invalid": "开始日期格式不正确，请写成 2026-10-01 这样的格式。",
            },
            "period_end": {
                "required": "请填写通报期间的结束日期。",
                "invalid": "结束日期格式不正确，请写成 2026-10-31 这样的格式。",
            },
        }
        help_texts = {"number": "如“市市场监管局创〔2026〕5号”；印发前必须填写。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].help_text = "印在文件抬头和落款，如“××局创建工作领导小组办公室”。"
        self.fields["criticism"].help_text = "每个部门一行；问题清单表格按生成时的数据附在后面。"
        self.fields["requirements"].help_text = "每条要求一行，如“（一）……”。"


class IssueForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    issued_on = forms.DateField(
        label="成文日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "成文日期格式不正确，请写成 2026-11-30 这样的格式。"},
    )


TEXT_PARTS = ("opening", "praise", "criticism", "problems", "requirements")

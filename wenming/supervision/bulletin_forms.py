"""Forms of the bulletin screens: fields at the edge; the rules live in `bulletins`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from wenming.core.forms import StyledFormMixin
from wenming.orgs.models import Organization
from wenming.registry.forms import UnitChoiceField
from wenming.supervision.bulletins import INTRO_LIMIT, REASON_LIMIT, TITLE_LIMIT
from wenming.supervision.models import Verdict
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TITLE_HELP = "如：关于2026年第二季度全市文明单位创建工作督查情况的通报"


def _date(label: str, *, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不对，请按“2026-06-30”的格式填写。",
        },
    )


class BulletinForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """起草通报 (and, without the office, changing the draft)."""

    office = UnitChoiceField(
        label="文明办",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={
            "required": "请选择文明办。",
            "invalid_choice": "请从列表中重新选择文明办。",
        },
    )
    title = forms.CharField(
        label="通报标题",
        max_length=TITLE_LIMIT,
        help_text=TITLE_HELP,
        error_messages={
            "required": f"请填写通报标题，例如“{TITLE_HELP[2:]}”。",
            "max_length": f"通报标题不能超过{TITLE_LIMIT}个字，请精简。",
        },
    )
    period_start = _date("统计起始日期")
    period_end = _date("统计截止日期", help_text="各单位的情况按这段时间统计。")
    intro = forms.CharField(
        label="通报正文（导语）",
        required=False,
        max_length=INTRO_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="印在标题之下、各部分之前，如督查的组织情况和总体评价。",
        error_messages={"max_length": f"通报正文不能超过{INTRO_LIMIT}个字，请精简。"},
    )

    def __init__(self, *args: Any, offices: QuerySet[Organization] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        if offices is None:  # changing a draft: its office stays
            del self.fields["office"]
        else:
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = offices


class VerdictForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """通报表扬 or 通报批评 one unit of the office, with its reason (or clear it)."""

    unit = UnitChoiceField(
        label="单位",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "请选择要通报的单位。",
            "invalid_choice": "请从列表中重新选择单位。",
        },
    )
    verdict = forms.ChoiceField(
        label="通报结论",
        required=False,
        choices=[
            ("", "不通报（取消表扬或批评）"),
            (Verdict.PRAISE, "通报表扬"),
            (Verdict.CRITICIZE, "通报批评"),
        ],
        error_messages={"invalid_choice": "请选择通报表扬、通报批评或不通报。"},
    )
    reason = forms.CharField(
        label="事由",
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="表扬或批评都须写明事由，印在通报中。",
        error_messages={"max_length": f"事由不能超过{REASON_LIMIT}个字，请精简。"},
    )

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class IssueForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    issued_on = _date("印发日期")

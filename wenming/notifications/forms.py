from __future__ import annotations

from django import forms

from wenming.notifications.models import Kind


class PreferenceForm(forms.Form):
    muted_kinds = forms.MultipleChoiceField(
        label="不接收以下提醒",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    email_digest = forms.BooleanField(label="每天发送一封邮件汇总未读提醒", required=False)
    email = forms.EmailField(
        label="接收邮件的地址",
        required=False,
        help_text="留空则只在平台内提醒。",
        error_messages={"invalid": "请填写正确的电子邮箱地址，如 name@example.gov.cn。"},
    )

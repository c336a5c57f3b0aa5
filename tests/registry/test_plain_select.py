"""The unit drop-down is written without a template per option, and says the same."""

from __future__ import annotations

from django import forms

from wenming.core.forms import PlainSelect


def test_plain_select_matches_the_choices_the_value_and_escapes() -> None:
    class Form(forms.Form):
        unit = forms.ChoiceField(
            choices=[("", "全部单位"), ("1", "市场监督管理局"), ("2", '<b>"法院"</b>')],
            widget=PlainSelect(attrs={"class": "form-select"}),
            required=False,
        )

    html = str(Form({"unit": "2"})["unit"])
    assert html.startswith('<select name="unit" class="form-select" id="id_unit">')
    assert '<option value="">全部单位</option>' in html
    assert '<option value="1">市场监督管理局</option>' in html
    assert '<option value="2" selected>&lt;b&gt;&quot;法院&quot;&lt;/b&gt;</option>' in html
    assert html.endswith("</select>")

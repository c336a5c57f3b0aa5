from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class StyledFormMixin:
    """Adds Bootstrap classes to widgets so templates can render fields as they are."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: cleans to a list (empty when none was chosen)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class PlainSelect(forms.Select):
    """A <select> written in Python rather than one template per option: a city's thousands
    of units render in milliseconds. Same names, values and attributes as `forms.Select`."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group, options, _ in widget["optgroups"]:
            if group:
                parts.append(f'<optgroup label="{escape(group)}">')
            for option in options:
                chosen = " selected" if option["selected"] else ""
                parts.append(
                    f'<option value="{escape(option["value"])}"{chosen}>'
                    f"{escape(option['label'])}</option>"
                )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped

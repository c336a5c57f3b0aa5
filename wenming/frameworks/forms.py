from __future__ import annotations

from typing import Any

from django import forms

from wenming.core.forms import StyledFormMixin
from wenming.frameworks.models import FRAMEWORK_KINDS, Framework, FrameworkLevel, Method, Node
from wenming.orgs.models import Organization


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（第{obj.version}版 · {obj.get_status_display()}）"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="测评体系文件",
        help_text="文明办下发的原件即可：Excel（.xlsx、.xls）、WPS 表格（.et）、.ods、Word（.docx、.doc）、WPS 文字（.wps），或 YAML。上传后先核对读取结果，确认后才保存。",
    )
    owner = OwnerChoiceField(
        label="归属",
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="导入后由该文明办或单位维护；文明办发布的体系对其下所有单位可见。",
    )
    name = forms.CharField(
        label="体系名称", max_length=200, required=False, help_text="不填则使用表格标题。"
    )
    lineage = forms.CharField(
        label="体系编码",
        max_length=60,
        required=False,
        help_text="同一体系各年度版本共用，如 LZ-WMDW；不填则按名称生成。",
    )
    level = forms.ChoiceField(
        label="级别", choices=[("", "按文件")] + FrameworkLevel.choices, required=False
    )
    kind = forms.CharField(
        label="类别",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "framework-kinds"}),
    )
    edition_year = forms.IntegerField(
        label="版本年度", min_value=1990, max_value=2100, required=False
    )
    issuer = forms.CharField(label="发布机关", max_length=100, required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners

    def overrides(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in ("name", "lineage", "level", "kind", "edition_year", "issuer")
        }


class FrameworkForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = [
            "name",
            "issuer",
            "level",
            "kind",
            "edition_year",
            "description",
            "basic_points",
            "bonus_cap",
            "deduction_cap",
            "concealment_multiplier",
            "pass_threshold",
            "excellent_threshold",
            "material_window",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "material_window": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.TextInput(attrs={"list": "framework-kinds"}),
        }


METHOD_CHOICES = [(m.value, m.label) for m in Method]


class NodeForm(StyledFormMixin, forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label="测评方法",
        choices=METHOD_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_methods = forms.CharField(
        label="其他测评方法", required=False, help_text="多个用顿号分隔，如 个别座谈、查阅系统"
    )

    class Meta:
        model = Node
        fields = [
            "title",
            "description",
            "points",
            "evidence",
            "material_window",
            "scoring_mode",
            "scoring_rule",
            "note",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "scoring_rule": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known = {m.value for m in Method}
        self.initial["methods"] = [m for m in self.instance.methods if m in known]
        self.initial["other_methods"] = "、".join(
            m for m in self.instance.methods if m not in known
        )
        if self.instance.section == "veto":
            del self.fields["points"]
        if not self.instance.is_leaf:
            for name in ("scoring_mode", "scoring_rule", "methods", "other_methods"):
                self.fields.pop(name, None)

    def clean_points(self) -> Any:
        points = self.cleaned_data.get("points")
        if points is not None and points < 0:
            raise forms.ValidationError("分值不能为负数。")
        if self.instance.is_leaf and self.instance.section == "basic" and points is None:
            raise forms.ValidationError("测评标准必须填写分值。")
        return points

    def node_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("methods", "other_methods")}
        if "methods" in self.cleaned_data:
            extra = [
                m.strip()
                for m in self.cleaned_data.get("other_methods", "").replace(",", "、").split("、")
                if m.strip()
            ]
            data["methods"] = list(self.cleaned_data["methods"]) + extra
        return data


class DiffForm(StyledFormMixin, forms.Form):
    old = VersionChoiceField(label="原版本", queryset=Framework.objects.none())
    new = VersionChoiceField(label="新版本", queryset=Framework.objects.none())

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = frameworks


KINDS = FRAMEWORK_KINDS

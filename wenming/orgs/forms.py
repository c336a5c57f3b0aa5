"""Forms for the organization screens. They collect input; the rules live in `services`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from wenming.orgs import services
from wenming.orgs.models import (
    DepartmentType,
    LeadingGroupPosition,
    Organization,
    OrgKind,
    OrgLevel,
    Role,
    WorkingGroup,
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name}（{obj.username}）" if name else obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name}（{obj.username}）" if name else obj.username


def _clean_phone_field(form: forms.Form) -> str:
    phone = form.cleaned_data.get("phone", "")
    if not services.phone_is_valid(phone):
        raise ValidationError(services.PHONE_ERROR)
    return phone


class StyledForm(forms.Form):
    """Adds Bootstrap classes to widgets, and marks fields with errors as invalid."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput
            ):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def apply_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on this form, by field where it names one."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in self.fields else None
                for e in errors:
                    self.add_error(target, e)
        else:
            self.add_error(None, error)
        self.mark_invalid()


def _required(message: str) -> dict[str, str]:
    return {"required": message}


# Which descriptive fields apply to which kind of organization.
ORG_FIELDS_BY_KIND: dict[str, list[str]] = {
    OrgKind.OFFICE: ["name", "short_name", "code", "level", "sort_order"],
    OrgKind.UNIT: ["name", "short_name", "code", "level", "unit_category", "sort_order"],
    OrgKind.DEPARTMENT: ["name", "short_name", "department_type", "sort_order"],
}


class OrgForm(StyledForm):
    name = forms.CharField(
        label="名称", max_length=100, error_messages=_required("请填写组织名称。")
    )
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    code = forms.CharField(
        label="编码",
        max_length=40,
        required=False,
        help_text="文明办或单位的识别编码，如 LZ-SCJG，不能与其他组织重复；可不填。",
    )
    level = forms.ChoiceField(
        label="级别", choices=[("", "（不填）"), *OrgLevel.choices], required=False
    )
    unit_category = forms.CharField(
        label="单位类别",
        max_length=40,
        required=False,
        help_text="如 机关、法院、事业单位、国有企业",
    )
    department_type = forms.ChoiceField(
        label="部门类型", choices=[("", "（不填）"), *DepartmentType.choices], required=False
    )
    sort_order = forms.IntegerField(
        label="排序",
        min_value=0,
        required=False,
        initial=0,
        help_text="数字小的排在前面。",
        error_messages={
            "invalid": "排序请填写整数，如 1、2、3。",
            "min_value": "排序不能小于0。",
        },
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org_kind = kind
        keep = ORG_FIELDS_BY_KIND[kind]
        for name in list(self.fields):
            if name not in keep and name != "kind":
                del self.fields[name]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "short_name": data.get("short_name", ""),
            "code": data.get("code", ""),
            "level": data.get("level", ""),
            "unit_category": data.get("unit_category", ""),
            "department_type": data.get("department_type", ""),
            "sort_order": data.get("sort_order") or 0,
        }


class OrgCreateForm(OrgForm):
    kind = forms.ChoiceField(
        label="类型",
        widget=forms.HiddenInput,
        error_messages={
            "required": "请选择要新建的组织类型。",
            "invalid_choice": "这里不能新建该类型的组织，请重新选择类型。",
        },
    )

    def __init__(self, *args: Any, parent: Organization, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        allowed = services.allowed_child_kinds(parent)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [(k, OrgKind(k).label) for k in allowed]
        self.fields["kind"].initial = kind


class OrgEditForm(OrgForm):
    pass


class AddPersonForm(StyledForm):
    NEW = "new"
    EXISTING = "existing"

    mode = forms.ChoiceField(
        label="添加方式",
        choices=[(NEW, "新建账号"), (EXISTING, "已有账号")],
        initial=NEW,
        widget=forms.RadioSelect,
        error_messages=_required("请选择添加方式：新建账号或已有账号。"),
    )
    username = forms.CharField(
        label="用户名",
        max_length=150,
        error_messages=_required("请填写用户名。"),
        help_text="登录时使用，如 zhangsan。选择“已有账号”时填写该账号的用户名。",
    )
    full_name = forms.CharField(
        label="姓名", max_length=150, required=False, help_text="新建账号时必填。"
    )
    password = forms.CharField(
        label="初始密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="不填则由系统生成，保存后只显示一次，请转告本人并提醒其登录后修改。",
    )
    role = forms.ChoiceField(label="角色", error_messages=_required("请选择角色。"))
    title = forms.CharField(label="职务", max_length=40, required=False, help_text="如 科长、科员")
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = services.allowed_roles(org)
        choices = [(r, Role(r).label) for r in roles]
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = choices if len(roles) == 1 else [("", "请选择"), *choices]
        self.fields["role"].error_messages["invalid_choice"] = (
            f"{org.get_kind_display()}中不能设置该角色，请从列表中选择。"
        )
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean_phone(self) -> str:
        return _clean_phone_field(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("mode") == self.NEW:
            if not (data.get("full_name") or "").strip():
                self.add_error("full_name", "新建账号请填写姓名。")
            if data.get("username"):
                for problem in services.username_problems(data["username"]):
                    self.add_error("username", problem)
            if data.get("password"):
                candidate = User(
                    username=(data.get("username") or "").strip(),
                    first_name=(data.get("full_name") or "").strip(),
                )
                for problem in services.password_problems(data["password"], candidate):
                    self.add_error("password", problem)
        return data


class MembershipForm(StyledForm):
    role = forms.ChoiceField(label="角色", error_messages=_required("请选择角色。"))
    title = forms.CharField(label="职务", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [(r, Role(r).label) for r in services.allowed_roles(org)]
        self.fields["role"].error_messages["invalid_choice"] = (
            f"{org.get_kind_display()}中不能设置该角色，请从列表中选择。"
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_phone(self) -> str:
        return _clean_phone_field(self)


class LeadingGroupMemberForm(StyledForm):
    user = PersonChoiceField(
        label="人员",
        queryset=User.objects.none(),
        empty_label="请选择",
        error_messages={
            "required": "请选择人员。",
            "invalid_choice": "请从列表中选择本单位的人员。",
        },
        help_text="只能选择本单位或其部门的在职人员。",
    )
    position = forms.ChoiceField(
        label="职位",
        choices=LeadingGroupPosition.choices,
        initial=LeadingGroupPosition.MEMBER,
        error_messages=_required("请选择职位。"),
    )
    duty = forms.CharField(
        label="职务/分工", max_length=100, required=False, help_text="如 局长，全面负责"
    )
    departments = forms.ModelMultipleChoiceField(
        label="分管部门",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "请从本单位的在用部门中选择分管部门。"},
        help_text="这些部门的工作逾期时，提醒也会发给该分管领导。",
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        departments: QuerySet[Organization] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = people
        field = cast(forms.ModelMultipleChoiceField, self.fields["departments"])
        field.queryset = departments if departments is not None else Organization.objects.none()


class LeadingGroupDutiesForm(StyledForm):
    """A member's 职务/分工 and 分管部门, changed after they joined."""

    duty = forms.CharField(
        label="职务/分工", max_length=100, required=False, help_text="如 副局长，分管创建工作"
    )
    departments = forms.ModelMultipleChoiceField(
        label="分管部门",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "请从本单位的在用部门中选择分管部门。"},
        help_text="这些部门的工作逾期时，提醒也会发给该分管领导。",
    )

    def __init__(self, *args: Any, departments: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["departments"]).queryset = departments


class WorkingGroupForm(StyledForm):
    name = forms.CharField(
        label="名称",
        max_length=40,
        error_messages=_required("请填写工作组名称。"),
        help_text="如 综合组、材料组、行政组",
    )
    duties = forms.CharField(label="职责", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    leader = PersonChoiceField(
        label="组长",
        queryset=User.objects.none(),
        required=False,
        empty_label="（暂不指定）",
        error_messages={"invalid_choice": "请从列表中选择本单位的人员作为组长。"},
    )
    members = PeopleChoiceField(
        label="成员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "请从列表中选择本单位的人员作为成员。"},
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        group: WorkingGroup | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = people
        if group is not None:
            # Keep current members selectable even if they have since left the unit.
            current = User.objects.filter(pk__in=group.members.values("pk"))
            if group.leader_id:
                current = current | User.objects.filter(pk=group.leader_id)
            choices = (
                User.objects.filter(pk__in=people.values("pk"))
                | User.objects.filter(pk__in=current.values("pk"))
            ).order_by("first_name", "username")
        cast(forms.ModelChoiceField, self.fields["leader"]).queryset = choices
        cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = choices

"""Forms of the assessment: the rule's weights, an accountability record, a commendation,
a withdrawal. Fields at the edge; the rules live in `services.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from wenming.campaigns.models import Campaign
from wenming.core.forms import StyledFormMixin
from wenming.orgs.models import Membership, Organization
from wenming.oversight.forms import DATE, unit_departments
from wenming.oversight.models import Problem
from wenming.tasks.forms import ServiceErrorsMixin


def _weight_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": f"请填写“{label}”的分值，不计分的填0。",
            "invalid": f"“{label}”的分值应为数字，如 40 或 12.5。",
            "min_value": f"“{label}”的分值不能为负数，请填0或正数。",
            "max_digits": f"“{label}”的分值不能超过9999.99分。",
            "max_whole_digits": f"“{label}”的分值不能超过9999.99分。",
            "max_decimal_places": f"“{label}”的分值最多保留两位小数。",
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )


class RuleForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    tasks_on_time = _weight_field("任务按时完成")
    evidence_first_pass = _weight_field("台账一次审核通过")
    problems_on_time = _weight_field("问题按时整改")
    reports_submitted = _weight_field("周报按时报送")
    max_overdue_problems = forms.IntegerField(
        label="逾期问题上限",
        min_value=0,
        max_value=9999,
        help_text="逾期未整改的问题超过此数，取消评优资格。",
        error_messages={
            "required": "请填写逾期问题上限，例如2。",
            "invalid": "逾期问题上限应为0或正整数。",
            "min_value": "逾期问题上限应为0或正整数。",
            "max_value": "逾期问题上限不能超过9999。",
        },
    )


def unit_people(campaign: Campaign) -> QuerySet[User]:
    """The people holding a post in the unit's active departments, each with `posts`."""
    departments = unit_departments(campaign)
    posts = Membership.objects.filter(is_active=True, organization__in=departments).select_related(
        "organization"
    )
    return (
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__organization__in=departments
        )
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=posts, to_attr="posts"))
        .order_by("last_name", "first_name", "username")
    )


def _person_label(user: Any) -> str:
    name = user.get_full_name() or user.username
    places = "、".join(dict.fromkeys(m.organization.name for m in getattr(user, "posts", [])))
    return f"{name}（{places}）" if places else name


def _person_field(label: str, required: bool = False) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label,
        required=required,
        queryset=User.objects.none(),
        empty_label="（不指定人员）" if not required else "请选择人员",
        error_messages={
            "required": "请选择人员。",
            "invalid_choice": "所选人员不是本单位部门的人员，请从列表中重新选择。",
        },
    )
    field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
    return field


class AccountabilityForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label="被追责部门",
        queryset=Organization.objects.none(),
        empty_label="请选择部门",
        error_messages={
            "required": "请选择被追责的部门。",
            "invalid_choice": "请从列表中重新选择部门。",
        },
    )
    decided_on = forms.DateField(
        label="追责日期",
        widget=DATE,
        error_messages={
            "required": "请填写追责日期。",
            "invalid": "追责日期格式不正确，请写成 2026-03-20 这样的格式。",
        },
    )
    person_user = _person_field("被追责人员（本部门人员）")
    person = forms.CharField(
        label="被追责人员（姓名或岗位）",
        required=False,
        max_length=100,
        help_text="选了本部门人员可不填；不是平台用户时在此填写。",
    )
    measure = forms.CharField(
        label="处理方式",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如 通报批评、诫勉谈话"}),
    )
    problem = forms.ModelChoiceField(
        label="相关问题",
        required=False,
        queryset=Problem.objects.none(),
        empty_label="（不关联问题）",
        error_messages={"invalid_choice": "请从列表中重新选择相关问题。"},
    )
    reason = forms.CharField(
        label="追责事由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明追责事由，例如“问题逾期30天未整改”。"},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = unit_departments(campaign)
        fields["person_user"].queryset = unit_people(campaign)
        fields["problem"].queryset = (
            Problem.objects.live()
            .filter(campaign=campaign)
            .select_related("department")
            .order_by("-year", "-sequence")
        )
        fields["problem"].label_from_instance = lambda p: (
            f"{p.number} {p.department.name} {p.description[:24]}"
        )


class WithdrawForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="撤销原因",
        error_messages={"required": "请写明撤销的原因，例如“录入错误”或“追责决定已撤销”。"},
    )


class CommendationForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label="受表彰部门（表彰个人时为其所在部门）",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="请选择部门",
        error_messages={"invalid_choice": "请从列表中重新选择部门。"},
    )
    person = _person_field("受表彰人员（表彰部门时不选）")
    decided_on = forms.DateField(
        label="表彰日期",
        widget=DATE,
        error_messages={
            "required": "请填写表彰日期。",
            "invalid": "表彰日期格式不正确，请写成 2026-03-20 这样的格式。",
        },
    )
    title = forms.CharField(
        label="表彰名称",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如 创建工作先进个人、先进科室"}),
        error_messages={
            "required": "请填写表彰名称，例如“创建工作先进个人”。",
            "max_length": "表彰名称最多100个字。",
        },
    )
    reason = forms.CharField(
        label="事迹/理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明事迹或表彰理由。"},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = unit_departments(campaign)
        fields["person"].queryset = unit_people(campaign)


class CommendationWithdrawForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="撤销原因",
        error_messages={"required": "请写明撤销的原因，例如“录入错误”或“表彰决定已撤销”。"},
    )

"""Forms of the application screens (申报): fields at the edge; the rules live in `services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from wenming.applications.models import Application, Batch, OpinionBody, RuleKind
from wenming.applications.services import BATCH_FIELDS, FORM_FIELDS
from wenming.core.forms import StyledFormMixin
from wenming.frameworks.models import Framework
from wenming.orgs.models import Organization
from wenming.registry.models import TERM_CHOICES, Level
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_HELP = "PDF、Word文档，或扫描件、照片。"
DOCUMENT_INPUT = forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.wps,image/*"})
LOWER_LEVELS = [
    (Level.COUNTY.value, "县级"),
    (Level.CITY.value, "市级"),
    (Level.PROVINCE.value, "省级"),
]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不对，请按“2026-03-15”的格式填写。",
        },
    )


def _count(label: str, *, required: bool = False, example: str = "120") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}请填写整数，例如 {example}。",
            "min_value": f"{label}不能小于0。",
        },
    )


def _text(label: str, *, required: bool = True, rows: int = 2, max_length: int = 2000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过{max_length}字。",
        },
    )


def _check(label: str) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
        "invalid_list": f"请从列表中重新选择{label}。",
    }


class OwnIdsMixin:
    """Several small forms share a page: each gets its own element ids."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        year = f"（{obj.edition_year}年版）" if obj.edition_year else ""
        return f"{obj.name}{year}"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return obj.unit.name


def _queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


# --- the batch -------------------------------------------------------------------------------

# The eligibility rules offered as checkboxes: kind → the form fields holding its parameters.
RULE_PARAMS: dict[str, tuple[str, ...]] = {
    RuleKind.HOLDS_LOWER: ("holds_lower_level", "holds_lower_years"),
    RuleKind.MIN_STAFF: ("min_staff_number",),
    RuleKind.NO_VETO: ("no_veto_years",),
    RuleKind.NOT_BANNED: (),
    RuleKind.NOT_HELD: (),
}
PARAM_KEYS = {
    "holds_lower_level": "level",
    "holds_lower_years": "years",
    "min_staff_number": "number",
    "no_veto_years": "years",
}


class BatchForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    office = OrgChoiceField(
        label="文明办",
        queryset=Organization.objects.none(),
        empty_label=None,
        required=False,
        error_messages=_invalid("文明办"),
    )
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年度，例如 2026。",
            "invalid": "年度请填写年份，例如 2026。",
            "min_value": "年度请填写年份，例如 2026。",
            "max_value": "年度请填写年份，例如 2026。",
        },
    )
    title = forms.CharField(
        label="批次名称",
        max_length=100,
        help_text="如：2026年度市级文明单位申报",
        error_messages={"required": "请填写批次名称，例如“2026年度市级文明单位申报”。"},
    )
    honour_title = forms.CharField(
        label="申报称号",
        max_length=40,
        help_text="如：市级文明单位",
        error_messages={"required": "请填写申报的称号，例如“市级文明单位”。"},
    )
    level = forms.ChoiceField(label="级别", choices=Level.choices, initial=Level.CITY)
    term_years = forms.TypedChoiceField(label="有效期", choices=TERM_CHOICES, coerce=int, initial=3)
    batch_label = forms.CharField(
        label="命名批次", max_length=40, required=False, help_text="如：第十批"
    )
    opens_on = _date("申报开始日期")
    closes_on = _date("申报截止日期")
    quota = _count("命名名额", required=True, example="20")
    materials = _text("申报材料要求", required=False, rows=4, max_length=4000)
    framework = FrameworkChoiceField(
        label="测评体系",
        queryset=Framework.objects.none(),
        required=False,
        empty_label="（不指定）",
        error_messages=_invalid("测评体系"),
    )
    summary_limit = _count("创建工作总结字数上限", required=True, example="3000")
    publicity_days = _count("公示期（工作日）", required=True, example="5")
    note = _text("说明", required=False, rows=3, max_length=4000)
    # Eligibility rules: a fixed set, each a checkbox with its parameters.
    rule_holds_lower = _check("连续保持下一级称号")
    holds_lower_level = forms.ChoiceField(
        label="下一级称号", choices=LOWER_LEVELS, required=False, initial=Level.COUNTY
    )
    holds_lower_years = _count("连续年数", example="2")
    rule_min_staff = _check("职工人数下限")
    min_staff_number = _count("职工人数不少于", example="30")
    rule_no_veto = _check("追溯期内无一票否决事项")
    no_veto_years = _count("追溯年数（含申报年度）", example="3")
    rule_not_banned = _check("不在摘牌后的禁止申报期内")
    rule_not_held = _check("未持有同级或更高级称号")

    def __init__(
        self,
        *args: Any,
        offices: QuerySet[Organization] | None,
        frameworks: QuerySet[Framework],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"].help_text = "每行一项，如：申报表、创建工作总结、自评得分表"
        self.offices = offices
        if offices is None:
            del self.fields["office"]
        else:
            _queryset(self, "office", offices)
        _queryset(self, "framework", frameworks)
        self.fields["materials"].widget.attrs["placeholder"] = "申报表\n创建工作总结\n自评得分表"

    def clean_office(self) -> Organization | None:
        """Not sent: the top-most office the user manages."""
        chosen = self.cleaned_data.get("office")
        if chosen is None and self.offices is not None:
            chosen = self.offices.first()
            if chosen is None:
                raise forms.ValidationError("您没有可以新建申报批次的文明办。")
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind, params in RULE_PARAMS.items():
            if not data.get(f"rule_{kind}"):
                continue
            for name in params:
                if data.get(name) in (None, "") and name not in self.errors:
                    label = self.fields[name].label
                    self.add_error(name, f"勾选了“{RuleKind(kind).label}”，请填写{label}。")
        return data

    def rules(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rules: list[dict[str, Any]] = []
        for kind, params in RULE_PARAMS.items():
            if data.get(f"rule_{kind}"):
                rule: dict[str, Any] = {"kind": kind}
                for name in params:
                    rule[PARAM_KEYS[name]] = data.get(name)
                rules.append(rule)
        return rules

    def batch_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in BATCH_FIELDS}

    @staticmethod
    def initial_for(batch: Batch) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(batch, name) for name in BATCH_FIELDS}
        initial["office"] = batch.office_id
        for rule in batch.rules.all():
            initial[f"rule_{rule.kind}"] = True
            for name in RULE_PARAMS.get(rule.kind, ()):
                initial[name] = getattr(rule, PARAM_KEYS[name])
        return initial

    def rule_rows(self) -> list[dict[str, Any]]:
        """Each rule's checkbox with its parameter fields, for the template."""
        return [
            {"check": self[f"rule_{kind}"], "params": [self[name] for name in params]}
            for kind, params in RULE_PARAMS.items()
        ]


# --- the unit's 申报表 -----------------------------------------------------------------------


class ApplyForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    principal_name = forms.CharField(
        label="单位主要负责人",
        max_length=40,
        error_messages={"required": "请填写单位主要负责人。"},
    )
    contact_name = forms.CharField(
        label="联系人", max_length=40, error_messages={"required": "请填写联系人。"}
    )
    contact_phone = forms.CharField(
        label="联系电话", max_length=20, error_messages={"required": "请填写联系电话。"}
    )
    address = forms.CharField(label="单位地址", max_length=200, required=False)
    staff_count = _count("职工人数", required=True)
    party_member_count = _count("党员人数", example="45")
    volunteer_count = _count("注册志愿者人数", example="80")
    basic_facts = _text("单位基本情况", required=False, rows=4, max_length=4000)
    summary = forms.CharField(
        label="创建工作总结",
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": "请填写创建工作总结。"},
    )

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["summary"].widget.attrs["data-limit"] = str(limit)
        self.fields["summary"].help_text = f"不超过{limit}字。"

    def clean_summary(self) -> str:
        # The limit is the service's to enforce; the page counts as the user types.
        return str(self.cleaned_data.get("summary") or "").strip()

    @staticmethod
    def initial_for(application: Application) -> dict[str, Any]:
        return {name: getattr(application, name) for name in FORM_FIELDS}


class WithdrawForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=2000,
        error_messages={"required": "请填写撤回原因。"},
    )


# --- the office's steps on an application ----------------------------------------------------


class AcceptForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "accept"
    comment = _text("初审意见", required=False)


class ReturnForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "return"
    comment = _text("需要补充的内容")
    deadline = _date("补充截止日期")


class RejectForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "reject"
    comment = _text("不予通过的理由")


class FieldRoundForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "round"
    scored_on = _date("测评日期")
    assessors = PersonChoiceField(
        label="测评人员",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择至少一名测评人员。", **_invalid("测评人员")},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "assessors", people)


def _decimal(label: str, *, example: str, max_value: int | None = None) -> forms.DecimalField:
    messages = {
        "invalid": f"{label}请填写数字，例如 {example}。",
        "min_value": f"{label}不能小于0。",
        "max_digits": f"{label}的数字过长。",
        "max_decimal_places": f"{label}最多保留两位小数。",
    }
    if max_value is not None:
        messages["max_value"] = f"{label}不能大于{max_value}。"
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(max_value) if max_value is not None else None,
        max_digits=8,
        decimal_places=2,
        error_messages=messages,
    )


class AssessmentForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "assess"
    survey_rate = _decimal("群众满意率（%）", example="92.5", max_value=100)
    survey_note = _text("问卷调查情况", required=False, rows=3)
    field_score = _decimal("实地测评得分", example="91.5")
    comment = _text("说明", required=False)

    def __init__(self, *args: Any, has_round: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_round:
            del self.fields["field_score"]
        else:
            self.fields["field_score"].help_text = "未安排测评轮次，请直接填写实地测评得分。"


class OpinionForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "opinion"
    body = forms.ChoiceField(
        label="征求意见单位",
        choices=OpinionBody.choices,
        error_messages={"required": "请选择征求意见单位。", **_invalid("征求意见单位")},
    )
    body_name = forms.CharField(
        label="单位名称", max_length=60, required=False, help_text="如：市纪委监委"
    )
    received_on = _date("回复日期")
    adverse = _check("有否决意见（该申报将不予通过）")
    content = _text("意见内容")


class ObjectionForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "objection"
    received_on = _date("收到日期")
    content = _text("异议内容")


class AnswerForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    answer = _text("核查与答复")
    answered_on = _date("答复日期")
    upheld = _check("异议成立（该申报将不予通过）")

    def __init__(self, *args: Any, objection_pk: int, **kwargs: Any) -> None:
        self.id_prefix = f"answer{objection_pk}"
        super().__init__(*args, **kwargs)


# --- the office's steps on a batch ------------------------------------------------------------


class PublicityForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "publicity"
    starts_on = _date("公示开始日期")
    applications = ApplicationChoiceField(
        label="公示的单位",
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请勾选要公示的单位。", **_invalid("单位")},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "applications", candidates)


class NameForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "name"
    named_on = _date("命名日期")
    decision_title = forms.CharField(
        label="命名决定文号/标题",
        max_length=200,
        help_text="如：临文明委〔2026〕5号 关于命名……的决定",
        error_messages={"required": "请填写命名决定的文号或标题。没有决定文件不能命名。"},
    )
    document = forms.FileField(
        label="命名决定文件", required=False, help_text=DOCUMENT_HELP, widget=DOCUMENT_INPUT
    )
    applications = ApplicationChoiceField(
        label="命名的单位",
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请勾选要命名的单位。", **_invalid("单位")},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "applications", candidates)

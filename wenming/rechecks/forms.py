"""Forms of the 复查 screens: fields at the edge; the rules live in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from wenming.core.forms import MultipleFileField, MultipleFileInput, StyledFormMixin
from wenming.frameworks.models import Framework
from wenming.orgs.models import Organization
from wenming.rechecks.models import Decision
from wenming.rechecks.services import COMMENT_LIMIT, DECISIONS, REPORT_LIMIT
from wenming.registry.forms import DOCUMENT_HELP, DOCUMENT_INPUT, OwnIdsMixin, UnitChoiceField
from wenming.registry.models import Level
from wenming.registry.services import MAX_BAN_YEARS
from wenming.tasks.forms import ServiceErrorsMixin

# The table's filter: a report's state as the table shows it.
STATUS_FILTERS = [
    ("", "全部状态"),
    ("pending", "待提交"),
    ("returned", "退回修改"),
    ("missed", "逾期未报"),
    ("submitted", "已提交"),
    *((d.value, d.label) for d in Decision),
]
DOCUMENT_TITLE_HELP = "如：临文明办〔2026〕18号 关于2026年度文明单位复查结果的通报"
SCORE_ATTRS = {"step": "0.01", "min": "0", "max": "1000", "inputmode": "decimal"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


def _model_choice(
    form: forms.Form, name: str, queryset: QuerySet[Any]
) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    return field


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _document_title(label: str = "决定文件文号/标题") -> forms.CharField:
    """Checked by the service (with the decision's other fields, all at once)."""
    return forms.CharField(
        label=label,
        max_length=200,
        required=False,
        help_text=DOCUMENT_TITLE_HELP,
        error_messages={
            "required": "请填写决定文件的文号或标题，例如“临文明办〔2026〕12号”。"
            "没有决定文件不能作出该决定。"
        },
    )


def _document(label: str = "决定文件") -> forms.FileField:
    return forms.FileField(
        label=label, required=False, help_text=DOCUMENT_HELP, widget=DOCUMENT_INPUT
    )


def _comment(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=COMMENT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": f"请填写{label}，单位将看到这段说明。"},
    )


def _score(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs=SCORE_ATTRS),
        error_messages={
            "required": f"请填写{label}，0到1000之间的数字，例如 925.5。",
            "invalid": f"{label}请填写数字，例如 925.5。",
            "min_value": f"{label}应在0到1000之间。",
            "max_value": f"{label}应在0到1000之间。",
            "max_decimal_places": f"{label}最多保留两位小数。",
            "max_digits": f"{label}应在0到1000之间。",
            "max_whole_digits": f"{label}应在0到1000之间。",
        },
    )


class RecheckForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """开启年度复查 (and, without office and year, changing it)."""

    office = UnitChoiceField(
        label="文明办",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={
            "required": "请选择文明办。",
            "invalid_choice": "请从列表中重新选择文明办。",
        },
    )
    year = forms.IntegerField(
        label="复查年度",
        error_messages={
            "required": "请填写复查年度，例如 2026。",
            "invalid": "复查年度请填写年份，例如 2026。",
        },
        help_text="本办在该年度以前命名、仍在有效状态的称号都要参加复查。",
    )
    title = forms.CharField(
        label="名称",
        max_length=100,
        error_messages={"required": "请填写复查名称，例如“2026年度文明单位复查”。"},
    )
    opens_on = _date("开始日期")
    due_on = _date("自查报告截止日期", help_text="截止日期后未提交的，标为逾期未报。")
    framework = forms.ModelChoiceField(
        label="测评体系",
        queryset=Framework.objects.none(),
        required=False,
        empty_label="（不指定）",
        error_messages={"invalid_choice": "请从列表中重新选择测评体系。"},
    )
    average_counts = forms.BooleanField(
        label="届期内年度复查平均分计入下届",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = _comment("说明")

    def __init__(
        self,
        *args: Any,
        offices: QuerySet[Organization] | None,
        frameworks: QuerySet[Framework],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if offices is None:  # changing an open 复查: its office and year stay
            del self.fields["office"]
            del self.fields["year"]
        else:
            _model_choice(self, "office", offices)
        _model_choice(self, "framework", frameworks)


class CloseForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "close"

    closed_on = _date("结束日期")
    result_title = forms.CharField(
        label="复查结果通报文号/标题",
        max_length=200,
        help_text=DOCUMENT_TITLE_HELP,
        error_messages={"required": "请填写复查结果通报的文号或标题。没有结果通报不能结束复查。"},
    )
    document = _document("复查结果通报文件")


class FilterForm(StyledFormMixin, forms.Form):
    """The table's filters; bad values are ignored (the table shows everything)."""

    status = forms.ChoiceField(label="状态", choices=STATUS_FILTERS, required=False)
    level = forms.ChoiceField(
        label="级别", choices=[("", "全部级别"), *Level.choices], required=False
    )
    area = forms.ChoiceField(label="区域", required=False)
    q = forms.CharField(label="单位名称", required=False, max_length=50)

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "area", [("", "全部区域"), *((a, a) for a in areas)])


class SubmitForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """The holder's 年度自查报告."""

    id_prefix = "submit"

    report_text = forms.CharField(
        label="年度自查报告",
        max_length=REPORT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "请填写年度自查报告。"},
        help_text=f"对照测评体系，写明本年度创建工作情况、存在问题和整改措施（{REPORT_LIMIT}字以内）。",
    )
    self_score = _score("自评得分")
    attachments = MultipleFileField(
        label="附件",
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text="盖章的自查报告扫描件、照片或文档，可选多个。",
    )

    def apply_errors(self, error: ValidationError) -> None:
        """The service names the attachments `files`."""
        if hasattr(error, "error_dict") and "files" in error.error_dict:
            renamed = dict(error.error_dict)
            renamed["attachments"] = renamed.pop("files")
            error = ValidationError(renamed)
        super().apply_errors(error)


class ReturnForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "return"

    comment = _comment("退回原因", required=True)


class ScoreForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "score"

    office_score = _score("复查得分")
    comment = _comment("复查意见")


class RoundForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "round"

    scored_on = _date("实地复查日期")


class RadiosMixin:
    """Radio buttons keep Bootstrap's check style (the styling mixin gives every other
    widget `form-control`)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"


class DecideForm(OwnIdsMixin, ServiceErrorsMixin, RadiosMixin, StyledFormMixin, forms.Form):
    id_prefix = "decide"

    decision = forms.ChoiceField(
        label="复查结论",
        choices=[(d.value, d.label) for d in DECISIONS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择复查结论。",
            "invalid_choice": "请选择复查结论：保留、限期整改、黄牌警告或撤销。",
        },
    )
    decided_on = _date("决定日期")
    rectify_deadline = _date("整改期限", required=False, help_text="限期整改时必填。")
    ban_years = forms.TypedChoiceField(
        label="禁止申报",
        coerce=int,
        initial=1,
        required=False,
        empty_value=None,
        help_text="撤销时适用。",
        choices=[
            (0, "不禁止"),
            *((n, f"{n}年（至撤销后第{n}年年底）") for n in range(1, MAX_BAN_YEARS + 1)),
        ],
    )
    document_title = _document_title()
    document = _document()
    comment = _comment(
        "复查意见", help_text="限期整改、黄牌警告、撤销须写明原因，单位将看到这段说明。"
    )

    def clean_ban_years(self) -> int:
        """Not sent (the field is hidden unless 撤销): the default, one year."""
        value = self.cleaned_data.get("ban_years")
        return 1 if value is None else int(value)


class FollowUpForm(OwnIdsMixin, ServiceErrorsMixin, RadiosMixin, StyledFormMixin, forms.Form):
    id_prefix = "followup"

    passed = forms.TypedChoiceField(
        label="复核结果",
        choices=[("1", "整改到位，称号保留"), ("0", "整改不到位")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择复核结果。"},
    )
    followed_up_on = _date("复核日期")
    document_title = _document_title("保留决定文号/标题")
    comment = _comment("整改复核意见", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_title"].help_text = "整改到位时必填。"


class MissedForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "missed"

    decided_on = _date("决定日期")
    document_title = _document_title()
    document = _document()

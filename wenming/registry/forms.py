"""Forms of the registry screens: fields at the edge; the rules live in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from wenming.core.forms import PlainSelect, StyledFormMixin
from wenming.orgs.models import Organization
from wenming.registry.models import (
    TERM_CHOICES,
    HonourStatus,
    Level,
    NegativeEvent,
    NegativeSource,
)
from wenming.registry.services import CHANGE_TARGETS, MAX_BAN_YEARS
from wenming.tasks.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TITLE_SUGGESTIONS = [
    "市级文明单位",
    "省级文明单位",
    "县级文明单位",
    "全国文明单位",
    "文明单位标兵",
    "文明机关",
    "文明校园",
]
START_STATUSES = [(s.value, s.label) for s in HonourStatus if s != HonourStatus.REVOKED]
DOCUMENT_HELP = "PDF、Word文档，或扫描件、照片。"
DOCUMENT_INPUT = forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.wps,image/*"})


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
    }


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


class OwnIdsMixin:
    """Several small forms share the unit page: each gets its own element ids."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit (or office) by name; an office may keep thousands, hence the plain widget."""

    widget = PlainSelect

    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class FilterForm(StyledFormMixin, forms.Form):
    """The list's filters; bad values are ignored (the list shows everything)."""

    office = UnitChoiceField(label="文明办", queryset=Organization.objects.none(), required=False)
    level = forms.ChoiceField(
        label="级别", choices=[("", "全部级别"), *Level.choices], required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *HonourStatus.choices], required=False
    )
    sector = forms.ChoiceField(label="系统/行业", required=False)
    area = forms.ChoiceField(label="区域", required=False)
    year = forms.IntegerField(label="命名年度", required=False, min_value=1980, max_value=2100)
    q = forms.CharField(label="单位名称", required=False, max_length=50)

    def __init__(
        self,
        *args: Any,
        offices: QuerySet[Organization],
        sectors: list[str],
        areas: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        office = _model_choice(self, "office", offices)
        office.empty_label = "全部文明办"
        _choices(self, "sector", [("", "全部系统/行业"), *((s, s) for s in sectors)])
        _choices(self, "area", [("", "全部区域"), *((a, a) for a in areas)])


class EntryFieldsForm(forms.Form):
    sector = forms.CharField(label="系统/行业", max_length=40, required=False)
    area = forms.CharField(label="区域", max_length=40, required=False)
    staff_count = forms.IntegerField(
        label="职工人数",
        required=False,
        min_value=0,
        error_messages={"invalid": "职工人数请填写整数，例如 120。"},
    )
    info_admin_name = forms.CharField(label="信息管理员", max_length=40, required=False)
    info_admin_phone = forms.CharField(label="信息管理员电话", max_length=20, required=False)
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class EntryRegisterForm(ServiceErrorsMixin, StyledFormMixin, EntryFieldsForm):
    office = UnitChoiceField(
        label="文明办",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"required": "请选择文明办。", **_invalid("文明办")},
    )
    unit = UnitChoiceField(
        label="选择已有单位",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不选，登记新单位）",
        help_text="本文明办下尚未列入名录的单位。",
        error_messages=_invalid("单位"),
    )
    unit_name = forms.CharField(
        label="或填写新单位名称",
        max_length=100,
        required=False,
        help_text="单位还没有在平台中时填写：将在本文明办下新建该单位（暂无人员）。",
    )
    field_order = ["office", "unit", "unit_name"]

    def __init__(
        self,
        *args: Any,
        offices: QuerySet[Organization],
        units: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "office", offices)
        _model_choice(self, "unit", units)


class EntryEditForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, EntryFieldsForm):
    id_prefix = "entry"


class HonourForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "honour"

    title = forms.CharField(
        label="称号",
        max_length=40,
        error_messages={"required": "请填写称号名称，例如“市级文明单位”。"},
        widget=forms.TextInput(attrs={"list": "wm-honour-titles"}),
    )
    level = forms.ChoiceField(label="级别", choices=Level.choices, initial=Level.CITY)
    year_named = forms.IntegerField(
        label="命名年度",
        error_messages={
            "required": "请填写命名年度，例如 2023。",
            "invalid": "命名年度请填写年份，例如 2023。",
        },
    )
    term_years = forms.TypedChoiceField(label="有效期", choices=TERM_CHOICES, coerce=int, initial=3)
    issuer = UnitChoiceField(
        label="命名机关",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（平台外的机关，在下面填写名称）",
        error_messages=_invalid("命名机关"),
    )
    issuer_name = forms.CharField(
        label="命名机关（名称）", max_length=60, required=False, help_text="如：示例省文明委"
    )
    batch = forms.CharField(label="批次", max_length=40, required=False, help_text="如：第十批")
    status = forms.ChoiceField(label="当前状态", choices=START_STATUSES, initial=HonourStatus.NAMED)
    status_on = _date(
        "状态变更日期", required=False, help_text="不填：命名为命名年度年底，其他状态为今天。"
    )
    document_title = forms.CharField(label="命名决定文号/标题", max_length=200, required=False)
    document = forms.FileField(
        label="命名决定文件", required=False, help_text=DOCUMENT_HELP, widget=DOCUMENT_INPUT
    )
    reason = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, issuers: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "issuer", issuers)


class StatusForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    to_status = forms.ChoiceField(
        label="新状态",
        choices=[(s.value, s.label) for s in CHANGE_TARGETS],
        error_messages={"required": "请选择新的状态。", **_invalid("状态")},
    )
    decided_on = _date("决定日期")
    deadline = _date("整改期限", required=False, help_text="限期整改时必填。")
    document_title = forms.CharField(
        label="决定文件文号/标题",
        max_length=200,
        error_messages={"required": "请填写决定文件的文号或标题。没有决定文件不能变更状态。"},
        help_text="如：临文明办〔2026〕12号 关于2026年度文明单位复查结果的通报",
    )
    document = forms.FileField(
        label="决定文件", required=False, help_text=DOCUMENT_HELP, widget=DOCUMENT_INPUT
    )
    reason = forms.CharField(
        label="原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="限期整改、黄牌警告须填写，单位将看到这段说明。",
    )

    def __init__(self, *args: Any, honour_pk: int, **kwargs: Any) -> None:
        self.id_prefix = f"status{honour_pk}"
        super().__init__(*args, **kwargs)


class RevokeForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    decided_on = _date("摘牌日期")
    reason = forms.CharField(
        label="摘牌原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写摘牌原因。"},
    )
    document_title = forms.CharField(
        label="摘牌决定文号/标题",
        max_length=200,
        error_messages={"required": "请填写摘牌决定的文号或标题。没有决定文件不能摘牌。"},
    )
    document = forms.FileField(
        label="摘牌决定文件", required=False, help_text=DOCUMENT_HELP, widget=DOCUMENT_INPUT
    )
    ban_years = forms.TypedChoiceField(
        label="禁止申报",
        coerce=int,
        initial=1,
        choices=[
            (0, "不禁止"),
            *((n, f"{n}年（至摘牌后第{n}年年底）") for n in range(1, MAX_BAN_YEARS + 1)),
        ],
    )
    negative_event = forms.TypedChoiceField(
        label="依据的负面事项",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages=_invalid("负面事项"),
    )

    def __init__(
        self, *args: Any, honour_pk: int, events: list[NegativeEvent], **kwargs: Any
    ) -> None:
        """`events`: the entry's live negative events, already loaded (no query per form)."""
        self.id_prefix = f"revoke{honour_pk}"
        super().__init__(*args, **kwargs)
        self.events = {e.pk: e for e in events}
        _choices(
            self,
            "negative_event",
            [("", "（无）"), *((e.pk, f"{e.occurred_on:%Y-%m-%d} {e.what[:30]}") for e in events)],
        )

    def chosen_event(self) -> NegativeEvent | None:
        return self.events.get(self.cleaned_data.get("negative_event") or 0)


class NegativeForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    id_prefix = "negative"

    what = forms.CharField(
        label="事项",
        max_length=200,
        error_messages={"required": "请填写负面事项的内容。"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_veto = forms.BooleanField(label="一票否决事项", required=False)
    occurred_on = _date("发生日期")
    source = forms.ChoiceField(label="来源", choices=NegativeSource.choices)
    self_reported_on = _date(
        "单位报告日期", required=False, help_text="单位主动报告的日期；未报告不填。"
    )
    verified_on = _date("核实日期", required=False, help_text="填写即记录为由您核实。")


class WithdrawForm(OwnIdsMixin, ServiceErrorsMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=2000,
        error_messages={"required": "请填写撤回原因，例如“经核实不属实”。"},
    )

    def __init__(self, *args: Any, event_pk: int, **kwargs: Any) -> None:
        self.id_prefix = f"withdraw{event_pk}"
        super().__init__(*args, **kwargs)

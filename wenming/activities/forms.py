"""Forms of the activity screens: fields at the edge; the rules live in `activities.services`.

The recording form turns what was entered into the service's arguments: the start and end
as timezone-aware datetimes (a date and a time each), the five 道德讲堂 steps as one dict,
and the participants as `Participant`s — the unit's people ticked in the list, each with
the same hours, and the outside people typed one a line as “姓名 时长”. Photos are not a
form field: the uploader sends them under `files` (as the ledger's does) and the view passes
`request.FILES.getlist("files")` to the service. A service refusal comes back through
`apply_errors`: by field where the form has one, the participants, the 道德讲堂 steps and the
photos under their own parts of the form, anything else above the form.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from wenming.activities import festivals
from wenming.activities.models import MORAL_STEPS, ActivityKind, Pairing
from wenming.activities.services import HOURS_STEP, Participant
from wenming.campaigns.models import Campaign
from wenming.core.forms import StyledFormMixin
from wenming.frameworks.models import Node
from wenming.ledger.forms import GroupedStandardsField, grouped_standards
from wenming.orgs.models import Membership, Organization
from wenming.tasks.forms import ServiceErrorsMixin
from wenming.tasks.models import Occurrence, Task

MONTHS = [("", "全部月份"), *[(m, f"{m}月") for m in range(1, 13)]]
# The parts of the form a service refusal may name that are not single fields.
SECTIONS = ("participants", "moral_steps", "photos", "files")
# “姓名 时长” with a space, a comma, 、 or a colon between, the hours optionally followed by 小时/h.
EXTERNAL_LINE = re.compile(r"^(?P<name>.+?)[\s,，、:：]+(?P<hours>\d+(?:\.\d+)?)\s*(?:小时|h|H)?$")


def _invalid(label: str) -> dict[str, str]:
    return {
        "invalid_choice": f"请从列表中重新选择{label}。",
        "invalid_pk_value": f"请从列表中重新选择{label}。",
        "invalid_list": f"请从列表中重新选择{label}。",
    }


def _split(required: bool, label: str) -> forms.SplitDateTimeField:
    return forms.SplitDateTimeField(
        label=label,
        required=required,
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": f"{label}（日期）"},
            time_attrs={"type": "time", "aria-label": f"{label}（时刻）"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
        error_messages={
            "required": f"请填写{label}（日期和时刻）。",
            "incomplete": f"请把{label}的日期和时刻都填上。",
            "invalid_date": f"请按 2026-03-20 的格式填写{label}的日期。",
            "invalid_time": f"请按 14:30 的格式填写{label}的时刻。",
        },
    )


def task_label(task: Task) -> str:
    """A task as the list shows it: the code of its first standard (if any), then its title."""
    codes = [s.code for s in task.standards.all()]
    title = task.title if len(task.title) <= 60 else task.title[:59] + "…"
    if not codes:
        return title
    more = "等" if len(codes) > 1 else ""
    return f"{codes[0]}{more} {title}"


def person_choices(unit: Organization, people: QuerySet[User]) -> list[tuple[int, str]]:
    """The unit's people as (pk, "姓名 · 部门") in the order of `people` (two queries)."""
    found = list(people)
    where: dict[int, list[str]] = {}
    rows = (
        Membership.objects.filter(
            user__in=[p.pk for p in found],
            is_active=True,
            organization__is_active=True,
            organization__path__startswith=unit.path,
        )
        .exclude(organization=unit)
        .order_by("organization__sort_order", "organization__name")
        .values_list("user_id", "organization__name")
    )
    for user_id, org_name in rows:
        names = where.setdefault(user_id, [])
        if org_name not in names:
            names.append(org_name)
    choices = []
    for person in found:
        name = person.get_full_name() or person.username
        places = "、".join(where.get(person.pk, [])) or "本单位"
        choices.append((person.pk, f"{name} · {places}"))
    return choices


def parse_externals(text: str) -> list[Participant]:
    """The outside people typed one a line as “姓名 时长”; a line that cannot be read is a
    ValidationError naming it."""
    found: list[Participant] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        match = EXTERNAL_LINE.match(line)
        if match is None:
            shown = line if len(line) <= 20 else line[:20] + "…"
            raise ValidationError(
                f"第{number}行“{shown}”无法识别：请每行写一人，姓名和时长之间空一格，"
                "例如“王大妈 2.5”。"
            )
        found.append(
            Participant(external_name=match["name"].strip(), hours=Decimal(match["hours"]))
        )
    return found


class ActivityForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="活动类型",
        choices=[("", "请选择活动类型"), *ActivityKind.choices],
        error_messages={"required": "请选择活动类型。", **_invalid("活动类型")},
    )
    festival = forms.ChoiceField(
        label="节日",
        required=False,
        choices=[("", "请选择节日"), *festivals.choices()],
        error_messages=_invalid("节日"),
    )
    title = forms.CharField(
        label="活动名称",
        max_length=200,
        error_messages={
            "required": "请填写活动名称，例如“3月学雷锋志愿服务”。",
            "max_length": "活动名称最多200字。",
        },
    )
    starts_at = _split(True, "开始时间")
    ends_at = _split(False, "结束时间")
    place = forms.CharField(
        label="地点",
        max_length=200,
        required=False,
        error_messages={"max_length": "地点最多200字。"},
    )
    department = forms.ModelChoiceField(
        label="组织部门",
        queryset=Organization.objects.none(),
        error_messages={"required": "请选择组织这次活动的部门。", **_invalid("组织部门")},
    )
    task = forms.ModelChoiceField(
        label="工作任务",
        queryset=Task.objects.none(),
        required=False,
        empty_label="（不关联任务）",
        error_messages=_invalid("工作任务"),
        help_text="关联任务后，活动台账进入该任务的一事一档；不选测评标准时使用任务的测评标准。",
    )
    # Set from the page that sent the user here (a recurring task's batch, a pairing's plan).
    occurrence = forms.ModelChoiceField(
        queryset=Occurrence.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages=_invalid("任务批次"),
    )
    pairing = forms.ModelChoiceField(
        queryset=Pairing.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages=_invalid("帮扶共建对象"),
    )
    standards = GroupedStandardsField(
        label="佐证的测评标准",
        required=False,
        error_messages=_invalid("测评标准"),
        help_text="不选工作任务时，至少选择一条这次活动佐证的测评标准。",
    )
    summary = forms.CharField(
        label="活动情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="做了什么：内容、形式、参加人员。",
    )
    result = forms.CharField(
        label="取得成效",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="有什么效果：如服务群众200人次、发放资料300份。",
    )
    participants = forms.TypedMultipleChoiceField(
        label="本单位参加人员",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_invalid("参加人员"),
    )
    hours = forms.CharField(
        label="每人时长（小时）",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "例如 2.5"}),
        help_text="勾选的每个人都记这个时长；不填时按开始、结束时间计算。",
    )
    externals = forms.CharField(
        label="外单位人员（每行一人：姓名 时长）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "社区志愿者王大妈 2.5"}),
    )

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        departments: QuerySet[Organization],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        data = args[0] if args else kwargs.get("data")
        if data is not None:
            # An end with only a time ends on the day it started.
            data = data.copy()
            if data.get("ends_at_1") and not data.get("ends_at_0"):
                data["ends_at_0"] = data.get("starts_at_0", "")
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        for key, label in MORAL_STEPS:
            self.fields[f"moral_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        fields: Any = self.fields
        fields["department"].queryset = departments
        fields["task"].queryset = (
            Task.objects.counted()
            .filter(campaign=campaign)
            .prefetch_related("standards")
            .order_by("deadline", "id")
        )
        fields["task"].label_from_instance = task_label
        fields["occurrence"].queryset = Occurrence.objects.filter(task__campaign=campaign)
        fields["pairing"].queryset = Pairing.objects.filter(
            unit=campaign.unit, removed_at__isnull=True
        )
        choices, self.leaves = grouped_standards(campaign)
        fields["standards"].choices = choices
        fields["participants"].choices = people
        self.people = people
        self.section_errors: dict[str, list[str]] = {}

    # --- what the template reads ------------------------------------------------------

    def moral_fields(self) -> list[forms.BoundField]:
        return [self[f"moral_{key}"] for key, _ in MORAL_STEPS]

    def selected_standards(self) -> set[str]:
        return {str(v) for v in (self["standards"].value() or [])}

    def selected_people(self) -> set[str]:
        return {str(v) for v in (self["participants"].value() or [])}

    def errors_of(self, section: str) -> list[str]:
        return self.section_errors.get(section, [])

    @property
    def participant_errors(self) -> list[str]:
        return [*self.errors.get("participants", []), *self.errors_of("participants")]

    @property
    def photo_errors(self) -> list[str]:
        return [*self.errors_of("photos"), *self.errors_of("files")]

    # --- cleaning ---------------------------------------------------------------------

    def clean_externals(self) -> list[Participant]:
        return parse_externals(self.cleaned_data.get("externals", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != ActivityKind.FESTIVAL:
            data["festival"] = ""
        return data

    def moral_steps(self) -> dict[str, str] | None:
        if self.cleaned_data.get("kind") != ActivityKind.MORAL_LECTURE:
            return None
        return {key: self.cleaned_data.get(f"moral_{key}", "") for key, _ in MORAL_STEPS}

    def chosen_standards(self) -> list[Node] | None:
        ids = self.cleaned_data.get("standards") or []
        return [self.leaves[i] for i in ids if i in self.leaves] or None

    def default_hours(self) -> str:
        """Each ticked person's hours: as typed, else the activity's length (if it ends)."""
        typed = (self.cleaned_data.get("hours") or "").strip()
        if typed:
            return unicodedata.normalize("NFKC", typed)
        starts, ends = self.cleaned_data.get("starts_at"), self.cleaned_data.get("ends_at")
        if starts is None or ends is None or ends <= starts:
            return ""
        seconds = Decimal((ends - starts) // datetime.timedelta(seconds=1))
        return str((seconds / 3600).quantize(HOURS_STEP))

    def participant_list(self, people: QuerySet[User]) -> list[Participant]:
        """The ticked people (fetched from `people`, the unit's) and the outside names."""
        ids = self.cleaned_data.get("participants") or []
        found = {p.pk: p for p in people.filter(pk__in=ids)} if ids else {}
        hours = self.default_hours()
        chosen = [Participant(person=found[i], hours=hours) for i in ids if i in found]
        return [*chosen, *self.cleaned_data.get("externals", [])]

    def apply_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for section in SECTIONS:
                if section in self.fields:
                    continue
                for e in error.error_dict.pop(section, []):
                    self.section_errors.setdefault(section, []).extend(e.messages)
            if not error.error_dict:
                return
        super().apply_errors(error)


class FilterForm(StyledFormMixin, forms.Form):
    """The list's filters: year (this year unless chosen), month, kind and department."""

    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(
        label="月份", coerce=int, required=False, empty_value=None, choices=MONTHS
    )
    kind = forms.ChoiceField(
        label="活动类型", required=False, choices=[("", "全部类型"), *ActivityKind.choices]
    )
    department = forms.ModelChoiceField(
        label="组织部门",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="全部部门",
    )

    def __init__(
        self, *args: Any, departments: QuerySet[Organization], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["year"].choices = [("", "全部年度"), *[(y, f"{y}年") for y in years]]
        fields["department"].queryset = departments

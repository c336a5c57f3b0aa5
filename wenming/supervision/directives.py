"""Writes and tables of the office's directives to its units: quarterly priorities
(季度重点工作, acknowledged by each unit's 创建办) and monthly information submissions
(信息报送, by a due date, with the table of who has and has not submitted).

Keyword-only arguments; `user` is the actor. Every refusal is a `ValidationError` with a
Chinese sentence that says what to fix; a refused call changes nothing, in the database or in
storage (files are inspected before anything is written and removed again if the
transaction fails). Access is checked by the callers through `wenming.supervision.access`;
the rules here are about the data. Each step locks the row it changes and checks its state
under the lock.

A priority is a draft until it is published (下发): while a draft the office changes its
fields (`priority_update`, the same checks as `priority_create`) or removes it
(`priority_remove`, `removed_at`); once published both are refused, since the units have it.

A submission is one row per unit and month: submitting again replaces its title and content
and adds files; its 报送时间 stays the first one, so a unit that submitted on time and
corrects its text later is still on time. A submission after the due date is accepted and
shown as 逾期报送.

Reminding the units that have not submitted goes through the core registry's extension
"supervision.remind_info" (implemented by the notifications app, which sits above this one):
`fn(*, info_round, unit_ids, today) -> (units reminded, people reminded)`.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from wenming.core import registry
from wenming.core.xlsx import print_setup
from wenming.ledger.files import FileKind
from wenming.ledger.intake import Inspected, atomic_with_files, inspect_all
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import RegistryEntry
from wenming.supervision import access
from wenming.supervision.models import (
    InfoFile,
    InfoRound,
    InfoSubmission,
    Priority,
    PriorityAck,
)

FIRST_YEAR = 2000
TEXT_LIMIT = 20000
NOTE_LIMIT = 2000
# The kinds a submission's attachments may be: a report (PDF, Word) or a photo.
INFO_KINDS = {FileKind.PDF, FileKind.DOCUMENT, FileKind.PHOTO}
# A round is in the office's queue from this many days before its due date.
DUE_SOON = datetime.timedelta(days=3)
# A unit is asked about rounds due in this window (this month's and last month's).
UNIT_LOOKBACK = datetime.timedelta(days=31)
REMIND_POINT = "supervision.remind_info"
PUBLISHED_NO_EDIT = "该重点工作已下发，不能再修改。各单位已按下发的内容签收落实。"
PUBLISHED_NO_REMOVE = "该重点工作已下发，不能删除。各单位已按下发的内容签收落实。"


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: Any) -> str:
    return str(value or "").strip()


def fmt_day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_time(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{fmt_day(local.date())} {local:%H:%M}"


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_length(errors: dict[str, str], field: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = f"{label}不能超过{limit}个字，请精简后再保存。"


def _check_office(office: Organization) -> None:
    if office.kind != OrgKind.OFFICE or not office.is_active:
        raise ValidationError({"office": "请选择一个启用中的文明办。"})


def _check_year(errors: dict[str, str], year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        errors["year"] = "请填写年度，例如 2026。"
        return 0
    last = _today().year + 1
    if not FIRST_YEAR <= value <= last:
        errors["year"] = f"年度应在{FIRST_YEAR}年到{last}年之间。"
    return value


def _check_unit(office: Organization, unit: Organization) -> None:
    if not access.office_units(office).filter(pk=unit.pk).exists():
        raise ValidationError(
            {"unit": f"“{unit.name}”不在{office.name}的文明单位名录中，不能办理此事项。"}
        )


# --- quarterly priorities --------------------------------------------------------------------


def _priority_fields(
    *,
    office: Organization,
    year: int,
    quarter: int,
    title: str,
    body: str,
    acknowledge_by: datetime.date | None,
) -> dict[str, Any]:
    """The checks of a priority's fields, for drafting one and for changing a draft: the
    cleaned values, or every refusal at once."""
    _check_office(office)
    errors: dict[str, str] = {}
    value = _check_year(errors, year)
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "季度应为1到4。"
    title, body = _text(title), _text(body)
    if not title:
        errors["title"] = "请填写标题，例如“第三季度文明创建重点工作”。"
    _check_length(errors, "title", title, "标题", 200)
    if not body:
        errors["body"] = "请填写工作要求，单位将按此落实。"
    _check_length(errors, "body", body, "工作要求", TEXT_LIMIT)
    if acknowledge_by is None:
        errors["acknowledge_by"] = "请填写签收截止日期。"
    _raise(errors)
    return {
        "office": office,
        "year": value,
        "quarter": quarter,
        "title": title,
        "body": body,
        "acknowledge_by": acknowledge_by,
    }


def priority_create(
    *,
    office: Organization,
    user: User | None,
    year: int,
    quarter: int,
    title: str,
    body: str,
    acknowledge_by: datetime.date | None,
) -> Priority:
    """A draft 季度重点工作; the units see it once it is published (下发)."""
    fields = _priority_fields(
        office=office,
        year=year,
        quarter=quarter,
        title=title,
        body=body,
        acknowledge_by=acknowledge_by,
    )
    return Priority.objects.create(**fields, created_by=user)


def _lock_priority(priority: Priority) -> Priority:
    locked = Priority.objects.select_for_update(of=("self",)).select_related("office")
    found = locked.get(pk=priority.pk)
    if found.removed_at is not None:
        raise ValidationError("这项重点工作已删除，请刷新页面。")
    return found


def priority_update(
    *,
    priority: Priority,
    user: User | None,
    office: Organization,
    year: int,
    quarter: int,
    title: str,
    body: str,
    acknowledge_by: datetime.date | None,
) -> Priority:
    """Change a draft (the same fields and checks as drafting it); refused once published."""
    with transaction.atomic():
        locked = _lock_priority(priority)
        if locked.published_at is not None:
            raise ValidationError(PUBLISHED_NO_EDIT)
        fields = _priority_fields(
            office=office,
            year=year,
            quarter=quarter,
            title=title,
            body=body,
            acknowledge_by=acknowledge_by,
        )
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, fields[name])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        return locked


def priority_remove(*, priority: Priority, user: User | None) -> None:
    """Remove a draft (`removed_at`, kept); refused once published: the units have it."""
    with transaction.atomic():
        locked = _lock_priority(priority)
        if locked.published_at is not None:
            raise ValidationError(PUBLISHED_NO_REMOVE)
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at", "updated_at"])


def priority_publish(*, priority: Priority, user: User | None) -> Priority:
    """下发: every unit of the office sees it and its 创建办 acknowledges it."""
    with transaction.atomic():
        locked = _lock_priority(priority)
        if locked.published_at is not None:
            raise ValidationError(f"这项重点工作已于{fmt_time(locked.published_at)}下发。")
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at", "updated_at"])
        return locked


def priority_acknowledge(
    *, priority: Priority, user: User | None, unit: Organization, note: str = ""
) -> PriorityAck:
    """签收, once per unit, with the unit's 落实打算."""
    note = _text(note)
    errors: dict[str, str] = {}
    _check_length(errors, "note", note, "落实打算", NOTE_LIMIT)
    _raise(errors)
    try:
        with transaction.atomic():
            locked = _lock_priority(priority)
            if locked.published_at is None:
                raise ValidationError("这项重点工作尚未下发，不能签收。")
            _check_unit(locked.office, unit)
            done = PriorityAck.objects.filter(priority=locked, unit=unit).first()
            if done is not None:
                raise ValidationError(
                    f"“{unit.name}”已于{fmt_time(done.acknowledged_at)}签收，不能重复签收。"
                )
            return PriorityAck.objects.create(
                priority=locked, unit=unit, note=note, acknowledged_by=user
            )
    except IntegrityError as exc:  # a concurrent 签收 won the race
        raise ValidationError(f"“{unit.name}”刚刚已签收，请刷新后查看。") from exc


@dataclass
class AckRow:
    unit: Organization
    ack: PriorityAck | None
    state: str  # acknowledged | missing | overdue

    @property
    def label(self) -> str:
        return ACK_LABELS[self.state]


ACK_LABELS = {"acknowledged": "已签收", "missing": "未签收", "overdue": "逾期未签收"}


def ack_table(priority: Priority, today: datetime.date | None = None) -> list[AckRow]:
    """Every unit of the office with its 签收 (two queries)."""
    today = today or _today()
    acks = {a.unit_id: a for a in priority.acks.select_related("acknowledged_by")}
    late = today > priority.acknowledge_by
    rows = []
    for unit in access.office_units(priority.office):
        ack = acks.get(unit.pk)
        state = "acknowledged" if ack else ("overdue" if late else "missing")
        rows.append(AckRow(unit=unit, ack=ack, state=state))
    return rows


def row_counts(rows: Sequence[Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"value": key, "label": label, "count": sum(1 for r in rows if r.state == key)}
        for key, label in labels.items()
    ]


# --- monthly information ---------------------------------------------------------------------


def info_round_open(
    *,
    office: Organization,
    user: User | None,
    year: int,
    month: int,
    due_on: datetime.date | None,
    note: str = "",
) -> InfoRound:
    """Open a month's 信息报送: one per office and month."""
    _check_office(office)
    errors: dict[str, str] = {}
    value = _check_year(errors, year)
    if month not in range(1, 13):
        errors["month"] = "月份应为1到12。"
    if due_on is None:
        errors["due_on"] = "请填写报送截止日期。"
    note = _text(note)
    _check_length(errors, "note", note, "报送要求", NOTE_LIMIT)
    _raise(errors)
    assert due_on is not None
    duplicate = {"month": f"{office.name}{value}年{month}月的信息报送已经开启，不能重复开启。"}
    try:
        with transaction.atomic():
            Organization.objects.select_for_update().get(pk=office.pk)
            if InfoRound.objects.live().filter(office=office, year=value, month=month).exists():
                raise ValidationError(duplicate)
            return InfoRound.objects.create(
                office=office, year=value, month=month, due_on=due_on, note=note, created_by=user
            )
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc


def _inspect(uploads: Sequence[UploadedFile]) -> list[Inspected]:
    checked = inspect_all(list(uploads))
    wrong = [c.name for c in checked if c.facts.kind not in INFO_KINDS]
    if wrong:
        names = "、".join(f"‘{n}’" for n in wrong)
        raise ValidationError(
            {"files": f"{names}不能作为报送附件。请上传PDF、Word文档或照片（JPG、PNG）。"}
        )
    return checked


def _save_files(
    submission: InfoSubmission, user: User | None, checked: Sequence[Inspected], stored: list[str]
) -> None:
    for item in checked:
        record = InfoFile(
            submission=submission,
            unit=submission.unit,
            year=submission.round.year,
            uploaded_by=user,
        )
        record.store(item, stored)


def info_submit(
    *,
    info_round: InfoRound,
    user: User | None,
    unit: Organization,
    title: str,
    content: str,
    uploads: Sequence[UploadedFile] = (),
) -> InfoSubmission:
    """The unit's submission for the month, or its replacement (same row, files added)."""
    title, content = _text(title), _text(content)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "请填写信息标题。"
    _check_length(errors, "title", title, "信息标题", 200)
    if not content:
        errors["content"] = "请填写信息内容。"
    _check_length(errors, "content", content, "信息内容", TEXT_LIMIT)
    _raise(errors)
    checked = _inspect(uploads)

    def work(stored: list[str]) -> InfoSubmission:
        locked = (
            InfoRound.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=info_round.pk)
        )
        if locked.removed_at is not None:
            raise ValidationError("这个月的信息报送已撤销，不能再报送。")
        _check_unit(locked.office, unit)
        submission = (
            InfoSubmission.objects.select_for_update().filter(round=locked, unit=unit).first()
        )
        if submission is None:
            submission = InfoSubmission.objects.create(
                round=locked, unit=unit, title=title, content=content, submitted_by=user
            )
        else:
            submission.title, submission.content = title, content
            submission.save(update_fields=["title", "content", "updated_at"])
        submission.round = locked
        _save_files(submission, user, checked, stored)
        return submission

    return atomic_with_files(work)


INFO_LABELS = {"on_time": "已报送", "late": "逾期报送", "missing": "未报送"}


@dataclass
class InfoRow:
    unit: Organization
    submission: InfoSubmission | None
    on_time: bool
    late: bool

    @property
    def state(self) -> str:
        if self.submission is None:
            return "missing"
        return "on_time" if self.on_time else "late"

    @property
    def label(self) -> str:
        return INFO_LABELS[self.state]


def info_table(info_round: InfoRound) -> list[InfoRow]:
    """Every unit of the office with its submission (two queries)."""
    submissions = {
        s.unit_id: s for s in info_round.submissions.select_related("submitted_by", "unit")
    }
    rows = []
    for unit in access.office_units(info_round.office):
        found = submissions.get(unit.pk)
        if found is not None:
            found.round = info_round
        on_time = found is not None and found.on_time
        rows.append(
            InfoRow(unit=unit, submission=found, on_time=on_time, late=bool(found and not on_time))
        )
    return rows


def missing_unit_ids(info_round: InfoRound) -> list[int]:
    done = InfoSubmission.objects.filter(round=info_round).values("unit_id")
    return list(
        access.office_units(info_round.office).exclude(pk__in=done).values_list("pk", flat=True)
    )


def info_remind(*, info_round: InfoRound, user: User | None) -> tuple[int, int]:
    """一键提醒: the 创建办 of every unit without a submission hears once a day.
    Returns (units reminded, people reminded)."""
    if info_round.removed_at is not None:
        raise ValidationError("这个月的信息报送已撤销。")
    missing = missing_unit_ids(info_round)
    if not missing:
        raise ValidationError("所有单位都已报送，无需提醒。")
    units = people = 0
    for fn in registry.extensions(REMIND_POINT):
        got_units, got_people = fn(info_round=info_round, unit_ids=missing, today=_today())
        units, people = max(units, got_units), people + got_people
    return units, people


# --- the queues on the home page ------------------------------------------------------------


def _office_queue(user: Any, today: datetime.date) -> dict[str, int]:
    offices = access.managed_offices(user)
    latest = (
        InfoRound.objects.live()
        .filter(office__in=offices, due_on__lte=today + DUE_SOON)
        .select_related("office")
        .order_by("-due_on", "-id")
        .first()
    )
    missing = len(missing_unit_ids(latest)) if latest is not None else 0
    units = dict(
        RegistryEntry.objects.live()
        .filter(office__in=offices, unit__is_active=True, unit__kind=OrgKind.UNIT)
        .values("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )
    in_registry = Q(
        acks__unit__registry_entry__office=F("office"),
        acks__unit__registry_entry__removed_at__isnull=True,
        acks__unit__is_active=True,
    )
    priorities = (
        Priority.objects.live()
        .filter(office__in=offices, published_at__isnull=False, year=today.year)
        .annotate(n=Count("acks", filter=in_registry))
        .values_list("office_id", "n")
    )
    waiting = sum(max(units.get(office_id, 0) - n, 0) for office_id, n in priorities)
    return {
        "info_missing": missing,
        "info_round_id": latest.pk if latest is not None else 0,
        "info_round_month": latest.month if latest is not None else 0,
        "priorities_unacknowledged": waiting,
    }


def _unit_queue(units: set[int], today: datetime.date) -> dict[str, int]:
    pairs = list(
        RegistryEntry.objects.live()
        .filter(unit_id__in=units, unit__is_active=True)
        .values_list("unit_id", "office_id")
    )
    offices = {office for _, office in pairs}
    priorities = list(
        Priority.objects.live()
        .filter(office_id__in=offices, published_at__isnull=False, year=today.year)
        .values_list("pk", "office_id")
    )
    acked = set(
        PriorityAck.objects.filter(
            unit_id__in=units, priority_id__in=[pk for pk, _ in priorities]
        ).values_list("priority_id", "unit_id")
    )
    rounds = list(
        InfoRound.objects.live()
        .filter(office_id__in=offices, due_on__gte=today - UNIT_LOOKBACK)
        .values_list("pk", "office_id")
    )
    submitted = set(
        InfoSubmission.objects.filter(
            unit_id__in=units, round_id__in=[pk for pk, _ in rounds]
        ).values_list("round_id", "unit_id")
    )
    to_ack = sum(
        1
        for unit, office in pairs
        for pk, of in priorities
        if of == office and (pk, unit) not in acked
    )
    to_submit = sum(
        1
        for unit, office in pairs
        for pk, of in rounds
        if of == office and (pk, unit) not in submitted
    )
    return {"priorities_to_ack": to_ack, "info_to_submit": to_submit}


def listed_priorities(user: Any, *, office: bool) -> QuerySet[Priority]:
    """The priorities the user reads, newest first: for the office's people with `n_acks`
    (units signed), for a unit's people with `acknowledged` (their unit signed)."""
    qs = access.visible_priorities(user).order_by("-year", "-quarter", "-id")
    if office:
        return qs.annotate(n_acks=Count("acks"))
    mine = PriorityAck.objects.filter(
        priority=OuterRef("pk"), unit_id__in=access.own_unit_ids(user)
    )
    return qs.annotate(acknowledged=Exists(mine))


def listed_info_rounds(user: Any, *, office: bool) -> QuerySet[InfoRound]:
    """The months the user reads, newest first: for the office's people with `n_submitted`,
    for a unit's people with `submitted` (their unit has submitted)."""
    qs = access.visible_info_rounds(user).order_by("-year", "-month", "-id")
    if office:
        return qs.annotate(n_submitted=Count("submissions"))
    mine = InfoSubmission.objects.filter(
        round=OuterRef("pk"), unit_id__in=access.own_unit_ids(user)
    )
    return qs.annotate(submitted=Exists(mine))


def queue_counts(user: Any) -> dict[str, int]:
    """The office admin's queue (units missing this month's information, units that have not
    acknowledged this year's priorities) or the unit 创建办's (priorities to acknowledge,
    months to submit); empty for anyone else. A fixed number of queries."""
    today = _today()
    if access.manages_any(user):
        return _office_queue(user, today)
    units = access.coordinated_unit_ids(user)
    if units:
        return _unit_queue(units, today)
    return {}


# --- the round's table as a sheet ------------------------------------------------------------


def _cell(ws: Worksheet, value: Any) -> Cell:
    """What people typed goes in as text, never as a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = Cell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


INFO_COLUMNS = [
    ("序号", 6),
    ("单位", 30),
    ("状态", 10),
    ("信息标题", 40),
    ("报送时间", 18),
    ("报送人", 12),
]


def info_xlsx(info_round: InfoRound, rows: Sequence[InfoRow]) -> bytes:
    """The round's table (already filtered) as .xlsx: every value written as text."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{info_round.year}年{info_round.month}月"
    ws.append([f"{info_round}情况表"])
    ws.cell(1, 1).font = Font(size=14, bold=True)
    ws.append(
        [
            f"{info_round.office.name} · 报送截止日期：{fmt_day(info_round.due_on)} · "
            f"导出日期：{fmt_day(_today())}"
        ]
    )
    ws.append([name for name, _ in INFO_COLUMNS])
    for col, (_, width) in enumerate(INFO_COLUMNS, start=1):
        cell = ws.cell(3, col)
        ws.column_dimensions[cell.column_letter].width = width
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for n, row in enumerate(rows, start=1):
        s = row.submission
        who = ""
        if s is not None and s.submitted_by is not None:
            who = s.submitted_by.get_full_name() or s.submitted_by.username
        values = [
            str(n),
            row.unit.name,
            row.label,
            s.title if s else "",
            fmt_time(s.submitted_at) if s else "",
            who,
        ]
        ws.append([_cell(ws, v) for v in values])
    print_setup(ws, 3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

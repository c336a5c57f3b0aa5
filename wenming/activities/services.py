"""Recording activities: one entry gives the numbers (who took part, for how long) and the
proof (the ledger item with the photos and a generated sign-in sheet).

Conventions: keyword-only, `user` is the actor, refusals are `ValidationError`s in Chinese
keyed by field, every check runs before anything is kept, and the activity, its attendance
and its ledger item are written in one transaction (the files through the ledger's own
intake, removed again if anything fails). Access is checked by the callers
(`wenming.activities.access`); the rules here are about the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from wenming.activities import festivals, signin
from wenming.activities.models import (
    MAX_HOURS_A_DAY,
    MORAL_STEPS,
    Activity,
    ActivityKind,
    Attendance,
    Figure,
    Pairing,
    StandardMeasure,
    Volunteer,
)
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger import services as ledger_services
from wenming.ledger.intake import inspect_all
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.tasks.models import Occurrence, Task

HOURS_STEP = Decimal("0.01")


@dataclass(frozen=True)
class Participant:
    """One line of the participant list as entered: a person of the unit or an outside name."""

    person: User | None = None
    external_name: str = ""
    hours: Any = None
    note: str = ""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _hours(value: Any, who: str, limit: Decimal) -> Decimal:
    if value is None or _text(value) == "":
        return Decimal(0)
    try:
        hours = Decimal(_text(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"participants": f"{who}的时长“{value}”不是数字，请填写小时数，例如 2.5。"}
        ) from None
    if not hours.is_finite() or hours < 0:
        raise ValidationError({"participants": f"{who}的时长不能是负数。"})
    if hours != hours.quantize(HOURS_STEP):
        raise ValidationError({"participants": f"{who}的时长最多保留两位小数。"})
    if hours > limit:
        raise ValidationError(
            {
                "participants": f"{who}的时长{hours}小时超过了活动时间（每天最多24小时，共{limit}小时）。"
            }
        )
    return hours


def _days(starts_at: datetime.datetime, ends_at: datetime.datetime | None) -> int:
    """The calendar days the activity spans (at least one)."""
    if ends_at is None:
        return 1
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at).date()
    return max(1, (last - first).days + 1)


def _attendance(
    unit: Organization, participants: Sequence[Participant], limit: Decimal
) -> list[Attendance]:
    """The participant list checked: people of the unit, each once, hours within the
    activity's days; outside names as written."""
    people = [p.person for p in participants if p.person is not None]
    members = set(
        unit_people(unit).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    rows: list[Attendance] = []
    seen: set[int] = set()
    for p in participants:
        if p.person is not None:
            who = p.person.get_full_name() or p.person.username
            if p.person.pk not in members:
                raise ValidationError(
                    {"participants": f"{who}不是本单位人员，不能登记为参加人员。"}
                )
            if p.person.pk in seen:
                raise ValidationError({"participants": f"{who}重复登记了，请只保留一行。"})
            seen.add(p.person.pk)
            name = ""
        else:
            name = _text(p.external_name)
            if not name:
                continue
            if len(name) > 60:
                raise ValidationError(
                    {"participants": f"外单位人员“{name[:10]}…”的姓名过长（最多60字）。"}
                )
            who = name
        rows.append(
            Attendance(
                person=p.person,
                external_name=name,
                hours=_hours(p.hours, who, limit),
                note=_text(p.note)[:100],
            )
        )
    if not rows:
        raise ValidationError({"participants": "请至少登记一名参加人员。"})
    return rows


def _check_fields(
    *,
    campaign: Campaign,
    department: Organization,
    kind: str,
    title: str,
    festival: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    place: str,
    task: Task | None,
    moral_steps: dict[str, Any] | None,
    occurrence: Occurrence | None = None,
    pairing: Pairing | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = "请选择活动类型。"
    if not title:
        errors["title"] = "请填写活动名称，例如“3月道德讲堂”。"
    elif len(title) > 200:
        errors["title"] = "活动名称最多200字。"
    if len(place) > 200:
        errors["place"] = "地点最多200字。"
    if starts_at is None:
        errors["starts_at"] = "请填写活动开始时间。"
    elif starts_at > timezone.now():
        errors["starts_at"] = "活动还没有开始，请在活动结束后登记。"
    elif ends_at is not None and ends_at < starts_at:
        errors["ends_at"] = "结束时间不能早于开始时间。"
    if not Organization.objects.departments_of(campaign.unit).filter(pk=department.pk).exists():
        errors["department"] = "请选择本单位的部门。"
    if task is not None and task.campaign_id != campaign.pk:
        errors["task"] = "该任务不属于本次创建工作。"
    if occurrence is not None and (task is None or occurrence.task_id != task.pk):
        errors["occurrence"] = "所选的任务批次不属于该任务，请重新选择。"
    if pairing is not None and (pairing.unit_id != campaign.unit_id or pairing.removed_at):
        errors["pairing"] = "所选的帮扶共建对象不属于本单位，或已删除。"
    elif pairing is not None and kind != ActivityKind.PAIRING:
        errors["pairing"] = "只有“帮扶共建”类活动可以记为共建走访。"
    festival = _text(festival)
    if kind == ActivityKind.FESTIVAL and festival not in festivals.FESTIVALS:
        errors["festival"] = "请选择是哪个节日的主题活动。"
    steps: dict[str, str] = {}
    if kind == ActivityKind.MORAL_LECTURE:
        given = moral_steps or {}
        missing = [label for key, label in MORAL_STEPS if not _text(given.get(key))]
        if missing:
            errors["moral_steps"] = f"道德讲堂的五个环节都要填写，还缺：{'、'.join(missing)}。"
        steps = {key: _text(given.get(key)) for key, _ in MORAL_STEPS}
    if errors:
        raise ValidationError(errors)
    return {
        "festival": festival if kind == ActivityKind.FESTIVAL else "",
        "moral_steps": steps,
    }


def _item_fields(
    title: str,
    starts_at: datetime.datetime,
    place: str,
    rows: list[Attendance],
    summary: str,
    result: str,
) -> dict[str, Any]:
    names = [r.name for r in rows]
    return {
        "title": title,
        "activity_date": timezone.localtime(starts_at).date(),
        "place": place,
        "participant_count": len(rows),
        "participants": "、".join(names),
        "summary": summary,
        "result": result,
    }


def activity_record(
    *,
    campaign: Campaign,
    user: User,
    department: Organization,
    kind: str,
    title: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    task: Task | None = None,
    standards: Sequence[Node] | None = None,
    summary: str = "",
    result: str = "",
    festival: str = "",
    moral_steps: dict[str, Any] | None = None,
    participants: Sequence[Participant] = (),
    photos: Sequence[UploadedFile] = (),
    occurrence: Occurrence | None = None,
    pairing: Pairing | None = None,
) -> Activity:
    """Record an activity that took place: its participants with hours, and its ledger item
    (一事一档) holding the photos and the generated sign-in sheet."""
    title, place = _text(title), _text(place)
    extra = _check_fields(
        campaign=campaign,
        department=department,
        kind=kind,
        title=title,
        festival=festival,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        task=task,
        moral_steps=moral_steps,
        occurrence=occurrence,
        pairing=pairing,
    )
    assert starts_at is not None
    limit = MAX_HOURS_A_DAY * _days(starts_at, ends_at)
    rows = _attendance(campaign.unit, participants, limit)
    if not photos:
        raise ValidationError({"photos": "请上传活动照片（至少一张），台账要有文有图。"})
    inspect_all(photos, photos_only=True)
    nodes = list(standards) if standards else (list(task.standards.all()) if task else [])
    if not nodes:
        raise ValidationError({"standards": "请选择该活动佐证的测评标准（或选择工作任务）。"})
    summary, result = _text(summary), _text(result)
    with transaction.atomic():
        activity = Activity.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            department=department,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            task=task,
            occurrence=occurrence,
            pairing=pairing,
            summary=summary,
            result=result,
            created_by=user,
            **extra,
        )
        activity.standards.set(nodes)
        _file_proof(activity, user, rows, nodes, photos)
    return activity


def _file_proof(
    activity: Activity,
    user: User,
    rows: list[Attendance],
    nodes: list[Node],
    photos: Sequence[UploadedFile],
) -> None:
    """Keep the participants and file the activity's ledger item: the photos and the
    generated sign-in sheet (inside the caller's transaction)."""
    for row in rows:
        row.activity = activity
    Attendance.objects.bulk_create(rows)
    sheet = SimpleUploadedFile(
        f"{activity.title[:60]}签到表.pdf", signin.sheet_pdf(activity, rows), "application/pdf"
    )
    activity.evidence = ledger_services.item_create(
        campaign=activity.campaign,
        department=activity.department,
        user=user,
        task=activity.task,
        occurrence=activity.occurrence,
        standards=nodes,
        fields=_item_fields(
            activity.title,
            activity.starts_at,
            activity.place,
            rows,
            activity.summary,
            activity.result,
        ),
        uploads=[*photos, sheet],
    )
    activity.save(update_fields=["evidence"])


def activity_remove(*, activity: Activity, user: User, reason: str = "") -> Activity:
    """Take an activity out of every list and figure (kept, with its ledger item, which the
    ledger's own rules remove with it)."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.removed_at is not None:
            raise ValidationError("该活动已删除，请刷新页面。")
        locked.removed_at = timezone.now()
        locked.removed_by = user
        locked.save(update_fields=["removed_at", "removed_by", "updated_at"])
        if locked.evidence_id is not None:
            item = locked.evidence
            assert item is not None
            if item.removed_at is None:
                ledger_services.item_remove(item=item, user=user, reason=reason or "活动已删除")
    return locked


# --- volunteers ------------------------------------------------------------------------------


def volunteer_register(
    *,
    unit: Organization,
    person: User,
    user: User,
    registered_on: datetime.date | None,
    national: bool = False,
    national_id: str = "",
) -> Volunteer:
    """Register a person of the unit as a volunteer (once while registered)."""
    who = person.get_full_name() or person.username
    errors: dict[str, str] = {}
    if not unit_people(unit).filter(pk=person.pk).exists():
        errors["person"] = f"{who}不是本单位人员。"
    if registered_on is None:
        errors["registered_on"] = "请填写注册日期。"
    elif registered_on > timezone.localdate():
        errors["registered_on"] = "注册日期不能晚于今天。"
    national_id = _text(national_id)
    if len(national_id) > 40:
        errors["national_id"] = "志愿者编号最多40个字符。"
    if national and not national_id:
        errors["national_id"] = "已在全国志愿服务信息系统注册的，请填写志愿者编号。"
    if errors:
        raise ValidationError(errors)
    assert registered_on is not None
    with transaction.atomic():
        if (
            Volunteer.objects.select_for_update()
            .filter(unit=unit, person=person, removed_at__isnull=True)
            .exists()
        ):
            raise ValidationError({"person": f"{who}已经是本单位的注册志愿者。"})
        return Volunteer.objects.create(
            unit=unit,
            person=person,
            registered_on=registered_on,
            national=bool(national),
            national_id=national_id,
            created_by=user,
        )


def volunteer_remove(*, volunteer: Volunteer, user: User) -> None:
    """Take a registration out (kept): the person no longer counts as a volunteer."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.removed_at is not None:
            raise ValidationError("该志愿者登记已取消，请刷新页面。")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at", "updated_at"])


# --- what a standard asks of people ------------------------------------------------------------


def measure_set(
    *,
    campaign: Campaign,
    standard: Node,
    user: User,
    figure: str,
    target: Any,
    kind: str = "",
) -> StandardMeasure:
    """Say which figure measures a standard of the campaign, and its target."""
    errors: dict[str, str] = {}
    if standard.framework_id != campaign.framework_id or not standard.is_leaf:
        errors["standard"] = "该测评标准不属于本次创建所用的测评体系。"
    if figure not in Figure.values:
        errors["figure"] = "请选择计算口径。"
    if kind and kind not in ActivityKind.values:
        errors["kind"] = "请选择活动类型。"
    try:
        value = Decimal(_text(target))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors["target"] = "目标值请填写数字，例如 30。"
    elif value <= 0:
        errors["target"] = "目标值须大于0。"
    elif value != value.quantize(HOURS_STEP) or value >= Decimal("1000000"):
        errors["target"] = "目标值最多保留两位小数。"
    elif figure == Figure.VOLUNTEER_RATE and value > 100:
        errors["target"] = "比例的目标值不能超过100%。"
    if errors:
        raise ValidationError(errors)
    assert value is not None
    used_kind = kind if figure in (Figure.ACTIVITIES, Figure.MONTHLY) else ""
    measure, _ = StandardMeasure.objects.update_or_create(
        campaign=campaign,
        standard=standard,
        defaults={"figure": figure, "kind": used_kind, "target": value, "created_by": user},
    )
    return measure

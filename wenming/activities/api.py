"""The API of activities (R9): /api/v1/activities.

The unit's activities with their participants and hours (list, detail), recording one as
multipart (its fields, the participant list as a JSON array and the photos), removing one,
the year's festivals (我们的节日) and a person's record of hours.

Every object is reached through `wenming.activities.access` (and the campaigns', tasks' and
organizations' access helpers): 404 for what the caller may not see, 403 (`RECORDERS_ONLY`)
for what they see but may not record or change. Writes call `wenming.activities.services`,
whose refusals reach the API's handler as 422 with the Chinese sentence under the field the
client sent. Hours are two-decimal strings (`"2.50"`), as points are elsewhere.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import field_validator

from wenming.activities import access, festivals, figures, hours, measures, services
from wenming.activities.models import MORAL_STEPS, Activity, ActivityKind, Attendance
from wenming.activities.record import person_extras
from wenming.activities.services import Participant
from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.api_input import (
    ErrorOut,
    Input,
    check_uploads,
    column_length,
    field_names,
    limited_uploads,
    refused,
    user_of,
)
from wenming.frameworks.models import Node
from wenming.orgs.access import get_org_for_user
from wenming.orgs.models import Organization, OrgKind
from wenming.orgs.services import unit_people
from wenming.tasks import access as task_access

router = Router(tags=["活动"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}

STANDARDS_MESSAGE = "所选测评标准不属于本次创建所用的测评体系，请重新选择。"
PERSON_NOT_FOUND = "没有找到该人员的活动记录，或该人员不是本单位人员。"


def _hours(value: Decimal | None) -> str:
    return f"{value or Decimal(0):.2f}"


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# --- output ------------------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    department_id: int
    department_name: str
    kind: str
    kind_label: str
    festival: str = Field(description="我们的节日：节日代码（见 /activities/festivals），其他为空")
    festival_label: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    place: str
    participant_count: int
    total_hours: str = Field(description="参加人员时长合计（小时，两位小数的字符串）")
    evidence_id: int | None = Field(description="该活动的台账（一事一档）")

    @staticmethod
    def resolve_department_name(obj: Activity) -> str:
        return obj.department.name

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_festival_label(obj: Activity) -> str:
        found = festivals.FESTIVALS.get(obj.festival)
        return found.name if found else ""

    @staticmethod
    def resolve_participant_count(obj: Any) -> int:
        return int(obj.participant_count)

    @staticmethod
    def resolve_total_hours(obj: Any) -> str:
        return _hours(obj.total_hours)


class StandardOut(Schema):
    id: int
    code: str


class AttendanceOut(Schema):
    person_id: int | None = Field(description="本单位人员；外单位人员为 null")
    name: str
    hours: str
    note: str

    @staticmethod
    def resolve_hours(obj: Attendance) -> str:
        return _hours(obj.hours)


class ActivityDetailOut(ActivityOut):
    task_id: int | None
    standards: list[StandardOut]
    summary: str
    result: str
    moral_steps: dict[str, str] = Field(
        description="道德讲堂五个环节：sing 唱歌曲、model 学模范、classic 诵经典、reflect 发善心、bless 送吉祥"
    )
    attendances: list[AttendanceOut]

    @staticmethod
    def resolve_standards(obj: Activity) -> list[Node]:
        return list(obj.standards.all())

    @staticmethod
    def resolve_attendances(obj: Activity) -> list[Attendance]:
        return list(obj.attendances.all())


class FestivalOut(Schema):
    key: str
    name: str
    day: datetime.date
    window_start: datetime.date = Field(description="在此期间开展的主题活动计入该节日")
    window_end: datetime.date
    state: str = Field(description="held 已开展、open 进行中、upcoming 未到、missed 未开展")
    state_label: str
    activity_ids: list[int]


class YearHoursOut(Schema):
    year: int
    hours: str
    activities: int


class PersonActivityOut(Schema):
    activity_id: int
    title: str
    kind: str
    kind_label: str
    starts_at: datetime.datetime
    department_name: str
    hours: str
    note: str


class StudyYearOut(Schema):
    year: int
    sessions: int = Field(description="参加学习次数")
    sessions_target: int | None = Field(description="每人参加学习目标（次/年）；未设置为空")
    sessions_short: str = Field(description="差多少，如“还差2次”；已达标或未设目标为空")
    points: str = Field(description="学习平台积分")
    points_target: int | None
    points_short: str
    exams_taken: int
    exams_passed: int


class AwardOut(Schema):
    nomination_id: int
    year: int
    category: str
    category_label: str
    status: str
    status_label: str
    award_title: str
    referred_to: str


class PersonOut(Schema):
    person_id: int
    name: str
    unit_id: int
    unit_name: str
    total_hours: str = Field(description="在本单位活动中的时长合计（小时）")
    activity_count: int
    years: list[YearHoursOut] = Field(description="各年度时长，新的在前")
    attendances: list[PersonActivityOut] = Field(description="参加过的活动，新的在前")
    service_hours: str = Field(
        description="累计志愿服务时长（志愿服务、双报到、帮扶共建、爱心捐助活动的时长加导入的时长）"
    )
    service_years: list[YearHoursOut] = Field(
        description="各年度志愿服务时长，新的在前（activities 为服务次数）"
    )
    star: int = Field(description="志愿者星级（0–5）")
    study: StudyYearOut = Field(description="本年度学习")
    awards: list[AwardOut] = Field(description="先进典型（不含已撤回的推荐）")


# --- input --------------------------------------------------------------------------------------


class ParticipantIn(Schema):
    person_id: int | None = Field(None, description="本单位人员编号；外单位人员不填")
    external_name: str = Field(
        "", max_length=column_length(Attendance, "external_name"), description="外单位人员姓名"
    )
    hours: Decimal | None = Field(None, description="时长（小时），最多两位小数")
    note: str = Field("", max_length=column_length(Attendance, "note"))


class ActivityIn(Input):
    """The fields of a recording (multipart, beside the photos)."""

    campaign: int = Field(description="创建工作编号")
    department: int | None = Field(
        None, description="组织部门；部门人员可不填（默认本部门），创建办必填"
    )
    kind: str = Field(
        max_length=column_length(Activity, "kind"),
        description="、".join(f"{value} {label}" for value, label in ActivityKind.choices),
    )
    title: str = Field(max_length=column_length(Activity, "title"), description="活动名称")
    festival: str = Field(
        "", max_length=column_length(Activity, "festival"), description="我们的节日：节日代码"
    )
    starts_at: datetime.datetime = Field(description="开始时间，如 2026-03-20T14:30")
    ends_at: datetime.datetime | None = Field(None, description="结束时间（可选）")
    place: str = Field("", max_length=column_length(Activity, "place"))
    task: int | None = Field(None, description="工作任务编号（可选）")
    standards: list[int] = Field(
        [], description="佐证的测评标准编号（可重复；可选，默认任务的测评标准）"
    )
    summary: str = Field("", description="活动情况")
    result: str = Field("", description="取得成效")
    moral_steps: dict[str, str] = Field(
        {},
        description=(
            "道德讲堂五个环节，JSON 对象："
            + "、".join(f"{key} {label}" for key, label in MORAL_STEPS)
        ),
    )
    participants: list[ParticipantIn] = Field(
        [],
        description='参加人员，JSON 数组：[{"person_id": 5, "hours": "2.5"}, '
        '{"external_name": "社区志愿者王大妈", "hours": 3, "note": ""}]',
    )

    @field_validator("standards", mode="before")
    @classmethod
    def _standards_from_text(cls, value: Any) -> Any:
        return _json_items(value, "测评标准须为编号，可重复提交或写成 JSON 数组，例如 [12, 15]")

    @field_validator("participants", mode="before")
    @classmethod
    def _participants_from_text(cls, value: Any) -> Any:
        return _json_items(value, '参加人员须为 JSON 数组，例如 [{"person_id": 5, "hours": "2.5"}]')

    @field_validator("moral_steps", mode="before")
    @classmethod
    def _steps_from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return {}
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError(
                '道德讲堂五个环节须为 JSON 对象，例如 {"sing": "《公民道德歌》", …}'
            ) from None


def _json_items(value: Any, message: str) -> Any:
    """A list field from a form: repeated fields, or a JSON array (or object) in a field."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return value
    items: list[Any] = []
    for entry in value:
        text = entry.strip() if isinstance(entry, str) else None
        if text is None or not text.startswith(("[", "{")):
            if text != "":
                items.append(entry)
            continue
        try:
            parsed = json.loads(text)
        except ValueError:
            raise ValueError(message) from None
        items.extend(parsed if isinstance(parsed, list) else [parsed])
    return items


class RemoveIn(Input):
    reason: str = Field("", max_length=300, description="删除原因（可选）")


# --- helpers ------------------------------------------------------------------------------------


def _with_figures(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """What `ActivityOut` reads, in one query: the participant count and hours annotated."""
    return qs.annotate(
        participant_count=Count("attendances"), total_hours=Sum("attendances__hours")
    )


def _detail(pk: int) -> Activity:
    """An activity the caller has already been allowed to read (or has just recorded)."""
    return (
        _with_figures(Activity.objects.filter(pk=pk).select_related("department"))
        .prefetch_related(
            Prefetch("standards", queryset=Node.objects.order_by("position")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("person")),
        )
        .get()
    )


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _department(user: User, campaign: Campaign, department_id: int | None) -> Organization:
    """The organizing department: one the user records for (403 otherwise)."""
    allowed = access.recording_departments(user, campaign.unit)
    if department_id is None:
        own = list(allowed[:2])
        if len(own) == 1:
            return own[0]
        if not own:
            raise PermissionDenied(access.RECORDERS_ONLY)
        raise refused("department", "请选择组织活动的部门。")
    found = allowed.filter(pk=department_id).first()
    if found is not None:
        return found
    of_unit = Organization.objects.departments_of(campaign.unit).filter(pk=department_id)
    if of_unit.exists() or not allowed.exists():
        raise PermissionDenied(access.RECORDERS_ONLY)
    raise refused("department", "请选择本单位的部门。")


def _standards(campaign: Campaign, ids: list[int]) -> list[Node]:
    nodes = list(Node.objects.filter(pk__in=set(ids), framework_id=campaign.framework_id))
    if len(nodes) != len(set(ids)):
        raise refused("standards", STANDARDS_MESSAGE)
    return nodes


def _participants(rows: list[ParticipantIn]) -> list[Participant]:
    """The participant list with people found by id; unknown ids are named in the refusal
    (whether they are of the unit is the service's check)."""
    ids = {r.person_id for r in rows if r.person_id is not None}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    missing = sorted(ids - set(people))
    if missing:
        listed = "、".join(str(pk) for pk in missing)
        raise refused("participants", f"没有找到编号为{listed}的人员，请核对参加人员。")
    return [
        Participant(
            person=people[r.person_id] if r.person_id is not None else None,
            external_name=r.external_name,
            hours=r.hours,
            note=r.note,
        )
        for r in rows
    ]


def _unit_for(user: User, unit_id: int) -> Organization:
    unit = get_org_for_user(user, unit_id)
    if unit.kind != OrgKind.UNIT:
        raise Http404("没有找到该单位，或您无权查看。")
    return unit


# --- reading ------------------------------------------------------------------------------------


@router.get("", response=list[ActivityOut], summary="活动列表")
@paginate(PageNumberPagination, page_size=50)
def activity_list(
    request: HttpRequest,
    campaign: int | None = None,
    year: int | None = None,
    kind: str | None = None,
    department: int | None = None,
) -> Any:
    qs = access.visible_activities(request.user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign_access.get_campaign_for_user(request.user, campaign))
    if kind:
        if kind not in ActivityKind.values:
            choices = "、".join(f"{value}（{label}）" for value, label in ActivityKind.choices)
            raise refused("kind", f"活动类型只能是{choices}。")
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(starts_at__year=year)
    if department is not None:
        qs = qs.filter(department_id=department)
    return _with_figures(qs.order_by("-starts_at", "-id"))


@router.get(
    "/festivals",
    response={200: list[FestivalOut], **ERRORS},
    summary="我们的节日：本年度各节日及本单位开展的主题活动",
)
def activity_festivals(
    request: HttpRequest, campaign: int, year: int | None = Query(None, ge=2000, le=2100)
) -> Any:
    found = campaign_access.get_campaign_for_user(request.user, campaign)
    rows = figures.festival_rows(found.unit, year or timezone.localdate().year)
    return [
        {
            "key": r.occurrence.festival.key,
            "name": r.occurrence.festival.name,
            "day": r.occurrence.day,
            "window_start": r.occurrence.window[0],
            "window_end": r.occurrence.window[1],
            "state": r.state,
            "state_label": r.label,
            "activity_ids": [a.pk for a in r.activities],
        }
        for r in rows
    ]


@router.get(
    "/people/{int:person_id}",
    response={200: PersonOut, **ERRORS},
    summary="个人的活动与时长记录（本单位）",
)
def activity_person(request: HttpRequest, person_id: int, unit: int) -> Any:
    found = _unit_for(user_of(request), unit)
    person = unit_people(found).filter(pk=person_id).first()
    if person is None:
        raise Http404(PERSON_NOT_FOUND)
    attendances = list(figures.person_attendances(person, found))
    years = figures.hours_by_year(person, found)
    service = hours.by_year(person, found)
    service_total = sum((h for _, h, _ in service), Decimal(0))
    extras = person_extras(person, found)
    st, row = extras["study"], extras["study"].row
    return {
        "service_hours": _hours(service_total),
        "service_years": [{"year": y, "hours": _hours(h), "activities": n} for y, h, n in service],
        "star": measures.star_of(service_total),
        "study": {
            "year": st.year,
            "sessions": row.sessions,
            "sessions_target": st.target.sessions if st.target else None,
            "sessions_short": row.sessions_short,
            "points": _hours(row.points),
            "points_target": st.target.points if st.target else None,
            "points_short": row.points_short,
            "exams_taken": row.exams_taken,
            "exams_passed": row.exams_passed,
        },
        "awards": [
            {
                "nomination_id": n.pk,
                "year": n.year,
                "category": n.category,
                "category_label": n.get_category_display(),
                "status": n.status,
                "status_label": n.get_status_display(),
                "award_title": n.award_title,
                "referred_to": n.referred_to,
            }
            for n in extras["awards"]
        ],
        "person_id": person.pk,
        "name": _name(person),
        "unit_id": found.pk,
        "unit_name": found.name,
        "total_hours": _hours(sum((h for _, h, _ in years), Decimal(0))),
        "activity_count": len(attendances),
        "years": [{"year": y, "hours": _hours(h), "activities": n} for y, h, n in years],
        "attendances": [
            {
                "activity_id": a.activity_id,
                "title": a.activity.title,
                "kind": a.activity.kind,
                "kind_label": a.activity.get_kind_display(),
                "starts_at": a.activity.starts_at,
                "department_name": a.activity.department.name,
                "hours": _hours(a.hours),
                "note": a.note,
            }
            for a in attendances
        ],
    }


@router.get(
    "/{int:activity_id}",
    response={200: ActivityDetailOut, **ERRORS},
    summary="活动详情（参加人员与时长）",
)
def activity_detail(request: HttpRequest, activity_id: int) -> Any:
    activity = access.get_activity_for_user(request.user, activity_id)
    return _detail(activity.pk)


# --- recording ----------------------------------------------------------------------------------


@router.post(
    "",
    response={201: ActivityDetailOut, **UPLOAD_ERRORS},
    summary="登记活动（multipart：活动信息、参加人员 JSON、活动照片；自动生成签到表并归入台账）",
)
@decorate_view(limited_uploads)
def activity_create(
    request: HttpRequest,
    payload: Form[ActivityIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    check_uploads(request, "photos")
    user = user_of(request)
    campaign = campaign_access.get_campaign_for_user(user, payload.campaign)
    department = _department(user, campaign, payload.department)
    task = task_access.get_task_for_user(user, payload.task) if payload.task else None
    standards = _standards(campaign, payload.standards) if payload.standards else None
    participants = _participants(payload.participants)
    with field_names({"files": "photos"}):
        activity = services.activity_record(
            campaign=campaign,
            user=user,
            department=department,
            kind=payload.kind,
            title=payload.title,
            starts_at=_aware(payload.starts_at),
            ends_at=_aware(payload.ends_at),
            place=payload.place,
            task=task,
            standards=standards,
            summary=payload.summary,
            result=payload.result,
            festival=payload.festival,
            moral_steps=payload.moral_steps,
            participants=participants,
            photos=photos or [],
        )
    return Status(201, _detail(activity.pk))


@router.post(
    "/{int:activity_id}/remove",
    response={204: None, **ERRORS},
    summary="删除活动（连同其台账；记录保留，不再显示、不再计入时长）",
)
def activity_remove(request: HttpRequest, activity_id: int, payload: RemoveIn | None = None) -> Any:
    activity = access.get_activity_for_user(request.user, activity_id, write=True)
    services.activity_remove(
        activity=activity, user=user_of(request), reason=payload.reason if payload else ""
    )
    return Status(204, None)


# Volunteers and the standards' measures: /volunteers…, /measures… beside these routes.
from wenming.activities.people_api import router as people_router  # noqa: E402

router.add_router("", people_router)
from wenming.activities.service_api import router as service_router  # noqa: E402

router.add_router("", service_router)

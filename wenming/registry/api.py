"""API routes of the registry (文明单位名录) and its dynamic management: entries with their
honours and history, status changes, revocations (摘牌) and negative events (负面事项).

Every object is fetched through `wenming.registry.access` (404 for what the caller may not
see, 403 for what they see but may not change); writes call `wenming.registry.services`, whose
refusals reach the API's handler as 422 with the Chinese sentence under the field the client
sent. The list filters like the screens (`filters.Filters`). Decision documents are attached on
the screens; the API records the document's number or title (`document_title`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from wenming.core.api_input import ErrorOut, Input, column_length, field_names, refused, user_of
from wenming.orgs.models import Organization, OrgKind
from wenming.registry import access, services
from wenming.registry.filters import Filters
from wenming.registry.models import (
    Honour,
    HonourEvent,
    HonourStatus,
    Level,
    NegativeEvent,
    NegativeSource,
    RegistryEntry,
    Revocation,
)

router = Router(tags=["文明单位名录"])
revocation_router = Router(tags=["文明单位名录"])
negative_router = Router(tags=["文明单位名录"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ENTRY_IDS = {"unit": "unit_id", "office": "office_id"}
REVOKE_IDS = {"negative_event": "negative_event_id", "honour": "honour_id"}


# --- output ----------------------------------------------------------------------------------


class HonourEventOut(Schema):
    id: int
    from_status: str
    to_status: str
    to_status_label: str
    decided_on: datetime.date
    document_title: str
    document_url: str | None
    deadline: datetime.date | None
    reason: str
    actor: str
    at: datetime.datetime

    @staticmethod
    def resolve_to_status_label(obj: HonourEvent) -> str:
        return obj.get_to_status_display()

    @staticmethod
    def resolve_document_url(obj: HonourEvent) -> str | None:
        return reverse("registry:document", args=[obj.document_id]) if obj.document_id else None

    @staticmethod
    def resolve_reason(obj: HonourEvent) -> str:
        return obj.comment

    @staticmethod
    def resolve_actor(obj: HonourEvent) -> str:
        return (obj.actor.get_full_name() or obj.actor.username) if obj.actor else "系统"


class HonourOut(Schema):
    id: int
    entry_id: int
    title: str
    level: str
    level_label: str
    issuer_id: int | None
    issuer_name: str
    batch: str
    year_named: int
    term_years: int
    last_year: int = Field(description="届满年度")
    status: str = Field(description="named、kept、rectify、warned、revoked 或 expired")
    status_label: str
    status_on: datetime.date
    is_held: bool

    @staticmethod
    def resolve_level_label(obj: Honour) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_status_label(obj: Honour) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_issuer_name(obj: Honour) -> str:
        return obj.issuer.name if obj.issuer_id and obj.issuer else obj.issuer_name


class HonourDetailOut(HonourOut):
    events: list[HonourEventOut] = Field(description="状态变更记录，早的在前")

    @staticmethod
    def resolve_events(obj: Honour) -> list[HonourEvent]:
        return list(obj.events.all())


class EntryOut(Schema):
    id: int
    office_id: int
    office_name: str
    unit_id: int
    unit_name: str
    sector: str
    area: str
    staff_count: int | None
    info_admin_name: str
    info_admin_phone: str
    note: str
    honours: list[HonourOut]

    @staticmethod
    def resolve_office_name(obj: RegistryEntry) -> str:
        return obj.office.name

    @staticmethod
    def resolve_unit_name(obj: RegistryEntry) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_honours(obj: RegistryEntry) -> list[Honour]:
        return list(obj.honours.all())


class EntryDetailOut(EntryOut):
    honours: list[HonourDetailOut]  # type: ignore[assignment]


class RevocationOut(Schema):
    id: int
    entry_id: int
    unit_name: str
    honour_id: int
    honour: str
    decided_on: datetime.date
    reason: str
    document_title: str
    document_url: str | None
    banned_until: datetime.date | None = Field(description="禁止申报截止日期（含）；null 为不禁止")
    negative_event_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_unit_name(obj: Revocation) -> str:
        return obj.entry.unit.name

    @staticmethod
    def resolve_honour(obj: Revocation) -> str:
        return str(obj.honour)

    @staticmethod
    def resolve_document_url(obj: Revocation) -> str | None:
        return reverse("registry:document", args=[obj.document_id]) if obj.document_id else None


class NegativeEventOut(Schema):
    id: int
    entry_id: int
    unit_name: str
    what: str
    is_veto: bool
    occurred_on: datetime.date
    self_reported_on: datetime.date | None
    source: str
    source_label: str
    verified_by: str | None
    verified_on: datetime.date | None
    withdrawn: bool
    removed_at: datetime.datetime | None
    removed_reason: str

    @staticmethod
    def resolve_unit_name(obj: NegativeEvent) -> str:
        return obj.entry.unit.name

    @staticmethod
    def resolve_source_label(obj: NegativeEvent) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_verified_by(obj: NegativeEvent) -> str | None:
        user = obj.verified_by
        return (user.get_full_name() or user.username) if user else None

    @staticmethod
    def resolve_withdrawn(obj: NegativeEvent) -> bool:
        return obj.removed_at is not None


# --- input -----------------------------------------------------------------------------------


class EntryIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    unit_id: int | None = Field(None, description="已有单位；与 unit_name 二选一")
    unit_name: str = Field(
        "",
        max_length=column_length(Organization, "name"),
        description="新单位名称：在该文明办下新建单位（无需账号）并登记",
    )
    sector: str = Field("", max_length=column_length(RegistryEntry, "sector"))
    area: str = Field("", max_length=column_length(RegistryEntry, "area"))
    staff_count: int | None = Field(None, ge=0)
    info_admin_name: str = Field("", max_length=column_length(RegistryEntry, "info_admin_name"))
    info_admin_phone: str = Field("", max_length=column_length(RegistryEntry, "info_admin_phone"))
    note: str = ""


class EntryPatch(Input):
    sector: str | None = Field(None, max_length=column_length(RegistryEntry, "sector"))
    area: str | None = Field(None, max_length=column_length(RegistryEntry, "area"))
    staff_count: int | None = Field(None, ge=0)
    info_admin_name: str | None = Field(
        None, max_length=column_length(RegistryEntry, "info_admin_name")
    )
    info_admin_phone: str | None = Field(
        None, max_length=column_length(RegistryEntry, "info_admin_phone")
    )
    note: str | None = None


class HonourIn(Input):
    title: str = Field(max_length=column_length(Honour, "title"))
    level: str = Field(description="county、city、province 或 national")
    year_named: int
    term_years: int = Field(3, description="2、3 或 5")
    issuer_id: int | None = Field(None, description="命名机关（平台中的文明办）")
    issuer_name: str = Field(
        "", max_length=column_length(Honour, "issuer_name"), description="平台外的命名机关名称"
    )
    batch: str = Field("", max_length=column_length(Honour, "batch"))
    status: str = Field(HonourStatus.NAMED, description="named、kept、rectify、warned 或 expired")
    status_on: datetime.date | None = Field(None, description="不填为今天")
    document_title: str = Field("", max_length=column_length(HonourEvent, "document_title"))
    reason: str = ""


class StatusIn(Input):
    to_status: str = Field(description="kept、rectify、warned 或 expired；摘牌用 POST /revocations")
    decided_on: datetime.date
    reason: str = ""
    document_title: str = Field(
        "",
        max_length=column_length(HonourEvent, "document_title"),
        description="决定文件文号或标题（必填）",
    )
    deadline: datetime.date | None = Field(None, description="限期整改的整改期限")


class RevocationIn(Input):
    honour_id: int
    decided_on: datetime.date
    reason: str = ""
    document_title: str = Field("", max_length=column_length(Revocation, "document_title"))
    ban_years: int = Field(1, description="禁止申报年限：至决定次年起第N年12月31日；0 为不禁止")
    negative_event_id: int | None = None


class NegativeIn(Input):
    entry_id: int
    what: str = Field(max_length=column_length(NegativeEvent, "what"))
    occurred_on: datetime.date
    source: str = Field(NegativeSource.OTHER, description="、".join(NegativeSource.values))
    is_veto: bool = False
    self_reported_on: datetime.date | None = None
    verified_on: datetime.date | None = Field(
        None, description="核实日期；给出时核实人记为当前用户"
    )


class WithdrawIn(Input):
    reason: str = Field(max_length=1000)


# --- helpers ----------------------------------------------------------------------------------


def _entries_with_honours(qs: QuerySet[RegistryEntry], *, events: bool) -> QuerySet[RegistryEntry]:
    honours = Honour.objects.live().select_related("issuer").order_by("-year_named", "id")
    if events:
        honours = honours.prefetch_related(
            Prefetch("events", queryset=HonourEvent.objects.select_related("actor"))
        )
    return qs.select_related("unit", "office").prefetch_related(Prefetch("honours", honours))


def _detail(entry: RegistryEntry) -> RegistryEntry:
    return _entries_with_honours(RegistryEntry.objects.filter(pk=entry.pk), events=True).get()


def _honour(honour: Honour) -> Honour:
    events = HonourEvent.objects.select_related("actor")
    return (
        Honour.objects.select_related("issuer")
        .prefetch_related(Prefetch("events", events))
        .get(pk=honour.pk)
    )


def _office_for(request: HttpRequest, office_id: int | None) -> Organization:
    """The office whose registry a write goes to: 404 when the caller cannot see it, 403 when
    they see it but do not manage it."""
    user = request.user
    if office_id is None:
        office = access.registry_offices(user).first()
        if office is None:
            raise PermissionDenied(access.READ_ONLY)
        return office
    office = Organization.objects.filter(pk=office_id, kind=OrgKind.OFFICE).first()
    if office is None:
        raise Http404("没有找到该文明办，或您无权查看。")
    if access.can_manage_registry(user, office):
        return office
    if access.visible_entries(user).filter(office__path__startswith=office.path).exists():
        raise PermissionDenied(access.READ_ONLY)
    raise Http404("没有找到该文明办，或您无权查看。")


def _revocations(request: HttpRequest) -> QuerySet[Revocation]:
    return Revocation.objects.filter(entry__in=access.visible_entries(request.user)).select_related(
        "entry__unit", "honour"
    )


def _negatives(request: HttpRequest, *, withdrawn: bool = True) -> QuerySet[NegativeEvent]:
    events = NegativeEvent.objects.all() if withdrawn else NegativeEvent.objects.live()
    return events.filter(entry__in=access.visible_entries(request.user)).select_related(
        "entry__unit", "verified_by"
    )


def _choice(value: str | None, allowed: list[str], field: str, label: str) -> None:
    if value and value not in allowed:
        raise refused(field, f"{label}只能是{'、'.join(allowed)}。")


# --- the registry ------------------------------------------------------------------------------


@router.get("", response=list[EntryOut], summary="名录单位列表（含称号），可按级别、状态等筛选")
@paginate(PageNumberPagination, page_size=50)
def registry_list(
    request: HttpRequest,
    office: int | None = None,
    level: str | None = Query(None, description="、".join(Level.values)),
    status: str | None = Query(None, description="、".join(HonourStatus.values)),
    sector: str | None = None,
    area: str | None = None,
    year: int | None = Query(None, description="命名年度"),
    q: str | None = Query(None, description="单位名称（部分）"),
) -> Any:
    # Checked here: under @paginate ninja cannot resolve a Literal annotation.
    _choice(level, Level.values, "level", "级别")
    _choice(status, HonourStatus.values, "status", "状态")
    params = {"level": level, "status": status, "sector": sector, "area": area, "q": q}
    filters = Filters.from_params({**params, "year": str(year or "")})
    qs = access.visible_entries(request.user)
    if office is not None:
        qs = qs.filter(office_id=office)
    entries = filters.entries(qs).order_by("office__path", "unit__name", "id")
    return _entries_with_honours(entries, events=False)


@router.post("", response={201: EntryDetailOut, **ERRORS}, summary="登记名录单位")
def registry_create(request: HttpRequest, payload: EntryIn) -> Any:
    office = _office_for(request, payload.office_id)
    unit = None
    if payload.unit_id is not None:
        unit = Organization.objects.filter(
            pk=payload.unit_id, kind=OrgKind.UNIT, path__startswith=office.path
        ).first()
        if unit is None:
            raise refused("unit_id", f"所选单位不在“{office.name}”的管辖范围内，请重新选择。")
    fields = payload.dict(exclude={"office_id", "unit_id"})
    with field_names(ENTRY_IDS):
        entry = services.entry_register(office=office, user=user_of(request), unit=unit, **fields)
    return Status(201, _detail(entry))


@router.get("/{int:entry_id}", response={200: EntryDetailOut, **ERRORS}, summary="名录单位详情")
def registry_detail(request: HttpRequest, entry_id: int) -> Any:
    return _detail(access.get_entry_for_user(request.user, entry_id))


@router.patch("/{int:entry_id}", response={200: EntryDetailOut, **ERRORS}, summary="修改单位信息")
def registry_update(request: HttpRequest, entry_id: int, payload: EntryPatch) -> Any:
    entry = access.get_entry_for_user(request.user, entry_id, write=True)
    services.entry_update(entry=entry, user=user_of(request), **payload.dict(exclude_unset=True))
    return _detail(entry)


@router.post(
    "/{int:entry_id}/honours", response={201: HonourDetailOut, **ERRORS}, summary="登记称号"
)
def registry_honour_add(request: HttpRequest, entry_id: int, payload: HonourIn) -> Any:
    entry = access.get_entry_for_user(request.user, entry_id, write=True)
    issuer = None
    if payload.issuer_id is not None:
        issuer = Organization.objects.filter(pk=payload.issuer_id, kind=OrgKind.OFFICE).first()
        if issuer is None:
            raise refused(
                "issuer_id", "命名机关应是平台中的文明办；平台外的机关请写在 issuer_name。"
            )
    data = payload.dict(exclude={"issuer_id"})
    with field_names({"issuer": "issuer_id"}):
        honour = services.honour_add(entry=entry, user=user_of(request), issuer=issuer, **data)
    return Status(201, _honour(honour))


@router.post(
    "/honours/{int:honour_id}/status",
    response={200: HonourDetailOut, **ERRORS},
    summary="变更称号状态（保留、限期整改、黄牌警告、期满；须有决定文件）",
)
def registry_honour_status(request: HttpRequest, honour_id: int, payload: StatusIn) -> Any:
    honour = access.get_honour_for_user(request.user, honour_id, write=True)
    services.honour_change_status(honour=honour, user=user_of(request), **payload.dict())
    return _honour(honour)


# --- revocations (摘牌) -------------------------------------------------------------------------


@revocation_router.get("", response=list[RevocationOut], summary="摘牌记录")
@paginate(PageNumberPagination, page_size=50)
def revocation_list(request: HttpRequest, entry: int | None = None) -> Any:
    qs = _revocations(request)
    return qs.filter(entry_id=entry) if entry is not None else qs


@revocation_router.post("", response={201: RevocationOut, **ERRORS}, summary="摘牌")
def revocation_create(request: HttpRequest, payload: RevocationIn) -> Any:
    honour = access.get_honour_for_user(request.user, payload.honour_id, write=True)
    event = None
    if payload.negative_event_id is not None:
        event = _negatives(request).filter(pk=payload.negative_event_id).first()
        if event is None:
            raise refused("negative_event_id", "请选择本单位在册的负面事项。")
    data = payload.dict(exclude={"honour_id", "negative_event_id"})
    with field_names(REVOKE_IDS):
        revocation = services.revoke(
            honour=honour, user=user_of(request), negative_event=event, **data
        )
    return Status(201, _revocations(request).get(pk=revocation.pk))


@revocation_router.get(
    "/{int:revocation_id}", response={200: RevocationOut, **ERRORS}, summary="摘牌记录详情"
)
def revocation_detail(request: HttpRequest, revocation_id: int) -> Any:
    return access.get_revocation_for_user(request.user, revocation_id)


# --- negative events (负面事项) ----------------------------------------------------------------


@negative_router.get("", response=list[NegativeEventOut], summary="负面事项")
@paginate(PageNumberPagination, page_size=50)
def negative_list(
    request: HttpRequest,
    entry: int | None = None,
    withdrawn: bool = Query(False, description="true 时也列出已撤回的"),
) -> Any:
    qs = _negatives(request, withdrawn=withdrawn)
    return qs.filter(entry_id=entry) if entry is not None else qs


@negative_router.post("", response={201: NegativeEventOut, **ERRORS}, summary="记录负面事项")
def negative_create(request: HttpRequest, payload: NegativeIn) -> Any:
    entry = access.get_entry_for_user(request.user, payload.entry_id, write=True)
    _choice(payload.source, NegativeSource.values, "source", "来源")
    user = user_of(request)
    event = services.negative_event_record(
        entry=entry,
        user=user,
        verified_by=user if payload.verified_on else None,
        **payload.dict(exclude={"entry_id"}),
    )
    return Status(201, _negatives(request).get(pk=event.pk))


@negative_router.post(
    "/{int:event_id}/withdraw",
    response={200: NegativeEventOut, **ERRORS},
    summary="撤回负面事项（须写明原因，记录保留）",
)
def negative_withdraw(request: HttpRequest, event_id: int, payload: WithdrawIn) -> Any:
    event = access.get_negative_event_for_user(request.user, event_id, write=True)
    services.negative_event_withdraw(event=event, user=user_of(request), reason=payload.reason)
    return _negatives(request).get(pk=event.pk)

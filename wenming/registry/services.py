"""Writes for the registry (文明单位名录) and its dynamic management (负面事项, 摘牌).

Keyword-only arguments; every refusal is a `ValidationError` keyed by form field with a
Chinese sentence that says what to fix, and a refused call changes nothing, in the database
or in storage: a decision document is inspected before anything is written, stored under our
own name inside the transaction, and removed again if the transaction fails. Access is
checked by the callers through `wenming.registry.access`; the rules here are about the data.
Every model saved here is captured by the trace (`wenming.registry.tracing`).

Status changes lock the honour's row and check the status it has under lock, so of two
people deciding on the same honour at once the second is told what happened first.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from wenming.core.uploads import display_name
from wenming.ledger.files import FileKind, UploadRefused, inspect_upload
from wenming.ledger.intake import Inspected, atomic_with_files
from wenming.orgs import services as org_services
from wenming.orgs.models import Organization, OrgKind
from wenming.registry.models import (
    DecisionFile,
    Honour,
    HonourEvent,
    HonourStatus,
    Level,
    NegativeEvent,
    NegativeSource,
    RegistryEntry,
    Revocation,
)

DOCUMENT_KINDS = {FileKind.PDF, FileKind.DOCUMENT, FileKind.PHOTO}
ENTRY_FIELDS = ("sector", "area", "staff_count", "info_admin_name", "info_admin_phone", "note")
# The statuses `honour_change_status` moves an honour to; 撤销 goes through `revoke`.
CHANGE_TARGETS = (
    HonourStatus.KEPT,
    HonourStatus.RECTIFY,
    HonourStatus.WARNED,
    HonourStatus.EXPIRED,
)
ENDED = (HonourStatus.REVOKED, HonourStatus.EXPIRED)
MAX_BAN_YEARS = 5
# A unit reports its own negative event within this many days of it happening; otherwise it
# counts as not self-reported in time (marked on the unit's page; scoring doubles deductions).
SELF_REPORT_DAYS = 7
FIRST_YEAR = 1980
NO_DOCUMENT = "请填写决定文件的文号或标题，例如“临文明办〔2026〕12号”。没有决定文件不能作出该决定。"


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: Any) -> str:
    return str(value or "").strip()


def _check_length(errors: dict[str, str], field: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = f"{label}不能超过{limit}个字，请精简后再保存。"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- decision documents ----------------------------------------------------------------------


def _inspect_document(upload: UploadedFile) -> Inspected:
    """Check a decision document before anything is stored: PDF, Word or an image."""
    name = display_name(upload.name or "")
    try:
        facts = inspect_upload(upload, name)
    except UploadRefused as refused:
        raise ValidationError({"document": refused.message}) from None
    if facts.kind not in DOCUMENT_KINDS:
        raise ValidationError(
            {
                "document": f"‘{name}’不能作为决定文件。"
                "请上传决定文件的PDF、Word文档，或扫描件、照片（JPG、PNG）。"
            }
        )
    return Inspected(upload, name, facts)


def _save_document(
    unit: Organization, user: User | None, checked: Inspected, stored: list[str]
) -> DecisionFile:
    record = DecisionFile(unit=unit, year=_today().year, uploaded_by=user)
    record.store(checked, stored)
    return record


def store_decision_file(
    *, unit: Organization, user: User | None, upload: UploadedFile
) -> DecisionFile:
    """Keep a decision document (命名决定, 复查结果通报, 摘牌决定...) of `unit`."""
    checked = _inspect_document(upload)
    return atomic_with_files(lambda stored: _save_document(unit, user, checked, stored))


# --- entries ---------------------------------------------------------------------------------


def _clean_entry_fields(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in ("sector", "area", "info_admin_name", "info_admin_phone", "note"):
        if name in fields:
            cleaned[name] = _text(fields[name])
    _check_length(errors, "sector", cleaned.get("sector", ""), "系统/行业", 40)
    _check_length(errors, "area", cleaned.get("area", ""), "区域", 40)
    _check_length(errors, "info_admin_name", cleaned.get("info_admin_name", ""), "信息管理员", 40)
    phone = cleaned.get("info_admin_phone", "")
    if not org_services.phone_is_valid(phone) or len(phone) > 20:
        errors["info_admin_phone"] = org_services.PHONE_ERROR
    if "staff_count" in fields:
        staff = fields["staff_count"]
        if staff in (None, ""):
            cleaned["staff_count"] = None
        else:
            try:
                cleaned["staff_count"] = int(staff)
            except (TypeError, ValueError):
                errors["staff_count"] = "职工人数请填写整数，例如 120。"
            else:
                if not 0 <= cleaned["staff_count"] <= 1_000_000:
                    errors["staff_count"] = "职工人数应在0到1000000之间。"
    _raise(errors)
    return cleaned


def _unit_to_register(
    office: Organization, unit: Organization | None, unit_name: str
) -> Organization:
    name = _text(unit_name)
    if unit is not None and name:
        raise ValidationError({"unit_name": "请选择已有单位，或填写新单位名称，二者只填一项。"})
    if unit is None and not name:
        raise ValidationError({"unit": "请选择要登记的单位，或填写新单位名称。"})
    if unit is None:
        try:
            return org_services.org_create(parent=office, kind=OrgKind.UNIT, name=name)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "name" in exc.error_dict:
                raise ValidationError({"unit_name": exc.error_dict["name"]}) from None
            raise ValidationError({"unit_name": exc.messages}) from None
    unit = Organization.objects.select_for_update().get(pk=unit.pk)
    if unit.kind != OrgKind.UNIT:
        raise ValidationError({"unit": f"“{unit.name}”不是单位，只有单位可以列入名录。"})
    if not unit.is_active:
        raise ValidationError({"unit": f"“{unit.name}”已停用，请先在组织机构中启用它。"})
    if not unit.path.startswith(office.path):
        raise ValidationError(
            {"unit": f"“{unit.name}”不在“{office.name}”的管辖范围内，不能列入本名录。"}
        )
    return unit


def entry_register(
    *,
    office: Organization,
    user: User | None,
    unit: Organization | None = None,
    unit_name: str = "",
    sector: str = "",
    area: str = "",
    staff_count: int | None = None,
    info_admin_name: str = "",
    info_admin_phone: str = "",
    note: str = "",
) -> RegistryEntry:
    """Put a unit in the office's registry; with `unit_name`, create the unit (no users)."""
    if office.kind != OrgKind.OFFICE or not office.is_active:
        raise ValidationError({"office": "请选择一个启用中的文明办。"})
    fields = _clean_entry_fields(
        {
            "sector": sector,
            "area": area,
            "staff_count": staff_count,
            "info_admin_name": info_admin_name,
            "info_admin_phone": info_admin_phone,
            "note": note,
        }
    )
    try:
        with transaction.atomic():
            target = _unit_to_register(office, unit, unit_name)
            existing = RegistryEntry.objects.select_for_update().filter(unit=target).first()
            if existing is not None and existing.removed_at is None:
                raise ValidationError({"unit": f"“{target.name}”已在名录中。"})
            if existing is not None:  # taken out earlier: put back, with the new facts
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.office = office
                existing.removed_at = None
                existing.save()
                return existing
            return RegistryEntry.objects.create(
                office=office, unit=target, created_by=user, **fields
            )
    except IntegrityError as exc:  # a concurrent registration won the race
        raise ValidationError({"unit": "该单位刚被其他人列入名录，请刷新后查看。"}) from exc


def entry_update(*, entry: RegistryEntry, user: User | None, **fields: Any) -> RegistryEntry:
    """Change an entry's facts: any of sector, area, staff_count, info_admin_name,
    info_admin_phone, note (those not given keep their value)."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_update() got unexpected fields: {sorted(unknown)}")
    cleaned = _clean_entry_fields(fields)
    with transaction.atomic():
        entry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.removed_at is not None:
            raise ValidationError("该单位已不在名录中，不能修改。")
        changed = [name for name, value in cleaned.items() if getattr(entry, name) != value]
        for name in changed:
            setattr(entry, name, cleaned[name])
        if changed:
            entry.save(update_fields=[*changed, "updated_at"])
        return entry


# --- honours ---------------------------------------------------------------------------------


def _clean_honour(
    *,
    title: str,
    level: str,
    year_named: Any,
    term_years: Any,
    issuer: Organization | None,
    issuer_name: str,
    batch: str,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {
        "title": _text(title),
        "level": _text(level),
        "issuer": issuer,
        "issuer_name": _text(issuer_name),
        "batch": _text(batch),
    }
    if not cleaned["title"]:
        errors["title"] = "请填写称号名称，例如“市级文明单位”。"
    _check_length(errors, "title", cleaned["title"], "称号名称", 40)
    if cleaned["level"] not in Level.values:
        errors["level"] = "请选择级别：县级、市级、省级或全国。"
    this_year = _today().year
    try:
        cleaned["year_named"] = int(year_named)
    except (TypeError, ValueError):
        errors["year_named"] = "请填写命名年度，例如 2023。"
    else:
        if not FIRST_YEAR <= cleaned["year_named"] <= this_year:
            errors["year_named"] = f"命名年度应在{FIRST_YEAR}年到{this_year}年之间。"
    try:
        cleaned["term_years"] = int(term_years)
    except (TypeError, ValueError):
        cleaned["term_years"] = 0
    if cleaned["term_years"] not in (2, 3, 5):
        errors["term_years"] = "有效期只能是2年、3年或5年。"
    if issuer is not None and issuer.kind != OrgKind.OFFICE:
        errors["issuer"] = "命名机关应是文明办，请重新选择，或在“命名机关（名称）”中填写。"
    _check_length(errors, "issuer_name", cleaned["issuer_name"], "命名机关名称", 60)
    _check_length(errors, "batch", cleaned["batch"], "批次", 40)
    _raise(errors)
    return cleaned


def _check_decision_date(
    errors: dict[str, str], field: str, day: datetime.date | None, label: str
) -> None:
    if day is None:
        errors[field] = f"请填写{label}。"
    elif day > _today():
        errors[field] = f"{label}不能晚于今天。"


def _check_duplicate(entry: RegistryEntry, fields: dict[str, Any]) -> None:
    """The same title at the same level named the same year is one honour."""
    twin = Honour.objects.live().filter(
        entry=entry, title=fields["title"], level=fields["level"], year_named=fields["year_named"]
    )
    if twin.exists():
        level_label = Level(fields["level"]).label
        raise ValidationError(
            {
                "title": f"“{entry.unit.name}”已登记过{fields['year_named']}年"
                f"{level_label}“{fields['title']}”称号，不能重复登记。"
            }
        )


def honour_add(
    *,
    entry: RegistryEntry,
    user: User | None,
    title: str,
    level: str,
    year_named: int,
    term_years: int = 3,
    issuer: Organization | None = None,
    issuer_name: str = "",
    batch: str = "",
    status: str = HonourStatus.NAMED,
    status_on: datetime.date | None = None,
    document_title: str = "",
    document: UploadedFile | None = None,
    reason: str = "",
) -> Honour:
    """Record an honour the unit holds or held, with its first status event.

    `status_on` defaults to the end of the year named (today, for an honour named this
    year) when the honour is 命名, otherwise to today. 撤销 is not a starting status: record the honour, then
    `revoke` it, so the revocation and its ban are kept too.
    """
    fields = _clean_honour(
        title=title,
        level=level,
        year_named=year_named,
        term_years=term_years,
        issuer=issuer,
        issuer_name=issuer_name,
        batch=batch,
    )
    errors: dict[str, str] = {}
    if status == HonourStatus.REVOKED:
        errors["status"] = "摘牌请使用摘牌功能：先登记该称号，再在称号下记录摘牌。"
    elif status not in HonourStatus.values:
        errors["status"] = "请选择称号状态。"
    if status_on is None:
        named_by = datetime.date(fields["year_named"], 12, 31)
        status_on = min(named_by, _today()) if status == HonourStatus.NAMED else _today()
    _check_decision_date(errors, "status_on", status_on, "状态变更日期")
    if "year_named" not in errors and status_on.year < fields["year_named"]:
        errors["status_on"] = "状态变更日期不能早于命名年度。"
    _check_length(errors, "document_title", _text(document_title), "决定文件文号/标题", 200)
    _raise(errors)
    checked = _inspect_document(document) if document is not None else None

    def work(stored: list[str]) -> Honour:
        locked = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.removed_at is not None:
            raise ValidationError("该单位已不在名录中，不能登记称号。")
        _check_duplicate(locked, fields)
        honour = Honour.objects.create(
            entry=locked, status=status, status_on=status_on, created_by=user, **fields
        )
        saved = _save_document(locked.unit, user, checked, stored) if checked else None
        HonourEvent.objects.create(
            honour=honour,
            actor=user,
            comment=_text(reason),
            from_status="",
            to_status=status,
            decided_on=status_on,
            document_title=_text(document_title),
            document=saved,
        )
        return honour

    return atomic_with_files(work)


def _check_change(
    honour: Honour, to_status: str, decided_on: datetime.date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if honour.removed_at is not None:
        raise ValidationError("该称号已删除，不能变更状态。")
    if honour.status in ENDED:
        raise ValidationError(
            f"该称号已{honour.get_status_display()}，不能再变更状态。如重新获得称号，请新增称号。"
        )
    if to_status == HonourStatus.REVOKED:
        errors["to_status"] = "摘牌请使用摘牌功能。"
    elif to_status not in CHANGE_TARGETS:
        errors["to_status"] = "请选择新的状态：保留、限期整改、黄牌警告或期满。"
    elif to_status == honour.status and to_status != HonourStatus.KEPT:
        # 保留 again is the next year's 复查 confirming the title: its history gains the
        # decision and its document. Any other status set twice is a mistake.
        errors["to_status"] = f"该称号当前已是“{honour.get_status_display()}”状态，无需重复变更。"
    _check_decision_date(errors, "decided_on", decided_on, "决定日期")
    if decided_on is not None and "decided_on" not in errors and decided_on < honour.status_on:
        errors["decided_on"] = (
            f"决定日期不能早于上一次状态变更日期（{honour.status_on:%Y-%m-%d}）。"
        )
    return errors


def honour_change_status(
    *,
    honour: Honour,
    user: User | None,
    to_status: str,
    decided_on: datetime.date | None,
    reason: str,
    document_title: str,
    document: UploadedFile | None = None,
    deadline: datetime.date | None = None,
) -> HonourEvent:
    """Decide 保留 (also again, when a yearly 复查 confirms a title already 保留), 限期整改
    (with a deadline), 黄牌警告 or 期满, on a decision document."""
    checked = _inspect_document(document) if document is not None else None

    def work(stored: list[str]) -> HonourEvent:
        locked = Honour.objects.select_for_update().select_related("entry__unit").get(pk=honour.pk)
        errors = _check_change(locked, to_status, decided_on)
        if to_status in (HonourStatus.RECTIFY, HonourStatus.WARNED) and not _text(reason):
            errors["reason"] = "请填写原因，单位将看到这段说明。"
        if not _text(document_title):
            errors["document_title"] = NO_DOCUMENT
        _check_length(errors, "document_title", _text(document_title), "决定文件文号/标题", 200)
        if to_status == HonourStatus.RECTIFY:
            if deadline is None:
                errors["deadline"] = "限期整改请填写整改期限。"
            elif decided_on is not None and deadline <= decided_on:
                errors["deadline"] = "整改期限应晚于决定日期。"
        _raise(errors)
        assert decided_on is not None
        from_status = locked.status
        locked.status = to_status
        locked.status_on = decided_on
        locked.save(update_fields=["status", "status_on"])
        saved = _save_document(locked.entry.unit, user, checked, stored) if checked else None
        return HonourEvent.objects.create(
            honour=locked,
            actor=user,
            comment=_text(reason),
            from_status=from_status,
            to_status=to_status,
            decided_on=decided_on,
            document_title=_text(document_title),
            document=saved,
            deadline=deadline if to_status == HonourStatus.RECTIFY else None,
        )

    return atomic_with_files(work)


# --- revocation (摘牌) ------------------------------------------------------------------------


def banned_until_for(decided_on: datetime.date, ban_years: int) -> datetime.date | None:
    """31 December of the year `ban_years` after the decision (0: no ban)."""
    return datetime.date(decided_on.year + ban_years, 12, 31) if ban_years else None


def _check_revoke(
    honour: Honour,
    *,
    decided_on: datetime.date | None,
    reason: str,
    document_title: str,
    ban_years: Any,
    negative_event: NegativeEvent | None,
) -> dict[str, str]:
    if honour.removed_at is not None:
        raise ValidationError("该称号已删除，不能摘牌。")
    if honour.status == HonourStatus.REVOKED or Revocation.objects.filter(honour=honour).exists():
        raise ValidationError("该称号已摘牌，不能重复摘牌。")
    if honour.status == HonourStatus.EXPIRED:
        raise ValidationError("该称号已期满，不能摘牌。")
    errors: dict[str, str] = {}
    _check_decision_date(errors, "decided_on", decided_on, "摘牌日期")
    if decided_on is not None and "decided_on" not in errors and decided_on < honour.status_on:
        errors["decided_on"] = (
            f"摘牌日期不能早于上一次状态变更日期（{honour.status_on:%Y-%m-%d}）。"
        )
    if not _text(reason):
        errors["reason"] = "请填写摘牌原因。"
    if not _text(document_title):
        errors["document_title"] = NO_DOCUMENT
    _check_length(errors, "document_title", _text(document_title), "决定文件文号/标题", 200)
    if not isinstance(ban_years, int) or not 0 <= ban_years <= MAX_BAN_YEARS:
        errors["ban_years"] = f"禁止申报年限应为0到{MAX_BAN_YEARS}年（0表示不禁止）。"
    if negative_event is not None and (
        negative_event.entry_id != honour.entry_id or negative_event.removed_at is not None
    ):
        errors["negative_event"] = "请选择本单位在册的负面事项。"
    return errors


def revoke(
    *,
    honour: Honour,
    user: User | None,
    decided_on: datetime.date | None,
    reason: str,
    document_title: str,
    document: UploadedFile | None = None,
    ban_years: int = 1,
    negative_event: NegativeEvent | None = None,
) -> Revocation:
    """摘牌: the honour becomes 撤销 and the unit may not apply until 31 December of the
    year `ban_years` after the decision."""
    checked = _inspect_document(document) if document is not None else None

    def work(stored: list[str]) -> Revocation:
        locked = Honour.objects.select_for_update().select_related("entry__unit").get(pk=honour.pk)
        event = (
            NegativeEvent.objects.select_for_update().get(pk=negative_event.pk)
            if negative_event is not None
            else None
        )
        _raise(
            _check_revoke(
                locked,
                decided_on=decided_on,
                reason=reason,
                document_title=document_title,
                ban_years=ban_years,
                negative_event=event,
            )
        )
        assert decided_on is not None
        from_status = locked.status
        locked.status = HonourStatus.REVOKED
        locked.status_on = decided_on
        locked.save(update_fields=["status", "status_on"])
        saved = _save_document(locked.entry.unit, user, checked, stored) if checked else None
        HonourEvent.objects.create(
            honour=locked,
            actor=user,
            comment=_text(reason),
            from_status=from_status,
            to_status=HonourStatus.REVOKED,
            decided_on=decided_on,
            document_title=_text(document_title),
            document=saved,
        )
        return Revocation.objects.create(
            entry_id=locked.entry_id,
            honour=locked,
            decided_on=decided_on,
            reason=_text(reason),
            document_title=_text(document_title),
            document=saved,
            banned_until=banned_until_for(decided_on, ban_years),
            negative_event=event,
            recorded_by=user,
        )

    return atomic_with_files(work)


def ban_for(entry: RegistryEntry, day: datetime.date) -> Revocation | None:
    """The revocation whose ban on applying covers `day` (the longest one), if any."""
    return (
        Revocation.objects.filter(entry=entry, decided_on__lte=day, banned_until__gte=day)
        .order_by("-banned_until", "-id")
        .first()
    )


# --- negative events (负面事项) ---------------------------------------------------------------


def veto_events(entry: RegistryEntry, since: datetime.date) -> QuerySet[NegativeEvent]:
    """Live 一票否决 events of the entry that happened on or after `since`."""
    return NegativeEvent.objects.live().filter(entry=entry, is_veto=True, occurred_on__gte=since)


def _check_negative(
    *,
    what: str,
    occurred_on: datetime.date | None,
    source: str,
    self_reported_on: datetime.date | None,
    verified_on: datetime.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _text(what):
        errors["what"] = "请填写负面事项的内容。"
    _check_length(errors, "what", _text(what), "事项", 200)
    _check_decision_date(errors, "occurred_on", occurred_on, "发生日期")
    if source not in NegativeSource.values:
        errors["source"] = "请选择来源：单位自报、上级通报、督查发现、群众举报、媒体曝光或其他。"
    today = _today()
    for field, day, label in (
        ("self_reported_on", self_reported_on, "单位报告日期"),
        ("verified_on", verified_on, "核实日期"),
    ):
        if day is None:
            continue
        if day > today:
            errors[field] = f"{label}不能晚于今天。"
        elif occurred_on is not None and day < occurred_on:
            errors[field] = f"{label}不能早于发生日期。"
    if source == NegativeSource.SELF and self_reported_on is None:
        errors.setdefault("self_reported_on", "来源为单位自报时，请填写单位报告日期。")
    return errors


def negative_event_record(
    *,
    entry: RegistryEntry,
    user: User | None,
    what: str,
    occurred_on: datetime.date | None,
    source: str,
    is_veto: bool = False,
    self_reported_on: datetime.date | None = None,
    verified_by: User | None = None,
    verified_on: datetime.date | None = None,
) -> NegativeEvent:
    _raise(
        _check_negative(
            what=what,
            occurred_on=occurred_on,
            source=source,
            self_reported_on=self_reported_on,
            verified_on=verified_on,
        )
    )
    assert occurred_on is not None
    with transaction.atomic():
        locked = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.removed_at is not None:
            raise ValidationError("该单位已不在名录中，不能记录负面事项。")
        return NegativeEvent.objects.create(
            entry=locked,
            what=_text(what),
            is_veto=bool(is_veto),
            occurred_on=occurred_on,
            self_reported_on=self_reported_on,
            source=source,
            verified_by=verified_by,
            verified_on=verified_on,
            recorded_by=user,
        )


def negative_event_withdraw(
    *, event: NegativeEvent, user: User | None, reason: str
) -> NegativeEvent:
    """Take a negative event out of force (recorded in error, overturned); it is kept."""
    if not _text(reason):
        raise ValidationError({"reason": "请填写撤回原因，例如“经核实不属实”。"})
    with transaction.atomic():
        locked = NegativeEvent.objects.select_for_update().get(pk=event.pk)
        if locked.removed_at is not None:
            raise ValidationError("该负面事项已撤回。")
        if Revocation.objects.filter(negative_event=locked).exists():
            raise ValidationError(
                "该负面事项是摘牌的依据，不能撤回。如摘牌决定有误，请联系上级文明办。"
            )
        locked.removed_at = timezone.now()
        locked.removed_reason = _text(reason)
        locked.save(update_fields=["removed_at", "removed_reason"])
        return locked

"""The registry's rules: each write and each refusal, with nothing half-saved."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.ledger.conftest import jpeg, upload
from tests.registry.conftest import docx_upload, pdf_upload, photo_upload
from wenming.orgs.models import Organization, OrgKind
from wenming.registry import services
from wenming.registry.models import (
    DecisionFile,
    Honour,
    HonourEvent,
    HonourStatus,
    NegativeEvent,
    RegistryEntry,
    Revocation,
)
from wenming.trace.models import Change

pytestmark = pytest.mark.usefixtures("fixed_today")
D = datetime.date


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict if hasattr(exc.value, "error_dict") else {"": exc.value.messages}


def _stored_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- entries ---------------------------------------------------------------------------------


def test_register_an_existing_unit_with_its_facts_traced(entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    assert entry.unit.code == "LZ-SCJG" and entry.office.code == "LZ-WMB"
    assert (entry.sector, entry.area, entry.staff_count) == ("市场监管", "市直", 420)
    change = Change.objects.get(kind="registry_entry", object_id=entry.pk, action="create")
    assert change.actor_id == office_admin.pk or change.actor_id is None


def test_register_a_new_unit_by_name_creates_it_without_users(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    entry = services.entry_register(
        office=demo["office"],
        user=office_admin,
        unit_name=" 临州市图书馆 ",
        info_admin_name="谭书",
        info_admin_phone="13800001111",
    )
    unit = entry.unit
    assert unit.name == "临州市图书馆" and unit.kind == OrgKind.UNIT
    assert unit.parent_id == demo["office"].pk and not unit.memberships.exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({}, "unit", "请选择要登记的单位"),
        ({"unit_name": "临州市图书馆", "unit": "court"}, "unit_name", "二者只填一项"),
        ({"unit": "other_unit"}, "unit", "不在“临州市文明办”的管辖范围内"),
        ({"unit": "food"}, "unit", "不是单位"),
        ({"unit_name": "临州市中级人民法院"}, "unit_name", "已有名为“临州市中级人民法院”的组织"),
        ({"unit": "court", "info_admin_phone": "电话123"}, "info_admin_phone", "联系电话"),
        ({"unit": "court", "staff_count": -3}, "staff_count", "0到1000000"),
    ],
)
def test_register_refusals_save_nothing(demo, office_admin, kwargs, field, words) -> None:  # type: ignore[no-untyped-def]
    kwargs = {k: demo[v] if k == "unit" else v for k, v in kwargs.items()}
    units = Organization.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.entry_register(office=demo["office"], user=office_admin, **kwargs)
    assert words in " ".join(_errors(exc)[field])
    assert RegistryEntry.objects.count() == 0 and Organization.objects.count() == units


def test_a_unit_is_in_one_registry_once(entry, demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        services.entry_register(office=demo["office"], user=office_admin, unit=demo["unit"])
    assert _errors(exc)["unit"] == ["“临州市市场监督管理局”已在名录中。"]


def test_update_changes_only_the_given_facts(entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    services.entry_update(entry=entry, user=office_admin, area="东城区", staff_count="")
    entry.refresh_from_db()
    assert (entry.area, entry.staff_count, entry.sector) == ("东城区", None, "市场监管")
    with pytest.raises(ValidationError) as exc:
        services.entry_update(entry=entry, user=office_admin, info_admin_phone="abc", area="X")
    assert "info_admin_phone" in _errors(exc)
    entry.refresh_from_db()
    assert entry.area == "东城区"
    with pytest.raises(TypeError):
        services.entry_update(entry=entry, user=office_admin, unit=None)


# --- honours ---------------------------------------------------------------------------------


def test_add_an_honour_records_its_first_event(honour, office_admin) -> None:  # type: ignore[no-untyped-def]
    assert honour.status == HonourStatus.NAMED and honour.is_held and honour.last_year == 2025
    event = honour.events.get()
    assert (event.from_status, event.to_status, event.decided_on) == ("", "named", D(2023, 12, 28))
    assert event.document_title == "临文明委〔2023〕9号" and event.actor == office_admin
    assert Change.objects.filter(kind="honour", object_id=honour.pk, action="create").exists()


def test_the_same_honour_twice_is_refused(honour, entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        services.honour_add(
            entry=entry, user=office_admin, title="市级文明单位", level="city", year_named=2023
        )
    assert "已登记过2023年市级“市级文明单位”称号" in _errors(exc)["title"][0]
    # Another year of the same title is another honour.
    services.honour_add(
        entry=entry, user=office_admin, title="市级文明单位", level="city", year_named=2020
    )
    assert entry.honours.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"level": "galactic"}, "level"),
        ({"year_named": 2027}, "year_named"),
        ({"year_named": "去年"}, "year_named"),
        ({"term_years": 4}, "term_years"),
        ({"status": "revoked"}, "status"),
        ({"status_on": D(2026, 7, 1)}, "status_on"),
        ({"status_on": D(2022, 12, 1)}, "status_on"),
        ({"issuer": "unit"}, "issuer"),
    ],
)
def test_honour_refusals(entry, demo, office_admin, changes, field) -> None:  # type: ignore[no-untyped-def]
    kwargs = {"title": "市级文明单位", "level": "city", "year_named": 2023, **changes}
    if kwargs.get("issuer") == "unit":
        kwargs["issuer"] = demo["unit"]
    with pytest.raises(ValidationError) as exc:
        services.honour_add(entry=entry, user=office_admin, **kwargs)
    assert field in _errors(exc)
    assert not Honour.objects.exists() and not HonourEvent.objects.exists()


def test_a_decision_document_is_kept_and_named_by_us(entry, office_admin, settings) -> None:  # type: ignore[no-untyped-def]
    honour = services.honour_add(
        entry=entry,
        user=office_admin,
        title="文明机关",
        level="city",
        year_named=2025,
        document_title="临文明委〔2025〕3号",
        document=pdf_upload("命名决定.pdf"),
    )
    doc = honour.events.get().document
    assert doc.original_name == "命名决定.pdf" and doc.kind == "pdf" and doc.unit == entry.unit
    assert "命名决定" not in doc.file.name and doc.file.name.startswith("registry/")
    assert len(_stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("决定.pdf", jpeg(), "决定.pdf"),  # a photo calling itself a PDF
        ("决定.docx", b"%PDF-1.4 not really", "决定.docx"),
        ("名单.xlsx", None, "不能作为决定文件"),
    ],
)
def test_a_document_that_lies_or_is_not_a_decision_is_refused(  # type: ignore[no-untyped-def]
    honour, office_admin, settings, name, data, words
) -> None:
    if data is None:
        import io

        from openpyxl import Workbook

        buf = io.BytesIO()
        Workbook().save(buf)
        data = buf.getvalue()
    with pytest.raises(ValidationError) as exc:
        services.honour_change_status(
            honour=honour,
            user=office_admin,
            to_status="kept",
            decided_on=D(2026, 6, 1),
            reason="",
            document_title="临文明办〔2026〕18号",
            document=upload(name, data),
        )
    assert words in _errors(exc)["document"][0]
    honour.refresh_from_db()
    assert honour.status == "named" and honour.events.count() == 1
    assert not DecisionFile.objects.exists() and _stored_files(settings) == []


def test_word_documents_and_scans_are_decision_documents(honour, office_admin) -> None:  # type: ignore[no-untyped-def]
    for upload_ in (docx_upload(), photo_upload()):
        services.store_decision_file(unit=honour.entry.unit, user=office_admin, upload=upload_)
    assert sorted(DecisionFile.objects.values_list("kind", flat=True)) == ["document", "photo"]


# --- status changes --------------------------------------------------------------------------


def _change(honour, user, **overrides):  # type: ignore[no-untyped-def]
    kwargs = {
        "to_status": "kept",
        "decided_on": D(2026, 6, 1),
        "reason": "复查合格",
        "document_title": "临文明办〔2026〕18号",
        **overrides,
    }
    return services.honour_change_status(honour=honour, user=user, **kwargs)


def test_keep_after_the_recheck_with_its_document(honour, office_admin) -> None:  # type: ignore[no-untyped-def]
    event = _change(honour, office_admin, document=pdf_upload())
    honour.refresh_from_db()
    assert (honour.status, honour.status_on) == ("kept", D(2026, 6, 1))
    assert (event.from_status, event.to_status, event.comment) == ("named", "kept", "复查合格")
    assert event.document is not None and event.document_title == "临文明办〔2026〕18号"
    assert Change.objects.filter(kind="honour", object_id=honour.pk, action="update").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"document_title": " "}, "document_title", "没有决定文件不能作出该决定"),
        ({"to_status": "revoked"}, "to_status", "摘牌请使用摘牌功能"),
        ({"to_status": "named"}, "to_status", "请选择新的状态"),
        ({"to_status": "rectify"}, "deadline", "限期整改请填写整改期限"),
        ({"to_status": "rectify", "deadline": D(2026, 6, 1)}, "deadline", "应晚于决定日期"),
        ({"to_status": "warned", "reason": ""}, "reason", "请填写原因"),
        ({"decided_on": D(2026, 6, 16)}, "decided_on", "不能晚于今天"),
        ({"decided_on": D(2023, 12, 1)}, "decided_on", "不能早于上一次状态变更日期"),
        ({"decided_on": None}, "decided_on", "请填写决定日期"),
    ],
)
def test_status_change_refusals_change_nothing(
    honour, office_admin, overrides, field, words
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        _change(honour, office_admin, **overrides)
    assert words in " ".join(_errors(exc)[field])
    honour.refresh_from_db()
    assert honour.status == "named" and honour.events.count() == 1


def test_rectify_keeps_its_deadline_and_the_same_status_twice_is_refused(
    honour, office_admin
) -> None:  # type: ignore[no-untyped-def]
    event = _change(
        honour, office_admin, to_status="rectify", deadline=D(2026, 9, 30), reason="得分偏低"
    )
    assert event.deadline == D(2026, 9, 30)
    with pytest.raises(ValidationError) as exc:
        _change(honour, office_admin, to_status="rectify", deadline=D(2026, 10, 30))
    assert "当前已是“限期整改”状态" in _errors(exc)["to_status"][0]


def test_an_ended_honour_cannot_change(honour, office_admin) -> None:  # type: ignore[no-untyped-def]
    _change(honour, office_admin, to_status="expired")
    with pytest.raises(ValidationError) as exc:
        _change(honour, office_admin, to_status="kept")
    assert "已期满，不能再变更状态" in exc.value.messages[0]
    with pytest.raises(ValidationError, match="已期满，不能摘牌"):
        services.revoke(
            honour=honour,
            user=office_admin,
            decided_on=D(2026, 6, 10),
            reason="x",
            document_title="y",
        )


# --- revocation and negative events ----------------------------------------------------------


def _veto(entry, user, **overrides):  # type: ignore[no-untyped-def]
    kwargs = {
        "what": "单位领导班子成员严重违纪被立案审查",
        "occurred_on": D(2026, 3, 2),
        "source": "superior",
        "is_veto": True,
        **overrides,
    }
    return services.negative_event_record(entry=entry, user=user, **kwargs)


def _revoke(honour, user, **overrides):  # type: ignore[no-untyped-def]
    kwargs = {
        "decided_on": D(2026, 4, 1),
        "reason": "发生一票否决事项",
        "document_title": "临文明委〔2026〕5号",
        **overrides,
    }
    return services.revoke(honour=honour, user=user, **kwargs)


def test_revocation_takes_the_title_and_bans_until_the_end_of_next_year(  # type: ignore[no-untyped-def]
    honour, entry, office_admin
) -> None:
    event = _veto(entry, office_admin)
    revocation = _revoke(honour, office_admin, negative_event=event, document=pdf_upload())
    honour.refresh_from_db()
    assert honour.status == "revoked" and not honour.is_held
    assert revocation.banned_until == D(2027, 12, 31) and revocation.negative_event == event
    last = honour.events.last()
    assert (last.from_status, last.to_status, last.document_id) == (
        "named",
        "revoked",
        revocation.document_id,
    )
    assert services.ban_for(entry, D(2026, 6, 15)) == revocation
    assert services.ban_for(entry, D(2027, 12, 31)) == revocation
    assert services.ban_for(entry, D(2028, 1, 1)) is None
    assert services.ban_for(entry, D(2026, 3, 31)) is None
    assert list(services.veto_events(entry, D(2026, 1, 1))) == [event]
    assert list(services.veto_events(entry, D(2026, 3, 3))) == []
    assert Change.objects.filter(kind="revocation", object_id=revocation.pk).exists()


def test_revocation_without_a_ban(honour, office_admin) -> None:  # type: ignore[no-untyped-def]
    assert _revoke(honour, office_admin, ban_years=0).banned_until is None
    assert services.ban_for(honour.entry, D(2026, 6, 15)) is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"document_title": ""}, "document_title"),
        ({"ban_years": 9}, "ban_years"),
        ({"decided_on": None}, "decided_on"),
        ({"decided_on": D(2026, 7, 1)}, "decided_on"),
    ],
)
def test_revocation_refusals_change_nothing(honour, office_admin, overrides, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        _revoke(honour, office_admin, **overrides)
    assert field in _errors(exc)
    honour.refresh_from_db()
    assert honour.status == "named" and not Revocation.objects.exists()


def test_one_revocation_per_honour_and_events_of_the_same_unit(  # type: ignore[no-untyped-def]
    honour, court_entry, office_admin
) -> None:
    elsewhere = _veto(court_entry, office_admin)
    with pytest.raises(ValidationError) as exc:
        _revoke(honour, office_admin, negative_event=elsewhere)
    assert "negative_event" in _errors(exc)
    _revoke(honour, office_admin)
    with pytest.raises(ValidationError, match="已摘牌"):
        _revoke(honour, office_admin)
    with pytest.raises(ValidationError, match="已撤销"):
        _change(honour, office_admin)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"what": ""}, "what"),
        ({"occurred_on": D(2026, 6, 16)}, "occurred_on"),
        ({"occurred_on": None}, "occurred_on"),
        ({"source": "rumour"}, "source"),
        ({"self_reported_on": D(2026, 3, 1)}, "self_reported_on"),
        ({"self_reported_on": D(2026, 6, 20)}, "self_reported_on"),
        ({"source": "self"}, "self_reported_on"),
        ({"verified_on": D(2026, 2, 1)}, "verified_on"),
    ],
)
def test_negative_event_refusals(entry, office_admin, overrides, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        _veto(entry, office_admin, **overrides)
    assert field in _errors(exc)
    assert not NegativeEvent.objects.exists()


def test_self_reported_in_time_or_not(entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    on_time = _veto(entry, office_admin, source="self", self_reported_on=D(2026, 3, 5))
    late = _veto(entry, office_admin, source="self", self_reported_on=D(2026, 3, 20))
    never = _veto(entry, office_admin, is_veto=False)
    days = services.SELF_REPORT_DAYS
    assert on_time.reported_in_time(days) and not late.reported_in_time(days)
    assert not never.reported_in_time(days) and never.recorded_by == office_admin


def test_withdrawing_keeps_the_event_with_its_reason(entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    event = _veto(entry, office_admin)
    with pytest.raises(ValidationError) as exc:
        services.negative_event_withdraw(event=event, user=office_admin, reason=" ")
    assert "reason" in _errors(exc)
    services.negative_event_withdraw(event=event, user=office_admin, reason="经核实不属实")
    event.refresh_from_db()
    assert event.removed_at is not None and event.removed_reason == "经核实不属实"
    assert list(services.veto_events(entry, D(2026, 1, 1))) == []
    with pytest.raises(ValidationError, match="已撤回"):
        services.negative_event_withdraw(event=event, user=office_admin, reason="again")


def test_the_ground_of_a_revocation_cannot_be_withdrawn(honour, entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    event = _veto(entry, office_admin)
    _revoke(honour, office_admin, negative_event=event)
    with pytest.raises(ValidationError, match="摘牌的依据"):
        services.negative_event_withdraw(event=event, user=office_admin, reason="撤销")


def test_the_status_date_defaults_to_when_the_honour_was_named(entry, office_admin) -> None:  # type: ignore[no-untyped-def]
    def add(year: int, status: str = "named") -> Honour:
        return services.honour_add(
            entry=entry,
            user=office_admin,
            title="文明机关",
            level="city",
            year_named=year,
            status=status,
        )

    assert add(2020).status_on == D(2020, 12, 31)
    assert add(2026).status_on == D(2026, 6, 15)
    assert add(2019, "expired").status_on == D(2026, 6, 15)
    assert add(2018).events.get().decided_on == D(2018, 12, 31)

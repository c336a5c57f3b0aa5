"""The application cycle's rules: batches, the window, the registry, duplicates, the summary
limit, the frozen ledger, every office step with its event, the quota at 公示 and at 命名,
vetoes, objections, and a naming that is all or nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.applications.conftest import BATCH, FORM, RULES, TODAY, travel

pytestmark = pytest.mark.django_db


def _kinds(application: Any) -> list[str]:
    return list(application.events.order_by("at", "id").values_list("kind", flat=True))


# --- batches -----------------------------------------------------------------------------------


def test_batch_create_keeps_the_rules_as_data(batch):
    assert batch.office.name == "临州市文明办"
    assert [(r.kind, r.level, r.years, r.number) for r in batch.rules.all()] == [
        ("holds_lower", "county", 2, None),
        ("min_staff", "", None, 30),
        ("no_veto", "", 2, None),
        ("not_banned", "", None, None),
        ("not_held", "", None, None),
    ]


def test_batch_create_refuses_bad_fields_and_rules(demo, office_admin):
    from wenming.applications import services
    from wenming.applications.models import Batch

    bad = {**BATCH, "closes_on": datetime.date(2026, 5, 1), "quota": None, "term_years": 4}
    with pytest.raises(ValidationError) as exc:
        services.batch_create(office=demo["office"], user=office_admin, rules=[], **bad)
    errors = exc.value.message_dict
    assert errors["closes_on"] == ["申报截止日期不能早于申报开始日期。"]
    assert errors["quota"] == ["请填写命名名额，例如 20。"]
    assert errors["term_years"] == ["有效期只能是2年、3年或5年。"]
    rules = [
        {"kind": "holds_lower", "level": "province", "years": 2},
        {"kind": "min_staff"},
        {"kind": "min_staff", "number": 3},
    ]
    with pytest.raises(ValidationError) as exc:
        services.batch_create(office=demo["office"], user=office_admin, rules=rules, **BATCH)
    assert exc.value.message_dict["rules"] == [
        "“连续保持下一级称号”要求的级别（省级）不能高于申报级别（市级）。",
        "请填写职工人数下限，例如 30。",
        "申报条件“职工人数下限”重复，每个批次只设一条。",
    ]
    assert not Batch.objects.exists()


def test_batch_update_replaces_rules_and_is_refused_once_named(
    batch, application, advance, name, office_admin
):
    from wenming.applications import services

    services.batch_update(batch=batch, user=office_admin, quota=5, rules=RULES[:2])
    batch.refresh_from_db()
    assert batch.quota == 5 and batch.rules.count() == 2
    advance(application, "publicized")
    name(batch, [application])
    with pytest.raises(ValidationError, match="该批次已命名，不能再修改。"):
        services.batch_update(batch=batch, user=office_admin, quota=9)


def test_batch_remove_is_refused_while_it_has_applications(
    batch, application, office_admin, coordinator
):
    from wenming.applications import services

    with pytest.raises(ValidationError, match="该批次已有1份申报，不能删除。"):
        services.batch_remove(batch=batch, user=office_admin)
    services.application_withdraw(application=application, user=coordinator, reason="材料准备不足")
    services.batch_remove(batch=batch, user=office_admin)
    batch.refresh_from_db()
    assert batch.removed_at is not None


# --- submitting --------------------------------------------------------------------------------


def test_submit_records_the_form_eligibility_and_an_event(application, coordinator):
    assert application.status == "submitted"
    assert application.created_by == coordinator
    assert application.summary == FORM["summary"]
    assert application.entry.unit_id == application.unit_id
    assert [r["ok"] for r in application.eligibility] == [True] * 5
    assert application.frozen_at is not None
    assert _kinds(application) == ["submitted"]


def test_submit_outside_the_window_is_refused(batch, entry, demo, coordinator):
    from wenming.applications import services

    with travel(datetime.date(2026, 7, 1)), pytest.raises(ValidationError) as exc:
        services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    assert exc.value.messages == ["申报时间为2026年6月1日至2026年6月30日，现在不能申报。"]


def test_submit_for_a_unit_outside_the_office_registry_is_refused(batch, demo, coordinator):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    assert exc.value.messages == [
        "“临州市市场监督管理局”不在“临州市文明办”的文明单位名录中，请先联系文明办登记后再申报。"
    ]


def test_a_second_application_to_the_same_batch_is_refused(application, batch, demo, coordinator):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    assert exc.value.messages == ["本单位已在该批次申报（当前状态：待初审），不能重复申报。"]
    services.application_withdraw(application=application, user=coordinator, reason="重新准备")
    again = services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    assert again.pk != application.pk


def test_a_summary_over_the_limit_is_refused(batch, entry, demo, coordinator):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            batch=batch, unit=demo["unit"], user=coordinator, **{**FORM, "summary": "创" * 3001}
        )
    assert exc.value.message_dict["summary"] == [
        "创建工作总结不能超过3000字（现为3001字），请精简后再提交。"
    ]


def test_the_form_is_checked_field_by_field(batch, entry, demo, coordinator):
    from wenming.applications import services

    form = {**FORM, "principal_name": "", "contact_phone": "电话", "staff_count": None}
    with pytest.raises(ValidationError) as exc:
        services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **form)
    errors = exc.value.message_dict
    assert errors["principal_name"] == ["请填写单位主要负责人。"]
    assert "联系电话只能包含数字" in errors["contact_phone"][0]
    assert errors["staff_count"] == ["请填写职工人数。"]


def test_submit_records_the_latest_finished_self_assessment(
    batch, entry, demo, coordinator, campaign
):
    from wenming.applications import services
    from wenming.scoring import services as scoring

    first = scoring.round_create(
        campaign=campaign, user=coordinator, kind="self", title="一季度自评", scored_on=TODAY
    )
    scoring.round_finish(round_=first, user=coordinator)
    scoring.round_create(
        campaign=campaign, user=coordinator, kind="self", title="未完成的自评", scored_on=TODAY
    )
    application = services.application_submit(
        batch=batch, unit=demo["unit"], user=coordinator, **FORM
    )
    assert application.self_round == first
    assert application.self_total == Decimal("0")


# --- the frozen ledger -------------------------------------------------------------------------


def test_the_snapshot_takes_live_submitted_or_approved_items_and_their_live_files(
    batch, entry, demo, coordinator, make_item, staff
):
    from wenming.applications import services
    from wenming.ledger import services as ledger

    kept = make_item(title="3月道德讲堂")
    approved = make_item(title="4月道德讲堂")
    ledger.item_approve(item=approved, user=coordinator)
    returned = make_item(title="5月道德讲堂")
    ledger.item_return(item=returned, user=coordinator, comment="照片不清晰")
    removed = make_item(title="6月道德讲堂")
    ledger.item_remove(item=removed, user=coordinator, reason="重复上传")
    kept.files.filter(original_name="活动方案.docx").update(removed_at=timezone.now())

    application = services.application_submit(
        batch=batch, unit=demo["unit"], user=coordinator, **FORM
    )
    frozen = {s.title: s for s in application.snapshot_items.prefetch_related("files")}
    assert set(frozen) == {"3月道德讲堂", "4月道德讲堂"}
    assert frozen["4月道德讲堂"].status == "approved"
    assert frozen["3月道德讲堂"].standard_ids == list(kept.standards.values_list("pk", flat=True))
    assert [f.original_name for f in frozen["3月道德讲堂"].files.all()] == ["讲堂现场.jpg"]
    assert frozen["3月道德讲堂"].department_name == "食品安全监管科"
    assert application.events.get().comment == "冻结台账2条。"


def test_a_later_edit_of_the_ledger_does_not_change_the_snapshot(
    batch, entry, demo, coordinator, make_item, staff
):
    from wenming.applications import services
    from wenming.ledger import services as ledger

    item = make_item(title="3月道德讲堂", summary="原来的活动情况")
    application = services.application_submit(
        batch=batch, unit=demo["unit"], user=coordinator, **FORM
    )
    ledger.item_update(item=item, user=staff, fields={"title": "改过的标题", "summary": "改过的"})
    ledger.item_remove(item=item, user=coordinator, reason="测试")
    frozen = application.snapshot_items.get()
    assert (frozen.title, frozen.summary) == ("3月道德讲堂", "原来的活动情况")
    assert frozen.files.count() == 2


def test_editing_a_frozen_submission_is_refused(application, coordinator):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.application_resubmit(
            application=application, user=coordinator, summary="悄悄改一下"
        )
    assert "申报材料提交后即冻结" in exc.value.messages[0]
    application.refresh_from_db()
    assert application.summary == FORM["summary"]


def test_freezing_3000_items_records_every_item_and_file(application, campaign, demo, staff):
    from wenming.applications.models import SnapshotFile
    from wenming.applications.services import freeze_snapshot
    from wenming.frameworks.models import Node
    from wenming.ledger.models import EvidenceFile, EvidenceItem

    standard = Node.objects.filter(framework=campaign.framework, is_leaf=True).first()
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            campaign=campaign,
            unit=demo["unit"],
            department=demo["food"],
            year=2026,
            title=f"台账{i}",
            status="approved",
        )
        for i in range(3000)
    )
    Link = EvidenceItem.standards.through
    Link.objects.bulk_create(Link(evidenceitem=i, node=standard) for i in items)
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            item=i,
            unit=demo["unit"],
            year=2026,
            original_name=f"照片{i.pk}.jpg",
            kind="photo",
            content_type="image/jpeg",
            extension="jpg",
            size=1000,
            sha256=f"{i.pk:064d}",
            file=f"evidence/x/{i.pk}.jpg",
        )
        for i in items
    )
    # How long it takes is measured in bench/bench_applications.py.
    assert freeze_snapshot(application) == 3000
    assert application.snapshot_items.count() == 3000
    assert SnapshotFile.objects.filter(snapshot_item__application=application).count() == 3000
    # Freezing again replaces the snapshot.
    assert freeze_snapshot(application) == 3000
    assert application.snapshot_items.count() == 3000


# --- the unit: return, resubmit, withdraw ------------------------------------------------------


def test_return_then_resubmit_by_the_deadline(application, office_admin, coordinator):
    from wenming.applications import services

    services.application_return(
        application=application,
        user=office_admin,
        comment="请补充志愿服务台账",
        deadline=datetime.date(2026, 6, 25),
    )
    assert application.status == "returned"
    assert (
        application.events.last().comment
        == "请补充志愿服务台账（请于2026年6月25日前补充后重新提交）"
    )
    services.application_resubmit(
        application=application, user=coordinator, summary="补充后的创建工作总结"
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.summary == "补充后的创建工作总结"
    assert _kinds(application) == ["submitted", "returned", "resubmitted"]


def test_return_needs_a_comment_and_a_deadline(application, office_admin):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.application_return(
            application=application, user=office_admin, comment="", deadline=None
        )
    assert set(exc.value.message_dict) == {"comment", "deadline"}


def test_resubmit_after_the_deadline_is_refused(application, office_admin, coordinator):
    from wenming.applications import services

    services.application_return(
        application=application,
        user=office_admin,
        comment="补充",
        deadline=datetime.date(2026, 6, 20),
    )
    with travel(datetime.date(2026, 6, 21)), pytest.raises(ValidationError) as exc:
        services.application_resubmit(application=application, user=coordinator)
    assert exc.value.messages == [
        "补充材料截止日期为2026年6月20日，已过期，不能再提交；请联系文明办。"
    ]


def test_withdraw_after_accept_is_refused(application, office_admin, coordinator):
    from wenming.applications import services

    services.application_accept(application=application, user=office_admin, comment="材料齐全")
    with pytest.raises(ValidationError) as exc:
        services.application_withdraw(application=application, user=coordinator, reason="不想报了")
    assert exc.value.messages == [
        "该申报当前为“初审通过”，不能撤回：初审通过后不能撤回，如有特殊情况请联系文明办。"
    ]


def test_withdraw_needs_a_reason_and_records_it(application, coordinator):
    from wenming.applications import services

    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, user=coordinator, reason=" ")
    services.application_withdraw(application=application, user=coordinator, reason="材料不全")
    assert application.status == "withdrawn"
    assert application.events.last().comment == "材料不全"


def test_a_step_checks_the_status_under_lock(application, office_admin):
    """A stale instance cannot act twice: the status is read again under the row lock."""
    from wenming.applications import services
    from wenming.applications.models import Application

    stale = Application.objects.get(pk=application.pk)
    services.application_accept(application=application, user=office_admin)
    with pytest.raises(ValidationError, match="该申报当前为“初审通过”，不能退回补充。"):
        services.application_return(
            application=stale, user=office_admin, comment="补充", deadline=TODAY
        )


def test_reject_needs_a_reason_at_any_open_step(application, advance, office_admin):
    from wenming.applications import services

    advance(application, "assessed")
    with pytest.raises(ValidationError):
        services.application_reject(application=application, user=office_admin, comment="")
    services.application_reject(application=application, user=office_admin, comment="得分未达标")
    assert application.status == "rejected"
    with pytest.raises(ValidationError, match="该申报当前为“未通过”"):
        services.application_reject(application=application, user=office_admin, comment="再次")


# --- 实地测评 ---------------------------------------------------------------------------------


def test_field_round_is_the_office_formal_round_and_gives_the_score(
    application, office_admin, campaign, coordinator
):
    from wenming.applications import services
    from wenming.applications.models import Batch
    from wenming.scoring import services as scoring

    Batch.objects.filter(pk=application.batch_id).update(framework=campaign.framework)
    services.application_accept(application=application, user=office_admin)
    with pytest.raises(ValidationError) as exc:
        services.field_round_open(
            application=application, user=office_admin, scored_on=TODAY, assessors=[coordinator]
        )
    assert exc.value.message_dict["assessors"] == ["李文静不是文明办的人员，不能担任测评人员。"]
    round_ = services.field_round_open(
        application=application, user=office_admin, scored_on=TODAY, assessors=[office_admin]
    )
    assert (round_.kind, round_.campaign, round_.unit) == ("formal", None, application.unit)
    assert list(application.assessors.all()) == [office_admin]
    with pytest.raises(ValidationError, match="尚未完成打分"):
        services.field_assessment_record(
            application=application, user=office_admin, survey_rate=None, survey_note=""
        )
    scoring.round_finish(round_=round_, user=office_admin)
    services.field_assessment_record(
        application=application,
        user=office_admin,
        survey_rate=Decimal("97"),
        survey_note="问卷100份",
        field_score=Decimal("99"),  # ignored: the round's total counts
    )
    assert application.status == "assessed"
    assert application.field_score == Decimal("0")
    assert _kinds(application) == ["submitted", "accepted", "round_opened", "assessed"]


def test_assessment_by_hand_needs_the_score(application, office_admin):
    from wenming.applications import services

    services.application_accept(application=application, user=office_admin)
    with pytest.raises(ValidationError) as exc:
        services.field_assessment_record(
            application=application, user=office_admin, survey_rate=Decimal("101"), survey_note=""
        )
    assert exc.value.message_dict == {"survey_rate": ["群众满意率应在0到100之间。"]}
    with pytest.raises(ValidationError) as exc:
        services.field_assessment_record(
            application=application, user=office_admin, survey_rate=None, survey_note=""
        )
    assert exc.value.message_dict == {"field_score": ["请填写实地测评得分。"]}


# --- 征求意见 ---------------------------------------------------------------------------------


def test_an_adverse_opinion_vetoes_the_application(application, advance, office_admin):
    from wenming.applications import services

    advance(application, "assessed")
    services.opinion_record(
        application=application,
        user=office_admin,
        body="petition",
        body_name="市信访局",
        adverse=True,
        content="该单位存在群众集体上访未化解。",
        received_on=TODAY,
    )
    application.refresh_from_db()
    assert application.status == "rejected"
    assert (
        application.events.last().comment == "征求意见时市信访局提出否决意见，按一票否决不予通过。"
    )


def test_consultation_needs_an_opinion(application, advance, office_admin):
    from wenming.applications import services

    advance(application, "assessed")
    with pytest.raises(ValidationError, match="请至少记录一个单位的意见后再完成征求意见。"):
        services.consultation_finish(application=application, user=office_admin)


# --- 公示 -------------------------------------------------------------------------------------


def test_publicity_runs_working_days_of_the_office_calendar(
    application, advance, demo, office_admin
):
    from wenming.orgs.calendar import calendar_day_add

    calendar_day_add(
        office=demo["office"],
        user=office_admin,
        day=datetime.date(2026, 6, 19),
        working=False,
        name="端午节",
    )
    advance(application, "publicized")
    assert application.publicity_starts_on == TODAY
    assert application.publicity_ends_on == datetime.date(2026, 6, 22)
    assert (
        application.events.last().comment == "公示期为2026年6月15日至2026年6月22日（5个工作日）。"
    )


def test_publicity_over_the_quota_is_refused(
    batch, application, court_application, advance, office_admin
):
    from wenming.applications import services

    services.batch_update(batch=batch, user=office_admin, quota=1)
    advance(application, "consulted")
    advance(court_application, "consulted")
    batch.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.publicity_start(
            batch=batch,
            user=office_admin,
            starts_on=TODAY,
            applications=[application, court_application],
        )
    assert exc.value.message_dict["applications"] == [
        "名额为1个，已命名0个、公示中0个，本次最多还能公示1个。"
    ]
    application.refresh_from_db()
    assert application.status == "consulted"


def test_publicity_takes_only_consulted_applications_of_the_batch(application, batch, office_admin):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.publicity_start(
            batch=batch, user=office_admin, starts_on=TODAY, applications=[application]
        )
    assert exc.value.message_dict["applications"] == [
        "临州市市场监督管理局（待初审）当前状态不能公示，只有“已征求意见”的申报可以。"
    ]


def test_an_objection_outside_the_period_is_refused(application, advance, office_admin):
    from wenming.applications import services

    advance(application, "publicized")
    with pytest.raises(ValidationError) as exc:
        services.objection_record(
            application=application,
            user=office_admin,
            received_on=datetime.date(2026, 6, 12),
            content="反映该单位窗口服务差",
        )
    assert exc.value.message_dict["received_on"] == [
        "异议须在公示期内（2026年6月15日至2026年6月19日）收到，该日期不在公示期内。"
    ]


def test_an_upheld_objection_rejects_the_application(application, advance, office_admin):
    from wenming.applications import services

    advance(application, "publicized")
    objection = services.objection_record(
        application=application, user=office_admin, received_on=TODAY, content="反映窗口服务差"
    )
    services.objection_answer(
        objection=objection,
        user=office_admin,
        answer="经核查属实",
        answered_on=TODAY,
        upheld=True,
    )
    application.refresh_from_db()
    assert application.status == "rejected"
    assert _kinds(application)[-3:] == ["objection", "answered", "rejected"]
    with pytest.raises(ValidationError):
        services.objection_answer(
            objection=objection, user=office_admin, answer="再答", answered_on=TODAY, upheld=False
        )


# --- 命名 -------------------------------------------------------------------------------------


def test_naming_adds_the_honour_to_the_registry(application, advance, name, batch, office_admin):
    from wenming.registry.models import HonourEvent

    advance(application, "publicized")
    [honour] = name(batch, [application])
    application.refresh_from_db()
    batch.refresh_from_db()
    assert application.status == "named" and application.honour == honour
    assert (honour.title, honour.level, honour.year_named, honour.term_years) == (
        "市级文明单位",
        "city",
        2026,
        3,
    )
    assert (honour.issuer, honour.batch, honour.status_on) == (
        batch.office,
        "第十批",
        datetime.date(2026, 6, 22),
    )
    assert HonourEvent.objects.get(honour=honour).document_title == "临文明委〔2026〕15号"
    assert (batch.named_on, batch.decision_title) == (
        datetime.date(2026, 6, 22),
        "临文明委〔2026〕15号",
    )
    assert _kinds(application) == [
        "submitted",
        "accepted",
        "assessed",
        "opinion",
        "consulted",
        "publicized",
        "named",
    ]


def test_naming_stores_the_decision_document_once(
    application, court_application, advance, name, batch
):
    from tests.registry.conftest import pdf_upload
    from wenming.registry.models import DecisionFile, HonourEvent

    advance(application, "publicized")
    advance(court_application, "publicized")
    honours = name(batch, [application, court_application], document=pdf_upload())
    stored = DecisionFile.objects.get()
    batch.refresh_from_db()
    assert batch.decision_document == stored
    assert {e.document_id for e in HonourEvent.objects.filter(honour__in=honours)} == {stored.pk}


def test_naming_before_the_period_ends_is_refused(application, advance, name, batch):
    advance(application, "publicized")
    with pytest.raises(ValidationError) as exc:
        name(batch, [application], named_on=datetime.date(2026, 6, 19))
    assert exc.value.message_dict["named_on"] == [
        "“临州市市场监督管理局”的公示期至2026年6月19日，公示期满后才能命名。"
    ]


def test_naming_without_a_decision_document_is_refused(application, advance, name, batch):
    from wenming.registry.services import NO_DOCUMENT

    advance(application, "publicized")
    with pytest.raises(ValidationError) as exc:
        name(batch, [application], decision_title=" ")
    assert exc.value.message_dict["decision_title"] == [NO_DOCUMENT]


def test_naming_over_the_quota_is_refused(
    batch, application, court_application, advance, name, office_admin
):
    from wenming.applications import services

    advance(application, "publicized")
    advance(court_application, "publicized")
    services.batch_update(batch=batch, user=office_admin, quota=1)
    batch.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        name(batch, [application, court_application])
    assert exc.value.message_dict["applications"] == ["名额为1个，已命名0个，本次最多还能命名1个。"]


def test_an_unanswered_objection_blocks_naming(application, advance, name, batch, office_admin):
    from wenming.applications import services

    advance(application, "publicized")
    services.objection_record(
        application=application, user=office_admin, received_on=TODAY, content="反映窗口服务差"
    )
    with pytest.raises(ValidationError) as exc:
        name(batch, [application])
    assert exc.value.message_dict["applications"] == [
        "“临州市市场监督管理局”有公示异议尚未答复，请先核查答复。"
    ]


def test_a_failed_naming_leaves_nothing(
    application, court_application, advance, name, batch, court_entry, office_admin, settings
):
    from pathlib import Path

    from tests.registry.conftest import pdf_upload
    from wenming.registry import services as registry
    from wenming.registry.models import DecisionFile, Honour

    advance(application, "publicized")
    advance(court_application, "publicized")
    # The court was named the same honour by hand meanwhile: its naming must fail.
    registry.honour_add(
        entry=court_entry,
        user=office_admin,
        title="市级文明单位",
        level="city",
        year_named=2026,
        status_on=TODAY,
    )
    before = Honour.objects.count()
    with pytest.raises(ValidationError) as exc:
        name(batch, [application, court_application], document=pdf_upload())
    assert "“临州市中级人民法院”不能命名" in exc.value.messages[0]
    assert Honour.objects.count() == before
    assert not DecisionFile.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file()]
    application.refresh_from_db()
    batch.refresh_from_db()
    assert application.status == "publicized" and application.honour is None
    assert batch.named_on is None


# --- queues ------------------------------------------------------------------------------------


def test_queue_counts_for_the_office(
    application, court_application, advance, office_admin, outsider_admin, coordinator
):
    from wenming.applications.services import queue_counts

    advance(court_application, "publicized")
    assert queue_counts(office_admin) == {
        "to_check": 1,
        "to_assess": 0,
        "to_consult": 0,
        "in_publicity": 1,
        "to_name": 0,
    }
    with travel(datetime.date(2026, 6, 22)):
        assert queue_counts(office_admin)["to_name"] == 1
    assert set(queue_counts(outsider_admin).values()) == {0}
    assert set(queue_counts(coordinator).values()) == {0}

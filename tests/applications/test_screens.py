"""The screens of 申报: the batch list, opening a batch, the batch page, the unit's 申报表 with
its eligibility, an application's page with the office's steps and the unit's, and the
navigation. Today is 2026-06-15 (tests/applications/conftest.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.conftest import BATCH, FORM, travel
from wenming.applications import services
from wenming.applications.models import Application, ApplicationStatus, Batch
from wenming.orgs.models import Membership, Organization, OrgKind, Role
from wenming.registry import services as registry_services
from wenming.registry.models import RegistryEntry

D = datetime.date
S = ApplicationStatus


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _html(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _batch_post(**overrides: Any) -> dict[str, Any]:
    data = {
        **BATCH,
        "materials": "申报表\n创建工作总结",
        "rule_holds_lower": "on",
        "holds_lower_level": "county",
        "holds_lower_years": 2,
        "rule_no_veto": "on",
        "no_veto_years": 3,
        "rule_not_banned": "on",
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the list --------------------------------------------------------------------------------


def test_office_list_shows_batches_and_the_new_button(batch, application, office_admin) -> None:  # type: ignore[no-untyped-def]
    html = _html(_client(office_admin).get(reverse("applications:index")))
    assert "2026年度市级文明单位申报" in html and "申报中" in html
    assert reverse("applications:batch_new") in html
    assert reverse("applications:batch", args=[batch.pk]) in html


def test_unit_list_offers_open_batches_and_shows_own_applications(  # type: ignore[no-untyped-def]
    batch, entry, coordinator, leader
) -> None:
    client = _client(coordinator)
    html = _html(client.get(reverse("applications:index")))
    assert "我要申报" in html and reverse("applications:apply", args=[batch.pk]) in html
    assert "本单位还没有申报" in html
    assert reverse("applications:batch_new") not in html
    # 单位领导 reads the batches but does not file.
    assert "我要申报" not in _html(_client(leader).get(reverse("applications:index")))
    services.application_submit(batch=batch, unit=entry.unit, user=coordinator, **FORM)
    html = _html(client.get(reverse("applications:index")))
    assert "待初审" in html and "等待文明办初审" in html and "已申报" in html
    assert "我要申报" not in html


def test_the_office_list_costs_the_same_for_2_or_20_batches(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)

    def make(n: int) -> None:
        for i in range(n):
            Batch.objects.create(office=demo["office"], **{**BATCH, "title": f"批次{i}"})

    def queries() -> int:
        client.get(reverse("applications:index"))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("applications:index")).status_code == 200
        return len(ctx.captured_queries)

    make(2)
    small = queries()
    make(18)
    assert queries() == small


def test_the_unit_list_costs_the_same_for_2_or_20_batches(demo, entry, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = _client(coordinator)

    def make(start: int, n: int) -> None:
        for i in range(start, start + n):
            made = Batch.objects.create(office=demo["office"], **{**BATCH, "title": f"批次{i}"})
            Application.objects.create(
                batch=made, entry=entry, unit=entry.unit, **{**FORM, "summary": "总结"}
            )

    def queries() -> int:
        client.get(reverse("applications:index"))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("applications:index")).status_code == 200
        return len(ctx.captured_queries)

    make(0, 2)
    small = queries()
    make(2, 18)
    assert queries() == small


# --- opening and editing a batch -------------------------------------------------------------


def test_office_opens_a_batch_with_rules(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    html = _html(client.get(reverse("applications:batch_new")))
    assert "连续保持下一级称号" in html and "职工人数下限" in html and "申报条件" in html
    response = client.post(reverse("applications:batch_new"), _batch_post())
    batch = Batch.objects.get(title=BATCH["title"])
    assert response.status_code == 302 and response.url == reverse(
        "applications:batch", args=[batch.pk]
    )
    rules = {r.kind: r for r in batch.rules.all()}
    assert set(rules) == {"holds_lower", "no_veto", "not_banned"}
    assert rules["holds_lower"].level == "county" and rules["holds_lower"].years == 2
    assert batch.office == demo["office"] and batch.quota == 2


def test_batch_form_errors_are_inline_and_in_chinese(demo, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    data = _batch_post(title="", closes_on="2026-05-01", holds_lower_years="", quota="x")
    html = _html(client.post(reverse("applications:batch_new"), data), 400)
    assert "请填写批次名称" in html
    assert "勾选了“连续保持下一级称号”，请填写连续年数。" in html
    assert "命名名额请填写整数" in html
    assert not Batch.objects.exists()
    # The service's refusal (window out of order) shows under its field.
    html = _html(
        client.post(reverse("applications:batch_new"), _batch_post(closes_on="2026-05-01")), 400
    )
    assert "申报截止日期不能早于申报开始日期。" in html and "is-invalid" in html
    assert not Batch.objects.exists()


def test_office_edits_a_batch_and_its_rules(batch, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    html = _html(client.get(reverse("applications:batch_edit", args=[batch.pk])))
    assert 'name="rule_min_staff" class="form-check-input" id="id_rule_min_staff" checked' in html
    response = client.post(
        reverse("applications:batch_edit", args=[batch.pk]),
        _batch_post(quota=5, rule_min_staff="on", min_staff_number=50),
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.quota == 5
    assert {r.kind: r.number for r in batch.rules.all()}["min_staff"] == 50


def test_unit_people_cannot_open_or_edit_batches(batch, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = _client(coordinator)
    assert client.get(reverse("applications:batch_new")).status_code == 403
    assert client.get(reverse("applications:batch_edit", args=[batch.pk])).status_code == 403


# --- the batch page --------------------------------------------------------------------------


def _fill(batch: Batch, start: int, count: int) -> None:
    """`count` applications in varied statuses, straight into the tables."""
    statuses = [S.SUBMITTED, S.ACCEPTED, S.ASSESSED, S.CONSULTED, S.PUBLICIZED, S.REJECTED]
    for n in range(start, start + count):
        unit = Organization.objects.create(
            kind=OrgKind.UNIT, parent=batch.office, name=f"申报单位{n:03d}"
        )
        entry = RegistryEntry.objects.create(office=batch.office, unit=unit)
        Application.objects.create(
            batch=batch,
            entry=entry,
            unit=unit,
            status=statuses[n % len(statuses)],
            eligibility=[{"kind": "not_banned", "label": "不在禁止期", "ok": True, "reason": ""}],
            **{**FORM, "summary": "总结"},
        )


def test_batch_page_counts_filters_and_quota(batch, application, advance, office_admin) -> None:  # type: ignore[no-untyped-def]
    _fill(batch, 1, 6)
    client = _client(office_admin)
    response = client.get(reverse("applications:batch", args=[batch.pk]))
    html = _html(response)
    counts = {c["value"]: c["count"] for c in response.context["counts"]}
    assert counts["submitted"] == 2 and counts["accepted"] == 1 and counts["named"] == 0
    assert "连续2年保持县级称号" in html and "申报表" in html
    assert 'id="quota-left">2<' in html
    assert "临州市市场监督管理局" in html and "申报单位001" in html
    html = _html(client.get(reverse("applications:batch", args=[batch.pk]), {"status": "accepted"}))
    assert "申报单位001" in html and "临州市市场监督管理局" not in html
    # Downloads for the office.
    for name in ("decision_docx", "publicity_docx", "list_xlsx"):
        assert reverse(f"applications:{name}", args=[batch.pk]) in html


def test_batch_page_costs_the_same_for_6_or_60_applications(batch, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    url = reverse("applications:batch", args=[batch.pk])

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
            assert client.get(url, {"status": "consulted"}).status_code == 200
        return len(ctx.captured_queries)

    _fill(batch, 1, 6)
    small = queries()
    _fill(batch, 7, 54)
    assert queries() == small
    assert small <= 60


def test_unit_people_see_the_batch_but_only_their_own_application(  # type: ignore[no-untyped-def]
    batch, application, court_application, leader
) -> None:
    html = _html(_client(leader).get(reverse("applications:batch", args=[batch.pk])))
    assert "临州市市场监督管理局" in html and "临州市中级人民法院" not in html
    assert "quota-left" not in html and "批次名单" not in html


# --- applying --------------------------------------------------------------------------------


def test_apply_shows_eligibility_first_and_submits(batch, entry, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = _client(coordinator)
    url = reverse("applications:apply", args=[batch.pk])
    html = _html(client.get(url))
    assert "申报条件核验" in html and "✓" in html and "✗" not in html
    assert 'data-limit="3000"' in html and "summary-count" in html
    assert "未提供自评" in html
    response = client.post(url, {**FORM, "unit": entry.unit_id})
    application = Application.objects.get(batch=batch, unit=entry.unit)
    assert response.status_code == 302
    assert response.url == reverse("applications:application", args=[application.pk])
    assert application.status == S.SUBMITTED and application.principal_name == "王建国"
    # A second visit goes to the application.
    assert client.get(url).url == reverse("applications:application", args=[application.pk])


def test_an_ineligible_unit_sees_the_reasons_and_no_form(
    batch, entry, office_admin, coordinator
) -> None:  # type: ignore[no-untyped-def]
    registry_services.negative_event_record(
        entry=entry,
        user=office_admin,
        what="发生重大安全生产责任事故",
        occurred_on=D(2025, 8, 1),
        source="superior",
        is_veto=True,
    )
    html = _html(_client(coordinator).get(reverse("applications:apply", args=[batch.pk])))
    assert "2025年发生一票否决事项，追溯期内不得申报" in html
    assert "不符合该批次的申报条件" in html
    assert 'name="summary"' not in html


def test_a_unit_not_in_the_registry_is_told_so(batch, demo, coordinator) -> None:  # type: ignore[no-untyped-def]
    html = _html(_client(coordinator).get(reverse("applications:apply", args=[batch.pk])))
    assert "尚未列入临州市文明办的文明单位名录" in html and 'name="summary"' not in html


def test_outside_the_window_the_form_is_not_offered(batch, entry, coordinator) -> None:  # type: ignore[no-untyped-def]
    with travel(D(2026, 7, 2)):
        html = _html(_client(coordinator).get(reverse("applications:apply", args=[batch.pk])))
    assert "申报时间为2026年6月1日至2026年6月30日，现在不能申报。" in html
    assert 'name="summary"' not in html


def test_apply_errors_are_inline(batch, entry, coordinator) -> None:  # type: ignore[no-untyped-def]
    batch.summary_limit = 100
    batch.save()
    client = _client(coordinator)
    data = {**FORM, "summary": "创" * 120, "contact_phone": "", "staff_count": "很多"}
    html = _html(client.post(reverse("applications:apply", args=[batch.pk]), data), 400)
    assert "请填写联系电话。" in html and "职工人数请填写整数" in html
    data = {**FORM, "summary": "创" * 120}
    html = _html(client.post(reverse("applications:apply", args=[batch.pk]), data), 400)
    assert "创建工作总结不能超过100字" in html
    assert not Application.objects.exists()


def test_too_few_staff_is_shown_on_the_staff_field(batch, entry, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = _client(coordinator)
    data = {**FORM, "staff_count": 10}
    html = _html(client.post(reverse("applications:apply", args=[batch.pk]), data), 400)
    assert "职工人数须不少于30人，本单位为10人" in html
    assert not Application.objects.exists()


def test_only_the_coordinator_applies(batch, entry, leader, office_admin, outsider_admin) -> None:  # type: ignore[no-untyped-def]
    url = reverse("applications:apply", args=[batch.pk])
    assert _client(leader).get(url).status_code == 403
    assert _client(office_admin).get(url).status_code == 403
    assert _client(outsider_admin).get(url).status_code == 404


# --- the application's page and the steps ---------------------------------------------------


def test_application_page_shows_facts_eligibility_and_timeline(application, coordinator) -> None:  # type: ignore[no-untyped-def]
    html = _html(
        _client(coordinator).get(reverse("applications:application", args=[application.pk]))
    )
    assert "王建国" in html and "420人" in html and "未提供自评" in html
    assert "连续2年保持县级称号" in html and "✓" in html
    assert "提交申报" in html and "等待文明办初审" in html
    assert reverse("applications:form_docx", args=[application.pk]) in html
    assert "撤回申报" in html and "初审通过" not in html


def test_office_steps_from_check_to_naming(application, office_admin, coordinator) -> None:  # type: ignore[no-untyped-def]
    office = _client(office_admin)
    page = reverse("applications:application", args=[application.pk])
    html = _html(office.get(page))
    assert "初审通过" in html and "退回补充" in html and "不予通过" in html
    assert (
        office.post(
            reverse("applications:accept", args=[application.pk]), {"comment": "材料齐全"}
        ).status_code
        == 302
    )
    html = _html(office.get(page))
    assert "录入测评结果" in html and "安排实地测评" in html and "周建华" in html
    response = office.post(
        reverse("applications:assessment", args=[application.pk]),
        {"survey_rate": "95.5", "survey_note": "问卷100份", "field_score": "92"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ASSESSED and application.field_score == Decimal("92")
    response = office.post(
        reverse("applications:opinion", args=[application.pk]),
        {
            "body": "discipline",
            "body_name": "市纪委监委",
            "received_on": "2026-06-15",
            "content": "无问题",
        },
    )
    assert response.status_code == 302
    assert office.post(reverse("applications:consulted", args=[application.pk])).status_code == 302
    application.refresh_from_db()
    assert application.status == S.CONSULTED
    batch_url = reverse("applications:batch", args=[application.batch_id])
    html = _html(office.get(batch_url))
    assert "开始公示" in html
    response = office.post(
        reverse("applications:publicity", args=[application.batch_id]),
        {"starts_on": "2026-06-15", "applications": [application.pk]},
        follow=True,
    )
    html = _html(response)
    assert "公示期2026年6月15日至2026年6月19日" in html
    # An objection recorded and answered (not upheld).
    office.post(
        reverse("applications:objection", args=[application.pk]),
        {"received_on": "2026-06-15", "content": "反映该单位窗口服务差"},
    )
    objection = application.objections.get()
    html = _html(office.get(page))
    assert "答复异议" in html and "待答复" in html
    office.post(
        reverse("applications:objection_answer", args=[objection.pk]),
        {"answer": "经核查不属实", "answered_on": "2026-06-15"},
    )
    with travel(D(2026, 6, 22)):
        office = _client(office_admin)  # a new session: the old one has expired by then
        response = office.post(
            reverse("applications:name", args=[application.batch_id]),
            {
                "named_on": "2026-06-22",
                "decision_title": "临文明委〔2026〕15号",
                "applications": [application.pk],
            },
        )
    assert response.status_code == 302, response.content.decode()
    assert response.url == batch_url
    application.refresh_from_db()
    assert application.status == S.NAMED and application.honour is not None
    # The unit sees every step and comment.
    with travel(D(2026, 6, 22)):
        html = _html(_client(coordinator).get(page))
    for text in (
        "初审通过",
        "材料齐全",
        "征求意见完成",
        "开始公示",
        "答复公示异议",
        "命名",
        "已命名为市级文明单位",
    ):
        assert text in html
    # What other bodies and the public said stays with the office; its own answer does not.
    assert "意见内容仅文明办可见" in html and "无问题" not in html
    assert "反映该单位窗口服务差" not in html and "经核查不属实" in html
    with travel(D(2026, 6, 22)):
        html = _html(_client(office_admin).get(page))
    assert "无问题" in html and "反映该单位窗口服务差" in html and "经核查不属实" in html


def test_naming_needs_a_decision_title(application, advance, office_admin) -> None:  # type: ignore[no-untyped-def]
    advance(application, "publicized")
    with travel(D(2026, 6, 22)):
        html = _html(
            _client(office_admin).post(
                reverse("applications:name", args=[application.batch_id]),
                {"named_on": "2026-06-22", "decision_title": "", "applications": [application.pk]},
            ),
            400,
        )
    assert "请填写命名决定的文号或标题" in html
    application.refresh_from_db()
    assert application.status == S.PUBLICIZED


def test_publicity_end_date_is_shown_before_starting(batch, office_admin) -> None:  # type: ignore[no-untyped-def]
    url = reverse("applications:publicity_end", args=[batch.pk])
    html = _html(_client(office_admin).get(url, {"starts_on": "2026-06-15"}))
    assert "2026年6月15日至2026年6月19日" in html and "5个工作日" in html
    assert "请选择" in _html(_client(office_admin).get(url, {"starts_on": "x"}))


def test_return_and_resubmit(application, office_admin, coordinator) -> None:  # type: ignore[no-untyped-def]
    office = _client(office_admin)
    html = _html(
        office.post(reverse("applications:return", args=[application.pk]), {"comment": ""}), 400
    )
    assert "请填写需要补充的内容" in html and "请填写补充截止日期" in html
    office.post(
        reverse("applications:return", args=[application.pk]),
        {"comment": "请补充志愿服务台账", "deadline": "2026-06-25"},
    )
    unit = _client(coordinator)
    page = reverse("applications:application", args=[application.pk])
    html = _html(unit.get(page))
    assert "请补充志愿服务台账" in html and "2026年6月25日" in html
    assert reverse("applications:resubmit", args=[application.pk]) in html
    url = reverse("applications:resubmit", args=[application.pk])
    html = _html(unit.get(url))
    assert "需要补充的内容" in html and "王建国" in html
    response = unit.post(url, {**FORM, "volunteer_count": 350})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.volunteer_count == 350


def test_the_unit_withdraws(application, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = _client(coordinator)
    url = reverse("applications:withdraw", args=[application.pk])
    assert "请填写撤回原因" in _html(client.post(url, {"reason": ""}), 400)
    assert client.post(url, {"reason": "材料准备不足"}).status_code == 302
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_reject_needs_a_reason(application, office_admin) -> None:  # type: ignore[no-untyped-def]
    client = _client(office_admin)
    url = reverse("applications:reject", args=[application.pk])
    assert "请填写不予通过的理由" in _html(client.post(url, {"comment": ""}), 400)
    assert client.post(url, {"comment": "创建工作不扎实"}).status_code == 302
    application.refresh_from_db()
    assert application.status == S.REJECTED


def test_field_round_by_office_people(application, campaign, office_admin) -> None:  # type: ignore[no-untyped-def]
    Batch.objects.filter(pk=application.batch_id).update(framework=campaign.framework)
    services.application_accept(application=application, user=office_admin)
    client = _client(office_admin)
    response = client.post(
        reverse("applications:field_round", args=[application.pk]),
        {"scored_on": "2026-06-18", "assessors": [office_admin.pk]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.field_round is not None
    html = _html(client.get(reverse("applications:application", args=[application.pk])))
    assert reverse("applications:field_sheet", args=[application.field_round_id]) in html
    assert "进入实地测评打分" in html
    assert 'name="field_score"' not in html


def test_the_frozen_ledger_is_grouped_by_standard_with_files(  # type: ignore[no-untyped-def]
    batch, entry, campaign, make_item, coordinator, outsider_admin
) -> None:
    item = make_item()
    application = services.application_submit(
        batch=batch, unit=entry.unit, user=coordinator, **FORM
    )
    client = _client(coordinator)
    html = _html(client.get(reverse("applications:application", args=[application.pk])))
    standard = item.standards.first()
    assert standard.code in html and "3月道德讲堂" in html and "讲堂现场.jpg" in html
    frozen = application.snapshot_items.get().files.order_by("position").first()
    response = client.get(reverse("applications:file", args=[frozen.pk]))
    assert response.status_code == 200
    assert (
        _client(outsider_admin).get(reverse("applications:file", args=[frozen.pk])).status_code
        == 404
    )


def test_application_page_costs_the_same_with_more_frozen_items(  # type: ignore[no-untyped-def]
    batch, entry, campaign, make_item, coordinator, office_admin
) -> None:
    make_item()
    application = services.application_submit(
        batch=batch, unit=entry.unit, user=coordinator, **FORM
    )
    client = _client(office_admin)
    url = reverse("applications:application", args=[application.pk])

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for n in range(4):
        make_item(title=f"第{n}次活动")
    services.freeze_snapshot(application)
    assert queries() == small


# --- navigation ------------------------------------------------------------------------------


def test_nav_keys(demo, office_admin, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    from wenming.applications.nav import nav

    assert nav(office_admin) == {"applications_office": True, "applications_unit": False}
    assert nav(coordinator) == {"applications_office": False, "applications_unit": True}
    assert nav(staff) == {"applications_office": False, "applications_unit": False}


def test_office_staff_read_but_do_not_decide(application, demo) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    clerk = User.objects.create_user("wmb_clerk", first_name="钱文")
    Membership.objects.create(user=clerk, organization=demo["office"], role=Role.OBSERVER)
    client = _client(clerk)
    html = _html(client.get(reverse("applications:application", args=[application.pk])))
    assert "王建国" in html and "初审通过</button>" not in html
    assert client.post(reverse("applications:accept", args=[application.pk])).status_code == 403


@pytest.mark.parametrize("status", ["submitted", "returned"])
def test_withdraw_is_offered_only_before_acceptance(
    application, coordinator, office_admin, status
) -> None:  # type: ignore[no-untyped-def]
    if status == "returned":
        services.application_return(
            application=application, user=office_admin, comment="补充", deadline=D(2026, 6, 25)
        )
    html = _html(
        _client(coordinator).get(reverse("applications:application", args=[application.pk]))
    )
    assert "撤回申报" in html
    services.application_reject(application=application, user=office_admin, comment="不予通过")
    html = _html(
        _client(coordinator).get(reverse("applications:application", args=[application.pk]))
    )
    assert "撤回申报" not in html

"""The 复查's rules and refusals, through its services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from tests.ledger.conftest import upload
from tests.rechecks.conftest import DUE, D, pdf_upload, photo_upload, submit, travel
from wenming.rechecks import services
from wenming.rechecks.models import (
    Decision,
    Recheck,
    RecheckReport,
    ReportEventKind,
    ReportFile,
    ReportStatus,
)
from wenming.registry import services as registry
from wenming.registry.models import DecisionFile, HonourEvent, HonourStatus, Revocation
from wenming.scoring.models import RoundKind, ScoringRound

pytestmark = pytest.mark.usefixtures("fixed_today")
AFTER_DUE = D(2026, 7, 5)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def _kinds(report: RecheckReport) -> list[str]:
    return list(report.events.order_by("id").values_list("kind", flat=True))


def _decide(report: RecheckReport, user, decision: str, **kwargs):  # type: ignore[no-untyped-def]
    fields = {
        "comment": "对照测评体系审核。",
        "decided_on": D(2026, 6, 15),
        "document_title": "临文明办〔2026〕18号",
    }
    fields.update(kwargs)
    return services.report_decide(report=report, user=user, decision=decision, **fields)


# --- opening ----------------------------------------------------------------------------------


def test_opening_makes_one_report_per_held_honour_the_office_named_before_the_year(
    demo, office_admin, honour, court_honour
):
    entry = honour.entry
    # Not re-checked: named by someone else, named this year, ended, or another office's.
    registry.honour_add(
        entry=entry, user=office_admin, title="省级文明单位", level="province", year_named=2022
    )
    registry.honour_add(
        entry=entry,
        user=office_admin,
        title="文明机关",
        level="city",
        year_named=2026,
        issuer=demo["office"],
    )
    ended = registry.honour_add(
        entry=entry,
        user=office_admin,
        title="文明单位标兵",
        level="city",
        year_named=2020,
        issuer=demo["office"],
    )
    registry.revoke(
        honour=ended,
        user=office_admin,
        decided_on=D(2026, 1, 5),
        reason="出现问题",
        document_title="临文明办〔2026〕1号",
    )
    recheck = services.recheck_open(
        office=demo["office"],
        user=office_admin,
        year=2026,
        title="2026年度文明单位复查",
        opens_on=D(2026, 5, 1),
        due_on=DUE,
    )
    reports = list(recheck.reports.order_by("id"))
    assert {r.honour_id for r in reports} == {honour.pk, court_honour.pk}
    assert all(r.status == ReportStatus.PENDING for r in reports)
    assert {r.entry_id for r in reports} == {honour.entry_id, court_honour.entry_id}


def test_one_recheck_per_office_and_year(demo, office_admin, recheck):
    with pytest.raises(ValidationError) as exc:
        services.recheck_open(
            office=demo["office"],
            user=office_admin,
            year=2026,
            title="重复",
            opens_on=D(2026, 5, 1),
            due_on=DUE,
        )
    assert "2026年度复查已经开启" in _messages(exc)


def test_opening_refuses_bad_input_and_an_office_without_holders(demo, office_admin):
    with pytest.raises(ValidationError) as exc:
        services.recheck_open(
            office=demo["office"],
            user=office_admin,
            year=2026,
            title="",
            opens_on=D(2026, 6, 1),
            due_on=D(2026, 5, 1),
        )
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.recheck_open(
            office=demo["office"],
            user=office_admin,
            year=2026,
            title="2026年度复查",
            opens_on=D(2026, 6, 1),
            due_on=D(2026, 5, 1),
        )
    assert exc.value.message_dict["due_on"] == ["自查报告截止日期不能早于开始日期。"]
    with pytest.raises(ValidationError) as exc:
        services.recheck_open(
            office=demo["office"],
            user=office_admin,
            year=2026,
            title="2026年度复查",
            opens_on=D(2026, 5, 1),
            due_on=DUE,
        )
    assert "无需开启复查" in exc.value.message_dict["year"][0]
    with pytest.raises(ValidationError):
        services.recheck_open(
            office=demo["unit"],
            user=office_admin,
            year=2026,
            title="x",
            opens_on=D(2026, 5, 1),
            due_on=DUE,
        )
    assert not Recheck.objects.exists()


def test_extending_the_deadline(recheck, office_admin):
    services.recheck_update(recheck=recheck, user=office_admin, due_on=D(2026, 7, 15))
    recheck.refresh_from_db()
    assert recheck.due_on == D(2026, 7, 15)
    with pytest.raises(ValidationError) as exc:
        services.recheck_update(recheck=recheck, user=office_admin, due_on=D(2026, 4, 1))
    assert "due_on" in exc.value.message_dict


# --- the holder's report ----------------------------------------------------------------------


def test_submitting_the_report_with_its_files(report, coordinator):
    submit(report, coordinator, "95.25", files=[pdf_upload("自查报告.pdf"), photo_upload()])
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.self_score == Decimal("95.25")
    assert report.submitted_by == coordinator
    files = list(report.files.all())
    assert [f.original_name for f in files] == ["自查报告.pdf", "盖章页.jpg"]
    assert all(default_storage.exists(f.file.name) for f in files)
    assert _kinds(report) == [ReportEventKind.SUBMITTED]
    assert "95.25" in report.events.get().comment


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("1000.01", "自评得分应在0到1000之间。"),
        ("-1", "自评得分应在0到1000之间。"),
        ("88.555", "自评得分最多保留两位小数。"),
        ("", "请填写自评得分"),
    ],
)
def test_self_score_within_0_and_1000(report, coordinator, score, message):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            report=report, user=coordinator, report_text="报告", self_score=score or None
        )
    assert exc.value.message_dict["self_score"][0].startswith(message)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_a_refused_file_changes_nothing(report, coordinator, settings):
    with pytest.raises(ValidationError) as exc:
        submit(
            report,
            coordinator,
            files=[pdf_upload(), upload("脚本.exe", b"MZ\x90\x00" + b"\x00" * 200)],
        )
    assert "files" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.report == ""
    assert not ReportFile.objects.exists()
    assert not report.events.exists()


def test_late_submission_is_refused_with_the_date(report, coordinator):
    with travel(AFTER_DUE), pytest.raises(ValidationError) as exc:
        submit(report, coordinator)
    assert "自查报告的截止日期是2026年6月30日，现已逾期，不能再提交" in _messages(exc)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    # On the deadline itself it is still on time.
    with travel(DUE):
        submit(report, coordinator)


def test_a_submitted_report_is_not_filed_twice(report, coordinator):
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        submit(report, coordinator)
    assert "不能重复提交" in _messages(exc)


def test_a_returned_report_is_filed_again_even_after_the_deadline(
    report, coordinator, office_admin
):
    submit(report, coordinator, "80")
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=report, user=office_admin, comment="")
    assert "comment" in exc.value.message_dict
    services.report_return(report=report, user=office_admin, comment="请补充志愿服务情况。")
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and services.is_returned(report)
    with travel(AFTER_DUE):
        report.refresh_from_db()
        assert not services.is_missed(report)
        submit(report, coordinator, "82", report_text="已补充志愿服务情况。")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.self_score == Decimal("82")
    assert _kinds(report) == ["submitted", "returned", "submitted"]
    assert report.events.get(kind="returned").comment == "请补充志愿服务情况。"


# --- review -----------------------------------------------------------------------------------


def test_scoring_keeps_the_years_score(report, coordinator, office_admin):
    with pytest.raises(ValidationError) as exc:
        services.report_score(report=report, user=office_admin, office_score=Decimal("90"))
    assert "提交后才能办理" in _messages(exc)
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.report_score(report=report, user=office_admin, office_score=Decimal("1200"))
    assert "office_score" in exc.value.message_dict
    services.report_score(
        report=report, user=office_admin, office_score=Decimal("91.5"), comment="材料齐全。"
    )
    report.refresh_from_db()
    assert report.office_score == Decimal("91.50")
    assert report.review_comment == "材料齐全。"
    assert services.yearly_scores(report.honour) == [(2026, Decimal("91.50"))]


def test_a_formal_round_needs_the_units_campaign(report, coordinator, office_admin, demo):
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.report_round_open(report=report, user=office_admin, scored_on=D(2026, 6, 20))
    assert "没有创建工作，无法安排正式测评" in exc.value.message_dict["scored_on"][0]
    assert not ScoringRound.objects.exists()


def test_a_formal_round_on_the_latest_campaign(report, coordinator, office_admin, campaign):
    submit(report, coordinator)
    round_ = services.report_round_open(report=report, user=office_admin, scored_on=D(2026, 6, 20))
    assert round_.campaign == campaign and round_.kind == RoundKind.FORMAL
    report.refresh_from_db()
    assert report.field_round == round_
    assert _kinds(report)[-1] == ReportEventKind.ROUND_OPENED
    with pytest.raises(ValidationError):
        services.report_round_open(report=report, user=office_admin, scored_on=D(2026, 6, 21))


# --- decisions --------------------------------------------------------------------------------


def test_a_decision_without_its_document_changes_nothing(report, coordinator, office_admin):
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.WARNED, document_title="  ", document=pdf_upload())
    assert exc.value.message_dict["document_title"] == [registry.NO_DOCUMENT]
    report.refresh_from_db()
    report.honour.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.decision == ""
    assert report.honour.status == HonourStatus.NAMED
    assert not DecisionFile.objects.exists()


def test_keeping_goes_to_the_registry_with_its_document(report, coordinator, office_admin):
    submit(report, coordinator)
    _decide(report, office_admin, Decision.KEPT, comment="", document=pdf_upload("通报.pdf"))
    report.refresh_from_db()
    honour = report.honour
    honour.refresh_from_db()
    assert report.status == ReportStatus.DECIDED and report.decision == Decision.KEPT
    assert honour.status == HonourStatus.KEPT
    event = report.honour_event
    assert event is not None and event.to_status == HonourStatus.KEPT
    assert event.document_title == "临文明办〔2026〕18号"
    assert event.document is not None and event.document.original_name == "通报.pdf"
    assert _kinds(report)[-1] == ReportEventKind.DECIDED
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.WARNED)
    assert "不能重复决定" in _messages(exc)


def test_keeping_an_honour_kept_last_year_adds_this_years_decision(
    report, coordinator, office_admin
):
    registry.honour_change_status(
        honour=report.honour,
        user=office_admin,
        to_status=HonourStatus.KEPT,
        decided_on=D(2025, 12, 20),
        reason="",
        document_title="临文明办〔2025〕18号",
    )
    submit(report, coordinator)
    _decide(report, office_admin, Decision.KEPT, comment="")
    event = HonourEvent.objects.filter(honour=report.honour).latest("id")
    assert (event.from_status, event.to_status) == (HonourStatus.KEPT, HonourStatus.KEPT)
    assert event.document_title == "临文明办〔2026〕18号"
    assert event.decided_on == D(2026, 6, 15)


def test_rectify_needs_its_deadline_which_the_honours_event_keeps(
    report, coordinator, office_admin
):
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.RECTIFY)
    assert exc.value.message_dict["rectify_deadline"] == ["限期整改请填写整改期限。"]
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.RECTIFY, rectify_deadline=D(2026, 6, 1))
    assert "整改期限应晚于决定日期" in exc.value.message_dict["rectify_deadline"][0]
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.RECTIFY, comment="", rectify_deadline=D(2026, 9, 30))
    assert "comment" in exc.value.message_dict
    _decide(report, office_admin, Decision.RECTIFY, rectify_deadline=D(2026, 9, 30))
    report.refresh_from_db()
    assert report.rectify_deadline == D(2026, 9, 30)
    assert report.honour_event.deadline == D(2026, 9, 30)
    assert report.honour_event.to_status == HonourStatus.RECTIFY
    assert "整改期限至2026年9月30日" in report.events.latest("id").comment


def test_warning(report, coordinator, office_admin):
    submit(report, coordinator)
    _decide(report, office_admin, Decision.WARNED, comment="志愿服务流于形式。")
    report.honour.refresh_from_db()
    assert report.honour.status == HonourStatus.WARNED


def test_revoking_bans_the_unit(report, coordinator, office_admin):
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.REVOKED, ban_years=9)
    assert "ban_years" in exc.value.message_dict
    _decide(report, office_admin, Decision.REVOKED, comment="发生一票否决事项。", ban_years=2)
    revocation = Revocation.objects.get(honour=report.honour)
    assert revocation.banned_until == D(2028, 12, 31)
    assert revocation.reason == "发生一票否决事项。"
    assert registry.ban_for(report.entry, D(2027, 3, 1)) == revocation
    report.refresh_from_db()
    assert report.decision == Decision.REVOKED
    assert report.honour_event.to_status == HonourStatus.REVOKED
    assert "禁止申报2年" in report.events.latest("id").comment


def test_a_pending_report_is_not_decided(report, office_admin):
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.KEPT)
    assert "尚未提交自查报告" in _messages(exc)


# --- follow-up of 限期整改 ---------------------------------------------------------------------


@pytest.fixture
def rectifying(report, coordinator, office_admin):  # type: ignore[no-untyped-def]
    submit(report, coordinator)
    _decide(report, office_admin, Decision.RECTIFY, rectify_deadline=D(2026, 9, 30))
    report.refresh_from_db()
    return report


def test_a_passed_follow_up_keeps_the_honour(rectifying, office_admin):
    report = rectifying
    with travel(D(2026, 10, 8)):
        with pytest.raises(ValidationError) as exc:
            services.report_follow_up(
                report=report,
                user=office_admin,
                passed=True,
                comment="整改到位。",
                followed_up_on=D(2026, 10, 8),
            )
        assert exc.value.message_dict["document_title"] == [registry.NO_DOCUMENT]
        services.report_follow_up(
            report=report,
            user=office_admin,
            passed=True,
            comment="整改到位。",
            followed_up_on=D(2026, 10, 8),
            document_title="临文明办〔2026〕30号",
        )
    report.refresh_from_db()
    report.honour.refresh_from_db()
    assert report.follow_up_passed is True and report.followed_up_on == D(2026, 10, 8)
    assert report.honour.status == HonourStatus.KEPT
    assert report.decision == Decision.RECTIFY
    assert _kinds(report)[-1] == ReportEventKind.FOLLOWED_UP
    with pytest.raises(ValidationError):
        services.report_follow_up(
            report=report,
            user=office_admin,
            passed=True,
            comment="x",
            followed_up_on=D(2026, 6, 15),
        )


def test_a_failed_follow_up_leads_to_a_new_decision(rectifying, office_admin):
    report = rectifying
    services.report_follow_up(
        report=report,
        user=office_admin,
        passed=False,
        comment="整改不到位。",
        followed_up_on=D(2026, 6, 15),
    )
    report.refresh_from_db()
    assert report.follow_up_passed is False
    assert report.honour.status == HonourStatus.RECTIFY
    with pytest.raises(ValidationError) as exc:
        _decide(report, office_admin, Decision.KEPT)
    assert "黄牌警告或撤销" in _messages(exc)
    _decide(report, office_admin, Decision.WARNED, comment="整改不到位，给予黄牌警告。")
    report.refresh_from_db()
    report.honour.refresh_from_db()
    assert report.decision == Decision.WARNED and report.honour.status == HonourStatus.WARNED


def test_follow_up_only_for_rectify(report, coordinator, office_admin):
    submit(report, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.report_follow_up(
            report=report,
            user=office_admin,
            passed=True,
            comment="x",
            followed_up_on=D(2026, 6, 15),
            document_title="临文明办〔2026〕30号",
        )
    assert "只有限期整改" in _messages(exc)


# --- missed reports ---------------------------------------------------------------------------


def test_missed_is_flagged_after_the_deadline_only(report):
    assert not services.is_missed(report, DUE)
    assert services.is_missed(report, AFTER_DUE)
    assert services.status_label(report, AFTER_DUE) == "逾期未报"


def test_confirming_a_missed_report_ends_the_title_without_a_ban(report, office_admin):
    with pytest.raises(ValidationError) as exc:
        services.report_confirm_missed(
            report=report,
            user=office_admin,
            decided_on=D(2026, 6, 15),
            document_title="临文明办〔2026〕20号",
        )
    assert "截止日期过后才能确认逾期未报" in _messages(exc)
    with travel(AFTER_DUE):
        report.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            services.report_confirm_missed(
                report=report, user=office_admin, decided_on=AFTER_DUE, document_title=""
            )
        assert exc.value.message_dict["document_title"] == [registry.NO_DOCUMENT]
        services.report_confirm_missed(
            report=report,
            user=office_admin,
            decided_on=AFTER_DUE,
            document_title="临文明办〔2026〕20号",
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.DECIDED and report.decision == Decision.ENDED
    revocation = Revocation.objects.get(honour=report.honour)
    assert revocation.reason == services.MISSED_REASON
    assert revocation.banned_until is None
    assert report.honour.status == HonourStatus.REVOKED
    assert _kinds(report) == [ReportEventKind.MISSED]


def test_a_filed_report_is_never_confirmed_missed(report, coordinator, office_admin):
    submit(report, coordinator)
    with travel(AFTER_DUE), pytest.raises(ValidationError) as exc:
        services.report_confirm_missed(
            report=report,
            user=office_admin,
            decided_on=AFTER_DUE,
            document_title="临文明办〔2026〕20号",
        )
    assert "不属于逾期未报" in _messages(exc)


# --- closing ------------------------------------------------------------------------------------


def test_closing_needs_every_decision_and_the_result_document(
    recheck, report, court_report, coordinator, office_admin
):
    with pytest.raises(ValidationError) as exc:
        services.recheck_close(
            recheck=recheck, user=office_admin, closed_on=D(2026, 6, 15), result_title=""
        )
    assert "result_title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.recheck_close(
            recheck=recheck,
            user=office_admin,
            closed_on=D(2026, 6, 15),
            result_title="临文明办〔2026〕18号",
        )
    assert "还有2家单位未作出复查结论（其中2家逾期未报或尚未提交）" in _messages(exc)
    submit(report, coordinator)
    _decide(report, office_admin, Decision.KEPT)
    with travel(AFTER_DUE):
        services.report_confirm_missed(
            report=court_report,
            user=office_admin,
            decided_on=AFTER_DUE,
            document_title="临文明办〔2026〕20号",
        )
        services.recheck_close(
            recheck=recheck,
            user=office_admin,
            closed_on=AFTER_DUE,
            result_title="临文明办〔2026〕21号",
            document=pdf_upload("结果通报.pdf"),
        )
    recheck.refresh_from_db()
    assert recheck.closed_on == AFTER_DUE and recheck.result_document is not None
    with pytest.raises(ValidationError):
        services.recheck_update(recheck=recheck, user=office_admin, due_on=D(2026, 8, 1))


# --- scores and the home's queues ---------------------------------------------------------------


def test_term_average_of_the_yearly_scores(demo, office_admin, honour, coordinator):
    office = demo["office"]
    for year, score in ((2024, "90"), (2025, "85.5")):
        with travel(D(year, 6, 1)):
            recheck = services.recheck_open(
                office=office,
                user=office_admin,
                year=year,
                title=f"{year}年度复查",
                opens_on=D(year, 5, 1),
                due_on=D(year, 6, 30),
            )
            report = recheck.reports.get(honour=honour)
            submit(report, coordinator)
            services.report_score(report=report, user=office_admin, office_score=Decimal(score))
    assert services.yearly_scores(honour) == [(2024, Decimal("90.00")), (2025, Decimal("85.50"))]
    assert services.term_average(honour) == Decimal("87.75")
    assert services.term_average(demo_honour_without_scores(honour, office_admin)) is None


def demo_honour_without_scores(honour, user):  # type: ignore[no-untyped-def]
    return registry.honour_add(
        entry=honour.entry, user=user, title="文明单位标兵", level="city", year_named=2024
    )


def test_queue_counts(demo, office_admin, recheck, report, court_report, coordinator, staff):
    assert services.queue_counts(office_admin) == {"due": 2, "missed": 0, "to_review": 0}
    submit(report, coordinator)
    assert services.queue_counts(office_admin) == {"due": 1, "missed": 0, "to_review": 1}
    with travel(AFTER_DUE):
        assert services.queue_counts(office_admin) == {"due": 0, "missed": 1, "to_review": 1}
    assert services.queue_counts(coordinator) == {"due": 0, "missed": 0, "to_review": 0}
    assert services.queue_counts(staff) == {"due": 0, "missed": 0, "to_review": 0}


def test_queue_counts_take_one_query(office_admin, recheck, django_assert_num_queries):
    from wenming.orgs.access import scope_for

    scope_for(office_admin)
    with django_assert_num_queries(1):
        services.queue_counts(office_admin)

"""Writes for the yearly 复查 (re-check of the honours an office named).

Keyword-only arguments; `user` is the actor. Every refusal is a `ValidationError` keyed by
form field with a Chinese sentence that says what to fix, and a refused call changes
nothing, in the database or in storage: files are inspected before anything is written,
stored inside the transaction and removed again if it fails. Access is checked by the callers
through `wenming.rechecks.access`; the rules here are about the data.

Decisions on an honour go through the registry's services (`honour_change_status`,
`revoke`), so the honour's history shows each decision and its document. Every step on a
report lock the report's row and check its state under lock, so of two people acting on the
same report at once the second is told what happened first; every step writes a
`ReportEvent` (with the office's comment) that the holder sees.

A report's life: 待提交 (pending) → 已提交 (submitted) → 已决定 (decided). Returning a report
puts it back to pending with its first submission time kept (shown as 退回修改): the holder
may file it again after the deadline, because the office asked for it. A report never filed
and still pending after the deadline is 逾期未报 (`is_missed`); its title ends only when the
office confirms (`report_confirm_missed`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Framework
from wenming.ledger.intake import atomic_with_files, inspect_all
from wenming.orgs.models import Organization, OrgKind
from wenming.rechecks.models import (
    Decision,
    Recheck,
    RecheckReport,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
)
from wenming.rechecks.scores import check_score
from wenming.rechecks.scores import term_average as term_average
from wenming.rechecks.scores import yearly_scores as yearly_scores
from wenming.rechecks.states import awaits_follow_up as awaits_follow_up
from wenming.rechecks.states import can_decide as can_decide
from wenming.rechecks.states import can_redecide as can_redecide
from wenming.rechecks.states import is_missed as is_missed
from wenming.rechecks.states import is_returned as is_returned
from wenming.rechecks.states import queue_counts as queue_counts
from wenming.rechecks.states import status_label as status_label
from wenming.rechecks.storage import inspect_document, save_document, save_files
from wenming.registry import services as registry
from wenming.registry.models import Honour, HonourEvent, HonourStatus
from wenming.scoring import services as scoring
from wenming.scoring.models import RoundKind, ScoringRound

RECHECK_FIELDS = ("title", "opens_on", "due_on", "framework", "average_counts", "note")
FIRST_YEAR = 2000
REPORT_LIMIT = 20000
COMMENT_LIMIT = 2000
MISSED_REASON = "逾期未报送复查材料"
NO_RESULT_TITLE = (
    "请填写复查结果通报的文号或标题，例如“临文明办〔2026〕20号”。没有结果通报不能结束复查。"
)
# The decisions `report_decide` takes; ENDED is `report_confirm_missed`'s.
DECISIONS = (Decision.KEPT, Decision.RECTIFY, Decision.WARNED, Decision.REVOKED)
TO_STATUS = {
    Decision.KEPT: HonourStatus.KEPT,
    Decision.RECTIFY: HonourStatus.RECTIFY,
    Decision.WARNED: HonourStatus.WARNED,
}
# The registry's keys, as the 复查 forms name the same fields.
REGISTRY_KEYS = {"reason": "comment", "deadline": "rectify_deadline", "to_status": "decision"}


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: Any) -> str:
    return str(value or "").strip()


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_length(errors: dict[str, str], field: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = f"{label}不能超过{limit}个字，请精简后再保存。"


def _check_day(
    errors: dict[str, str], field: str, day: datetime.date | None, label: str, *, past: bool
) -> None:
    if day is None:
        errors[field] = f"请填写{label}。"
    elif past and day > _today():
        errors[field] = f"{label}不能晚于今天。"


def fmt_day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _event(report: RecheckReport, user: User | None, kind: str, comment: str) -> ReportEvent:
    return ReportEvent.objects.create(report=report, actor=user, kind=kind, comment=comment)


def _lock(report: RecheckReport) -> RecheckReport:
    """The report's row, locked, with its 复查 (a live one) loaded."""
    locked = (
        RecheckReport.objects.select_for_update(of=("self",))
        .select_related("recheck__office", "honour", "entry__unit")
        .get(pk=report.pk)
    )
    if locked.recheck.removed_at is not None:
        raise ValidationError("该复查已删除。")
    return locked


def _open_lock(report: RecheckReport) -> RecheckReport:
    locked = _lock(report)
    if locked.recheck.closed_on is not None:
        raise ValidationError(
            f"{locked.recheck.title}已于{fmt_day(locked.recheck.closed_on)}结束，不能再办理。"
        )
    return locked


# --- opening and closing the year's 复查 --------------------------------------------------------


def _clean_recheck(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        cleaned["title"] = _text(fields["title"])
        if not cleaned["title"]:
            errors["title"] = "请填写复查名称，例如“2026年度文明单位复查”。"
        _check_length(errors, "title", cleaned["title"], "复查名称", 100)
    if "note" in fields:
        cleaned["note"] = _text(fields["note"])
        _check_length(errors, "note", cleaned["note"], "说明", COMMENT_LIMIT)
    if "average_counts" in fields:
        cleaned["average_counts"] = bool(fields["average_counts"])
    if "framework" in fields:
        framework = fields["framework"]
        if framework is not None and not isinstance(framework, Framework):
            errors["framework"] = "请选择测评体系。"
        cleaned["framework"] = framework
    for name, label in (("opens_on", "开始日期"), ("due_on", "自查报告截止日期")):
        if name in fields:
            cleaned[name] = fields[name]
            _check_day(errors, name, fields[name], label, past=False)
    _raise(errors)
    return cleaned


def _check_window(opens_on: datetime.date, due_on: datetime.date) -> None:
    if due_on < opens_on:
        raise ValidationError({"due_on": "自查报告截止日期不能早于开始日期。"})


def _check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请填写复查年度，例如 2026。"}) from None
    last = _today().year + 1
    if not FIRST_YEAR <= value <= last:
        raise ValidationError({"year": f"复查年度应在{FIRST_YEAR}年到{last}年之间。"})
    return value


def held_honours(office: Organization, year: int) -> Any:
    """Honours the office named before `year` that are still held: each is re-checked."""
    return Honour.objects.held().filter(
        issuer=office, year_named__lt=year, entry__removed_at__isnull=True
    )


def recheck_open(
    *,
    office: Organization,
    user: User | None,
    year: int,
    title: str,
    opens_on: datetime.date | None,
    due_on: datetime.date | None,
    framework: Framework | None = None,
    average_counts: bool = False,
    note: str = "",
) -> Recheck:
    """Open the year's 复查: one report per honour the office named before `year` and still
    held, made in bulk."""
    if office.kind != OrgKind.OFFICE or not office.is_active:
        raise ValidationError({"office": "请选择一个启用中的文明办。"})
    value = _check_year(year)
    fields = _clean_recheck(
        {
            "title": title,
            "opens_on": opens_on,
            "due_on": due_on,
            "framework": framework,
            "average_counts": average_counts,
            "note": note,
        }
    )
    _check_window(fields["opens_on"], fields["due_on"])
    try:
        with transaction.atomic():
            Organization.objects.select_for_update().get(pk=office.pk)
            if Recheck.objects.live().filter(office=office, year=value).exists():
                raise ValidationError({"year": f"“{office.name}”的{value}年度复查已经开启。"})
            honours = list(held_honours(office, value).values_list("pk", "entry_id"))
            if not honours:
                raise ValidationError(
                    {
                        "year": f"“{office.name}”命名的称号中，没有{value}年以前命名且仍在有效期内"
                        "的，无需开启复查。"
                    }
                )
            recheck = Recheck.objects.create(office=office, year=value, created_by=user, **fields)
            RecheckReport.objects.bulk_create(
                RecheckReport(recheck=recheck, honour_id=pk, entry_id=entry_id)
                for pk, entry_id in honours
            )
            return recheck
    except IntegrityError as exc:  # a concurrent opening won the race
        raise ValidationError({"year": f"{value}年度复查刚被其他人开启，请刷新后查看。"}) from exc


def recheck_update(*, recheck: Recheck, user: User | None, **fields: Any) -> Recheck:
    """Change the 复查's title, dates (e.g. extend the deadline), system, average rule or note."""
    unknown = set(fields) - set(RECHECK_FIELDS)
    if unknown:
        raise TypeError(f"recheck_update() got unexpected fields: {sorted(unknown)}")
    cleaned = _clean_recheck(fields)
    with transaction.atomic():
        locked = Recheck.objects.select_for_update().get(pk=recheck.pk)
        if locked.removed_at is not None:
            raise ValidationError("该复查已删除，不能修改。")
        if locked.closed_on is not None:
            raise ValidationError(f"{locked.title}已结束，不能再修改。")
        _check_window(
            cleaned.get("opens_on", locked.opens_on), cleaned.get("due_on", locked.due_on)
        )
        changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, cleaned[name])
        if changed:
            locked.save(update_fields=changed)
        return locked


def undecided_counts(recheck: Recheck) -> tuple[int, int]:
    """(reports without a decision, of them never filed): what keeps a 复查 open."""
    row = recheck.reports.exclude(status=ReportStatus.DECIDED).aggregate(
        open=Count("pk"), unfiled=Count("pk", filter=Q(submitted_at__isnull=True))
    )
    return row["open"], row["unfiled"]


def recheck_close(
    *,
    recheck: Recheck,
    user: User | None,
    closed_on: datetime.date | None,
    result_title: str,
    document: UploadedFile | None = None,
) -> Recheck:
    """结束复查 on its 复查结果通报, once every report has its decision."""
    errors: dict[str, str] = {}
    _check_day(errors, "closed_on", closed_on, "结束日期", past=True)
    if not _text(result_title):
        errors["result_title"] = NO_RESULT_TITLE
    _check_length(errors, "result_title", _text(result_title), "复查结果通报文号/标题", 200)
    _raise(errors)
    checked = inspect_document(document) if document is not None else None
    assert closed_on is not None

    def work(stored: list[str]) -> Recheck:
        locked = Recheck.objects.select_for_update().select_related("office").get(pk=recheck.pk)
        if locked.removed_at is not None:
            raise ValidationError("该复查已删除。")
        if locked.closed_on is not None:
            raise ValidationError(f"{locked.title}已于{fmt_day(locked.closed_on)}结束。")
        if closed_on < locked.opens_on:
            raise ValidationError({"closed_on": "结束日期不能早于复查开始日期。"})
        left, unfiled = undecided_counts(locked)
        if left:
            missing = f"（其中{unfiled}家逾期未报或尚未提交）" if unfiled else ""
            raise ValidationError(
                f"还有{left}家单位未作出复查结论{missing}。请先作出结论或确认逾期未报，再结束复查。"
            )
        locked.closed_on = closed_on
        locked.result_title = _text(result_title)
        if checked is not None:
            locked.result_document = save_document(locked.office, user, checked, stored)
        locked.save(update_fields=["closed_on", "result_title", "result_document"])
        return locked

    return atomic_with_files(work)


# --- the holder's report ----------------------------------------------------------------------


def report_submit(
    *,
    report: RecheckReport,
    user: User | None,
    report_text: str,
    self_score: Decimal | None,
    files: Sequence[UploadedFile] = (),
) -> RecheckReport:
    """The holder files its 年度自查报告 and self-score by the deadline (a returned report
    may be filed again after it)."""
    errors: dict[str, str] = {}
    text = _text(report_text)
    if not text:
        errors["report_text"] = "请填写年度自查报告。"
    _check_length(errors, "report_text", text, "年度自查报告", REPORT_LIMIT)
    score = check_score(errors, "self_score", self_score, "自评得分")
    _raise(errors)
    checked = inspect_all(list(files))

    def work(stored: list[str]) -> RecheckReport:
        locked = _open_lock(report)
        if locked.status == ReportStatus.SUBMITTED:
            raise ValidationError("自查报告已提交，正在等待文明办审核，不能重复提交。")
        if locked.status == ReportStatus.DECIDED:
            raise ValidationError("文明办已作出复查结论，不能再提交自查报告。")
        returned = is_returned(locked)
        due = locked.recheck.due_on
        if not returned and _today() > due:
            raise ValidationError(
                f"自查报告的截止日期是{fmt_day(due)}，现已逾期，不能再提交。"
                "如有特殊情况，请联系文明办。"
            )
        locked.report = text
        locked.self_score = score
        locked.status = ReportStatus.SUBMITTED
        if not returned:
            locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save()
        save_files(locked, user, checked, stored)
        note = "退回修改后重新提交" if returned else "提交年度自查报告"
        _event(locked, user, ReportEventKind.SUBMITTED, f"{note}，自评得分{score}分。")
        return locked

    return atomic_with_files(work)


# --- the office's review ----------------------------------------------------------------------


def _submitted_lock(report: RecheckReport) -> RecheckReport:
    locked = _open_lock(report)
    if locked.status == ReportStatus.DECIDED:
        raise ValidationError("已作出复查结论，不能再办理此项。")
    if locked.status != ReportStatus.SUBMITTED:
        raise ValidationError("该单位尚未提交（或正在修改）自查报告，提交后才能办理此项。")
    return locked


def report_return(*, report: RecheckReport, user: User | None, comment: str) -> RecheckReport:
    """退回修改: the holder files the report again (even after the deadline)."""
    text = _text(comment)
    errors: dict[str, str] = {}
    if not text:
        errors["comment"] = "请填写退回原因，单位将看到这段说明。"
    _check_length(errors, "comment", text, "退回原因", COMMENT_LIMIT)
    _raise(errors)
    with transaction.atomic():
        locked = _submitted_lock(report)
        locked.status = ReportStatus.PENDING
        locked.save(update_fields=["status", "updated_at"])
        _event(locked, user, ReportEventKind.RETURNED, text)
        return locked


def report_score(
    *, report: RecheckReport, user: User | None, office_score: Decimal | None, comment: str = ""
) -> RecheckReport:
    """The year's score the office gives the holder (kept per holder, averaged over a term)."""
    errors: dict[str, str] = {}
    score = check_score(errors, "office_score", office_score, "复查得分")
    text = _text(comment)
    _check_length(errors, "comment", text, "复查意见", COMMENT_LIMIT)
    _raise(errors)
    with transaction.atomic():
        locked = _submitted_lock(report)
        locked.office_score = score
        if text:
            locked.review_comment = text
        locked.save(update_fields=["office_score", "review_comment", "updated_at"])
        _event(locked, user, ReportEventKind.SCORED, f"复查得分{score}分。{text}".strip())
        return locked


def latest_campaign(unit: Organization) -> Campaign | None:
    """The unit's current campaign, else its latest one."""
    return Campaign.objects.filter(unit=unit).order_by("-is_active", "-cycle_start", "-id").first()


def report_round_open(
    *, report: RecheckReport, user: User, scored_on: datetime.date | None
) -> ScoringRound:
    """安排实地复查: a formal scoring round on the holder's latest campaign."""
    if scored_on is None:
        raise ValidationError({"scored_on": "请填写实地复查日期。"})
    with transaction.atomic():
        locked = _submitted_lock(report)
        if locked.field_round_id is not None:
            raise ValidationError("已为该单位安排实地复查，请在测评轮次中打分。")
        campaign = latest_campaign(locked.entry.unit)
        if campaign is None:
            raise ValidationError(
                {
                    "scored_on": f"“{locked.entry.unit.name}”在平台上没有创建工作，无法安排正式测评。"
                    "请实地复查后直接填写复查得分。"
                }
            )
        round_ = scoring.round_create(
            campaign=campaign,
            user=user,
            kind=RoundKind.FORMAL,
            title=f"{locked.recheck.year}年度复查实地测评",
            scored_on=scored_on,
        )
        locked.field_round = round_
        locked.save(update_fields=["field_round", "updated_at"])
        _event(
            locked,
            user,
            ReportEventKind.ROUND_OPENED,
            f"安排实地复查（正式测评），测评日期{fmt_day(scored_on)}。",
        )
        return round_


# --- decisions ----------------------------------------------------------------------------------


def _registry_call(fn: Any, **kwargs: Any) -> Any:
    """Call a registry service, naming its refusals as the 复查 forms name the fields."""
    try:
        return fn(**kwargs)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {REGISTRY_KEYS.get(key, key): value for key, value in exc.error_dict.items()}
        ) from None


def _check_decision(
    *,
    decision: str,
    comment: str,
    decided_on: datetime.date | None,
    document_title: str,
    rectify_deadline: datetime.date | None,
    ban_years: Any,
) -> None:
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = "请选择复查结论：保留、限期整改、黄牌警告或撤销。"
    if decision != Decision.KEPT and not comment:
        errors["comment"] = "请填写复查意见（原因），单位将看到这段说明。"
    _check_length(errors, "comment", comment, "复查意见", COMMENT_LIMIT)
    _check_day(errors, "decided_on", decided_on, "决定日期", past=True)
    if not document_title:
        errors["document_title"] = registry.NO_DOCUMENT
    _check_length(errors, "document_title", document_title, "决定文件文号/标题", 200)
    if decision == Decision.RECTIFY:
        if rectify_deadline is None:
            errors["rectify_deadline"] = "限期整改请填写整改期限。"
        elif decided_on is not None and rectify_deadline <= decided_on:
            errors["rectify_deadline"] = "整改期限应晚于决定日期。"
    if decision == Decision.REVOKED and (
        not isinstance(ban_years, int) or not 0 <= ban_years <= registry.MAX_BAN_YEARS
    ):
        errors["ban_years"] = f"禁止申报年限应为0到{registry.MAX_BAN_YEARS}年（0表示不禁止）。"
    _raise(errors)


def _apply_decision(
    report: RecheckReport,
    user: User | None,
    *,
    decision: str,
    decided_on: datetime.date,
    comment: str,
    document_title: str,
    document: UploadedFile | None,
    rectify_deadline: datetime.date | None,
    ban_years: int,
) -> HonourEvent:
    honour = report.honour
    if decision == Decision.REVOKED:
        revocation = _registry_call(
            registry.revoke,
            honour=honour,
            user=user,
            decided_on=decided_on,
            reason=comment,
            document_title=document_title,
            document=document,
            ban_years=ban_years,
        )
        return HonourEvent.objects.filter(
            honour_id=revocation.honour_id, to_status=HonourStatus.REVOKED
        ).latest("id")
    return _registry_call(
        registry.honour_change_status,
        honour=honour,
        user=user,
        to_status=TO_STATUS[Decision(decision)],
        decided_on=decided_on,
        reason=comment or f"{report.recheck.year}年度复查：{Decision(decision).label}",
        document_title=document_title,
        document=document,
        deadline=rectify_deadline if decision == Decision.RECTIFY else None,
    )


def _decision_note(decision: str, comment: str, deadline: Any, ban_years: int) -> str:
    parts = [f"复查结论：{Decision(decision).label}。"]
    if decision == Decision.RECTIFY and deadline is not None:
        parts.append(f"整改期限至{fmt_day(deadline)}。")
    if decision == Decision.REVOKED:
        parts.append(f"禁止申报{ban_years}年。" if ban_years else "不限制再次申报。")
    if comment:
        parts.append(comment)
    return "".join(parts)


def report_decide(
    *,
    report: RecheckReport,
    user: User | None,
    decision: str,
    comment: str,
    decided_on: datetime.date | None,
    document_title: str,
    document: UploadedFile | None = None,
    rectify_deadline: datetime.date | None = None,
    ban_years: int = 1,
) -> RecheckReport:
    """保留, 限期整改 (with its deadline), 黄牌警告 (the registry's status change) or 撤销 (the
    registry's revocation, with its ban), on a decision document."""
    comment, document_title = _text(comment), _text(document_title)
    _check_decision(
        decision=decision,
        comment=comment,
        decided_on=decided_on,
        document_title=document_title,
        rectify_deadline=rectify_deadline,
        ban_years=ban_years,
    )
    assert decided_on is not None

    def work(stored: list[str]) -> RecheckReport:
        locked = _lock(report)
        if not can_decide(locked):
            raise ValidationError(_not_decidable(locked))
        if locked.status == ReportStatus.DECIDED and decision not in (
            Decision.WARNED,
            Decision.REVOKED,
        ):
            raise ValidationError({"decision": "整改复核未通过的，请作出黄牌警告或撤销的结论。"})
        if locked.recheck.closed_on is not None and locked.status != ReportStatus.DECIDED:
            raise ValidationError(f"{locked.recheck.title}已结束，不能再作出结论。")
        event = _apply_decision(
            locked,
            user,
            decision=decision,
            decided_on=decided_on,
            comment=comment,
            document_title=document_title,
            document=document,
            rectify_deadline=rectify_deadline,
            ban_years=ban_years,
        )
        _record_decision(locked, user, decision, event, rectify_deadline, comment)
        note = _decision_note(decision, comment, rectify_deadline, ban_years)
        _event(locked, user, ReportEventKind.DECIDED, f"{note}（{document_title}）")
        return locked

    return atomic_with_files(work)


def _not_decidable(report: RecheckReport) -> str:
    if report.status == ReportStatus.DECIDED:
        return f"已作出复查结论（{report.get_decision_display()}），不能重复决定。"
    return "该单位尚未提交自查报告，不能作出复查结论。逾期未报的，请在截止日期后确认逾期未报。"


def _record_decision(
    report: RecheckReport,
    user: User | None,
    decision: str,
    event: HonourEvent,
    rectify_deadline: datetime.date | None,
    comment: str,
) -> None:
    report.status = ReportStatus.DECIDED
    report.decision = decision
    report.rectify_deadline = rectify_deadline if decision == Decision.RECTIFY else None
    if decision == Decision.RECTIFY:
        report.follow_up_passed = None
        report.followed_up_on = None
        report.follow_up_comment = ""
    if comment:
        report.review_comment = comment
    report.decided_at = timezone.now()
    report.decided_by = user
    report.honour_event = event
    report.save()


def report_follow_up(
    *,
    report: RecheckReport,
    user: User | None,
    passed: bool,
    comment: str,
    followed_up_on: datetime.date | None,
    document_title: str = "",
) -> RecheckReport:
    """整改复核 of a 限期整改: passed → the honour is 保留 again (on a document); not passed →
    the office decides 黄牌警告 or 撤销 next."""
    comment, document_title = _text(comment), _text(document_title)
    errors: dict[str, str] = {}
    if not comment:
        errors["comment"] = "请填写整改复核意见，单位将看到这段说明。"
    _check_length(errors, "comment", comment, "整改复核意见", COMMENT_LIMIT)
    _check_day(errors, "followed_up_on", followed_up_on, "复核日期", past=True)
    if passed and not document_title:
        errors["document_title"] = registry.NO_DOCUMENT
    _check_length(errors, "document_title", document_title, "决定文件文号/标题", 200)
    _raise(errors)
    assert followed_up_on is not None
    with transaction.atomic():
        locked = _lock(report)
        if not awaits_follow_up(locked):
            raise ValidationError("只有限期整改且尚未复核的，才能进行整改复核。")
        decided = locked.honour_event
        if decided is not None and followed_up_on < decided.decided_on:
            raise ValidationError(
                {"followed_up_on": f"复核日期不能早于限期整改的决定日期（{decided.decided_on}）。"}
            )
        if passed:
            locked.honour_event = _registry_call(
                registry.honour_change_status,
                honour=locked.honour,
                user=user,
                to_status=HonourStatus.KEPT,
                decided_on=followed_up_on,
                reason=f"整改复核通过：{comment}",
                document_title=document_title,
            )
        locked.follow_up_passed = bool(passed)
        locked.followed_up_on = followed_up_on
        locked.follow_up_comment = comment
        locked.save()
        result = "整改复核通过，称号保留。" if passed else "整改复核未通过，文明办将另行作出结论。"
        _event(locked, user, ReportEventKind.FOLLOWED_UP, f"{result}{comment}")
        return locked


def report_confirm_missed(
    *,
    report: RecheckReport,
    user: User | None,
    decided_on: datetime.date | None,
    document_title: str,
    document: UploadedFile | None = None,
) -> RecheckReport:
    """逾期未报: after the deadline, the office confirms the end of the title (摘牌 without a
    ban on applying again)."""
    document_title = _text(document_title)
    errors: dict[str, str] = {}
    _check_day(errors, "decided_on", decided_on, "决定日期", past=True)
    if not document_title:
        errors["document_title"] = registry.NO_DOCUMENT
    _check_length(errors, "document_title", document_title, "决定文件文号/标题", 200)
    _raise(errors)
    assert decided_on is not None

    def work(stored: list[str]) -> RecheckReport:
        locked = _open_lock(report)
        due = locked.recheck.due_on
        if locked.status != ReportStatus.PENDING or locked.submitted_at is not None:
            raise ValidationError("该单位已提交自查报告，不属于逾期未报。")
        if not is_missed(locked) or decided_on <= due:
            raise ValidationError(
                {
                    "decided_on": f"自查报告的截止日期是{fmt_day(due)}，"
                    "截止日期过后才能确认逾期未报。"
                }
            )
        _registry_call(
            registry.revoke,
            honour=locked.honour,
            user=user,
            decided_on=decided_on,
            reason=MISSED_REASON,
            document_title=document_title,
            document=document,
            ban_years=0,
        )
        event = HonourEvent.objects.filter(
            honour_id=locked.honour_id, to_status=HonourStatus.REVOKED
        ).latest("id")
        _record_decision(locked, user, Decision.ENDED, event, None, MISSED_REASON)
        _event(
            locked,
            user,
            ReportEventKind.MISSED,
            f"逾期未报送复查材料，称号终止（{document_title}）。",
        )
        return locked

    return atomic_with_files(work)

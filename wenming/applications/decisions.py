"""The office's decisions on applications after 初审: 实地测评, 征求意见, 公示 with its
objections, and 命名 into the registry.

Same conventions as `services` (which re-exports everything here): keyword-only, `user` is
the actor, refusals are `ValidationError`s in Chinese, every step adds an `ApplicationEvent`,
status changes lock the application's row and check its status under lock. 公示 and 命名
lock the batch's row too and count the quota under that lock; 命名 is all or nothing, the
decision document included.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q

from wenming.applications.checks import (
    S,
    add_event,
    check_length,
    date_words,
    decimal_in,
    lock,
    lock_batch,
    named_count,
    raise_errors,
    refresh,
    reject,
    round_total,
    text,
    today,
)
from wenming.applications.models import (
    Application,
    ApplicationEventKind,
    Batch,
    Objection,
    Opinion,
    OpinionBody,
)
from wenming.ledger.intake import atomic_with_files
from wenming.orgs.calendar import add_working_days
from wenming.orgs.models import Membership, OrgKind
from wenming.registry import services as registry_services
from wenming.registry.models import Honour, HonourEvent
from wenming.scoring import services as scoring_services
from wenming.scoring.models import RoundStatus, ScoringRound

# --- 实地测评 ---------------------------------------------------------------------------------


def _check_assessors(batch: Batch, assessors: list[User]) -> None:
    """Assessors are the people of the batch's office, of an office above or below it."""
    if not assessors:
        raise ValidationError({"assessors": "请至少选择一名测评人员。"})
    office_path = batch.office.path
    ok = {
        m.user_id
        for m in Membership.objects.filter(
            user__in=assessors,
            is_active=True,
            user__is_active=True,
            organization__kind=OrgKind.OFFICE,
            organization__is_active=True,
        ).select_related("organization")
        if m.organization.path.startswith(office_path)
        or office_path.startswith(m.organization.path)
    }
    wrong = [a for a in assessors if a.pk not in ok]
    if wrong:
        names = "、".join(a.get_full_name() or a.username for a in wrong)
        raise ValidationError({"assessors": f"{names}不是文明办的人员，不能担任测评人员。"})


def field_round_open(
    *, application: Application, user: User, scored_on: datetime.date | None, assessors: list[User]
) -> ScoringRound:
    """实地测评: the office's formal round on the unit's frozen submission, scored against the
    batch's system by the assessors assigned (`wenming.applications.field_round`)."""
    if scored_on is None:
        raise ValidationError({"scored_on": "请填写测评日期。"})
    with transaction.atomic():
        locked = lock(application, (S.ACCEPTED,), "安排实地测评")
        current = locked.field_round
        if current is not None and current.removed_at is None:
            raise ValidationError(f"已安排实地测评（{current.title}），不能重复安排。")
        _check_assessors(locked.batch, assessors)
        if locked.batch.framework_id is None:
            raise ValidationError(
                "该批次没有设置测评体系，不能在平台打分；请实地测评后直接录入实地测评得分，"
                "或先在批次中选择测评体系。"
            )
        assert locked.batch.framework is not None
        round_ = scoring_services.office_round_create(
            office=locked.batch.office,
            unit=locked.unit,
            framework=locked.batch.framework,
            user=user,
            title=f"{locked.batch.title}实地测评",
            scored_on=scored_on,
        )
        locked.field_round = round_
        locked.save(update_fields=["field_round", "updated_at"])
        locked.assessors.set(assessors)
        names = "、".join(a.get_full_name() or a.username for a in assessors)
        add_event(
            locked,
            user,
            ApplicationEventKind.ROUND_OPENED,
            f"{date_words(scored_on)}实地测评，测评人员：{names}。",
        )
    refresh(application, locked)
    return round_


def field_assessment_record(
    *,
    application: Application,
    user: User | None,
    survey_rate: Decimal | None,
    survey_note: str,
    field_score: Decimal | None = None,
    comment: str = "",
) -> Application:
    """实地测评完成: with a field round, it must be finished and its total is the score;
    without one, the score the office gives is required."""
    errors: dict[str, str] = {}
    rate = decimal_in(errors, "survey_rate", survey_rate, "群众满意率", Decimal(100))
    given = decimal_in(errors, "field_score", field_score, "实地测评得分", Decimal(100_000))
    raise_errors(errors)
    with transaction.atomic():
        locked = lock(application, (S.ACCEPTED,), "录入实地测评结果")
        round_ = locked.field_round
        if round_ is not None and round_.removed_at is None:
            if round_.status != RoundStatus.FINISHED:
                raise ValidationError(
                    f"实地测评轮次“{round_.title}”尚未完成打分，请完成打分后再录入测评结果。"
                )
            score = round_total(round_)
        elif given is None:
            raise ValidationError({"field_score": "请填写实地测评得分。"})
        else:
            score = given
        locked.field_score = score
        locked.survey_rate = rate
        locked.survey_note = text(survey_note)
        locked.status = S.ASSESSED
        locked.save()
        words = f"实地测评得分{score}分"
        if rate is not None:
            words += f"，群众满意率{rate}%"
        note = text(comment)
        add_event(locked, user, ApplicationEventKind.ASSESSED, f"{words}。{note}".strip())
    return refresh(application, locked)


# --- 征求意见 ---------------------------------------------------------------------------------


def opinion_record(
    *,
    application: Application,
    user: User | None,
    body: str,
    body_name: str,
    adverse: bool,
    content: str,
    received_on: datetime.date | None,
) -> Opinion:
    """One body's opinion; an adverse opinion is a veto: the application is not passed."""
    errors: dict[str, str] = {}
    if body not in OpinionBody.values:
        errors["body"] = (
            "请选择征求意见单位：纪检监察机关、政法委（综治）、信访部门、公安机关或其他部门。"
        )
    check_length(errors, "body_name", text(body_name), "单位名称", 60)
    if not text(content):
        errors["content"] = "请填写意见内容。"
    if received_on is None:
        errors["received_on"] = "请填写回复日期。"
    elif received_on > today():
        errors["received_on"] = "回复日期不能晚于今天。"
    raise_errors(errors)
    assert received_on is not None
    with transaction.atomic():
        locked = lock(application, (S.ASSESSED,), "记录征求意见")
        opinion = Opinion.objects.create(
            application=locked,
            body=body,
            body_name=text(body_name),
            adverse=bool(adverse),
            content=text(content),
            received_on=received_on,
            recorded_by=user,
        )
        who = opinion.body_name or opinion.get_body_display()
        verdict = "有否决意见" if adverse else "无否决意见"
        add_event(locked, user, ApplicationEventKind.OPINION, f"{who}：{verdict}。")
        if adverse:
            reject(locked, user, f"征求意见时{who}提出否决意见，按一票否决不予通过。")
    refresh(application, locked)
    return opinion


def consultation_finish(*, application: Application, user: User | None) -> Application:
    with transaction.atomic():
        locked = lock(application, (S.ASSESSED,), "完成征求意见")
        opinions = Opinion.objects.filter(application=locked)
        if not opinions.exists():
            raise ValidationError("请至少记录一个单位的意见后再完成征求意见。")
        locked.status = S.CONSULTED
        locked.save(update_fields=["status", "updated_at"])
        names = "、".join(o.body_name or o.get_body_display() for o in opinions)
        add_event(
            locked, user, ApplicationEventKind.CONSULTED, f"已征求{names}意见，均无否决意见。"
        )
    return refresh(application, locked)


# --- 公示 -------------------------------------------------------------------------------------


def _lock_members(
    batch: Batch, applications: list[Application], allowed: str, action: str
) -> list[Application]:
    if not applications:
        raise ValidationError({"applications": f"请选择要{action}的单位。"})
    ids = sorted({a.pk for a in applications})
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("unit", "entry", "batch")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(locked) != len(ids) or any(a.batch_id != batch.pk for a in locked):
        raise ValidationError({"applications": "所选申报不属于本批次，请刷新后重新选择。"})
    wrong = [a for a in locked if a.status != allowed]
    if wrong:
        names = "、".join(f"{a.unit.name}（{a.get_status_display()}）" for a in wrong)
        raise ValidationError(
            {"applications": f"{names}当前状态不能{action}，只有“{S(allowed).label}”的申报可以。"}
        )
    return locked


def publicity_start(
    *,
    batch: Batch,
    user: User | None,
    starts_on: datetime.date | None,
    applications: list[Application],
) -> list[Application]:
    """公示: the period runs `publicity_days` working days from `starts_on` (the office's
    calendar); no more units than the quota has places left."""
    if starts_on is None:
        raise ValidationError({"starts_on": "请填写公示开始日期。"})
    with transaction.atomic():
        locked_batch = lock_batch(batch)
        members = _lock_members(locked_batch, applications, S.CONSULTED, "公示")
        counts = Application.objects.filter(batch=locked_batch).aggregate(
            named=Count("pk", filter=Q(status=S.NAMED)),
            public=Count("pk", filter=Q(status=S.PUBLICIZED)),
        )
        left = locked_batch.quota - counts["named"] - counts["public"]
        if len(members) > left:
            raise ValidationError(
                {
                    "applications": f"名额为{locked_batch.quota}个，已命名{counts['named']}个、"
                    f"公示中{counts['public']}个，本次最多还能公示{max(left, 0)}个。"
                }
            )
        ends_on = add_working_days(locked_batch.office, starts_on, locked_batch.publicity_days)
        for member in members:
            member.status = S.PUBLICIZED
            member.publicity_starts_on = starts_on
            member.publicity_ends_on = ends_on
            member.save(
                update_fields=["status", "publicity_starts_on", "publicity_ends_on", "updated_at"]
            )
            add_event(
                member,
                user,
                ApplicationEventKind.PUBLICIZED,
                f"公示期为{date_words(starts_on)}至{date_words(ends_on)}"
                f"（{locked_batch.publicity_days}个工作日）。",
            )
    return members


def objection_record(
    *,
    application: Application,
    user: User | None,
    received_on: datetime.date | None,
    content: str,
) -> Objection:
    """An objection received during the notice period."""
    errors: dict[str, str] = {}
    if not text(content):
        errors["content"] = "请填写异议内容。"
    if received_on is None:
        errors["received_on"] = "请填写收到异议的日期。"
    elif received_on > today():
        errors["received_on"] = "收到日期不能晚于今天。"
    raise_errors(errors)
    assert received_on is not None
    with transaction.atomic():
        locked = lock(application, (S.PUBLICIZED,), "记录公示异议")
        starts, ends = locked.publicity_starts_on, locked.publicity_ends_on
        if starts is None or ends is None or not starts <= received_on <= ends:
            period = f"{date_words(starts)}至{date_words(ends)}" if starts and ends else "公示期"
            raise ValidationError(
                {"received_on": f"异议须在公示期内（{period}）收到，该日期不在公示期内。"}
            )
        objection = Objection.objects.create(
            application=locked, received_on=received_on, content=text(content), recorded_by=user
        )
        add_event(
            locked,
            user,
            ApplicationEventKind.OBJECTION,
            f"{date_words(received_on)}收到公示异议，文明办将核查后答复。",
        )
    refresh(application, locked)
    return objection


def objection_answer(
    *,
    objection: Objection,
    user: User | None,
    answer: str,
    answered_on: datetime.date | None,
    upheld: bool,
) -> Objection:
    """The office's answer after checking; an upheld objection means the unit is not named."""
    errors: dict[str, str] = {}
    if not text(answer):
        errors["answer"] = "请填写核查情况与答复。"
    if answered_on is None:
        errors["answered_on"] = "请填写答复日期。"
    elif answered_on > today():
        errors["answered_on"] = "答复日期不能晚于今天。"
    elif answered_on < objection.received_on:
        errors["answered_on"] = "答复日期不能早于收到异议的日期。"
    raise_errors(errors)
    with transaction.atomic():
        locked = lock(objection.application, (S.PUBLICIZED,), "答复公示异议")
        row = Objection.objects.select_for_update().get(pk=objection.pk)
        if row.answered_on is not None:
            raise ValidationError("该异议已答复，不能重复答复。")
        row.answer = text(answer)
        row.answered_on = answered_on
        row.upheld = bool(upheld)
        row.save(update_fields=["answer", "answered_on", "upheld"])
        verdict = "异议成立" if upheld else "异议不成立"
        add_event(locked, user, ApplicationEventKind.ANSWERED, f"{verdict}：{row.answer}")
        if upheld:
            reject(locked, user, "公示异议经核查成立，不予命名。")
    refresh(objection.application, locked)
    _refresh_objection(objection, row)
    return row


def _refresh_objection(target: Objection, source: Objection) -> None:
    for field in ("answer", "answered_on", "upheld"):
        setattr(target, field, getattr(source, field))


# --- 命名 -------------------------------------------------------------------------------------


def _check_naming(
    batch: Batch, members: list[Application], named_on: datetime.date | None, title: str
) -> datetime.date:
    errors: dict[str, str] = {}
    if not title:
        errors["decision_title"] = registry_services.NO_DOCUMENT
    check_length(errors, "decision_title", title, "命名决定文号/标题", 200)
    if named_on is None:
        errors["named_on"] = "请填写命名日期。"
    elif named_on > today():
        errors["named_on"] = "命名日期不能晚于今天。"
    raise_errors(errors)
    assert named_on is not None
    for member in members:
        ends = member.publicity_ends_on
        if ends is not None and named_on <= ends:
            raise ValidationError(
                {
                    "named_on": f"“{member.unit.name}”的公示期至{date_words(ends)}，"
                    "公示期满后才能命名。"
                }
            )
    pending = Objection.objects.filter(application__in=members).filter(
        Q(answered_on__isnull=True) | Q(upheld=True)
    )
    for objection in pending.select_related("application__unit"):
        unit = objection.application.unit.name
        if objection.upheld:
            raise ValidationError({"applications": f"“{unit}”的公示异议经核查成立，不能命名。"})
        raise ValidationError({"applications": f"“{unit}”有公示异议尚未答复，请先核查答复。"})
    named = named_count(batch)
    if named + len(members) > batch.quota:
        left = max(batch.quota - named, 0)
        raise ValidationError(
            {"applications": f"名额为{batch.quota}个，已命名{named}个，本次最多还能命名{left}个。"}
        )
    return named_on


def batch_name(
    *,
    batch: Batch,
    user: User | None,
    named_on: datetime.date | None,
    decision_title: str,
    document: UploadedFile | None,
    applications: list[Application],
) -> list[Honour]:
    """命名: each unit's honour added to the registry on one decision document; all or nothing."""
    title = text(decision_title)

    def work(stored: list[str]) -> list[Honour]:
        locked = lock_batch(batch)
        members = _lock_members(locked, applications, S.PUBLICIZED, "命名")
        day = _check_naming(locked, members, named_on, title)
        saved = None
        if document is not None:
            saved = registry_services.store_decision_file(
                unit=locked.office, user=user, upload=document
            )
            stored.append(saved.file.name)
        honours = [_name_one(locked, member, user, day, title, saved) for member in members]
        locked.named_on = day
        locked.decision_title = title
        if saved is not None or locked.decision_document_id is None:
            locked.decision_document = saved
        locked.save(update_fields=["named_on", "decision_title", "decision_document", "updated_at"])
        batch.named_on, batch.decision_title = locked.named_on, locked.decision_title
        batch.decision_document = locked.decision_document
        return honours

    return atomic_with_files(work)


def _name_one(
    batch: Batch,
    member: Application,
    user: User | None,
    day: datetime.date,
    title: str,
    saved: Any,
) -> Honour:
    try:
        honour = registry_services.honour_add(
            entry=member.entry,
            user=user,
            title=batch.honour_title,
            level=batch.level,
            year_named=batch.year,
            term_years=batch.term_years,
            issuer=batch.office,
            batch=batch.batch_label,
            status_on=day,
            document_title=title,
            reason=f"经{batch.title}申报、测评、公示后命名。",
        )
    except ValidationError as exc:
        raise ValidationError(
            {"applications": f"“{member.unit.name}”不能命名：{'；'.join(exc.messages)}"}
        ) from exc
    if saved is not None:
        HonourEvent.objects.filter(honour=honour).update(document=saved)
    member.honour = honour
    member.status = S.NAMED
    member.save(update_fields=["honour", "status", "updated_at"])
    add_event(member, user, ApplicationEventKind.NAMED, f"命名为{batch.honour_title}（{title}）。")
    return honour

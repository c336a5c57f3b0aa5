"""先进典型 (R10): nominating people and collectives, the steps to an award, and the yearly
internal ratings (文明科室/文明职工/文明家庭) with their quotas.

The way (`Status`): 已提名 → 部门已推荐 → 创建办已审核 → 公示中 → 已评选 → 已向上推荐; 退回
(with a reason) goes back to 已提名; 撤回 before 公示; 不予评选 by the 创建办, or when an
objection raised during 公示 is found true. 公示 lasts a number of the office's working days
(`wenming.orgs.calendar`) from the start the 创建办 sets (default: the rating's, else 5).
评选 comes only after 公示 has ended, every objection answered and none found true; it files
the award's ledger item (一事一档) for the nomination's standards with the uploads and the
generated 推荐审批表 (PDF). Once 公示 has begun the content is frozen. A rating's quota caps
its nominations in 公示 or awarded (`IN_QUOTA`).

Conventions as in `activities.services`: keyword-only, `user` is the actor, refusals are
`ValidationError`s in Chinese keyed by field, every check runs before anything is kept, each
step is one transaction that locks the nomination and writes its `NominationEvent`. Who may
take which step is `nominations_access`'s. The readings other surfaces use are at the end
(`awards_of`, `department_counts`, `models_count`), all counting "awarded" as
`AWARDED_STATUSES` in the nomination's year.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from wenming.activities import nominations_pdf
from wenming.activities.models.nominations import (
    COLLECTIVE_CATEGORIES,
    EDITABLE,
    RATING_CATEGORIES,
    Category,
    Nomination,
    NominationEvent,
    Objection,
    Rating,
    Status,
)
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger import services as ledger_services
from wenming.ledger.intake import inspect_all
from wenming.orgs.calendar import add_working_days, office_of
from wenming.orgs.models import Organization
from wenming.orgs.services import display_name, unit_people

DEFAULT_PUBLICITY_DAYS = 5
MAX_PUBLICITY_DAYS = 30
MAX_QUOTA = 999
# Awarded: counted by every figure (a person's record, departments, the standard's measure).
AWARDED_STATUSES = (Status.AWARDED, Status.REFERRED)
# Taking a place of the rating's quota.
IN_QUOTA = (Status.PUBLICIZING, *AWARDED_STATUSES)
# Still on its way or awarded: the same nominee is not nominated twice in a year.
CLOSED = (Status.DECLINED, Status.WITHDRAWN)
FROZEN_MESSAGE = "公示已开始，推荐材料不能再修改；如需更正，请由创建办作“不予评选”处理后重新推荐。"
STANDARDS_MESSAGE = "所选测评标准不属于本次创建所用的测评体系，请重新选择。"
NAME_LIMIT, RAISED_BY_LIMIT, REFERRED_LIMIT = 100, 60, 100
PUBLICITY_FIELDS = ("publicity_starts_on", "publicity_ends_on")


class Action:
    """The steps, as URLs, API routes and events name them."""

    RECOMMEND = "recommend"
    REVIEW = "review"
    RETURN = "return"
    PUBLICIZE = "publicize"
    OBJECTION = "objection"
    ANSWER = "answer"
    AWARD = "award"
    REFER = "refer"
    WITHDRAW = "withdraw"
    DECLINE = "decline"


# The statuses from which each step may be taken.
STEP_FROM: dict[str, tuple[str, ...]] = {
    Action.RECOMMEND: (Status.NOMINATED,),
    Action.REVIEW: (Status.RECOMMENDED,),
    Action.RETURN: (Status.RECOMMENDED, Status.REVIEWED),
    Action.PUBLICIZE: (Status.REVIEWED,),
    Action.OBJECTION: (Status.PUBLICIZING,),
    Action.ANSWER: (Status.PUBLICIZING,),
    Action.AWARD: (Status.PUBLICIZING,),
    Action.REFER: (Status.AWARDED,),
    Action.WITHDRAW: tuple(EDITABLE),
    Action.DECLINE: (*EDITABLE, Status.PUBLICIZING),
}
# What each refusal by status says.
STEP_WHEN = {
    Action.RECOMMEND: "只有“已提名”的推荐可以作部门推荐。",
    Action.REVIEW: "须先经部门推荐，创建办才能审核。",
    Action.RETURN: "只有部门已推荐或创建办已审核、尚未公示的推荐可以退回。",
    Action.PUBLICIZE: "须经创建办审核通过后才能公示。",
    Action.OBJECTION: "只有公示中的推荐可以登记异议。",
    Action.ANSWER: "只有公示中的推荐可以答复异议。",
    Action.AWARD: "只有经过公示的推荐可以评选。",
    Action.REFER: "只有已评选的先进典型可以向上推荐。",
    Action.WITHDRAW: "公示已开始，不能再撤回；如需终止，请由创建办作“不予评选”处理。",
    Action.DECLINE: "该推荐已办结，不能再作“不予评选”处理。",
}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def category_label(category: str) -> str:
    return Category(category).label if category in Category.values else category


def default_title(year: int, category: str) -> str:
    """The honour an award gives unless the 创建办 writes another."""
    if category in RATING_CATEGORIES:
        return f"{year}年度{category_label(category)}"
    return f"{year}年度“身边好人”（{category_label(category)}）"


# --- checks --------------------------------------------------------------------------------


def clean_standards(campaign: Campaign, standards: Sequence[Node]) -> list[Node]:
    """The standards a nomination serves: leaves of the campaign's system, at least one."""
    nodes = list(dict.fromkeys(standards))
    if not nodes:
        raise ValidationError(
            {
                "standards": "请选择该先进典型佐证的测评标准，例如“评选文明职工、文明家庭等先进典型”。"
            }
        )
    if any(n.framework_id != campaign.framework_id or not n.is_leaf for n in nodes):
        raise ValidationError({"standards": STANDARDS_MESSAGE})
    return nodes


def rating_of(unit: Organization, year: int, category: str) -> Rating | None:
    if category not in RATING_CATEGORIES:
        return None
    return Rating.objects.filter(unit=unit, year=year, category=category).first()


def _check_year(campaign: Campaign, year: int | None, errors: dict[str, str]) -> None:
    first, last = campaign.cycle_start.year, campaign.cycle_end.year
    if year is None:
        errors["year"] = "请填写年度。"
    elif not first <= year <= last:
        errors["year"] = f"年度须在本次创建周期（{first}—{last}年）内。"


def _nominee(
    campaign: Campaign,
    category: str,
    name: str,
    person: User | None,
    collective: Organization | None,
    errors: dict[str, str],
) -> str:
    """The nominee checked (a person of the unit, a department for 文明科室, or a name as
    written for a family or a 身边好人); returns the name to keep."""
    unit = campaign.unit
    if category in COLLECTIVE_CATEGORIES:
        if person is not None:
            errors["person"] = "文明科室推荐的是部门，不选人员。"
        if collective is None:
            errors["collective"] = "请选择推荐为文明科室的部门。"
            return name
        departments = Organization.objects.departments_of(unit, active_only=True)
        if not departments.filter(pk=collective.pk).exists():
            errors["collective"] = "请选择本单位在用的部门。"
        return name or collective.name
    if collective is not None:
        errors["collective"] = "只有文明科室推荐部门；其他类别请选择人员或填写名称。"
    if person is not None:
        if not unit_people(unit).filter(pk=person.pk).exists():
            errors["person"] = f"{display_name(person)}不是本单位人员，不能作为推荐人选。"
        if not name:
            name = (
                f"{display_name(person)}家庭"
                if category == Category.CIVIL_FAMILY
                else display_name(person)
            )
    elif category == Category.CIVIL_WORKER:
        errors["person"] = "文明职工须从本单位人员中选择。"
    elif not name:
        errors["name"] = (
            "请填写家庭名称，例如“张明家庭”。"
            if category == Category.CIVIL_FAMILY
            else "请选择本单位人员，或填写推荐人选的姓名。"
        )
    return name


def _check_content(
    *,
    campaign: Campaign,
    year: int | None,
    category: str,
    name: str,
    story: str,
    person: User | None,
    collective: Organization | None,
    standards: Sequence[Node],
    exclude: int | None = None,
) -> tuple[str, list[Node], Rating | None]:
    """Everything about a nomination's content; returns the name, standards and rating."""
    errors: dict[str, str] = {}
    _check_year(campaign, year, errors)
    if category not in Category.values:
        errors["category"] = "请选择推荐类别。"
        raise ValidationError(errors)
    name = _nominee(campaign, category, _text(name), person, collective, errors)
    if len(name) > NAME_LIMIT:
        errors["name"] = f"名称最多{NAME_LIMIT}字。"
    if not _text(story):
        errors["story"] = "请填写主要事迹：做了什么、有什么影响。"
    try:
        nodes = clean_standards(campaign, standards)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        nodes = []
    rating = None
    if year is not None and "year" not in errors:
        rating = rating_of(campaign.unit, year, category)
        if category in RATING_CATEGORIES and rating is None:
            errors["category"] = (
                f"本单位还没有发布{year}年度{category_label(category)}评选（评选条件和名额），"
                "请创建办先发布评选，再推荐。"
            )
        elif not errors:
            _check_duplicate(campaign, year, category, name, person, collective, exclude, errors)
    if errors:
        raise ValidationError(errors)
    return name, nodes, rating


def _check_duplicate(
    campaign: Campaign,
    year: int,
    category: str,
    name: str,
    person: User | None,
    collective: Organization | None,
    exclude: int | None,
    errors: dict[str, str],
) -> None:
    same = Nomination.objects.filter(unit=campaign.unit, year=year, category=category).exclude(
        status__in=CLOSED
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if person is not None:
        same, field = same.filter(person=person), "person"
    elif collective is not None:
        same, field = same.filter(collective=collective), "collective"
    else:
        same, field = same.filter(person__isnull=True, collective__isnull=True, name=name), "name"
    if same.exists():
        errors[field] = f"{name}已被推荐为{year}年度{category_label(category)}，不能重复推荐。"


def _lock(nomination: Nomination, action: str) -> Nomination:
    """The nomination under a row lock, at a status from which `action` may be taken."""
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if locked.status not in STEP_FROM[action]:
        raise ValidationError(f"{STEP_WHEN[action]}（当前状态：{locked.get_status_display()}）")
    return locked


def _event(nomination: Nomination, user: User | None, action: str, note: str = "") -> None:
    NominationEvent.objects.create(
        nomination=nomination, action=action, status=nomination.status, note=note, actor=user
    )


def _move(nomination: Nomination, status: str, *fields: str) -> None:
    nomination.status = status
    nomination.save(update_fields=["status", *fields, "updated_at"])


def _check_quota(nomination: Nomination, statuses: Sequence[str]) -> None:
    """Refuse when the rating has no place left among `statuses` (the rating row locked)."""
    if nomination.rating_id is None:
        return
    rating = Rating.objects.select_for_update().get(pk=nomination.rating_id)
    taken = (
        Nomination.objects.filter(rating=rating, status__in=statuses)
        .exclude(pk=nomination.pk)
        .count()
    )
    if taken >= rating.quota:
        raise ValidationError(
            f"{rating}的名额为{rating.quota}名，已有{taken}名进入公示或评选，"
            "不能再增加；如确需调整，请先对其他人选作“不予评选”处理。"
        )


# --- nominating -------------------------------------------------------------------------------


def nomination_create(
    *,
    campaign: Campaign,
    user: User,
    department: Organization,
    year: int | None,
    category: str,
    story: str,
    standards: Sequence[Node],
    name: str = "",
    person: User | None = None,
    collective: Organization | None = None,
) -> Nomination:
    """提名: a department (or the 创建办) puts someone forward."""
    departments = Organization.objects.departments_of(campaign.unit, active_only=True)
    if not departments.filter(pk=department.pk).exists():
        raise ValidationError({"department": "请选择本单位在用的部门作为推荐部门。"})
    name, nodes, rating = _check_content(
        campaign=campaign,
        year=year,
        category=category,
        name=name,
        story=story,
        person=person,
        collective=collective,
        standards=standards,
    )
    assert year is not None
    with transaction.atomic():
        nomination = Nomination.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            department=department,
            year=year,
            category=category,
            rating=rating,
            person=person,
            collective=collective,
            name=name,
            story=_text(story),
            publicity_days=rating.publicity_days if rating else DEFAULT_PUBLICITY_DAYS,
            created_by=user,
        )
        nomination.standards.set(nodes)
        _event(nomination, user, "提名", f"由{department.name}推荐")
    return nomination


def nomination_update(
    *,
    nomination: Nomination,
    user: User,
    year: int | None,
    category: str,
    story: str,
    standards: Sequence[Node],
    name: str = "",
    person: User | None = None,
    collective: Organization | None = None,
) -> Nomination:
    """Change the content while it may still change (before 公示)."""
    if nomination.status not in EDITABLE:
        raise ValidationError(_frozen(nomination))
    campaign = nomination.campaign
    name, nodes, rating = _check_content(
        campaign=campaign,
        year=year,
        category=category,
        name=name,
        story=story,
        person=person,
        collective=collective,
        standards=standards,
        exclude=nomination.pk,
    )
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if locked.status not in EDITABLE:
            raise ValidationError(_frozen(locked))
        before = _content(locked, set(locked.standards.values_list("pk", flat=True)))
        assert year is not None
        locked.year, locked.category, locked.rating = year, category, rating
        locked.name, locked.story = name, _text(story)
        locked.person, locked.collective = person, collective
        if rating is not None and rating.pk != nomination.rating_id:
            locked.publicity_days = rating.publicity_days
        locked.save()
        locked.standards.set(nodes)
        after = _content(locked, {n.pk for n in nodes})
        changed = [label for label in before if before[label] != after[label]]
        if changed:
            _event(locked, user, "修改推荐材料", "修改了" + "、".join(changed))
    return locked


def _frozen(nomination: Nomination) -> str:
    if nomination.status in CLOSED:
        return f"该推荐{nomination.get_status_display()}，不能再修改；如需推荐，请重新提名。"
    return FROZEN_MESSAGE


def _content(nomination: Nomination, standard_ids: set[int]) -> dict[str, Any]:
    return {
        "年度": nomination.year,
        "类别": nomination.category,
        "人选": (nomination.person_id, nomination.collective_id),
        "名称": nomination.name,
        "主要事迹": nomination.story,
        "测评标准": standard_ids,
    }


# --- the steps -----------------------------------------------------------------------------------


def nomination_recommend(*, nomination: Nomination, user: User, note: str = "") -> Nomination:
    """部门推荐: the department (its head, or the 创建办) puts the nomination forward."""
    with transaction.atomic():
        locked = _lock(nomination, Action.RECOMMEND)
        _move(locked, Status.RECOMMENDED)
        _event(locked, user, "部门推荐", _text(note))
    return locked


def nomination_review(*, nomination: Nomination, user: User, note: str = "") -> Nomination:
    """审核通过: the 创建办 accepts the material; 公示 may follow."""
    with transaction.atomic():
        locked = _lock(nomination, Action.REVIEW)
        _move(locked, Status.REVIEWED)
        _event(locked, user, "审核通过", _text(note))
    return locked


def nomination_return(*, nomination: Nomination, user: User, reason: str) -> Nomination:
    """退回: back to 已提名, with what to change."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明退回原因，告诉推荐部门需要修改或补充什么。"})
    with transaction.atomic():
        locked = _lock(nomination, Action.RETURN)
        _move(locked, Status.NOMINATED)
        _event(locked, user, "退回", reason)
    return locked


def publicity_end(unit: Organization, starts_on: datetime.date, days: int) -> datetime.date:
    """The last day of a 公示 of `days` working days of the unit's office from `starts_on`."""
    return add_working_days(office_of(unit), starts_on, days)


def nomination_publicize(
    *,
    nomination: Nomination,
    user: User,
    starts_on: datetime.date | None,
    days: int | None = None,
) -> Nomination:
    """公示: from `starts_on` for `days` working days (default: the nomination's, from its
    rating, else 5); the end counts the office's holidays and make-up days."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if starts_on is None:
        errors["starts_on"] = "请填写公示开始日期。"
    elif starts_on > today + datetime.timedelta(days=60):
        errors["starts_on"] = "公示开始日期最多提前60天设置。"
    elif starts_on < timezone.localdate(nomination.created_at):
        errors["starts_on"] = "公示开始日期不能早于提名日期。"
    count = nomination.publicity_days if days is None else days
    if not 1 <= count <= MAX_PUBLICITY_DAYS:
        errors["days"] = f"公示期须为1至{MAX_PUBLICITY_DAYS}个工作日。"
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None
    ends_on = publicity_end(nomination.unit, starts_on, count)
    with transaction.atomic():
        locked = _lock(nomination, Action.PUBLICIZE)
        if locked.rating_id is None:
            locked.rating = rating_of(locked.unit, locked.year, locked.category)
        _check_quota(locked, IN_QUOTA)
        locked.publicity_days = count
        locked.publicity_starts_on = starts_on
        locked.publicity_ends_on = ends_on
        _move(locked, Status.PUBLICIZING, "rating", "publicity_days", *PUBLICITY_FIELDS)
        _event(locked, user, "开始公示", f"{_day(starts_on)}至{_day(ends_on)}，{count}个工作日")
    return locked


def objection_record(
    *,
    nomination: Nomination,
    user: User,
    received_on: datetime.date | None,
    content: str,
    raised_by: str = "",
) -> Objection:
    """Record an objection received during 公示 (反映人 may be left blank: 匿名)."""
    errors: dict[str, str] = {}
    content, raised_by = _text(content), _text(raised_by)
    starts = nomination.publicity_starts_on
    if received_on is None:
        errors["received_on"] = "请填写收到日期。"
    elif received_on > timezone.localdate():
        errors["received_on"] = "收到日期不能晚于今天。"
    elif starts is not None and received_on < starts:
        errors["received_on"] = f"公示从{_day(starts)}开始，收到日期不能早于公示开始。"
    if not content:
        errors["content"] = "请填写反映的内容。"
    if len(raised_by) > RAISED_BY_LIMIT:
        errors["raised_by"] = f"反映人最多{RAISED_BY_LIMIT}字。"
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    with transaction.atomic():
        locked = _lock(nomination, Action.OBJECTION)
        objection = Objection.objects.create(
            nomination=locked,
            received_on=received_on,
            raised_by=raised_by,
            content=content,
            recorded_by=user,
        )
        _event(locked, user, "收到异议", f"{raised_by or '匿名'}：{content}")
    return objection


def objection_answer(
    *, objection: Objection, user: User, answer: str, upheld: bool | None
) -> Objection:
    """核实答复. An objection found true (属实) ends the nomination: 不予评选."""
    answer = _text(answer)
    errors: dict[str, str] = {}
    if not answer:
        errors["answer"] = "请填写核实情况和答复。"
    if upheld is None:
        errors["upheld"] = "请选择核实结论：属实或不属实。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(objection.nomination, Action.ANSWER)
        found = Objection.objects.select_for_update().get(pk=objection.pk)
        if found.upheld is not None:
            raise ValidationError("该异议已经答复过了，请刷新页面。")
        found.answer, found.upheld = answer, upheld
        found.answered_by, found.answered_at = user, timezone.now()
        found.save(update_fields=["answer", "upheld", "answered_by", "answered_at"])
        _event(locked, user, "核实答复", f"{'属实' if upheld else '不属实'}：{answer}")
        if upheld:
            _move(locked, Status.DECLINED)
            _event(locked, user, "不予评选", "公示期间反映的问题经核实属实。")
    return found


def nomination_award(
    *,
    nomination: Nomination,
    user: User,
    award_title: str = "",
    awarded_on: datetime.date | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> Nomination:
    """评选: after 公示 has ended with every objection answered and none found true. Files the
    ledger item for the nomination's standards: the uploads and the generated 推荐审批表."""
    today = timezone.localdate()
    awarded_on = awarded_on or today
    title = _text(award_title) or default_title(nomination.year, nomination.category)
    ends = nomination.publicity_ends_on
    errors: dict[str, str] = {}
    if len(title) > 100:
        errors["award_title"] = "荣誉称号最多100字。"
    if nomination.status == Status.PUBLICIZING and ends is not None:
        if today <= ends:
            raise ValidationError(f"公示期至{_day(ends)}，公示期满后才能评选。")
        if awarded_on <= ends:
            errors["awarded_on"] = f"评选日期须在公示期满（{_day(ends)}）之后。"
    if awarded_on > today:
        errors["awarded_on"] = "评选日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    if uploads:
        inspect_all(uploads)
    with transaction.atomic():
        locked = _lock(nomination, Action.AWARD)
        objections = list(Objection.objects.filter(nomination=locked))
        waiting = [o for o in objections if o.upheld is None]
        if waiting:
            raise ValidationError(
                f"公示期间收到的异议还有{len(waiting)}条未核实答复，请答复后再评选。"
            )
        if any(o.upheld for o in objections):
            raise ValidationError("公示期间反映的问题经核实属实，不予评选。")
        _check_quota(locked, AWARDED_STATUSES)
        locked.award_title, locked.awarded_on = title, awarded_on
        nodes = list(locked.standards.order_by("position"))
        sheet = SimpleUploadedFile(
            f"{locked.name[:40]}推荐审批表.pdf",
            nominations_pdf.award_pdf(locked, objections, nodes),
            "application/pdf",
        )
        locked.evidence = ledger_services.item_create(
            campaign=locked.campaign,
            department=locked.department,
            user=user,
            standards=nodes,
            fields=nominations_pdf.item_fields(locked, title, awarded_on),
            uploads=[*uploads, sheet],
        )
        _move(locked, Status.AWARDED, "award_title", "awarded_on", "evidence")
        _event(locked, user, "评选", f"评为{title}，材料已存入台账（一事一档）。")
    return locked


def nomination_refer(
    *,
    nomination: Nomination,
    user: User,
    referred_to: str,
    referred_on: datetime.date | None = None,
    note: str = "",
    uploads: Sequence[UploadedFile] = (),
) -> Nomination:
    """推荐上报: an awarded model put forward upward (临州好人榜 and the like); the uploads
    (推荐表, 入选通知) join the award's ledger item."""
    referred_to, note = _text(referred_to), _text(note)
    referred_on = referred_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not referred_to:
        errors["referred_to"] = "请填写推荐上报至哪里，例如“临州好人榜”。"
    elif len(referred_to) > REFERRED_LIMIT:
        errors["referred_to"] = f"推荐上报至最多{REFERRED_LIMIT}字。"
    if referred_on > timezone.localdate():
        errors["referred_on"] = "上报日期不能晚于今天。"
    elif nomination.awarded_on is not None and referred_on < nomination.awarded_on:
        errors["referred_on"] = f"上报日期不能早于评选日期（{_day(nomination.awarded_on)}）。"
    item = nomination.evidence
    if uploads and (item is None or item.removed_at is not None):
        errors["files"] = "评选台账已删除，不能补充上报材料；请先在台账回收站恢复。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(nomination, Action.REFER)
        locked.referred_to, locked.referred_on = referred_to, referred_on
        _move(locked, Status.REFERRED, "referred_to", "referred_on")
        if uploads and item is not None:
            ledger_services.item_add_files(item=item, user=user, uploads=uploads)
        words = f"推荐上报至{referred_to}（{_day(referred_on)}）"
        _event(locked, user, "推荐上报", f"{words}。{note}" if note else words)
    return locked


def nomination_withdraw(*, nomination: Nomination, user: User, reason: str = "") -> Nomination:
    """撤回 before 公示 (kept, with its way)."""
    with transaction.atomic():
        locked = _lock(nomination, Action.WITHDRAW)
        _move(locked, Status.WITHDRAWN)
        _event(locked, user, "撤回", _text(reason))
    return locked


def nomination_decline(*, nomination: Nomination, user: User, reason: str) -> Nomination:
    """不予评选 (the 创建办), with the reason."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明不予评选的原因。"})
    with transaction.atomic():
        locked = _lock(nomination, Action.DECLINE)
        _move(locked, Status.DECLINED)
        _event(locked, user, "不予评选", reason)
    return locked


# --- ratings ----------------------------------------------------------------------------------


def rating_create(
    *,
    campaign: Campaign,
    user: User,
    year: int | None,
    category: str,
    criteria: str,
    quota: int | None,
    publicity_days: int | None = None,
) -> Rating:
    """发布年度评选: its criteria, quota and 公示 period; the year's nominations of its category
    made before join it."""
    errors: dict[str, str] = {}
    _check_year(campaign, year, errors)
    if category not in RATING_CATEGORIES:
        labels = "、".join(category_label(c) for c in RATING_CATEGORIES)
        errors["category"] = f"年度评选的类别只能是{labels}。"
    if not _text(criteria):
        errors["criteria"] = "请填写评选条件。"
    if quota is None or not 1 <= quota <= MAX_QUOTA:
        errors["quota"] = f"名额须为1至{MAX_QUOTA}之间的整数。"
    days = DEFAULT_PUBLICITY_DAYS if publicity_days is None else publicity_days
    if not 1 <= days <= MAX_PUBLICITY_DAYS:
        errors["publicity_days"] = f"公示期须为1至{MAX_PUBLICITY_DAYS}个工作日。"
    if not errors and rating_of(campaign.unit, year or 0, category) is not None:
        errors["category"] = f"本单位已发布{year}年度{category_label(category)}评选，不能重复发布。"
    if errors:
        raise ValidationError(errors)
    assert year is not None and quota is not None
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    campaign=campaign,
                    unit=campaign.unit,
                    year=year,
                    category=category,
                    criteria=_text(criteria),
                    quota=quota,
                    publicity_days=days,
                    created_by=user,
                )
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "category": f"{year}年度{category_label(category)}评选刚被其他人发布，请刷新页面。"
                }
            ) from exc
        Nomination.objects.filter(
            unit=campaign.unit, year=year, category=category, rating__isnull=True
        ).filter(status__in=EDITABLE).update(rating=rating, publicity_days=days)
    return rating


# --- readings ---------------------------------------------------------------------------------


def board_counts(nominations: QuerySet[Nomination]) -> dict[str, int]:
    """How many of `nominations` are at each status (one query)."""
    rows = nominations.order_by().values("status").annotate(n=Count("id"))
    found = {row["status"]: row["n"] for row in rows}
    return {status: found.get(status, 0) for status in Status.values}


def rating_rows(unit: Organization, year: int) -> QuerySet[Rating]:
    """The unit's ratings of `year`, each with `in_quota` (its nominations in 公示 or awarded)
    and `awarded` (one query)."""
    return (
        Rating.objects.filter(unit=unit, year=year)
        .annotate(
            in_quota=Count("nominations", filter=Q(nominations__status__in=IN_QUOTA)),
            awarded=Count("nominations", filter=Q(nominations__status__in=AWARDED_STATUSES)),
        )
        .order_by("category")
    )


def awards_of(person: User, unit: Organization) -> QuerySet[Nomination]:
    """A person's nominations in the unit (withdrawn ones left out), newest first, for their
    record page: one query when read. Awarded ones are those in `AWARDED_STATUSES`."""
    return (
        Nomination.objects.filter(unit=unit, person=person)
        .exclude(status=Status.WITHDRAWN)
        .select_related("department", "rating")
        .order_by("-year", "-id")
    )


def department_counts(campaign: Campaign, year: int) -> dict[int, int]:
    """{department id: models awarded in `year`} for the department assessment. A 文明科室
    counts for the department honoured, any other award for the department that nominated."""
    rows = (
        Nomination.objects.filter(campaign=campaign, year=year, status__in=AWARDED_STATUSES)
        .annotate(honoured=Coalesce(F("collective_id"), F("department_id")))
        .values_list("honoured")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {department_id: n for department_id, n in rows}


def models_count(unit: Organization, year: int) -> int:
    """先进典型 awarded in `year` (the nominations' 年度) in the unit: the figure of the measure
    "选树先进典型（个/年）"."""
    return Nomination.objects.filter(unit=unit, year=year, status__in=AWARDED_STATUSES).count()

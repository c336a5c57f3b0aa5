"""Screens of 先进典型 (R10), under /activities/nominations/.

- 看板 (`nominations`): the unit's nominations of a year in columns by step (已提名 → 已评选),
  the closed ones below, filters by year, category and department, the count at each step
  and each rating's places taken against its quota.
- 推荐 (`nomination_new`), 修改 (`nomination_edit`, before 公示).
- A nomination (`nomination_detail`): its content, its way (the timeline of events), the
  objections and their answers, the award's ledger item, and the steps the user may take
  now, each a small form posting to `nomination_action` (one URL per step).
- 年度评选 (`ratings`, `rating_new`): criteria, quota and 公示 period per category and year.

The unit is the one of a campaign (`?campaign=`; else the one campaign the user sees or
belongs to; else a chooser). Access is `nominations_access`; writes go through
`activities.nominations`, whose refusals show the page again (400) with the Chinese sentence
beside the field and keep nothing. Each page issues a bounded number of queries whatever the
number of nominations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.activities import nominations as services
from wenming.activities import nominations_access as access
from wenming.activities.forms import person_choices
from wenming.activities.models.nominations import (
    Category,
    Nomination,
    NominationEvent,
    Objection,
    Status,
)
from wenming.activities.nominations import Action
from wenming.activities.nominations_forms import (
    STEP_FORMS,
    AnswerForm,
    BoardFilterForm,
    NominationForm,
    RatingForm,
    StepForm,
)
from wenming.activities.people_views import _campaign
from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access as ledger_access
from wenming.ledger.files import FileKind
from wenming.ledger.models import EvidenceFile
from wenming.orgs.calendar import office_of, working_days_between
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

NO_CAMPAIGN = "没有找到该创建工作，或您无权查看。"
# The board's columns, in the order of the way; the closed ones are listed below them.
COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("已提名", (Status.NOMINATED,)),
    ("部门已推荐", (Status.RECOMMENDED,)),
    ("创建办已审核", (Status.REVIEWED,)),
    ("公示中", (Status.PUBLICIZING,)),
    ("已评选", (Status.AWARDED, Status.REFERRED)),
]
CLOSED = (Status.DECLINED, Status.WITHDRAWN)
STEP_LABELS = {
    Action.RECOMMEND: "部门推荐",
    Action.REVIEW: "审核通过",
    Action.RETURN: "退回",
    Action.PUBLICIZE: "开始公示",
    Action.OBJECTION: "登记异议",
    Action.ANSWER: "核实答复",
    Action.AWARD: "评选",
    Action.REFER: "推荐上报",
    Action.WITHDRAW: "撤回",
    Action.DECLINE: "不予评选",
}


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _this_year() -> int:
    return timezone.localdate().year


def _board_url(campaign: Campaign, year: int | None = None) -> str:
    url = f"{reverse('activities:nominations')}?campaign={campaign.pk}"
    return f"{url}&year={year}" if year else url


def _crumbs(campaign: Campaign, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        ("活动", f"{reverse('activities:index')}?campaign={campaign.pk}"),
        ("先进典型", _board_url(campaign) if more else None),
        *more,
    ]


# --- which unit ---------------------------------------------------------------------------
# `_campaign` (?campaign=, else the one the user's unit runs) is people_views', so every
# page of the people side chooses the unit the same way.


def _named_campaign(request: AuthenticatedHttpRequest) -> Campaign:
    raw = request.GET.get("campaign", "").strip()
    if not raw.isdigit():
        raise Http404(NO_CAMPAIGN)
    return access.get_campaign_for_reader(request.user, raw)


def _choose(request: AuthenticatedHttpRequest, url_name: str, title: str) -> HttpResponse:
    campaigns = (
        campaign_access.visible_campaigns(request.user)
        .filter(is_active=True)
        .order_by("unit__path", "-cycle_start", "-id")
    )
    return render(
        request,
        "activities/people/choose.html",
        {
            "campaigns": campaigns,
            "url": reverse(f"activities:{url_name}"),
            "title": title,
            "crumbs": [("活动", reverse("activities:index")), (title, None)],
        },
    )


def _years(campaign: Campaign) -> list[int]:
    return list(range(campaign.cycle_end.year, campaign.cycle_start.year - 1, -1))


def _default_year(campaign: Campaign) -> int:
    year = _this_year()
    return min(max(year, campaign.cycle_start.year), campaign.cycle_end.year)


# --- the board ----------------------------------------------------------------------------


@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "nominations", "先进典型")
    unit = campaign.unit
    departments = Organization.objects.departments_of(unit).order_by("sort_order", "name")
    data = request.GET.copy()
    data.setdefault("year", str(_default_year(campaign)))
    filters = BoardFilterForm(data, departments=departments, years=_years(campaign))
    filters.is_valid()
    chosen = filters.cleaned_data
    year = chosen.get("year") or _default_year(campaign)
    listed = access.visible_nominations(user).filter(campaign=campaign, year=year)
    if chosen.get("category"):
        listed = listed.filter(category=chosen["category"])
    if chosen.get("department"):
        listed = listed.filter(department=chosen["department"])
    counts = services.board_counts(listed)
    rows = list(
        listed.annotate(
            open_objections=Count("objections", filter=Q(objections__upheld__isnull=True))
        ).order_by("-updated_at", "-id")
    )
    columns = [
        {
            "label": label,
            "rows": [n for n in rows if n.status in statuses],
            "count": sum(counts[s] for s in statuses),
        }
        for label, statuses in COLUMNS
    ]
    return render(
        request,
        "activities/nominations/board.html",
        {
            "campaign": campaign,
            "unit": unit,
            "year": year,
            "filters": filters,
            "columns": columns,
            "closed": [n for n in rows if n.status in CLOSED],
            "counts": [(Status(s).label, counts[s]) for s in Status.values],
            "total": len(rows),
            "ratings": list(services.rating_rows(unit, year)),
            "can_nominate": access.can_nominate(user, unit),
            "can_manage": access.can_manage(user, unit),
            "today": timezone.localdate(),
            "crumbs": _crumbs(campaign),
        },
    )


# --- nominating ---------------------------------------------------------------------------


def _form_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    form: NominationForm,
    *,
    nomination: Nomination | None = None,
    status: int = 200,
) -> HttpResponse:
    if nomination is None:
        action = f"{reverse('activities:nomination_new')}?campaign={campaign.pk}"
        cancel, title = _board_url(campaign), "推荐先进典型"
    else:
        action = reverse("activities:nomination_edit", args=[nomination.pk])
        cancel, title = (
            reverse("activities:nomination_detail", args=[nomination.pk]),
            "修改推荐材料",
        )
    return render(
        request,
        "activities/nominations/form.html",
        {
            "form": form,
            "campaign": campaign,
            "unit": campaign.unit,
            "nomination": nomination,
            "title": title,
            "action": action,
            "cancel_url": cancel,
            "crumbs": _crumbs(campaign, (title, None)),
        },
        status=status,
    )


def _content_args(form: NominationForm, people: dict[int, User]) -> dict[str, Any]:
    data = form.cleaned_data
    person_id = data.get("person")
    return {
        "year": data["year"],
        "category": data["category"],
        "name": data.get("name", ""),
        "story": data["story"],
        "standards": form.chosen_standards(),
        "person": people.get(person_id) if person_id is not None else None,
        "collective": data.get("collective"),
    }


def _people(campaign: Campaign) -> tuple[list[tuple[int, str]], dict[int, User]]:
    found = list(unit_people(campaign.unit))
    return person_choices(campaign.unit, unit_people(campaign.unit)), {p.pk: p for p in found}


@login_required
def nomination_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _named_campaign(request)
    access.require_nominator(user, campaign.unit)
    departments = access.nominating_departments(user, campaign.unit)
    choices, people = _people(campaign)
    kwargs: dict[str, Any] = {"campaign": campaign, "departments": departments, "people": choices}
    if request.method != "POST":
        initial: dict[str, Any] = {"year": _default_year(campaign)}
        if request.GET.get("category") in Category.values:
            initial["category"] = request.GET["category"]
        only = list(departments[:2])
        if len(only) == 1:
            initial["department"] = only[0].pk
        return _form_page(request, campaign, NominationForm(initial=initial, **kwargs))
    form = NominationForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            nomination = services.nomination_create(
                campaign=campaign,
                user=user,
                department=form.cleaned_data["department"],
                **_content_args(form, people),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, f"已推荐{nomination.name}（{nomination.get_category_display()}）。"
            )
            return redirect("activities:nomination_detail", pk=nomination.pk)
    return _form_page(request, campaign, form, status=400)


@login_required
def nomination_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    nomination = access.get_nomination_for_user(user, pk, action="edit")
    campaign = nomination.campaign
    if request.method != "POST" and nomination.status not in services.EDITABLE:
        messages.error(request, services.FROZEN_MESSAGE)
        return redirect("activities:nomination_detail", pk=nomination.pk)
    choices, people = _people(campaign)
    kwargs: dict[str, Any] = {"campaign": campaign, "departments": None, "people": choices}
    if request.method != "POST":
        initial = {
            "year": nomination.year,
            "category": nomination.category,
            "person": nomination.person_id,
            "collective": nomination.collective_id,
            "name": nomination.name,
            "story": nomination.story,
            "standards": list(nomination.standards.values_list("pk", flat=True)),
        }
        form = NominationForm(initial=initial, **kwargs)
        return _form_page(request, campaign, form, nomination=nomination)
    form = NominationForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            services.nomination_update(
                nomination=nomination, user=user, **_content_args(form, people)
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存推荐材料的修改。")
            return redirect("activities:nomination_detail", pk=nomination.pk)
    return _form_page(request, campaign, form, nomination=nomination, status=400)


# --- a nomination -------------------------------------------------------------------------


def _evidence(user: User, nomination: Nomination) -> dict[str, Any]:
    if nomination.evidence_id is None:
        return {"item": None, "files": []}
    item = ledger_access.visible_evidence(user).filter(pk=nomination.evidence_id).first()
    files = (
        list(
            EvidenceFile.objects.filter(item=item, removed_at__isnull=True).order_by(
                "position", "id"
            )
        )
        if item is not None
        else []
    )
    return {
        "item": item,
        "photos": [f for f in files if f.kind == FileKind.PHOTO],
        "files": [f for f in files if f.kind != FileKind.PHOTO],
    }


def _publicity(nomination: Nomination) -> dict[str, Any] | None:
    starts, ends = nomination.publicity_starts_on, nomination.publicity_ends_on
    if starts is None or ends is None:
        return None
    today = timezone.localdate()
    left = 0
    if nomination.status == Status.PUBLICIZING and today <= ends:
        left = working_days_between(office_of(nomination.unit), max(today, starts), ends)
    return {"starts": starts, "ends": ends, "ended": today > ends, "left": left}


# The order of the steps on the page; the ones that end a nomination come last.
STEP_ORDER = (
    Action.RECOMMEND,
    Action.REVIEW,
    Action.PUBLICIZE,
    Action.OBJECTION,
    Action.AWARD,
    Action.REFER,
    Action.RETURN,
    Action.WITHDRAW,
    Action.DECLINE,
)
WITH_FILES = (Action.AWARD, Action.REFER)
ENDING = (Action.RETURN, Action.WITHDRAW, Action.DECLINE)


def _steps(
    nomination: Nomination, actions: set[str], bound: dict[str, StepForm]
) -> list[dict[str, Any]]:
    """The steps the user may take now, each with its form (bound after a refusal)."""
    today = timezone.localdate()
    initial: dict[str, dict[str, Any]] = {
        Action.PUBLICIZE: {"starts_on": today, "days": nomination.publicity_days},
        Action.OBJECTION: {"received_on": today},
        Action.AWARD: {
            "awarded_on": today,
            "award_title": services.default_title(nomination.year, nomination.category),
        },
        Action.REFER: {"referred_on": today, "referred_to": "临州好人榜"},
    }
    return [
        {
            "action": action,
            "label": STEP_LABELS[action],
            "form": bound.get(action) or STEP_FORMS[action](initial=initial.get(action)),
            "url": reverse("activities:nomination_action", args=[nomination.pk, action]),
            "files": action in WITH_FILES,
            "ending": action in ENDING,
            "open": action in bound,
        }
        for action in STEP_ORDER
        if action in actions
    ]


def _detail_page(
    request: AuthenticatedHttpRequest,
    nomination: Nomination,
    *,
    bound: dict[str, StepForm] | None = None,
    answering: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    actions = access.available_actions(user, nomination)
    events = list(
        NominationEvent.objects.filter(nomination=nomination)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    objections = list(
        Objection.objects.filter(nomination=nomination)
        .select_related("answered_by")
        .order_by("received_on", "id")
    )
    answer_forms = {}
    if Action.ANSWER in actions:
        for o in objections:
            if o.upheld is not None:
                continue
            given = bound.get(Action.ANSWER) if answering == o.pk else None
            answer_forms[o.pk] = given or AnswerForm(initial={"objection": o.pk})
    rows = [{"objection": o, "form": answer_forms.get(o.pk)} for o in objections]
    rating = nomination.rating
    in_quota = (
        services.rating_rows(nomination.unit, rating.year).filter(pk=rating.pk).first()
        if rating is not None
        else None
    )
    campaign = nomination.campaign
    return render(
        request,
        "activities/nominations/detail.html",
        {
            "n": nomination,
            "campaign": campaign,
            "events": events,
            "objections": rows,
            "open_objections": sum(1 for o in objections if o.upheld is None),
            "standards": list(nomination.standards.order_by("position")),
            "rating": in_quota,
            "publicity": _publicity(nomination),
            "actions": actions,
            "steps": _steps(nomination, actions, bound),
            "answer_url": reverse(
                "activities:nomination_action", args=[nomination.pk, Action.ANSWER]
            ),
            "can_edit": "edit" in actions,
            **_evidence(user, nomination),
            "crumbs": _crumbs(campaign, (nomination.name, None)),
        },
        status=status,
    )


@login_required
def nomination_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination_for_user(request.user, pk)
    return _detail_page(request, nomination)


# --- the steps ----------------------------------------------------------------------------

Step = Callable[[AuthenticatedHttpRequest, Nomination, dict[str, Any]], str]


def _files(request: AuthenticatedHttpRequest) -> list[Any]:
    return request.FILES.getlist("files")


def _recommend(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    services.nomination_recommend(nomination=n, user=request.user, note=data["note"])
    return f"{n.department.name}已推荐{n.name}，等待创建办审核。"


def _review(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    services.nomination_review(nomination=n, user=request.user, note=data["note"])
    return f"已审核通过{n.name}的推荐，可以安排公示。"


def _return(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    services.nomination_return(nomination=n, user=request.user, reason=data["reason"])
    return f"已将{n.name}的推荐退回{n.department.name}。"


def _publicize(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    done = services.nomination_publicize(
        nomination=n, user=request.user, starts_on=data["starts_on"], days=data["days"]
    )
    assert done.publicity_starts_on is not None and done.publicity_ends_on is not None
    return (
        f"已开始公示：{done.publicity_starts_on:%Y-%m-%d}至{done.publicity_ends_on:%Y-%m-%d}，"
        f"共{done.publicity_days}个工作日。"
    )


def _objection(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    services.objection_record(
        nomination=n,
        user=request.user,
        received_on=data["received_on"],
        raised_by=data["raised_by"],
        content=data["content"],
    )
    return "已登记异议，请核实后答复。"


def _answer(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    objection = access.get_objection_for_manager(request.user, n, data["objection"])
    services.objection_answer(
        objection=objection, user=request.user, answer=data["answer"], upheld=data["upheld"]
    )
    if data["upheld"]:
        return "已答复：反映属实，该推荐不予评选。"
    return "已答复：反映不属实。"


def _award(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    done = services.nomination_award(
        nomination=n,
        user=request.user,
        award_title=data["award_title"],
        awarded_on=data["awarded_on"],
        uploads=_files(request),
    )
    return f"已评为{done.award_title}，推荐审批表和上传的材料已存入台账（一事一档）。"


def _refer(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    done = services.nomination_refer(
        nomination=n,
        user=request.user,
        referred_to=data["referred_to"],
        referred_on=data["referred_on"],
        note=data["note"],
        uploads=_files(request),
    )
    return f"已记录推荐上报至{done.referred_to}。"


def _withdraw(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    services.nomination_withdraw(nomination=n, user=request.user, reason=data["reason"])
    return f"已撤回{n.name}的推荐（记录保留）。"


def _decline(request: AuthenticatedHttpRequest, n: Nomination, data: dict[str, Any]) -> str:
    services.nomination_decline(nomination=n, user=request.user, reason=data["reason"])
    return f"{n.name}不予评选（记录保留）。"


STEPS: dict[str, Step] = {
    Action.RECOMMEND: _recommend,
    Action.REVIEW: _review,
    Action.RETURN: _return,
    Action.PUBLICIZE: _publicize,
    Action.OBJECTION: _objection,
    Action.ANSWER: _answer,
    Action.AWARD: _award,
    Action.REFER: _refer,
    Action.WITHDRAW: _withdraw,
    Action.DECLINE: _decline,
}


@login_required
@require_POST
@limited_uploads
def nomination_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the way (`STEPS`), from its form on the detail page."""
    if action not in STEPS:
        raise Http404("没有这个操作。")
    nomination = access.get_nomination_for_user(request.user, pk, action=action)
    form = STEP_FORMS[action](request.POST)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.section_errors.setdefault("files", []).append(refusal)
    elif form.is_valid():
        try:
            message = STEPS[action](request, nomination, form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, message)
            return redirect("activities:nomination_detail", pk=nomination.pk)
    fresh = access.get_nomination_for_user(request.user, pk)
    answering = form.cleaned_data.get("objection") if action == Action.ANSWER else None
    return _detail_page(request, fresh, bound={action: form}, answering=answering, status=400)


# --- ratings ------------------------------------------------------------------------------


def _ratings_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    *,
    form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = access.can_manage(user, campaign.unit)
    rows = (
        access.visible_ratings(user)
        .filter(campaign=campaign)
        .annotate(
            in_quota=Count("nominations", filter=Q(nominations__status__in=services.IN_QUOTA)),
            awarded=Count(
                "nominations", filter=Q(nominations__status__in=services.AWARDED_STATUSES)
            ),
            nominated=Count("nominations", filter=~Q(nominations__status__in=services.CLOSED)),
        )
        .order_by("-year", "category")
    )
    if can_manage and form is None:
        form = RatingForm(campaign=campaign, initial={"year": _default_year(campaign)})
    return render(
        request,
        "activities/nominations/ratings.html",
        {
            "campaign": campaign,
            "unit": campaign.unit,
            "rows": list(rows),
            "form": form if can_manage else None,
            "can_manage": can_manage,
            "action": f"{reverse('activities:rating_new')}?campaign={campaign.pk}",
            "crumbs": _crumbs(campaign, ("年度评选", None)),
        },
        status=status,
    )


@login_required
def ratings(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "ratings", "年度评选")
    return _ratings_page(request, campaign)


@login_required
def rating_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    raw = request.GET.get("campaign", "").strip()
    if not raw.isdigit():
        raise Http404(NO_CAMPAIGN)
    campaign = access.get_campaign_for_manager(user, raw)
    if request.method != "POST":
        return _ratings_page(request, campaign)
    form = RatingForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rating = services.rating_create(
                campaign=campaign,
                user=user,
                year=data["year"],
                category=data["category"],
                criteria=data["criteria"],
                quota=data["quota"],
                publicity_days=data["publicity_days"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已发布{rating}，名额{rating.quota}名。")
            return redirect(f"{reverse('activities:ratings')}?campaign={campaign.pk}")
    return _ratings_page(request, campaign, form=form, status=400)

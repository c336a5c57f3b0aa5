"""Screens of activities (R9): a unit's activities with their festival panel, recording one
through the form, an activity's page with its participants and its proof, and a person's
record in the unit.

The unit is the one of a campaign: `?campaign=` names it, else the one active campaign the
user sees (or the one of their own unit); an office person who sees several chooses. Every
activity is fetched through `wenming.activities.access`; every write goes through
`wenming.activities.services`; the figures (festivals held, a person's hours) come from
`wenming.activities.figures`, which the API reads too. Each page issues a bounded number of
queries whatever the number of activities or participants.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.activities import access, festivals, figures, hours, measures, services
from wenming.activities.forms import ActivityForm, FilterForm, person_choices
from wenming.activities.models import MORAL_STEPS, Activity, ActivityKind, Attendance, Volunteer
from wenming.activities.planned import planned_initial, planned_rows
from wenming.activities.record import person_extras
from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access as ledger_access
from wenming.ledger.files import FileKind
from wenming.ledger.models import EvidenceFile
from wenming.orgs.access import scope_for
from wenming.orgs.models import Membership, Organization, OrgKind
from wenming.orgs.services import unit_people

PAGE_SIZE = 50
# The uploader script (wenming/static/js/uploader.js) marks its requests: a refused form
# then gets only the form back, and the page it follows after success answers 204 so the
# flash message waits for the page the browser opens next (as the ledger's screens do).
UPLOADER_HEADER = "X-Wenming-Uploader"
NO_CAMPAIGN = "没有找到该创建工作，或您无权查看。"


def _from_uploader(request: HttpRequest) -> bool:
    return bool(request.headers.get(UPLOADER_HEADER))


def _index_url(campaign: Campaign | None = None) -> str:
    url = reverse("activities:index")
    return f"{url}?campaign={campaign.pk}" if campaign is not None else url


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# --- which unit ------------------------------------------------------------------------


def _active_campaigns(user: Any) -> list[Campaign]:
    return list(
        campaign_access.visible_campaigns(user)
        .filter(is_active=True)
        .order_by("unit__path", "-cycle_start", "-id")
    )


def _own(user: Any, campaigns: list[Campaign]) -> list[Campaign]:
    """The campaigns of units the user belongs to (on the unit or one of its departments)."""
    places = [
        m.organization.path
        for m in scope_for(user).memberships
        if m.organization.kind != OrgKind.OFFICE
    ]
    return [c for c in campaigns if any(p.startswith(c.unit.path) for p in places)]


def _chosen_campaign(
    request: AuthenticatedHttpRequest,
) -> tuple[Campaign | None, list[Campaign]]:
    """The campaign `?campaign=` names (404 when the user does not see it), else the one
    active campaign the user sees or belongs to; None when they must choose. Also returns
    the active campaigns they see, for the chooser."""
    user = request.user
    campaigns = _active_campaigns(user)
    raw = request.GET.get("campaign", "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404(NO_CAMPAIGN)
        found = next((c for c in campaigns if c.pk == int(raw)), None)
        return found or campaign_access.get_campaign_for_user(user, raw), campaigns
    if len(campaigns) == 1:
        return campaigns[0], campaigns
    own = _own(user, campaigns)
    return (own[0] if len(own) == 1 else None), campaigns


# --- the list ----------------------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign, campaigns = _chosen_campaign(request)
    if campaign is None:
        return render(
            request,
            "activities/choose.html",
            {"campaigns": campaigns, "crumbs": [("活动", None)]},
        )
    unit = campaign.unit
    today = timezone.localdate()
    seen = access.visible_activities(user).filter(unit=unit)
    span = seen.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    found = (
        set(
            range(timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year + 1)
        )
        if span["first"]
        else set()
    )
    years = sorted(found | {today.year}, reverse=True)
    departments = Organization.objects.departments_of(unit).order_by("sort_order", "name")
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = str(today.year)
    filters = FilterForm(data, departments=departments, years=years)
    filters.is_valid()
    chosen = filters.cleaned_data
    listed = seen
    if chosen.get("year"):
        listed = listed.filter(starts_at__year=chosen["year"])
    if chosen.get("month"):
        listed = listed.filter(starts_at__month=chosen["month"])
    if chosen.get("kind"):
        listed = listed.filter(kind=chosen["kind"])
    if chosen.get("department"):
        listed = listed.filter(department=chosen["department"])
    page = Paginator(listed.order_by("-starts_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Each listed activity's people and hours: counted for the page's rows only.
    counts = {
        pk: (n, h)
        for pk, n, h in Attendance.objects.filter(activity__in=[a.pk for a in page])
        .values_list("activity_id")
        .annotate(n=Count("id"), h=Sum("hours"))
        .order_by()
    }
    for a in page:
        a.people, a.hours = counts.get(a.pk, (0, Decimal(0)))  # type: ignore[attr-defined]
    totals = Attendance.objects.filter(activity__in=listed.values("pk")).aggregate(
        people=Count("id"), hours=Sum("hours")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query["campaign"] = str(campaign.pk)
    festival_year = chosen.get("year") or today.year
    return render(
        request,
        "activities/index.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "unit": unit,
            "filters": filters,
            "filtered": any(chosen.get(k) for k in ("month", "kind", "department")),
            "page": page,
            "query": query.urlencode(),
            "totals": {"people": totals["people"], "hours": totals["hours"] or Decimal(0)},
            "festival_year": festival_year,
            "festival_rows": figures.festival_rows(unit, festival_year, today),
            "planned": planned_rows(campaign, today),
            "can_record": access.can_record(user, campaign),
            "crumbs": [("活动", None)],
        },
    )


# --- recording ---------------------------------------------------------------------------


def _form_response(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int
) -> HttpResponse:
    from django.conf import settings

    context.setdefault("max_bytes", int(settings.WENMING_UPLOAD_MAX_BYTES))
    context.setdefault("max_files", int(settings.WENMING_UPLOAD_MAX_FILES))
    if status != 200 and _from_uploader(request):
        return render(request, "activities/_form.html", context, status=status)
    return render(request, "activities/new.html", context, status=status)


def _recorded_message(activity: Activity, count: int, hours: Decimal) -> str:
    return (
        f"已登记活动“{activity.title}”：{count}人参加，共{hours.normalize():f}小时。"
        "照片和生成的签到表已存入台账（一事一档）。"
    )


@login_required
@limited_uploads
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign, _ = _chosen_campaign(request)
    if campaign is None:
        messages.info(request, "请先选择要登记活动的单位。")
        return redirect("activities:index")
    if not access.can_record(user, campaign):
        raise PermissionDenied(access.RECORDERS_ONLY)
    unit = campaign.unit
    departments = access.recording_departments(user, unit)
    people = unit_people(unit)
    form_kwargs: dict[str, Any] = {
        "campaign": campaign,
        "departments": departments,
        "people": person_choices(unit, people),
    }
    status = 200
    if request.method == "POST":
        form = ActivityForm(request.POST, **form_kwargs)
        refusal = upload_refusal(request)
        if refusal:
            form.is_valid()
            form.section_errors.setdefault("photos", []).append(refusal)
        elif form.is_valid():
            data = form.cleaned_data
            participants = form.participant_list(people)
            try:
                activity = services.activity_record(
                    campaign=campaign,
                    user=user,
                    department=data["department"],
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    task=data["task"],
                    standards=form.chosen_standards(),
                    summary=data["summary"],
                    result=data["result"],
                    festival=data["festival"],
                    moral_steps=form.moral_steps(),
                    participants=participants,
                    photos=request.FILES.getlist("files"),
                    occurrence=data["occurrence"],
                    pairing=data["pairing"],
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                rows = list(activity.attendances.all())
                total = sum((r.hours for r in rows), Decimal(0))
                messages.success(request, _recorded_message(activity, len(rows), total))
                return redirect("activities:detail", pk=activity.pk)
        status = 400
    else:
        initial: dict[str, Any] = {
            "starts_at": [timezone.localdate(), None],
            **planned_initial(campaign, request.GET),
        }
        only = list(departments[:2])
        if len(only) == 1 and "department" not in initial:
            initial["department"] = only[0].pk
        form = ActivityForm(initial=initial, **form_kwargs)
    return _form_response(
        request,
        {
            "form": form,
            "campaign": campaign,
            "unit": unit,
            "kinds": {"festival": ActivityKind.FESTIVAL, "moral": ActivityKind.MORAL_LECTURE},
            "action": f"{reverse('activities:new')}?campaign={campaign.pk}",
            "cancel_url": _index_url(campaign),
            "crumbs": [("活动", _index_url(campaign)), ("登记活动", None)],
        },
        status,
    )


# --- an activity -------------------------------------------------------------------------


def _person_url(person_id: int, unit_id: int) -> str:
    return f"{reverse('activities:person', args=[person_id])}?unit={unit_id}"


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if _from_uploader(request):
        return HttpResponse(status=204)
    user = request.user
    activity = access.get_activity_for_user(user, pk)
    rows = list(activity.attendances.select_related("person"))
    participants = [
        {
            "row": r,
            "url": _person_url(r.person_id, activity.unit_id) if r.person_id else None,
        }
        for r in rows
    ]
    item = (
        ledger_access.visible_evidence(user).filter(pk=activity.evidence_id).first()
        if activity.evidence_id
        else None
    )
    files = (
        list(
            EvidenceFile.objects.filter(item=item, removed_at__isnull=True).order_by(
                "position", "id"
            )
        )
        if item is not None
        else []
    )
    festival = festivals.FESTIVALS.get(activity.festival)
    steps = (
        [(label, activity.moral_steps.get(key, "")) for key, label in MORAL_STEPS]
        if activity.moral_steps
        else []
    )
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "task": activity.task,
            "festival": festival.name if festival else "",
            "standards": list(activity.standards.order_by("position")),
            "steps": steps,
            "participants": participants,
            "total_hours": sum((r.hours for r in rows), Decimal(0)),
            "item": item,
            "photos": [f for f in files if f.kind == FileKind.PHOTO],
            "others": [f for f in files if f.kind != FileKind.PHOTO],
            "can_change": access.can_change(user, activity),
            "crumbs": [("活动", _index_url(activity.campaign)), (activity.title, None)],
        },
    )


@login_required
@require_POST
def remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk, write=True)
    reason = (request.POST.get("reason") or "").strip()[:500]
    try:
        services.activity_remove(activity=activity, user=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("activities:detail", pk=activity.pk)
    messages.success(
        request,
        f"已删除活动“{activity.title}”，它的参加人员和时长不再计入统计，台账已一并移入回收站。",
    )
    return redirect(_index_url(activity.campaign))


# --- a person's record -------------------------------------------------------------------


def _units_of(person: User) -> QuerySet[Organization]:
    """The units `person` holds an active role in (on the unit or one of its departments)."""
    places = Membership.objects.filter(
        user=person, is_active=True, organization__is_active=True
    ).select_related("organization")
    ids = set()
    for m in places:
        ids.add(m.organization_id)
        ids.update(m.organization.ancestor_ids)
    return Organization.objects.filter(pk__in=ids, kind=OrgKind.UNIT).order_by("path")


def _person_unit(request: AuthenticatedHttpRequest, person: User) -> Organization:
    """The unit of the person's record: `?unit=`, else the first of the person's units the
    viewer sees. 404 when the viewer does not see it or the person is not of it."""
    scope = scope_for(request.user)
    raw = request.GET.get("unit", "").strip()
    if raw:
        unit = (
            Organization.objects.filter(pk=int(raw), kind=OrgKind.UNIT).first()
            if raw.isdigit()
            else None
        )
    else:
        unit = next((u for u in _units_of(person) if scope.can_view_path(u.path)), None)
    if unit is None or not scope.can_view_path(unit.path):
        raise Http404("没有找到该人员的活动记录，或您无权查看。")
    if not unit_people(unit).filter(pk=person.pk).exists():
        raise Http404("该人员不是本单位人员，没有本单位的活动记录。")
    return unit


@login_required
def person(request: AuthenticatedHttpRequest, user_pk: int) -> HttpResponse:
    found = User.objects.filter(pk=user_pk).first()
    if found is None:
        raise Http404("没有找到该人员的活动记录，或您无权查看。")
    unit = _person_unit(request, found)
    years = figures.hours_by_year(found, unit)
    service = hours.by_year(found, unit)
    service_total = sum((h for _, h, _ in service), Decimal(0))
    star = measures.star_of(service_total)
    page = Paginator(figures.person_attendances(found, unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    name = _name(found)
    return render(
        request,
        "activities/person.html",
        {
            "person": found,
            "name": name,
            "unit": unit,
            "years": years,
            "total_hours": sum((h for _, h, _ in years), Decimal(0)),
            "total_count": sum(n for _, _, n in years),
            "service": service,
            "service_total": service_total,
            "star": star,
            "volunteer": Volunteer.objects.filter(
                unit=unit, person=found, removed_at__isnull=True
            ).first(),
            "extras": person_extras(found, unit),
            "page": page,
            "query": f"unit={unit.pk}",
            "crumbs": [("活动", reverse("activities:index")), (f"{name}的活动记录", None)],
        },
    )

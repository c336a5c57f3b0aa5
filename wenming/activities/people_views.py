"""Screens of a unit's volunteers (志愿服务) and of its standards' measures (达标测算), under
/activities/.

- 志愿者 (`volunteers`): the unit's registered volunteers with their hours this year and in
  all and their stars, the rate of registration and the hours per volunteer; the 创建办
  registers a person and takes a registration out.
- 达标测算 (`measures`): every measured standard of the campaign computed for a year against
  its target, with the exact shortfall and a link to the proof; the 创建办 sets a standard's
  figure and target (prefilled from the standard's words) and lists the standards whose words
  suggest one.

The unit is the one of a campaign (`?campaign=`; else the one campaign the user sees or
belongs to; else a chooser). Access is decided by `people_access`, writes go through
`activities.services`, the figures come from `activities.measures` and `people_access`'s
readings (which the API reads too). Each page issues a bounded number of queries whatever
the number of people or activities. A refused write shows the page again with the Chinese
messages (400) and keeps nothing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.activities import hours as service_hours
from wenming.activities import measures, services
from wenming.activities import people_access as access
from wenming.activities.departments import department_rows
from wenming.activities.models import STAR_HOURS, ActivityKind, Figure, Volunteer
from wenming.activities.people_forms import KIND_FIGURES, MeasureForm, VolunteerForm
from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.access import scope_for
from wenming.orgs.models import Organization, OrgKind
from wenming.orgs.services import unit_people

PAGE_SIZE = 100
NO_CAMPAIGN = "没有找到该创建工作，或您无权查看。"
CENT = Decimal("0.01")
STAR_NAMES = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}
STAR_LEGEND = "、".join(f"{hours}小时{STAR_NAMES[star]}" for star, hours in STAR_HOURS)
FIGURE_UNITS = measures.FIGURE_UNITS


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- which unit, which year ----------------------------------------------------------------


def _year(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("year", "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _years(campaign: Campaign, year: int) -> list[int]:
    """The years to choose from: the campaign's cycle, this year and the one shown."""
    years = set(range(campaign.cycle_start.year, campaign.cycle_end.year + 1))
    years |= {timezone.localdate().year, year}
    return sorted(years, reverse=True)


def _campaign(request: AuthenticatedHttpRequest) -> Campaign | None:
    """`?campaign=` (404 when not read), else the one active campaign the user sees, or
    the one of the unit they belong to; None when they must choose."""
    user = request.user
    raw = request.GET.get("campaign", "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404(NO_CAMPAIGN)
        return access.get_campaign_for_reader(user, raw)
    campaigns = list(
        campaign_access.visible_campaigns(user)
        .filter(is_active=True)
        .order_by("unit__path", "-cycle_start", "-id")
    )
    if len(campaigns) == 1:
        return campaigns[0]
    places = [
        m.organization.path
        for m in scope_for(user).memberships
        if m.organization.kind != OrgKind.OFFICE
    ]
    own = [c for c in campaigns if any(p.startswith(c.unit.path) for p in places)]
    return own[0] if len(own) == 1 else None


def _manager_campaign(request: AuthenticatedHttpRequest) -> Campaign:
    """The campaign `?campaign=` names, for a write: 404 when not read, 403 for a reader
    who is not the unit's 创建办."""
    raw = request.GET.get("campaign", "").strip()
    if not raw.isdigit():
        raise Http404(NO_CAMPAIGN)
    return access.get_campaign_for_manager(request.user, raw)


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


def _query(campaign: Campaign, year: int) -> str:
    return f"?campaign={campaign.pk}&year={year}"


def _volunteers_url(campaign: Campaign, year: int) -> str:
    return reverse("activities:volunteers") + _query(campaign, year)


def _measures_url(campaign: Campaign, year: int) -> str:
    return reverse("activities:measures") + _query(campaign, year)


def _crumbs(campaign: Campaign, title: str) -> list[tuple[str, str | None]]:
    return [("活动", f"{reverse('activities:index')}?campaign={campaign.pk}"), (title, None)]


def _person_url(person_id: int, unit: Organization) -> str | None:
    """A person's record of activities, when that screen is installed."""
    try:
        return f"{reverse('activities:person', args=[person_id])}?unit={unit.pk}"
    except NoReverseMatch:
        return None


# --- volunteers ----------------------------------------------------------------------------


def _candidates(unit: Organization) -> list[tuple[int, str]]:
    """The unit's people not registered yet, as "姓名 · 部门" (two queries)."""
    registered = Volunteer.objects.filter(unit=unit, removed_at__isnull=True).values("person_id")
    people = list(unit_people(unit).exclude(pk__in=registered))
    places = access.places_of(unit, [p.pk for p in people])
    return [(p.pk, f"{_name(p)} · {places[p.pk]}") for p in people]


def _stars(hours: Decimal) -> dict[str, Any]:
    star = measures.star_of(hours)
    return {"count": star, "marks": "★" * star, "name": STAR_NAMES.get(star, "")}


def _volunteer_figures(unit: Organization, year: int, registered: int) -> dict[str, Any]:
    """注册志愿者 N人 / 本单位人员 M人 (rate), service hours per volunteer in `year` (four
    queries)."""
    people = unit_people(unit).count()
    ids = set(
        Volunteer.objects.filter(
            unit=unit, removed_at__isnull=True, registered_on__lte=access.year_end(year)
        ).values_list("person_id", flat=True)
    )
    # Service hours as every figure counts them (`wenming.activities.hours`).
    hours = service_hours.total(unit, year, ids)
    return {
        "registered": registered,
        "people": people,
        "rate": _round(Decimal(registered * 100) / people) if people else None,
        "hours": _round(hours),
        "per_person": _round(hours / registered) if registered else None,
    }


def _volunteers_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    year: int,
    *,
    form: VolunteerForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    unit = campaign.unit
    can_manage = access.can_manage(user, unit)
    page = Paginator(access.volunteer_rows(unit, year), PAGE_SIZE).get_page(request.GET.get("page"))
    found: list[Volunteer] = list(page)
    places = access.places_of(unit, [v.person_id for v in found])
    rows = [
        {
            "volunteer": v,
            "name": _name(v.person),
            "place": places[v.person_id],
            "url": _person_url(v.person_id, unit),
            "hours_year": v.hours_year,  # type: ignore[attr-defined]
            "hours_total": v.hours_total,  # type: ignore[attr-defined]
            "stars": _stars(v.hours_total),  # type: ignore[attr-defined]
        }
        for v in found
    ]
    if can_manage and form is None:
        form = VolunteerForm(people=_candidates(unit))
    return render(
        request,
        "activities/people/volunteers.html",
        {
            "campaign": campaign,
            "unit": unit,
            "year": year,
            "years": _years(campaign, year),
            "this_year": year == timezone.localdate().year,
            "page": page,
            "rows": rows,
            "query": _query(campaign, year).lstrip("?"),
            "figures": _volunteer_figures(unit, year, page.paginator.count),
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "error": error,
            "measures_url": _measures_url(campaign, year),
            "here": reverse("activities:volunteers"),
            "star_legend": STAR_LEGEND,
            "action": reverse("activities:volunteer_new") + _query(campaign, year),
            "crumbs": _crumbs(campaign, "志愿服务"),
        },
        status=status,
    )


@login_required
def volunteers(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "volunteers", "志愿服务")
    return _volunteers_page(request, campaign, _year(request))


@login_required
@require_POST
def volunteer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _manager_campaign(request)
    unit = campaign.unit
    year = _year(request)
    people = list(unit_people(unit))
    by_pk = {p.pk: p for p in people}
    # Any person of the unit is accepted here, so that one already registered is told so
    # by the service; the list shown again offers only those not registered.
    form = VolunteerForm(request.POST, people=[(p.pk, _name(p)) for p in people])
    if form.is_valid():
        data = form.cleaned_data
        person = by_pk[data["person"]]
        try:
            services.volunteer_register(
                unit=unit,
                person=person,
                user=user,
                registered_on=data["registered_on"],
                national=data["national"],
                national_id=data["national_id"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已登记{_name(person)}为本单位注册志愿者。")
            return redirect(_volunteers_url(campaign, year))
    person_field: Any = form.fields["person"]
    person_field.choices = [("", "请选择本单位人员"), *_candidates(unit)]
    return _volunteers_page(request, campaign, year, form=form, status=400)


def _campaign_of(request: AuthenticatedHttpRequest, unit: Organization) -> Campaign | None:
    """The campaign to show the unit's page in: `?campaign=` if it is the unit's, else its
    active one (else its latest)."""
    raw = request.GET.get("campaign", "").strip()
    found = Campaign.objects.select_related("unit", "framework").filter(unit=unit)
    chosen = found.filter(pk=int(raw)).first() if raw.isdigit() else None
    return chosen or found.order_by("-is_active", "-cycle_start", "-id").first()


@login_required
@require_POST
def volunteer_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    volunteer = access.get_volunteer_for_manager(user, pk)
    campaign = _campaign_of(request, volunteer.unit)
    year = _year(request)
    name = _name(volunteer.person)
    try:
        services.volunteer_remove(volunteer=volunteer, user=user)
    except ValidationError as exc:
        message = "；".join(exc.messages)
        if campaign is None:
            messages.error(request, message)
            return redirect("activities:index")
        return _volunteers_page(request, campaign, year, error=message, status=400)
    messages.success(request, f"已取消{name}的志愿者登记（记录保留），不再计入注册志愿者。")
    if campaign is None:
        return redirect("activities:index")
    return redirect(_volunteers_url(campaign, year))


# --- measures ------------------------------------------------------------------------------


def _proof(figure: str, kind: str, campaign: Campaign, year: int) -> tuple[str, str]:
    """Where a row's value can be checked: the volunteers, or the activities it counts."""
    if figure in (Figure.VOLUNTEER_RATE, Figure.HOURS_PER_PERSON):
        return _volunteers_url(campaign, year), "查看志愿者"
    if figure == Figure.FESTIVALS:
        kind = ActivityKind.FESTIVAL
    url = f"{reverse('activities:index')}?campaign={campaign.pk}&year={year}"
    return (f"{url}&kind={kind}" if kind else url), "查看活动"


def _measure_rows(campaign: Campaign, year: int) -> list[dict[str, Any]]:
    rows = []
    for row in measures.measure_rows(campaign, year):
        m = row.measure
        url, label = _proof(m.figure, m.kind, campaign, year)
        rows.append(
            {
                "row": row,
                "measure": m,
                "standard": m.standard,
                "unit": FIGURE_UNITS.get(Figure(m.figure), ""),
                "kind_label": ActivityKind(m.kind).label if m.kind else "",
                "proof_url": url,
                "proof_label": label,
            }
        )
    return rows


def _prefilled(
    request: AuthenticatedHttpRequest, leaves: list[Any], rows: list[dict[str, Any]]
) -> tuple[MeasureForm, str]:
    """The form, prefilled for `?standard=`: its measure if it has one, else what its words
    suggest (with a note saying so)."""
    raw = request.GET.get("standard", "").strip()
    node = next((n for n in leaves if str(n.pk) == raw), None) if raw.isdigit() else None
    if node is None:
        return MeasureForm(standards=leaves), ""
    current = next((r["measure"] for r in rows if r["measure"].standard_id == node.pk), None)
    if current is not None:
        initial = {"figure": current.figure, "kind": current.kind, "target": current.target}
        note = f"{node.code}已设置达标测算，修改后保存即可。"
    else:
        found = measures.suggest(node)
        if found is None:
            initial = {}
            note = f"{node.code}的原文没有写明可计算的目标，请选择计算口径并填写目标值。"
        else:
            initial = {"figure": found.figure, "kind": found.kind, "target": found.target}
            note = f"已按标准原文“{node.title}”预填，请核对后保存。"
    initial["standard"] = node.pk
    if "target" in initial:
        initial["target"] = f"{Decimal(initial['target']).normalize():f}"
    return MeasureForm(standards=leaves, initial=initial), note


def _measures_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    year: int,
    *,
    form: MeasureForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = access.can_manage(user, campaign.unit)
    rows = _measure_rows(campaign, year)
    note = ""
    suggestions: list[access.OpenSuggestion] = []
    if can_manage:
        leaves = access.leaf_standards(campaign)
        if form is None:
            form, note = _prefilled(request, leaves, rows)
        suggestions = access.open_suggestions(campaign, leaves)
    met = sum(1 for r in rows if r["row"].met)
    return render(
        request,
        "activities/people/measures.html",
        {
            "campaign": campaign,
            "unit": campaign.unit,
            "year": year,
            "years": _years(campaign, year),
            "rows": rows,
            "met": met,
            "unmet": len(rows) - met,
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "note": note,
            "error": error,
            "kind_figures": [str(f) for f in KIND_FIGURES],
            "suggestions": [
                {
                    "standard": s.standard,
                    "figure_label": Figure(s.suggestion.figure).label,
                    "kind_label": ActivityKind(s.suggestion.kind).label
                    if s.suggestion.kind
                    else "",
                    "target": s.suggestion.target,
                    "unit": FIGURE_UNITS.get(Figure(s.suggestion.figure), ""),
                }
                for s in suggestions
            ],
            "volunteers_url": _volunteers_url(campaign, year),
            "here": reverse("activities:measures"),
            "action": reverse("activities:measure_set") + _query(campaign, year),
            "query": _query(campaign, year).lstrip("?"),
            "crumbs": _crumbs(campaign, "达标测算"),
        },
        status=status,
    )


@login_required
def measures_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "measures", "达标测算")
    return _measures_page(request, campaign, _year(request))


def _set_message(measure: Any) -> str:
    target = f"{measure.target.normalize():f}"
    unit = FIGURE_UNITS.get(Figure(measure.figure), "")
    return (
        f"已设置{measure.standard.code}的达标测算：{measure.get_figure_display()}，"
        f"目标{target}{unit}。"
    )


@login_required
@require_POST
def measure_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _manager_campaign(request)
    year = _year(request)
    leaves = access.leaf_standards(campaign)
    if request.POST.get("suggested"):
        # 按原文设置: the figure and target the standard's own words state.
        raw = request.POST.get("standard", "")
        node = next((n for n in leaves if str(n.pk) == raw), None)
        found = measures.suggest(node) if node is not None else None
        if node is None or found is None:
            message = (
                "该测评标准的原文没有写明可计算的目标，请在下方表单中选择计算口径并填写目标值。"
            )
            return _measures_page(request, campaign, year, error=message, status=400)
        try:
            measure = services.measure_set(
                campaign=campaign,
                standard=node,
                user=user,
                figure=found.figure,
                target=str(found.target),
                kind=found.kind,
            )
        except ValidationError as exc:
            message = "；".join(exc.messages)
            return _measures_page(request, campaign, year, error=message, status=400)
        messages.success(request, _set_message(measure))
        return redirect(_measures_url(campaign, year))
    form = MeasureForm(request.POST, standards=leaves)
    if form.is_valid():
        data = form.cleaned_data
        try:
            measure = services.measure_set(
                campaign=campaign,
                standard=form.chosen_standard(),
                user=user,
                figure=data["figure"],
                target=data["target"],
                kind=data["kind"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _set_message(measure))
            return redirect(_measures_url(campaign, year))
    return _measures_page(request, campaign, year, form=form, status=400)


# --- the people side per department ------------------------------------------------------


@login_required
def departments_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "departments", "部门指标")
    year = _year(request)
    rows = department_rows(campaign, year)
    return render(
        request,
        "activities/people/departments.html",
        {
            "campaign": campaign,
            "unit": campaign.unit,
            "year": year,
            "years": _years(campaign, year),
            "rows": rows,
            "here": reverse("activities:departments"),
            "crumbs": [("活动", reverse("activities:index")), ("部门指标", None)],
        },
    )

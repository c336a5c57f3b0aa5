"""Screens of imported volunteer hours, 双报到 and 帮扶共建, under /activities/.

- 时长导入 (`hours_imports`, `hours_import_new`, `hours_import_detail`): the unit's imports
  with their totals; uploading a platform's sheet (the result: rows, people, hours; or every
  bad row listed, nothing kept); one import with its rows.
- 双报到 (`community`, `community_new`, `community_feedback`, `community_remove`): the members
  with their communities and a quarter grid of the community's feedback, who lacks it this
  quarter; registering a member, recording a quarter's feedback, taking a member out.
- 帮扶共建 (`pairings`, `pairing_new`, `pairing_detail`, `pairing_remove`): the pairings with
  their visits this year against the plan; one pairing's plan and visits, with the link to
  record a visit as an activity.

The unit is the one of a campaign (`?campaign=`, chosen as on the volunteers' page). Access
is `service_access`, writes and readings are `hours_import` and `community`. Each page
issues a bounded number of queries whatever the number of rows. A refused write shows the
page again with the Chinese messages (400) and keeps nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from wenming.activities import community, hours_import
from wenming.activities import people_access as people
from wenming.activities import service_access as access
from wenming.activities.models import (
    CommunityReport,
    FeedbackRating,
    HoursImport,
    Pairing,
    ServiceHours,
)

# The volunteers' page chooses the unit the same way; one rule for both.
from wenming.activities.people_views import _campaign, _campaign_of, _choose, _year, _years
from wenming.activities.service_forms import (
    ACCEPT,
    CommunityReportForm,
    FeedbackForm,
    HoursImportForm,
    PairingForm,
)
from wenming.campaigns.models import Campaign
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

PAGE_SIZE = 50
ROWS_PAGE = 100
PROBLEMS_SHOWN = 500  # a refusal lists this many problems on the page (the count is complete)
NO_CAMPAIGN = "没有找到该创建工作，或您无权查看。"


def _name(user: Any) -> str:
    return user.get_full_name() or user.username


def _query(campaign: Campaign | None, year: int | None = None) -> str:
    if campaign is None:
        return ""
    return f"?campaign={campaign.pk}" + (f"&year={year}" if year else "")


def _url(name: str, campaign: Campaign | None, year: int | None = None, *args: Any) -> str:
    return reverse(f"activities:{name}", args=args) + _query(campaign, year)


def _crumbs(campaign: Campaign | None, *tail: tuple[str, str | None]) -> list[Any]:
    index = reverse("activities:index") + _query(campaign)
    return [("活动", index), *tail]


def _campaign_arg(request: AuthenticatedHttpRequest) -> Campaign:
    """The campaign `?campaign=` names, read by the user (404 otherwise)."""
    raw = request.GET.get("campaign", "").strip()
    if not raw.isdigit():
        raise Http404(NO_CAMPAIGN)
    return people.get_campaign_for_reader(request.user, raw)


def _manager_campaign(request: AuthenticatedHttpRequest) -> Campaign:
    campaign = _campaign_arg(request)
    access.require_manager(request.user, campaign.unit)
    return campaign


def _head(campaign: Campaign, year: int, tab: str, here: str) -> dict[str, Any]:
    return {
        "campaign": campaign,
        "unit": campaign.unit,
        "year": year,
        "years": _years(campaign, year),
        "tab": tab,
        "here": reverse(f"activities:{here}"),
    }


# --- imported hours -------------------------------------------------------------------------


@login_required
def hours_imports(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "hours_imports", "志愿服务时长导入")
    unit = campaign.unit
    year = _year(request)
    imports = (
        HoursImport.objects.filter(unit=unit)
        .select_related("created_by")
        .annotate(people=Count("entries__person", distinct=True))
        .order_by("-created_at", "-id")
    )
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = HoursImport.objects.filter(unit=unit).aggregate(rows=Sum("rows"), hours=Sum("hours"))
    imported = ServiceHours.objects.filter(unit=unit, removed_at__isnull=True)
    return render(
        request,
        "activities/service/hours_imports.html",
        {
            **_head(campaign, year, "hours", "hours_imports"),
            "page": page,
            "imports": list(page),
            "totals": {
                "imports": page.paginator.count,
                "rows": totals["rows"] or 0,
                "hours": totals["hours"] or 0,
                "people": imported.values("person_id").distinct().count(),
            },
            "can_import": access.can_import_hours(request.user, unit),
            "new_url": _url("hours_import_new", campaign, year),
            "query": _query(campaign, year).lstrip("?"),
            "crumbs": _crumbs(campaign, ("志愿服务时长导入", None)),
        },
    )


def _upload_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    form: HoursImportForm,
    *,
    problems: list[hours_import.Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    year = _year(request)
    found = problems or []
    return render(
        request,
        "activities/service/hours_import_new.html",
        {
            **_head(campaign, year, "hours", "hours_imports"),
            "form": form,
            "problems": found[:PROBLEMS_SHOWN],
            "problem_count": len(found),
            "problem_rows": len({p.row for p in found if p.row}),
            "more_problems": max(len(found) - PROBLEMS_SHOWN, 0),
            "accept": ACCEPT,
            "action": _url("hours_import_new", campaign, year),
            "crumbs": _crumbs(
                campaign,
                ("志愿服务时长导入", _url("hours_imports", campaign, year)),
                ("导入时长", None),
            ),
        },
        status=status,
    )


@limited_uploads
@login_required
@require_http_methods(["GET", "POST"])
def hours_import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _campaign_arg(request)
    unit = campaign.unit
    access.require_hours_writer(user, unit)
    if request.method != "POST":
        return _upload_page(request, campaign, HoursImportForm())
    form = HoursImportForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("file", refusal)
        return _upload_page(request, campaign, form, status=400)
    if not form.is_valid():
        return _upload_page(request, campaign, form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    try:
        result = hours_import.hours_import(
            unit=unit, user=user, content=content, file_name=upload.name or ""
        )
    except hours_import.HoursRefused as exc:
        return _upload_page(request, campaign, form, problems=exc.problems, status=400)
    record = result.record
    messages.success(
        request,
        f"已导入“{record.file_name}”：{record.rows}行，{result.people}人，"
        f"合计{record.hours}小时，已计入各人的志愿服务时长。",
    )
    return redirect(_url("hours_import_detail", campaign, None, record.pk))


@login_required
def hours_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = access.get_import_for_reader(request.user, pk)
    campaign = _campaign_of(request, record.unit)
    entries = record.entries.select_related("person").order_by("id")
    page = Paginator(entries, ROWS_PAGE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "name": _name(e.person)} for e in page]
    crumbs: list[Any] = [
        ("志愿服务时长导入", _url("hours_imports", campaign)),
        (record.file_name, None),
    ]
    return render(
        request,
        "activities/service/hours_import_detail.html",
        {
            "record": record,
            "unit": record.unit,
            "campaign": campaign,
            "people": record.entries.values("person_id").distinct().count(),
            "page": page,
            "rows": rows,
            "query": _query(campaign).lstrip("?"),
            "list_url": _url("hours_imports", campaign),
            "crumbs": _crumbs(campaign, *crumbs),
        },
    )


# --- 双报到 ------------------------------------------------------------------------------------


def _report_candidates(unit: Organization) -> list[tuple[int, str]]:
    """The unit's people not reported yet, as "姓名 · 部门" (two queries)."""
    reported = community.live_reports(unit).values("person_id")
    found = list(unit_people(unit).exclude(pk__in=reported))
    places = people.places_of(unit, [p.pk for p in found])
    return [(p.pk, f"{_name(p)} · {places[p.pk]}") for p in found]


def _feedback_years(campaign: Campaign) -> list[int]:
    today = timezone.localdate()
    return sorted({campaign.cycle_start.year, today.year - 1, today.year}, reverse=True)


def _chosen_report(request: AuthenticatedHttpRequest, unit: Organization) -> CommunityReport | None:
    raw = request.GET.get("report", "").strip()
    if not raw.isdigit():
        return None
    return community.live_reports(unit).select_related("person").filter(pk=int(raw)).first()


def _community_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    year: int,
    *,
    form: CommunityReportForm | None = None,
    feedback_form: FeedbackForm | None = None,
    chosen: CommunityReport | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    unit = campaign.unit
    can_manage = access.can_manage(user, unit)
    page = Paginator(community.report_queryset(unit, year), ROWS_PAGE).get_page(
        request.GET.get("page")
    )
    rows = community.report_rows(unit, year, page.object_list)
    if can_manage and form is None:
        form = CommunityReportForm(people=_report_candidates(unit))
    if can_manage and chosen is None:
        chosen = _chosen_report(request, unit)
    if can_manage and chosen is not None and feedback_form is None:
        feedback_form = _feedback_form(request, campaign, chosen, year)
    query = _query(campaign, year)
    return render(
        request,
        "activities/service/community.html",
        {
            **_head(campaign, year, "community", "community"),
            "page": page,
            "rows": rows,
            "figures": community.community_figures(unit, year),
            "quarters": (1, 2, 3, 4),
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "feedback_form": feedback_form if can_manage else None,
            "chosen": chosen if can_manage else None,
            "chosen_name": _name(chosen.person) if chosen is not None else "",
            "error": error,
            "query": query.lstrip("?"),
            "action": _url("community_new", campaign, year),
            "crumbs": _crumbs(campaign, ("双报到", None)),
        },
        status=status,
    )


def _feedback_form(
    request: AuthenticatedHttpRequest, campaign: Campaign, report: CommunityReport, year: int
) -> FeedbackForm:
    """The form for `?report=`, prefilled with that quarter's feedback when there is one."""
    raw = request.GET.get("quarter", "")
    quarter = int(raw) if raw in ("1", "2", "3", "4") else community.shown_quarter(year) or 4
    initial: dict[str, Any] = {"year": year, "quarter": quarter}
    current = report.feedback.filter(year=year, quarter=quarter).first()
    if current is not None:
        initial.update({"rating": current.rating, "hours": current.hours, "note": current.note})
    return FeedbackForm(years=_feedback_years(campaign), initial=initial)


@login_required
def community_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "community", "双报到")
    return _community_page(request, campaign, _year(request))


@login_required
@require_POST
def community_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _manager_campaign(request)
    unit = campaign.unit
    year = _year(request)
    found = list(unit_people(unit))
    by_pk = {p.pk: p for p in found}
    form = CommunityReportForm(request.POST, people=[(p.pk, _name(p)) for p in found])
    if form.is_valid():
        data = form.cleaned_data
        person = by_pk[data["person"]]
        try:
            report = community.community_report(
                unit=unit,
                person=person,
                user=user,
                community=data["community"],
                reported_on=data["reported_on"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已登记{_name(person)}向“{report.community}”报到。")
            return redirect(_url("community", campaign, year))
    person_field: Any = form.fields["person"]
    person_field.choices = [("", "请选择本单位党员"), *_report_candidates(unit)]
    return _community_page(request, campaign, year, form=form, status=400)


@login_required
@require_POST
def community_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access.get_report_for_manager(user, pk)
    campaign = _campaign_of(request, report.unit)
    if campaign is None:
        raise Http404(NO_CAMPAIGN)
    year = _year(request)
    form = FeedbackForm(request.POST, years=_feedback_years(campaign))
    if form.is_valid():
        data = form.cleaned_data
        try:
            feedback = community.community_feedback_record(
                report=report,
                user=user,
                year=data["year"],
                quarter=data["quarter"],
                rating=data["rating"],
                hours=data["hours"],
                note=data["note"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _community_page(
                    request, campaign, year, error="；".join(exc.messages), status=400
                )
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已登记{_name(report.person)}{feedback.year}年第{feedback.quarter}季度的社区反馈："
                f"{FeedbackRating(feedback.rating).label}。",
            )
            return redirect(_url("community", campaign, feedback.year))
    return _community_page(request, campaign, year, feedback_form=form, chosen=report, status=400)


@login_required
@require_POST
def community_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access.get_report_for_manager(user, pk)
    campaign = _campaign_of(request, report.unit)
    year = _year(request)
    try:
        community.community_report_remove(report=report, user=user)
    except ValidationError as exc:
        if campaign is None:
            messages.error(request, "；".join(exc.messages))
            return redirect("activities:index")
        return _community_page(request, campaign, year, error="；".join(exc.messages), status=400)
    messages.success(request, f"已移除{_name(report.person)}的双报到登记（记录和社区反馈保留）。")
    if campaign is None:
        return redirect("activities:index")
    return redirect(_url("community", campaign, year))


# --- 帮扶共建 ----------------------------------------------------------------------------------


def _departments(unit: Organization) -> list[tuple[int, str]]:
    found = Organization.objects.departments_of(unit, active_only=True).order_by("name")
    return [(d.pk, d.name) for d in found]


def _pairings_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    year: int,
    *,
    form: PairingForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = access.can_manage(user, campaign.unit)
    rows = community.pairing_rows(campaign, year)
    if can_manage and form is None:
        form = PairingForm(departments=_departments(campaign.unit))
    return render(
        request,
        "activities/service/pairings.html",
        {
            **_head(campaign, year, "pairings", "pairings"),
            "rows": rows,
            "visits": sum(r.visits for r in rows),
            "planned": sum(r.planned for r in rows),
            "short": sum(r.short for r in rows),
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "error": error,
            "query": _query(campaign, year).lstrip("?"),
            "action": _url("pairing_new", campaign, year),
            "crumbs": _crumbs(campaign, ("帮扶共建", None)),
        },
        status=status,
    )


@login_required
def pairings(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "pairings", "帮扶共建")
    return _pairings_page(request, campaign, _year(request))


@login_required
@require_POST
def pairing_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    campaign = _manager_campaign(request)
    year = _year(request)
    departments = Organization.objects.departments_of(campaign.unit, active_only=True)
    by_pk = {d.pk: d for d in departments}
    form = PairingForm(request.POST, departments=[(d.pk, d.name) for d in by_pk.values()])
    if form.is_valid():
        data = form.cleaned_data
        try:
            pairing = community.pairing_create(
                campaign=campaign,
                user=user,
                department=by_pk.get(data["department"]),
                partner=data["partner"],
                plan=data["plan"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                visits_planned=data["visits_planned"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已新增帮扶共建对象“{pairing.partner}”。")
            return redirect(_url("pairing_detail", campaign, year, pairing.pk))
    return _pairings_page(request, campaign, year, form=form, status=400)


@login_required
def pairing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    pairing = access.get_pairing_for_user(user, pk)
    campaign = pairing.campaign
    year = _year(request)
    visits = list(community.pairing_visits(pairing))
    in_year = sum(1 for v in visits if timezone.localtime(v.starts_at).year == year)
    row = community.pairing_row(pairing, year, in_year)
    new_visit = ""
    if access.can_record_visit(user, campaign):
        query = f"?campaign={campaign.pk}&kind=pairing&pairing={pairing.pk}"
        new_visit = reverse("activities:new") + query
    return render(
        request,
        "activities/service/pairing_detail.html",
        {
            **_head(campaign, year, "pairings", "pairings"),
            "here": reverse("activities:pairing_detail", args=[pairing.pk]),
            "pairing": pairing,
            "row": row,
            "visits": visits,
            "new_visit": new_visit,
            "can_manage": access.can_manage(user, pairing.unit),
            "query": _query(campaign, year).lstrip("?"),
            "crumbs": _crumbs(
                campaign, ("帮扶共建", _url("pairings", campaign, year)), (pairing.partner, None)
            ),
        },
    )


@login_required
@require_POST
def pairing_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    pairing: Pairing = access.get_pairing_for_user(user, pk, write=True)
    year = _year(request)
    try:
        community.pairing_remove(pairing=pairing, user=user)
    except ValidationError as exc:
        return _pairings_page(
            request, pairing.campaign, year, error="；".join(exc.messages), status=400
        )
    messages.success(request, f"已移除帮扶共建对象“{pairing.partner}”（记录和走访活动保留）。")
    return redirect(_url("pairings", pairing.campaign, year))

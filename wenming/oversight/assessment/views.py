"""Screens for the department assessment (部门考核, R8): ranking, rules, accountability.

The ranking is read by everyone who sees the campaign; the rules and the accountability
records are kept by the unit's 创建办 and the office admins above. Routed by `urls.py`.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns.models import Campaign
from wenming.core.xlsx import CONTENT_TYPE
from wenming.http import AuthenticatedHttpRequest
from wenming.oversight import access
from wenming.oversight.assessment import services
from wenming.oversight.assessment.excel import ranking_workbook
from wenming.oversight.assessment.forms import (
    AccountabilityForm,
    CommendationForm,
    CommendationWithdrawForm,
    RuleForm,
    WithdrawForm,
)
from wenming.oversight.assessment.people import assess_people, person_record, recipient
from wenming.oversight.assessment.ranking import assess, assessment_years, current_year
from wenming.oversight.models import Accountability, Commendation

# --- helpers -------------------------------------------------------------------------------


def _year(request: AuthenticatedHttpRequest, campaign: Campaign) -> tuple[int, list[int]]:
    today = timezone.localdate()
    years = assessment_years(campaign, today)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if year not in years:
        year = current_year(campaign, today)
    return year, years


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("tasks:table", args=[campaign.pk])),
        ("督查整改", reverse("oversight:problems", args=[campaign.pk])),
    ]
    crumbs.extend(tail)
    return crumbs


def _links(campaign: Campaign, year: int) -> dict[str, str]:
    return {
        "tasks_on_time": reverse("tasks:table", args=[campaign.pk]) + "?department={dept}",
        "evidence_first_pass": reverse("ledger:items", args=[campaign.pk])
        + f"?department={{dept}}&year={year}",
        "problems_on_time": reverse("oversight:problems", args=[campaign.pk])
        + "?department={dept}",
        "reports_submitted": reverse("reports:rollup", args=[campaign.pk]),
    }


# --- the ranking ---------------------------------------------------------------------------


def _person_url(campaign: Campaign, year: int) -> str:
    url = reverse("oversight:assessment_person", args=[campaign.pk, 987654321])
    return url.replace("987654321", "{user}") + f"?year={year}"


@login_required
def ranking(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk)
    year, years = _year(request, campaign)
    rule = services.rule_for(campaign.unit, year)
    scores = assess(campaign, year, rule, links=_links(campaign, year), people=True)
    people = assess_people(campaign, year, rule, url=_person_url(campaign, year))
    labels = [m.label for m in scores[0].measures] if scores else []
    weights = [(label, getattr(rule, name)) for name, label in services.WEIGHT_LABELS.items()]
    return render(
        request,
        "oversight/assessment/ranking.html",
        {
            "campaign": campaign,
            "year": year,
            "years": years,
            "rule": rule,
            "weights": weights,
            "possible": sum((w for _, w in weights), start=0),
            "scores": scores,
            "labels": labels,
            "ineligible": sum(1 for s in scores if not s.eligible),
            "not_ranked": sum(1 for s in scores if not s.ranked),
            "people": people,
            "people_ineligible": sum(1 for p in people if not p.eligible),
            "can_manage": access.can_manage_assessment(request.user, campaign.unit),
            "reads_records": access.reads_assessment_records(request.user, campaign.unit),
            "today": timezone.localdate(),
            "crumbs": _crumbs(campaign, ("部门考核", None)),
        },
    )


@login_required
def person(request: AuthenticatedHttpRequest, campaign_pk: int, user_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk)
    year, years = _year(request, campaign)
    rule = services.rule_for(campaign.unit, year)
    record = person_record(campaign, year, user_pk, rule)
    if record is None:
        raise Http404("没有找到该人员，或其不在本单位的部门中。")
    back = reverse("oversight:assessment", args=[campaign.pk]) + f"?year={year}#people"
    return render(
        request,
        "oversight/assessment/person.html",
        {
            "campaign": campaign,
            "year": year,
            "years": years,
            "rule": rule,
            "record": record,
            "p": record.score,
            "today": timezone.localdate(),
            "crumbs": _crumbs(campaign, ("部门考核", back), (record.score.name, None)),
        },
    )


@login_required
def ranking_export(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk)
    year, _ = _year(request, campaign)
    rule = services.rule_for(campaign.unit, year)
    content = ranking_workbook(
        campaign, year, rule, assess(campaign, year, rule), assess_people(campaign, year, rule)
    )
    name = f"{campaign.unit.name}{year}年部门考核.xlsx"
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- rules ---------------------------------------------------------------------------------


@login_required
def rules(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, write=True)
    year, years = _year(request, campaign)
    rule = services.rule_for(campaign.unit, year)
    status = 200
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                services.rule_save(
                    unit=campaign.unit, year=year, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, f"已保存{year}年部门考核规则。")
                return redirect(
                    reverse("oversight:assessment", args=[campaign.pk]) + f"?year={year}"
                )
        status = 400
    else:
        fields = (*services.WEIGHT_FIELDS, "max_overdue_problems")
        form = RuleForm(initial={n: getattr(rule, n) for n in fields})
    return render(
        request,
        "oversight/assessment/rules.html",
        {
            "campaign": campaign,
            "year": year,
            "years": years,
            "rule": rule,
            "form": form,
            "total": services.rule_total(rule),
            "crumbs": _crumbs(
                campaign,
                ("部门考核", reverse("oversight:assessment", args=[campaign.pk]) + f"?year={year}"),
                ("考核规则", None),
            ),
        },
        status=status,
    )


# --- accountability ------------------------------------------------------------------------


def _accountability_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    form: AccountabilityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    records = list(
        Accountability.objects.live()
        .filter(campaign=campaign)
        .select_related("department", "problem", "recorded_by", "person_user")
        .order_by("-decided_on", "-id")
    )
    withdrawn = list(
        Accountability.objects.withdrawn()
        .filter(campaign=campaign)
        .select_related("department")
        .order_by("-removed_at")[:20]
    )
    return render(
        request,
        "oversight/assessment/accountability.html",
        {
            "campaign": campaign,
            "records": records,
            "withdrawn": withdrawn,
            "form": form
            or AccountabilityForm(campaign=campaign, initial={"decided_on": timezone.localdate()}),
            "withdraw_form": WithdrawForm(auto_id="withdraw_%s"),
            "open_form": form is not None,
            "can_manage": access.can_manage_assessment(request.user, campaign.unit),
            "crumbs": _crumbs(
                campaign,
                ("部门考核", reverse("oversight:assessment", args=[campaign.pk])),
                ("追责记录", None),
            ),
        },
        status=status,
    )


@login_required
def accountability_list(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, records=True)
    return _accountability_page(request, campaign)


@login_required
@require_POST
def accountability_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, write=True)
    form = AccountabilityForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.accountability_record(
                campaign=campaign,
                department=data["department"],
                user=request.user,
                decided_on=data["decided_on"],
                reason=data["reason"],
                person=data["person"],
                person_user=data["person_user"],
                measure=data["measure"],
                problem=data["problem"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            whom = record.department.name + (f"和{record.person}" if record.person_user else "")
            messages.success(
                request, f"已记录对{whom}的追责，{record.decided_on.year}年取消评优资格。"
            )
            return redirect("oversight:accountability", campaign_pk=campaign.pk)
    return _accountability_page(request, campaign, form, status=400)


@login_required
@require_POST
def accountability_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = access.get_accountability_for_user(request.user, pk, write=True)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.accountability_remove(
                record=record, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已撤销对{record.department.name}的追责记录。")
            return redirect("oversight:accountability", campaign_pk=record.campaign_id)
    for message in form.errors.get("reason", []) or form.non_field_errors():
        messages.error(request, str(message))
    return _accountability_page(request, record.campaign, status=400)


# --- commendations (表彰奖励) ---------------------------------------------------------------


def _commendation_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    form: CommendationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    records = list(
        Commendation.objects.live()
        .filter(campaign=campaign)
        .select_related("department", "person", "recorded_by")
        .order_by("-decided_on", "-id")
    )
    withdrawn = list(
        Commendation.objects.filter(campaign=campaign, removed_at__isnull=False)
        .select_related("department", "person")
        .order_by("-removed_at")[:20]
    )
    return render(
        request,
        "oversight/assessment/commendations.html",
        {
            "campaign": campaign,
            "records": records,
            "withdrawn": withdrawn,
            "form": form
            or CommendationForm(campaign=campaign, initial={"decided_on": timezone.localdate()}),
            "can_manage": access.can_manage_assessment(request.user, campaign.unit),
            "crumbs": _crumbs(
                campaign,
                ("部门考核", reverse("oversight:assessment", args=[campaign.pk])),
                ("表彰奖励", None),
            ),
        },
        status=status,
    )


@login_required
def commendation_list(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, records=True)
    return _commendation_page(request, campaign)


@login_required
@require_POST
def commendation_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, write=True)
    form = CommendationForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.commendation_record(
                campaign=campaign,
                user=request.user,
                department=data["department"],
                person=data["person"],
                decided_on=data["decided_on"],
                title=data["title"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已记录{recipient(record)}的表彰：{record.title}。")
            return redirect("oversight:commendations", campaign_pk=campaign.pk)
    return _commendation_page(request, campaign, form, status=400)


@login_required
@require_POST
def commendation_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = access.get_commendation_for_user(request.user, pk, write=True)
    form = CommendationWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.commendation_remove(
                record=record, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已撤销表彰记录：{record.title}。")
            return redirect("oversight:commendations", campaign_pk=record.campaign_id)
    for message in form.errors.get("reason", []) or form.non_field_errors():
        messages.error(request, str(message))
    return _commendation_page(request, record.campaign, status=400)

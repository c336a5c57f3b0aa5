"""Screens for the department assessment (部门考核, R8): ranking, rules, accountability.

The ranking is read by everyone who sees the campaign; the rules and the accountability
records are kept by the unit's 创建办 and the office admins above. Routed by `urls.py`.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
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
from wenming.oversight.assessment.forms import AccountabilityForm, RuleForm, WithdrawForm
from wenming.oversight.assessment.ranking import assess
from wenming.oversight.models import Accountability

# --- helpers -------------------------------------------------------------------------------


def _years(campaign: Campaign, today: datetime.date) -> list[int]:
    last = max(min(campaign.cycle_end.year, today.year), campaign.cycle_start.year)
    return list(range(campaign.cycle_start.year, last + 1))


def _year(request: AuthenticatedHttpRequest, campaign: Campaign) -> tuple[int, list[int]]:
    today = timezone.localdate()
    years = _years(campaign, today)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if year not in years:
        year = today.year if today.year in years else years[-1]
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


@login_required
def ranking(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk)
    year, years = _year(request, campaign)
    rule = services.rule_for(campaign.unit, year)
    scores = assess(campaign, year, rule, links=_links(campaign, year))
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
            "can_manage": access.can_manage_assessment(request.user, campaign.unit),
            "today": timezone.localdate(),
            "crumbs": _crumbs(campaign, ("部门考核", None)),
        },
    )


@login_required
def ranking_export(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk)
    year, _ = _year(request, campaign)
    rule = services.rule_for(campaign.unit, year)
    content = ranking_workbook(campaign, year, rule, assess(campaign, year, rule))
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
        .select_related("department", "problem", "recorded_by")
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
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, write=True)
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
                measure=data["measure"],
                problem=data["problem"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已记录对{record.department.name}的追责，该部门{record.decided_on.year}年"
                "取消评优资格。",
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

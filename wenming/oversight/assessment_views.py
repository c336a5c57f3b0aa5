"""Screens for the department assessment (部门考核, R8): ranking, rules, accountability.

The ranking is read by everyone who sees the campaign; the rules and the accountability
records are kept by the unit's 创建办 and the office admins above. Included from
`wenming.oversight.urls` (`urlpatterns` below).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.campaigns.models import Campaign
from wenming.core.forms import StyledFormMixin
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.oversight import access, assessment
from wenming.oversight.forms import DATE, unit_departments
from wenming.oversight.models import Accountability, AssessmentRule, Problem
from wenming.tasks.forms import ServiceErrorsMixin

# --- forms ---------------------------------------------------------------------------------


def _weight_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": f"请填写“{label}”的分值，不计分的填0。",
            "invalid": f"“{label}”的分值应为数字，如 40 或 12.5。",
            "min_value": f"“{label}”的分值不能为负数，请填0或正数。",
            "max_digits": f"“{label}”的分值不能超过9999.99分。",
            "max_whole_digits": f"“{label}”的分值不能超过9999.99分。",
            "max_decimal_places": f"“{label}”的分值最多保留两位小数。",
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )


class RuleForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    tasks_on_time = _weight_field("任务按时完成")
    evidence_first_pass = _weight_field("台账一次审核通过")
    problems_on_time = _weight_field("问题按时整改")
    reports_submitted = _weight_field("周报按时报送")
    max_overdue_problems = forms.IntegerField(
        label="逾期问题上限",
        min_value=0,
        max_value=9999,
        help_text="逾期未整改的问题超过此数，取消评优资格。",
        error_messages={
            "required": "请填写逾期问题上限，例如2。",
            "invalid": "逾期问题上限应为0或正整数。",
            "min_value": "逾期问题上限应为0或正整数。",
            "max_value": "逾期问题上限不能超过9999。",
        },
    )


class AccountabilityForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label="被追责部门",
        queryset=Organization.objects.none(),
        empty_label="请选择部门",
        error_messages={
            "required": "请选择被追责的部门。",
            "invalid_choice": "请从列表中重新选择部门。",
        },
    )
    decided_on = forms.DateField(
        label="追责日期",
        widget=DATE,
        error_messages={
            "required": "请填写追责日期。",
            "invalid": "追责日期格式不正确，请写成 2026-03-20 这样的格式。",
        },
    )
    person = forms.CharField(label="被追责人员", required=False, max_length=100)
    measure = forms.CharField(
        label="处理方式",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如 通报批评、诫勉谈话"}),
    )
    problem = forms.ModelChoiceField(
        label="相关问题",
        required=False,
        queryset=Problem.objects.none(),
        empty_label="（不关联问题）",
        error_messages={"invalid_choice": "请从列表中重新选择相关问题。"},
    )
    reason = forms.CharField(
        label="追责事由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明追责事由，例如“问题逾期30天未整改”。"},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = unit_departments(campaign)
        fields["problem"].queryset = (
            Problem.objects.filter(campaign=campaign, removed_at__isnull=True)
            .select_related("department")
            .order_by("-year", "-sequence")
        )
        fields["problem"].label_from_instance = lambda p: (
            f"{p.number} {p.department.name} {p.description[:24]}"
        )


class WithdrawForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="撤销原因",
        error_messages={"required": "请写明撤销的原因，例如“录入错误”或“追责决定已撤销”。"},
    )


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
    rule = assessment.rule_for(campaign.unit, year)
    scores = assessment.assess(campaign, year, rule, links=_links(campaign, year))
    labels = [m.label for m in scores[0].measures] if scores else []
    weights = [(label, getattr(rule, name)) for name, label in assessment.WEIGHT_LABELS.items()]
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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from wenming.core.xlsx import CONTENT_TYPE, print_setup

    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk)
    year, _ = _year(request, campaign)
    rule = assessment.rule_for(campaign.unit, year)
    scores = assessment.assess(campaign, year, rule)
    labels = [m.label for m in scores[0].measures] if scores else []
    header = ["名次", "部门"]
    for label in labels:
        header += [f"{label}（完成率）", f"{label}（得分）", f"{label}（依据）"]
    header += ["总分", "评优资格", "说明"]

    font = "宋体"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{year}年部门考核"
    ws.append([f"{campaign.unit.name} {year}年度部门考核排名"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name=font, size=16, bold=True)
    ws.cell(1, 1).alignment = center
    ws.append([f"导出日期：{timezone.localdate():%Y年%m月%d日}　满分{rule_total(rule)}分"])
    ws.append(header)
    for col in range(1, len(header) + 1):
        cell = ws.cell(3, col)
        cell.font = Font(name=font, size=11, bold=True)
        cell.alignment = center
        cell.border = border
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        width = 24 if header[col - 1].endswith("（依据）") or col == len(header) else 10
        ws.column_dimensions[cell.column_letter].width = 16 if col == 2 else width
    for s in scores:
        row: list[Any] = [s.rank, s.department.name]
        for m in s.measures:
            rate = assessment.NOTHING_TO_COUNT if m.rate is None else f"{m.rate}%"
            row += [rate, m.points, m.detail]
        row += [s.total, "可评优" if s.eligible else "取消评优资格", "；".join(s.reasons)]
        ws.append(row)
        for col in range(1, len(row) + 1):
            cell = ws.cell(ws.max_row, col)
            cell.font = Font(name=font, size=10)
            cell.border = border
            cell.alignment = wrap
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    print_setup(ws, 3)
    buf = io.BytesIO()
    wb.save(buf)
    name = f"{campaign.unit.name}{year}年部门考核.xlsx"
    response = HttpResponse(buf.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def rule_total(rule: AssessmentRule) -> str:
    total = sum((getattr(rule, n) for n in assessment.WEIGHT_FIELDS), start=0)
    return assessment._fmt(total)


# --- rules ---------------------------------------------------------------------------------


@login_required
def rules(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.get_assessment_campaign_for_user(request.user, campaign_pk, write=True)
    year, years = _year(request, campaign)
    rule = assessment.rule_for(campaign.unit, year)
    status = 200
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                assessment.rule_save(
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
        fields = (*assessment.WEIGHT_FIELDS, "max_overdue_problems")
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
            "total": rule_total(rule),
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
        Accountability.objects.filter(campaign=campaign, removed_at__isnull=True)
        .select_related("department", "problem", "recorded_by")
        .order_by("-decided_on", "-id")
    )
    withdrawn = list(
        Accountability.objects.filter(campaign=campaign, removed_at__isnull=False)
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
            record = assessment.accountability_record(
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
            assessment.accountability_remove(
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


urlpatterns = [
    path("campaign/<int:campaign_pk>/assessment/", ranking, name="assessment"),
    path(
        "campaign/<int:campaign_pk>/assessment/export/",
        ranking_export,
        name="assessment_export",
    ),
    path("campaign/<int:campaign_pk>/assessment/rules/", rules, name="assessment_rules"),
    path(
        "campaign/<int:campaign_pk>/accountability/",
        accountability_list,
        name="accountability",
    ),
    path(
        "campaign/<int:campaign_pk>/accountability/new/",
        accountability_new,
        name="accountability_new",
    ),
    path(
        "accountability/<int:pk>/remove/",
        accountability_remove,
        name="accountability_remove",
    ),
]

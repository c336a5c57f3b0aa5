"""Screens of the office's calendar (节假日与调休): a year of holidays and make-up working days,
kept by the office admin and read by the office's people and its units' people.

Offices are fetched through `wenming.orgs.access` (`calendar_offices`,
`get_calendar_office_for_user`); every write goes through `wenming.orgs.calendar`. The page
issues a fixed number of queries whatever the number of days.
"""

from __future__ import annotations

import calendar as pycal
import datetime
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.forms import StyledFormMixin
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs import access, calendar
from wenming.orgs.models import CalendarDay, Organization


class CalendarDayForm(StyledFormMixin, forms.Form):
    day = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "请填写日期。",
            "invalid": "日期格式不对，请按“2026-10-01”的格式填写。",
        },
    )
    name = forms.CharField(
        label="名称",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：国庆节、春节调休上班"}),
    )
    working = forms.BooleanField(
        label="调休上班",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="勾选：这个周末要上班；不勾选：这天放假。",
    )

    def apply_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for e in errors:
                    self.add_error(field if field in self.fields else None, e)
        else:
            self.add_error(None, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _page_url(office: Organization, year: int) -> str:
    return f"{reverse('orgs:calendar')}?office={office.pk}&year={year}"


def _chosen_office(request: AuthenticatedHttpRequest, offices: list[Organization]) -> Organization:
    if not offices:
        raise Http404("您所在的组织没有可查看的节假日安排。")
    wanted = request.GET.get("office")
    if not wanted:
        return offices[0]
    pk = _int(wanted)
    for office in offices:
        if office.pk == pk:
            return office
    raise Http404("没有找到该文明办的节假日安排，或您无权查看。")


def _chosen_year(value: Any) -> int:
    first, last = calendar.year_range()
    year = _int(value)
    if year is None or not first <= year <= last:
        return timezone.localdate().year
    return year


def _months(days: list[CalendarDay]) -> list[dict[str, Any]]:
    months = []
    for month, group in groupby(days, key=lambda d: d.day.month):
        rows = list(group)
        months.append(
            {
                "month": month,
                "days": [{"obj": d, "weekday": calendar.weekday_label(d.day)} for d in rows],
                "off": sum(1 for d in rows if not d.working),
                "worked": sum(1 for d in rows if d.working),
            }
        )
    return months


def _grid(year: int, days: list[CalendarDay]) -> list[dict[str, Any]]:
    """Twelve small month grids (Monday first) with each day marked 放假, 上班 or 周末."""
    marked = {d.day: d for d in days}
    months = []
    for month, weeks in enumerate(pycal.Calendar().yeardatescalendar(year, width=1), 1):
        rows = []
        for week in weeks[0]:
            cells: list[dict[str, Any]] = []
            for day in week:
                found = marked.get(day)
                if day.month != month:
                    cells.append({"day": None})
                    continue
                if found is not None:
                    kind = "worked" if found.working else "off"
                else:
                    kind = "weekend" if day.weekday() >= 5 else "work"
                cells.append({"day": day, "kind": kind, "name": found.name if found else ""})
            rows.append(cells)
        months.append({"month": month, "weeks": rows})
    return months


def _render(
    request: AuthenticatedHttpRequest,
    offices: list[Organization],
    office: Organization,
    year: int,
    *,
    form: CalendarDayForm | None = None,
    load_error: str = "",
    status: int = 200,
) -> HttpResponse:
    days = calendar.calendar_days(office, year)
    can_manage = access.can_manage_calendar(request.user, office)
    first, last = calendar.year_range()
    weekday_off = [d for d in days if not d.working and d.day.weekday() < 5]
    context = {
        "office": office,
        "offices": offices,
        "year": year,
        "prev_year": year - 1 if year > first else None,
        "next_year": year + 1 if year < last else None,
        "months": _months(days),
        "grid": _grid(year, days),
        "weekday_off": len(weekday_off),
        "worked": sum(1 for d in days if d.working),
        "working_days": calendar.working_days_between(
            office, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        ),
        "can_manage": can_manage,
        "can_load": can_manage and year in calendar.OFFICIAL_HOLIDAYS,
        "official_years": calendar.official_years(),
        "form": form or CalendarDayForm(),
        "load_error": load_error,
        "crumbs": [("组织机构", reverse("orgs:tree")), ("节假日与调休", None)],
    }
    return render(request, "orgs/calendar.html", context, status=status)


@login_required
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = list(access.calendar_offices(request.user))
    office = _chosen_office(request, offices)
    return _render(request, offices, office, _chosen_year(request.GET.get("year")))


def _office_for_write(request: AuthenticatedHttpRequest) -> Organization:
    pk = _int(request.POST.get("office"))
    if pk is None:
        raise Http404("请从页面上选择文明办后再操作。")
    return access.get_calendar_office_for_user(request.user, pk, write=True)


@login_required
@require_POST
def calendar_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = _office_for_write(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = calendar.calendar_day_add(
                office=office,
                user=request.user,
                day=data["day"],
                working=data["working"],
                name=data["name"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已添加：{added}。")
            return redirect(_page_url(office, added.day.year))
    chosen = form.cleaned_data.get("day")
    year = chosen.year if isinstance(chosen, datetime.date) else None
    offices = list(access.calendar_offices(request.user))
    return _render(request, offices, office, _chosen_year(year), form=form, status=400)


@login_required
@require_POST
def calendar_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    day = (
        CalendarDay.objects.live()
        .select_related("office")
        .filter(pk=pk, office__in=access.calendar_offices(request.user))
        .first()
    )
    if day is None:
        raise Http404("没有找到该日期，可能已被移除。")
    if not access.can_manage_calendar(request.user, day.office):
        raise PermissionDenied("只有本级或上级文明办管理员可以修改节假日与调休。")
    try:
        calendar.calendar_day_remove(calendar_day=day, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已移除：{day.day:%Y-%m-%d} {day.name}。")
    return redirect(_page_url(day.office, day.day.year))


@login_required
@require_POST
def calendar_load(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = _office_for_write(request)
    year = _int(request.POST.get("year"))
    try:
        if year is None:
            raise ValidationError({"year": "请选择要载入的年份。"})
        added = calendar.load_official_holidays(office=office, user=request.user, year=year)
    except ValidationError as exc:
        offices = list(access.calendar_offices(request.user))
        error = "；".join(exc.messages)
        return _render(request, offices, office, _chosen_year(year), load_error=error, status=400)
    if added:
        messages.success(request, f"已载入{year}年国务院节假日安排，新增{added}天。")
    else:
        messages.info(request, f"{year}年国务院节假日安排中的日期都已在日历中，没有新增。")
    return redirect(_page_url(office, year))

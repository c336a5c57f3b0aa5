"""The dashboards (领导驾驶舱, R14): a campaign's cockpit, one department's view, the office's
view across its units, and the nav's entry that sends each person to the one they need.

Who may read which is decided in `wenming.dashboards.access`; the numbers come from
`wenming.dashboards.services`. Each chart's numbers reach the page twice: as JSON for ECharts
(`json_script`, strings for points so no float rounding shows) and as the table beside it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign
from wenming.core.points import fmt_points
from wenming.dashboards import access, services
from wenming.dashboards.office import (
    OVERDUE_KINDS,
    UnitRow,
    office_overdue,
    office_units,
    unit_summary,
)
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access as ledger_access
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization, OrgKind, Role


def _num(value: Decimal | int | None) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("campaigns:detail", args=[campaign.pk]))
    ]
    crumbs.append(("驾驶舱", reverse("dashboards:campaign", args=[campaign.pk]) if tail else None))
    crumbs.extend(tail)
    return crumbs


def _phase_chart(rows: list[services.PhaseRow]) -> dict[str, Any]:
    return {
        "type": "phase",
        "categories": [r.label for r in rows],
        "total": [r.total for r in rows],
        "done": [r.done for r in rows],
        "overdue": [r.overdue for r in rows],
        "mean": [_num(r.mean_progress) for r in rows],
        "urls": [r.tasks_url for r in rows],
    }


def _lost_chart(p: services.Projection) -> dict[str, Any]:
    rows = list(reversed(p.lost_items))
    return {
        "type": "lost",
        "categories": [f"{r.code} {r.title[:14]}" for r in rows],
        "lost": [_num(r.lost) for r in rows],
        "possible": [_num(r.possible) for r in rows],
        "urls": [r.url for r in rows],
    }


def _ranking_chart(rows: list[services.DepartmentRank]) -> dict[str, Any]:
    # Departments not ranked (不参与排名) stay in the table only: a bar would read as a score.
    rows = [r for r in reversed(rows) if r.rank]
    return {
        "type": "ranking",
        "categories": [r.department.name for r in rows],
        # The assessment's total as a share of its possible points, 0–100.
        "index": [_num(r.score.percent) for r in rows],
        "total": [_num(r.total) for r in rows],
        "completion": [_num(r.score.measure("tasks_on_time").rate or 0) for r in rows],
        "overdue": [r.overdue_tasks for r in rows],
        "open": [r.open_problems for r in rows],
        "urls": [r.urls["dashboard"] for r in rows],
    }


def _heat_chart(heat: services.Heatmap) -> dict[str, Any]:
    cells = []
    urls = []
    for y, row in enumerate(heat.rows):
        for x, (count, url) in enumerate(row.cells):
            cells.append([x, y, count])
            urls.append(url)
    return {
        "type": "heatmap",
        "x": [d.name for d in heat.columns],
        "y": [f"{r.node.code} {r.node.title[:12]}" for r in heat.rows],
        "cells": cells,
        "urls": urls,
        "max": heat.max,
    }


def _trend_chart(weeks: list[services.Week]) -> dict[str, Any]:
    return {
        "type": "trend",
        "categories": [w.label for w in weeks],
        "done": [w.tasks_done for w in weeks],
        "cumulative": [_num(w.cumulative_percent) for w in weeks],
        "opened": [w.problems_opened for w in weeks],
        "closed": [w.problems_closed for w in weeks],
        "urls": [w.url for w in weeks],
    }


def _item_param(request: AuthenticatedHttpRequest) -> int | None:
    value = request.GET.get("item", "")
    return int(value) if value.isdigit() else None


def _blocks(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    base_url: str,
    department: Organization | None = None,
) -> dict[str, Any]:
    blocks = services.cockpit(
        campaign,
        timezone.localdate(),
        department,
        item_id=_item_param(request),
        base_url=base_url,
    )
    charts = {
        "chart-phase": _phase_chart(blocks.phases),
        "chart-lost": _lost_chart(blocks.projection),
        "chart-ranking": _ranking_chart(blocks.ranking),
        "chart-heat": _heat_chart(blocks.heat),
        "chart-trend": _trend_chart(blocks.weeks),
    }
    return {
        "campaign": campaign,
        "today": blocks.today,
        "phases": blocks.phases,
        "head": blocks.head,
        "projection": blocks.projection,
        "ranking": blocks.ranking,
        "heat": blocks.heat,
        "weeks": blocks.weeks,
        "charts": charts,
    }


@login_required
def campaign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    base_url = reverse("dashboards:campaign", args=[campaign.pk])
    context = _blocks(request, campaign, base_url)
    context["crumbs"] = _crumbs(campaign)
    return render(request, "dashboards/campaign.html", context)


@login_required
def department(request: AuthenticatedHttpRequest, pk: int, dept: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, pk)
    department = access.get_dashboard_department_for_user(request.user, campaign, dept)
    base_url = reverse("dashboards:department", args=[campaign.pk, department.pk])
    context = _blocks(request, campaign, base_url, department)
    mine = next((r for r in context["ranking"] if r.department.pk == department.pk), None)
    sees_unit = ledger_access.sees_whole_ledger(request.user, campaign.unit)
    if not sees_unit:
        # A department's people open only their own department's view.
        chart = context["charts"]["chart-ranking"]
        own = reverse("dashboards:department", args=[campaign.pk, department.pk])
        chart["urls"] = [url if url == own else None for url in chart["urls"]]
    context.update(
        department=department,
        mine=mine,
        ranked_count=sum(1 for r in context["ranking"] if r.rank),
        sees_unit=sees_unit,
        crumbs=_crumbs(campaign, (department.name, None)),
    )
    return render(request, "dashboards/department.html", context)


def _pts(value: Decimal | None) -> str:
    return "—" if value is None else fmt_points(value)


def _late(n: int) -> str:
    return ' class="text-danger fw-bold"' if n else ""


def _unit_rows_html(rows: list[UnitRow]) -> str:
    """The office table's rows. Built here rather than in the template: with hundreds of units
    the template engine alone took longer than the page's budget."""
    out = []
    for r in rows:
        name = escape(r.unit.name)
        cells = [f'<td class="num">{r.rank or "—"}</td>']
        if r.campaign is None:
            cells.append(f"<td>{name}</td>")
            cells.append('<td colspan="7" class="small text-secondary">尚未开展创建工作</td>')
            out.append("<tr>" + "".join(cells) + "</tr>")
            continue
        u = {k: escape(v) for k, v in r.urls.items()}
        cells += [
            f'<td><a href="{u["cockpit"]}">{name}</a></td>',
            f'<td class="num">{_pts(r.done_percent)}%</td>',
            f'<td class="num"><a href="{u["done"]}">{r.done}</a> / '
            f'<a href="{u["tasks"]}">{r.tasks}</a></td>',
            f'<td class="num"><a href="{u["overdue_tasks"]}"{_late(r.overdue_tasks)}>'
            f"{r.overdue_tasks}</a></td>",
            f'<td class="num"><a href="{u["overdue_problems"]}"{_late(r.overdue_problems)}>'
            f"{r.overdue_problems}</a></td>",
        ]
        if r.round is not None:
            tone = "text-success" if r.passes else "text-danger"
            day = r.round.scored_on
            claim = f"自评{_pts(r.claimed.total)}" if r.claimed is not None else ""
            if r.backing is not None and r.backing.count:
                claim += f"，{r.backing.count}条台账不完整"
            cells += [
                f'<td class="num"><a href="{u["sheet"]}" class="fw-bold {tone}">'
                f'{_pts(r.total)}</a><div class="small text-secondary wm-claim">{claim}</div></td>',
                f'<td class="num">{_pts(r.threshold)}</td>',
                f'<td class="small">{escape(r.round.get_kind_display())}'
                f"（{day.month}月{day.day}日）</td>",
            ]
        else:
            cells += [
                '<td class="num text-secondary">—</td><td class="num">—</td>',
                f'<td class="small"><a href="{u["rounds"]}">暂无测评</a></td>',
            ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    # Every value above is escaped or a number.
    return mark_safe("".join(out))


@login_required
def office(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    office = access.get_office_for_dashboard(request.user, pk)
    today = timezone.localdate()
    rows = office_units(office, today)
    ranked = [r for r in rows if r.campaign is not None]
    chart = {
        "type": "office",
        "categories": [r.unit.short_name or r.unit.name for r in ranked],
        "total": [_num(r.total) for r in ranked],
        "threshold": [_num(r.threshold) for r in ranked],
        "done": [_num(r.done_percent) for r in ranked],
        "overdue": [r.overdue_tasks for r in ranked],
        "problems": [r.overdue_problems for r in ranked],
        "urls": [r.urls["cockpit"] for r in ranked],
    }
    return render(
        request,
        "dashboards/office.html",
        {
            "office": office,
            "rows": rows,
            "rows_html": _unit_rows_html(rows),
            "summary": unit_summary(rows),
            "charts": {"chart-office": chart},
            "today": today,
            "crumbs": [("驾驶舱", None), (office.name, None)],
        },
    )


@login_required
def office_overdue_list(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """The overdue tasks or problems across the office's units, behind the office totals."""
    office = access.get_office_for_dashboard(request.user, pk)
    if kind not in OVERDUE_KINDS:
        raise Http404("没有这种清单。")
    today = timezone.localdate()
    page = Paginator(office_overdue(office, today, kind), 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.days_late = (today - row.deadline).days
    return render(
        request,
        "dashboards/office_overdue.html",
        {
            "office": office,
            "kind": kind,
            "label": OVERDUE_KINDS[kind],
            "page": page,
            "today": today,
            "crumbs": [
                ("驾驶舱", None),
                (office.name, reverse("dashboards:office", args=[office.pk])),
                (OVERDUE_KINDS[kind], None),
            ],
        },
    )


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each person to the dashboard their role reads first."""
    scope = org_access.scope_for(request.user)
    memberships = scope.memberships
    unit_ids = [
        m.organization_id
        for m in memberships
        if m.organization.kind == OrgKind.UNIT and m.role in org_access.UNIT_WIDE_ROLES
    ]
    depts = [
        m.organization
        for m in memberships
        if m.organization.kind == OrgKind.DEPARTMENT and m.role in (Role.DEPT_HEAD, Role.STAFF)
    ]
    if unit_ids:
        c = Campaign.objects.filter(unit_id__in=unit_ids, is_active=True).order_by("id").first()
        if c is not None:
            return redirect("dashboards:campaign", pk=c.pk)
    for dept in depts:
        ancestors = dept.ancestor_ids
        c = Campaign.objects.filter(unit_id__in=ancestors, is_active=True).order_by("id").first()
        if c is not None:
            return redirect("dashboards:department", pk=c.pk, dept=dept.pk)
    offices = access.dashboard_offices(request.user)
    if offices:
        return redirect("dashboards:office", pk=offices[0].pk)
    if scope.is_superuser:
        root = Organization.objects.filter(kind=OrgKind.OFFICE, parent=None).order_by("id").first()
        if root is not None:
            return redirect("dashboards:office", pk=root.pk)
    return render(
        request,
        "dashboards/empty.html",
        {
            "has_unit": bool(unit_ids or depts),
            "crumbs": [("驾驶舱", None)],
        },
    )

"""Screens for task decomposition (R4): the office's table, a department's board, my tasks,
claiming, coverage of the standards and the 挂图作战 timeline.

Every object is fetched through `wenming.tasks.access`; every write goes through
`wenming.tasks.services`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.campaigns.models import Campaign, Phase
from wenming.frameworks.models import Node
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization
from wenming.tasks import access, part_views, proof_views, services, subtask_views
from wenming.tasks.coverage import coverage_summary, standards_needing_tasks, uncovered_standards
from wenming.tasks.forms import (
    ClaimForm,
    OccurrenceForm,
    ProgressForm,
    ReassignForm,
    TaskFilterForm,
    TaskForm,
)
from wenming.tasks.models import (
    ClaimStatus,
    Occurrence,
    OwnerChange,
    StandardExclusion,
    Task,
    TaskClaim,
    TaskQuerySet,
    TaskStatus,
)

PAGE_SIZE = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _campaign_crumbs(campaign: Campaign, *tail: str) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("tasks:table", args=[campaign.pk]) if tail else None)
    ]
    if not tail:
        crumbs[0] = (f"{campaign.title} · 任务分解", None)
    crumbs.extend((label, None) for label in tail)
    return crumbs


def _decorate(tasks: Iterable[Task], today: datetime.date) -> list[Task]:
    """Attach what the templates show: status label, overdue, 倒排工期 flags. No queries
    beyond what the caller selected (campaign and phase)."""
    rows = list(tasks)
    for t in rows:
        t.is_late = t.is_overdue(today)  # type: ignore[attr-defined]
        t.label = t.status_label(today)  # type: ignore[attr-defined]
        t.flags = services.schedule_flags(t, t.campaign)  # type: ignore[attr-defined]
    return rows


def _list_prefetch(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.prefetch_related(
        Prefetch("standards", queryset=Node.objects.only("id", "code", "points").order_by("code")),
        Prefetch("co_departments", queryset=Organization.objects.only("id", "name")),
    )


def _counted(user: Any) -> TaskQuerySet:
    """The tasks the user sees that count (`TaskQuerySet.counted()`): what the board and my
    tasks list, as every count does; nobody is asked to do a draft."""
    return access.visible_tasks(user).counted()


def _live(user: Any) -> TaskQuerySet:
    """Drafts included: the offered tasks, claims and the timeline show the plan, proposals
    too."""
    return access.visible_tasks(user).live()


def _error_message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- the office's table --------------------------------------------------------------------


def _filter_tasks(qs: TaskQuerySet, form: TaskFilterForm, today: datetime.date) -> TaskQuerySet:
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data["phase"]:
        qs = qs.filter(phase=data["phase"])
    if data["department"] and data["lead"]:
        qs = qs.filter(lead_department=data["department"])
    elif data["department"]:
        qs = qs.filter(
            Q(lead_department=data["department"]) | Q(co_departments=data["department"])
        ).distinct()
    status = data["status"]
    if status == "overdue" or data["overdue"]:
        qs = qs.overdue(today)
    if status and status != "overdue":
        qs = qs.filter(status=status)
    if data["q"]:
        qs = qs.filter(standards__code__istartswith=data["q"].strip()).distinct()
    return qs


def _drafts_toggle(request: AuthenticatedHttpRequest, drafts: int, shown: bool) -> str | None:
    """The link that shows the drafts (or hides them again), keeping the filters."""
    if not drafts and not shown:
        return None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("drafts", None)
    if not shown:
        query["drafts"] = "1"
    return f"?{query.urlencode()}"


@login_required
def task_table(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    """The counted tasks; drafts (generated proposals not yet confirmed) only on request
    (`?drafts=1`), so the table's count is the cockpit's."""
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    today = _today()
    form = TaskFilterForm(request.GET or None, campaign=campaign)
    qs = _filter_tasks(access.campaign_tasks(campaign), form, today)
    show_drafts = request.GET.get("drafts") == "1"
    drafts = qs.filter(is_draft=True).count()
    listed = qs if show_drafts else qs.counted()
    page = Paginator(_list_prefetch(listed.order_by("deadline", "id")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    results = {
        "tasks": _decorate(page.object_list, today),
        "page": page,
        "query": query.urlencode(),
        "drafts": drafts,
        "show_drafts": show_drafts,
        "drafts_url": _drafts_toggle(request, drafts, show_drafts),
    }
    if request.htmx:
        # The filter form swaps only the results.
        return render(request, "tasks/_table_results.html", results)
    can_manage = campaign_access.can_manage_campaign(request.user, campaign)
    return render(
        request,
        "tasks/table.html",
        {
            **results,
            "campaign": campaign,
            "form": form,
            "can_manage": can_manage,
            "summary": coverage_summary(campaign) if can_manage else None,
            "crumbs": _campaign_crumbs(campaign),
        },
    )


@login_required
@require_POST
def tasks_generate(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk, write=True)
    count = services.tasks_generate_from_standards(campaign=campaign, user=request.user)
    if count:
        messages.success(
            request,
            f"已按测评标准生成{count}项草稿任务，时限默认为“组织实施”阶段结束日期。"
            "请逐项指定牵头部门或开放认领。",
        )
    else:
        messages.info(request, "每项测评标准都已有任务或已标为不适用，没有需要生成的任务。")
    # The drafts are in no count until confirmed: show them, so the office can work on them.
    return redirect(reverse("tasks:table", args=[campaign.pk]) + "?drafts=1")


# --- create, edit, delete, restore ----------------------------------------------------------


def _form_page(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "tasks/task_form.html", context)


@login_required
def task_create(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk, write=True)
    phase = services.implement_phase(campaign)
    initial: dict[str, Any] = {"phase": phase.pk if phase else None}
    standard_id = request.GET.get("standard")
    if standard_id and standard_id.isdigit():
        standard = standards_needing_tasks(campaign).filter(pk=standard_id).first()
        if standard is not None:
            initial.update(standards=[standard.pk], title=standard.title[:300])
    form = TaskForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                campaign=campaign, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已新建任务“{task.title}”。")
            return redirect("tasks:detail", pk=task.pk)
    return _form_page(
        request,
        {
            "form": form,
            "campaign": campaign,
            "title": "新建工作任务",
            "submit_label": "新建",
            "cancel_url": reverse("tasks:table", args=[campaign.pk]),
            "crumbs": _campaign_crumbs(campaign, "新建工作任务"),
        },
    )


@login_required
def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    campaign = task.campaign
    initial = {
        "title": task.title,
        "requirement": task.requirement,
        "standards": list(task.standards.values_list("pk", flat=True)),
        "phase": task.phase_id,
        "lead_department": task.lead_department_id,
        "co_departments": list(task.co_departments.values_list("pk", flat=True)),
        "responsible": task.responsible_id,
        "start_date": task.start_date,
        "deadline": task.deadline,
        "target_quantity": task.target_quantity,
        "target_unit": task.target_unit,
        "recurrence": task.recurrence,
        "recurrence_dates": "\n".join(task.recurrence_dates),
        "is_draft": task.is_draft,
    }
    form = TaskForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=task, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存任务。")
            return redirect("tasks:detail", pk=task.pk)
    return _form_page(
        request,
        {
            "form": form,
            "campaign": campaign,
            "task": task,
            "title": f"修改任务：{task.title}",
            "submit_label": "保存",
            "cancel_url": reverse("tasks:detail", args=[task.pk]),
            "crumbs": _campaign_crumbs(campaign, "修改任务"),
        },
    )


@login_required
@require_POST
def task_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    services.task_delete(task=task)
    messages.success(request, f"已将任务“{task.title}”移入回收站，可随时恢复。")
    return redirect("tasks:table", campaign_pk=task.campaign_id)


@login_required
@require_POST
def task_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_deleted_task_for_user(request.user, pk)
    services.task_restore(task=task)
    messages.success(request, f"已恢复任务“{task.title}”。")
    return redirect("tasks:detail", pk=task.pk)


@login_required
def task_recycle(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk, write=True)
    qs = access.visible_tasks(request.user).in_bin().filter(campaign=campaign)
    page = Paginator(qs.order_by("-deleted_at", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/recycle.html",
        {"campaign": campaign, "page": page, "crumbs": _campaign_crumbs(campaign, "回收站")},
    )


# --- one task ------------------------------------------------------------------------------


@login_required
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    user = request.user
    today = _today()
    _decorate([task], today)
    standards = list(task.standards.order_by("position"))
    claims = list(
        TaskClaim.objects.filter(task=task).select_related("department", "claimed_by", "decided_by")
    )
    changes = list(
        OwnerChange.objects.filter(task=task).select_related(
            "from_department", "to_department", "actor"
        )
    )
    can_manage = access.can_manage_task(user, task)
    can_report = access.can_report_task(user, task)
    claim_departments = access.claimable_departments(user)
    context: dict[str, Any] = {
        "task": task,
        "campaign": task.campaign,
        "standards": standards,
        "co_departments": list(task.co_departments.all()),
        "occurrences": list(Occurrence.objects.filter(task=task)),
        "claims": claims,
        "changes": changes,
        "can_manage": can_manage,
        "can_report": can_report,
        "progress_form": ProgressForm(
            initial={"progress": task.progress, "note": task.progress_note}
        )
        if can_report
        else None,
        "reassign_form": ReassignForm(
            campaign=task.campaign, initial={"department": task.lead_department_id}
        )
        if can_manage
        else None,
        "claim_form": ClaimForm(departments=claim_departments)
        if task.lead_department_id is None and claim_departments.exists()
        else None,
        "crumbs": _campaign_crumbs(task.campaign, task.title),
        **part_views.detail_parts(user, task),
        **subtask_views.detail_context(user, task),
        **proof_views.detail_context(user, task),
    }
    return render(request, "tasks/detail.html", context)


@login_required
@require_POST
def task_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, report=True)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_progress(
                task=task, progress=form.cleaned_data["progress"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(
                request, f"已更新进度：{task.progress}%（{task.get_status_display()}）。"
            )
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def occurrence_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    occurrence = get_object_or_404(Occurrence.objects.select_related("task"), pk=pk)
    task = access.get_task_for_user(request.user, occurrence.task_id, report=True)
    occurrence.task = task
    form = OccurrenceForm(request.POST)
    if form.is_valid():
        try:
            services.occurrence_record(
                occurrence=occurrence,
                done_at=form.cleaned_data["done_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, f"已记录第{occurrence.sequence}次的完成情况。")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('tasks:detail', args=[task.pk])}#occurrences")


# --- my tasks, a department's board ----------------------------------------------------------


def _week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


@login_required
def tasks_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = _today()
    _, sunday = _week(today)
    departments = org_access.department_ids_for_write(user)
    qs = (
        _counted(user)
        .filter(Q(responsible=user) | Q(lead_department_id__in=departments))
        .exclude(status=TaskStatus.DONE)
        .select_related("campaign")
        .order_by("deadline", "id")
    )
    groups: dict[str, list[Task]] = {
        "逾期": [],
        "本周到期": [],
        "待佐证": [],
        "进行中": [],
        "未开始": [],
    }
    tasks = _decorate(_list_prefetch(qs)[:500], today)
    for t in tasks:
        if t.is_late:  # type: ignore[attr-defined]
            groups["逾期"].append(t)
        elif t.deadline is not None and t.deadline <= sunday:
            groups["本周到期"].append(t)
        elif t.status == TaskStatus.UNPROVEN:
            groups["待佐证"].append(t)  # reported 100 %: the proof is what is left to do
        elif t.status == TaskStatus.IN_PROGRESS:
            groups["进行中"].append(t)
        else:
            groups["未开始"].append(t)
    return render(
        request,
        "tasks/mine.html",
        {
            "groups": list(groups.items()),
            "total": len(tasks),
            "cooperating": part_views.cooperating_rows(_counted(user), departments, today),
            "my_subtasks": subtask_views.mine(user, today),
            "crumbs": [("我的任务", None)],
        },
    )


@login_required
def department_board(request: AuthenticatedHttpRequest, dept_pk: int) -> HttpResponse:
    department = org_access.get_department_for_user(request.user, dept_pk)
    today = _today()
    qs = _counted(request.user).filter(lead_department=department)
    done, overdue = qs.done().count(), qs.overdue(today).count()
    counts = {"done": done, "overdue": overdue, "due": qs.count() - done - overdue}
    page = Paginator(_list_prefetch(qs.order_by("deadline", "id")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "tasks/board.html",
        {
            "department": department,
            "counts": counts,
            "page": page,
            "tasks": _decorate(page.object_list, today),
            "cooperating": part_views.cooperating_rows(
                _counted(request.user), [department.pk], today
            ),
            "crumbs": [(f"{department.name} · 任务看板", None)],
        },
    )


# --- claiming --------------------------------------------------------------------------------


@login_required
def tasks_offered(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = _today()
    qs = _live(user).filter(lead_department__isnull=True).order_by("deadline", "id")
    page = Paginator(_list_prefetch(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    departments = access.claimable_departments(user)
    pending = set(
        TaskClaim.objects.filter(
            task__in=[t.pk for t in page.object_list],
            department__in=departments,
            status=ClaimStatus.PENDING,
        ).values_list("task_id", flat=True)
    )
    return render(
        request,
        "tasks/offered.html",
        {
            "page": page,
            "tasks": _decorate(page.object_list, today),
            "pending": pending,
            "claim_form": ClaimForm(departments=departments) if departments.exists() else None,
            "crumbs": [("待认领任务", None)],
        },
    )


@login_required
@require_POST
def task_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    departments = access.claimable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("只有部门负责人可以认领任务。")
    form = ClaimForm(request.POST, departments=departments)
    if not form.is_valid():
        messages.error(request, "您只能以自己负责的部门名义认领任务，请重新选择认领部门。")
        return redirect("tasks:offered")
    try:
        claim = services.task_claim(
            task=task,
            department=form.cleaned_data["department"],
            user=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request, f"已以“{claim.department.name}”名义认领“{task.title}”，等待创建办审核。"
        )
    return redirect("tasks:offered")


@login_required
def claims_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not org_access.can_manage_anything(request.user):
        raise PermissionDenied("只有创建办可以审核任务认领。")
    manageable = [
        t.pk
        for t in _live(request.user).filter(claims__status=ClaimStatus.PENDING).distinct()
        if access.can_manage_task(request.user, t)
    ]
    claims = (
        TaskClaim.objects.filter(task_id__in=manageable, status=ClaimStatus.PENDING)
        .select_related("task__campaign", "department", "claimed_by")
        .order_by("created_at", "id")
    )
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tasks/claims.html", {"page": page, "crumbs": [("认领审核", None)]})


def _decide(request: AuthenticatedHttpRequest, pk: int, approve: bool) -> HttpResponse:
    claim = access.get_claim_for_user(request.user, pk, write=True)
    note = request.POST.get("note", "")
    try:
        if approve:
            services.claim_approve(claim=claim, user=request.user, note=note)
            messages.success(request, f"已同意“{claim.department.name}”认领“{claim.task.title}”。")
        else:
            services.claim_reject(claim=claim, user=request.user, note=note)
            messages.success(request, f"已退回“{claim.department.name}”的认领。")
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("tasks:claims")
    return redirect(target)


@login_required
@require_POST
def claim_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def claim_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@login_required
@require_POST
def task_reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    form = ReassignForm(request.POST, campaign=task.campaign)
    if form.is_valid():
        try:
            services.task_reassign(
                task=task,
                department=form.cleaned_data["department"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, "已调整牵头部门，变更已记录。")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("tasks:detail", pk=task.pk)


# --- coverage and exclusions ----------------------------------------------------------------


@login_required
def coverage(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    exclusions = (
        StandardExclusion.objects.active()
        .filter(campaign=campaign)
        .select_related("standard", "created_by")
        .order_by("standard__position")
    )
    return render(
        request,
        "tasks/coverage.html",
        {
            "campaign": campaign,
            "summary": coverage_summary(campaign),
            "uncovered": list(uncovered_standards(campaign)),
            "exclusions": list(exclusions),
            "can_manage": campaign_access.can_manage_campaign(request.user, campaign),
            "crumbs": _campaign_crumbs(campaign, "标准覆盖情况"),
        },
    )


def _standard(campaign: Campaign, pk: Any) -> Node:
    standard = (
        standards_needing_tasks(campaign).filter(pk=pk).first() if str(pk).isdigit() else None
    )
    if standard is None:
        raise Http404("没有找到该测评标准。")
    return standard


@login_required
@require_POST
def standard_exclude(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk, write=True)
    standard = _standard(campaign, request.POST.get("standard"))
    try:
        services.standard_exclude(
            campaign=campaign,
            standard=standard,
            reason=request.POST.get("reason", ""),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, f"标准{standard.code}：{_error_message(exc)}")
    else:
        messages.success(request, f"已将标准{standard.code}标为不适用。")
    return redirect("tasks:coverage", campaign_pk=campaign.pk)


@login_required
@require_POST
def standard_include(
    request: AuthenticatedHttpRequest, campaign_pk: int, standard_pk: int
) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk, write=True)
    standard = _standard(campaign, standard_pk)
    try:
        services.standard_include(campaign=campaign, standard=standard, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, f"标准{standard.code}已恢复为需要分解任务。")
    return redirect("tasks:coverage", campaign_pk=campaign.pk)


# --- 挂图作战 timeline ------------------------------------------------------------------------


def _pct(day: datetime.date, start: datetime.date, total: int) -> float:
    return round(max(0, min(total, (day - start).days)) * 100 / total, 2)


@login_required
def timeline(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_access.get_campaign_for_user(request.user, campaign_pk)
    today = _today()
    start, end = campaign.cycle_start, campaign.cycle_end
    total = max(1, (end - start).days + 1)
    phases = [
        {
            "phase": p,
            "left": _pct(p.start, start, total),
            "width": max(
                0.5,
                _pct(p.end + datetime.timedelta(days=1), start, total)
                - _pct(p.start, start, total),
            ),
        }
        for p in Phase.objects.filter(campaign=campaign).order_by("position")
    ]
    years = [
        {"year": y, "left": _pct(datetime.date(y, 1, 1), start, total)}
        for y in range(start.year, end.year + 1)
    ]
    tasks = _decorate(
        _live(request.user)
        .filter(campaign=campaign)
        .order_by("lead_department__path", "deadline", "id"),
        today,
    )
    lanes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in tasks:
        first = t.start_date or (t.phase.start if t.phase else start)
        last = t.deadline or end
        left = _pct(first, start, total)
        width = max(0.8, _pct(last + datetime.timedelta(days=1), start, total) - left)
        lane = t.lead_department.name if t.lead_department else "待认领"
        lanes[lane].append({"task": t, "left": left, "width": width})
    # Departments first, in tree order; what nobody leads yet at the bottom.
    offered = lanes.pop("待认领", None)
    if offered:
        lanes["待认领"] = offered
    return render(
        request,
        "tasks/timeline.html",
        {
            "campaign": campaign,
            "phases": phases,
            "years": years,
            "today_left": _pct(today, start, total) if start <= today <= end else None,
            "lanes": list(lanes.items()),
            "crumbs": _campaign_crumbs(campaign, "挂图作战"),
        },
    )

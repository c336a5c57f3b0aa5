"""Screens of the office's directives: quarterly priorities (drafting, changing or removing a
draft, 下发, each unit's 签收 and the office's table of who has acknowledged) and monthly
information (opening a month, each unit's submission, the office's table of who has
submitted, its .xlsx and the reminder).

The office's people see the tables; a unit's own people see their unit's side, and its
创建办 acts for it; department roles are refused the lists and pages
(`access.require_reader`). Every object is fetched through `wenming.supervision.access`;
every write goes through `wenming.supervision.directives`. Each page issues a bounded number
of queries whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger.downloads import stored_file_response
from wenming.orgs.access import own_unit_ids
from wenming.supervision import access, directives
from wenming.supervision.directive_forms import (
    AckForm,
    InfoFilterForm,
    InfoRoundForm,
    PriorityForm,
    SubmitForm,
)
from wenming.supervision.models import InfoFile, InfoRound, Priority

PAGE_SIZE = 50
# The tables of every unit: a city keeps thousands.
TABLE_PAGE = 100
OFFICE_TABLE = "只有文明办人员可以查看和导出各单位的报送情况表。"


def _hub(user: Any) -> tuple[str, str]:
    """The hub's crumb, named as its page is: the office's 督查与报送, a unit's 文明办交办事项."""
    label = "督查与报送" if access.is_office_person(user) else "文明办交办事项"
    return (label, reverse("supervision:index"))


def _render(
    request: AuthenticatedHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"app": "supervision", **context}, status=status)


# --- priorities ------------------------------------------------------------------------------


@login_required
def priorities(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require_reader(user)
    office = access.is_office_person(user)
    qs = directives.listed_priorities(user, office=office)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "supervision/priority_list.html",
        {
            "page": page,
            "office": office,
            "can_manage": access.manages_any(user),
            "today": timezone.localdate(),
            "crumbs": [_hub(request.user), ("季度重点工作", None)],
        },
    )


@login_required
def priority_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.manages_any(user):
        raise PermissionDenied(access.OFFICE_ONLY)
    today = timezone.localdate()
    form = PriorityForm(
        request.POST or None,
        offices=access.managed_offices(user),
        initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            priority = directives.priority_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, "已保存重点工作草稿。核对无误后点击“下发”，各单位即可看到并签收。"
            )
            return redirect("supervision:priority", pk=priority.pk)
    return _render(
        request,
        "supervision/priority_new.html",
        {
            "form": form,
            "crumbs": [
                _hub(request.user),
                ("季度重点工作", reverse("supervision:priorities")),
                ("部署", None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def _priority_page(
    request: AuthenticatedHttpRequest,
    priority: Priority,
    ack_form: AckForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    office_side = access.can_view_office(user, priority.office)
    context: dict[str, Any] = {
        "priority": priority,
        "office_side": office_side,
        "can_manage": access.can_manage_office(user, priority.office),
        "crumbs": [
            _hub(request.user),
            ("季度重点工作", reverse("supervision:priorities")),
            (priority.title, None),
        ],
    }
    if office_side:
        rows = directives.ack_table(priority)
        # A city keeps thousands of units: the counts cover all, the table shows a page.
        context["rows"] = context["page"] = Paginator(rows, TABLE_PAGE).get_page(
            request.GET.get("page")
        )
        context["query"] = _query(request, "page")
        context["counts"] = directives.row_counts(rows, directives.ACK_LABELS)
    else:
        own = own_unit_ids(user)
        context["own_acks"] = list(
            priority.acks.filter(unit_id__in=own).select_related("unit", "acknowledged_by")
        )
        coordinated = access.coordinated_unit_ids(user)
        done = {a.unit_id for a in context["own_acks"]}
        may_ack = bool(coordinated - done) and priority.published_at is not None
        context["ack_form"] = ack_form or (AckForm() if may_ack else None)
    return _render(request, "supervision/priority_detail.html", context, status=status)


@login_required
def priority_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require_reader(request.user)
    return _priority_page(request, access.get_priority_for_user(request.user, pk))


def _priority_initial(priority: Priority) -> dict[str, Any]:
    return {
        "office": priority.office_id,
        "year": priority.year,
        "quarter": priority.quarter,
        "title": priority.title,
        "body": priority.body,
        "acknowledge_by": priority.acknowledge_by,
    }


@login_required
def priority_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """修改 a draft with the drafting form; a published priority is refused."""
    user = request.user
    priority = access.get_priority_for_user(user, pk, write=True)
    if priority.published_at is not None:
        messages.error(request, directives.PUBLISHED_NO_EDIT)
        return redirect("supervision:priority", pk=priority.pk)
    form = PriorityForm(
        request.POST or None,
        offices=access.managed_offices(user),
        initial=_priority_initial(priority),
    )
    if request.method == "POST" and form.is_valid():
        try:
            directives.priority_update(priority=priority, user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, "已保存重点工作草稿。核对无误后点击“下发”。")
            return redirect("supervision:priority", pk=priority.pk)
    return _render(
        request,
        "supervision/priority_new.html",
        {
            "form": form,
            "priority": priority,
            "crumbs": [
                _hub(request.user),
                ("季度重点工作", reverse("supervision:priorities")),
                (priority.title, reverse("supervision:priority", args=[priority.pk])),
                ("修改", None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def priority_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """删除 a draft (kept, no longer shown); a published priority is refused."""
    priority = access.get_priority_for_user(request.user, pk, write=True)
    try:
        directives.priority_remove(priority=priority, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:priority", pk=priority.pk)
    messages.success(request, f"已删除重点工作草稿“{priority.title}”。")
    return redirect("supervision:priorities")


@login_required
@require_POST
def priority_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    priority = access.get_priority_for_user(request.user, pk, write=True)
    try:
        directives.priority_publish(priority=priority, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "已下发，各单位创建办可以签收。")
    return redirect("supervision:priority", pk=priority.pk)


@login_required
@require_POST
def priority_ack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    priority = access.get_priority_for_user(user, pk)
    unit = access.responding_unit(user, priority.office)
    form = AckForm(request.POST)
    if form.is_valid():
        try:
            directives.priority_acknowledge(
                priority=priority, user=user, unit=unit, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"“{unit.name}”已签收这项重点工作。")
            return redirect("supervision:priority", pk=priority.pk)
    return _priority_page(request, priority, form, status=400)


# --- monthly information ---------------------------------------------------------------------


@login_required
def info_rounds(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require_reader(user)
    office = access.is_office_person(user)
    qs = directives.listed_info_rounds(user, office=office)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "supervision/info_list.html",
        {
            "page": page,
            "office": office,
            "can_manage": access.manages_any(user),
            "today": timezone.localdate(),
            "crumbs": [_hub(request.user), ("月度信息报送", None)],
        },
    )


@login_required
def info_round_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.manages_any(user):
        raise PermissionDenied(access.OFFICE_ONLY)
    today = timezone.localdate()
    form = InfoRoundForm(
        request.POST or None,
        offices=access.managed_offices(user),
        initial={"year": today.year, "month": today.month},
    )
    if request.method == "POST" and form.is_valid():
        try:
            found = directives.info_round_open(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已开启{found}，各单位创建办可以报送。")
            return redirect("supervision:info_round", pk=found.pk)
    return _render(
        request,
        "supervision/info_new.html",
        {
            "form": form,
            "crumbs": [
                _hub(request.user),
                ("月度信息报送", reverse("supervision:info_rounds")),
                ("开启", None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def _filtered(rows: list[directives.InfoRow], data: dict[str, Any]) -> list[directives.InfoRow]:
    state = data.get("status") or ""
    if state:
        rows = [r for r in rows if r.state == state]
    q = (data.get("q") or "").strip()
    if q:
        rows = [r for r in rows if q in r.unit.name]
    return rows


def _query(request: AuthenticatedHttpRequest, *without: str) -> str:
    params = request.GET.copy()
    for name in without:
        params.pop(name, None)
    return params.urlencode()


def _round_page(
    request: AuthenticatedHttpRequest,
    info_round: InfoRound,
    submit_form: SubmitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    office_side = access.can_view_office(user, info_round.office)
    context: dict[str, Any] = {
        "info_round": info_round,
        "office_side": office_side,
        "can_manage": access.can_manage_office(user, info_round.office),
        "today": timezone.localdate(),
        "crumbs": [
            _hub(request.user),
            ("月度信息报送", reverse("supervision:info_rounds")),
            (str(info_round), None),
        ],
    }
    if office_side:
        form = InfoFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        rows = directives.info_table(info_round)
        # A city keeps thousands of units: the counts cover all, the table shows a page.
        shown = Paginator(_filtered(rows, data), TABLE_PAGE).get_page(request.GET.get("page"))
        context.update(
            form=form,
            rows=shown,
            page=shown,
            counts=directives.row_counts(rows, directives.INFO_LABELS),
            query=_query(request, "page"),
            status_query=_query(request, "status", "page"),
        )
    else:
        own = list(
            info_round.submissions.filter(unit_id__in=own_unit_ids(user))
            .select_related("unit", "submitted_by")
            .prefetch_related(Prefetch("files", InfoFile.objects.filter(removed_at__isnull=True)))
        )
        for s in own:
            s.round = info_round
        context["own"] = own
        coordinated = access.coordinated_unit_ids(user)
        if submit_form is None and coordinated:
            mine = next((s for s in own if s.unit_id in coordinated), None)
            initial = {"title": mine.title, "content": mine.content} if mine else {}
            submit_form = SubmitForm(initial=initial)
        context["submit_form"] = submit_form
        context["max_bytes"] = settings.WENMING_UPLOAD_MAX_BYTES
    return _render(request, "supervision/info_detail.html", context, status=status)


@login_required
def info_round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require_reader(request.user)
    return _round_page(request, access.get_info_round_for_user(request.user, pk))


def _submit(
    request: AuthenticatedHttpRequest, info_round: InfoRound, call: Callable[[dict[str, Any]], Any]
) -> HttpResponse:
    form = SubmitForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("attachments", refusal)
    elif form.is_valid():
        try:
            submission = call(form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            late = "" if submission.on_time else "（已过截止日期，标为逾期报送）"
            messages.success(request, f"已报送{info_round}{late}。")
            return redirect("supervision:info_round", pk=info_round.pk)
    return _round_page(request, info_round, form, status=400)


@limited_uploads
@login_required
@require_POST
def info_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    info_round = access.get_info_round_for_user(user, pk)
    unit = access.responding_unit(user, info_round.office)
    return _submit(
        request,
        info_round,
        lambda d: directives.info_submit(
            info_round=info_round,
            user=user,
            unit=unit,
            title=d["title"],
            content=d["content"],
            uploads=d["attachments"],
        ),
    )


@login_required
@require_POST
def info_remind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    info_round = access.get_info_round_for_user(request.user, pk, write=True)
    try:
        units, people = directives.info_remind(info_round=info_round, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if people:
            messages.success(
                request,
                f"已提醒{units}家未报送单位的{people}名创建办人员（同一单位每天最多提醒一次）。",
            )
        else:
            messages.error(
                request,
                "未报送的单位都没有启用的创建办账号，无法提醒。请先在组织管理中为这些单位开设创建办账号。",
            )
    return redirect("supervision:info_round", pk=info_round.pk)


@login_required
def info_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    info_round = access.get_info_round_for_user(user, pk)
    if not access.can_view_office(user, info_round.office):
        raise PermissionDenied(OFFICE_TABLE)
    form = InfoFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = _filtered(directives.info_table(info_round), data)
    response = HttpResponse(directives.info_xlsx(info_round, rows), content_type=XLSX_TYPE)
    name = f"{info_round}情况表.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def submission_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = access.get_submission_for_user(request.user, pk)
    info_round = submission.round
    return _render(
        request,
        "supervision/info_submission.html",
        {
            "submission": submission,
            "info_round": info_round,
            "files": list(submission.files.filter(removed_at__isnull=True)),
            "crumbs": [
                _hub(request.user),
                ("月度信息报送", reverse("supervision:info_rounds")),
                (str(info_round), reverse("supervision:info_round", args=[info_round.pk])),
                (submission.unit.name, None),
            ],
        },
    )


@login_required
def info_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    f = access.get_info_file_for_user(request.user, pk)
    return stored_file_response(f, f.file)

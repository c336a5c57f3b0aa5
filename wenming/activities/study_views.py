"""Screens of study records (学习, R19), under /activities/study/.

- 学习达标 (`study`): the year's targets, the compliance per department and per person
  (sessions attended, platform points, 考学), filtered by department; links to the points
  imports and the exams. The 创建办 sets the targets (`study_target`).
- 学习积分 (`study_points`, `study_points_import`): the monthly imports of the platform's
  export, the last one's unmatched names shown first; uploading a month's sheet (every bad
  row listed and nothing kept, or the month imported with the names that matched nobody).
- 考学 (`study_exams`, `study_exam_new`, `study_exam_detail`, `study_exam_scores`,
  `study_exam_remove`): the year's exams with their pass rates; recording one with its
  scores (rows or pasted lines); one exam's scores; adding or correcting scores; removing
  it (kept).

The unit is the one of a campaign (`?campaign=`, chosen as on the volunteers' page). Access
is `study_access`, writes and readings `activities.study`, which the API calls too. Each
page issues a bounded number of queries whatever the number of people or records. A refused
write shows the page again with the Chinese messages (400) and keeps nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from wenming.activities import study
from wenming.activities import study_access as access
from wenming.activities.models import Exam, PointsImport
from wenming.activities.people_access import places_of

# The volunteers' page chooses the unit the same way; one rule for every people screen.
from wenming.activities.people_views import _campaign, _campaign_of, _choose, _year, _years
from wenming.activities.study_forms import (
    ACCEPT,
    ExamForm,
    PointsImportForm,
    ScoresForm,
    TargetForm,
    blank_rows,
    entered_rows,
    score_rows,
)
from wenming.campaigns.models import Campaign
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people

PAGE_SIZE = 50
NO_CAMPAIGN = "没有找到该创建工作，或您无权查看。"


def _query(campaign: Campaign | None, year: int | None = None) -> str:
    if campaign is None:
        return ""
    return f"?campaign={campaign.pk}" + (f"&year={year}" if year else "")


def _url(name: str, campaign: Campaign | None, year: int | None = None, *args: Any) -> str:
    return reverse(f"activities:{name}", args=args) + _query(campaign, year)


def _crumbs(campaign: Campaign | None, *tail: tuple[str, str | None]) -> list[Any]:
    return [("活动", reverse("activities:index") + _query(campaign)), *tail]


def _campaign_arg(request: AuthenticatedHttpRequest) -> Campaign:
    raw = request.GET.get("campaign", "").strip()
    if not raw.isdigit():
        raise Http404(NO_CAMPAIGN)
    return access.get_campaign_for_reader(request.user, raw)


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
        "can_manage": None,
    }


def _people_choices(unit: Organization) -> list[tuple[int, str]]:
    """The unit's people as "姓名 · 部门" (two queries)."""
    people = list(unit_people(unit))
    places = places_of(unit, [p.pk for p in people])
    return [(p.pk, f"{study.person_name(p)} · {places[p.pk]}") for p in people]


# --- 学习达标 ----------------------------------------------------------------------------------


@login_required
def study_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "study", "学习")
    unit = campaign.unit
    year = _year(request)
    department = access.department_for_reader(unit, request.GET.get("department"))
    reading = study.study_rows(unit, year, department)
    departments = Organization.objects.departments_of(unit, active_only=True).order_by(
        "sort_order", "name"
    )
    people = sorted(reading.people, key=lambda r: (r.met is not False, r.place, r.name))
    return render(
        request,
        "activities/study/index.html",
        {
            **_head(campaign, year, "study", "study"),
            "reading": reading,
            "target": reading.target,
            "rows": people,
            "department": department,
            "departments": list(departments.values_list("pk", "name")),
            "can_manage": access.can_manage(request.user, unit),
            "target_url": _url("study_target", campaign, year),
            "points_url": _url("study_points", campaign, year),
            "exams_url": _url("study_exams", campaign, year),
            "crumbs": _crumbs(campaign, ("学习", None)),
        },
    )


def _target_page(
    request: AuthenticatedHttpRequest, campaign: Campaign, year: int, form: TargetForm, status: int
) -> HttpResponse:
    return render(
        request,
        "activities/study/target.html",
        {
            **_head(campaign, year, "study", "study_target"),
            "form": form,
            "action": _url("study_target", campaign, year),
            "back_url": _url("study", campaign, year),
            "crumbs": _crumbs(
                campaign, ("学习", _url("study", campaign, year)), (f"{year}年学习目标", None)
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_target(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _manager_campaign(request)
    year = _year(request)
    if request.method != "POST":
        current = study.target_of(campaign.unit, year)
        initial = (
            {"sessions": current.sessions, "points": current.points, "platform": current.platform}
            if current
            else {"platform": study.PLATFORM}
        )
        return _target_page(request, campaign, year, TargetForm(initial=initial), 200)
    form = TargetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            target = study.study_target_set(
                unit=campaign.unit,
                year=year,
                user=request.user,
                sessions=data["sessions"],
                points=data["points"],
                platform=data["platform"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已设置{year}年学习目标：每人参加学习{target.sessions}次，"
                f"{target.platform}积分{target.points}分。",
            )
            return redirect(_url("study", campaign, year))
    return _target_page(request, campaign, year, form, 400)


# --- 学习积分 ----------------------------------------------------------------------------------


@login_required
def study_points(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "study_points", "学习积分")
    unit = campaign.unit
    year = _year(request)
    imports = PointsImport.objects.filter(unit=unit).select_related("created_by")
    page = Paginator(imports.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    last = imports.order_by("-created_at", "-id").first()
    live = study.current_imports(unit)
    return render(
        request,
        "activities/study/points.html",
        {
            **_head(campaign, year, "points", "study_points"),
            "page": page,
            "imports": [{"record": i, "current": i.pk in live} for i in page],
            "last": last,
            "unmatched": study.unmatched_sentence(last.unmatched)
            if last and last.unmatched
            else "",
            "can_manage": access.can_manage(request.user, unit),
            "new_url": _url("study_points_import", campaign, year),
            "query": _query(campaign, year).lstrip("?"),
            "crumbs": _crumbs(
                campaign, ("学习", _url("study", campaign, year)), ("学习积分", None)
            ),
        },
    )


def _import_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    form: PointsImportForm,
    *,
    problems: list[study.Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    year = _year(request)
    found = problems or []
    return render(
        request,
        "activities/study/points_import.html",
        {
            **_head(campaign, year, "points", "study_points"),
            "form": form,
            "problems": found,
            "problem_count": len(found),
            "problem_rows": len({p.row for p in found if p.row}),
            "accept": ACCEPT,
            "action": _url("study_points_import", campaign, year),
            "back_url": _url("study_points", campaign, year),
            "crumbs": _crumbs(
                campaign,
                ("学习积分", _url("study_points", campaign, year)),
                ("导入积分", None),
            ),
        },
        status=status,
    )


@limited_uploads
@login_required
@require_http_methods(["GET", "POST"])
def study_points_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _manager_campaign(request)
    if request.method != "POST":
        return _import_page(request, campaign, PointsImportForm())
    form = PointsImportForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("file", refusal)
        return _import_page(request, campaign, form, status=400)
    if not form.is_valid():
        return _import_page(request, campaign, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = study.points_import(
            unit=campaign.unit,
            user=request.user,
            month=form.cleaned_data["month"],
            content=upload.read(settings.WENMING_IMPORT_MAX_BYTES + 1),
            file_name=upload.name or "",
        )
    except study.PointsRefused as exc:
        return _import_page(request, campaign, form, problems=exc.problems, status=400)
    except ValidationError as exc:
        form.apply_errors(exc)
        return _import_page(request, campaign, form, status=400)
    record = result.record
    replaced = "（已替换该月此前导入的积分）" if result.replaced else ""
    messages.success(request, f"已导入{record.month:%Y年%m月}学习积分：{record.rows}人{replaced}。")
    if record.unmatched:
        messages.warning(request, study.unmatched_sentence(record.unmatched))
    return redirect(_url("study_points", campaign, record.month.year))


# --- 考学 ---------------------------------------------------------------------------------------


@login_required
def study_exams(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        return _choose(request, "study_exams", "考学")
    unit = campaign.unit
    year = _year(request)
    exams = study.exam_results(
        Exam.objects.filter(unit=unit, removed_at__isnull=True, held_on__year=year)
    ).order_by("-held_on", "-id")
    page = Paginator(exams, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/study/exams.html",
        {
            **_head(campaign, year, "exams", "study_exams"),
            "page": page,
            "exams": list(page),
            "can_manage": access.can_manage(request.user, unit),
            "new_url": _url("study_exam_new", campaign, year),
            "query": _query(campaign, year).lstrip("?"),
            "crumbs": _crumbs(campaign, ("学习", _url("study", campaign, year)), ("考学", None)),
        },
    )


def _exam_new_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    form: ExamForm,
    rows: list[tuple[str, str]] | None = None,
    score_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "activities/study/exam_new.html",
        {
            **_head(campaign, year, "exams", "study_exams"),
            "form": form,
            "rows": blank_rows(rows),
            "people": _people_choices(campaign.unit),
            "score_errors": score_errors or [],
            "action": _url("study_exam_new", campaign, year),
            "back_url": _url("study_exams", campaign, year),
            "crumbs": _crumbs(
                campaign, ("考学", _url("study_exams", campaign, year)), ("登记考学", None)
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_exam_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = _manager_campaign(request)
    if request.method != "POST":
        return _exam_new_page(request, campaign, ExamForm())
    form = ExamForm(request.POST)
    score_errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            exam = study.exam_create(
                unit=campaign.unit,
                user=request.user,
                title=data["title"],
                held_on=data["held_on"],
                full_marks=data["full_marks"],
                pass_mark=data["pass_mark"],
                scores=score_rows(request.POST),
                lines=data["lines"],
            )
        except ValidationError as exc:
            score_errors = _apply(form, exc)
        else:
            count = exam.scores.count()
            messages.success(request, f"已登记考学“{exam.title}”，{count}人的成绩。")
            return redirect(_url("study_exam_detail", campaign, None, exam.pk))
    rows = entered_rows(request.POST)
    return _exam_new_page(request, campaign, form, rows, score_errors, status=400)


def _apply(form: ExamForm | ScoresForm, exc: ValidationError) -> list[str]:
    """The service's refusals on the form; those about the score rows are returned, to be
    shown beside the rows."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return []
    errors = dict(exc.error_dict)
    rows = [m for e in errors.pop("scores", []) for m in e.messages]
    if errors:
        form.apply_errors(ValidationError(errors))
    return rows


def _exam_page(
    request: AuthenticatedHttpRequest,
    exam: Exam,
    *,
    form: ScoresForm | None = None,
    rows: list[tuple[str, str]] | None = None,
    score_errors: list[str] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    unit = exam.unit
    campaign = _campaign_of(request, unit)
    can_manage = access.can_manage(request.user, unit) and exam.removed_at is None
    scores = list(exam.scores.select_related("person").order_by("-score", "id"))
    places = places_of(unit, [s.person_id for s in scores])
    results = [
        {
            "score": s,
            "name": study.person_name(s.person),
            "place": places[s.person_id],
            "passed": s.score >= exam.pass_mark,
        }
        for s in scores
    ]
    passed = sum(1 for r in results if r["passed"])
    year = exam.held_on.year
    if can_manage and form is None:
        form = ScoresForm()
    return render(
        request,
        "activities/study/exam_detail.html",
        {
            "exam": exam,
            "unit": unit,
            "campaign": campaign,
            "year": year,
            "results": results,
            "passed": passed,
            "pass_rate": study.rate(passed, len(results)),
            "average": study.average([s.score for s in scores]),
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "rows": blank_rows(rows),
            "people": _people_choices(unit) if can_manage else [],
            "score_errors": score_errors or [],
            "error": error,
            "scores_action": _url("study_exam_scores", campaign, None, exam.pk),
            "remove_action": _url("study_exam_remove", campaign, None, exam.pk),
            "list_url": _url("study_exams", campaign, year),
            "crumbs": _crumbs(
                campaign, ("考学", _url("study_exams", campaign, year)), (exam.title, None)
            ),
        },
        status=status,
    )


@login_required
def study_exam_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _exam_page(request, access.get_exam_for_user(request.user, pk))


@login_required
@require_POST
def study_exam_scores(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    exam = access.get_exam_for_user(request.user, pk, write=True)
    form = ScoresForm(request.POST)
    score_errors: list[str] = []
    if form.is_valid():
        try:
            count = study.exam_scores_set(
                exam=exam,
                user=request.user,
                scores=score_rows(request.POST),
                lines=form.cleaned_data["lines"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _exam_page(request, exam, error="；".join(exc.messages), status=400)
            score_errors = _apply(form, exc)
        else:
            messages.success(request, f"已登记{count}人的成绩（已有成绩的以本次为准）。")
            campaign = _campaign_of(request, exam.unit)
            return redirect(_url("study_exam_detail", campaign, None, exam.pk))
    rows = entered_rows(request.POST)
    return _exam_page(request, exam, form=form, rows=rows, score_errors=score_errors, status=400)


@login_required
@require_POST
def study_exam_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    exam = access.get_exam_for_user(request.user, pk, write=True)
    campaign = _campaign_of(request, exam.unit)
    try:
        study.exam_remove(exam=exam, user=request.user)
    except ValidationError as exc:
        return _exam_page(request, exam, error="；".join(exc.messages), status=400)
    messages.success(request, f"已删除考学“{exam.title}”（记录保留），不再计入考学情况。")
    return redirect(_url("study_exams", campaign, exam.held_on.year))

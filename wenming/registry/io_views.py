"""The registry's Excel screens: export what the list's filters select, and import an
office's existing list (upload → preview of what will be created → confirm).

Whoever reads the registry exports it (`access.visible_entries`); only the office's managers
import (`access.registry_offices`, `access.can_manage_registry`). The preview carries the
rows read from the sheet to the confirmation signed, bound to the user and the office; the
confirmation checks them again against the registry as it is then, and saves through the
services in one transaction (`io.import_run`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wenming.core.forms import StyledFormMixin
from wenming.core.xlsx import CONTENT_TYPE
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs.models import Organization
from wenming.registry import access, io
from wenming.registry.filters import Filters

SALT = "wenming.registry.import"
PREVIEW_MAX_AGE = 2 * 60 * 60  # seconds a preview can be confirmed
ACCEPT = ".xlsx,.xls,.et"
PREVIEW_ROWS = 200  # rows of each list shown on the preview page; the counts are complete


class ImportForm(StyledFormMixin, forms.Form):
    office = forms.ModelChoiceField(
        label="导入到",
        queryset=Organization.objects.none(),
        empty_label=None,
        required=False,
        error_messages={"invalid_choice": "请选择您管理的文明办。"},
    )
    file = forms.FileField(
        label="名录文件（.xlsx 或 .xls）", error_messages={"required": "请选择要导入的名录文件。"}
    )
    create_units = forms.BooleanField(label="名录中没有的单位按名称新建", required=False)
    skip_existing = forms.BooleanField(label="跳过已有记录", required=False)

    def __init__(self, *args: Any, offices: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offices
        self.offices = offices

    def clean_office(self) -> Organization | None:
        """Not sent: the top-most office the user manages."""
        return self.cleaned_data.get("office") or self.offices.first()


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("文明单位名录", reverse("registry:index")), *tail]


@login_required
def registry_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = access.visible_entries(request.user)
    office_id = request.GET.get("office", "")
    office = None
    if office_id.isdigit():
        office = Organization.objects.filter(pk=int(office_id)).first()
        entries = entries.filter(office_id=int(office_id))
    filters = Filters.from_params(request.GET)
    entries = filters.entries(entries)
    if office is not None and access.visible_entries(request.user).filter(office=office).exists():
        title = f"{office.name} 文明单位名录"
    else:
        title = "文明单位名录"
    content = io.registry_workbook(entries, filters, title)
    name = f"{title.replace(' ', '')}_{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def registry_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = access.registry_offices(request.user)
    if not offices.exists():
        raise PermissionDenied("只有文明办管理员可以导入文明单位名录。")
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request)
    initial = {"office": request.GET.get("office")} if request.GET.get("office") else {}
    form = ImportForm(request.POST or None, request.FILES or None, offices=offices, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, form, status=422 if request.method == "POST" else 200)
    office = form.cleaned_data["office"]
    upload = form.cleaned_data["file"]
    content = upload.read(settings.WENMING_IMPORT_MAX_BYTES + 1)
    try:
        rows = io.read_rows(content, upload.name or "")
    except io.ImportRefused as exc:
        return _upload_page(request, form, problems=exc.problems, status=422)
    options = {
        "create_units": form.cleaned_data["create_units"],
        "skip_existing": form.cleaned_data["skip_existing"],
    }
    plan = io.import_plan(office=office, rows=rows, **options)
    if not plan.ok:
        return _upload_page(request, form, problems=plan.problems, status=422)
    payload = signing.dumps(
        {"user": request.user.pk, "office": office.pk, "rows": io.plan_payload(rows), **options},
        salt=SALT,
        compress=True,
    )
    return _preview_page(request, office, plan, payload, upload.name or "")


def _upload_page(
    request: AuthenticatedHttpRequest,
    form: ImportForm,
    *,
    problems: list[io.Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "registry/io_import.html",
        {
            "form": form,
            "problems": problems or [],
            "accept": ACCEPT,
            "columns": io.COLUMNS,
            "crumbs": _crumbs(("导入名录", None)),
        },
        status=status,
    )


def _preview_page(
    request: AuthenticatedHttpRequest,
    office: Organization,
    plan: io.ImportPlan,
    payload: str,
    filename: str,
) -> HttpResponse:
    honours = plan.new_honours
    return render(
        request,
        "registry/io_preview.html",
        {
            "office": office,
            "plan": plan,
            "new_entries": plan.new_entries[:PREVIEW_ROWS],
            "new_entry_count": len(plan.new_entries),
            "new_unit_count": len(plan.new_units),
            "new_honours": honours[:PREVIEW_ROWS],
            "new_honour_count": len(honours),
            "skipped": plan.skipped[:PREVIEW_ROWS],
            "preview_rows": PREVIEW_ROWS,
            "payload": payload,
            "filename": filename,
            "crumbs": _crumbs(("导入名录", reverse("registry:import")), ("核对", None)),
        },
    )


def _confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        data = signing.loads(request.POST["payload"], salt=SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        messages.error(request, "核对页面已超过2小时，请重新上传名录文件。")
        return redirect("registry:import")
    except signing.BadSignature as exc:
        raise Http404("导入内容无法识别，请重新上传名录文件。") from exc
    if data.get("user") != request.user.pk:
        raise Http404("导入内容无法识别，请重新上传名录文件。")
    office = access.registry_offices(request.user).filter(pk=data.get("office")).first()
    if office is None or not access.can_manage_registry(request.user, office):
        raise PermissionDenied("只有文明办管理员可以导入文明单位名录。")
    rows = io.rows_from_payload(data["rows"])
    plan = io.import_plan(
        office=office,
        rows=rows,
        create_units=bool(data.get("create_units")),
        skip_existing=bool(data.get("skip_existing")),
    )
    try:
        result = io.import_run(office=office, user=request.user, plan=plan)
    except io.ImportRefused as exc:
        form = ImportForm(offices=access.registry_offices(request.user), initial={"office": office})
        return _upload_page(request, form, problems=exc.problems, status=422)
    messages.success(
        request,
        f"导入完成：新登记{result.entries}个单位（其中新建单位{result.units}个），"
        f"新增称号{result.honours}项"
        + (f"，跳过已有记录{result.skipped}条" if result.skipped else "")
        + "。",
    )
    return redirect(f"{reverse('registry:index')}?office={office.pk}")

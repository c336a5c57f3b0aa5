"""The import screens: upload, the preview that shows how the document was read and lets the
user correct it (htmx, one correction at a time), then save or discard.

Access: the import page needs someone who may import for an office or unit; a preview is its
uploader's alone (`access.get_import_draft_for_user`). Writes go through `preview.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.frameworks import access, preview
from wenming.frameworks.forms import KINDS, ImportForm
from wenming.frameworks.io.reading import MEANINGS, ROLES, Reading
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.models import ImportDraft, Section
from wenming.http import AuthenticatedHttpRequest

ACCEPT = ".xlsx,.xlsm,.xls,.et,.ods,.docx,.doc,.wps,.yaml,.yml"


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("测评体系", reverse("frameworks:list")), *tail]


@login_required
def framework_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    owners = access.framework_owner_choices(request.user)
    if not owners.exists():
        raise PermissionDenied("只有文明办管理员或单位创建办可以导入测评体系。")
    form = ImportForm(request.POST or None, request.FILES or None, owners=owners)
    problems: list[Any] = []
    too_big = False
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.WENMING_IMPORT_MAX_BYTES
        # Read at most one byte past the limit: a larger file is refused without reading it all.
        content = upload.read(limit + 1)
        too_big = len(content) > limit
        if too_big:
            form.add_error(
                "file",
                f"文件超过{limit // (1024 * 1024)}MB，请删去与测评体系无关的工作表或图片后再导入。",
            )
        else:
            try:
                draft, _ = preview.draft_start(
                    owner=form.cleaned_data["owner"],
                    user=request.user,
                    filename=upload.name or "",
                    content=content,
                    overrides=form.overrides(),
                )
            except ImportFailed as exc:
                problems = list(exc.problems)
            else:
                return redirect("frameworks:import_preview", pk=draft.pk)
    return render(
        request,
        "frameworks/import.html",
        {
            "form": form,
            "problems": problems,
            "kinds": KINDS,
            "accept": ACCEPT,
            "crumbs": _crumbs(("导入", None)),
        },
        status=422 if problems or too_big else 200,
    )


def _context(draft: ImportDraft, reading: Reading) -> dict[str, Any]:
    data = reading.as_dict()
    rows_by_sheet: dict[str, list[dict[str, Any]]] = {}
    for row in data["rows"]:
        rows_by_sheet.setdefault(row["sheet"], []).append(row)
    caps = {s["section"]: s for s in data["sections"]}
    return {
        "draft": draft,
        "reading": data,
        "ok": reading.ok,
        "tables": [
            {**t, "rows": rows_by_sheet.get(t["sheet"], []), "width": _width(t, rows_by_sheet)}
            for t in data["tables"]
        ],
        "roles": ROLES,
        "meanings": MEANINGS,
        "bonus": caps.get(Section.BONUS),
        "deduction": caps.get(Section.DEDUCTION),
        "corrections": preview.corrections_count(draft),
        "cap_values": _cap_values(draft, caps),
        "crumbs": _crumbs(("导入", reverse("frameworks:import")), ("核对读取结果", None)),
    }


def _cap_values(draft: ImportDraft, caps: dict[str, Any]) -> dict[str, str]:
    """Each section's cap as the inputs show it: the user's correction, else the document's."""
    corrected = (draft.corrections or {}).get("caps") or {}
    out: dict[str, str] = {}
    for section in (Section.BONUS, Section.DEDUCTION):
        stated = (caps.get(section) or {}).get("cap")
        out[section] = str(corrected.get(section) or stated or "")
    return out


def _width(table: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> list[int]:
    """The columns with content that have no meaning yet (offered when no header was found)."""
    widest = max((len(r["cells"]) for r in rows.get(table["sheet"], [])), default=0)
    mapped = {c["column"] for c in table["columns"]}
    return [c for c in range(widest) if c not in mapped]


@login_required
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = access.get_import_draft_for_user(request.user, pk)
    if draft.framework_id is not None:
        return redirect("frameworks:detail", pk=draft.framework_id)
    if draft.discarded_at is not None:
        messages.info(request, "这次导入已经放弃。")
        return redirect("frameworks:import")
    return render(request, "frameworks/preview.html", _context(draft, preview.read_draft(draft)))


@login_required
@require_POST
def import_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = access.get_import_draft_for_user(request.user, pk)
    error = ""
    try:
        reading = preview.draft_correct(draft=draft, change=request.POST.dict())
    except ValidationError as exc:
        error = "；".join(exc.messages)
        reading = preview.read_draft(draft)
    context = {**_context(draft, reading), "error": error}
    if request.htmx:
        return render(
            request, "frameworks/_preview_body.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, error)
    return redirect("frameworks:import_preview", pk=draft.pk)


@login_required
@require_POST
def import_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = access.get_import_draft_for_user(request.user, pk)
    try:
        result = preview.draft_save(draft=draft, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("frameworks:import")
    if result.ok and result.framework is not None:
        s = result.summary
        messages.success(
            request,
            f"导入成功：{s['items']}个测评项目、{s['standards']}条测评标准，基本分合计"
            f"{s['points_total']}分，最高{s.get('max_total', s['points_total'])}分。"
            "请核对后发布。",
        )
        return redirect("frameworks:detail", pk=result.framework.pk)
    reading = preview.read_draft(draft)
    context = {**_context(draft, reading), "save_problems": result.problems}
    return render(request, "frameworks/preview.html", context, status=422)


@login_required
@require_POST
def import_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = access.get_import_draft_for_user(request.user, pk)
    preview.draft_discard(draft=draft)
    messages.info(request, f"已放弃导入“{draft.filename}”，没有写入任何内容。")
    return redirect("frameworks:import")

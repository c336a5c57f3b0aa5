"""Helpers shared by the ledger screens: crumbs, list decoration, upload responses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.http import AuthenticatedHttpRequest
from wenming.ledger import access, completeness
from wenming.ledger.files import FileKind
from wenming.ledger.models import (
    EvidenceFile,
    EvidenceItem,
    ItemStatus,
    YearArchive,
)
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization
from wenming.tasks.models import Occurrence

PAGE_SIZE = 50
# The uploader script marks its requests: a refused upload then gets only the form back, and
# the redirect it follows after success answers 204 so the flash message waits for the
# page the browser opens next.
UPLOADER_HEADER = "X-Wenming-Uploader"
TABS = {"standards": "按测评标准", "gaps": "缺项清单", "departments": "按部门"}


def _error_message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _from_uploader(request: HttpRequest) -> bool:
    return bool(request.headers.get(UPLOADER_HEADER))


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _binder_url(campaign: Campaign) -> str | None:
    """The binder export screen is another helper's; hide the button until it exists."""
    try:
        return reverse("binder:new", args=[campaign.pk])
    except NoReverseMatch:
        return None


def _crumbs(campaign: Campaign, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (campaign.title, reverse("tasks:table", args=[campaign.pk])),
        ("创建台账", reverse("ledger:campaign", args=[campaign.pk]) if tail else None),
    ]
    crumbs.extend(tail)
    return crumbs


def _live_files() -> Prefetch[Any]:
    return Prefetch(
        "files",
        queryset=EvidenceFile.objects.filter(removed_at__isnull=True).order_by("position", "id"),
        to_attr="live_files",
    )


def _list_items(qs: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    return completeness.with_file_counts(
        qs.select_related("department", "task", "occurrence")
    ).prefetch_related(_live_files())


def _decorate(items: Any) -> list[EvidenceItem]:
    """Attach what lists show: completeness, cover photo, integrity flag count."""
    rows = list(items)
    for item in rows:
        files: list[EvidenceFile] = item.live_files
        item.check = completeness.check_item(
            item,
            item.photo_count,
            item.text_count,
        )
        item.cover = next((f for f in files if f.kind == FileKind.PHOTO), None) or (
            files[0] if files else None
        )
        item.flag_count = sum(len(f.flags or []) for f in files)
    return rows


def _unit_departments(campaign: Campaign) -> QuerySet[Organization]:
    return Organization.objects.departments_of(campaign.unit, active_only=True).order_by("path")


def _my_departments(user: Any, campaign: Campaign) -> list[Organization]:
    ids = org_access.department_ids_for_write(user)
    if not ids:
        return []
    return list(_unit_departments(campaign).filter(pk__in=ids))


def _year_is_archived(item: EvidenceItem) -> bool:
    return YearArchive.objects.filter(unit_id=item.unit_id, year=item.year, archived=True).exists()


def _managed_campaign(user: Any, pk: int) -> Campaign:
    return access.get_managed_campaign_for_user(user, pk)


def _tree(campaign: Campaign, rows: list[completeness.StandardRow]) -> list[dict[str, Any]]:
    """The system's items and contents above the given standard rows, in the system's order."""
    nodes = list(
        Node.objects.filter(framework_id=campaign.framework_id, is_leaf=False)
        .only("id", "parent_id", "code", "title", "depth", "position", "points")
        .order_by("position")
    )
    parents = {n.pk: n for n in nodes}
    wanted: set[int] = set()
    for row in rows:
        pid = row.node.parent_id
        while pid is not None and pid in parents and pid not in wanted:
            wanted.add(pid)
            pid = parents[pid].parent_id
    entries: list[tuple[int, int, dict[str, Any]]] = [
        (n.position, 0, {"node": n, "row": None}) for n in nodes if n.pk in wanted
    ]
    entries += [(r.node.position, 1, {"node": r.node, "row": r}) for r in rows]
    entries.sort(key=lambda e: (e[0], e[1]))
    return [e[2] for e in entries]


def _default_occurrence(occurrences: list[Occurrence]) -> Occurrence | None:
    today = timezone.localdate()
    pending = [o for o in occurrences if o.done_at is None and o.due >= today]
    if pending:
        return pending[0]
    return occurrences[-1] if occurrences else None


def _upload_response(
    request: AuthenticatedHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("max_bytes", _max_bytes())
    context.setdefault("max_files", _max_files())
    if status != 200 and _from_uploader(request):
        return render(request, "ledger/_upload_form.html", context, status=status)
    return render(request, template, context, status=status)


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.WENMING_UPLOAD_MAX_BYTES)


def _max_files() -> int:
    from django.conf import settings

    return int(settings.WENMING_UPLOAD_MAX_FILES)


def _uploaded_message(item: EvidenceItem) -> str:
    count = item.files.count()
    return f"已上传台账“{item.title}”（{count}个文件），等待创建办审核。"


def _item_context(request: AuthenticatedHttpRequest, item: EvidenceItem) -> dict[str, Any]:
    user = request.user
    item = (
        EvidenceItem.objects.select_related(
            "campaign__framework",
            "unit",
            "department",
            "task__lead_department",
            "occurrence",
            "created_by",
            "reviewed_by",
        )
        .prefetch_related(
            Prefetch("files", queryset=EvidenceFile.objects.order_by("position", "id"))
        )
        .get(pk=item.pk)
    )
    files = list(item.files.all())
    live = [f for f in files if f.removed_at is None]
    check = completeness.check_loaded_item(item)
    archived = _year_is_archived(item)
    can_review = access.can_manage_ledger(user, item.unit)
    can_edit = access.can_edit_evidence(user, item) and not archived
    flags = [(f, flag) for f in live for flag in (f.flags or [])]
    return {
        "item": item,
        "campaign": item.campaign,
        "photos": [f for f in live if f.kind == FileKind.PHOTO],
        "others": [f for f in live if f.kind != FileKind.PHOTO],
        "live_count": len(live),
        "check": check,
        "flags": flags,
        "standards": list(item.standards.order_by("position")),
        "events": list(item.events.select_related("actor")),
        "archived": archived,
        "can_review": can_review and not archived and item.status == ItemStatus.SUBMITTED,
        "can_edit": can_edit,
        "can_resubmit": can_edit and item.status == ItemStatus.RETURNED,
        "max_bytes": _max_bytes(),
        "max_files": _max_files(),
        "crumbs": _crumbs(
            item.campaign,
            *(
                [(f"一事一档：{item.task.title}", reverse("ledger:dossier", args=[item.task_id]))]
                if item.task
                else [("台账列表", reverse("ledger:items", args=[item.campaign_id]))]
            ),
            (item.title, None),
        ),
    }


def _flat(errors: list[ValidationError]) -> list[str]:
    return [m for e in errors for m in e.messages]

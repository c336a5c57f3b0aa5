"""Writes to evaluation systems: import, publish, new version, node edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from wenming import trace
from wenming.core import xlsx
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io.reading import Corrections, Reading
from wenming.frameworks.io.spec import FrameworkSpec, ImportFailed, Problem
from wenming.frameworks.models import Framework, FrameworkStatus, Node, Section
from wenming.orgs.models import Organization

ZIP_MAGIC = b"PK"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class ImportResult:
    ok: bool
    framework: Framework | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        summary = self.summary or {}
        return {
            "ok": self.ok,
            "framework_id": self.framework.pk if self.framework else None,
            "items": summary.get("items", 0),
            "standards": summary.get("standards", 0),
            "points_total": summary.get("points_total", "0"),
            "max_total": summary.get("max_total", "0"),
            "bonus_standards": summary.get("bonus_standards", 0),
            "bonus_cap": summary.get("bonus_cap"),
            "deduction_standards": summary.get("deduction_standards", 0),
            "veto_count": summary.get("veto_count", 0),
            "errors": [p.as_dict() for p in self.problems],
        }


def size_label(size: int) -> str:
    """A byte count as office staff read it: 10MB, 512KB."""
    if size >= 1024 * 1024:
        return (
            f"{size / (1024 * 1024):.0f}MB"
            if size % (1024 * 1024) == 0
            else f"{size / (1024 * 1024):.1f}MB"
        )
    return f"{max(1, round(size / 1024))}KB"


def _is_yaml(content: bytes, filename: str) -> bool:
    if content.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return False
    lower = filename.lower()
    return lower.endswith(YAML_SUFFIXES) or not lower


def read_upload(content: bytes, filename: str, corrections: Corrections | None = None) -> Reading:
    """How an upload reads, without saving anything: the import preview.

    Spreadsheets and Word documents (any format `documents.read_document` knows, decided by
    the content) go through the layout reader with the user's `corrections`; a YAML file is
    read as YAML and shown as its tree. Raises ImportFailed when the file cannot be read as
    tables at all (a PDF, a damaged or password-protected file...).
    """
    from wenming.frameworks.io import yaml_io
    from wenming.frameworks.io.documents import read_document
    from wenming.frameworks.io.layout import read_layout

    if not content.strip():
        raise ImportFailed([Problem("文件是空的")])
    if _is_yaml(content, filename):
        spec = yaml_io.load(content)
        return Reading(filename=filename, format="yaml", tree=spec)
    return read_layout(read_document(content, filename), corrections)


def parse_upload(
    content: bytes, filename: str, corrections: Corrections | None = None
) -> FrameworkSpec:
    """Read an evaluation system from an uploaded file. Raises ImportFailed listing every
    problem that blocks it."""
    reading = read_upload(content, filename, corrections)
    if reading.spec is None:
        raise ImportFailed(reading.problems)
    return reading.spec


def framework_import(
    *,
    content: bytes,
    filename: str,
    owner: Organization | None,
    user: User | None,
    overrides: dict[str, Any] | None = None,
    corrections: Corrections | None = None,
) -> ImportResult:
    """Import a file as a new draft. Any problem imports nothing and lists every problem."""
    from django.conf import settings

    if len(content) > settings.WENMING_IMPORT_MAX_BYTES:
        limit = settings.WENMING_IMPORT_MAX_BYTES // (1024 * 1024)
        return ImportResult(
            ok=False,
            problems=[Problem(f"文件超过{limit}MB，请删去与测评体系无关的工作表或图片后再导入")],
        )
    try:
        spec = parse_upload(content, filename, corrections)
        for key, value in (overrides or {}).items():
            if value not in (None, ""):
                setattr(spec, key, value)
        problems = spec_mod.validate(spec)
        if problems:
            return ImportResult(ok=False, summary=spec.summary(), problems=problems)
        framework = spec_mod.save(spec, owner=owner, created_by=user, source_name=filename)
    except ImportFailed as exc:
        return ImportResult(ok=False, problems=exc.problems)
    return ImportResult(ok=True, framework=framework, summary=spec.summary())


def framework_check(framework: Framework) -> list[Problem]:
    """The totals check of a stored framework (for drafts edited in place)."""
    return spec_mod.validate(spec_mod.from_framework(framework))


@transaction.atomic
def framework_publish(*, framework: Framework, user: User | None) -> Framework:
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.DRAFT:
        raise ValueError("只有草稿可以发布。")
    problems = framework_check(framework)
    if problems:
        raise ImportFailed(problems)
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    return framework


@transaction.atomic
def framework_retire(*, framework: Framework, user: User | None) -> Framework:
    if framework.status != FrameworkStatus.PUBLISHED:
        raise ValueError("只有已发布的体系可以停用。")
    framework.status = FrameworkStatus.RETIRED
    framework.save(update_fields=["status"])
    return framework


@transaction.atomic
def framework_new_version(*, framework: Framework, user: User | None) -> Framework:
    """Copy a framework into the next draft version of its lineage."""
    draft = Framework.objects.filter(
        owner=framework.owner, lineage=framework.lineage, status=FrameworkStatus.DRAFT
    ).first()
    if draft is not None:
        raise ValueError(f"该体系已有未发布的草稿（第{draft.version}版），请先完成或发布它。")
    spec = spec_mod.from_framework(framework)
    new = spec_mod.save(spec, owner=framework.owner, created_by=user, previous=framework)
    return new


NODE_EDITABLE_FIELDS = [
    "title",
    "description",
    "points",
    "methods",
    "evidence",
    "material_window",
    "scoring_mode",
    "scoring_rule",
    "note",
]


@transaction.atomic
def node_update(*, node: Node, user: User | None, data: dict[str, Any]) -> Node:
    if not node.framework.is_editable:
        raise ValueError("已发布的测评体系不能修改；请先“创建新版本”，在新版本草稿中修改。")
    if node.section == Section.VETO:
        data = {**data, "points": None}
    changes: dict[str, list[Any]] = {}
    for key, value in data.items():
        if key in NODE_EDITABLE_FIELDS:
            before = getattr(node, key)
            if before != value:
                label = getattr(Node._meta.get_field(key), "verbose_name", key)
                changes[f"{node.code} {label}"] = [before, value]
            setattr(node, key, value)
    node.save(update_fields=[k for k in data if k in NODE_EDITABLE_FIELDS])
    # Nodes are not traced one by one: an edit is a change of the system.
    if changes:
        trace.record(node.framework, "修改", changes, actor=user)
    return node


EXPORT_TYPES = {
    "yaml": "application/x-yaml; charset=utf-8",
    "xlsx": xlsx.CONTENT_TYPE,
}


def framework_export_response(framework: Framework, fmt: str) -> HttpResponse:
    """The framework as a download in `fmt` (yaml or xlsx), named as people name the file.

    Raises ValueError (in Chinese) when the tree cannot be laid out as a sheet.
    """
    from urllib.parse import quote

    from wenming.frameworks.io import excel, yaml_io

    spec = spec_mod.from_framework(framework)
    content: bytes | str = yaml_io.dump(spec) if fmt == "yaml" else excel.dump(spec)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    filename = f"{framework.name}_第{framework.version}版.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

"""Files of the 复查: a holder's attachments and the office's decision documents.

Inspected before anything is written (`wenming.ledger.intake`), stored under our own names
inside the caller's transaction (`atomic_with_files`), so a refused or failed call leaves no
file behind. Decision documents are the registry's `DecisionFile`s.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from wenming.ledger.intake import Inspected, inspect_all
from wenming.orgs.models import Organization
from wenming.rechecks.models import RecheckReport, ReportFile
from wenming.registry.models import DecisionFile
from wenming.registry.services import DOCUMENT_KINDS


def inspect_document(upload: UploadedFile) -> Inspected:
    """A decision document: PDF, Word or an image, checked before anything is stored."""
    try:
        (checked,) = inspect_all([upload])
    except ValidationError as exc:
        raise ValidationError({"document": exc.message_dict["files"]}) from None
    if checked.facts.kind not in DOCUMENT_KINDS:
        raise ValidationError(
            {
                "document": f"‘{checked.name}’不能作为决定文件。"
                "请上传决定文件的PDF、Word文档，或扫描件、照片（JPG、PNG）。"
            }
        )
    return checked


def save_document(
    owner: Organization, user: User | None, checked: Inspected, stored: list[str]
) -> DecisionFile:
    record = DecisionFile(unit=owner, year=timezone.localdate().year, uploaded_by=user)
    record.store(checked, stored)
    return record


def save_files(
    report: RecheckReport, user: User | None, checked: Sequence[Inspected], stored: list[str]
) -> None:
    for item in checked:
        record = ReportFile(
            report=report, unit=report.entry.unit, year=report.recheck.year, uploaded_by=user
        )
        record.store(item, stored)

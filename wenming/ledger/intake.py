"""Taking in uploaded files safely, for every record that keeps them (evidence, problems).

All files of a request are inspected before any is stored, and every refusal is reported at
once; files are stored inside the caller's transaction and removed again if it fails, so a
refused or failed upload leaves neither a record nor a file behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from wenming.ledger.files import FileFacts, FileKind, UploadRefused, display_name, inspect_upload

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class Inspected:
    upload: UploadedFile
    name: str
    facts: FileFacts


def inspect_all(uploads: Sequence[UploadedFile], *, photos_only: bool = False) -> list[Inspected]:
    """Check every file before anything is stored; all refusals are reported at once."""
    if len(uploads) > settings.WENMING_UPLOAD_MAX_FILES:
        raise ValidationError(
            {"files": f"一次最多上传{settings.WENMING_UPLOAD_MAX_FILES}个文件，请分批上传。"}
        )
    checked: list[Inspected] = []
    problems: list[str] = []
    for upload in uploads:
        name = display_name(upload.name or "")
        try:
            facts = inspect_upload(upload, name)
        except UploadRefused as refused:
            problems.append(refused.message)
            continue
        if photos_only and facts.kind != FileKind.PHOTO:
            problems.append(f"‘{name}’不是照片。问题照片请上传JPG、PNG或HEIC格式的照片。")
            continue
        checked.append(Inspected(upload, name, facts))
    if problems:
        raise ValidationError({"files": problems})
    return checked


def remove_stored(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - the orphan sweep (ledger_orphans) will find it
            log.exception("could not remove %s after a failed upload", name)


def atomic_with_files(work: Callable[[list[str]], T]) -> T:
    """Run `work(stored)` in a transaction; files it stored are removed if the DB fails."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        remove_stored(stored)
        raise

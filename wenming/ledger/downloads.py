"""Sending a stored file (`wenming.ledger.models.StoredFile`) back to the person allowed to
read it: the ledger's evidence, a problem's photos, the registry's decision documents.

Photos, PDFs, video and audio open in the browser; anything else downloads. The name shown is
the one the person uploaded; the browser may not guess another type (`nosniff`).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404

from wenming.ledger.files import FileKind
from wenming.ledger.models import StoredFile

INLINE_KINDS = {FileKind.PHOTO, FileKind.PDF, FileKind.VIDEO, FileKind.AUDIO}


def open_stored(field: Any) -> Any:
    """The stored file opened for reading; 404 with a sentence when storage has lost it."""
    try:
        return field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("文件已不在存储中，请联系系统管理员。") from None


def stored_file_response(f: StoredFile, field: Any) -> FileResponse:
    """`field` is the model's FileField holding `f`'s bytes (`f.file`)."""
    response = FileResponse(
        open_stored(field),
        as_attachment=f.kind not in INLINE_KINDS,
        filename=f.original_name,
        content_type=f.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response

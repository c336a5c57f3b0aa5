"""Background work of the ledger: thumbnails and binders. Pages never wait for these."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django_tasks import task

from wenming.ledger.files import make_thumbnail
from wenming.ledger.models import EvidenceFile

log = logging.getLogger(__name__)


@task()
def make_thumbnails(file_ids: list[int]) -> int:
    """Make the missing thumbnails of these files; returns how many were made."""
    made = 0
    for record in EvidenceFile.objects.filter(pk__in=file_ids, thumbnail=""):
        try:
            with record.file.open("rb") as fh:
                data = make_thumbnail(fh, record.kind)
        except (OSError, ValueError):
            log.exception("thumbnail of evidence file %s failed", record.pk)
            continue
        if data is None:
            continue
        record.thumbnail.save(f"{record.pk}.jpg", ContentFile(data), save=False)
        EvidenceFile.objects.filter(pk=record.pk).update(thumbnail=record.thumbnail.name)
        made += 1
    return made

"""Integrity warnings for new evidence files: reused files, recycled photos, wrong dates.

Offices are inspected on whether their proof is real. A file uploaded again anywhere in the
unit, a photo that is nearly the same as one filed before (often last year's 道德讲堂 photo
filed again), or a photo taken far from the stated activity date is flagged with where it
was seen before. Flags only warn: the office decides when it reviews.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from wenming.ledger.files import FileKind, hamming

if TYPE_CHECKING:
    from wenming.ledger.models import EvidenceFile, EvidenceItem

# Two 64-bit perceptual hashes this close are the same picture (resized, recompressed,
# lightly cropped or retouched).
SIMILAR_BITS = 8


def _where(other: EvidenceFile) -> str:
    item = other.item
    gone = "（已删除）" if item.removed_at else ""
    return f"{item.year}年“{item.title}”台账{gone}"


def flags_for(
    record: EvidenceFile, item: EvidenceItem, *, batch: dict[str, EvidenceFile]
) -> list[dict[str, Any]]:
    """The warnings for one file about to be stored in `item`."""
    from wenming.ledger.models import EvidenceFile

    flags: list[dict[str, Any]] = []
    same = (
        EvidenceFile.objects.filter(unit_id=record.unit_id, sha256=record.sha256)
        .select_related("item")
        .order_by("id")
        .first()
    )
    if same is not None:
        flags.append(
            {
                "kind": "duplicate",
                "file": same.pk,
                "item": same.item_id,
                "message": f"此文件与{_where(same)}中的文件“{same.original_name}”完全相同。",
            }
        )
    elif record.sha256 in batch:
        flags.append(
            {
                "kind": "duplicate",
                "file": None,
                "item": item.pk,
                "message": "此文件在本次上传中重复出现。",
            }
        )
    if record.kind == FileKind.PHOTO and record.phash and same is None:
        similar = most_similar(record)
        if similar is not None:
            flags.append(
                {
                    "kind": "similar",
                    "file": similar.pk,
                    "item": similar.item_id,
                    "message": f"此照片与{_where(similar)}中的照片高度相似。",
                }
            )
    if record.taken_at and item.activity_date:
        taken = timezone.localtime(record.taken_at).date()
        days = abs((taken - item.activity_date).days)
        if days > settings.WENMING_PHOTO_DATE_TOLERANCE_DAYS:
            flags.append(
                {
                    "kind": "date",
                    "file": None,
                    "item": None,
                    "message": (
                        f"照片拍摄日期为{taken:%Y年%m月%d日}，与活动日期"
                        f"{item.activity_date:%Y年%m月%d日}相差{days}天。"
                    ),
                }
            )
    return flags


def most_similar(record: EvidenceFile) -> EvidenceFile | None:
    """The unit's earlier photo closest to this one, if within `SIMILAR_BITS`."""
    from wenming.ledger.models import EvidenceFile

    best: tuple[int, int] | None = None
    candidates = (
        EvidenceFile.objects.filter(unit_id=record.unit_id, kind=FileKind.PHOTO)
        .exclude(phash="")
        .exclude(sha256=record.sha256)
        .values_list("pk", "phash")
    )
    for pk, phash in candidates.iterator(chunk_size=5000):
        distance = hamming(record.phash, phash)
        if distance <= SIMILAR_BITS and (best is None or distance < best[0]):
            best = (distance, pk)
    if best is None:
        return None
    return EvidenceFile.objects.select_related("item").get(pk=best[1])

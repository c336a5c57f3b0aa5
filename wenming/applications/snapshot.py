"""The frozen submission (冻结台账): a read-only copy of the ledger that proves each standard.

When a unit submits (or resubmits) an application, every live ledger item of the unit's
campaigns that is submitted or approved and linked to at least one standard is copied into a
`SnapshotItem`, with the ids of the standards it proved; each of its live files becomes a
`SnapshotFile` that refers to the stored file (stored files never change, so nothing is
copied on disk). Later edits of the ledger change nothing here. A fixed number of queries
whatever the size: the items, their links and their files are read in three queries and
written in two bulk inserts.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wenming.applications.models import Application, SnapshotFile, SnapshotItem
from wenming.ledger.models import EvidenceFile, EvidenceItem, ItemStatus

FROZEN_STATUSES = (ItemStatus.SUBMITTED, ItemStatus.APPROVED)
BATCH_SIZE = 1000


def frozen_source(application: Application) -> QuerySet[EvidenceItem]:
    """The ledger items a snapshot of the application takes (before the standards check)."""
    return EvidenceItem.objects.live().filter(
        campaign__unit_id=application.unit_id, status__in=FROZEN_STATUSES
    )


def _links(application: Application) -> QuerySet:
    """(item, standard) rows of the items the snapshot takes."""
    Link = EvidenceItem.standards.through
    return Link.objects.filter(evidenceitem__in=frozen_source(application))


def _standard_links(application: Application) -> dict[int, list[int]]:
    rows = (
        _links(application)
        .order_by("evidenceitem_id", "node_id")
        .values_list("evidenceitem_id", "node_id")
    )
    links: dict[int, list[int]] = defaultdict(list)
    for item_id, node_id in rows.iterator(BATCH_SIZE):
        links[item_id].append(node_id)
    return links


def freeze_snapshot(application: Application) -> int:
    """Freeze the unit's ledger for the application, replacing an earlier snapshot of it;
    returns the number of items frozen."""
    with transaction.atomic():
        SnapshotItem.objects.filter(application=application).delete()
        links = _standard_links(application)
        items = (
            frozen_source(application)
            .filter(pk__in=_links(application).values("evidenceitem_id"))
            .order_by("activity_date", "id")
            .values_list(
                "id", "title", "department__name", "activity_date", "summary", "result", "status"
            )
        )
        snapshot = [
            SnapshotItem(
                application=application,
                item_id=item_id,
                title=title,
                department_name=(department or "")[:100],
                activity_date=activity_date,
                summary=summary,
                result=result,
                status=status,
                standard_ids=links[item_id],
            )
            for item_id, title, department, activity_date, summary, result, status in items.iterator(
                BATCH_SIZE
            )
            if item_id in links
        ]
        created = SnapshotItem.objects.bulk_create(snapshot, batch_size=BATCH_SIZE)
        by_item = {s.item_id: s.pk for s in created}
        files = (
            EvidenceFile.objects.filter(
                item_id__in=_links(application).values("evidenceitem_id"), removed_at__isnull=True
            )
            .order_by("item_id", "position", "id")
            .values_list("id", "item_id", "original_name", "position")
        )
        SnapshotFile.objects.bulk_create(
            (
                SnapshotFile(
                    snapshot_item_id=by_item[item_id],
                    file_id=file_id,
                    original_name=name,
                    position=position,
                )
                for file_id, item_id, name, position in files.iterator(BATCH_SIZE)
                if item_id in by_item
            ),
            batch_size=BATCH_SIZE,
        )
        application.frozen_at = timezone.now()
        Application.objects.filter(pk=application.pk).update(frozen_at=application.frozen_at)
        return len(created)

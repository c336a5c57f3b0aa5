"""Screens of the evidence ledger (台账, R5): overview, dossier, upload, review, bin, archive.

Every object is fetched through `wenming.ledger.access` (404 when not visible, 403 when visible
but not allowed); every write goes through `wenming.ledger.services`. Lists issue a fixed
number of queries: live files are prefetched once and counted with `with_file_counts`.
"""

from wenming.ledger.views.browse import (
    campaign_ledger,
    dossier,
    file_download,
    file_thumb,
    item_detail,
    item_list,
    my_ledger,
)
from wenming.ledger.views.edit import (
    file_remove,
    item_add_files,
    item_edit,
    item_new,
    item_new_for_campaign,
    item_remove,
    item_resubmit,
)
from wenming.ledger.views.office import (
    archive,
    archive_year,
    item_approve,
    item_purge,
    item_restore,
    item_return,
    recycle_bin,
    review_queue,
    unarchive_year,
)

__all__ = [
    "my_ledger",
    "campaign_ledger",
    "item_list",
    "dossier",
    "item_detail",
    "file_download",
    "file_thumb",
    "item_new",
    "item_new_for_campaign",
    "item_edit",
    "item_add_files",
    "file_remove",
    "item_resubmit",
    "item_remove",
    "item_approve",
    "item_return",
    "review_queue",
    "recycle_bin",
    "item_restore",
    "item_purge",
    "archive",
    "archive_year",
    "unarchive_year",
]

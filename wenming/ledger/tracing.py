"""The ledger models the trace captures, registered from `LedgerConfig.ready()`."""

from __future__ import annotations

from typing import Any


def _archive(archive: Any) -> str:
    return f"{archive.year}年台账"


def register_with_trace() -> None:
    from wenming.ledger import access
    from wenming.ledger.models import EvidenceFile, EvidenceItem, YearArchive
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(EvidenceItem, kind="evidence", unit="unit", m2m={"standards"})
    register(
        EvidenceFile,
        kind="evidence_file",
        unit="unit",
        parent=("evidence", "item"),
        ignore={"unit", "year", "uploaded_by", "kind", "size", "taken_at"},
    )
    register(YearArchive, kind="archive", unit="unit", describe=_archive, label="台账年度归档")
    register_history("evidence", access.get_evidence_for_history)

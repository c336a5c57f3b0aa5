"""Completeness (有文有图有成效): is the proof of each standard whole, and where are the gaps?

An item is complete when it has words (a document or a written summary), at least one
photo, and a stated result. A standard whose 佐证材料要求 asks for photos or documents
is checked against that too. A standard is 已完备 when at least one approved item proves
it completely. The gap list orders the rest by points at stake, so the office works on what
loses most first.

Everything here is computed in a fixed number of queries, whatever the ledger's size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.files import FileKind
from wenming.ledger.models import EvidenceFile, EvidenceItem, ItemStatus
from wenming.orgs.models import Organization
from wenming.tasks.coverage import COVERED_SECTIONS
from wenming.tasks.models import StandardExclusion, Task

TEXT_KINDS = [FileKind.PDF, FileKind.DOCUMENT, FileKind.SPREADSHEET, FileKind.PRESENTATION]
PHOTO_WORDS = re.compile(r"照片|图片|影像|视频|图文")
TEXT_WORDS = re.compile(r"文件|制度|方案|计划|记录|纪要|总结|报告|通知|台账|资料|材料|图文")


class StandardState:
    COMPLETE = "complete"
    PENDING = "pending"
    RETURNED = "returned"
    INCOMPLETE = "incomplete"
    MISSING = "missing"


STATE_LABELS = {
    StandardState.COMPLETE: "已完备",
    StandardState.PENDING: "待审核",
    StandardState.RETURNED: "已退回",
    StandardState.INCOMPLETE: "不完整",
    StandardState.MISSING: "无台账",
}
STATE_CLASSES = {
    StandardState.COMPLETE: "success",
    StandardState.PENDING: "info",
    StandardState.RETURNED: "warning",
    StandardState.INCOMPLETE: "warning",
    StandardState.MISSING: "danger",
}


@dataclass(frozen=True)
class ItemCheck:
    has_text: bool
    has_photo: bool
    has_result: bool

    @property
    def complete(self) -> bool:
        return self.has_text and self.has_photo and self.has_result

    @property
    def missing(self) -> list[str]:
        out = []
        if not self.has_text:
            out.append("缺文字材料（上传文件或填写活动情况）")
        if not self.has_photo:
            out.append("缺照片")
        if not self.has_result:
            out.append("缺成效说明")
        return out


def check_item(item: EvidenceItem, photo_count: int, text_count: int) -> ItemCheck:
    return ItemCheck(
        has_text=text_count > 0 or bool(item.summary.strip()),
        has_photo=photo_count > 0,
        has_result=bool(item.result.strip()),
    )


def check_loaded_item(item: EvidenceItem) -> ItemCheck:
    """For one item whose live files are at hand (detail pages)."""
    files = [f for f in item.files.all() if f.removed_at is None]
    return check_item(
        item,
        photo_count=sum(1 for f in files if f.kind == FileKind.PHOTO),
        text_count=sum(1 for f in files if f.kind in TEXT_KINDS),
    )


def with_file_counts(qs: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    """Annotate `photo_count`, `text_count` and `file_count` of live files."""
    live = Q(files__removed_at__isnull=True)
    return qs.annotate(
        photo_count=Count("files", filter=live & Q(files__kind=FileKind.PHOTO)),
        text_count=Count("files", filter=live & Q(files__kind__in=TEXT_KINDS)),
        file_count=Count("files", filter=live),
    )


@dataclass
class StandardRow:
    node: Node
    state: str = StandardState.MISSING
    items: int = 0
    complete_items: int = 0
    approved_complete: int = 0
    pending: int = 0
    returned: int = 0
    needs: list[str] = field(default_factory=list)
    departments: list[Organization] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def css(self) -> str:
        return STATE_CLASSES[self.state]

    @property
    def points(self) -> Decimal:
        return self.node.points or Decimal(0)


def _requirement_gaps(node: Node, photos: int, texts: int) -> list[str]:
    gaps = []
    if PHOTO_WORDS.search(node.evidence or "") and photos == 0:
        gaps.append("测评标准要求照片，尚无照片")
    if TEXT_WORDS.search(node.evidence or "") and texts == 0:
        gaps.append("测评标准要求文字材料，尚无文件")
    return gaps


def _standards_to_prove(campaign: Campaign) -> dict[int, StandardRow]:
    """An empty row per scored standard not marked not applicable, in the system's order."""
    nodes = Node.objects.filter(
        framework_id=campaign.framework_id, is_leaf=True, section__in=COVERED_SECTIONS
    ).order_by("position")
    excluded = set(
        StandardExclusion.objects.active()
        .filter(campaign=campaign)
        .values_list("standard_id", flat=True)
    )
    return {n.pk: StandardRow(node=n) for n in nodes if n.pk not in excluded}


def _add_tasks(campaign: Campaign, rows: dict[int, StandardRow]) -> None:
    """Each standard's counted tasks and their lead departments."""
    tasks = (
        Task.objects.counted()
        .filter(campaign=campaign)
        .select_related("lead_department")
        .prefetch_related("standards")
        .only("id", "title", "lead_department", "deadline", "campaign_id")
    )
    for task in tasks:
        for node in task.standards.all():
            row = rows.get(node.pk)
            if row is None:
                continue
            row.tasks.append(task)
            if task.lead_department and task.lead_department not in row.departments:
                row.departments.append(task.lead_department)


def _add_evidence(
    campaign: Campaign, rows: dict[int, StandardRow], department: Organization | None
) -> tuple[dict[int, int], dict[int, int]]:
    """Count each standard's live items by state; returns its photos and texts."""
    items_qs = EvidenceItem.objects.live().filter(campaign=campaign)
    if department is not None:
        items_qs = items_qs.filter(Q(department=department) | Q(task__lead_department=department))
    items = {i.pk: i for i in with_file_counts(items_qs).only("id", "status", "summary", "result")}
    photos: dict[int, int] = defaultdict(int)
    texts: dict[int, int] = defaultdict(int)
    links = EvidenceItem.standards.through.objects.filter(
        evidenceitem_id__in=items_qs.values("pk")
    ).values_list("evidenceitem_id", "node_id")
    for item_id, node_id in links:
        row = rows.get(node_id)
        item: Any = items.get(item_id)
        if row is None or item is None:
            continue
        _count_item(row, item, item.photo_count, item.text_count)
        photos[node_id] += item.photo_count
        texts[node_id] += item.text_count
    return photos, texts


def _count_item(row: StandardRow, item: Any, photos: int, texts: int) -> None:
    """Count one item (anything with `status`, `summary` and `result`) toward a standard."""
    check = check_item(item, photos, texts)
    row.items += 1
    if item.status == ItemStatus.SUBMITTED:
        row.pending += 1
    elif item.status == ItemStatus.RETURNED:
        row.returned += 1
    if check.complete:
        row.complete_items += 1
        if item.status == ItemStatus.APPROVED:
            row.approved_complete += 1


@dataclass(frozen=True)
class ProofEntry:
    """An item as a frozen copy keeps it, with the standards it proves and its file counts."""

    standard_ids: Sequence[int]
    status: str
    summary: str
    result: str
    photos: int
    texts: int


def rows_from_entries(
    nodes: Iterable[Node], entries: Iterable[ProofEntry]
) -> dict[int, StandardRow]:
    """The rows of the standards to prove among `nodes` (scored leaves), judged by the same
    rules as a campaign's ledger from entries given (a frozen submission); no queries."""
    rows = {
        n.pk: StandardRow(node=n)
        for n in sorted(nodes, key=lambda n: n.position)
        if n.is_leaf and n.section in COVERED_SECTIONS
    }
    photos: dict[int, int] = defaultdict(int)
    texts: dict[int, int] = defaultdict(int)
    for entry in entries:
        for node_id in set(entry.standard_ids):
            row = rows.get(node_id)
            if row is None:
                continue
            _count_item(row, entry, entry.photos, entry.texts)
            photos[node_id] += entry.photos
            texts[node_id] += entry.texts
    for node_id, row in rows.items():
        _settle_state(row, photos[node_id], texts[node_id])
    return rows


def _settle_state(row: StandardRow, photos: int, texts: int) -> None:
    row.needs = _requirement_gaps(row.node, photos, texts)
    if row.items == 0:
        row.state = StandardState.MISSING
        row.needs.insert(0, "尚未上传任何台账")
    elif row.approved_complete and not row.needs:
        row.state = StandardState.COMPLETE
    elif row.complete_items and row.pending and not row.needs:
        row.state = StandardState.PENDING
    elif row.returned and not row.approved_complete:
        row.state = StandardState.RETURNED
        row.needs.insert(0, f"{row.returned}份台账被退回，待修改后重新提交")
    else:
        row.state = StandardState.INCOMPLETE
        if not row.complete_items:
            row.needs.insert(0, "台账不齐：须有文字、有照片、有成效")


def standard_rows(
    campaign: Campaign, *, department: Organization | None = None
) -> list[StandardRow]:
    """One row per standard to prove, in the system's order.

    With `department`, only the standards whose counted tasks that department leads, counting
    only the evidence filed for those tasks or by that department.
    """
    rows = _standards_to_prove(campaign)
    _add_tasks(campaign, rows)
    if department is not None:
        rows = {k: r for k, r in rows.items() if department in r.departments}
    photos, texts = _add_evidence(campaign, rows, department)
    for node_id, row in rows.items():
        _settle_state(row, photos[node_id], texts[node_id])
    return list(rows.values())


def _live_file(kinds: Sequence[str]) -> Exists:
    return Exists(
        EvidenceFile.objects.filter(
            item_id=OuterRef("evidenceitem_id"), removed_at__isnull=True, kind__in=kinds
        )
    )


Counts = tuple[int, int, int, int, int, int, int]
# The fields of a standard the batched rows load (its state needs only its 佐证材料要求).
NODE_FIELDS = (
    "id",
    "framework_id",
    "parent_id",
    "section",
    "is_leaf",
    "code",
    "title",
    "points",
    "position",
    "depth",
    "evidence",
)


def _ledger_counts(
    campaigns: list[Campaign],
) -> tuple[dict[int, list[Node]], set[tuple[int, int]], dict[tuple[int, int], Counts]]:
    """For many campaigns, three queries: the standards to prove per system, the standards
    marked not applicable per campaign, and per campaign and standard the database's count of
    its live items: all, complete, approved and complete, pending, returned, with a photo,
    with a text file (the checks of `check_item`, in SQL)."""
    by_framework: dict[int, list[Node]] = defaultdict(list)
    for node in (
        Node.objects.filter(
            framework_id__in={c.framework_id for c in campaigns},
            is_leaf=True,
            section__in=COVERED_SECTIONS,
        )
        .only(*NODE_FIELDS)
        .order_by("position")
    ):
        by_framework[node.framework_id].append(node)
    excluded = set(
        StandardExclusion.objects.active()
        .filter(campaign__in=campaigns)
        .values_list("campaign_id", "standard_id")
    )
    has_photo, has_text = _live_file([FileKind.PHOTO]), _live_file(TEXT_KINDS)
    # Summaries and results are stored stripped, so "" is `not summary.strip()`.
    # Cheap column tests first: the database stops at the first false one.
    complete = (
        ~Q(evidenceitem__result="") & (~Q(evidenceitem__summary="") | Q(has_text)) & Q(has_photo)
    )
    # Grouped by status too, so each check runs once per link; the statuses add up below.
    rows = (
        EvidenceItem.standards.through.objects.filter(
            evidenceitem__campaign__in=campaigns, evidenceitem__removed_at__isnull=True
        )
        .order_by()
        .values_list("evidenceitem__campaign_id", "node_id", "evidenceitem__status")
        .annotate(
            items=Count("id"),
            complete=Count("id", filter=complete),
            photos=Count("id", filter=Q(has_photo)),
            texts=Count("id", filter=Q(has_text)),
        )
    )
    tally: dict[tuple[int, int], list[int]] = {}
    for campaign_id, node_id, status, items, full, photos, texts in rows:
        t = tally.setdefault((campaign_id, node_id), [0] * 7)
        t[0] += items
        t[1] += full
        t[2] += full if status == ItemStatus.APPROVED else 0
        t[3] += items if status == ItemStatus.SUBMITTED else 0
        t[4] += items if status == ItemStatus.RETURNED else 0
        t[5] += photos
        t[6] += texts
    counts = {key: tuple(t) for key, t in tally.items()}
    return by_framework, excluded, counts  # type: ignore[return-value]


def _counted_row(node: Node, counts: Counts | None) -> StandardRow:
    row = StandardRow(node=node)
    items, full, approved, pending, returned, photos, texts = counts or (0,) * 7
    row.items, row.complete_items, row.approved_complete = items, full, approved
    row.pending, row.returned = pending, returned
    _settle_state(row, photos, texts)
    return row


def standard_states(campaigns: Iterable[Campaign]) -> dict[int, dict[int, StandardRow]]:
    """The ledger's rows of many campaigns at once, by campaign and standard id: the same
    state, counts and needs as `standard_rows` (tests/scoring/test_backed.py checks it),
    without the tasks and departments; each row's node has only `NODE_FIELDS` loaded. Three queries whatever the number of campaigns or the
    ledger's size."""
    campaigns = list(campaigns)
    by_framework, excluded, counts = _ledger_counts(campaigns)
    return {
        c.pk: {
            n.pk: _counted_row(n, counts.get((c.pk, n.pk)))
            for n in by_framework[c.framework_id]
            if (c.pk, n.pk) not in excluded
        }
        for c in campaigns
    }


@dataclass(frozen=True)
class ProofSets:
    """Of one campaign: the standards its ledger checks, those of them 已完备, and the
    standards it would check but that are marked not applicable."""

    checked: frozenset[int]
    complete: frozenset[int]
    excluded: frozenset[int] = frozenset()


def proof_sets(campaigns: Iterable[Campaign]) -> dict[int, ProofSets]:
    """`standard_states` reduced to two sets per campaign, for hundreds of campaigns (the
    office's units): a standard without any item is never complete, so only the standards
    with items are settled. Three queries."""
    campaigns = list(campaigns)
    by_framework, excluded, counts = _ledger_counts(campaigns)
    nodes = {n.pk: n for ns in by_framework.values() for n in ns}
    complete: dict[int, set[int]] = defaultdict(set)
    for (campaign_id, node_id), found in counts.items():
        node = nodes.get(node_id)
        if node is not None and _counted_row(node, found).state == StandardState.COMPLETE:
            complete[campaign_id].add(node_id)
    ids = {fid: frozenset(n.pk for n in ns) for fid, ns in by_framework.items()}
    excluded_of: dict[int, set[int]] = defaultdict(set)
    for campaign_id, node_id in excluded:
        excluded_of[campaign_id].add(node_id)
    out = {}
    none: frozenset[int] = frozenset()
    for c in campaigns:
        standards = ids.get(c.framework_id, none)
        off = standards & excluded_of[c.pk] if c.pk in excluded_of else none
        checked = standards - off if off else standards
        out[c.pk] = ProofSets(
            checked=checked, complete=frozenset(complete[c.pk] & checked), excluded=off
        )
    return out


def gap_rows(rows: list[StandardRow]) -> list[StandardRow]:
    """The standards not yet proven, most points at stake first."""
    gaps = [r for r in rows if r.state != StandardState.COMPLETE]
    return sorted(gaps, key=lambda r: (-r.points, r.node.position))


@dataclass
class DepartmentGap:
    department: Organization | None
    standards: int = 0
    complete: int = 0
    gaps: list[StandardRow] = field(default_factory=list)
    points_at_stake: Decimal = Decimal(0)

    @property
    def percent(self) -> int:
        return 100 if not self.standards else round(self.complete * 100 / self.standards)


def department_gaps(rows: list[StandardRow]) -> list[DepartmentGap]:
    """Per lead department: its standards, how many are proven, and the points at stake."""
    by_dept: dict[int | None, DepartmentGap] = {}
    for row in rows:
        owners: list[Organization | None] = list(row.departments) or [None]
        for dept in owners:
            key = dept.pk if dept else None
            entry = by_dept.setdefault(key, DepartmentGap(department=dept))
            entry.standards += 1
            if row.state == StandardState.COMPLETE:
                entry.complete += 1
            else:
                entry.gaps.append(row)
                entry.points_at_stake += row.points
    for entry in by_dept.values():
        entry.gaps.sort(key=lambda r: (-r.points, r.node.position))
    return sorted(by_dept.values(), key=lambda d: (-d.points_at_stake, d.percent))


@dataclass(frozen=True)
class LedgerSummary:
    standards: int
    complete: int
    pending: int
    missing: int
    points_total: Decimal
    points_proven: Decimal

    @property
    def percent(self) -> int:
        return 100 if not self.standards else round(self.complete * 100 / self.standards)


def summarize(rows: list[StandardRow]) -> LedgerSummary:
    return LedgerSummary(
        standards=len(rows),
        complete=sum(1 for r in rows if r.state == StandardState.COMPLETE),
        pending=sum(1 for r in rows if r.state == StandardState.PENDING),
        missing=sum(1 for r in rows if r.state == StandardState.MISSING),
        points_total=sum((r.points for r in rows), Decimal(0)),
        points_proven=sum(
            (r.points for r in rows if r.state == StandardState.COMPLETE), Decimal(0)
        ),
    )

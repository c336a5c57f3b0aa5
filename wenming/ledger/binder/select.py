"""What a binder covers: the standards in system order, their live items and live files.

Both formats walk the same `Selection`: the evaluation system's tree pruned to the standards
in scope (测评项目 → 测评内容 → 测评标准), each standard holding the items that prove it,
oldest activity first, each item holding its files in upload order. An item proving several
standards appears under each of them, like a paper binder that files a copy in each place.

Items in the recycle bin and files taken out of an item are never included. Everything is
read in five queries whatever the ledger's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from wenming.frameworks.models import Node
from wenming.ledger.files import FileKind
from wenming.ledger.models import BinderExport, EvidenceFile, EvidenceItem, ItemStatus
from wenming.tasks.coverage import COVERED_SECTIONS


@dataclass
class BinderNode:
    node: Node
    children: list[BinderNode] = field(default_factory=list)
    # Only standards (leaves) hold items.
    items: list[EvidenceItem] = field(default_factory=list)
    # The names of this node and its ancestors, top first (used for ZIP folders).
    trail: list[Node] = field(default_factory=list)

    @property
    def is_standard(self) -> bool:
        return self.node.is_leaf


@dataclass
class Selection:
    roots: list[BinderNode]
    standards: list[BinderNode]
    items: dict[int, EvidenceItem]

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def file_count(self) -> int:
        return sum(len(live_files(i)) for i in self.items.values())

    def walk(self) -> list[BinderNode]:
        """Every node in system order (depth first), for tables of contents."""
        out: list[BinderNode] = []

        def visit(n: BinderNode) -> None:
            out.append(n)
            for c in n.children:
                visit(c)

        for r in self.roots:
            visit(r)
        return out


def live_files(item: EvidenceItem) -> list[EvidenceFile]:
    """The item's files still in it, as prefetched by `select` (no query)."""
    return list(item.files.all())


def photos(item: EvidenceItem) -> list[EvidenceFile]:
    return [f for f in live_files(item) if f.kind == FileKind.PHOTO]


def items_in_scope(export: BinderExport) -> Q:
    """The items a binder may hold, as a filter on live EvidenceItems (the standards aside)."""
    q = Q(campaign_id=export.campaign_id)
    if export.department_id is not None:
        # A department's ledger: what it filed and what proves the tasks it leads, the same
        # rule by which its people see evidence.
        q &= Q(department_id=export.department_id) | Q(
            task__lead_department_id=export.department_id
        )
    if export.year is not None:
        q &= Q(year=export.year)
    if export.approved_only:
        q &= Q(status=ItemStatus.APPROVED)
    return q


def select(export: BinderExport) -> Selection:
    """The tree, items and files `export` covers; `export.campaign` must be loaded."""
    framework_id = export.campaign.framework_id
    chosen = set(export.standards.values_list("pk", flat=True))
    nodes = list(
        Node.objects.filter(framework_id=framework_id)
        .only("id", "parent_id", "code", "title", "points", "section", "position", "is_leaf")
        .order_by("position", "id")
    )
    by_id = {n.pk: n for n in nodes}
    leaf_ids = [n.pk for n in nodes if n.is_leaf and (not chosen or n.pk in chosen)]

    items_qs = (
        EvidenceItem.objects.live()
        .filter(items_in_scope(export))
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "files",
                queryset=EvidenceFile.objects.filter(removed_at__isnull=True).order_by(
                    "position", "id"
                ),
            )
        )
    )
    links = EvidenceItem.standards.through.objects.filter(
        node_id__in=leaf_ids, evidenceitem_id__in=items_qs.values("pk")
    ).values_list("node_id", "evidenceitem_id")
    by_standard: dict[int, list[int]] = defaultdict(list)
    for node_id, item_id in links:
        by_standard[node_id].append(item_id)
    wanted = {i for ids in by_standard.values() for i in ids}
    items = {i.pk: i for i in items_qs.filter(pk__in=wanted)} if wanted else {}

    def when(item_id: int) -> tuple[datetime.date, int]:
        item = items[item_id]
        return (item.activity_date or datetime.date.max, item_id)

    # Without a choice, every standard the office must prove is listed, so gaps show as
    # "暂无台账"; deduction and veto entries appear only when someone filed evidence for them.
    included = [
        n
        for pk in leaf_ids
        if (n := by_id[pk]) and (chosen or n.section in COVERED_SECTIONS or by_standard.get(pk))
    ]
    built: dict[int, BinderNode] = {}
    roots: list[BinderNode] = []
    standards: list[BinderNode] = []

    def ensure(node: Node) -> BinderNode:
        if node.pk in built:
            return built[node.pk]
        parent = by_id.get(node.parent_id) if node.parent_id else None
        bn = BinderNode(node=node)
        built[node.pk] = bn
        if parent is None:
            bn.trail = [node]
            roots.append(bn)
        else:
            up = ensure(parent)
            bn.trail = [*up.trail, node]
            up.children.append(bn)
        return bn

    for leaf in included:
        bn = ensure(leaf)
        bn.items = [items[i] for i in sorted(by_standard.get(leaf.pk, []), key=when)]
        standards.append(bn)
    return Selection(roots=roots, standards=standards, items=items)

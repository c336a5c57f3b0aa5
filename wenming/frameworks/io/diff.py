"""Compare two versions of an evaluation system: what was added, removed, reworded, re-scored.

Nodes are matched by code; a node whose code changed but whose title is the same is matched
by title, so a renumbered standard reads as "renumbered", not as removed plus added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from wenming.frameworks.io.spec import FrameworkSpec, NodeSpec, fmt_points


@dataclass
class Change:
    kind: str  # added, removed, reworded, points, renumbered, moved, methods
    code: str
    title: str
    is_standard: bool
    section: str
    old: str = ""
    new: str = ""

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.kind]


CHANGE_LABELS = {
    "added": "新增",
    "removed": "删除",
    "reworded": "表述修改",
    "points": "分值变化",
    "renumbered": "编号变化",
    "moved": "位置调整",
    "methods": "测评方法变化",
}


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    old_total: Decimal = Decimal("0")
    new_total: Decimal = Decimal("0")

    def count(self, kind: str, *, standards_only: bool = True) -> int:
        return sum(
            1 for c in self.changes if c.kind == kind and (c.is_standard or not standards_only)
        )

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in CHANGE_LABELS}

    def as_dict(self) -> dict[str, object]:
        return {
            "old_total": fmt_points(self.old_total),
            "new_total": fmt_points(self.new_total),
            "counts": self.counts,
            "changes": [
                {
                    "kind": c.kind,
                    "label": c.label,
                    "code": c.code,
                    "title": c.title,
                    "is_standard": c.is_standard,
                    "section": c.section,
                    "old": c.old,
                    "new": c.new,
                }
                for c in self.changes
            ],
        }


def _index(spec: FrameworkSpec) -> dict[str, tuple[NodeSpec, str | None]]:
    index: dict[str, tuple[NodeSpec, str | None]] = {}

    def visit(node: NodeSpec, parent: NodeSpec | None) -> None:
        index[node.code] = (node, parent.code if parent else None)
        for child in node.children:
            visit(child, node)

    for root in spec.roots:
        visit(root, None)
    return index


def _basic_total(spec: FrameworkSpec) -> Decimal:
    return sum((r.effective_points() for r in spec.section_roots("basic")), Decimal("0"))


def _pts(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt_points(value)}分"


def compare(old: FrameworkSpec, new: FrameworkSpec) -> Diff:
    diff = Diff(old_total=_basic_total(old), new_total=_basic_total(new))
    old_index, new_index = _index(old), _index(new)
    unmatched_old = {c for c in old_index if c not in new_index}
    unmatched_new = [c for c in new_index if c not in old_index]
    by_title = {old_index[c][0].title.strip(): c for c in unmatched_old}
    pairs: list[tuple[str, str]] = [(c, c) for c in new_index if c in old_index]
    for code in list(unmatched_new):
        title = new_index[code][0].title.strip()
        if title in by_title:
            old_code = by_title.pop(title)
            unmatched_old.discard(old_code)
            unmatched_new.remove(code)
            pairs.append((old_code, code))

    order = {code: i for i, code in enumerate(new_index)}
    for old_code, new_code in sorted(pairs, key=lambda p: order[p[1]]):
        before, old_parent = old_index[old_code]
        after, new_parent = new_index[new_code]

        def change(
            kind: str, old: str, new: str, node: NodeSpec = after, code: str = new_code
        ) -> Change:
            return Change(
                kind=kind,
                code=code,
                title=node.title,
                is_standard=node.is_leaf,
                section=node.section,
                old=old,
                new=new,
            )

        if old_code != new_code:
            diff.changes.append(change("renumbered", old_code, new_code))
        if before.title.strip() != after.title.strip() or before.description != after.description:
            diff.changes.append(change("reworded", before.title, after.title))
        if before.effective_points() != after.effective_points() and after.section != "veto":
            diff.changes.append(
                change("points", _pts(before.effective_points()), _pts(after.effective_points()))
            )
        if old_parent != new_parent and old_code == new_code:
            diff.changes.append(change("moved", old_parent or "（顶层）", new_parent or "（顶层）"))
        if before.methods != after.methods:
            diff.changes.append(
                change("methods", "、".join(before.methods) or "—", "、".join(after.methods) or "—")
            )
    for code in unmatched_new:
        node, _ = new_index[code]
        diff.changes.append(
            Change(
                kind="added",
                code=code,
                title=node.title,
                is_standard=node.is_leaf,
                section=node.section,
                new=_pts(node.points) if node.section != "veto" else "",
            )
        )
    for code in old_index:
        if code in unmatched_old:
            node, _ = old_index[code]
            diff.changes.append(
                Change(
                    kind="removed",
                    code=code,
                    title=node.title,
                    is_standard=node.is_leaf,
                    section=node.section,
                    old=_pts(node.points) if node.section != "veto" else "",
                )
            )
    return diff

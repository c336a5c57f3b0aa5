"""实地测评 on the frozen submission: the office's formal round of an applicant.

The round (`scoring.ScoringRound` with no campaign: the office owns it, the unit is scored)
is scored against the batch's evaluation system. What backs each standard is the
application's frozen submission, never the unit's live ledger: the frozen items are judged by
the ledger's own rules (`ledger.completeness.rows_from_entries`) and are the items a score
may cite. A frozen item proved standards of the system its campaign used; when that is not
the batch's system, each standard is matched by its code.

Only the round's assessors and the batch's office admin score it, finish it and reopen it,
and only while the application waits for its 实地测评 result (初审通过): once the result is
recorded, the round is the record of it and nobody changes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from wenming.applications.checks import S, lock
from wenming.applications.models import Application, SnapshotItem
from wenming.frameworks.models import Node
from wenming.ledger.completeness import TEXT_KINDS, ProofEntry, StandardState, rows_from_entries
from wenming.ledger.files import FileKind
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.scoring import services as scoring_services
from wenming.scoring.analysis import EvidenceChoices, SheetContext
from wenming.scoring.models import Score, ScoringRound

SCORE_ROUTE = "applications:field_score"
NOTHING_FROZEN = "申报时冻结的材料中没有该标准的台账"


def is_office_round(round_: ScoringRound | None) -> bool:
    """A round on the frozen submission (the office's), not one on the unit's campaign."""
    return round_ is not None and round_.campaign_id is None and round_.removed_at is None


def _standard_map(items: Iterable[dict[str, Any]], nodes: Iterable[Node]) -> dict[int, int]:
    """The frozen items' standard ids → the same standards of the round's system (by id when
    the system is the same, else by code); one query for the frozen standards' codes."""
    leaves = {n.code: n.pk for n in nodes if n.is_leaf}
    own = set(leaves.values())
    ids = {i for item in items for i in item["standard_ids"]} - own
    mapped = {i: i for i in own}
    for pk, code in Node.objects.filter(pk__in=ids).values_list("pk", "code"):
        if code in leaves:
            mapped[pk] = leaves[code]
    return mapped


def frozen_context(application: Application, nodes: list[Node]) -> SheetContext:
    """What backs each standard of the round: the frozen items, their file counts and the
    citations already made (three queries, four when the systems differ)."""
    live = Q(files__file__removed_at__isnull=True)
    items = list(
        SnapshotItem.objects.filter(application=application)
        .annotate(
            photos=Count("files", filter=live & Q(files__file__kind=FileKind.PHOTO)),
            texts=Count("files", filter=live & Q(files__file__kind__in=TEXT_KINDS)),
        )
        .order_by("activity_date", "id")
        .values(
            "item_id", "title", "status", "summary", "result", "standard_ids", "photos", "texts"
        )
    )
    mapped = _standard_map(items, nodes)
    labels = dict(ItemStatus.choices)
    options: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    entries = []
    for item in items:
        standards = sorted({mapped[i] for i in item["standard_ids"] if i in mapped})
        entries.append(
            ProofEntry(
                standard_ids=standards,
                status=item["status"],
                summary=item["summary"],
                result=item["result"],
                photos=item["photos"],
                texts=item["texts"],
            )
        )
        for node_id in standards:
            options[node_id].append(
                (item["item_id"], item["title"], labels.get(item["status"], ""))
            )
    linked: dict[int, set[int]] = defaultdict(set)
    round_ = application.field_round
    cited = Score.evidence.through.objects.filter(score__round=round_).values_list(
        "score__standard_id", "evidenceitem_id"
    )
    for standard_id, item_id in cited:
        linked[standard_id].add(item_id)
    rows = rows_from_entries(nodes, entries)
    for row in rows.values():
        if row.state == StandardState.MISSING:
            row.needs[0] = NOTHING_FROZEN
    return SheetContext(
        ledger=rows,
        ledger_url=None,
        evidence=EvidenceChoices(options=dict(options), linked=dict(linked)),
        route=SCORE_ROUTE,
    )


def sheet_url(application: Application) -> str:
    assert application.field_round_id is not None
    return reverse("applications:field_sheet", args=[application.field_round_id])


def _citable(application: Application, standard: Node, ids: list[int]) -> list[EvidenceItem]:
    """Of the given items, the frozen ones that prove this standard (as mapped)."""
    nodes = list(Node.objects.filter(framework_id=standard.framework_id, is_leaf=True))
    context = frozen_context(application, nodes)
    allowed = {item_id for item_id, _, _ in context.evidence.options.get(standard.pk, [])}
    return list(EvidenceItem.objects.filter(pk__in=[i for i in ids if i in allowed]))


def _locked_round(application: Application, action: str) -> Application:
    """The application locked, waiting for its 实地测评 result, with its office round."""
    locked = lock(application, (S.ACCEPTED,), action)
    if not is_office_round(locked.field_round):
        raise ValidationError("该申报没有在平台上安排实地测评打分。")
    return locked


def field_score_set(
    *,
    application: Application,
    standard: Node,
    user: User,
    evidence_ids: list[int] | None = None,
    **values: Any,
) -> Score:
    """Score one standard of the application's 实地测评 round; `evidence_ids` are the frozen
    items cited (None leaves the citations as they are)."""
    with transaction.atomic():
        locked = _locked_round(application, "修改实地测评打分")
        evidence = None if evidence_ids is None else _citable(locked, standard, evidence_ids)
        assert locked.field_round is not None
        return scoring_services.score_set(
            round_=locked.field_round, standard=standard, user=user, evidence=evidence, **values
        )


def field_round_finish(*, application: Application, user: User) -> ScoringRound:
    with transaction.atomic():
        locked = _locked_round(application, "完成实地测评打分")
        assert locked.field_round is not None
        return scoring_services.round_finish(round_=locked.field_round, user=user)


def field_round_reopen(*, application: Application, user: User) -> ScoringRound:
    with transaction.atomic():
        locked = _locked_round(application, "重新打开实地测评打分")
        assert locked.field_round is not None
        return scoring_services.round_reopen(round_=locked.field_round, user=user)

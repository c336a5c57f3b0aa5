"""City bulletins (通报): each unit's figures for a period, its rank, and the draft → 印发 steps.

The figures of a unit over a period [start, end] (`unit_figures`), for every unit the office
keeps (`access.office_units`), in a constant number of queries whatever the number of units:

- 督查发现问题: the office's live problems from a live inspection held in the period;
  of them 已整改销号: closed on or before `end`; 逾期未整改: the rule of
  `CityProblem.days_overdue` evaluated at `end` (`models.overdue_q`);
- 应报送信息: the office's live monthly rounds due in the period (each unit owes each round);
  按时报送: the unit's submissions made on or before the round's due date;
- 应签收重点工作: the office's published priorities whose 签收截止日期 is in the period;
  按时签收: the unit's acknowledgements made on or before that date.

Rates are Decimal percentages to one decimal place; `None` (shown "—") when nothing was due.
The rank is defined once, in `rank_rows`.

A draft's table is computed live; at 印发 the figures are recomputed inside the transaction
and frozen into `BulletinEntry` rows, the bulletin gets its number (第N期, per office and year
of issue) and is never changed again. A draft may be removed (`bulletin_remove`, `removed_at`);
an issued bulletin never is. While a draft, an entry exists only for a unit the
office praised or criticized (its verdict and reason).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from wenming.orgs.models import Organization
from wenming.supervision.access import office_units
from wenming.supervision.models import (
    BulletinEntry,
    CityBulletin,
    CityBulletinStatus,
    CityProblem,
    CityProblemStatus,
    InfoRound,
    InfoSubmission,
    Priority,
    PriorityAck,
    Verdict,
    overdue_q,
)

FIGURE_FIELDS = (
    "problems_found",
    "problems_closed",
    "problems_overdue",
    "info_due",
    "info_on_time",
    "priorities_due",
    "priorities_acknowledged",
)
TITLE_LIMIT = 200
INTRO_LIMIT = 5000
REASON_LIMIT = 500
HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


def rate(part: int, whole: int) -> Decimal | None:
    """part/whole as a percentage with one decimal (half up); None when nothing was due."""
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, ROUND_HALF_UP)


def percent(value: Decimal | None) -> str:
    """ "66.7%", or "—" when nothing was due."""
    return "—" if value is None else f"{value}%"


@dataclass
class Figures:
    """One unit's row: its figures for the period, its rank and (from the bulletin's entry)
    whether the bulletin praises or criticizes it."""

    unit: Organization
    problems_found: int = 0
    problems_closed: int = 0
    problems_overdue: int = 0
    info_due: int = 0
    info_on_time: int = 0
    priorities_due: int = 0
    priorities_acknowledged: int = 0
    rank: int | None = None
    verdict: str = ""
    reason: str = ""

    @property
    def closed_rate(self) -> Decimal | None:
        """整改销号率."""
        return rate(self.problems_closed, self.problems_found)

    @property
    def info_rate(self) -> Decimal | None:
        """信息按时报送率."""
        return rate(self.info_on_time, self.info_due)

    @property
    def ack_rate(self) -> Decimal | None:
        """重点工作按时签收率."""
        return rate(self.priorities_acknowledged, self.priorities_due)

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label if self.verdict else ""


def rank_key(row: Figures) -> tuple[int, Decimal, Decimal, Decimal]:
    """The ranking's key, smaller is better (see `rank_rows`)."""
    return (
        row.problems_overdue,
        -(row.closed_rate if row.closed_rate is not None else HUNDRED),
        -(row.info_rate if row.info_rate is not None else HUNDRED),
        -(row.ack_rate if row.ack_rate is not None else HUNDRED),
    )


def rank_rows(rows: Sequence[Figures]) -> list[Figures]:
    """THE ranking of a bulletin, sorted best first with `rank` set.

    Fewer 逾期未整改 problems first; then the higher 整改销号率, the higher 信息按时报送率 and
    the higher 重点工作按时签收率, each as shown (one decimal). A rate with nothing due counts
    as 100% (nothing was missed). Equal keys share a rank and the next rank skips (1, 2, 2, 4);
    within a rank the units keep the registry's order. No score is made up from the figures.
    """
    ordered = sorted(rows, key=rank_key)
    previous: tuple[int, Decimal, Decimal, Decimal] | None = None
    for position, row in enumerate(ordered, start=1):
        key = rank_key(row)
        if key != previous:
            row.rank = position
            previous = key
        else:
            row.rank = ordered[position - 2].rank
    return ordered


def _counts(rows: Iterable[dict[str, int]], name: str) -> dict[int, int]:
    return {r["unit_id"]: r[name] for r in rows}


def unit_figures(
    *, office: Organization, start: datetime.date, end: datetime.date
) -> list[Figures]:
    """Every unit of the office with its figures for [start, end], ranked (six queries)."""
    units = list(office_units(office))
    ids = [u.pk for u in units]
    problems = (
        CityProblem.objects.live()
        .filter(
            office=office,
            unit_id__in=ids,
            inspection__removed_at__isnull=True,
            inspection__inspected_on__range=(start, end),
        )
        .values("unit_id")
        .annotate(
            found=Count("pk"),
            closed=Count("pk", filter=Q(status=CityProblemStatus.CLOSED, closed_at__date__lte=end)),
            overdue=Count("pk", filter=overdue_q(end)),
        )
        .order_by()
    )
    by_problem = {r["unit_id"]: r for r in problems}
    rounds = InfoRound.objects.live().filter(office=office, due_on__range=(start, end))
    info_due = rounds.count()
    on_time = _counts(
        InfoSubmission.objects.filter(
            round__in=rounds, unit_id__in=ids, submitted_at__date__lte=F("round__due_on")
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "n",
    )
    priorities = Priority.objects.live().filter(
        office=office, published_at__isnull=False, acknowledge_by__range=(start, end)
    )
    priorities_due = priorities.count()
    acked = _counts(
        PriorityAck.objects.filter(
            priority__in=priorities,
            unit_id__in=ids,
            acknowledged_at__date__lte=F("priority__acknowledge_by"),
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "n",
    )
    rows = []
    for unit in units:
        p = by_problem.get(unit.pk, {})
        rows.append(
            Figures(
                unit=unit,
                problems_found=p.get("found", 0),
                problems_closed=p.get("closed", 0),
                problems_overdue=p.get("overdue", 0),
                info_due=info_due,
                info_on_time=on_time.get(unit.pk, 0),
                priorities_due=priorities_due,
                priorities_acknowledged=acked.get(unit.pk, 0),
            )
        )
    return rank_rows(rows)


def bulletin_rows(bulletin: CityBulletin) -> list[Figures]:
    """The bulletin's table: frozen entries once issued, live figures (with the draft's
    verdicts) before (one query issued, seven draft)."""
    if bulletin.status == CityBulletinStatus.ISSUED:
        entries = bulletin.entries.select_related("unit").order_by("rank", "unit__path", "id")
        return [
            Figures(
                unit=e.unit,
                rank=e.rank,
                verdict=e.verdict,
                reason=e.reason,
                **{name: getattr(e, name) for name in FIGURE_FIELDS},
            )
            for e in entries
        ]
    rows = unit_figures(
        office=bulletin.office, start=bulletin.period_start, end=bulletin.period_end
    )
    verdicts = {e.unit_id: e for e in bulletin.entries.all()}
    for row in rows:
        entry = verdicts.get(row.unit.pk)
        if entry is not None:
            row.verdict, row.reason = entry.verdict, entry.reason
    return rows


def named(rows: Iterable[Figures], verdict: str) -> list[Figures]:
    """The units the bulletin praises (or criticizes), in the table's order."""
    return [r for r in rows if r.verdict == verdict]


def number_label(bulletin: CityBulletin) -> str:
    """ "2026年第3期" once issued; "" for a draft."""
    return f"{bulletin.year}年第{bulletin.sequence}期" if bulletin.sequence else ""


# --- writes --------------------------------------------------------------------------------


def _clean(
    title: str, period_start: datetime.date, period_end: datetime.date, intro: str
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = (
            "请填写通报标题，例如“关于2026年第二季度全市文明单位创建工作督查情况的通报”。"
        )
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"通报标题不能超过{TITLE_LIMIT}个字，请精简。"
    if period_start is None:
        errors["period_start"] = "请填写统计起始日期。"
    if period_end is None:
        errors["period_end"] = "请填写统计截止日期。"
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = "统计截止日期不能早于起始日期，请重新选择。"
    intro = (intro or "").strip()
    if len(intro) > INTRO_LIMIT:
        errors["intro"] = f"通报正文不能超过{INTRO_LIMIT}个字，请精简。"
    if errors:
        raise ValidationError(errors)
    return {"title": title, "period_start": period_start, "period_end": period_end, "intro": intro}


def _lock_draft(
    bulletin: CityBulletin, *, issued: str = "印发后不能再修改；如需更正，请另起草一期通报。"
) -> CityBulletin:
    """The bulletin's row, locked, refused unless it is a live draft (`issued`: what the
    refusal of an issued bulletin says after when and which number it was issued)."""
    locked = CityBulletin.objects.select_for_update().select_related("office").get(pk=bulletin.pk)
    if locked.removed_at is not None:
        raise ValidationError("该通报已删除，不能再办理。")
    if locked.status != CityBulletinStatus.DRAFT:
        raise ValidationError(
            f"该通报已于{locked.issued_on:%Y年%m月%d日}印发（{number_label(locked)}），{issued}"
        )
    return locked


@transaction.atomic
def bulletin_create(
    *,
    office: Organization,
    user: User | None,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    intro: str = "",
) -> CityBulletin:
    """起草通报 (a draft, seen only by the office's people)."""
    fields = _clean(title, period_start, period_end, intro)
    return CityBulletin.objects.create(
        office=office, year=period_end.year, created_by=user, **fields
    )


@transaction.atomic
def bulletin_update(
    *,
    bulletin: CityBulletin,
    user: User | None,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    intro: str,
) -> CityBulletin:
    """Change a draft's title, period or text; an issued bulletin is refused."""
    fields = _clean(title, period_start, period_end, intro)
    locked = _lock_draft(bulletin)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


@transaction.atomic
def bulletin_remove(*, bulletin: CityBulletin, user: User | None) -> None:
    """删除 a draft (`removed_at`, kept; its verdicts stay with it); an issued bulletin is
    refused: the units have read it and its number is taken."""
    locked = _lock_draft(bulletin, issued="已印发的通报不能删除。")
    locked.removed_at = timezone.now()
    locked.save(update_fields=["removed_at", "updated_at"])


@transaction.atomic
def bulletin_set_verdict(
    *,
    bulletin: CityBulletin,
    user: User | None,
    unit: Organization,
    verdict: str,
    reason: str = "",
) -> None:
    """通报表扬 / 通报批评 a unit of the office (with its reason), or clear it (verdict "")."""
    locked = _lock_draft(bulletin)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "请选择通报表扬、通报批评或不通报。"})
    if not office_units(locked.office).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"{unit.name}不在本文明办的文明单位名录中，不能通报。"})
    reason = (reason or "").strip()
    if verdict and not reason:
        label = Verdict(verdict).label
        raise ValidationError({"reason": f"请填写对{unit.name}{label}的事由。"})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"事由不能超过{REASON_LIMIT}个字，请精简。"})
    BulletinEntry.objects.update_or_create(
        bulletin=locked,
        unit=unit,
        defaults={"verdict": verdict, "reason": reason if verdict else ""},
    )
    locked.save(update_fields=["updated_at"])


def _freeze(bulletin: CityBulletin) -> None:
    """Every unit's figures recomputed now and written into the bulletin's entries."""
    rows = unit_figures(
        office=bulletin.office, start=bulletin.period_start, end=bulletin.period_end
    )
    kept = {row.unit.pk for row in rows}
    entries = {e.unit_id: e for e in bulletin.entries.select_related("unit")}
    gone = [e for uid, e in entries.items() if uid not in kept]
    named_gone = [e.unit.name for e in gone if e.verdict]
    if named_gone:
        raise ValidationError(
            f"{'、'.join(named_gone)}已不在本文明办的文明单位名录中，请先取消对其的表扬或批评。"
        )
    # Entries without a verdict carry nothing the office wrote.
    BulletinEntry.objects.filter(pk__in=[e.pk for e in gone]).delete()
    new: list[BulletinEntry] = []
    changed: list[BulletinEntry] = []
    for row in rows:
        entry = entries.get(row.unit.pk) or BulletinEntry(bulletin=bulletin, unit=row.unit)
        entry.rank = row.rank
        for name in FIGURE_FIELDS:
            setattr(entry, name, getattr(row, name))
        (changed if entry.pk else new).append(entry)
    BulletinEntry.objects.bulk_create(new)
    BulletinEntry.objects.bulk_update(changed, ["rank", *FIGURE_FIELDS])


def bulletin_issue(
    *, bulletin: CityBulletin, user: User | None, issued_on: datetime.date | None
) -> CityBulletin:
    """印发: freeze every unit's figures and rank, number the bulletin 第N期 of the office's
    year of issue; nothing changes afterwards."""
    if issued_on is None:
        raise ValidationError({"issued_on": "请填写印发日期。"})
    try:
        with transaction.atomic():
            locked = _lock_draft(bulletin)
            if issued_on < locked.period_end:
                raise ValidationError(
                    {
                        "issued_on": f"印发日期不能早于统计截止日期"
                        f"（{locked.period_end:%Y年%m月%d日}），请重新选择。"
                    }
                )
            _freeze(locked)
            year = issued_on.year
            last = (
                CityBulletin.objects.filter(office=locked.office, year=year)
                .exclude(sequence=None)
                .aggregate(n=Max("sequence"))["n"]
            )
            locked.year, locked.sequence = year, (last or 0) + 1
            locked.status = CityBulletinStatus.ISSUED
            locked.issued_on, locked.issued_by = issued_on, user
            locked.save(
                update_fields=["year", "sequence", "status", "issued_on", "issued_by", "updated_at"]
            )
    except IntegrityError as exc:
        raise ValidationError("同时有另一期通报正在印发，期号冲突，请重新印发。") from exc
    return locked

"""Eligibility of a unit for a batch (申报条件), from the batch's rules as data.

Each rule gives a `RuleResult` with a Chinese sentence: what it asks and, when it fails, why
the unit may not apply ("2025年发生一票否决事项，追溯期内不得申报"). The rules:

- holds_lower (`level`, `years`): the unit held an honour at `level` (or higher) in each of
  the `years` years up to and including the batch's year. An honour counts in the years of
  its term while it was held: a held honour for its whole term; an honour revoked (撤销) up to
  the year before its revocation; an honour ended (期满) up to the year it ended.
- min_staff (`number`): the staff count of the application form, or else of the registry.
- no_veto (`years`): no live 一票否决 negative event since 1 January of the first year of the
  look-back window (the batch's year counts as its last year).
- not_banned: no revocation whose ban on applying covers the day.
- not_held: the unit does not already hold this honour at this level or higher (the same
  honour counts once, at its highest level; the level word in front of a title is ignored,
  so 省级文明单位 is the same honour as 市级文明单位). An honour past its term counts no longer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from wenming.applications.models import Batch, EligibilityRule, RuleKind
from wenming.registry import services as registry_services
from wenming.registry.models import Honour, HonourStatus, Level, RegistryEntry

LEVEL_ORDER: dict[str, int] = {Level.COUNTY: 0, Level.CITY: 1, Level.PROVINCE: 2, Level.NATIONAL: 3}
LEVEL_WORDS = ("县级", "市级", "省级", "全国")


@dataclass(frozen=True)
class RuleResult:
    kind: str
    label: str
    ok: bool
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "label": self.label, "ok": self.ok, "reason": self.reason}


def level_rank(level: str) -> int:
    return LEVEL_ORDER.get(level, -1)


def level_label(level: str) -> str:
    return Level(level).label if level in Level.values else level


def honour_kind(title: str) -> str:
    """A title without the level word in front: 市级文明单位 → 文明单位."""
    text = (title or "").strip()
    for word in LEVEL_WORDS:
        if text.startswith(word):
            return text[len(word) :]
    return text


def date_words(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rule_label(rule: EligibilityRule) -> str:
    """What the rule asks, in words."""
    if rule.kind == RuleKind.HOLDS_LOWER:
        return f"连续{rule.years}年保持{level_label(rule.level)}称号"
    if rule.kind == RuleKind.MIN_STAFF:
        return f"职工人数不少于{rule.number}人"
    if rule.kind == RuleKind.NO_VETO:
        return f"近{rule.years}年内无一票否决事项"
    if rule.kind == RuleKind.NOT_BANNED:
        return "不在摘牌后的禁止申报期内"
    return "未持有同级或更高级的同一称号"


# --- holds_lower ------------------------------------------------------------------------------


def held_years(honour: Honour) -> range:
    """The years of the honour's term in which it was held."""
    last = honour.last_year
    if honour.status == HonourStatus.REVOKED:
        last = min(last, honour.status_on.year - 1)
    elif honour.status == HonourStatus.EXPIRED:
        last = min(last, honour.status_on.year)
    return range(honour.year_named, last + 1)


def streak_up_to(honours: Iterable[Honour], year: int) -> int:
    """How many consecutive years ending with `year` the honours cover."""
    years = {y for h in honours for y in held_years(h)}
    count = 0
    while year - count in years:
        count += 1
    return count


def _holds_lower(rule: EligibilityRule, batch: Batch, honours: list[Honour]) -> tuple[bool, str]:
    years = rule.years or 1
    at_level = [h for h in honours if level_rank(h.level) >= level_rank(rule.level)]
    streak = streak_up_to(at_level, batch.year)
    if streak >= years:
        return True, ""
    first = batch.year - years + 1
    level = level_label(rule.level)
    if not at_level:
        return False, f"需{first}—{batch.year}年连续保持{level}称号，本单位名录中没有{level}称号"
    return False, (
        f"需{first}—{batch.year}年连续{years}年保持{level}称号，"
        f"本单位截至{batch.year}年仅连续保持{streak}年"
    )


# --- the other rules --------------------------------------------------------------------------


def _min_staff(rule: EligibilityRule, staff: int | None) -> tuple[bool, str]:
    number = rule.number or 0
    if staff is None:
        return False, f"职工人数须不少于{number}人，请在申报表中填写职工人数"
    if staff < number:
        return False, f"职工人数须不少于{number}人，本单位为{staff}人"
    return True, ""


def _no_veto(rule: EligibilityRule, batch: Batch, entry: RegistryEntry) -> tuple[bool, str]:
    since = datetime.date(batch.year - (rule.years or 1) + 1, 1, 1)
    latest = registry_services.veto_events(entry, since).order_by("-occurred_on", "-id").first()
    if latest is None:
        return True, ""
    return False, f"{latest.occurred_on.year}年发生一票否决事项，追溯期内不得申报"


def _not_banned(entry: RegistryEntry, day: datetime.date) -> tuple[bool, str]:
    revocation = registry_services.ban_for(entry, day)
    if revocation is None or revocation.banned_until is None:
        return True, ""
    return False, (
        f"因{revocation.decided_on.year}年被撤销称号，"
        f"{date_words(revocation.banned_until)}前不得申报"
    )


def _not_held(batch: Batch, honours: list[Honour]) -> tuple[bool, str]:
    kind = honour_kind(batch.honour_title)
    for honour in sorted(honours, key=lambda h: -level_rank(h.level)):
        if (
            honour.is_held
            and honour.last_year >= batch.year
            and honour_kind(honour.title) == kind
            and level_rank(honour.level) >= level_rank(batch.level)
        ):
            return False, (
                f"本单位已持有{honour.year_named}年命名的“{honour.title}”称号"
                f"（{honour.get_level_display()}，有效期至{honour.last_year}年），"
                "同一称号只按最高级别计，不能申报同级或更低级别"
            )
    return True, ""


def check_eligibility(
    *,
    batch: Batch,
    entry: RegistryEntry,
    day: datetime.date | None = None,
    staff_count: int | None = None,
) -> list[RuleResult]:
    """Each rule of the batch, checked for the entry's unit on `day` (default today).

    `staff_count`: the staff count the unit gives on its application form; without it the
    registry's count is used.
    """
    day = day or timezone.localdate()
    rules = list(EligibilityRule.objects.filter(batch=batch).order_by("id"))
    honours: list[Honour] = []
    if any(r.kind in (RuleKind.HOLDS_LOWER, RuleKind.NOT_HELD) for r in rules):
        honours = list(Honour.objects.live().filter(entry=entry))
    staff = staff_count if staff_count is not None else entry.staff_count
    results = []
    for rule in rules:
        if rule.kind == RuleKind.HOLDS_LOWER:
            ok, reason = _holds_lower(rule, batch, honours)
        elif rule.kind == RuleKind.MIN_STAFF:
            ok, reason = _min_staff(rule, staff)
        elif rule.kind == RuleKind.NO_VETO:
            ok, reason = _no_veto(rule, batch, entry)
        elif rule.kind == RuleKind.NOT_BANNED:
            ok, reason = _not_banned(entry, day)
        else:
            ok, reason = _not_held(batch, honours)
        results.append(RuleResult(rule.kind, rule_label(rule), ok, reason))
    return results


def refusals(results: Iterable[RuleResult]) -> list[str]:
    return [r.reason for r in results if not r.ok]

"""The rules of 消息提醒 for the civilization office's supervision of its units.

Each unit's 创建办 (the active people holding that post) hears about:

- a month's 信息报送 due in 3 days or less while the unit has not submitted (`INFO_DUE`), and
  once after the due date passed without a submission (`INFO_OVERDUE`, for rounds due in the
  last 30 days);
- a quarterly priority published in the last 30 days that the unit has not acknowledged
  (`PRIORITY_PUBLISHED`);
- a problem the office dispatched to the unit in the last 30 days and still waiting for it
  (`CITY_PROBLEM`), and each return of a rectification by the office in the last 30 days
  (`CITY_PROBLEM_RETURNED`).

`city_events(today)` reads all of it in a fixed number of queries (one per kind of record, one
for the units in the offices' registries, one for the 创建办 people) and is one of the
`RULES` scanned by the daily `notify` (four queries on a day without supervision data). `remind_info` is the office's 一键提醒 (the core
registry's extension "supervision.remind_info"): written at once, one per unit, person and day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from wenming.notifications.models import Kind
from wenming.notifications.rules import Due, _d, _Event, write
from wenming.orgs.models import Membership, Role
from wenming.registry.models import RegistryEntry
from wenming.supervision.models import (
    CityProblem,
    CityProblemAction,
    CityProblemEvent,
    CityProblemStatus,
    InfoRound,
    InfoSubmission,
    Priority,
    PriorityAck,
)

LOOKBACK = datetime.timedelta(days=30)
DUE_SOON = 3


def _since(today: datetime.date) -> datetime.datetime:
    start = datetime.datetime.combine(today, datetime.time.min)
    return timezone.make_aware(start) - LOOKBACK


def coordinators(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active 创建办 people of each unit (one query)."""
    found: dict[int, list[int]] = {}
    rows = (
        Membership.objects.filter(
            organization_id__in=set(unit_ids),
            organization__is_active=True,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .values_list("organization_id", "user_id")
        .order_by("id")
    )
    for unit_id, user_id in rows:
        found.setdefault(unit_id, []).append(user_id)
    return found


def _units_by_office(office_ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if not office_ids:
        return found
    rows = RegistryEntry.objects.live().filter(
        office_id__in=office_ids, unit__is_active=True, unit__kind="unit"
    )
    for office_id, unit_id in rows.values_list("office_id", "unit_id").order_by("unit__path"):
        found.setdefault(office_id, []).append(unit_id)
    return found


def _problem_url(pk: int) -> str:
    try:
        return reverse("supervision:problem", args=[pk])
    except NoReverseMatch:  # pragma: no cover - the problems' screens not installed yet
        return f"/supervision/problems/{pk}/"


# --- the rules ---------------------------------------------------------------------------------


def _rounds(today: datetime.date) -> list[InfoRound]:
    return list(
        InfoRound.objects.live()
        .filter(
            due_on__gte=today - LOOKBACK,
            due_on__lte=today + datetime.timedelta(days=DUE_SOON),
        )
        .only("pk", "office_id", "year", "month", "due_on")
    )


def _priorities(today: datetime.date) -> list[Priority]:
    return list(
        Priority.objects.live()
        .filter(published_at__gte=_since(today))
        .only("pk", "office_id", "year", "quarter", "title", "acknowledge_by")
    )


def _info_events(
    today: datetime.date, rounds: list[InfoRound], units: dict[int, list[int]]
) -> list[tuple[int, _Event]]:
    # No query when there is no round (an empty `__in`).
    done = set(
        InfoSubmission.objects.filter(round__in=[r.pk for r in rounds]).values_list(
            "round_id", "unit_id"
        )
    )
    events = []
    for r in rounds:
        url = reverse("supervision:info_round", args=[r.pk])
        name = f"{r.year}年{r.month}月信息报送"
        overdue = r.due_on < today
        for unit_id in units.get(r.office_id, []):
            if (r.pk, unit_id) in done:
                continue
            if overdue:
                kind, key = Kind.INFO_OVERDUE, f"{Kind.INFO_OVERDUE}:{r.pk}:{unit_id}"
                title = f"{name}逾期未报送"
                body = f"报送截止日期为{_d(r.due_on)}，本单位尚未报送。逾期仍可报送，请尽快报送。"
            else:
                days = (r.due_on - today).days
                when = "今天" if days == 0 else f"{days}天后"
                kind = Kind.INFO_DUE
                key = f"{Kind.INFO_DUE}:{r.pk}:{unit_id}:{r.due_on.isoformat()}"
                title = f"{name}{when}截止"
                body = f"报送截止日期为{_d(r.due_on)}，本单位尚未报送，请按时报送。"
            events.append((unit_id, _Event(kind=kind, key=key, title=title, body=body, url=url)))
    return events


def _priority_events(
    priorities: list[Priority], units: dict[int, list[int]]
) -> list[tuple[int, _Event]]:
    done = set(
        PriorityAck.objects.filter(priority__in=[p.pk for p in priorities]).values_list(
            "priority_id", "unit_id"
        )
    )
    events = []
    for p in priorities:
        for unit_id in units.get(p.office_id, []):
            if (p.pk, unit_id) in done:
                continue
            event = _Event(
                kind=Kind.PRIORITY_PUBLISHED,
                key=f"{Kind.PRIORITY_PUBLISHED}:{p.pk}:{unit_id}",
                title=f"文明办下发{p.year}年第{p.quarter}季度重点工作：{p.title}",
                body=f"请在{_d(p.acknowledge_by)}前签收，并填写本单位的落实打算。",
                url=reverse("supervision:priority", args=[p.pk]),
            )
            events.append((unit_id, event))
    return events


def _problem_events(today: datetime.date) -> list[tuple[int, _Event]]:
    since = _since(today)
    events = []
    problems = CityProblem.objects.live().filter(
        status=CityProblemStatus.DISPATCHED, created_at__gte=since
    )
    for p in problems.only("pk", "unit_id", "year", "sequence", "description", "deadline"):
        summary = p.description if len(p.description) <= 60 else p.description[:60] + "…"
        event = _Event(
            kind=Kind.CITY_PROBLEM,
            key=f"{Kind.CITY_PROBLEM}:{p.pk}",
            title=f"文明办交办问题 {p.number}",
            body=f"{summary}（整改时限：{_d(p.deadline)}）。请安排整改并报送整改情况。",
            url=_problem_url(p.pk),
        )
        events.append((p.unit_id, event))
    returned = (
        CityProblemEvent.objects.filter(
            Q(problem__removed_at__isnull=True),
            action=CityProblemAction.RETURNED,
            at__gte=since,
        )
        .select_related("problem")
        .only(
            "pk",
            "comment",
            "problem__id",
            "problem__unit_id",
            "problem__year",
            "problem__sequence",
            "problem__deadline",
        )
    )
    for e in returned:
        reason = f"退回原因：{e.comment}。" if e.comment else ""
        event = _Event(
            kind=Kind.CITY_PROBLEM_RETURNED,
            key=f"{Kind.CITY_PROBLEM_RETURNED}:{e.pk}",
            title=f"交办问题验收未通过 {e.problem.number}",
            body=f"{reason}请按意见继续整改后重新报送（整改时限：{_d(e.problem.deadline)}）。",
            url=_problem_url(e.problem.pk),
        )
        events.append((e.problem.unit_id, event))
    return events


def city_events(today: datetime.date) -> list[_Event]:
    """Every supervision event due on `today`, each addressed to its unit's 创建办."""
    rounds, priorities = _rounds(today), _priorities(today)
    units = _units_by_office({r.office_id for r in rounds} | {p.office_id for p in priorities})
    pairs = [
        *_info_events(today, rounds, units),
        *_priority_events(priorities, units),
        *_problem_events(today),
    ]
    people = coordinators(unit for unit, _ in pairs)
    events = []
    for unit_id, event in pairs:
        to = tuple(people.get(unit_id, ()))
        if to:
            events.append(
                _Event(
                    kind=event.kind,
                    key=event.key,
                    title=event.title,
                    body=event.body,
                    url=event.url,
                    people=to,
                )
            )
    return events


# --- the office's reminder -------------------------------------------------------------------


def remind_info(
    *, info_round: InfoRound, unit_ids: Iterable[int], today: datetime.date
) -> tuple[int, int]:
    """Remind the 创建办 of each unit in `unit_ids` (those without a submission) now: one
    notification per unit, person and day. Returns (units with a 创建办, people)."""
    people = coordinators(unit_ids)
    url = reverse("supervision:info_round", args=[info_round.pk])
    title = f"文明办提醒：请报送{info_round.year}年{info_round.month}月信息"
    body = f"{info_round.office.name}提醒：报送截止日期为{_d(info_round.due_on)}，本单位尚未报送，请尽快报送。"
    due = [
        Due(
            recipient_id=person,
            kind=Kind.INFO_REMINDED,
            key=f"{Kind.INFO_REMINDED}:{info_round.pk}:{unit_id}:{today.isoformat()}",
            title=title,
            body=body,
            url=url,
        )
        for unit_id, persons in people.items()
        for person in persons
    ]
    write(due)
    return len(people), len({d.recipient_id for d in due})

"""The numbers of the dashboards (领导驾驶舱, R14), one function per block.

Each block is computed from a fixed number of grouped queries, whatever the number of tasks,
evidence items or problems: the cockpit of a campaign, and the same blocks scoped to one
department (the office's table of its units is `wenming.dashboards.office`). Points stay
`Decimal` here; the views turn them into strings only for the charts' JSON.

Every number carries the address of the list it counts (`*_url`), so the templates link it
and the tests check the filters.

The department ranking is the yearly department assessment of the current year
(`wenming.oversight.assessment.ranking.assess`: its measures, the unit's weights, its
population, 不参与排名 last); its formula is written once, in `docs/oversight.md` ("部门考核").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import TruncDate
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from wenming.campaigns.models import Campaign, Phase
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.orgs.models import Organization
from wenming.oversight.assessment import measures
from wenming.oversight.assessment.ranking import DepartmentScore, assess, current_year
from wenming.oversight.models import Problem, problem_overdue_q
from wenming.scoring import backed
from wenming.scoring.backed import Backing
from wenming.scoring.models import ScoringRound
from wenming.scoring.totals import Totals
from wenming.tasks.coverage import COVERED_SECTIONS
from wenming.tasks.models import Task, TaskStatus, counted_q, overdue_q

ZERO = Decimal("0")
HUNDRED = Decimal("100")
TENTH = Decimal("0.1")
WEEKS = 12
# Above this many standards the heat map shows items, each drilling down to its standards.
MAX_STANDARD_ROWS = 40
LOST_ITEMS = 8


def _q1(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _rate(part: int, whole: int, empty: Decimal = HUNDRED) -> Decimal:
    """A percentage to one decimal, `empty` when there is nothing to count."""
    if not whole:
        return empty
    return _q1(Decimal(part) * HUNDRED / Decimal(whole))


_SENTINEL = 987654321


@lru_cache(maxsize=64)
def _pattern(name: str, arity: int, prefix: str) -> str:
    # `prefix` (the script prefix `reverse` puts in front) is only part of the cache key.
    return reverse(name, args=[_SENTINEL + i for i in range(arity)])


def _path(name: str, *args: Any) -> str:
    """`reverse` for the hundreds of links of one page: the route is reversed once with
    placeholder ids, then only the ids change (reversing each link was half the office view)."""
    url = _pattern(name, len(args), get_script_prefix())
    for i, arg in enumerate(args):
        url = url.replace(str(_SENTINEL + i), str(int(arg)), 1)
    return url


def _url(name: str, *args: Any, **params: Any) -> str:
    url = _path(name, *args)
    query = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{url}?{urlencode(query)}" if query else url


def counted_tasks(campaign: Campaign, department: Organization | None = None) -> Any:
    """The tasks that count (`TaskQuerySet.counted()`: no drafts, nothing in the bin), those
    `department` leads when given."""
    qs = Task.objects.counted().filter(campaign=campaign)
    if department is not None:
        qs = qs.filter(lead_department=department)
    return qs


def live_problems(campaign: Campaign, department: Organization | None = None) -> Any:
    qs = Problem.objects.live().filter(campaign=campaign)
    if department is not None:
        qs = qs.filter(department=department)
    return qs


def live_evidence(campaign: Campaign, department: Organization | None = None) -> Any:
    qs = EvidenceItem.objects.live().filter(campaign=campaign)
    if department is not None:
        qs = qs.filter(department=department)
    return qs


def task_list_url(campaign: Campaign, department: Organization | None = None, **params: Any) -> str:
    if department is not None:
        params.update(department=department.pk, lead=1)
    return _url("tasks:table", campaign.pk, **params)


def problem_list_url(
    campaign: Campaign, department: Organization | None = None, **params: Any
) -> str:
    if department is not None:
        params["department"] = department.pk
    return _url("oversight:problems", campaign.pk, **params)


# --- phase progress ----------------------------------------------------------------------


@dataclass
class PhaseRow:
    label: str
    total: int
    done: int
    overdue: int
    mean_progress: Decimal
    tasks_url: str
    done_url: str
    overdue_url: str

    @property
    def done_percent(self) -> Decimal:
        return _rate(self.done, self.total, ZERO)


def phase_progress(
    campaign: Campaign, today: datetime.date, department: Organization | None = None
) -> list[PhaseRow]:
    """Per phase, in order: tasks, done, overdue and the mean reported progress (2 queries)."""
    phases = list(Phase.objects.filter(campaign=campaign).order_by("position"))
    counts = {
        r["phase_id"]: r
        for r in counted_tasks(campaign, department)
        .order_by()
        .values("phase_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
            mean=Avg("progress"),
        )
    }
    rows = []
    entries: list[tuple[int | None, str]] = [(p.pk, p.name) for p in phases]
    if None in counts:
        entries.append((None, "未分阶段"))
    for phase_id, label in entries:
        r = counts.get(phase_id, {})
        extra = {"phase": phase_id} if phase_id else {}
        rows.append(
            PhaseRow(
                label=label,
                total=r.get("total", 0),
                done=r.get("done", 0),
                overdue=r.get("overdue", 0),
                mean_progress=_q1(Decimal(str(r.get("mean") or 0))),
                tasks_url=task_list_url(campaign, department, **extra),
                done_url=task_list_url(campaign, department, status="done", **extra),
                overdue_url=task_list_url(campaign, department, status="overdue", **extra),
            )
        )
    return rows


# --- headline counts ---------------------------------------------------------------------


@dataclass
class Headline:
    tasks: int
    done: int
    overdue_tasks: int
    mean_progress: Decimal
    open_problems: int
    overdue_problems: int
    evidence: int
    evidence_approved: int
    tasks_url: str
    done_url: str
    overdue_tasks_url: str
    open_problems_url: str
    overdue_problems_url: str
    evidence_url: str
    evidence_approved_url: str

    @property
    def done_percent(self) -> Decimal:
        return _rate(self.done, self.tasks, ZERO)


def headline(
    campaign: Campaign, today: datetime.date, department: Organization | None = None
) -> Headline:
    """Tasks done and overdue, problems open and overdue, evidence filed (3 queries)."""
    t = (
        counted_tasks(campaign, department)
        .order_by()
        .aggregate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
            mean=Avg("progress"),
        )
    )
    # Overdue problems are open ones: both are counted over `open()`.
    p = (
        live_problems(campaign, department)
        .open()
        .order_by()
        .aggregate(open=Count("id"), overdue=Count("id", filter=problem_overdue_q(today)))
    )
    e = (
        live_evidence(campaign, department)
        .order_by()
        .aggregate(total=Count("id"), approved=Count("id", filter=Q(status=ItemStatus.APPROVED)))
    )
    dept_param = {"department": department.pk} if department is not None else {}
    return Headline(
        tasks=t["total"],
        done=t["done"],
        overdue_tasks=t["overdue"],
        mean_progress=_q1(Decimal(str(t["mean"] or 0))),
        open_problems=p["open"],
        overdue_problems=p["overdue"],
        evidence=e["total"],
        evidence_approved=e["approved"],
        tasks_url=task_list_url(campaign, department),
        done_url=task_list_url(campaign, department, status="done"),
        overdue_tasks_url=task_list_url(campaign, department, status="overdue"),
        open_problems_url=problem_list_url(campaign, department, status="open"),
        overdue_problems_url=problem_list_url(campaign, department, overdue="on"),
        evidence_url=_url("ledger:items", campaign.pk, **dept_param),
        evidence_approved_url=_url(
            "ledger:items", campaign.pk, status=ItemStatus.APPROVED, **dept_param
        ),
    )


# --- projected score ---------------------------------------------------------------------


@dataclass
class LostItem:
    code: str
    title: str
    possible: Decimal
    scored: Decimal
    lost: Decimal
    url: str


@dataclass
class Projection:
    """The latest round's figure: `totals` is backed by evidence (a standard whose ledger is
    not 已完备 counts at zero, `wenming.scoring.backed`) and decides the verdict; `claimed` is
    the self-assessed figure shown beside it, `backing` the itemized difference."""

    round: ScoringRound | None
    totals: Totals | None
    rounds_url: str
    lost_items: list[LostItem] = field(default_factory=list)
    claimed: Totals | None = None
    backing: Backing | None = None

    @property
    def claimed_total(self) -> Decimal | None:
        return self.claimed.total if self.claimed else None

    @property
    def total(self) -> Decimal | None:
        return self.totals.total if self.totals else None

    @property
    def threshold(self) -> Decimal | None:
        return self.totals.threshold if self.totals else None

    @property
    def gap(self) -> Decimal | None:
        """Points above (positive) or below (negative) the pass line."""
        if self.totals is None or self.totals.threshold is None:
            return None
        return self.totals.total - self.totals.threshold

    @property
    def shortfall(self) -> Decimal | None:
        """Points still missing to reach the pass line (None when it is reached)."""
        gap = self.gap
        return -gap if gap is not None and gap < 0 else None

    @property
    def sheet_url(self) -> str | None:
        return reverse("scoring:sheet", args=[self.round.pk]) if self.round else None

    @property
    def gaps_url(self) -> str | None:
        return reverse("scoring:gaps", args=[self.round.pk]) if self.round else None


def latest_round(campaign: Campaign) -> ScoringRound | None:
    """The round a projection is read from: the latest by date, open or finished."""
    return (
        ScoringRound.objects.live()
        .filter(campaign=campaign)
        .select_related("framework")
        .order_by("-scored_on", "-id")
        .first()
    )


def projection(
    campaign: Campaign, standard_ids: set[int] | None = None, *, limit: int = LOST_ITEMS
) -> Projection:
    """The latest round's total backed by evidence against its pass line, the self-assessed
    total beside it, and where the backed total loses most (3 queries and the ledger's 3).

    With `standard_ids` (a department's standards), the losses are listed standard by
    standard among those; otherwise item by item (测评项目).
    """
    rounds_url = reverse("scoring:rounds", args=[campaign.pk])
    round_ = latest_round(campaign)
    if round_ is None:
        return Projection(round=None, totals=None, rounds_url=rounds_url)
    nodes = list(Node.objects.filter(framework_id=round_.framework_id))
    round_.campaign = campaign
    backing = backed.round_backing(round_, nodes)
    totals = backing.backed
    gaps_url = reverse("scoring:gaps", args=[round_.pk])
    lost: list[LostItem] = []
    if standard_ids is None:
        for item in totals.items:
            if item.lost > 0:
                lost.append(
                    LostItem(
                        item.node.code,
                        item.node.title,
                        item.possible,
                        item.scored,
                        item.lost,
                        gaps_url,
                    )
                )
    else:
        by_id = {n.pk: n for n in nodes}
        for node_id, amount in totals.lost.items():
            node = by_id[node_id]
            if node_id in standard_ids and amount > 0:
                possible = node.points or ZERO
                lost.append(
                    LostItem(node.code, node.title, possible, possible - amount, amount, gaps_url)
                )
    lost.sort(key=lambda r: (-r.lost, r.code))
    return Projection(
        round=round_,
        totals=totals,
        rounds_url=rounds_url,
        lost_items=lost[:limit],
        claimed=backing.claimed,
        backing=backing,
    )


# --- department ranking ------------------------------------------------------------------


@dataclass
class DepartmentRank:
    """A department in the cockpit's ranking: its yearly assessment (`score`, the one
    department ranking), with the campaign's figures beside it, each linked to its list."""

    department: Organization
    score: DepartmentScore
    year: int
    tasks: int = 0
    done: int = 0
    overdue_tasks: int = 0
    evidence: int = 0
    evidence_approved: int = 0
    problems: int = 0
    open_problems: int = 0
    overdue_problems: int = 0
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        """The assessment's rank; 0 when not ranked (不参与排名)."""
        return self.score.rank

    @property
    def ranked(self) -> bool:
        return self.score.ranked

    @property
    def total(self) -> Decimal:
        return self.score.total


def department_ranking(campaign: Campaign, today: datetime.date) -> list[DepartmentRank]:
    """The yearly assessment of the current year, in its order, with each department's
    figures (the assessment's queries and 3 grouped ones for the figures)."""
    year = current_year(campaign, today)
    scores = assess(campaign, year, today=today, links=_assessment_links(campaign, year))
    ids = [s.department.pk for s in scores]
    tasks = measures.task_progress(campaign, ids, today)
    evidence = measures.evidence_approved(campaign, ids)
    problems = measures.problem_counts(campaign, ids, today)
    ranked = []
    for score in scores:
        d = score.department
        row = DepartmentRank(department=d, score=score, year=year)
        t = tasks.get(d.pk, measures.TaskProgress())
        e = evidence.get(d.pk, measures.Tally())
        p = problems.get(d.pk, measures.ProblemCounts())
        row.tasks, row.done, row.overdue_tasks = t.total, t.done, t.overdue
        row.evidence, row.evidence_approved = e.counted, e.good
        row.problems, row.open_problems, row.overdue_problems = p.total, p.open, p.overdue
        row.urls = {
            "tasks": task_list_url(campaign, d),
            "done": task_list_url(campaign, d, status="done"),
            "overdue_tasks": task_list_url(campaign, d, status="overdue"),
            "evidence": _url("ledger:items", campaign.pk, department=d.pk),
            "evidence_approved": _url(
                "ledger:items", campaign.pk, department=d.pk, status=ItemStatus.APPROVED
            ),
            "problems": problem_list_url(campaign, d),
            "open_problems": problem_list_url(campaign, d, status="open"),
            "overdue_problems": problem_list_url(campaign, d, overdue="on"),
            "dashboard": _path("dashboards:department", campaign.pk, d.pk),
            "assessment": _url("oversight:assessment", campaign.pk, year=year),
        }
        ranked.append(row)
    return ranked


def _assessment_links(campaign: Campaign, year: int) -> dict[str, str]:
    """Each measure's list, `{dept}` for the department, as the assessment page links them."""
    dept = str(_SENTINEL)
    links = {
        "tasks_on_time": _url("tasks:table", campaign.pk, department=dept),
        "evidence_first_pass": _url("ledger:items", campaign.pk, department=dept, year=year),
        "problems_on_time": _url("oversight:problems", campaign.pk, department=dept),
        "reports_submitted": _path("reports:rollup", campaign.pk),
    }
    return {k: v.replace(dept, "{dept}") for k, v in links.items()}


# --- evidence coverage heat map ----------------------------------------------------------


@dataclass
class HeatRow:
    node: Node
    cells: list[tuple[int, str]]  # (count, url) per column
    drill_url: str | None = None

    @property
    def total(self) -> int:
        return sum(c for c, _ in self.cells)


@dataclass
class Heatmap:
    level: str  # "standard" or "item"
    columns: list[Organization]
    rows: list[HeatRow]
    item: Node | None = None
    up_url: str | None = None

    @property
    def max(self) -> int:
        return max((c for r in self.rows for c, _ in r.cells), default=0)

    @property
    def empty_cells(self) -> int:
        return sum(1 for r in self.rows for c, _ in r.cells if c == 0)


def _root_of(node: Node, by_id: dict[int, Node]) -> Node:
    while node.parent_id is not None and node.parent_id in by_id:
        node = by_id[node.parent_id]
    return node


def _evidence_links(campaign: Campaign, department: Organization | None) -> Any:
    """The (standard, evidence item) links of the live evidence, of `department` if given."""
    # Typed loosely: the checker does not follow annotations across values_list on a
    # many-to-many table.
    links: Any = EvidenceItem.standards.through.objects.filter(
        evidenceitem_id__in=live_evidence(campaign, department).values("pk")
    )
    return links


def _counts_per_standard(links: Any) -> dict[tuple[int, int], int]:
    """Per standard and department: at most standards × departments rows, whatever the
    ledger."""
    return {
        (node_id, dept_id): n
        for node_id, dept_id, n in links.order_by()
        .values_list("node_id", "evidenceitem__department_id")
        .annotate(n=Count("id"))
        .values_list("node_id", "evidenceitem__department_id", "n")
    }


def _department_rows(
    campaign: Campaign,
    department: Organization,
    standards: list[Node],
    counts: dict[tuple[int, int], int],
) -> list[Node]:
    """The standards the department's counted tasks address or its evidence proves."""
    own = set(
        Task.standards.through.objects.filter(
            counted_q("task__"), task__campaign=campaign, task__lead_department=department
        ).values_list("node_id", flat=True)
    )
    own.update(node_id for node_id, _ in counts)
    return [n for n in standards if n.pk in own]


def _item_heatmap(
    columns: list[Organization],
    standards: list[Node],
    by_id: dict[int, Node],
    links: Any,
    base_url: str,
) -> Heatmap:
    """One row per item (测评项目), each cell the distinct evidence items proving any of its
    standards, drilling down to the item's standards."""
    roots: dict[int, Node] = {}
    by_root: dict[int, list[int]] = defaultdict(list)
    for n in standards:
        root = _root_of(n, by_id)
        roots.setdefault(root.pk, root)
        by_root[root.pk].append(n.pk)
    # An evidence item proving several standards of one item counts once: the database maps
    # each standard to its item and counts distinct evidence items.
    root_case = Case(
        *[When(node_id__in=ids, then=Value(root_pk)) for root_pk, ids in by_root.items()],
        default=Value(None),
        output_field=IntegerField(),
    )
    seen = {
        (root_pk, dept_id): n
        for root_pk, dept_id, n in links.filter(node_id__in=[n.pk for n in standards])
        .annotate(root=root_case)
        .order_by()
        .values_list("root", "evidenceitem__department_id")
        .annotate(n=Count("evidenceitem_id", distinct=True))
        .values_list("root", "evidenceitem__department_id", "n")
    }
    rows = []
    for root in sorted(roots.values(), key=lambda n: n.position):
        drill = f"{base_url}?item={root.pk}#coverage"
        rows.append(
            HeatRow(
                node=root,
                cells=[(seen.get((root.pk, d.pk), 0), drill) for d in columns],
                drill_url=drill,
            )
        )
    return Heatmap("item", columns, rows)


def coverage(
    campaign: Campaign,
    *,
    department: Organization | None = None,
    item_id: int | None = None,
    base_url: str = "",
) -> Heatmap:
    """Live evidence items per standard (or per item) and department (3 or 4 queries).

    An item counts once per standard it proves; at item level, once per item however many of
    its standards it proves. With `department` the map has one column, and only the
    standards that department's counted tasks address (or that its evidence proves) are rows.
    """
    nodes = list(
        Node.objects.filter(framework_id=campaign.framework_id)
        .only("id", "parent_id", "code", "title", "is_leaf", "section", "position", "depth")
        .order_by("position")
    )
    by_id = {n.pk: n for n in nodes}
    standards = [n for n in nodes if n.is_leaf and n.section in COVERED_SECTIONS]
    columns = [department] if department is not None else list(campaign.unit.active_departments())
    links = _evidence_links(campaign, department)
    counts = _counts_per_standard(links)
    if department is not None:
        standards = _department_rows(campaign, department, standards, counts)

    item = by_id.get(item_id) if item_id else None
    if item is not None:
        standards = [n for n in standards if _root_of(n, by_id).pk == item.pk]
    if item is None and len(standards) > MAX_STANDARD_ROWS:
        return _item_heatmap(columns, standards, by_id, links, base_url)

    def cell_url(node: Node, dept: Organization) -> str:
        return _url("ledger:items", campaign.pk, standard=node.pk, department=dept.pk)

    rows = [
        HeatRow(node=n, cells=[(counts.get((n.pk, d.pk), 0), cell_url(n, d)) for d in columns])
        for n in standards
    ]
    up = base_url + "#coverage" if item is not None else None
    return Heatmap("standard", columns, rows, item=item, up_url=up)


# --- weekly trend ------------------------------------------------------------------------


@dataclass
class Week:
    start: datetime.date
    tasks_done: int = 0
    cumulative_done: int = 0
    cumulative_percent: Decimal = ZERO
    problems_opened: int = 0
    problems_closed: int = 0
    url: str = ""

    @property
    def label(self) -> str:
        return f"{self.start.month}月{self.start.day}日"


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_trend(
    campaign: Campaign,
    today: datetime.date,
    department: Organization | None = None,
    weeks: int = WEEKS,
) -> list[Week]:
    """The last `weeks` weeks (Monday to Sunday): tasks completed and the cumulative share of
    tasks done, problems put on the books and closed (4 queries)."""
    first = _monday(today) - datetime.timedelta(weeks=weeks - 1)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    rows = [Week(start=first + datetime.timedelta(weeks=i)) for i in range(weeks)]
    for w in rows:
        w.url = _url("reports:rollup", campaign.pk, week=w.start.isoformat())
    index = {w.start: i for i, w in enumerate(rows)}

    def per_day(qs: Any, field: str) -> Iterable[tuple[datetime.date, int]]:
        # Grouped by local day in the database: at most 7 × weeks rows, whatever the data.
        return (
            qs.filter(**{f"{field}__gte": since})
            .annotate(day=TruncDate(field, tzinfo=tz))
            .order_by()
            .values_list("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )

    def add(day: datetime.date, n: int, attr: str) -> None:
        i = index.get(_monday(day))
        if i is not None:
            setattr(rows[i], attr, getattr(rows[i], attr) + n)

    tasks = counted_tasks(campaign, department)
    counts = tasks.order_by().aggregate(
        total=Count("id"),
        before=Count(
            "id",
            filter=Q(status=TaskStatus.DONE) & (Q(completed_at__lt=since) | Q(completed_at=None)),
        ),
    )
    for day, n in per_day(tasks.done(), "completed_at"):
        add(day, n, "tasks_done")
    running = counts["before"]
    for w in rows:
        running += w.tasks_done
        w.cumulative_done = running
        w.cumulative_percent = _rate(running, counts["total"], ZERO)

    problems = live_problems(campaign, department)
    for day, n in per_day(problems, "created_at"):
        add(day, n, "problems_opened")
    for day, n in per_day(problems, "closed_at"):
        add(day, n, "problems_closed")
    return rows


# --- the whole cockpit -------------------------------------------------------------------


def department_standard_ids(campaign: Campaign, department: Organization) -> set[int]:
    """The standards addressed by the counted tasks the department leads (1 query)."""
    links = counted_tasks(campaign, department).order_by().values_list("standards", flat=True)
    return {pk for pk in links if pk is not None}


@dataclass
class Cockpit:
    """Every block of a campaign's cockpit, or of one department's view: what the screens
    (`wenming.dashboards.views`) and the API (`wenming.dashboards.api`) both read."""

    campaign: Campaign
    department: Organization | None
    today: datetime.date
    phases: list[PhaseRow]
    head: Headline
    projection: Projection
    ranking: list[DepartmentRank]
    heat: Heatmap
    weeks: list[Week]


def cockpit(
    campaign: Campaign,
    today: datetime.date,
    department: Organization | None = None,
    *,
    item_id: int | None = None,
    base_url: str = "",
) -> Cockpit:
    """All the blocks above; with `department`, scoped to it (the ranking stays unit-wide).
    `item_id` drills the heat map down to one item's standards."""
    standard_ids = None
    if department is not None:
        standard_ids = department_standard_ids(campaign, department)
    return Cockpit(
        campaign=campaign,
        department=department,
        today=today,
        phases=phase_progress(campaign, today, department),
        head=headline(campaign, today, department),
        projection=projection(campaign, standard_ids),
        ranking=department_ranking(campaign, today),
        heat=coverage(campaign, department=department, item_id=item_id, base_url=base_url),
        weeks=weekly_trend(campaign, today, department),
    )

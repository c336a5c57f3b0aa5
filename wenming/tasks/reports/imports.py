"""`tasks_import`: read a 《任务分解及工作推进表》 back into a campaign's tasks, all or nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.orgs.models import Membership, Organization
from wenming.tasks.models import OwnerChange, Task, TaskSource, status_for_progress
from wenming.tasks.reports.excel import OTHER, ReadProblem, ReadRow, parse_progress, tasks_read
from wenming.tasks.reports.services import campaign_departments, counted_tasks
from wenming.tasks.services import tasks_refresh_proof


@dataclass
class ImportResult:
    problems: list[ReadProblem] = field(default_factory=list)
    unknown_departments: list[str] = field(default_factory=list)
    unknown_people: list[str] = field(default_factory=list)
    unknown_standards: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Planned:
    row: int
    title: str
    standard: Node | None
    lead: Organization | None
    co: list[Organization]
    responsible: User | None
    deadline: datetime.date | None
    note: str
    progress: int | None

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.title, self.standard.pk if self.standard else None)


class _Matcher:
    def __init__(self, campaign: Campaign):
        self.departments: dict[str, Organization] = {}
        departments = campaign_departments(campaign)
        for d in departments:
            if d.short_name:
                self.departments.setdefault(d.short_name, d)
        for d in departments:  # exact names win over short names
            self.departments[d.name] = d
        self.people: dict[str, list[User]] = {}
        memberships = Membership.objects.filter(
            organization__path__startswith=campaign.unit.path, is_active=True
        ).select_related("user")
        seen: set[int] = set()
        for m in memberships:
            if m.user_id in seen:
                continue
            seen.add(m.user_id)
            name = m.user.get_full_name() or m.user.username
            self.people.setdefault(name, []).append(m.user)
        nodes = list(Node.objects.filter(framework_id=campaign.framework_id, is_leaf=True))
        self.by_code = {n.code: n for n in nodes}
        self.by_title: dict[str, list[Node]] = {}
        for n in nodes:
            self.by_title.setdefault(n.title.strip(), []).append(n)

    def standard(self, text: str) -> Node | None | str:
        """The standard named by “code title”, a code, or a title; an error sentence if none."""
        code, _, rest = text.partition(" ")
        if code in self.by_code:
            return self.by_code[code]
        found = self.by_title.get(text.strip()) or self.by_title.get(rest.strip())
        if found and len(found) == 1:
            return found[0]
        if found:
            return f"测评标准“{text}”在测评体系中有多条同名标准，请写上标准编号（如 A1-1）。"
        return None


class _RowReader:
    """Reads one row's cells against the campaign, noting each problem with its row and
    column, and the names that match nothing."""

    def __init__(self, campaign: Campaign, result: ImportResult) -> None:
        self.campaign = campaign
        self.result = result
        self.match = _Matcher(campaign)
        self.unit_name = campaign.unit.name

    def problem(self, row: int, column: str, message: str) -> None:
        self.result.problems.append(ReadProblem(row, column, message))

    def standard(self, row: int, v: dict[str, str]) -> Node | None:
        text = v.get("测评标准", "")
        if not text or v.get("测评项目") == OTHER:
            return None
        found = self.match.standard(text)
        if isinstance(found, str):
            self.problem(row, "测评标准", found)
            return None
        if found is None:
            self.problem(
                row,
                "测评标准",
                f"测评标准“{text}”在本次创建的测评体系《{self.campaign.framework.name}》中找不到，请核对编号或标题。",
            )
            _note_unknown(self.result.unknown_standards, text)
        return found

    def department(self, row: int, column: str, name: str) -> Organization | None:
        dept = self.match.departments.get(name)
        if dept is None:
            self.problem(row, column, f"{column}“{name}”不是{self.unit_name}的部门，请核对名称。")
            _note_unknown(self.result.unknown_departments, name)
        return dept

    def co_departments(self, row: int, v: dict[str, str]) -> list[Organization]:
        names = v.get("配合部门", "").replace(",", "、").replace("，", "、").split("、")
        found = [self.department(row, "配合部门", n.strip()) for n in names if n.strip()]
        return [d for d in found if d is not None]

    def responsible(self, row: int, person: str) -> User | None:
        if not person:
            return None
        people = self.match.people.get(person, [])
        if len(people) == 1:
            return people[0]
        if people:
            self.problem(
                row,
                "责任人",
                f"本单位有{len(people)}位名为“{person}”的人员，无法确定是哪一位，请在系统中指派。",
            )
        else:
            self.problem(row, "责任人", f"责任人“{person}”不是{self.unit_name}的人员，请核对姓名。")
            _note_unknown(self.result.unknown_people, person)
        return None

    def deadline(self, r: ReadRow) -> None:
        c = self.campaign
        if r.deadline_error:
            self.problem(
                r.row,
                "完成时限",
                f"完成时限“{r.values.get('完成时限', '')}”不是日期，请写成 2026-06-30 的格式。",
            )
        elif r.deadline and not c.cycle_start <= r.deadline <= c.cycle_end:
            self.problem(
                r.row,
                "完成时限",
                f"完成时限{r.deadline:%Y-%m-%d}不在创建周期（{c.cycle_start:%Y-%m-%d}至{c.cycle_end:%Y-%m-%d}）内。",
            )

    def row(self, r: ReadRow) -> Planned | None:
        v = r.values
        title = v.get("工作任务", "")
        if not title:
            self.problem(r.row, "工作任务", "工作任务为空，请填写任务内容，或删除这一行。")
            return None
        if len(title) > 300:
            self.problem(r.row, "工作任务", "工作任务超过300字，请精简。")
        standard = self.standard(r.row, v)
        lead_name = v.get("牵头部门", "")
        lead = self.department(r.row, "牵头部门", lead_name) if lead_name else None
        co = self.co_departments(r.row, v)
        responsible = self.responsible(r.row, v.get("责任人", ""))
        self.deadline(r)
        note, progress = parse_progress(v.get("进展情况", ""))
        if progress is not None and progress > 100:
            self.problem(r.row, "进展情况", f"进度{progress}%超过100%，请改为0到100之间的数。")
        return Planned(r.row, title, standard, lead, co, responsible, r.deadline, note, progress)


def _note_unknown(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _plan(campaign: Campaign, content: bytes, result: ImportResult) -> list[Planned]:
    rows, problems = tasks_read(content)
    result.problems.extend(problems)
    reader = _RowReader(campaign, result)
    planned: list[Planned] = []
    seen: dict[tuple[str, int | None], int] = {}
    for r in rows:
        p = reader.row(r)
        if p is None:
            continue
        key = (p.title, p.standard.pk if p.standard else None)
        if key in seen:
            reader.problem(
                r.row,
                "工作任务",
                f"与第{seen[key]}行是同一测评标准下的同一任务，请合并或删除一行。",
            )
        seen[key] = r.row
        planned.append(p)
    if not rows and not result.problems:
        result.problems.append(ReadProblem(None, None, "表格中没有任务行。"))
    return planned


def tasks_import(*, campaign: Campaign, content: bytes, user: User) -> ImportResult:
    """Update matching tasks (same title and first standard) and create the others.

    Nothing is written unless every row is right: the result lists each problem with its row
    and column, and the names that could not be matched.
    """
    result = ImportResult()
    planned = _plan(campaign, content, result)
    if not result.ok:
        return result
    existing = _existing_tasks(campaign)
    for p in planned:
        match = existing.get(p.key)
        if match and match.start_date and p.deadline and p.deadline < match.start_date:
            result.problems.append(
                ReadProblem(
                    p.row,
                    "完成时限",
                    f"完成时限{p.deadline:%Y-%m-%d}早于该任务的开始日期{match.start_date:%Y-%m-%d}，请核对。",
                )
            )
    if not result.ok:
        return result
    # The trace entries of every row go in one INSERT.
    with transaction.atomic(), trace.batched():
        for p in planned:
            found = existing.get(p.key)
            if found is None:
                _create(campaign, p, user)
                result.created += 1
            elif _update(found, p, user):
                result.updated += 1
            else:
                result.unchanged += 1
        # At 100 % an imported task is 已完成 only with its proof in (else 待佐证).
        tasks_refresh_proof(campaign=campaign)
    return result


def _existing_tasks(campaign: Campaign) -> dict[tuple[str, int | None], Task]:
    """The campaign's live tasks by (title, first standard of this framework)."""
    framework_nodes = set(
        Node.objects.filter(framework_id=campaign.framework_id).values_list("pk", flat=True)
    )
    existing: dict[tuple[str, int | None], Task] = {}
    for live in counted_tasks(campaign).prefetch_related("standards", "co_departments"):
        standards = sorted(
            (s for s in live.standards.all() if s.pk in framework_nodes), key=lambda s: s.position
        )
        existing.setdefault((live.title, standards[0].pk if standards else None), live)
    return existing


def _create(campaign: Campaign, p: Planned, user: User) -> None:
    task = Task.objects.create(
        campaign=campaign,
        title=p.title,
        lead_department=p.lead,
        responsible=p.responsible,
        deadline=p.deadline,
        progress=p.progress or 0,
        progress_note=p.note,
        status=status_for_progress(p.progress or 0),
        completed_at=None,
        source=TaskSource.IMPORTED,
        created_by=user,
    )
    if p.standard:
        task.standards.set([p.standard])
    task.co_departments.set(p.co)


def _update(task: Task, p: Planned, user: User) -> bool:
    """Bring a matched task in line with its row; True when anything changed."""
    fields = []
    if task.lead_department_id != (p.lead.pk if p.lead else None):
        OwnerChange.objects.create(
            task=task,
            from_department=task.lead_department,
            to_department=p.lead,
            comment="表格导入",
            actor=user,
        )
        task.lead_department = p.lead
        fields.append("lead_department")
    if task.responsible_id != (p.responsible.pk if p.responsible else None):
        task.responsible = p.responsible
        fields.append("responsible")
    if task.deadline != p.deadline:
        task.deadline = p.deadline
        fields.append("deadline")
    if p.note != task.progress_note.strip():
        task.progress_note = p.note
        fields.append("progress_note")
    if p.progress is not None and p.progress != task.progress:
        task.progress = p.progress
        task.status = status_for_progress(p.progress)
        task.completed_at = None  # settled with the proof once every row is in
        fields += ["progress", "status", "completed_at"]
    co_changed = {d.pk for d in task.co_departments.all()} != {d.pk for d in p.co}
    if co_changed:
        task.co_departments.set(p.co)
    if fields:
        task.save(update_fields=[*fields, "updated_at"])
    return bool(fields) or co_changed

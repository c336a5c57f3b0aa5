"""`tasks_import`: read a 《任务分解及工作推进表》 back into a campaign's tasks, all or nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from wenming import trace
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.orgs.models import Membership, Organization
from wenming.tasks.models import OwnerChange, Task, TaskSource, status_for_progress
from wenming.tasks.reports.excel import OTHER, ReadProblem, parse_progress, tasks_read
from wenming.tasks.reports.services import campaign_departments, live_tasks


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


def _plan(campaign: Campaign, content: bytes, result: ImportResult) -> list[Planned]:
    rows, problems = tasks_read(content)
    result.problems.extend(problems)
    match = _Matcher(campaign)
    planned: list[Planned] = []
    seen: dict[tuple[str, int | None], int] = {}

    def problem(row: int, column: str, message: str) -> None:
        result.problems.append(ReadProblem(row, column, message))

    for r in rows:
        v = r.values
        title = v.get("工作任务", "")
        if not title:
            problem(r.row, "工作任务", "工作任务为空，请填写任务内容，或删除这一行。")
            continue
        if len(title) > 300:
            problem(r.row, "工作任务", "工作任务超过300字，请精简。")
        standard: Node | None = None
        std_text = v.get("测评标准", "")
        if std_text and v.get("测评项目") != OTHER:
            found = match.standard(std_text)
            if isinstance(found, str):
                problem(r.row, "测评标准", found)
            elif found is None:
                problem(
                    r.row,
                    "测评标准",
                    f"测评标准“{std_text}”在本次创建的测评体系《{campaign.framework.name}》中找不到，请核对编号或标题。",
                )
                if std_text not in result.unknown_standards:
                    result.unknown_standards.append(std_text)
            else:
                standard = found
        lead = None
        lead_name = v.get("牵头部门", "")
        if lead_name:
            lead = match.departments.get(lead_name)
            if lead is None:
                problem(
                    r.row,
                    "牵头部门",
                    f"牵头部门“{lead_name}”不是{campaign.unit.name}的部门，请核对名称。",
                )
                if lead_name not in result.unknown_departments:
                    result.unknown_departments.append(lead_name)
        co = []
        for name in [
            n.strip()
            for n in v.get("配合部门", "").replace(",", "、").replace("，", "、").split("、")
        ]:
            if not name:
                continue
            dept = match.departments.get(name)
            if dept is None:
                problem(
                    r.row,
                    "配合部门",
                    f"配合部门“{name}”不是{campaign.unit.name}的部门，请核对名称。",
                )
                if name not in result.unknown_departments:
                    result.unknown_departments.append(name)
            else:
                co.append(dept)
        responsible = None
        person = v.get("责任人", "")
        if person:
            people = match.people.get(person, [])
            if len(people) == 1:
                responsible = people[0]
            elif people:
                problem(
                    r.row,
                    "责任人",
                    f"本单位有{len(people)}位名为“{person}”的人员，无法确定是哪一位，请在系统中指派。",
                )
            else:
                problem(
                    r.row, "责任人", f"责任人“{person}”不是{campaign.unit.name}的人员，请核对姓名。"
                )
                if person not in result.unknown_people:
                    result.unknown_people.append(person)
        if r.deadline_error:
            problem(
                r.row,
                "完成时限",
                f"完成时限“{v.get('完成时限', '')}”不是日期，请写成 2026-06-30 的格式。",
            )
        elif r.deadline and not campaign.cycle_start <= r.deadline <= campaign.cycle_end:
            problem(
                r.row,
                "完成时限",
                f"完成时限{r.deadline:%Y-%m-%d}不在创建周期（{campaign.cycle_start:%Y-%m-%d}至{campaign.cycle_end:%Y-%m-%d}）内。",
            )
        note, progress = parse_progress(v.get("进展情况", ""))
        if progress is not None and progress > 100:
            problem(r.row, "进展情况", f"进度{progress}%超过100%，请改为0到100之间的数。")
        key = (title, standard.pk if standard else None)
        if key in seen:
            problem(
                r.row,
                "工作任务",
                f"与第{seen[key]}行是同一测评标准下的同一任务，请合并或删除一行。",
            )
        seen[key] = r.row
        planned.append(
            Planned(r.row, title, standard, lead, co, responsible, r.deadline, note, progress)
        )
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
    framework_nodes = set(
        Node.objects.filter(framework_id=campaign.framework_id).values_list("pk", flat=True)
    )
    existing: dict[tuple[str, int | None], Task] = {}
    for live in live_tasks(campaign).prefetch_related("standards", "co_departments"):
        standards = sorted(
            (s for s in live.standards.all() if s.pk in framework_nodes), key=lambda s: s.position
        )
        existing.setdefault((live.title, standards[0].pk if standards else None), live)
    for p in planned:
        match = existing.get((p.title, p.standard.pk if p.standard else None))
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
    now = timezone.now()
    # The trace entries of every row go in one INSERT.
    with transaction.atomic(), trace.batched():
        for p in planned:
            found = existing.get((p.title, p.standard.pk if p.standard else None))
            if found is None:
                task = Task.objects.create(
                    campaign=campaign,
                    title=p.title,
                    lead_department=p.lead,
                    responsible=p.responsible,
                    deadline=p.deadline,
                    progress=p.progress or 0,
                    progress_note=p.note,
                    status=status_for_progress(p.progress or 0),
                    completed_at=now if (p.progress or 0) >= 100 else None,
                    source=TaskSource.IMPORTED,
                    created_by=user,
                )
                if p.standard:
                    task.standards.set([p.standard])
                task.co_departments.set(p.co)
                result.created += 1
                continue
            task = found
            fields = []
            if task.lead_department_id != (p.lead.pk if p.lead else None):
                OwnerChange.objects.create(
                    task=task,
                    from_department=task.lead_department,
                    to_department=p.lead,
                    reason="表格导入",
                    changed_by=user,
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
                task.completed_at = (task.completed_at or now) if p.progress >= 100 else None
                fields += ["progress", "status", "completed_at"]
            co_changed = {d.pk for d in task.co_departments.all()} != {d.pk for d in p.co}
            if co_changed:
                task.co_departments.set(p.co)
            if fields:
                task.save(update_fields=[*fields, "updated_at"])
            if fields or co_changed:
                result.updated += 1
            else:
                result.unchanged += 1
    return result

"""The demo's tasks (a `demo.load` step): the campaign's standards decomposed, led by the
unit's departments, part way done, one claim waiting, last week's report submitted.

Built only through the services users' actions go through, so the demo obeys the same rules.
Dates are relative to today, so the demo always shows overdue items, this week's work and
a submitted weekly report.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Campaign
from wenming.core.demo import DemoContext
from wenming.orgs.models import Organization
from wenming.tasks import parts, subtasks
from wenming.tasks import services as task_services
from wenming.tasks.models import Task
from wenming.tasks.reports import services as report_services
from wenming.trace.context import acting_as

# Which department leads the tasks of each 测评项目 (by item code).
LEADS = {
    "A": "机关党委",
    "B": "机关党委",
    "C": "办公室",
    "D": "机关党委",
    "E": "人事教育科",
    "F": "登记注册科",
    "G": "办公室",
    "H": "综合执法支队",
    "I": "政策法规科",
}
# Standards whose tasks the food-safety department leads instead (window service).
FOOD_SAFETY = {"F2-2", "F2-3", "F3-1", "H1-1"}


def _clamp(day: datetime.date, campaign: Campaign) -> datetime.date:
    return min(max(day, campaign.cycle_start), campaign.cycle_end)


def load_tasks_step(context: DemoContext) -> None:
    if context.campaign is None:
        return
    coordinator = User.objects.get(username="cjb")
    # The change log names 创建办 for the plan; the department's own steps name its head.
    with acting_as(coordinator):
        context.campaign = load_demo_tasks(context.campaign, coordinator)


@transaction.atomic
def load_demo_tasks(campaign: Campaign, coordinator: User) -> Campaign:
    today = timezone.localdate()
    food_head = User.objects.get(username="keshi")
    departments = {d.name: d for d in campaign.unit.active_departments()}
    task_services.tasks_generate_from_standards(campaign=campaign, user=coordinator)
    tasks = list(
        Task.objects.filter(campaign=campaign).prefetch_related("standards").order_by("id")
    )
    past = _clamp(today - datetime.timedelta(days=45), campaign)
    overdue = _clamp(today - datetime.timedelta(days=6), campaign)
    this_week = _clamp(today + datetime.timedelta(days=(6 - today.weekday())), campaign)
    for index, task in enumerate(tasks):
        code = task.standards.all()[0].code
        if code.startswith("X"):
            continue  # bonus work stays open for departments to claim
        lead = departments["食品安全监管科" if code in FOOD_SAFETY else LEADS[code[0]]]
        deadline: datetime.date | None
        if code.startswith("A"):
            deadline, progress = past, 100
        elif index % 9 == 0:
            deadline, progress = overdue, 40
        elif index % 7 == 0:
            deadline, progress = this_week, 70
        else:
            deadline, progress = task.deadline, (index * 13) % 60
        changes: dict[str, object] = {
            "lead_department": lead,
            "deadline": deadline,
            "is_draft": False,
        }
        if lead.name == "食品安全监管科":
            changes["responsible"] = food_head
        if code == "C2-2":
            changes.update(recurrence="quarterly", target_quantity=4, target_unit="期")
        task_services.task_update(task=task, user=coordinator, **changes)
        if code == "C2-2":
            task_services.occurrences_rebuild(task=task)
        if progress:
            task_services.task_set_progress(task=task, progress=progress)

    # Reported done is not proven done: the A tasks at 100 % stay 待佐证 until the ledger
    # proves them (the ledger's demo step settles that). One needs no ledger of its own:
    # the office waives its proof, with the reason.
    surveyed = Task.objects.filter(campaign=campaign, standards__code="A2-5").first()
    if surveyed is not None:
        task_services.task_waive(
            task=surveyed,
            user=coordinator,
            reason="知晓率、参与率由市文明办年底统一组织问卷测评，结果直接计入，本单位无需另备台账。",
        )

    # Every scored standard has a task now, so the office has marked the plan organized.
    campaign = campaign_services.campaign_mark_organized(campaign=campaign)

    offered = Task.objects.filter(campaign=campaign, lead_department__isnull=True).first()
    if offered is not None:
        with acting_as(food_head):
            task_services.task_claim(
                task=offered,
                department=departments["食品安全监管科"],
                user=food_head,
                note="我科牵头的“食品安全示范街区”创建可作为特色品牌申报。",
            )

    # The food-safety department's report for last week.
    last_monday = report_services.week_monday(today) - datetime.timedelta(days=7)
    if last_monday >= campaign.cycle_start:
        food = departments["食品安全监管科"]
        lines = [
            report_services.LineInput(
                task_id=t.pk, progress=min(100, t.progress + 10), note="按计划推进"
            )
            for t in report_services.department_open_tasks(campaign=campaign, department=food)
        ]
        with acting_as(food_head):
            report_services.report_submit(
                campaign=campaign,
                department=food,
                week_start=last_monday,
                user=food_head,
                data=report_services.ReportInput(
                    done_this_week="完成窗口服务“六有”自查，整改标识牌2处；组织科室人员参加志愿服务1次。",
                    problems="文明用语培训尚未覆盖执法一线人员。",
                    next_week="开展文明用语专题培训；更新服务承诺公示栏。",
                    lines=lines,
                ),
            )

    subtask_task = load_demo_subtasks(campaign, departments["食品安全监管科"], food_head)
    if subtask_task is not None:
        load_demo_part(subtask_task, departments["登记注册科"], coordinator)
    return campaign


def load_demo_part(task: Task, partner: Organization, coordinator: User) -> None:
    """登记注册科 co-operates on the food-safety task that was split, and reports its part."""
    partner_head = User.objects.filter(username="keshi2").first()
    if partner_head is None:
        return
    task_services.task_update(task=task, user=coordinator, co_departments=[partner])
    with acting_as(partner_head):
        parts.part_report(
            task=task,
            department=partner,
            user=partner_head,
            progress=60,
            note="登记窗口已按“六有”要求更新服务指南和便民设施，照片已整理8张，待上传台账。",
        )


def load_demo_subtasks(campaign: Campaign, food: Organization, food_head: User) -> Task | None:
    """The food-safety head splits one of the department's open tasks for its people, so the
    经办人 finds their own sub-tasks in 我的任务 (one of them overdue)."""
    today = timezone.localdate()
    task = (
        Task.objects.counted()
        .filter(campaign=campaign, lead_department=food, deadline__gte=today)
        .order_by("-deadline", "id")
        .first()
    )
    staff = User.objects.filter(username="jingban").first()
    if task is None or staff is None or task.deadline is None:
        return None
    soon = min(task.deadline, _clamp(today + datetime.timedelta(days=10), campaign))
    late = _clamp(today - datetime.timedelta(days=3), campaign)
    pieces = [
        (staff, "撰写心得体会", 2, "篇", soon, 1),
        (staff, "整理窗口服务台账照片", 20, "张", min(late, task.deadline), 12),
        (food_head, "组织科室专题学习", 1, "次", soon, 0),
    ]
    with acting_as(food_head):
        for person, title, target, unit, deadline, achieved in pieces:
            subtask = subtasks.subtask_create(
                task=task,
                department=food,
                assignee=person,
                title=title,
                target_quantity=target,
                target_unit=unit,
                deadline=deadline,
                user=food_head,
            )
            if achieved:
                with acting_as(person):
                    subtasks.subtask_report(
                        subtask=subtask, user=person, achieved_quantity=achieved
                    )
    return task

"""The 《实施方案》 Word document, generated from a campaign plan (R3).

Laid out as a 公文 by the shared helpers in `wenming.core.docx` (A4, 小标宋 title, 仿宋 body,
黑体 and 楷体 headings, page numbers, issuing unit and date at the end).

The standard wording used when the plan leaves 指导思想 / 目标任务 / 工作要求 or a phase's
主要工作 blank lives here, in `standard_text` and `PHASE_STANDARD_TEXT`, and nowhere else.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from docx.document import Document as DocumentObject

from wenming.campaigns.models import PHASE_ORDER, Campaign, Milestone, Phase, PhaseKind
from wenming.core import registry
from wenming.core.docx import DOCX_TYPE as DOCX_TYPE
from wenming.core.docx import HEADING2_FONT as HEADING2_FONT
from wenming.core.docx import TITLE_FONT as TITLE_FONT
from wenming.core.docx import (
    add_signature,
    add_title,
    body,
    chinese_ordinal,
    cn_date,
    heading,
    lead_in,
    new_document,
    to_bytes,
)
from wenming.frameworks.models import FrameworkLevel
from wenming.orgs.models import (
    LeadingGroupMember,
    LeadingGroupPosition,
    Membership,
    Organization,
    Role,
    WorkingGroup,
)

# --- standard wording ------------------------------------------------------------------


def goal_phrase(campaign: Campaign) -> str:
    """ "创建省级文明单位", "创建全国文明单位"."""
    level = FrameworkLevel(campaign.target_level).label if campaign.target_level else ""
    if campaign.target_level == FrameworkLevel.OTHER:
        level = ""
    return f"创建{level}{campaign.target_kind or '文明单位'}"


def standard_text(campaign: Campaign, part: str) -> list[str]:
    """The standard wording of 指导思想 (`guiding_ideas`), 目标任务 (`goals`) or 工作要求
    (`requirements`), used when the plan leaves that part blank. One paragraph per item."""
    unit = campaign.unit.name
    goal = goal_phrase(campaign)
    framework = campaign.framework.name
    if part == "guiding_ideas":
        return [
            "以习近平新时代中国特色社会主义思想为指导，深入贯彻落实党的二十大精神，"
            "坚持以社会主义核心价值观引领精神文明建设，把文明单位创建与业务工作紧密结合，"
            f"按照“一级抓一级、层层抓落实”“谁主管、谁负责”的要求，扎实推进{goal}工作，"
            "努力营造风清气正、文明和谐的工作环境，为各项事业发展提供坚强的思想保证和精神动力。"
        ]
    if part == "goals":
        deadline = (
            f"于{cn_date(campaign.application_date)}前"
            if campaign.application_date
            else f"在{cn_date(campaign.cycle_end)}前"
        )
        return [
            f"对照《{framework}》，逐条分析、分解任务、明确责任，"
            f"在{cn_date(campaign.cycle_start)}至{cn_date(campaign.cycle_end)}的创建周期内，"
            f"使{unit}的思想道德建设、组织领导、内部管理、业务工作、文化建设和环境面貌全面达到"
            f"测评标准，力争{deadline}达到{goal.removeprefix('创建')}标准并完成申报。"
        ]
    if part == "requirements":
        return [
            "（一）提高思想认识。各部门要充分认识创建工作的重要意义，把创建工作列入重要议事日程，"
            "主要负责人亲自抓、负总责，确保各项任务落到实处。",
            "（二）落实工作责任。各部门要对照任务分工，主动认领、对号入座，细化工作措施，"
            "明确责任人和完成时限，倒排工期、挂图作战，按时保质完成各项任务。",
            "（三）注重资料积累。各部门要做到“一事一档”，文字、图片、音像资料及时留存、"
            "及时上报、及时整理归档，确保内容完整、分类规范、管理有序。",
            "（四）加强督促检查。创建办每周汇总各部门工作推进情况，定期督查通报，"
            "对工作不力、影响创建进程的部门和个人严肃问责。",
        ]
    raise ValueError(part)


PHASE_STANDARD_TEXT: dict[str, str] = {
    PhaseKind.MOBILIZE: "召开创建工作动员大会，成立创建工作领导小组及其办公室，制定实施方案，"
    "分解工作任务，通过会议、展板、网站、微信群等多种形式广泛宣传，做到人人知晓、人人参与。",
    PhaseKind.IMPLEMENT: "各部门按照任务分工，对照测评标准逐条落实，扎实开展各项创建活动，"
    "及时收集整理佐证资料；创建办每周汇总工作推进情况，每月召开例会，定期督查通报。",
    PhaseKind.IMPROVE: "对照测评体系开展自查自纠、对标找差，找准差距、分析原因、定出措施、"
    "及时整改，巩固创建成果，总结经验做法，完善长效机制。",
    PhaseKind.APPLY: "整理装订创建工作档案资料，撰写创建工作总结，按要求向文明办提出申报，"
    "做好迎检准备工作。",
}


def plan_text(campaign: Campaign, part: str) -> list[str]:
    """The plan's own text for a part, split into paragraphs, or the standard wording."""
    own = (getattr(campaign, part) or "").strip()
    if own:
        return [line.strip() for line in own.splitlines() if line.strip()]
    return standard_text(campaign, part)


# --- what goes into the document ----------------------------------------------------------


@dataclass
class TaskGroup:
    name: str
    tasks: list[tuple[str, datetime.date | None]] = field(default_factory=list)


@dataclass
class PlanData:
    campaign: Campaign
    phases: list[Phase]
    milestones: dict[int | None, list[Milestone]]
    leading_group: list[LeadingGroupMember]
    working_groups: list[WorkingGroup]
    coordinators: list[str]
    task_groups: list[TaskGroup]
    issued_on: datetime.date


def plan_data(campaign: Campaign, *, issued_on: datetime.date | None = None) -> PlanData:
    """Everything the document shows, in a fixed number of queries."""
    unit = campaign.unit
    phases = list(campaign.phases.order_by("position"))
    milestones: dict[int | None, list[Milestone]] = {}
    for m in (
        campaign.milestones.filter(is_active=True)
        .select_related("owner_department", "owner")
        .order_by("due", "id")
    ):
        milestones.setdefault(m.phase_id, []).append(m)
    position_order = {value: i for i, value in enumerate(LeadingGroupPosition.values)}
    leading_group = sorted(
        LeadingGroupMember.objects.filter(unit=unit, is_active=True).select_related("user"),
        key=lambda m: (position_order.get(m.position, 9), m.sort_order, m.pk),
    )
    working_groups = list(
        WorkingGroup.objects.filter(unit=unit, is_active=True)
        .select_related("leader")
        .prefetch_related(Prefetch("members"))
        .order_by("id")
    )
    coordinators = [
        m.user.get_full_name() or m.user.username
        for m in Membership.objects.filter(
            organization=unit, role=Role.COORDINATOR, is_active=True
        ).select_related("user")
    ]
    groups: dict[int | None, TaskGroup] = {}
    departments: dict[int, Organization] = {}
    # "campaigns.plan_tasks": fn(campaign) -> the campaign's counted tasks by deadline, each
    # with `title`, `deadline` and `lead_department` (the tasks app registers it).
    tasks = [
        t for provide in registry.extensions("campaigns.plan_tasks") for t in provide(campaign)
    ]
    for task in tasks:
        dept = task.lead_department
        key = dept.pk if dept is not None else None
        if dept is not None:
            departments[dept.pk] = dept
        group = groups.setdefault(key, TaskGroup(dept.name if dept is not None else "待认领"))
        group.tasks.append((task.title, task.deadline))
    ordered = sorted(
        (k for k in groups if k is not None),
        key=lambda k: (departments[k].sort_order, departments[k].path),
    )
    task_groups = [groups[k] for k in ordered]
    if None in groups:
        task_groups.append(groups[None])
    return PlanData(
        campaign=campaign,
        phases=phases,
        milestones=milestones,
        leading_group=leading_group,
        working_groups=working_groups,
        coordinators=coordinators,
        task_groups=task_groups,
        issued_on=issued_on or timezone.localdate(),
    )


# --- the document --------------------------------------------------------------------------


def _person(user: object) -> str:
    name = getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", "")
    return str(name)


def plan_title(campaign: Campaign) -> str:
    return f"{campaign.unit.name}关于{goal_phrase(campaign)}的实施方案"


def plan_filename(campaign: Campaign) -> str:
    return f"{plan_title(campaign)}.docx"


def build_plan(data: PlanData) -> bytes:
    campaign = data.campaign
    unit = campaign.unit
    doc = new_document()
    add_title(doc, plan_title(campaign))

    body(
        doc,
        f"为深入推进精神文明建设，扎实做好{goal_phrase(campaign)}工作，"
        f"根据《{campaign.framework.name}》，结合本单位实际，制定本方案。",
    )

    sections = [
        ("指导思想", lambda: _paragraphs(doc, plan_text(campaign, "guiding_ideas"))),
        ("目标任务", lambda: _paragraphs(doc, plan_text(campaign, "goals"))),
        ("组织领导", lambda: _organization(doc, data)),
        ("实施步骤", lambda: _steps(doc, data)),
        ("任务分工", lambda: _division(doc, data)),
        ("工作要求", lambda: _paragraphs(doc, plan_text(campaign, "requirements"))),
    ]
    for index, (name, write) in enumerate(sections, start=1):
        heading(doc, f"{chinese_ordinal(index)}、{name}", 1)
        write()

    add_signature(doc, unit.name, data.issued_on)
    return to_bytes(doc)


def _paragraphs(doc: DocumentObject, texts: Iterable[str]) -> None:
    for text in texts:
        body(doc, text)


def _organization(doc: DocumentObject, data: PlanData) -> None:
    unit = data.campaign.unit
    heading(doc, "（一）创建工作领导小组", 2)
    if data.leading_group:
        body(doc, "为加强对创建工作的组织领导，成立创建工作领导小组，组成如下：")
        for position, label in LeadingGroupPosition.choices:
            members = [m for m in data.leading_group if m.position == position]
            if not members:
                continue
            lead = f"{label}：" if len(label) > 1 else f"{label}　："
            text = "；".join(_person(m.user) + (f"（{m.duty}）" if m.duty else "") for m in members)
            lead_in(doc, lead, text)
    else:
        body(doc, "成立以主要负责人为组长的创建工作领导小组，全面负责创建工作的组织领导。")
    host = unit.campaign_office_host
    office = "领导小组下设办公室（创建办）"
    office += f"，办公室设在{host.name}" if host is not None else ""
    office += f"，{'、'.join(data.coordinators)}同志任办公室主任" if data.coordinators else ""
    office += "，负责创建工作的日常组织协调、督促检查和资料汇总。"
    body(doc, office)
    if data.working_groups:
        heading(doc, "（二）工作组", 2)
        body(doc, "创建办下设以下工作组：")
        for index, group in enumerate(data.working_groups, start=1):
            parts = []
            if group.leader is not None:
                parts.append(f"组长：{_person(group.leader)}")
            names = [_person(u) for u in group.members.all()]
            if names:
                parts.append(f"成员：{'、'.join(names)}")
            if group.duties:
                parts.append(f"职责：{group.duties}")
            lead_in(doc, f"{index}.{group.name}。", "；".join(parts) + ("。" if parts else ""))


def _steps(doc: DocumentObject, data: PlanData) -> None:
    body(doc, "创建工作分四个阶段进行：")
    phases = {p.kind: p for p in data.phases}
    index = 0
    for kind in PHASE_ORDER:
        phase = phases.get(kind)
        if phase is None:
            continue
        index += 1
        heading(doc, f"（{chinese_ordinal(index)}）{phase.name}阶段", 2)
        lead_in(doc, "时间：", f"{cn_date(phase.start)}至{cn_date(phase.end)}。")
        description = phase.description.strip() or PHASE_STANDARD_TEXT.get(kind, "")
        for line in description.splitlines():
            if line.strip():
                body(doc, line.strip())
        for m in data.milestones.get(phase.pk, []):
            owner = m.owner_department.name if m.owner_department else ""
            if m.owner is not None:
                owner = f"{owner}，{_person(m.owner)}" if owner else _person(m.owner)
            lead_in(
                doc,
                f"{cn_date(m.due)}前：",
                m.title + (f"（责任：{owner}）" if owner else "") + "。",
            )
    loose = data.milestones.get(None, [])
    if loose:
        body(doc, "其他时间节点：")
        for m in loose:
            lead_in(doc, f"{cn_date(m.due)}前：", m.title + "。")


def _division(doc: DocumentObject, data: PlanData) -> None:
    if not data.task_groups:
        body(
            doc,
            "各项工作任务由创建办对照测评体系逐条分解，明确牵头部门、责任人和完成时限，"
            "另行印发《任务分解及工作推进表》。",
        )
        return
    body(
        doc,
        "对照测评体系逐条分解工作任务，明确牵头部门和完成时限如下。"
        "尚未明确牵头部门的任务列为“待认领”，由各部门主动认领。",
    )
    for index, group in enumerate(data.task_groups, start=1):
        heading(doc, f"（{chinese_ordinal(index)}）{group.name}", 2)
        for number, (title, deadline) in enumerate(group.tasks, start=1):
            suffix = f"（完成时限：{cn_date(deadline)}）" if deadline else ""
            body(doc, f"{number}.{title}{suffix}")


def campaign_plan_docx(campaign: Campaign, *, issued_on: datetime.date | None = None) -> bytes:
    """The 《实施方案》 of a campaign as .docx bytes."""
    return build_plan(plan_data(campaign, issued_on=issued_on))

"""The task models the trace captures, registered from `TasksConfig.ready()`."""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _exclusion(exclusion: Any) -> str:
    standard = cached_relation(exclusion, "standard")
    return f"{standard.code if standard else '标准'} 不适用"


def _occurrence(occ: Any) -> str:
    return f"第{occ.sequence}次（{occ.due}）"


def _claim(claim: Any) -> str:
    department = cached_relation(claim, "department")
    return f"{department or '部门'} 认领"


def _report(report: Any) -> str:
    department = cached_relation(report, "department")
    return f"{department or '部门'} {report.week_start} 周报"


def _subtask(subtask: Any) -> str:
    assignee = cached_relation(subtask, "assignee")
    who = (assignee.get_full_name() or assignee.username) if assignee else ""
    return f"子任务“{subtask.title}”{f'（{who}）' if who else ''}"


def _part(part: Any) -> str:
    department = cached_relation(part, "department")
    return f"{department or '部门'} 配合进展"


def register_with_trace() -> None:
    from wenming.tasks import access
    from wenming.tasks.models import (
        Occurrence,
        StandardExclusion,
        SubTask,
        Task,
        TaskClaim,
        TaskPart,
        WeeklyReport,
    )
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    register(
        StandardExclusion,
        kind="exclusion",
        unit="campaign.unit",
        parent=("campaign", "campaign"),
        describe=_exclusion,
    )
    register(
        Task,
        kind="task",
        unit="campaign.unit",
        m2m={"standards", "co_departments"},
        ignore={"recurrence_dates"},
    )
    register(
        TaskClaim, kind="claim", unit="task.campaign.unit", parent=("task", "task"), describe=_claim
    )
    register(
        Occurrence,
        kind="occurrence",
        unit="task.campaign.unit",
        parent=("task", "task"),
        describe=_occurrence,
    )
    register(
        SubTask,
        kind="subtask",
        unit="task.campaign.unit",
        parent=("task", "task"),
        describe=_subtask,
    )
    register(WeeklyReport, kind="weekly_report", unit="department", describe=_report)
    register(
        TaskPart,
        kind="task_part",
        unit="task.campaign.unit",
        parent=("task", "task"),
        describe=_part,
    )
    register_history("task", access.get_task_for_history)
    register_history("subtask", access.get_subtask_for_history)

"""Forms of the weekly report and the task table import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from wenming.core.forms import StyledFormMixin
from wenming.tasks.models import Task, WeeklyReport
from wenming.tasks.reports.services import LineInput, ReportInput


class WeeklyReportForm(StyledFormMixin, forms.Form):
    """The three texts as form fields; the task lines read by hand in `clean`, because a
    department can lead hundreds of open tasks and two Field objects per line are slow."""

    done_this_week = forms.CharField(
        label="本周完成情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_week = forms.CharField(
        label="下周工作计划", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        tasks: list[Task],
        report: WeeklyReport | None = None,
        **kwargs: Any,
    ) -> None:
        initial = kwargs.pop("initial", None) or {}
        lines = {line.task_id: line for line in report.lines.all()} if report else {}
        if report is not None:
            initial.update(
                done_this_week=report.done_this_week,
                problems=report.problems,
                next_week=report.next_week,
            )
        super().__init__(*args, initial=initial, **kwargs)
        self.tasks = tasks
        self.line_initial = {
            t.pk: (
                lines[t.pk].progress if t.pk in lines else t.progress,
                lines[t.pk].note if t.pk in lines else "",
            )
            for t in tasks
        }
        self.line_errors: dict[int, str] = {}
        self.lines: list[LineInput] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.lines = []
        for t in self.tasks:
            raw = str(self.data.get(f"progress_{t.pk}", "")).strip()
            note = str(self.data.get(f"note_{t.pk}", "")).strip()
            try:
                progress = int(raw)
            except ValueError:
                self.line_errors[t.pk] = (
                    f"请填写“{t.title}”的进度（0到100之间的整数）。"
                    if not raw
                    else f"“{t.title}”的进度应为0到100之间的整数，现在是“{raw}”。"
                )
                continue
            if not 0 <= progress <= 100:
                self.line_errors[t.pk] = f"“{t.title}”的进度应在0到100之间，现在是{progress}。"
                continue
            self.lines.append(LineInput(task_id=t.pk, progress=progress, note=note))
        if self.line_errors:
            raise forms.ValidationError(
                f"有{len(self.line_errors)}项任务的进度需要修改，请看下面标红的地方。您填写的内容都还在。"
            )
        return data

    def line_rows(self) -> list[dict[str, Any]]:
        rows = []
        for t in self.tasks:
            progress, note = self.line_initial[t.pk]
            if self.is_bound:
                progress = self.data.get(f"progress_{t.pk}", "")
                note = self.data.get(f"note_{t.pk}", "")
            rows.append(
                {
                    "task": t,
                    "progress_name": f"progress_{t.pk}",
                    "progress_value": progress,
                    "progress_error": self.line_errors.get(t.pk, ""),
                    "note_name": f"note_{t.pk}",
                    "note_value": note,
                }
            )
        return rows

    def lines_html(self) -> str:
        """The table rows, built here rather than in a template loop: a department may have
        hundreds of open tasks, and the template engine takes ~0.3 ms per row."""
        parts = []
        for row in self.line_rows():
            t = row["task"]
            person = t.responsible.first_name or t.responsible.username if t.responsible else ""
            error = row["progress_error"]
            parts.append(
                format_html(
                    '<tr><td>{}{}</td><td class="small d-none d-sm-table-cell">{}</td>'
                    '<td><input type="number" min="0" max="100" step="5" inputmode="numeric"'
                    ' class="form-control form-control-sm{}" name="{}" value="{}"'
                    ' aria-label="进度（%）">{}</td>'
                    '<td><input type="text" class="form-control form-control-sm" name="{}"'
                    ' value="{}" placeholder="如：已完成方案初稿" aria-label="本周进展"></td></tr>',
                    t.title,
                    format_html('<div class="small text-muted">责任人：{}</div>', person)
                    if person
                    else "",
                    t.deadline.isoformat() if t.deadline else "—",
                    " is-invalid" if error else "",
                    row["progress_name"],
                    row["progress_value"],
                    format_html('<div class="invalid-feedback d-block">{}</div>', error)
                    if error
                    else "",
                    row["note_name"],
                    row["note_value"],
                )
            )
        return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            done_this_week=data["done_this_week"].strip(),
            problems=data["problems"].strip(),
            next_week=data["next_week"].strip(),
            lines=self.lines,
        )


class TasksImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="推进表文件（.xlsx）",
        error_messages={"required": "请选择要导入的推进表文件。"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(
                "请上传 Excel（.xlsx）格式的文件；.xls 请先在 Excel 中另存为 .xlsx。"
            )
        return upload

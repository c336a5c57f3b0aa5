"""Request and response shapes of the evidence API (`wenming.ledger.api`).

Inputs derive from `api_input.Input`: the review actions and the binder export take JSON or
form fields; an upload is multipart (its fields as `Form[EvidenceIn]`, its files as `File`).
Text fields carry the `max_length` of their model column.
"""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from wenming.core import api_input
from wenming.core.api_input import Input, column_length
from wenming.ledger.models import BinderExport, EvidenceItem


class FileOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    page_count: int | None
    taken_at: datetime.datetime | None
    flags: list[dict[str, Any]]
    url: str


class CompletenessOut(Schema):
    has_text: bool
    has_photo: bool
    has_result: bool
    complete: bool
    missing: list[str]


class EventOut(Schema):
    kind: str
    label: str
    comment: str
    actor: str | None
    at: datetime.datetime


class ItemOut(Schema):
    id: int
    campaign_id: int
    title: str
    year: int
    activity_date: datetime.date | None
    place: str
    participant_count: int | None
    participants: str
    summary: str
    result: str
    department_id: int
    department_name: str
    task_id: int | None
    task_title: str | None
    standard_codes: list[str]
    status: str
    status_label: str
    return_count: int
    review_comment: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    created_at: datetime.datetime
    removed_at: datetime.datetime | None
    files: list[FileOut]
    completeness: CompletenessOut


class ItemDetailOut(ItemOut):
    events: list[EventOut]


class ItemPage(Schema):
    items: list[ItemOut]
    count: int


ErrorOut = api_input.ErrorOut


class NamedOut(Schema):
    id: int
    name: str


class StandardRowOut(Schema):
    standard_id: int
    code: str
    title: str
    points: str
    state: str
    label: str
    items: int
    complete_items: int
    approved_complete: int
    pending: int
    returned: int
    needs: list[str]
    departments: list[NamedOut]
    tasks: list[NamedOut]


class DepartmentGapOut(Schema):
    department_id: int | None
    department_name: str | None
    standards: int
    complete: int
    percent: int
    points_at_stake: str


class GapsOut(Schema):
    standards: int
    complete: int
    percent: int
    points_total: str
    points_proven: str
    gaps: list[StandardRowOut]
    departments: list[DepartmentGapOut]


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 413: ErrorOut}


class EvidenceIn(Input):
    """The fields of an upload (multipart, beside the files)."""

    campaign: int = Field(description="创建工作编号")
    task: int | None = Field(None, description="工作任务编号（可选）")
    department: int | None = Field(None, description="上传部门（可选，默认任务的牵头部门）")
    standards: list[int] = Field(
        [], description="佐证的测评标准编号（可重复；可选，默认任务的测评标准）"
    )
    title: str = Field("", max_length=column_length(EvidenceItem, "title"), description="台账名称")
    activity_date: datetime.date | None = None
    place: str = Field("", max_length=column_length(EvidenceItem, "place"))
    participant_count: int | None = None
    participants: str = ""
    summary: str = Field("", description="活动情况")
    result: str = Field("", description="取得成效")


class EvidencePatch(Input):
    """Changed fields of an item; `standards` replaces the list when given."""

    title: str | None = Field(None, max_length=column_length(EvidenceItem, "title"))
    activity_date: datetime.date | None = None
    place: str | None = Field(None, max_length=column_length(EvidenceItem, "place"))
    participant_count: int | None = None
    participants: str | None = None
    summary: str | None = None
    result: str | None = None
    standards: list[int] | None = None


class CommentIn(Input):
    comment: str = ""


class ExportIn(Input):
    campaign: int
    format: str = Field(
        max_length=column_length(BinderExport, "format"),
        description="pdf（台账汇编）或 zip（文件夹）",
    )
    department: int | None = None
    year: int | None = None
    standards: list[int] = []
    approved_only: bool = False


class YearIn(Input):
    campaign: int
    year: int = Field(ge=2000, le=2100)
    reason: str = Field("", max_length=2000, description="取消归档时必填，留档备查")


class YearOut(Schema):
    year: int
    archived: bool


class ExportOut(Schema):
    id: int
    campaign_id: int
    format: str
    format_label: str
    department_id: int | None
    year: int | None
    approved_only: bool
    status: str
    status_label: str
    progress: int
    stage: str
    error: str
    item_count: int
    file_count: int
    size: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    download_url: str | None

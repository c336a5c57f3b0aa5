"""Request and response shapes of the evidence API (`wenming.ledger.api`).

Uploads are multipart and read by the routes themselves, so their forms are described for
OpenAPI here by hand (`CREATE_FORM`, `FILES_FORM`).
"""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema

from wenming.core import api_input


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


ERRORS = {400: ErrorOut, 413: ErrorOut}

CREATE_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["campaign", "title", "files"],
                    "properties": {
                        "campaign": {"type": "integer", "description": "创建工作编号"},
                        "task": {"type": "integer", "description": "工作任务编号（可选）"},
                        "department": {
                            "type": "integer",
                            "description": "上传部门（可选，默认任务的牵头部门）",
                        },
                        "standards": {
                            "type": "array",
                            "items": {"type": "integer"},
                            "description": "佐证的测评标准编号（可选，默认任务的测评标准）",
                        },
                        "title": {"type": "string", "description": "台账名称"},
                        "activity_date": {"type": "string", "format": "date"},
                        "place": {"type": "string"},
                        "participant_count": {"type": "integer"},
                        "participants": {"type": "string"},
                        "summary": {"type": "string", "description": "活动情况"},
                        "result": {"type": "string", "description": "取得成效"},
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                }
            }
        },
        "required": True,
    }
}
FILES_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            }
        },
        "required": True,
    }
}


def text_body(*fields: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {f: {"type": "string"} for f in fields}}
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
            "required": False,
        }
    }


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

"""Ledger fixtures: a campaign with one task per department, and real files made in code.

`ledger_task` is a task of 食品安全监管科 (the `dept_head`/`staff` personas' department) on the
first basic standard; `other_task` belongs to 登记注册科. Files are written to a private
storage directory per test (MEDIA_ROOT under tmp_path), so tests see real files on disk.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def jpeg(
    color: tuple[int, int, int] = (200, 30, 30),
    *,
    taken: datetime.datetime | None = None,
    size: tuple[int, int] = (640, 480),
    pattern: int = 0,
) -> bytes:
    """A real JPEG photo; `pattern` draws different shapes so photos differ in content."""
    from PIL import ImageDraw

    im = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(im)
    w, h = size
    for i in range(6):
        box = (
            (i * 97 + pattern * 53) % w,
            (i * 61 + pattern * 29) % h,
            (i * 97 + pattern * 53) % w + w // 4,
            (i * 61 + pattern * 29) % h + h // 5,
        )
        draw.ellipse(box, fill=((i * 40 + pattern * 70) % 255, 200 - i * 20, (pattern * 90) % 255))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85, exif=exif)
    return buf.getvalue()


def docx(text: str = "道德讲堂活动方案") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


ITEM_FIELDS = {
    "title": "3月道德讲堂",
    "activity_date": datetime.date(2026, 3, 20),
    "place": "局机关三楼会议室",
    "participant_count": 45,
    "participants": "",
    "summary": "邀请身边好人讲述敬业故事，干部职工45人参加。",
    "result": "干部职工撰写心得体会32篇。",
}


@pytest.fixture
def ledger_task(campaign, demo, coordinator):  # type: ignore[no-untyped-def]
    from wenming.frameworks.models import Node
    from wenming.tasks.models import Task

    standard = (
        Node.objects.filter(framework=campaign.framework, is_leaf=True, section="basic")
        .order_by("position")
        .first()
    )
    task = Task.objects.create(
        campaign=campaign,
        title="每月开展道德讲堂",
        lead_department=demo["food"],
        deadline=datetime.date(2026, 12, 31),
        created_by=coordinator,
    )
    task.standards.add(standard)
    return task


@pytest.fixture
def other_task(campaign, demo, coordinator):  # type: ignore[no-untyped-def]
    from wenming.frameworks.models import Node
    from wenming.tasks.models import Task

    standard = Node.objects.filter(
        framework=campaign.framework, is_leaf=True, section="basic"
    ).order_by("position")[1]
    task = Task.objects.create(
        campaign=campaign,
        title="窗口单位文明服务",
        lead_department=demo["registry"],
        deadline=datetime.date(2026, 12, 31),
        created_by=coordinator,
    )
    task.standards.add(standard)
    return task


@pytest.fixture
def make_item(campaign, ledger_task, staff):  # type: ignore[no-untyped-def]
    """File an item through the service: `make_item(files=[...], **fields)`."""
    from wenming.ledger import services

    def make(
        files: list[Any] | None = None,
        *,
        task: Any = None,
        user: Any = None,
        department: Any = None,
        **fields: Any,
    ) -> Any:
        task = task or ledger_task
        if files is None:
            files = [
                upload("讲堂现场.jpg", jpeg(taken=datetime.datetime(2026, 3, 20, 15, 0))),
                upload("活动方案.docx", docx()),
            ]
        return services.item_create(
            campaign=campaign,
            task=task,
            department=department or task.lead_department,
            user=user or staff,
            fields={**ITEM_FIELDS, **fields},
            uploads=files,
        )

    return make

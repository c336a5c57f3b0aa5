"""Ledger screens (R5) in the permission matrix.

Evidence is narrower than tasks: the unit-wide roles and the office above read the whole
ledger, a department only its own items (here 食品安全监管科: keshi, jingban). Department
people change their items until approved; reviewing, the recycle bin and archiving take the
unit's 创建办 (the office admin reads the ledger, 403 on every change). Adding files is sent
without files, so an allowed persona is told what is missing (400) and nothing reaches storage.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import timezone

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, no_args, unit_read, unit_work

SAMPLE_NAME = "evidence/matrix/sample.jpg"
THUMB_NAME = "thumbs/matrix/sample.jpg"


def _sample_jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (180, 40, 40)).save(buf, "JPEG")
    return buf.getvalue()


def _stored(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not default_storage.exists(name):
        return default_storage.save(name, ContentFile(_sample_jpeg()))
    return name


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Node
    from wenming.ledger.models import EvidenceFile, EvidenceItem, ItemStatus, YearArchive
    from wenming.tasks.models import Task

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    standard = (
        Node.objects.filter(framework=campaign.framework, is_leaf=True, section="basic")
        .order_by("position")
        .first()
    )
    task = Task.objects.create(
        campaign=campaign,
        title="每月开展道德讲堂（台账）",
        lead_department=base["food"],
        deadline=datetime.date(2026, 12, 31),
    )
    task.standards.add(standard)

    def item(**extra: Any) -> EvidenceItem:
        made = EvidenceItem.objects.create(
            campaign=campaign,
            unit=base["unit"],
            department=base["food"],
            task=task,
            year=2026,
            title="3月道德讲堂",
            activity_date=datetime.date(2026, 3, 20),
            summary="干部职工45人参加。",
            result="撰写心得32篇。",
            **extra,
        )
        made.standards.add(standard)
        return made

    live = item()
    photo_name = _stored(SAMPLE_NAME)
    files = [
        EvidenceFile.objects.create(
            item=live,
            unit=base["unit"],
            year=2026,
            position=n,
            file=photo_name,
            thumbnail=_stored(THUMB_NAME),
            original_name=f"讲堂现场{n}.jpg",
            kind="photo",
            content_type="image/jpeg",
            extension="jpg",
            size=1000,
            sha256=f"{n:064d}",
        )
        for n in range(2)
    ]
    YearArchive.objects.create(unit=base["unit"], year=2024, archived=True)
    return {
        "ledger_campaign": campaign,
        "ledger_task": task,
        "ledger_item": live,
        "ledger_file": files[0],
        "ledger_returned": item(status=ItemStatus.RETURNED, review_comment="请补充签到表"),
        "ledger_binned": item(removed_at=timezone.now()),
    }


def _campaign(t: dict[str, Any]) -> list[Any]:
    return [t["ledger_campaign"].pk]


def _task(t: dict[str, Any]) -> list[Any]:
    return [t["ledger_task"].pk]


def _item(t: dict[str, Any]) -> list[Any]:
    return [t["ledger_item"].pk]


def _file(t: dict[str, Any]) -> list[Any]:
    return [t["ledger_file"].pk]


def _department_and(ok: int) -> dict[str, int]:
    """The item's department people and the 创建办; the rest of the unit (and the office
    admin above) is refused."""
    table = unit_work(ok)
    table.update(staff=ok, dept_head=ok)
    return table


def _bin(t: dict[str, Any]) -> list[Any]:
    return [t["ledger_binned"].pk]


ROUTES: dict[str, Route] = {
    "ledger:mine": Route("GET", no_args, expect(302)),
    "ledger:campaign": Route("GET", _campaign, unit_read()),
    "ledger:items": Route("GET", _campaign, unit_read()),
    "ledger:new_for_campaign": Route("GET", _campaign, unit_work(200)),
    "ledger:review": Route("GET", _campaign, unit_work(200)),
    "ledger:bin": Route("GET", _campaign, unit_work(200)),
    "ledger:archive": Route("GET", _campaign, unit_read()),
    "ledger:archive_year": Route("POST", _campaign, unit_work(302), data=lambda t: {"year": 2025}),
    "ledger:unarchive_year": Route(
        "POST", _campaign, unit_work(302), data=lambda t: {"year": 2024, "reason": "补录材料"}
    ),
    "ledger:dossier": Route("GET", _task, unit_read()),
    "ledger:new": Route("GET", _task, _department_and(200)),
    "ledger:item": Route("GET", _item, unit_read()),
    "ledger:edit": Route("GET", _item, _department_and(200)),
    "ledger:add_files": Route("POST", _item, _department_and(400)),
    "ledger:file_remove": Route("POST", _file, _department_and(302)),
    "ledger:resubmit": Route("POST", lambda t: [t["ledger_returned"].pk], _department_and(302)),
    "ledger:approve": Route("POST", _item, unit_work(302)),
    "ledger:return": Route(
        "POST", _item, unit_work(302), data=lambda t: {"comment": "请补充签到表"}
    ),
    "ledger:remove": Route("POST", _item, _department_and(302)),
    "ledger:restore": Route("POST", _bin, unit_work(302)),
    "ledger:purge": Route("POST", _bin, unit_work(302)),
    "ledger:file": Route("GET", _file, unit_read()),
    "ledger:thumb": Route("GET", _file, unit_read()),
}

"""Evidence API routes (R5) in the permission matrix.

Evidence is narrower than tasks: the unit-wide roles and the office above read the whole
ledger, a department only its own items (here 食品安全监管科: keshi, jingban). Reviewing
and the recycle bin take the unit's 创建办 (the office admin reads only: 403). Uploads are sent without
files, so an allowed persona is told what is missing (422) and nothing reaches storage.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, no_args, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.campaigns.models import Campaign
    from wenming.ledger.models import (
        BinderExport,
        EvidenceFile,
        EvidenceItem,
        ItemStatus,
        YearArchive,
    )
    from wenming.tasks.models import Task

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    task = Task.objects.create(
        campaign=campaign,
        title="每月开展道德讲堂",
        lead_department=base["food"],
        deadline=datetime.date(2026, 12, 31),
    )

    def item(**extra: Any) -> EvidenceItem:
        return EvidenceItem.objects.create(
            campaign=campaign,
            unit=base["unit"],
            department=base["food"],
            task=task,
            year=2026,
            title="3月道德讲堂",
            activity_date=datetime.date(2026, 3, 20),
            **extra,
        )

    first = item()
    YearArchive.objects.create(unit=base["unit"], year=2019, archived=True)
    return {
        "api_file": EvidenceFile.objects.create(
            item=first,
            unit=base["unit"],
            file="evidence/matrix/签到表.jpg",
            original_name="签到表.jpg",
            kind="photo",
            content_type="image/jpeg",
            extension="jpg",
            size=1024,
            sha256="0" * 64,
            year=2026,
        ),
        "api_campaign": campaign,
        "api_task": task,
        "api_item": first,
        "api_returned_item": item(status=ItemStatus.RETURNED, review_comment="请补充签到表"),
        "api_binned_item": item(removed_at=timezone.now()),
        "api_export": BinderExport.objects.create(
            campaign=campaign,
            unit=base["unit"],
            format="zip",
            requested_by=User.objects.get(username="jingban"),
        ),
    }


def _item(t: dict[str, Any]) -> list[Any]:
    return [t["api_item"].pk]


# Changing an item: its department's people and the 创建办; the rest of the unit and the
# office admin above read it.
EDIT = expect(403, anonymous=401, outsider_admin=404)
EDIT.update(staff=200, dept_head=200, coordinator=200)
# Uploads without files: allowed personas are told to add files (422).
UPLOAD = {p: 422 if code == 200 else code for p, code in EDIT.items()}
MANAGE = unit_work(200, anonymous=401)

ROUTES: dict[str, Route] = {
    "api:evidence_list": Route(
        "GET", no_args, expect(200, anonymous=401), query="?campaign={api_campaign}"
    ),
    "api:evidence_detail": Route("GET", _item, unit_read(anonymous=401)),
    # DELETE shares the detail's address; the matrix client sends GET and POST only, so the
    # DELETE itself is covered by tests/ledger/test_api.py.
    "api:evidence_delete": Route("GET", _item, unit_read(anonymous=401)),
    "api:evidence_standards": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={api_campaign}"
    ),
    "api:evidence_gaps": Route(
        "GET", no_args, unit_read(anonymous=401), query="?campaign={api_campaign}"
    ),
    "api:evidence_create": Route(
        "POST",
        no_args,
        UPLOAD,
        data=lambda t: {"campaign": t["api_campaign"].pk, "task": t["api_task"].pk},
    ),
    "api:evidence_add_files": Route("POST", _item, UPLOAD),
    "api:evidence_approve": Route("POST", _item, unit_work(200, anonymous=401)),
    "api:evidence_return": Route(
        "POST", _item, unit_work(200, anonymous=401), data=lambda t: {"comment": "请补充签到表"}
    ),
    "api:evidence_resubmit": Route("POST", lambda t: [t["api_returned_item"].pk], EDIT),
    "api:evidence_restore": Route(
        "POST", lambda t: [t["api_binned_item"].pk], unit_work(200, anonymous=401)
    ),
    # Binders: whoever sees the whole ledger binds it; a department only its own part, so
    # without a department it is told to choose one (422).
    "api:evidence_export_create": Route(
        "POST",
        no_args,
        expect(201, anonymous=401, outsider_admin=404, staff=422, dept_head=422),
        data=lambda t: {"campaign": t["api_campaign"].pk, "format": "zip"},
    ),
    "api:evidence_update": Route("PATCH", _item, EDIT, data=lambda t: {"place": "三楼会议室"}),
    # The item's only file: the allowed personas are told to keep one (422).
    "api:evidence_file_remove": Route(
        "POST", lambda t: [t["api_file"].pk], {p: 422 if c == 200 else c for p, c in EDIT.items()}
    ),
    # In the bin only since today: the managers are told when it may be purged (422).
    "api:evidence_purge": Route(
        "POST", lambda t: [t["api_binned_item"].pk], unit_work(422, anonymous=401)
    ),
    "api:evidence_archive_year": Route(
        "POST", no_args, MANAGE, data=lambda t: {"campaign": t["api_campaign"].pk, "year": 2020}
    ),
    "api:evidence_unarchive_year": Route(
        "POST",
        no_args,
        MANAGE,
        data=lambda t: {"campaign": t["api_campaign"].pk, "year": 2019, "reason": "补录材料"},
    ),
    # An export is seen by who asked for it (jingban), the 创建办 and the office admin above.
    "api:evidence_export_detail": Route(
        "GET",
        lambda t: [t["api_export"].pk],
        expect(404, anonymous=401, staff=200, coordinator=200, office_admin=200),
    ),
}

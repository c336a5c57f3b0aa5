"""Evidence writes are traced: upload, review (a queryset update), file removal, bin, purge."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.ledger.conftest import docx, jpeg, upload
from tests.ledger.test_screens import form_data, photo, word
from tests.trace.conftest import changes_of, last_change
from wenming.ledger.models import EvidenceItem
from wenming.trace.models import Action, Change

pytestmark = pytest.mark.django_db


def test_upload_through_the_form_records_item_and_files(as_user, staff, ledger_task) -> None:
    as_user(staff).post(
        reverse("ledger:new", args=[ledger_task.pk]), form_data(ledger_task, [photo(), word()])
    )
    item = EvidenceItem.objects.get()
    created = last_change(item, action=Action.CREATE)
    assert created.actor == staff
    assert created.changes["台账名称"] == ["", "3月道德讲堂"]
    assert created.changes["活动日期"] == ["", "2026-03-20"]
    assert created.changes["审核状态"] == ["", "待审核"]
    files = Change.objects.filter(kind="evidence_file", parent_kind="evidence", parent_id=item.pk)
    assert sorted(f.object_repr for f in files) == ["活动方案.docx", "讲堂现场.jpg"]
    assert all(f.actor == staff for f in files)


def test_review_by_queryset_update_is_recorded(as_user, coordinator, make_item) -> None:
    item = make_item()
    as_user(coordinator).post(reverse("ledger:return", args=[item.pk]), {"comment": "照片不清楚"})
    change = last_change(item, action=Action.UPDATE)
    assert change.actor == coordinator
    assert change.changes["审核状态"] == ["待审核", "已退回"]
    assert change.changes["审核意见"] == ["", "照片不清楚"]
    assert change.changes["审核人"] == ["", "李文静"]


def test_edit_file_removal_and_bin(as_user, staff, coordinator, make_item) -> None:
    item = make_item()
    client = as_user(staff)
    data = form_data(item.task, [], title="3月道德讲堂（补充）")
    data.pop("files")
    response = client.post(reverse("ledger:edit", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    edit = last_change(item, action=Action.UPDATE, actor=staff)
    assert edit.changes["台账名称"] == ["3月道德讲堂", "3月道德讲堂（补充）"]

    photo_file = item.files.get(original_name="讲堂现场.jpg")
    client.post(reverse("ledger:file_remove", args=[photo_file.pk]))
    removed = last_change(photo_file, action=Action.UPDATE)
    assert removed.actor == staff and removed.parent_id == item.pk
    assert removed.changes["删除时间"][0] == ""

    as_user(coordinator).post(reverse("ledger:remove", args=[item.pk]), {"reason": "重复"})
    binned = last_change(item, action=Action.UPDATE, actor=coordinator)
    assert binned.changes["删除时间"][0] == ""
    assert binned.changes["删除人"] == ["", "李文静"]


def test_purge_records_deletes(as_user, coordinator, make_item) -> None:
    import time_machine

    from wenming.ledger import services

    item = make_item(files=[upload("方案.docx", docx()), upload("现场.jpg", jpeg(), "image/jpeg")])
    pk = item.pk
    services.item_remove(item=item, user=coordinator)
    later = datetime.datetime.now() + datetime.timedelta(days=400)
    with time_machine.travel(later), override_settings(WENMING_RECYCLE_RETENTION_DAYS=30):
        as_user(coordinator).post(reverse("ledger:purge", args=[pk]))
    assert not EvidenceItem.objects.filter(pk=pk).exists()
    deleted = Change.objects.get(kind="evidence", object_id=pk, action=Action.DELETE)
    assert deleted.actor == coordinator
    assert deleted.changes["台账名称"] == ["3月道德讲堂", ""]
    assert deleted.unit_path
    assert (
        Change.objects.filter(kind="evidence_file", parent_id=pk, action=Action.DELETE).count() == 2
    )
    # The history of the purged item stays with the log.
    assert len(changes_of(item)) >= 3


def test_archive_and_unarchive_with_reason(as_user, coordinator, make_item) -> None:
    from wenming.ledger.models import YearArchive

    item = make_item()
    office = as_user(coordinator)
    office.post(reverse("ledger:approve", args=[item.pk]))
    office.post(reverse("ledger:archive_year", args=[item.campaign_id]), {"year": 2026})
    archive = YearArchive.objects.get(year=2026)
    assert last_change(archive).changes["已归档"] == ["否", "是"]
    office.post(
        reverse("ledger:unarchive_year", args=[item.campaign_id]),
        {"year": 2026, "reason": "补录一份材料"},
    )
    reopened = last_change(archive)
    assert reopened.actor == coordinator
    assert reopened.changes == {"已归档": ["是", "否"], "原因": ["", "补录一份材料"]}
    assert reopened.unit_path == item.unit.path

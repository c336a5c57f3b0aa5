"""The ledger's rules, through its services, with real files on disk."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from tests.ledger.conftest import docx, jpeg, upload
from wenming.ledger import services
from wenming.ledger.models import EventKind, EvidenceFile, EvidenceItem, ItemStatus

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_filing_keeps_files_under_our_own_names(make_item):
    item = make_item()
    files = list(item.files.all())
    assert [f.original_name for f in files] == ["讲堂现场.jpg", "活动方案.docx"]
    assert {f.kind for f in files} == {"photo", "document"}
    for f in files:
        assert "讲堂" not in f.file.name and "方案" not in f.file.name
        assert Path(f.file.path).is_file()
    assert item.year == 2026
    assert item.status == ItemStatus.SUBMITTED
    assert list(item.events.values_list("kind", flat=True)) == [EventKind.CREATED]


def test_one_refused_file_stores_nothing(make_item):
    bad = upload("照片.jpg", b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(ValidationError) as err:
        make_item(files=[upload("a.jpg", jpeg()), bad])
    assert "照片.jpg" in str(err.value)
    assert EvidenceItem.objects.count() == 0
    assert stored_files() == []


def test_same_file_again_is_flagged_with_where(make_item):
    photo = jpeg(pattern=3)
    make_item(
        files=[upload("a.jpg", photo)],
        title="2025年道德讲堂",
        activity_date=datetime.date(2025, 5, 1),
    )
    second = make_item(files=[upload("b.jpg", photo)])
    flags = second.files.get().flags
    assert flags[0]["kind"] == "duplicate"
    assert "2025年“2025年道德讲堂”台账" in flags[0]["message"]


def test_recompressed_photo_is_flagged_similar(make_item):
    import io

    from PIL import Image

    original = jpeg(pattern=5, size=(800, 600))
    im = Image.open(io.BytesIO(original)).resize((640, 480))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=60)
    make_item(
        files=[upload("a.jpg", original)], title="道德讲堂", activity_date=datetime.date(2025, 4, 1)
    )
    second = make_item(files=[upload("b.jpg", buf.getvalue())])
    kinds = [f["kind"] for f in second.files.get().flags]
    assert kinds == ["similar"]
    assert "2025年“道德讲堂”台账" in second.files.get().flags[0]["message"]


def test_photo_far_from_activity_date_is_flagged(make_item):
    item = make_item(
        files=[upload("a.jpg", jpeg(taken=datetime.datetime(2025, 3, 20, 9, 0)))],
    )
    flag = item.files.get().flags[0]
    assert flag["kind"] == "date"
    assert "相差365天" in flag["message"]


def test_review_return_and_resubmit(make_item, coordinator, staff):
    item = make_item()
    with pytest.raises(ValidationError):
        services.item_return(item=item, user=coordinator, comment=" ")
    services.item_return(item=item, user=coordinator, comment="请补充签到表")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED and item.return_count == 1
    services.item_resubmit(item=item, user=staff)
    services.item_approve(item=item, user=coordinator)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert list(item.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.RETURNED,
        EventKind.RESUBMITTED,
        EventKind.APPROVED,
    ]


def test_second_reviewer_is_told_it_was_decided(make_item, coordinator):
    item = make_item()
    stale = EvidenceItem.objects.get(pk=item.pk)
    services.item_approve(item=item, user=coordinator)
    with pytest.raises(ValidationError, match="已被审核（当前状态：已通过）"):
        services.item_return(item=stale, user=coordinator, comment="照片不清楚")
    assert EvidenceItem.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_archived_year_is_read_only_until_reopened_with_reason(make_item, coordinator, demo):
    item = make_item()
    with pytest.raises(ValidationError, match="待审核"):
        services.year_archive(unit=demo["unit"], year=2026, user=coordinator)
    services.item_approve(item=item, user=coordinator)
    services.year_archive(unit=demo["unit"], year=2026, user=coordinator)
    with pytest.raises(ValidationError, match="已归档"):
        services.item_update(item=item, user=coordinator, fields={"place": "食堂"})
    with pytest.raises(ValidationError, match="已归档"):
        make_item()
    with pytest.raises(ValidationError):
        services.year_unarchive(unit=demo["unit"], year=2026, user=coordinator, reason="")
    services.year_unarchive(unit=demo["unit"], year=2026, user=coordinator, reason="补充材料")
    services.item_update(item=item, user=coordinator, fields={"place": "食堂"})


def test_recycle_bin_keeps_files_until_purged_after_retention(make_item, coordinator):
    item = make_item()
    paths = [Path(f.file.path) for f in item.files.all()]
    services.item_remove(item=item, user=coordinator, reason="重复上传")
    assert not EvidenceItem.objects.live().filter(pk=item.pk).exists()
    assert all(p.is_file() for p in paths)
    with pytest.raises(ValidationError, match="须保留30天"):
        services.item_purge(item=EvidenceItem.objects.get(pk=item.pk), user=coordinator)
    services.item_restore(item=EvidenceItem.objects.get(pk=item.pk), user=coordinator)
    assert EvidenceItem.objects.live().filter(pk=item.pk).exists()
    services.item_remove(item=item, user=coordinator)
    EvidenceItem.objects.filter(pk=item.pk).update(
        removed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    services.item_purge(item=EvidenceItem.objects.get(pk=item.pk), user=coordinator)
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert not EvidenceFile.objects.exists()


def test_database_failure_leaves_no_file(make_item, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(EvidenceFile, "save", broken)
    with pytest.raises(RuntimeError):
        make_item(files=[upload("a.jpg", jpeg()), upload("b.docx", docx())])
    assert EvidenceItem.objects.count() == 0
    assert stored_files() == []


def test_only_standards_of_the_campaigns_system(campaign, demo, staff):
    from wenming.frameworks.models import Node

    item_group = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    with pytest.raises(ValidationError, match="不是本次创建所用测评体系中的测评标准"):
        services.item_create(
            campaign=campaign,
            department=demo["food"],
            user=staff,
            fields={"title": "x"},
            uploads=[upload("a.jpg", jpeg())],
            standards=[item_group],
        )
    assert EvidenceItem.objects.count() == 0


def test_thumbnails_are_made_for_photos(make_item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    photo = item.files.get(kind="photo")
    assert photo.thumbnail and Path(photo.thumbnail.path).is_file()
    assert not item.files.get(kind="document").thumbnail


def test_completeness_names_counted_tasks_only(campaign, ledger_task, demo):
    from wenming.ledger import completeness
    from wenming.tasks.models import Task

    standard = ledger_task.standards.get()
    draft = Task.objects.create(
        campaign=campaign, title="草稿任务", lead_department=demo["registry"], is_draft=True
    )
    draft.standards.add(standard)
    row = next(r for r in completeness.standard_rows(campaign) if r.node == standard)
    assert row.tasks == [ledger_task] and row.departments == [demo["food"]]
    # A department proposed in a draft does not own the standard yet.
    assert completeness.standard_rows(campaign, department=demo["registry"]) == []

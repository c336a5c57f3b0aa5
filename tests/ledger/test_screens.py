"""The ledger screens through the test client: upload, review, archive, bin, files, query counts."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.ledger.conftest import ITEM_FIELDS, docx, jpeg
from wenming.ledger.models import EvidenceFile, EvidenceItem, ItemStatus, YearArchive

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def form_data(task: Any, files: list[Any], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **{k: ("" if v is None else v) for k, v in ITEM_FIELDS.items()},
        "activity_date": "2026-03-20",
        "standards": [s.pk for s in task.standards.all()],
        "files": files,
    }
    data.update(extra)
    return data


def photo(name: str = "讲堂现场.jpg", pattern: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(pattern=pattern), content_type="image/jpeg")


def word(name: str = "活动方案.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx(), content_type=DOCX_TYPE)


# --- uploading ------------------------------------------------------------------------------


def test_staff_uploads_photo_and_document_through_the_form(as_user, staff, ledger_task):
    client = as_user(staff)
    page = client.get(reverse("ledger:new", args=[ledger_task.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'capture="environment"' in html and "拍照" in html
    assert f'data-max-bytes="{settings.WENMING_UPLOAD_MAX_BYTES}"' in html
    assert "每月开展道德讲堂" in html

    response = client.post(
        reverse("ledger:new", args=[ledger_task.pk]), form_data(ledger_task, [photo(), word()])
    )
    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:item", args=[item.pk])
    assert item.department == ledger_task.lead_department and item.task == ledger_task
    assert sorted(item.files.values_list("original_name", flat=True)) == [
        "活动方案.docx",
        "讲堂现场.jpg",
    ]
    assert len(stored_files()) == 2
    page = client.get(response["Location"])
    assert "已上传台账“3月道德讲堂”（2个文件）" in page.content.decode()


def test_refused_file_gives_400_with_the_reason_and_stores_nothing(as_user, staff, ledger_task):
    client = as_user(staff)
    fake = SimpleUploadedFile("签到表.jpg", b"%PDF-1.4\n%%EOF\n", content_type="image/jpeg")
    response = client.post(
        reverse("ledger:new", args=[ledger_task.pk]), form_data(ledger_task, [photo(), fake])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "签到表.jpg" in html
    assert EvidenceItem.objects.count() == 0 and stored_files() == []
    # The uploader script gets only the form back, to put in place of the old one.
    partial = client.post(
        reverse("ledger:new", args=[ledger_task.pk]),
        form_data(ledger_task, [photo(), fake]),
        headers={"X-Wenming-Uploader": "1"},
    )
    assert partial.status_code == 400
    assert "<html" not in partial.content.decode() and "data-uploader" in partial.content.decode()


def test_upload_without_files_says_what_to_add(as_user, staff, ledger_task):
    response = as_user(staff).post(
        reverse("ledger:new", args=[ledger_task.pk]), form_data(ledger_task, [])
    )
    assert response.status_code == 400
    assert "请至少上传一个文件" in response.content.decode()


def test_oversized_file_is_refused_while_uploading(as_user, staff, ledger_task, settings):
    settings.WENMING_UPLOAD_MAX_BYTES = 20_000
    big = SimpleUploadedFile("大视频.mp4", b"\0" * 30_000, content_type="video/mp4")
    response = as_user(staff).post(
        reverse("ledger:new", args=[ledger_task.pk]), form_data(ledger_task, [photo(), big])
    )
    assert response.status_code == 400
    assert "大视频.mp4" in response.content.decode() and "上限" in response.content.decode()
    assert EvidenceItem.objects.count() == 0


def test_other_department_cannot_upload_to_the_task(as_user, other_dept_head, ledger_task):
    response = as_user(other_dept_head).get(reverse("ledger:new", args=[ledger_task.pk]))
    assert response.status_code == 403


def test_office_uploads_for_a_department_and_standards(as_user, coordinator, campaign, demo):
    from wenming.frameworks.models import Node

    standard = Node.objects.filter(framework=campaign.framework, is_leaf=True).first()
    assert standard is not None
    client = as_user(coordinator)
    assert client.get(reverse("ledger:new_for_campaign", args=[campaign.pk])).status_code == 200
    data = {
        **{k: ("" if v is None else v) for k, v in ITEM_FIELDS.items()},
        "activity_date": "2026-03-20",
        "department": demo["registry"].pk,
        "standards": [standard.pk],
        "files": [photo()],
    }
    response = client.post(reverse("ledger:new_for_campaign", args=[campaign.pk]), data)
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.department == demo["registry"] and list(item.standards.all()) == [standard]


# --- who sees what ---------------------------------------------------------------------------


def test_other_department_is_told_nothing_about_the_item(
    as_user, other_dept_head, make_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    f = item.files.get(kind="photo")
    assert f.thumbnail  # made in the background, here at once
    client = as_user(other_dept_head)
    assert client.get(reverse("ledger:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("ledger:file", args=[f.pk])).status_code == 404
    assert client.get(reverse("ledger:thumb", args=[f.pk])).status_code == 404
    assert client.get(reverse("ledger:dossier", args=[item.task_id])).status_code == 200
    assert (
        "3月道德讲堂"
        not in client.get(reverse("ledger:dossier", args=[item.task_id])).content.decode()
    )


def test_thumbnail_not_ready_is_404_and_page_shows_placeholder(as_user, staff, make_item):
    item = make_item()  # on_commit never runs here: no thumbnail yet
    f = item.files.get(kind="photo")
    client = as_user(staff)
    assert client.get(reverse("ledger:thumb", args=[f.pk])).status_code == 404
    assert "缩略图生成中" in client.get(reverse("ledger:item", args=[item.pk])).content.decode()


def test_file_download_type_nosniff_and_chinese_name(as_user, staff, make_item):
    item = make_item()
    client = as_user(staff)
    photo_file = item.files.get(kind="photo")
    response = client.get(reverse("ledger:file", args=[photo_file.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "filename*=utf-8''%E8%AE%B2%E5%A0%82" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    document = item.files.get(kind="document")
    response = client.get(reverse("ledger:file", args=[document.pk]))
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert "%E6%B4%BB%E5%8A%A8%E6%96%B9%E6%A1%88.docx" in response["Content-Disposition"]


# --- review ----------------------------------------------------------------------------------


def test_department_head_cannot_review(as_user, dept_head, make_item):
    item = make_item()
    client = as_user(dept_head)
    assert client.post(reverse("ledger:approve", args=[item.pk])).status_code == 403
    assert (
        client.post(reverse("ledger:return", args=[item.pk]), {"comment": "x"}).status_code == 403
    )
    assert client.get(reverse("ledger:review", args=[item.campaign_id])).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_coordinator_approves_from_the_queue(as_user, coordinator, make_item):
    item = make_item()
    client = as_user(coordinator)
    queue = reverse("ledger:review", args=[item.campaign_id])
    assert "3月道德讲堂" in client.get(queue).content.decode()
    response = client.post(
        reverse("ledger:approve", args=[item.pk]), {"comment": "材料齐全", "next": queue}
    )
    assert response.status_code == 302 and response["Location"] == queue
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED and item.review_comment == "材料齐全"
    assert "没有待审核的台账" in client.get(queue).content.decode()


def test_return_needs_a_comment_then_staff_fixes_and_resubmits(
    as_user, coordinator, staff, make_item
):
    item = make_item(result="")
    office = as_user(coordinator)
    response = office.post(reverse("ledger:return", args=[item.pk]), {"comment": " "}, follow=True)
    assert "退回时请写明需要补充或修改的内容" in response.content.decode()
    office.post(reverse("ledger:return", args=[item.pk]), {"comment": "请补充取得成效"})
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED

    client = as_user(staff)
    page = client.get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert "请补充取得成效" in page and "重新提交" in page and "✗ 有成效" in page
    home = client.get(reverse("home")).content.decode()
    assert "被退回的台账" in home and "请补充取得成效" in home

    edit_url = reverse("ledger:edit", args=[item.pk])
    assert client.get(edit_url).status_code == 200
    data = {
        **{k: ("" if v is None else v) for k, v in ITEM_FIELDS.items()},
        "activity_date": "2026-03-20",
        "standards": list(item.standards.values_list("pk", flat=True)),
    }
    assert client.post(edit_url, data).status_code == 302
    response = client.post(reverse("ledger:resubmit", args=[item.pk]), {"comment": "已补充"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED and item.result == ITEM_FIELDS["result"]
    assert [e.kind for e in item.events.all()][-3:] == ["returned", "edited", "resubmitted"]


def test_add_and_remove_files(as_user, staff, make_item):
    item = make_item()
    client = as_user(staff)
    response = client.post(
        reverse("ledger:add_files", args=[item.pk]), {"files": [photo("签到表.jpg", pattern=4)]}
    )
    assert response.status_code == 302
    assert item.files.count() == 3
    docx_file = item.files.get(kind="document")
    client.post(reverse("ledger:file_remove", args=[docx_file.pk]))
    docx_file.refresh_from_db()
    assert docx_file.removed_at is not None
    bad = SimpleUploadedFile("假照片.jpg", b"MZ\x90\x00" * 10)
    response = client.post(reverse("ledger:add_files", args=[item.pk]), {"files": [bad]})
    assert response.status_code == 400 and "假照片.jpg" in response.content.decode()


# --- archive and bin -------------------------------------------------------------------------


def test_archive_flow(as_user, coordinator, staff, make_item):
    item = make_item()
    office = as_user(coordinator)
    archive_url = reverse("ledger:archive", args=[item.campaign_id])
    office.post(reverse("ledger:archive_year", args=[item.campaign_id]), {"year": 2026})
    assert not YearArchive.objects.filter(year=2026, archived=True).exists()
    assert "待审核" in office.get(archive_url).content.decode()

    office.post(reverse("ledger:approve", args=[item.pk]))
    response = office.post(reverse("ledger:archive_year", args=[item.campaign_id]), {"year": 2026})
    assert response.status_code == 302
    assert YearArchive.objects.get(year=2026).archived

    page = as_user(staff).get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert "已归档，只能查看" in page

    office.post(reverse("ledger:unarchive_year", args=[item.campaign_id]), {"year": 2026})
    assert YearArchive.objects.get(year=2026).archived
    office.post(
        reverse("ledger:unarchive_year", args=[item.campaign_id]),
        {"year": 2026, "reason": "补录一份材料"},
    )
    assert not YearArchive.objects.get(year=2026).archived
    assert "补录一份材料" in office.get(archive_url).content.decode()


def test_recycle_bin_restore(as_user, coordinator, staff, make_item):
    item = make_item()
    response = as_user(staff).post(reverse("ledger:remove", args=[item.pk]), {"reason": "重复上传"})
    assert response.status_code == 302
    assert as_user(staff).get(reverse("ledger:item", args=[item.pk])).status_code == 404
    assert as_user(staff).get(reverse("ledger:bin", args=[item.campaign_id])).status_code == 403

    office = as_user(coordinator)
    page = office.get(reverse("ledger:bin", args=[item.campaign_id])).content.decode()
    assert "3月道德讲堂" in page and "重复上传" in page and "后可彻底删除" in page
    office.post(reverse("ledger:purge", args=[item.pk]))
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert office.post(reverse("ledger:restore", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.removed_at is None


def test_purge_after_retention_removes_files(
    as_user, coordinator, staff, make_item, django_capture_on_commit_callbacks
):
    import time_machine

    item = make_item()
    as_user(staff).post(reverse("ledger:remove", args=[item.pk]))
    assert len(stored_files()) == 2
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=40)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        as_user(coordinator).post(reverse("ledger:purge", args=[item.pk]))
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert stored_files() == []


# --- overview pages and query counts --------------------------------------------------------


def test_overview_shows_state_gaps_and_departments(
    as_user, coordinator, dept_head, campaign, make_item
):
    make_item()
    client = as_user(coordinator)
    url = reverse("ledger:campaign", args=[campaign.pk])
    html = client.get(url).content.decode()
    assert "按测评标准" in html and "待审核" in html and "无台账" in html
    assert "缺项清单" in client.get(url + "?tab=gaps").content.decode()
    assert "食品安全监管科" in client.get(url + "?tab=departments").content.decode()
    dept_html = as_user(dept_head).get(url).content.decode()
    assert "食品安全监管科" in dept_html


def _clone_items(template: EvidenceItem, count: int) -> None:
    """Copies of an item with its files and standards, straight through the ORM."""
    files = list(template.files.all())
    standards = list(template.standards.all())
    for n in range(count):
        copy = EvidenceItem.objects.create(
            campaign=template.campaign,
            unit=template.unit,
            department=template.department,
            task=template.task,
            year=template.year,
            title=f"第{n}次道德讲堂",
            activity_date=template.activity_date,
            summary=template.summary,
            result=template.result,
            status=[ItemStatus.SUBMITTED, ItemStatus.APPROVED, ItemStatus.RETURNED][n % 3],
            submitted_at=template.submitted_at,
            created_by=template.created_by,
        )
        copy.standards.set(standards)
        for f in files:
            EvidenceFile.objects.create(
                item=copy,
                unit=f.unit,
                year=f.year,
                file=f.file.name,
                original_name=f.original_name,
                kind=f.kind,
                content_type=f.content_type,
                extension=f.extension,
                size=f.size,
                sha256=f.sha256,
                flags=[{"kind": "duplicate", "message": "重复", "item": template.pk, "file": f.pk}],
            )


@pytest.mark.parametrize("extra", [2, 29])
def test_pages_issue_a_bounded_number_of_queries(
    extra, as_user, coordinator, make_item, django_assert_max_num_queries
):
    item = make_item()
    _clone_items(item, extra)
    client = as_user(coordinator)
    client.get(reverse("home"))  # the session and user are loaded in every request anyway
    pages = {
        reverse("ledger:campaign", args=[item.campaign_id]): 14,
        reverse("ledger:campaign", args=[item.campaign_id]) + "?tab=gaps": 14,
        reverse("ledger:items", args=[item.campaign_id]): 11,
        reverse("ledger:dossier", args=[item.task_id]): 9,
        reverse("ledger:item", args=[item.pk]): 10,
        reverse("ledger:review", args=[item.campaign_id]): 8,
        reverse("ledger:bin", args=[item.campaign_id]): 6,
        reverse("ledger:archive", args=[item.campaign_id]): 8,
        # The 创建办's 今日要事 reads the campaign's score, progress and ledger gaps.
        reverse("home"): 24,
    }
    for url, bound in pages.items():
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200, url


def test_queue_decides_inline_with_htmx(as_user, coordinator, make_item):
    item = make_item()
    response = as_user(coordinator).post(
        reverse("ledger:approve", args=[item.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="review-{item.pk}"' in response.content.decode()
    assert "已审核通过" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_nav_and_task_page_lead_to_the_ledger(as_user, staff, campaign, ledger_task):
    client = as_user(staff)
    response = client.get(reverse("ledger:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:campaign", args=[campaign.pk])
    assert reverse("ledger:mine") in client.get(reverse("home")).content.decode()
    detail = client.get(reverse("tasks:detail", args=[ledger_task.pk])).content.decode()
    assert reverse("ledger:dossier", args=[ledger_task.pk]) in detail

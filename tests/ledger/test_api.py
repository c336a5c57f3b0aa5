"""The evidence API: the same access and the same rules as the screens, in JSON."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.ledger.conftest import docx, jpeg, upload
from wenming.ledger.models import EvidenceItem, ItemStatus
from wenming.orgs.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/evidence"


def bearer(user: Any) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def photo(name: str = "讲堂现场.jpg", pattern: int = 0) -> Any:
    return upload(name, jpeg(pattern=pattern, taken=datetime.datetime(2026, 3, 20, 15, 0)))


def form(campaign: Any, task: Any | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "campaign": campaign.pk,
        "title": "3月道德讲堂",
        "activity_date": "2026-03-20",
        "place": "局机关三楼会议室",
        "participant_count": "45",
        "summary": "邀请身边好人讲述敬业故事。",
        "result": "干部职工撰写心得体会32篇。",
        "files": [photo(), upload("活动方案.docx", docx())],
    }
    if task is not None:
        data["task"] = task.pk
    data.update(extra)
    return data


def stored() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_with_a_token(campaign, ledger_task, staff, demo) -> None:  # type: ignore[no-untyped-def]
    response = bearer(staff).post(URL, form(campaign, ledger_task))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "3月道德讲堂"
    assert body["department_name"] == "食品安全监管科"  # the task's lead department
    assert body["standard_codes"] == [s.code for s in ledger_task.standards.all()]
    assert body["status"] == "submitted" and body["status_label"] == "待审核"
    assert [f["name"] for f in body["files"]] == ["讲堂现场.jpg", "活动方案.docx"]
    assert [f["kind"] for f in body["files"]] == ["photo", "document"]
    assert all(len(f["sha256"]) == 64 and f["url"] for f in body["files"])
    assert body["completeness"] == {
        "has_text": True,
        "has_photo": True,
        "has_result": True,
        "complete": True,
        "missing": [],
    }
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert len(stored()) == 2


def test_file_whose_content_does_not_match_its_name_is_refused(
    campaign, ledger_task, staff
) -> None:  # type: ignore[no-untyped-def]
    data = form(campaign, ledger_task)
    data["files"] = [photo(), upload("签到表.jpg", docx())]
    response = bearer(staff).post(URL, data)
    assert response.status_code == 422
    body = response.json()
    assert "签到表.jpg" in body["detail"]
    assert body["errors"]["files"] and "签到表.jpg" in body["errors"]["files"][0]
    assert EvidenceItem.objects.count() == 0
    assert stored() == []


def test_bad_fields_are_told_in_chinese(campaign, ledger_task, staff) -> None:  # type: ignore[no-untyped-def]
    client = bearer(staff)
    response = client.post(URL, form(campaign, ledger_task, activity_date="20/03/2026"))
    assert response.status_code == 422
    assert "activity_date" in response.json()["errors"]
    response = client.post(URL, form(campaign, ledger_task, title="  "))
    assert response.status_code == 422
    assert response.json()["errors"]["title"] == ["请填写台账名称，例如“3月道德讲堂”。"]
    response = client.post(URL, form(campaign, ledger_task, files=[]))
    assert response.status_code == 422
    assert "files" in response.json()["errors"]
    assert EvidenceItem.objects.count() == 0


def test_upload_needs_the_task_department_or_the_office(
    campaign, ledger_task, other_dept_head, staff, coordinator, demo
) -> None:  # type: ignore[no-untyped-def]
    # 登记注册科 sees the campaign's tasks but does not lead this one.
    response = bearer(other_dept_head).post(URL, form(campaign, ledger_task))
    assert response.status_code == 403
    assert "牵头部门" in response.json()["detail"]
    # Without a task only the 创建办 files evidence, in any department's name.
    response = bearer(staff).post(URL, form(campaign, department=demo["food"].pk))
    assert response.status_code == 403
    standard = ledger_task.standards.get()
    response = bearer(coordinator).post(
        URL, form(campaign, department=demo["registry"].pk, standards=[standard.pk])
    )
    assert response.status_code == 201, response.content
    assert response.json()["department_name"] == "登记注册科"
    assert response.json()["task_id"] is None


def test_other_department_is_told_nothing(make_item, other_dept_head, staff) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    client = bearer(other_dept_head)
    assert client.get(f"{URL}/{item.pk}").status_code == 404
    assert client.get(f"{URL}/{item.pk}").json()["detail"] == "没有找到该台账，或您无权查看。"
    assert client.get(URL).json() == {"items": [], "count": 0}
    assert client.post(f"{URL}/{item.pk}/approve").status_code == 404
    assert bearer(staff).get(f"{URL}/{item.pk}").status_code == 200


def test_review_approve_return_resubmit(make_item, dept_head, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    head = bearer(dept_head)
    office = bearer(coordinator)
    response = head.post(f"{URL}/{item.pk}/approve")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本单位创建办可以审核台账。"

    response = office.post(f"{URL}/{item.pk}/return", "{", content_type="application/json")
    assert response.status_code == 400 and "无法读取" in response.json()["detail"]
    response = office.post(f"{URL}/{item.pk}/return", {"comment": " "})
    assert response.status_code == 422
    assert response.json()["errors"] == {"comment": ["退回时请写明需要补充或修改的内容。"]}
    response = office.post(
        f"{URL}/{item.pk}/return",
        json.dumps({"comment": "请补充签到表"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["review_comment"] == "请补充签到表"

    response = bearer(staff).post(f"{URL}/{item.pk}/resubmit", {"comment": "已补充"})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    response = office.post(f"{URL}/{item.pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert [e["kind"] for e in response.json()["events"]] == [
        "created",
        "returned",
        "resubmitted",
        "approved",
    ]
    assert response.json()["events"][1]["actor"] == "李文静"
    # Decided already: the second reviewer is told so.
    response = office.post(f"{URL}/{item.pk}/approve")
    assert response.status_code == 422 and "已被审核" in response.json()["detail"]
    # Approved items are the 创建办's to change now.
    assert bearer(staff).post(f"{URL}/{item.pk}/files", {"files": [photo()]}).status_code == 403


def test_add_files(make_item, staff) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    client = bearer(staff)
    response = client.post(f"{URL}/{item.pk}/files", {"files": [photo("签到表.jpg", pattern=4)]})
    assert response.status_code == 200, response.content
    assert [f["name"] for f in response.json()["files"]] == [
        "讲堂现场.jpg",
        "活动方案.docx",
        "签到表.jpg",
    ]
    response = client.post(f"{URL}/{item.pk}/files", {"files": [upload("x.pdf", jpeg())]})
    assert response.status_code == 422 and "x.pdf" in response.json()["detail"]


def test_delete_to_the_bin_and_restore(make_item, staff, coordinator) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    client = bearer(staff)
    response = client.delete(f"{URL}/{item.pk}?reason=重复上传")
    assert response.status_code == 200
    assert response.json()["removed_at"] is not None
    assert client.get(f"{URL}/{item.pk}").status_code == 404
    # Restoring is the 创建办's.
    assert client.post(f"{URL}/{item.pk}/restore").status_code == 403
    response = bearer(coordinator).post(f"{URL}/{item.pk}/restore")
    assert response.status_code == 200 and response.json()["removed_at"] is None
    assert [e["kind"] for e in response.json()["events"]] == ["created", "removed", "restored"]
    response = bearer(coordinator).post(f"{URL}/{item.pk}/restore")
    assert response.status_code == 404


def test_list_filters(
    make_item, other_task, campaign, coordinator, demo, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = make_item()
    make_item(title="4月道德讲堂", activity_date=datetime.date(2026, 4, 18))
    other = make_item(
        task=other_task,
        title="窗口服务",
        activity_date=datetime.date(2025, 11, 3),
        files=[photo(pattern=7)],
    )
    client = bearer(coordinator)
    client.post(f"{URL}/{first.pk}/approve")

    def titles(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [i["title"] for i in response.json()["items"]]

    assert titles(f"campaign={campaign.pk}") == ["4月道德讲堂", "3月道德讲堂", "窗口服务"]
    assert titles("status=approved") == ["3月道德讲堂"]
    assert titles(f"task={other_task.pk}") == ["窗口服务"]
    assert titles(f"department={demo['registry'].pk}") == ["窗口服务"]
    assert titles(f"standard={other_task.standards.get().pk}") == ["窗口服务"]
    assert titles("year=2025") == ["窗口服务"]
    item = client.get(f"{URL}?task={other_task.pk}").json()["items"][0]
    assert item["completeness"]["has_photo"] and item["completeness"]["complete"]
    assert client.get(f"{URL}/{other.pk}").json()["files"][0]["kind"] == "photo"
    response = client.get(f"{URL}?status=lost")
    assert response.status_code == 422 and "submitted" in response.json()["detail"]
    for n in range(3):
        make_item(title=f"第{n}期", files=[photo(pattern=10 + n)])
    with django_assert_max_num_queries(12):
        assert client.get(URL).json()["count"] == 6


def test_standard_rows_and_gaps(make_item, campaign, ledger_task, coordinator, staff) -> None:  # type: ignore[no-untyped-def]
    make_item()
    standard = ledger_task.standards.get()
    rows = bearer(coordinator).get(f"{URL}/standards?campaign={campaign.pk}").json()
    row = next(r for r in rows if r["standard_id"] == standard.pk)
    assert row["items"] == 1 and row["pending"] == 1 and row["state"] == "pending"
    assert row["departments"][0]["name"] == "食品安全监管科"
    assert len(rows) > 10

    # A department's people see their own part only.
    mine = bearer(staff).get(f"{URL}/standards?campaign={campaign.pk}").json()
    assert [r["standard_id"] for r in mine] == [standard.pk]

    gaps = bearer(coordinator).get(f"{URL}/gaps?campaign={campaign.pk}").json()
    assert gaps["complete"] == 0 and gaps["standards"] == len(rows)
    points = [float(g["points"]) for g in gaps["gaps"]]
    assert points == sorted(points, reverse=True)
    assert (
        bearer(staff).get(f"{URL}/gaps?campaign={campaign.pk}&department=999999").status_code == 404
    )


def test_without_credentials(make_item) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    assert Client().get(f"{URL}/{item.pk}").status_code == 401
    assert EvidenceItem.objects.get().status == ItemStatus.SUBMITTED


def test_export_request_and_progress(
    campaign, demo, coordinator, staff, other_dept_head, settings
) -> None:  # type: ignore[no-untyped-def]
    # Queued only: building the binder is tests/ledger/binder's business.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = bearer(staff).post(
        f"{URL}/exports",
        json.dumps({"campaign": campaign.pk, "format": "zip"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "本部门" in response.json()["detail"]
    response = bearer(staff).post(
        f"{URL}/exports",
        {"campaign": campaign.pk, "format": "pdf", "department": demo["food"].pk, "year": "2026"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert body["department_id"] == demo["food"].pk and body["year"] == 2026
    assert bearer(staff).get(f"{URL}/exports/{body['id']}").json()["progress"] == 0
    assert bearer(coordinator).get(f"{URL}/exports/{body['id']}").status_code == 200
    assert bearer(other_dept_head).get(f"{URL}/exports/{body['id']}").status_code == 404


def test_file_and_binder_addresses_take_the_token(
    make_item, campaign, demo, staff, other_dept_head
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from wenming.ledger.models import BinderExport, ExportStatus

    item = make_item()
    client = bearer(staff)
    url = client.get(f"{URL}/{item.pk}").json()["files"][0]["url"]
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Client().get(url).status_code == 302  # no token, no session: the login page
    assert bearer(other_dept_head).get(url).status_code == 404

    export = BinderExport.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        format="zip",
        department=demo["food"],
        requested_by=staff,
        status=ExportStatus.DONE,
        progress=100,
    )
    export.file.save("binder.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    link = client.get(f"{URL}/exports/{export.pk}").json()["download_url"]
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    assert Client().get(link).status_code == 302
    assert bearer(other_dept_head).get(link).status_code == 404


def test_edit_remove_file_and_archive(make_item, campaign, staff, coordinator, leader) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    client = bearer(staff)
    url = f"{URL}/{item.pk}"
    response = client.patch(
        url, json.dumps({"place": "二楼报告厅"}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["place"] == "二楼报告厅"
    assert response.json()["title"] == "3月道德讲堂"
    response = client.patch(url, json.dumps({"title": "长" * 201}), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"] == {
        "title": ["不能超过200个字"]
    }
    files = client.get(url).json()["files"]
    response = client.post(f"{URL}/files/{files[0]['id']}/remove")
    assert response.status_code == 200
    assert [f["name"] for f in response.json()["files"]] == [files[1]["name"]]
    response = client.post(f"{URL}/files/{files[1]['id']}/remove")
    assert response.status_code == 422  # the last file stays

    office = bearer(coordinator)
    year = {"campaign": campaign.pk, "year": item.year}
    assert bearer(leader).post(f"{URL}/archive", year).status_code == 403
    response = office.post(f"{URL}/archive", year)
    assert response.status_code == 422 and "待审核" in response.json()["detail"]
    office.post(f"{URL}/{item.pk}/approve")
    assert office.post(f"{URL}/archive", year).json() == {"year": item.year, "archived": True}
    response = client.patch(url, json.dumps({"place": "一楼"}), content_type="application/json")
    assert response.status_code == 403  # approved: the 创建办's now
    response = office.patch(url, json.dumps({"place": "一楼"}), content_type="application/json")
    assert response.status_code == 422 and "已归档" in response.json()["detail"]
    response = office.post(f"{URL}/archive/reopen", year)
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = office.post(f"{URL}/archive/reopen", {**year, "reason": "补录签到表"})
    assert response.json() == {"year": item.year, "archived": False}


def test_purge_waits_for_the_retention_period(make_item, coordinator) -> None:  # type: ignore[no-untyped-def]
    item = make_item()
    office = bearer(coordinator)
    assert office.post(f"{URL}/{item.pk}/purge").status_code == 404  # not in the bin
    office.delete(f"{URL}/{item.pk}")
    response = office.post(f"{URL}/{item.pk}/purge")
    assert response.status_code == 422 and "须保留" in response.json()["detail"]
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_an_oversized_upload_is_413(campaign, ledger_task, staff, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WENMING_UPLOAD_MAX_BYTES = 1024
    response = bearer(staff).post(URL, form(campaign, ledger_task))
    assert response.status_code == 413
    body = response.json()
    assert "超过" in body["detail"] and body["errors"]["files"]
    assert EvidenceItem.objects.count() == 0 and stored() == []

"""Bulletins (通报): the figures, the draft's wording, the Word document, issuing, who sees what.

The scenario is April 2026 (today is 2026-05-20; Mondays 6, 13, 20, 27 April):
食品安全监管科 did its task on time and sent every weekly report (praise); 登记注册科 left a
task overdue, missed the report of 20 April and has an overdue problem (criticism).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from wenming.oversight import services
from wenming.oversight.bulletins import document
from wenming.oversight.bulletins import services as bulletins
from wenming.oversight.bulletins.facts import bulletin_facts
from wenming.oversight.models import Bulletin, BulletinStatus
from wenming.tasks.models import ReportStatus, Task, TaskStatus, WeeklyReport

API = "/api/v1/oversight"
START, END = datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)
MONDAYS = [datetime.date(2026, 4, d) for d in (6, 13, 20, 27)]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))


@pytest.fixture
def scenario(campaign, demo, inspector) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    food, registry = demo["food"], demo["registry"]
    Task.objects.create(
        campaign=campaign,
        title="食品安全宣传周活动",
        lead_department=food,
        deadline=datetime.date(2026, 4, 10),
        status=TaskStatus.DONE,
        progress=100,
        completed_at=_at(datetime.date(2026, 4, 9)),
    )
    Task.objects.create(
        campaign=campaign,
        title="窗口服务规范上墙",
        lead_department=registry,
        deadline=datetime.date(2026, 4, 15),
        status=TaskStatus.IN_PROGRESS,
        progress=50,
    )
    for week in MONDAYS:
        WeeklyReport.objects.create(
            campaign=campaign, department=food, week_start=week, status=ReportStatus.SUBMITTED
        )
        if week != datetime.date(2026, 4, 20):
            WeeklyReport.objects.create(
                campaign=campaign,
                department=registry,
                week_start=week,
                status=ReportStatus.SUBMITTED,
            )
    inspection = services.inspection_create(
        campaign=campaign,
        user=inspector,
        kind="routine",
        title="4月日常督查",
        inspected_on=datetime.date(2026, 4, 8),
    )
    problem = services.problem_create(
        campaign=campaign,
        user=inspector,
        inspection=inspection,
        description="办事指南未及时更新",
        department=registry,
        deadline=datetime.date(2026, 4, 20),
    )
    return {"food": food, "registry": registry, "problem": problem}


def _row(facts: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in facts["departments"] if d["name"] == name)


@pytest.fixture
def draft(campaign, coordinator, scenario) -> Bulletin:  # type: ignore[no-untyped-def]
    return bulletins.bulletin_draft(campaign=campaign, user=coordinator, start=START, end=END)


@pytest.fixture
def issued(draft, coordinator) -> Bulletin:  # type: ignore[no-untyped-def]
    return bulletins.bulletin_issue(bulletin=draft, user=coordinator)


# --- the figures and the draft --------------------------------------------------------------


def test_facts_praise_and_criticism(campaign, scenario, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(6):
        facts = bulletin_facts(campaign, START, END)
    assert facts["weeks"] == [w.isoformat() for w in MONDAYS]
    food = _row(facts, "食品安全监管科")
    assert (food["tasks_due"], food["tasks_on_time"]) == (1, 1)
    assert (food["reports_expected"], food["reports_submitted"]) == (4, 4)
    assert food["praise"] is True and food["criticism"] == ""
    registry = _row(facts, "登记注册科")
    assert (registry["tasks_due"], registry["tasks_on_time"]) == (1, 0)
    assert [t["title"] for t in registry["tasks_overdue"]] == ["窗口服务规范上墙"]
    assert registry["reports_missing"] == ["2026-04-20"]
    assert registry["problems_found"] == 1
    assert [p["number"] for p in registry["problems_overdue"]] == ["DC-2026-001"]
    assert registry["criticism"] == (
        "逾期未完成任务1项（“窗口服务规范上墙”）、未报送周报1次（4月20日当周）、"
        "逾期未整改问题1个（DC-2026-001）"
    )
    assert facts["praise"] == ["食品安全监管科"]
    assert facts["problems"][0]["department"] == "登记注册科"
    assert facts["problems"][0]["status_label"] == "待整改"
    # A department with nothing due is neither praised nor, having sent no report, spared.
    office = _row(facts, "办公室")
    assert office["praise"] is False
    assert "未报送周报4次" in office["criticism"]


def test_problem_closed_on_time_is_not_overdue(campaign, scenario, dept_head, coordinator):  # type: ignore[no-untyped-def]
    from django.db.models import F

    from wenming.oversight.models import Problem

    problem = scenario["problem"]
    Problem.objects.filter(pk=problem.pk).update(
        status="closed", closed_at=_at(datetime.date(2026, 4, 18)), rectified_at=F("closed_at")
    )
    registry = _row(bulletin_facts(campaign, START, END), "登记注册科")
    assert registry["problems_overdue"] == []
    assert registry["problems_closed_on_time"] == 1


def test_draft_text_mentions_them(draft, campaign):  # type: ignore[no-untyped-def]
    assert draft.status == BulletinStatus.DRAFT
    assert draft.title == "关于2026年4月文明单位创建工作推进情况的通报"
    assert draft.number == "市市场监管局创〔2026〕1号"
    assert draft.issuer == "临州市市场监督管理局创建工作领导小组办公室"
    assert "食品安全监管科" in draft.praise and draft.praise.endswith("对以上部门提出表扬。")
    assert "登记注册科：逾期未完成任务1项（“窗口服务规范上墙”）" in draft.criticism
    assert "DC-2026-001" in draft.criticism
    assert "5月27日前将整改情况书面报创建办" in draft.requirements
    assert "2026年4月" in draft.opening and "通报如下" in draft.opening
    assert draft.facts["praise"] == ["食品安全监管科"]
    second = bulletins.bulletin_draft(
        campaign=campaign, user=draft.created_by, start=START, end=END
    )
    assert second.number == "市市场监管局创〔2026〕2号"


def test_draft_refuses_a_backwards_period(campaign, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        bulletins.bulletin_draft(campaign=campaign, user=coordinator, start=END, end=START)
    assert "结束日期不能早于开始日期" in str(info.value)


# --- the Word document ---------------------------------------------------------------------------


def test_docx_has_number_title_issuer_date_and_table(issued):  # type: ignore[no-untyped-def]
    doc = Document(io.BytesIO(document.bulletin_docx(issued)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "临州市市场监督管理局创建工作领导小组办公室"
    assert texts[1] == "市市场监管局创〔2026〕1号"
    assert texts[2] == issued.title
    assert "一、表扬情况" in texts and "二、存在问题" in texts and "三、下一步要求" in texts
    assert texts[-2:] == ["临州市市场监督管理局创建工作领导小组办公室", "2026年5月20日"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "问题编号", "问题描述"]
    assert table.rows[1].cells[1].text == "DC-2026-001"
    assert table.rows[1].cells[3].text == "登记注册科"
    red = doc.paragraphs[0].runs[0].font.color.rgb
    assert str(red) == "E60012"
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("— ") and "PAGE" in footer._p.xml


# --- issuing, editing, removing ----------------------------------------------------------------


def test_issue_makes_it_read_only(issued, coordinator, as_user):  # type: ignore[no-untyped-def]
    assert issued.status == BulletinStatus.ISSUED
    assert issued.issued_on == datetime.date(2026, 5, 20) and issued.issued_by == coordinator
    with pytest.raises(ValidationError) as info:
        bulletins.bulletin_update(
            bulletin=issued,
            user=coordinator,
            title="改过的标题",
            period_start=START,
            period_end=END,
            issuer=issued.issuer,
        )
    assert info.value.messages == [bulletins.ISSUED_READ_ONLY]
    client = as_user(coordinator)
    response = client.post(f"/oversight/bulletin/{issued.pk}/edit/", {"title": "改过的标题"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert bulletins.ISSUED_READ_ONLY in page.content.decode()
    with pytest.raises(ValidationError):
        bulletins.bulletin_remove(bulletin=issued, user=coordinator)
    issued.refresh_from_db()
    assert issued.title != "改过的标题" and issued.removed_at is None


def test_issue_needs_a_number(draft, coordinator):  # type: ignore[no-untyped-def]
    Bulletin.objects.filter(pk=draft.pk).update(number="")
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        bulletins.bulletin_issue(bulletin=draft, user=coordinator)
    assert "请先填写文号" in str(info.value)


def test_update_checks_title_and_period(draft, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        bulletins.bulletin_update(
            bulletin=draft,
            user=coordinator,
            title=" ",
            period_start=END,
            period_end=START,
            issuer=draft.issuer,
        )
    assert set(info.value.message_dict) == {"title", "period_end"}
    bulletins.bulletin_update(
        bulletin=draft,
        user=coordinator,
        title="关于4月创建工作的通报",
        number="市市场监管局创〔2026〕9号",
        period_start=START,
        period_end=END,
        issuer=draft.issuer,
        praise="表扬。",
    )
    draft.refresh_from_db()
    assert (draft.title, draft.number, draft.praise) == (
        "关于4月创建工作的通报",
        "市市场监管局创〔2026〕9号",
        "表扬。",
    )


def test_remove_hides_a_draft(draft, coordinator, as_user):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    response = client.post(f"/oversight/bulletin/{draft.pk}/remove/")
    assert response.status_code == 302
    assert Bulletin.objects.get(pk=draft.pk).removed_at is not None
    assert client.get(f"/oversight/bulletin/{draft.pk}/").status_code == 404


# --- who sees what ----------------------------------------------------------------------------


def test_department_staff_read_only_issued(draft, coordinator, staff, as_user, campaign):  # type: ignore[no-untyped-def]
    client = as_user(staff)
    assert client.get(f"/oversight/bulletin/{draft.pk}/").status_code == 404
    assert client.get(f"/oversight/bulletin/{draft.pk}/docx/").status_code == 404
    listing = client.get(f"/oversight/campaign/{campaign.pk}/bulletins/").content.decode()
    assert draft.title not in listing
    bulletins.bulletin_issue(bulletin=draft, user=coordinator)
    page = client.get(f"/oversight/bulletin/{draft.pk}/")
    assert page.status_code == 200 and "印发" in page.content.decode()
    listing = client.get(f"/oversight/campaign/{campaign.pk}/bulletins/").content.decode()
    assert draft.title in listing and "生成通报" not in listing
    download = client.get(f"/oversight/bulletin/{draft.pk}/docx/")
    assert download.status_code == 200
    assert "filename*=UTF-8''%E5%85%B3%E4%BA%8E" in download["Content-Disposition"]


def test_dept_head_cannot_draft_or_issue(issued, dept_head, as_user, campaign):  # type: ignore[no-untyped-def]
    client = as_user(dept_head)
    assert client.get(f"/oversight/campaign/{campaign.pk}/bulletins/new/").status_code == 403
    assert client.post(f"/oversight/bulletin/{issued.pk}/issue/").status_code == 403
    assert client.get(f"/oversight/bulletin/{issued.pk}/edit/").status_code == 403
    api = client.post(f"{API}/campaigns/{campaign.pk}/bulletins", {}, "application/json")
    assert api.status_code == 403


def test_outsider_sees_nothing(issued, outsider_admin, as_user):  # type: ignore[no-untyped-def]
    assert as_user(outsider_admin).get(f"/oversight/bulletin/{issued.pk}/").status_code == 404


# --- screens ----------------------------------------------------------------------------------


def test_generate_edit_preview_issue_through_screens(campaign, scenario, coordinator, as_user):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    form = client.get(f"/oversight/campaign/{campaign.pk}/bulletins/new/")
    assert form.status_code == 200 and 'value="2026-04-01"' in form.content.decode()
    refused = client.post(
        f"/oversight/campaign/{campaign.pk}/bulletins/new/",
        {"period_start": "2026-04-30", "period_end": "2026-04-01"},
    )
    assert refused.status_code == 400
    assert "结束日期不能早于开始日期" in refused.content.decode()
    made = client.post(
        f"/oversight/campaign/{campaign.pk}/bulletins/new/",
        {"period_start": "2026-04-01", "period_end": "2026-04-30"},
    )
    bulletin = Bulletin.objects.get()
    assert made["Location"] == f"/oversight/bulletin/{bulletin.pk}/edit/"
    edit = client.get(made["Location"]).content.decode()
    assert "数据参考" in edit and "登记注册科" in edit
    data = {
        "number": bulletin.number,
        "title": "",
        "issuer": bulletin.issuer,
        "period_start": "2026-04-01",
        "period_end": "2026-04-30",
        "opening": bulletin.opening,
        "praise": "对食品安全监管科提出表扬。",
        "criticism": bulletin.criticism,
        "problems": bulletin.problems,
        "requirements": bulletin.requirements,
    }
    bad = client.post(made["Location"], data)
    assert bad.status_code == 400 and "请填写通报标题" in bad.content.decode()
    data["title"] = bulletin.title
    saved = client.post(made["Location"], {**data, "preview": "1"})
    assert saved["Location"] == f"/oversight/bulletin/{bulletin.pk}/"
    preview = client.get(saved["Location"]).content.decode()
    assert "对食品安全监管科提出表扬。" in preview and "DC-2026-001" in preview
    assert client.post(f"/oversight/bulletin/{bulletin.pk}/issue/", {}).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.ISSUED and bulletin.praise == data["praise"]


def test_list_query_count(campaign, draft, coordinator, as_user, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for _ in range(3):
        bulletins.bulletin_draft(campaign=campaign, user=coordinator, start=START, end=END)
    client = as_user(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(f"/oversight/campaign/{campaign.pk}/bulletins/")
    assert response.status_code == 200


# --- API --------------------------------------------------------------------------------------


def test_api_create_update_issue(campaign, scenario, coordinator, staff, as_user):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    url = f"{API}/campaigns/{campaign.pk}/bulletins"
    bad = client.post(url, {"period_start": "2026-04-30", "period_end": "4月"}, "application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"]["period_end"] == ["日期格式不正确，请写成 2026-03-20 这样的格式"]
    made = client.post(
        url, {"period_start": "2026-04-01", "period_end": "2026-04-30"}, "application/json"
    )
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "draft" and body["facts"]["praise"] == ["食品安全监管科"]
    pk = body["id"]
    assert as_user(staff).get(f"{API}/bulletins/{pk}").status_code == 404
    updated = client.post(f"{API}/bulletins/{pk}", {"praise": "表扬。"}, "application/json")
    assert updated.status_code == 200 and updated.json()["praise"] == "表扬。"
    issued = client.post(
        f"{API}/bulletins/{pk}/issue", {"issued_on": "2026-05-18"}, "application/json"
    )
    assert issued.status_code == 200
    assert issued.json()["status"] == "issued" and issued.json()["issued_on"] == "2026-05-18"
    again = client.post(f"{API}/bulletins/{pk}", {"praise": "改"}, "application/json")
    assert again.status_code == 422
    assert again.json()["detail"] == bulletins.ISSUED_READ_ONLY
    listing = as_user(staff).get(url).json()
    assert [b["id"] for b in listing["items"]] == [pk]
    docx = as_user(staff).get(f"{API}/bulletins/{pk}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


# --- demo ---------------------------------------------------------------------------------------


def test_demo_bulletins_are_idempotent(campaign, demo):  # type: ignore[no-untyped-def]
    from wenming.oversight.demo import load_demo_bulletins

    load_demo_bulletins(campaign)
    load_demo_bulletins(campaign)
    statuses = sorted(Bulletin.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert statuses == ["draft", "issued"]

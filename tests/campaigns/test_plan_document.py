"""The 《实施方案》 Word document: parses back, carries the plan, is set as a 公文."""

from __future__ import annotations

import datetime
import io

import time_machine
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from wenming.campaigns import documents, services
from wenming.tasks.models import Task

D = datetime.date


def _doc(response):  # type: ignore[no-untyped-def]
    return Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


@time_machine.travel(datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC))
def test_plan_carries_headings_dates_people_and_tasks(campaign, demo, staff, as_user) -> None:  # type: ignore[no-untyped-def]
    services.milestone_create(
        campaign=campaign,
        title="九月底前全面部署到位",
        due=D(2026, 9, 30),
        owner_department=demo["food"],
    )
    Task.objects.create(
        campaign=campaign,
        title="每月开展道德讲堂",
        lead_department=demo["food"],
        deadline=D(2026, 12, 31),
    )
    Task.objects.create(campaign=campaign, title="建设职工书屋")
    Task.objects.create(
        campaign=campaign,
        title="已删除的任务",
        deleted_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )
    response = as_user(staff).get(reverse("campaigns:plan_docx", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_TYPE
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    doc = _doc(response)
    texts = [p.text for p in doc.paragraphs]
    full = "\n".join(texts)

    assert texts[0] == "临州市市场监督管理局关于创建省级文明单位的实施方案"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、指导思想",
        "二、目标任务",
        "三、组织领导",
        "四、实施步骤",
        "五、任务分工",
        "六、工作要求",
    ]
    # Standard wording where the plan is blank.
    assert "以习近平新时代中国特色社会主义思想为指导" in full
    # Phases with dates, and the milestone in its phase.
    for text in (
        "宣传发动阶段",
        "2026年1月1日至2026年3月31日",
        "2026年4月1日至2028年6月30日",
        "2028年10月1日至2028年12月31日",
        "2026年9月30日前：九月底前全面部署到位（责任：食品安全监管科）",
    ):
        assert text in full
    # Leading group with positions, the office's host department, working groups.
    assert "组长：王国强（局长，全面负责）" in full
    assert "副组长：何志远" in full
    assert "办公室设在机关党委" in full and "李文静同志任办公室主任" in full
    assert "综合组" in full and "材料组" in full
    # Tasks grouped by lead department, unassigned ones 待认领, deleted ones left out.
    division = full[full.index("五、任务分工") : full.index("六、工作要求")]
    assert "食品安全监管科" in division
    assert "每月开展道德讲堂（完成时限：2026年12月31日）" in division
    assert division.index("待认领") < division.index("建设职工书屋")
    assert "已删除的任务" not in full
    # Issuing unit and date at the end.
    assert texts[-2:] == ["临州市市场监督管理局", "2026年3月2日"]


def test_plan_uses_the_plans_own_text(campaign) -> None:  # type: ignore[no-untyped-def]
    campaign.guiding_ideas = "坚持以人民为中心。"
    campaign.requirements = "第一条要求\n第二条要求"
    campaign.save()
    doc = Document(io.BytesIO(documents.campaign_plan_docx(campaign)))
    texts = [p.text for p in doc.paragraphs]
    assert "坚持以人民为中心。" in texts
    assert "第一条要求" in texts and "第二条要求" in texts
    assert not any("以习近平新时代" in t for t in texts)


def test_plan_is_laid_out_as_a_gongwen(campaign) -> None:  # type: ignore[no-untyped-def]
    doc = Document(io.BytesIO(documents.campaign_plan_docx(campaign)))
    section = doc.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(Length(v).mm) for v in sizes] == [210, 297, 37, 35, 28, 26]

    def east_asia(run) -> str:  # type: ignore[no-untyped-def]
        return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title_run = doc.paragraphs[0].runs[0]
    assert east_asia(title_run) == documents.TITLE_FONT and title_run.font.size == Pt(22)
    body = next(p for p in doc.paragraphs if p.text.startswith("为深入推进"))
    assert east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    h1 = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert east_asia(h1.runs[0]) == "黑体"
    h2 = next(p for p in doc.paragraphs if p.style.name == "Heading 2")
    assert east_asia(h2.runs[0]) == documents.HEADING2_FONT
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml


def test_outsider_cannot_download(campaign, outsider_admin, as_user) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:plan_docx", args=[campaign.pk])
    assert as_user(outsider_admin).get(url).status_code == 404

"""挂账销号 in a real browser: the inspector records a problem with a photo on a phone, the
department head sends proof of rectification, the inspector verifies and closes it."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import login
from tests.ledger.conftest import jpeg

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def _new_page(browser, live_server, viewport):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    return page


def test_problem_is_recorded_rectified_and_closed(  # type: ignore[no-untyped-def]
    page, shot, browser, live_server, settings, tmp_path
):
    from tests.factories import make_campaign
    from wenming.orgs.demo import load_demo
    from wenming.orgs.models import Organization
    from wenming.oversight.models import Problem, ProblemStatus

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    campaign = make_campaign(unit=unit, office=Organization.objects.get(code="LZ-WMB"))
    food = Organization.objects.get(name="食品安全监管科")
    before = tmp_path / "消防通道堆物.jpg"
    before.write_bytes(jpeg(pattern=1, size=(1200, 900)))
    after = tmp_path / "清理后.jpg"
    after.write_bytes(jpeg((40, 160, 60), pattern=2, size=(1200, 900)))
    today = datetime.date.today()  # noqa: DTZ011 - what the browser's date input shows
    deadline = (today + datetime.timedelta(days=7)).isoformat()

    # The inspector, on a phone: an inspection, then a problem with a photo.
    page.set_viewport_size(PHONE)
    login(page, "ducha")
    page.goto(f"{page.base}/oversight/campaign/{campaign.pk}/inspections/new/")
    page.select_option("#id_kind", "routine")
    page.fill("#id_title", "机关办公区日常督查")
    page.fill("#id_place", "局机关办公楼")
    page.click("button[type=submit]:has-text('保存并记录问题')")
    page.wait_for_url("**/oversight/inspection/*/")
    assert page.get_attribute("#id_files", "capture") == "environment"
    page.fill("#id_description", "四楼东侧楼道消防栓前堆放纸箱")
    page.set_input_files("#id_files", str(before))
    page.fill("#id_place", "四楼东侧楼道")
    page.select_option("#id_department", str(food.pk))
    page.fill("#id_deadline", deadline)
    page.select_option("#id_severity", "serious")
    _no_sideways_scroll(page)
    shot(page, "oversight-01-record-phone")
    page.click("button:has-text('挂账（记录问题）')")
    page.wait_for_selector("text=已挂账问题 DC-")
    problem = Problem.objects.get()
    assert problem.files.count() == 1 and problem.department == food
    assert problem.number in page.inner_text("main")
    _no_sideways_scroll(page)
    shot(page, "oversight-02-recorded-phone")

    # The department head sees it on the workbench and sends proof with a photo.
    head = _new_page(browser, live_server, DESKTOP)
    login(head, "keshi")
    assert "待整改问题" in head.inner_text("main")
    head.click(f"text={problem.number}")
    head.wait_for_url(f"**/oversight/problem/{problem.pk}/")
    head.click("button:has-text('提交验收')")
    head.wait_for_selector("text=请填写整改情况")
    head.fill("#id_note", "纸箱已清理，张贴“消防通道禁止堆物”标识，落实每日巡查。")
    head.set_input_files("#id_proof", str(after))
    shot(head, "oversight-03-rectify-desktop")
    head.click("button:has-text('提交验收')")
    head.wait_for_selector("text=整改材料已提交，等待验收")
    assert "验收通过，销号" not in head.inner_text("main")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.AWAITING

    # The inspector verifies: 已销号.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{page.base}/oversight/problem/{problem.pk}/")
    assert page.locator("img[alt^='整改照片']").count() == 1
    page.fill("#verify_comment", "现场复查，已整改到位。")
    page.click("button:has-text('验收通过，销号')")
    page.wait_for_selector("text=验收通过，已销号")
    assert "已销号" in page.inner_text("main")
    shot(page, "oversight-04-closed-desktop")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.verified_by.username == "ducha"
    page.goto(f"{page.base}/oversight/campaign/{campaign.pk}/problems/")
    assert problem.number in page.inner_text("main")
    shot(page, "oversight-05-ledger-desktop")

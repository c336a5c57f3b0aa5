"""Down to the person in a real browser: the department head splits a task into sub-tasks on
the task's page; the staff member, on a 390 px phone, finds theirs in 我的任务, records the
amount done and marks it complete; the task's progress follows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, page.url


def _phone_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    return page


def test_head_splits_and_staff_completes_on_a_phone(  # type: ignore[no-untyped-def]
    page, shot, browser, live_server, settings
):
    from django.contrib.auth.models import User

    from tests.factories import make_campaign
    from tests.tasks import make_task
    from wenming.orgs.demo import load_demo
    from wenming.orgs.models import Organization
    from wenming.tasks.models import SubTask, TaskStatus

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    campaign = make_campaign(unit=unit, office=Organization.objects.get(code="LZ-WMB"))
    food = Organization.objects.get(name="食品安全监管科")
    task = make_task(
        campaign,
        title="开展“学思想、强服务”主题学习",
        lead_department=food,
        deadline=datetime.date(2028, 6, 30),
        target_quantity=Decimal(4),
        target_unit="篇",
    )
    staff = User.objects.get(username="jingban")
    today = datetime.date.today()  # noqa: DTZ011 - what the browser's date input shows
    deadline = min(today + datetime.timedelta(days=14), datetime.date(2028, 6, 30)).isoformat()

    # The department head splits the task on its page.
    login(page, "keshi")
    page.goto(f"{page.base}/tasks/{task.pk}/")
    section = page.locator("#subtasks")
    section.locator("select[name=assignee]").select_option(str(staff.pk))
    section.locator("input[name=title]").fill("撰写心得体会")
    section.locator("input[name=target_quantity]").fill("2")
    section.locator("input[name=target_unit]").fill("篇")
    section.locator("input[name=deadline]").fill(deadline)
    shot(page, "subtasks/01-split")
    section.locator("button:has-text('分派')").click()
    page.wait_for_selector("text=已把“撰写心得体会”分派给陈晓燕")
    assert "已完成 0 / 目标 2篇" in page.inner_text("#subtasks")
    assert page.get_attribute("#id_progress", "readonly") is not None  # 由子任务汇总
    subtask = SubTask.objects.get()

    # The staff member, on a phone: 我的任务 → the sub-task → record → complete.
    phone = _phone_page(browser, live_server)
    login(phone, "jingban")
    phone.goto(f"{phone.base}/tasks/mine/")
    phone.wait_for_selector("text=我的子任务")
    _no_sideways_scroll(phone)
    shot(phone, "subtasks/02-mine-phone")
    phone.click("a:has-text('撰写心得体会')")
    phone.wait_for_url(f"**/tasks/subtasks/{subtask.pk}/")
    _no_sideways_scroll(phone)
    complete = phone.locator("button:has-text('标记完成')")
    box = complete.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    shot(phone, "subtasks/03-record-phone")
    phone.fill("#id_achieved_quantity", "1")
    phone.fill("#id_note", "第一篇已交支部")
    phone.click("button:has-text('保存进展')")
    phone.wait_for_selector("text=已保存进展：50%")
    # Completing short of the target is refused, with what to do.
    phone.click("button:has-text('标记完成')")
    phone.wait_for_selector("text=还没有达到目标")
    phone.fill("#id_achieved_quantity", "2")
    phone.click("button:has-text('保存进展')")
    phone.wait_for_selector("text=已保存进展：100%")
    phone.click("button:has-text('标记完成')")
    phone.wait_for_selector("text=已标记完成")
    _no_sideways_scroll(phone)
    shot(phone, "subtasks/04-done-phone")
    subtask.refresh_from_db()
    assert subtask.status == TaskStatus.DONE and subtask.completed_by == staff
    task.refresh_from_db()
    assert task.progress == 100

    # Back on the head's screen the task shows the roll-up.
    page.goto(f"{page.base}/tasks/{task.pk}/")
    assert "100%" in page.inner_text("#subtasks")
    phone.context.close()

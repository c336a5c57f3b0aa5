"""The foundation as a user meets it: log in, find one's place, bring in and read a system."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from wenming.orgs.demo import SAMPLE_FRAMEWORK, load_demo

pytestmark = pytest.mark.django_db(transaction=True)

BAD_YAML = "framework: {name: 坏文件}\nitems:\n  - {code: A, title: 组织领导, points: 十分}\n"


def test_office_admin_imports_compares_and_reads_a_system(page, shot, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    login(page, "wmb_admin")
    assert "文明办管理员" in page.inner_text("nav")
    assert "临州市文明办" in page.inner_text("main")
    shot(page, "01-home-office-admin")

    page.click("text=组织机构")
    assert "临州市市场监督管理局" in page.inner_text("main")
    shot(page, "02-org-tree")

    # A bad file: every problem listed, nothing imported.
    page.goto(f"{page.base}/frameworks/import/")
    bad = tmp_path / "坏文件.yaml"
    bad.write_text(BAD_YAML, encoding="utf-8")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('上传并核对')")
    assert "未导入" in page.inner_text("main")
    assert "不是数字" in page.inner_text("#import-errors")
    shot(page, "03-import-errors")

    # The sample system as a new version of the office's system.
    page.set_input_files("#id_file", str(SAMPLE_FRAMEWORK))
    page.click("button:has-text('上传并核对')")
    # Nothing is saved before the reading is checked: the preview shows the tree and totals.
    page.wait_for_selector("text=核对通过，可以保存")
    shot(page, "04a-import-preview")
    page.click("button:has-text('保存为草稿')")
    page.wait_for_selector("text=导入成功")
    text = page.inner_text("main")
    assert "85条测评标准" in text and "分值核对通过" in text and "草稿" in text
    shot(page, "04-framework-tree-draft")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('发布')")
    page.wait_for_selector("text=已发布。")
    page.click("text=与上一版比较")
    assert "两个版本的内容和分值完全相同" in page.inner_text("main")
    shot(page, "05-compare")


def test_department_staff_reads_at_phone_width(page, shot, browser, live_server, settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "jingban")
    assert "经办人" in page.inner_text("main")
    shot(page, "06-phone-home-staff")
    page.goto(f"{page.base}/frameworks/")
    page.click("text=示例·文明单位测评体系")
    assert "组织领导（创建工作机制）" in page.inner_text("main")
    assert "创建新版本" not in page.inner_text("main")
    shot(page, "07-phone-framework")
    # No horizontal scrolling of the page itself at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

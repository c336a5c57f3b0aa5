"""A campaign from end to end in a real browser, each step by the role that does it.

The office admin imports and publishes an evaluation system; the 创建办 plans a campaign on
it and generates the tasks; a department claims one and reports its week; staff file
evidence and the 创建办 reviews it; an inspector's problem is rectified and closed; the
创建办 scores a round and binds the ledger into a PDF; the leader opens the dashboard. Then
every role's workbench, and the main pages at phone width. Screenshots of each step go to
artifacts/screenshots/journey/.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import login
from tests.ledger.conftest import jpeg

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHARED_FRAMEWORK = Path("/work/shared/data/sample_framework.yaml")
ROLES = [
    ("wmb_admin", "文明办管理员"),
    ("cjb", "创建办"),
    ("lingdao", "单位领导"),
    ("keshi", "部门负责人"),
    ("jingban", "经办人"),
    ("keshi2", "部门负责人"),
    ("ducha", "督查员"),
    ("guancha", "观察员"),
]
# Records, across the navigation that follows, that the loading bar and the busy button showed.
WATCH_BUSY = """
() => {
  const note = (what) => {
    const seen = JSON.parse(sessionStorage.getItem('wm-busy') || '[]');
    if (!seen.includes(what)) { seen.push(what); sessionStorage.setItem('wm-busy', JSON.stringify(seen)); }
  };
  new MutationObserver(() => {
    if (document.documentElement.classList.contains('wm-loading')) note('loading');
    if (document.querySelector('button.wm-busy[disabled]')) note('busy');
  }).observe(document.documentElement, {attributes: true, subtree: true, childList: true});
}
"""
CAMPAIGN_TITLE = "2026—2028年创建市级文明单位"


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= page.evaluate("window.innerWidth") + 1, f"{page.url} 宽 {scroll}px > {width}px"


class People:
    """One browser context per person, logged in once, closed at the end."""

    def __init__(self, browser: Any, live_server: Any) -> None:
        self.browser = browser
        self.base = live_server.url
        self.pages: dict[str, Any] = {}
        # Script errors on any page, checked at the end of each test.
        self.errors: list[str] = []

    def __call__(self, username: str, viewport: dict[str, int] = DESKTOP) -> Any:
        page = self.pages.get(username)
        if page is None:
            context = self.browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(20000)
            page.base = self.base
            page.on("pageerror", lambda exc, who=username: self.errors.append(f"{who}: {exc}"))
            login(page, username)
            self.pages[username] = page
        else:
            page.set_viewport_size(viewport)
        return page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def people(browser, live_server):  # type: ignore[no-untyped-def]
    crowd = People(browser, live_server)
    yield crowd
    crowd.close()
    assert not crowd.errors, crowd.errors


@pytest.fixture
def journey_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


def _main(page) -> str:  # type: ignore[no-untyped-def]
    return page.inner_text("main")


def test_a_campaign_from_import_to_binder(people, shot, journey_settings, tmp_path):  # type: ignore[no-untyped-def]
    from wenming.campaigns.models import Campaign
    from wenming.frameworks.models import Framework
    from wenming.ledger.models import EvidenceItem, ItemStatus
    from wenming.orgs.demo import SAMPLE_FRAMEWORK, load_demo
    from wenming.orgs.models import Organization
    from wenming.oversight.models import Problem, ProblemStatus
    from wenming.tasks.models import Task, TaskClaim

    load_demo(with_campaign=False)
    food = Organization.objects.get(name="食品安全监管科")

    # 1. The office admin imports the evaluation system and publishes it.
    admin = people("wmb_admin")
    admin.click("nav >> text=测评体系")
    admin.click("main >> text=导入测评体系")
    source = SHARED_FRAMEWORK if SHARED_FRAMEWORK.exists() else SAMPLE_FRAMEWORK
    admin.set_input_files("#id_file", str(source))
    shot(admin, "journey/02-import-form")
    admin.click("main button:has-text('上传并核对')")
    admin.wait_for_selector("text=核对通过，可以保存")
    shot(admin, "journey/02b-import-preview")
    admin.click("main button:has-text('保存为草稿')")
    admin.wait_for_selector("text=导入成功")
    assert "分值核对通过" in _main(admin)
    framework = Framework.objects.order_by("-id").first()
    assert framework is not None
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.click("button:has-text('发布')")
    admin.wait_for_selector("text=已发布。")
    shot(admin, "journey/03-framework-published")

    # 2. The 创建办 plans a campaign on it and generates one task per standard.
    office = people("cjb")
    office.click("nav >> text=创建工作")
    office.goto(f"{office.base}/campaigns/new/")
    office.fill("#id_title", CAMPAIGN_TITLE)
    office.select_option("#id_framework", str(framework.pk))
    shot(office, "journey/04-campaign-form")
    office.click("main button[type=submit]:has-text('新建')")
    office.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    assert "并按创建周期排好了四个阶段" in _main(office)
    shot(office, "journey/05-campaign-created")
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    office.goto(f"{office.base}/tasks/campaign/{campaign.pk}/")
    office.click("button:has-text('按测评标准生成任务')")
    office.wait_for_selector("text=草稿任务")
    generated = Task.objects.filter(campaign=campaign).count()
    assert generated > 10
    assert f"已按测评标准生成{generated}项草稿任务" in _main(office)
    shot(office, "journey/06-tasks-generated")

    # 3. A department head claims a task; the 创建办 approves the claim.
    head = people("keshi")
    head.goto(f"{head.base}/tasks/offered/")
    first = head.locator("main .list-group-item").first
    task_title = first.locator("a").first.inner_text()
    first.locator("input[name=note]").fill("本科室负责，月底前完成")
    first.locator("button:has-text('认领')").click()
    head.wait_for_selector("text=等待创建办审核")
    claim = TaskClaim.objects.get()
    task = claim.task
    shot(head, "journey/07-task-claimed")
    office.goto(f"{office.base}/tasks/claims/")
    assert food.name in _main(office)
    shot(office, "journey/08-claim-inbox")
    with office.expect_navigation():
        office.click("button:has-text('同意')")
    task.refresh_from_db()
    assert task.lead_department_id == food.pk, task_title
    # The generated task is a draft until the 创建办 has checked it; then it is reported on.
    office.goto(f"{office.base}/tasks/{task.pk}/edit/")
    office.uncheck("#id_is_draft")
    with office.expect_navigation():
        office.click("main button[type=submit]:has-text('保存')")
    task.refresh_from_db()
    assert not task.is_draft

    # 4. The department reports its week.
    head.click("nav >> text=工作推进")
    head.wait_for_selector("text=工作推进周报")
    head.locator("#report-lines input[type=number]").first.fill("30")
    head.fill("#id_done_this_week", "制定本科室创建工作方案，召开动员会。")
    head.fill("#id_next_week", "组织开展道德讲堂。")
    shot(head, "journey/09-weekly-report-form")
    head.click("button:has-text('报送周报')")
    head.wait_for_selector(".alert-success:has-text('报送')")
    shot(head, "journey/10-weekly-report-submitted")

    # 5. Staff file two pieces of evidence with real photos; the 创建办 approves one and
    #    returns the other with a comment.
    staff = people("jingban")
    taken = datetime.datetime.now()  # noqa: DTZ005 - Exif dates are local wall-clock times
    titles = ["创建工作动员会", "道德讲堂第一讲"]
    for n, title in enumerate(titles, start=1):
        photo = tmp_path / f"{title}现场.jpg"
        photo.write_bytes(jpeg(pattern=n, taken=taken, size=(1200, 900)))
        staff.goto(f"{staff.base}/ledger/task/{task.pk}/")
        staff.click("main >> text=上传台账")
        staff.wait_for_selector("[data-uploader]")
        staff.fill("#id_title", title)
        staff.set_input_files("#id_files", str(photo))
        staff.wait_for_function("document.querySelectorAll('[data-list] li').length === 1")
        staff.fill("#id_place", "局机关三楼会议室")
        staff.fill("#id_participant_count", "40")
        staff.fill("#id_summary", f"{title}，干部职工40人参加。")
        staff.fill("#id_result", "形成会议纪要，明确分工。")
        if n == 1:
            shot(staff, "journey/11-evidence-upload")
        staff.click("button[data-submit]")
        staff.wait_for_url("**/ledger/item/*/")
        assert f"已上传台账“{title}”" in _main(staff)
    shot(staff, "journey/12-evidence-uploaded")
    approve, send_back = (EvidenceItem.objects.get(title=t) for t in titles)

    office.goto(f"{office.base}/ledger/campaign/{campaign.pk}/review/")
    shot(office, "journey/13-review-queue")
    row = office.locator(f"#review-{approve.pk}")
    row.locator("input[aria-label=通过意见]").fill("材料齐全")
    row.locator("button:has-text('通过')").click()
    office.wait_for_selector(f"#review-{approve.pk}[role=status]")
    row = office.locator(f"#review-{send_back.pk}")
    row.locator("input[aria-label=退回意见]").fill("请补充签到表和活动照片")
    row.locator("button:has-text('退回')").click()
    office.wait_for_selector(f"#review-{send_back.pk}[role=status]")
    shot(office, "journey/14-reviewed")
    approve.refresh_from_db()
    send_back.refresh_from_db()
    assert approve.status == ItemStatus.APPROVED
    assert send_back.status == ItemStatus.RETURNED
    staff.goto(f"{staff.base}/")
    assert "请补充签到表和活动照片" in _main(staff)
    shot(staff, "journey/15-returned-on-workbench")

    # 6. An inspector records a problem; the department rectifies; the inspector closes it.
    inspector = people("ducha")
    inspector.goto(f"{inspector.base}/oversight/campaign/{campaign.pk}/inspections/new/")
    inspector.select_option("#id_kind", "routine")
    inspector.fill("#id_title", "机关办公区日常督查")
    inspector.fill("#id_place", "局机关办公楼")
    inspector.click("button[type=submit]:has-text('保存并记录问题')")
    inspector.wait_for_url("**/oversight/inspection/*/")
    before = tmp_path / "楼道堆物.jpg"
    before.write_bytes(jpeg(pattern=3, size=(1000, 750)))
    inspector.fill("#id_description", "四楼楼道消防栓前堆放纸箱")
    inspector.set_input_files("#id_files", str(before))
    inspector.select_option("#id_department", str(food.pk))
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    inspector.fill("#id_deadline", deadline.isoformat())
    shot(inspector, "journey/16-problem-form")
    inspector.click("button:has-text('挂账（记录问题）')")
    inspector.wait_for_selector("text=已挂账问题 DC-")
    problem = Problem.objects.get()

    head.goto(f"{head.base}/")
    assert "待整改问题" in _main(head)
    head.click(f"main >> text={problem.number}")
    head.wait_for_url(f"**/oversight/problem/{problem.pk}/")
    after = tmp_path / "清理后.jpg"
    after.write_bytes(jpeg((40, 160, 60), pattern=4, size=(1000, 750)))
    head.fill("#id_note", "纸箱已清理，落实每日巡查。")
    head.set_input_files("#id_proof", str(after))
    head.click("button:has-text('提交验收')")
    head.wait_for_selector("text=整改材料已提交，等待验收")
    shot(head, "journey/17-rectification-submitted")

    inspector.goto(f"{inspector.base}/oversight/problem/{problem.pk}/")
    inspector.fill("#verify_comment", "现场复查，已整改到位。")
    inspector.click("button:has-text('验收通过，销号')")
    inspector.wait_for_selector("text=验收通过，已销号")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    shot(inspector, "journey/18-problem-closed")

    # 7. The 创建办 opens a scoring round, scores one standard and sees the total move.
    office.click("nav >> text=测评打分")
    office.wait_for_url(f"**/scoring/campaign/{campaign.pk}/")
    office.fill("#id_title", "第一次自评")
    office.fill("#id_scored_on", timezone.localdate().isoformat())
    office.click("button:has-text('新建测评轮次')")
    office.wait_for_selector("#round-total")
    assert office.inner_text("#round-total") == "0"
    standard = office.locator(".wm-std:has(form)").first
    grades = standard.locator(".wm-grades label")
    if grades.count():
        grades.first.click()
    else:
        box = standard.locator("input[name=points]")
        box.fill(box.get_attribute("max") or "1")
    standard.locator("button:has-text('保存')").click()
    office.wait_for_function("document.querySelector('#round-total').textContent.trim() !== '0'")
    assert "已保存" in standard.inner_text()
    shot(office, "journey/19-scored", full=False)

    # 8. The 创建办 binds the ledger into a PDF and the download appears.
    office.goto(f"{office.base}/ledger/campaign/{campaign.pk}/")
    office.click("main >> text=导出台账")
    office.wait_for_url(f"**/binder/campaign/{campaign.pk}/")
    office.check("input[name=format][value=pdf]")
    shot(office, "journey/20-binder-form")
    office.evaluate(WATCH_BUSY)
    office.click("button:has-text('开始生成')")
    office.wait_for_selector("#binder-progress a:has-text('下载')", timeout=90000)
    href = office.get_attribute("#binder-progress a:has-text('下载')", "href")
    assert href and href.endswith("/download/")
    # While it was sent, the bar at the top ran and the button could not be pressed twice.
    seen = office.evaluate("JSON.parse(sessionStorage.getItem('wm-busy') || '[]')")
    assert "loading" in seen and "busy" in seen, seen
    pdf = office.request.get(f"{office.base}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    shot(office, "journey/21-binder-ready")

    # 9. The leader opens the dashboard.
    leader = people("lingdao")
    leader.click("nav >> text=驾驶舱")
    leader.wait_for_url("**/dashboards/**")
    text = _main(leader)
    assert "驾驶舱" in text and CAMPAIGN_TITLE in text, text
    shot(leader, "journey/22-dashboard-leader")

    # 10. The 创建办 looks back over the day in the log; staff find their message settings
    #     under their name.
    office.click("nav >> text=操作记录")
    office.wait_for_url("**/trace/**")
    assert "操作记录" in _main(office)
    shot(office, "journey/23-trace-log", full=False)
    staff.goto(f"{staff.base}/")
    staff.click(".wm-user")
    staff.wait_for_selector(".dropdown-menu.show >> text=退出")
    shot(staff, "journey/24-user-menu", full=False)
    staff.click(".dropdown-menu.show >> text=消息设置")
    staff.wait_for_url("**/inbox/preferences/")
    shot(staff, "journey/25-notification-preferences", full=False)
    staff.goto(f"{staff.base}/")
    staff.click(".wm-bell")
    staff.wait_for_url("**/inbox/**")
    shot(staff, "journey/26-inbox-staff", full=False)

    # 11. Every role's workbench, now that there is work on it.
    for username, role in ROLES:
        page = people(username)
        page.goto(f"{page.base}/")
        assert role in page.inner_text("nav")
        assert "您好" in _main(page)
        if username in {"wmb_admin", "cjb", "lingdao"}:
            assert "操作记录" in page.inner_text("nav")
        if username == "jingban":
            assert "测评体系" not in page.inner_text("nav")
            assert "操作记录" not in page.inner_text("nav")
        shot(page, f"journey/01-workbench-{username}")


PHONE_PAGES = [
    ("工作台", "/"),
    ("我的任务", "/tasks/mine/"),
    ("台账", "/ledger/"),
    ("督查整改", "/oversight/"),
    ("驾驶舱", "/dashboards/"),
    ("消息", "/inbox/"),
]


def test_main_pages_fit_a_phone(people, shot, journey_settings):  # type: ignore[no-untyped-def]
    from wenming.orgs.demo import load_demo

    load_demo()
    # The login page, before anyone has signed in.
    context = people.browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{people.base}/login/")
        assert "登录" in _main(page)
        _no_sideways_scroll(page)
        shot(page, "journey/phone-00-login")
    finally:
        context.close()
    # Two unread messages for the department head: the bell shows their number.
    from django.contrib.auth.models import User

    from wenming.notifications.models import Kind, Notification

    head = User.objects.get(username="keshi")
    for n in (1, 2):
        Notification.objects.create(
            recipient=head,
            kind=Kind.TASK_DUE_7,
            key=f"journey-{n}",
            title=f"任务将在7天内到期（{n}）",
            url="/tasks/mine/",
        )
    for username in ("keshi", "cjb"):
        page = people(username, PHONE)
        if username == "keshi":
            page.wait_for_selector(".wm-bell-badge .badge")
            assert page.inner_text(".wm-bell-badge").strip() == "2"
        for n, (label, path) in enumerate(PHONE_PAGES, start=1):
            page.goto(f"{page.base}{path}")
            assert page.inner_text("body").strip(), label
            if path != "/" and page.locator(".wm-navbar").count():
                assert page.is_visible("nav[aria-label=位置]"), f"{label}没有位置导航"
            _no_sideways_scroll(page)
            shot(page, f"journey/phone-{username}-{n:02d}-{label}")
        # The menu folds away behind the toggler and opens on a tap.
        page.goto(f"{page.base}/")
        assert not page.is_visible("#mainnav >> text=督查整改")
        page.click(".navbar-toggler")
        page.wait_for_selector("#mainnav.show >> text=督查整改")
        _no_sideways_scroll(page)
        shot(page, f"journey/phone-{username}-menu")
    # The 创建办's other daily pages fit a phone as well.
    from wenming.campaigns.models import Campaign

    campaign = Campaign.objects.get(is_active=True)
    page = people("cjb", PHONE)
    for label, path in [
        ("任务分解表", f"/tasks/campaign/{campaign.pk}/"),
        ("每周汇总", f"/reports/campaign/{campaign.pk}/rollup/"),
        ("测评打分", "/scoring/"),
        ("操作记录", "/trace/"),
    ]:
        page.goto(f"{page.base}{path}")
        _no_sideways_scroll(page)
        shot(page, f"journey/phone-cjb-more-{label}", full=False)

    # On a small laptop screen the whole menu of the 创建办 (the longest) stays on one line.
    page = people("cjb", {"width": 1200, "height": 800})
    page.goto(f"{page.base}/")
    assert page.is_visible("#mainnav >> text=操作记录")
    assert page.evaluate("document.querySelector('.wm-navbar').offsetHeight") < 70
    _no_sideways_scroll(page)
    shot(page, "journey/laptop-cjb-workbench", full=False)

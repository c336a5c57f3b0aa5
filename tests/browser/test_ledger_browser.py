"""The ledger as staff meet it on a phone: photos and a document into the dossier, then review."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import login
from tests.ledger.conftest import docx, jpeg

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Records what the uploader showed while sending, across the navigation that follows.
WATCH_PROGRESS = """
() => {
  const box = document.querySelector('[data-progress-text]');
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem('wm-progress') || '[]');
    seen.push(box.textContent);
    sessionStorage.setItem('wm-progress', JSON.stringify(seen));
  }).observe(box, {childList: true, characterData: true, subtree: true});
}
"""


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_staff_uploads_from_a_phone_and_the_office_approves(  # type: ignore[no-untyped-def]
    page, shot, browser, live_server, settings, tmp_path
):
    from tests.factories import make_campaign
    from wenming.frameworks.models import Node
    from wenming.ledger.models import EvidenceItem, ItemStatus
    from wenming.orgs.demo import load_demo
    from wenming.orgs.models import Organization
    from wenming.tasks.models import Task

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    campaign = make_campaign(unit=unit, office=Organization.objects.get(code="LZ-WMB"))
    standards = list(
        Node.objects.filter(framework=campaign.framework, is_leaf=True, section="basic").order_by(
            "position"
        )[:2]
    )
    task = Task.objects.create(
        campaign=campaign,
        title="每月开展道德讲堂",
        lead_department=Organization.objects.get(name="食品安全监管科"),
        deadline=datetime.date(2026, 12, 31),
    )
    task.standards.set(standards)
    taken = datetime.datetime.now()  # noqa: DTZ005 - Exif dates are local wall-clock times
    photos = []
    for n in (1, 2):
        path = tmp_path / f"道德讲堂现场{n}.jpg"
        path.write_bytes(jpeg(pattern=n, taken=taken, size=(1200, 900)))
        photos.append(str(path))
    sheet = tmp_path / "签到表及活动方案.docx"
    sheet.write_bytes(docx("道德讲堂签到表"))

    # The dossier at desktop width, then the upload form on a phone.
    login(page, "jingban")
    page.goto(f"{page.base}/ledger/task/{task.pk}/")
    assert "还没有台账" in page.inner_text("main")
    shot(page, "ledger-01-dossier-desktop")
    page.set_viewport_size(PHONE)
    page.click("text=上传台账")
    page.wait_for_selector("[data-uploader]")
    assert page.input_value("#id_title") == "每月开展道德讲堂"
    page.set_input_files("#id_files", [*photos, str(sheet)])
    page.wait_for_function("document.querySelectorAll('[data-list] li').length === 3")
    assert page.locator("[data-list] img.wm-thumb").count() == 2
    assert "已选3个文件" in page.inner_text(".wm-uploader")

    # A PDF saved as .jpg is refused: the form comes back with the reason and the chosen
    # files are still listed, the bad one marked, so only it needs removing.
    fake = tmp_path / "签到表扫描.jpg"
    fake.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#id_files", str(fake))
    page.wait_for_function("document.querySelectorAll('[data-list] li').length === 4")
    page.click("button[data-submit]")
    page.wait_for_selector("[data-file-error]")
    assert "签到表扫描.jpg" in page.inner_text("[data-file-error]")
    assert page.locator("[data-list] li").count() == 4
    assert page.locator("[data-list] li.is-bad").count() == 1
    _no_sideways_scroll(page)
    shot(page, "ledger-02a-refused-phone")
    page.click("[data-list] li.is-bad button")
    assert page.locator("[data-list] li").count() == 3
    assert EvidenceItem.objects.count() == 0

    page.fill("#id_place", "局机关三楼会议室")
    page.fill("#id_participant_count", "45")
    page.fill("#id_summary", "邀请身边好人讲述敬业故事，干部职工45人参加。")
    page.fill("#id_result", "干部职工撰写心得体会32篇。")
    _no_sideways_scroll(page)
    shot(page, "ledger-02-upload-phone")

    page.evaluate(WATCH_PROGRESS)
    page.click("button[data-submit]")
    page.wait_for_url("**/ledger/item/*/")
    assert "已上传台账“每月开展道德讲堂”（3个文件）" in page.inner_text("main")
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('wm-progress') || '[]')")
    assert any("%" in text or "正在" in text or "已上传" in text for text in seen), seen
    item = EvidenceItem.objects.get()
    assert item.files.count() == 3 and item.status == ItemStatus.SUBMITTED
    assert page.locator(".wm-gallery img").count() == 2  # thumbnails made in the background
    _no_sideways_scroll(page)
    shot(page, "ledger-03-item-phone")
    page.set_viewport_size(DESKTOP)
    shot(page, "ledger-04-item-desktop")

    # The office: the overview, the queue, and approval.
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    office = context.new_page()
    office.set_default_timeout(15000)
    office.base = live_server.url
    login(office, "cjb")
    office.click("nav >> text=创建台账")
    office.wait_for_url(f"**/ledger/campaign/{campaign.pk}/")
    assert "待审核" in office.inner_text("main")
    shot(office, "ledger-05-overview-desktop")
    office.click("main >> text=审核")
    assert "每月开展道德讲堂" in office.inner_text("main")
    shot(office, "ledger-06-review-desktop")
    office.click(f"#review-{item.pk} >> text=每月开展道德讲堂")
    office.fill("#approve-comment", "材料齐全，照片清晰")
    office.click("button:has-text('通过')")
    office.wait_for_selector("text=已审核通过")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    shot(office, "ledger-07-approved-desktop")
    office.set_viewport_size(PHONE)
    office.goto(f"{office.base}/ledger/campaign/{campaign.pk}/")
    _no_sideways_scroll(office)
    shot(office, "ledger-08-overview-phone")
    office.goto(f"{office.base}/ledger/campaign/{campaign.pk}/?tab=gaps")
    _no_sideways_scroll(office)
    shot(office, "ledger-09-gaps-phone")
    context.close()

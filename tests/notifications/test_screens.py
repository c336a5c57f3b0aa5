"""The inbox, the badge, opening and marking read, preferences: each person sees only theirs."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.notifications.models import Kind, Notification, Preference


def _make(user, count: int, kind: str = Kind.TASK_DUE_7, url: str = "/tasks/mine/"):  # type: ignore[no-untyped-def]
    start = Notification.objects.count()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                key=f"{kind}:{start + i}",
                title=f"任务7天后到期：第{start + i}项",
                body="完成时限为2026年5月27日，当前进度0%。",
                url=url,
            )
            for i in range(count)
        ]
    )
    return Notification.objects.filter(recipient=user).order_by("-id").first()


def test_inbox_shows_unread_then_all_with_kind_filter(as_user, staff):  # type: ignore[no-untyped-def]
    n = _make(staff, 2)
    _make(staff, 1, kind=Kind.EVIDENCE_RETURNED)
    Notification.objects.filter(pk=n.pk).update(read_at=timezone.now())
    client = as_user(staff)

    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "2条未读" in page
    assert page.count('class="badge text-bg-secondary') == 2
    assert "全部标为已读" in page

    page = client.get(reverse("notifications:inbox") + "?show=all").content.decode()
    assert page.count('class="badge text-bg-secondary') == 3

    page = client.get(
        reverse("notifications:inbox") + "?show=all&kind=evidence_returned"
    ).content.decode()
    assert page.count('class="badge text-bg-secondary') == 1


def test_empty_inbox_says_what_will_appear(as_user, staff):  # type: ignore[no-untyped-def]
    page = as_user(staff).get(reverse("notifications:inbox")).content.decode()
    assert "没有未读消息" in page
    assert "周报未报送时，提醒会出现在这里" in page


def test_badge_counts_unread(as_user, staff):  # type: ignore[no-untyped-def]
    client = as_user(staff)
    assert client.get(reverse("notifications:badge")).content.decode().strip() == ""
    _make(staff, 3)
    html = client.get(reverse("notifications:badge")).content.decode()
    assert ">3</a>" in html and "badge" in html
    _make(staff, 100)
    assert ">99+</a>" in client.get(reverse("notifications:badge")).content.decode()


def test_badge_after_the_session_expired_swaps_nothing(client):  # type: ignore[no-untyped-def]
    response = client.get(reverse("notifications:badge"))
    assert response.status_code == 204
    assert response.content == b""


def test_opening_marks_read_and_follows_the_link(as_user, staff):  # type: ignore[no-untyped-def]
    n = _make(staff, 1)
    response = as_user(staff).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/tasks/mine/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)", ""]
)
def test_links_outside_the_site_go_to_the_inbox(as_user, staff, url):  # type: ignore[no-untyped-def]
    n = _make(staff, 1, url=url)
    response = as_user(staff).get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_another_persons_notification_is_not_found(as_user, staff, dept_head):  # type: ignore[no-untyped-def]
    n = _make(staff, 1)
    client = as_user(dept_head)
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None
    assert "第" not in client.get(reverse("notifications:inbox") + "?show=all").content.decode()


def test_mark_one_and_all_read(as_user, staff, dept_head):  # type: ignore[no-untyped-def]
    n = _make(staff, 3)
    theirs = _make(dept_head, 1)
    client = as_user(staff)
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 302
    assert Notification.objects.filter(recipient=staff).unread().count() == 2
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将2条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=staff).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("name", ["notifications:inbox", "notifications:badge"])
def test_query_count_does_not_grow(as_user, staff, name, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client = as_user(staff)
    url = reverse(name) + ("?show=all" if name.endswith("inbox") else "")
    _make(staff, 3)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    _make(staff, 80)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_preferences_mute_kinds_set_email_and_digest(as_user, staff):  # type: ignore[no-untyped-def]
    client = as_user(staff)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "不接收“任务7天内到期”" in page
    assert "尚未配置邮件发送" in page

    response = client.post(
        reverse("notifications:preferences"),
        {"muted_kinds": ["report_missing", "task_due_7"], "email": "chenxy@example.gov.cn"},
        follow=True,
    )
    text = response.content.decode()
    assert "提醒设置已保存" in text and "已关闭2类提醒" in text
    pref = Preference.objects.get(user=staff)
    assert pref.muted_kinds == ["task_due_7", "report_missing"]
    assert pref.email_digest is False
    staff.refresh_from_db()
    assert staff.email == "chenxy@example.gov.cn"
    assert 'value="chenxy@example.gov.cn"' in text


def test_preferences_refuse_a_bad_address_in_chinese(as_user, staff):  # type: ignore[no-untyped-def]
    response = as_user(staff).post(
        reverse("notifications:preferences"), {"email_digest": "on", "email": "不是邮箱"}
    )
    assert response.status_code == 200
    assert "请填写正确的电子邮箱地址" in response.content.decode()

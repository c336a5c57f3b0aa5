"""The notifications API: each person's own inbox, its filters and paging, marking read,
and bounded queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wenming.notifications.models import Kind, Notification
from wenming.orgs.models import ApiToken

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications"


def bearer(user: Any) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def notify(user: Any, n: int = 1, *, kind: str = Kind.TASK_OVERDUE, read: bool = False) -> None:
    now = datetime.datetime.now(datetime.UTC)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                key=f"{kind}:{read}:{i}",
                title=f"任务已逾期{i}",
                url="/tasks/",
                created_at=now - datetime.timedelta(minutes=i + (600 if read else 0)),
                read_at=now if read else None,
            )
            for i in range(n)
        ]
    )


def test_own_inbox_only(staff, dept_head) -> None:
    notify(staff, 2)
    notify(staff, 1, read=True)
    notify(dept_head, 4)
    body = bearer(staff).get(f"{API}/").json()
    assert body["count"] == 3 and body["unread"] == 2
    item = body["items"][0]
    assert item["title"] == "任务已逾期0" and item["kind"] == "task_overdue"
    assert item["kind_label"] == "任务已逾期" and item["read"] is False
    assert {"id", "body", "url", "created_at", "read_at"} <= set(item)
    assert bearer(dept_head).get(f"{API}/").json()["count"] == 4
    assert Client().get(f"{API}/").status_code == 401


def test_filters_and_pagination(staff) -> None:
    notify(staff, 70)
    notify(staff, 3, kind=Kind.CLAIM_DECIDED, read=True)
    client = bearer(staff)
    unread = client.get(f"{API}/", {"unread": "true"}).json()
    assert unread["count"] == 70 and len(unread["items"]) == 50 and unread["unread"] == 70
    claims = client.get(f"{API}/", {"kind": "claim_decided"}).json()
    assert claims["count"] == 3 and {n["kind"] for n in claims["items"]} == {"claim_decided"}
    assert client.get(f"{API}/", {"kind": "claim_decided", "unread": "true"}).json()["count"] == 0
    rest = client.get(f"{API}/", {"limit": 30, "offset": 60}).json()
    assert rest["count"] == 73 and len(rest["items"]) == 13
    assert len(client.get(f"{API}/", {"limit": 1000}).json()["items"]) == 73
    bad = client.get(f"{API}/", {"kind": "nothing"})
    assert bad.status_code == 422 and "没有这类提醒" in bad.json()["detail"]
    assert client.get(f"{API}/", {"unread": "maybe"}).status_code == 422
    assert client.get(f"{API}/", {"limit": "0"}).status_code == 422


def test_mark_one_read(staff, dept_head, office_admin) -> None:
    notify(staff, 2)
    first = Notification.objects.filter(recipient=staff).order_by("-created_at").first()
    assert first is not None
    url = f"{API}/{first.pk}/read"
    # Someone else's, the office included, is told nothing and stays unread.
    for other in (dept_head, office_admin):
        refused = bearer(other).post(url)
        assert refused.status_code == 404 and refused.json()["detail"] == "没有找到该消息。"
    first.refresh_from_db()
    assert first.read_at is None
    client = bearer(staff)
    marked = client.post(url)
    assert marked.status_code == 200
    assert marked.json()["read"] is True and marked.json()["id"] == first.pk
    inbox = client.get(f"{API}/", {"unread": "true"}).json()
    assert inbox["unread"] == 1 and first.pk not in {n["id"] for n in inbox["items"]}
    # Marking again changes nothing.
    read_at = marked.json()["read_at"]
    assert client.post(url).json()["read_at"] == read_at


def test_mark_all_read(staff, dept_head, as_user) -> None:
    notify(staff, 3)
    notify(dept_head, 2)
    client = bearer(staff)
    response = client.post(f"{API}/read-all")
    assert response.status_code == 200 and response.json() == {"marked": 3}
    assert client.get(f"{API}/").json()["unread"] == 0
    assert client.post(f"{API}/read-all").json() == {"marked": 0}
    # Nobody else's is touched; the screen's badge agrees.
    assert bearer(dept_head).get(f"{API}/").json()["unread"] == 2
    badge = as_user(staff).get(reverse("notifications:badge")).content.decode()
    assert "条未读消息" not in badge


@pytest.mark.parametrize("size", [5, 120])
def test_list_query_count_is_bounded(size, staff, django_assert_max_num_queries) -> None:
    notify(staff, size)
    client = bearer(staff)
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/", {"limit": 200})
    assert response.status_code == 200
    assert len(response.json()["items"]) == size

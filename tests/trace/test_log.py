"""The office's log: who may read it, its filters, and a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.tasks import make_task
from wenming import trace
from wenming.trace.models import Action, Change

pytestmark = pytest.mark.django_db

LOG = reverse("trace:log")


def test_who_may_read_the_log(
    demo, office_admin, coordinator, leader, dept_head, staff, inspector, outsider_admin, as_user
) -> None:
    for user in (office_admin, coordinator, leader):
        assert as_user(user).get(LOG).status_code == 200
    for user in (dept_head, staff, inspector):
        assert as_user(user).get(LOG).status_code == 403
    # Another city's office reads its own log, which holds nothing of ours.
    page = as_user(outsider_admin).get(LOG).content.decode()
    assert "临州市市场监督管理局" not in page


def test_scoped_to_what_the_user_sees(demo, campaign, coordinator, office_admin, as_user) -> None:
    court_dept = demo["court"].children.first()
    with trace.acting_as(office_admin):
        court_dept.sort_order = 9
        court_dept.save()
    make_task(campaign, title="本单位的任务")
    mine = as_user(coordinator).get(LOG, {"kind": "org"}).content.decode()
    assert court_dept.name not in mine
    office = as_user(office_admin).get(LOG, {"kind": "org"}).content.decode()
    assert court_dept.name in office


def test_filters(campaign, coordinator, staff, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"], title="开展道德讲堂活动")
    other = make_task(campaign, title="窗口文明服务")
    as_user(staff).post(
        reverse("tasks:progress", args=[task.pk]), {"progress": 30, "note": "已办两期"}
    )
    as_user(coordinator).post(reverse("tasks:delete", args=[other.pk]))
    client = as_user(coordinator)

    def rows(**params: str) -> str:
        response = client.get(LOG, params)
        assert response.status_code == 200
        return response.content.decode()

    by_actor = rows(actor="陈晓燕")
    assert "已办两期" in by_actor and "窗口文明服务" not in by_actor
    by_action = rows(action=Action.UPDATE, kind="task")
    assert "已办两期" in by_action and "删除时间" in by_action
    assert "开展道德讲堂活动" in rows(q="已办两期")
    assert "窗口文明服务" not in rows(q="已办两期")
    assert "窗口文明服务" in rows(q="窗口")
    today = datetime.date.today()
    assert "已办两期" in rows(date_from=str(today), date_to=str(today))
    assert "已办两期" not in rows(date_to=str(today - datetime.timedelta(days=1)))
    assert "没有符合条件的操作记录" in rows(date_from=str(today + datetime.timedelta(days=1)))
    # Each row links to the object's page.
    assert reverse("tasks:detail", args=[task.pk]) in by_actor


def test_pagination_50_per_page(campaign, coordinator, as_user) -> None:
    task = make_task(campaign)
    Change.objects.bulk_create(
        [
            Change(
                kind="task",
                object_id=task.pk,
                object_repr=f"批量{i}",
                action="update",
                unit_path=campaign.unit.path,
            )
            for i in range(60)
        ]
    )
    html = as_user(coordinator).get(LOG, {"kind": "task"}).content.decode()
    assert html.count("<tr>") - 1 == 50
    assert "第1页 / 共2页" in html


def _fill(campaign, n: int) -> None:
    task = make_task(campaign)
    Change.objects.bulk_create(
        [
            Change(
                kind="task",
                object_id=task.pk,
                object_repr=f"任务{i}",
                action="update",
                actor_name="李文静",
                unit_path=campaign.unit.path,
                unit_id=campaign.unit_id,
                changes={"进度（%）": [i, i + 1], "状态": ["未开始", "进行中"]},
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("size", [5, 120])
def test_log_query_count_is_bounded(
    size, campaign, coordinator, as_user, django_assert_max_num_queries
) -> None:
    _fill(campaign, size)
    client = as_user(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(LOG, {"q": "进度"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 300])
def test_history_query_count_is_bounded(
    size, campaign, coordinator, as_user, django_assert_max_num_queries
) -> None:
    _fill(campaign, size)
    task = Change.objects.filter(kind="task").first()
    client = as_user(coordinator)
    url = reverse("trace:history", args=["task", task.object_id])
    with django_assert_max_num_queries(7):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert ("只显示最近的记录" in response.content.decode()) == (size > 200)
